import type { DuckDBConnection } from "@duckdb/node-api";
import type { Db, Tx } from "../../core/db.ts";
import type { Actor } from "../policy/index.ts";
import type { QColumn } from "./rules.ts";

/**
 * What quality needs of other modules, as narrow ports wired in app.ts (the ingest, catalog,
 * protection, ledger and notify services satisfy them). Shapes follow scratch/issue3-contracts.md.
 */
export interface SnapshotLike {
  datasetId: string;
  entryId: string;
  providerOrgId: string;
  version: number;
  path: string;
  /** The snapshot as a SQL relation (read it only through this: the file may hold rows that are not part of it). */
  sql: string;
  /** `sql` plus `__rn`, the row's 0-based position in the file. */
  sqlRows: string;
  /** Every row passed the entry's validation at load and the keys are unique (see rules.provedByValidation). */
  validated: boolean;
  rowCount: number;
  columns: QColumn[];
  createdAt: string;
}
export interface DatasetLike {
  id: string;
  entryId: string;
  providerOrgId: string;
  name: string;
  currentVersion: number | null;
}
export interface CorrectionInput {
  reason: string;
  ref: string;
  changes: { key: Record<string, string>; column: string; value: string | null }[];
}
export interface IngestPort {
  getDataset(id: string): Promise<DatasetLike>;
  listDatasets(q: { providerOrgId?: string }): Promise<DatasetLike[]>;
  current(datasetId: string): Promise<SnapshotLike | null>;
  snapshot(datasetId: string, version: number): Promise<SnapshotLike>;
  onCommitted(listener: (snap: SnapshotLike, ctx: { progress(message: string): void }) => Promise<void>): void;
  /** Row checks computed while loading, kept as internal columns named in QColumn.checks (see rules.loadChecks). */
  onValidate(provider: (columns: QColumn[]) => { column: string; kind: string; prepare?: (v: string) => string; sql: (v: string, prepared?: string) => string }[]): void;
  applyCorrections(actor: Actor, datasetId: string, input: CorrectionInput): Promise<SnapshotLike>;
}
export interface LakePort {
  run<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}
/** Catalog metadata of the dataset's entry that quality uses (null when the entry is not readable). */
export interface EntryMeta {
  name: string;
  grade: string;
  generalLevel?: number;
  updateCycle: string;
  shareType: string;
  openType: string;
}
export interface CatalogPort {
  entryMeta(entryId: string): Promise<EntryMeta | null>;
}
export type Masker = (v: string | null) => string | null;
/** protection.maskerFor: null = no masking needed for this item at this grade. */
export type MaskerFor = (grade: string, subLevel: number | undefined, item: { name: string; type: string; sensitive: boolean }) => Masker | null;
export interface LedgerPort {
  append(tx: Tx, entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  digest(value: unknown): string;
}
export interface NotifyPort {
  notify(tx: Tx | Db, n: { userId?: string; orgId?: string; role?: "platform_admin" | "data_officer"; kind: string; title: string; body: string; link?: string }): Promise<{ id: string }>;
}
export interface OrgPort {
  orgNames(): Promise<Map<string, string>>;
}

export interface QualityDeps {
  db: Db;
  ingest: IngestPort;
  lake: LakePort;
  catalog: CatalogPort;
  maskerFor: MaskerFor;
  ledger: LedgerPort;
  notify: NotifyPort;
  orgs: OrgPort;
  /** The clock (tests inject one). */
  now?: () => Date;
  /** Sample failing rows kept per rule. */
  samplesPerRule?: number;
}
