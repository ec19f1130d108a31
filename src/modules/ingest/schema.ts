import { z } from "zod";
import type { ItemType } from "../catalog/index.ts";

/**
 * The ingest module's public data: datasets (one per published catalog entry), their immutable
 * Parquet snapshots (versions), validation reports, diffs and source connectors.
 */

/** DuckDB type of each catalog item type (the snapshot's typed columns). */
export const DUCK_TYPES: Record<ItemType, string> = {
  字符型: "VARCHAR",
  整数型: "BIGINT",
  数值型: "DOUBLE",
  日期型: "DATE",
  日期时间型: "TIMESTAMP",
  布尔型: "BOOLEAN",
  二进制型: "BLOB",
};

export interface SnapshotColumn {
  name: string;
  type: ItemType;
  duckType: string;
  key: boolean;
  sensitive: boolean;
  required: boolean;
  length?: number;
  codeList?: string[];
  /**
   * Row checks computed while loading (registered with `ingest.onValidate`, e.g. quality's 身份证
   * check): rule kind → the file's internal boolean column (true = passes, NULL = no value), read
   * through `SnapshotInfo.sqlRows`. Only files written by a load have them.
   */
  checks?: Record<string, string>;
}

/**
 * How a snapshot's rows sit in its file. A load writes every row of the source once (typed, with
 * `__gs_err` set on the rows that failed validation); the snapshot is the rows without an error,
 * less the positions listed in `deletes` (later occurrences of a duplicate key). Rewritten
 * snapshots (corrections, incremental merges) hold exactly their rows: no error column, no deletes.
 */
export interface SnapshotLayout {
  errColumn: boolean;
  /** Absolute path of a Parquet file of file positions (column `r`, 0-based) not in the snapshot. */
  deletes: string | null;
}

export interface SnapshotInfo {
  datasetId: string;
  entryId: string;
  providerOrgId: string;
  version: number;
  /** Absolute path of the immutable Parquet file (never rewritten). Read it only through `sql`. */
  path: string;
  /**
   * The snapshot as a SQL relation (a parenthesised SELECT of exactly `columns`): what every reader
   * uses in FROM. The file may hold rows and columns that are not part of the snapshot (see SnapshotLayout).
   */
  sql: string;
  /** `sql` plus `__rn`: the row's 0-based position in the file (for a file load: its data row ordinal in the source), and the load-time check columns (SnapshotColumn.checks). */
  sqlRows: string;
  layout: SnapshotLayout;
  /** Every row passed the entry's validation at load (type, required, length, code list) and the keys are unique. */
  validated: boolean;
  rowCount: number;
  columns: SnapshotColumn[];
  createdAt: string;
  source: string;
  current: boolean;
}

export interface SourceView {
  kind: "postgres";
  /** The connection URL with the password replaced by "***". */
  url: string;
  table: string | null;
  query: string | null;
  incrementalColumn: string | null;
  lastValue: string | null;
  enabled: boolean;
  /** From the entry's update cycle; null = run by hand only (实时/不定期). */
  intervalHours: number | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastJobId: string | null;
}

export interface Dataset {
  id: string;
  entryId: string;
  entryCode: string;
  providerOrgId: string;
  name: string;
  currentVersion: number | null;
  keepVersions: number;
  source: SourceView | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionView {
  version: number;
  current: boolean;
  rowCount: number;
  bytes: number;
  digest: string;
  source: string;
  /** The file was removed by retention (keep N versions): no rollback to it. */
  kept: boolean;
  createdBy: string | null;
  jobId: string | null;
  createdAt: string;
  ledgerIndex: number | null;
}

/** One bad cell or row of a load. Row numbers are as the user sees them: the header is row 1. */
export interface RowError {
  row: number;
  /** The column as named in the file ("" for a whole-row problem). */
  column: string;
  /** Machine code: required, type, too_long, code_list, duplicate_key, ragged, unknown_column, missing_column. */
  code: string;
  message: string;
  messageEn: string;
  /** The offending value (cut to 50 characters; never shown for sensitive items). */
  value?: string;
}

export interface ValidationReport {
  file: string;
  format: "csv" | "xlsx" | "json" | "ndjson" | "parquet";
  encoding?: "utf-8" | "gb18030" | "utf-16le";
  delimiter?: string;
  totalRows: number;
  goodRows: number;
  badRows: number;
  /** Error counts by column and code. */
  counts: { column: string; code: string; count: number }[];
  /** The first errors, in row order (at most MAX_DETAILED_ERRORS). */
  errors: RowError[];
  truncated: boolean;
  /** Columns of the file matched to data items. */
  columns: { file: string; item: string | null }[];
}

export const MAX_DETAILED_ERRORS = 1000;

export const LoadMode = z.enum(["all-or-nothing", "skipBadRows"]);
export type LoadMode = z.infer<typeof LoadMode>;

export interface LoadResult {
  datasetId: string;
  report: ValidationReport;
  snapshot: SnapshotInfo;
  scored: boolean;
}

export interface DiffResult {
  from: number;
  to: number;
  key: string[];
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  examples: {
    added: Record<string, unknown>[];
    removed: Record<string, unknown>[];
    changed: { key: Record<string, unknown>; columns: { column: string; before: unknown; after: unknown }[] }[];
  };
}

export interface RowsPage {
  datasetId: string;
  version: number;
  total: number;
  page: number;
  pageSize: number;
  masked: boolean;
  columns: { name: string; type: ItemType; masked: boolean }[];
  rows: Record<string, string | number | boolean | null>[];
  /**
   * One reference per row, "v<version>.<position>": names the record (e.g. for a 数据异议) without its
   * key values, which may be masked for the reader.
   */
  refs: string[];
}

// ------------------------------------------------------------------ HTTP inputs

export const DatasetIdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export const UploadQuery = z
  .object({
    /** The catalog entry (id) the data belongs to. */
    entry: z.string().min(1).max(64),
    mode: LoadMode.default("all-or-nothing"),
    /** Same as mode=skipBadRows. */
    skipBadRows: z.enum(["true", "false"]).optional(),
    /** Wait for the load to finish and answer 201 with the result (small files, tests). */
    wait: z.enum(["true", "false"]).default("false"),
    filename: z.string().max(300).optional(),
  })
  .strict();
export type UploadQuery = z.infer<typeof UploadQuery>;

export const CreateDatasetBody = z.object({ entryId: z.string().min(1).max(64), keepVersions: z.number().int().min(1).max(100).optional() }).strict();
export const UpdateDatasetBody = z.object({ keepVersions: z.number().int().min(1).max(100) }).strict();
export const RollbackBody = z.object({ version: z.number().int().min(1), reason: z.string().trim().max(1000).optional() }).strict();
export const DiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1), limit: z.coerce.number().int().min(0).max(200).default(20) }).strict();
export const RowsQuery = z
  .object({ version: z.coerce.number().int().min(1).optional(), page: z.coerce.number().int().min(1).max(1_000_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export const ListDatasetsQuery = z.object({ provider: z.string().max(64).optional(), entry: z.string().max(64).optional() }).strict();

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
export const SourceBody = z
  .object({
    kind: z.literal("postgres").default("postgres"),
    url: z.string().trim().regex(/^postgres(ql)?:\/\//, "应为 postgres:// 连接串").max(1000),
    table: z.string().trim().regex(IDENT, "表名只能包含字母、数字和下划线（可带模式名）").max(200).optional(),
    query: z.string().trim().min(1).max(20_000).optional(),
    incrementalColumn: z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(100).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((s) => !!s.table !== !!s.query, { message: "table 与 query 须且只能填一个", path: ["table"] });
export type SourceBody = z.infer<typeof SourceBody>;

export const CorrectionsBody = z
  .object({
    reason: z.string().trim().min(1).max(1000),
    ref: z.string().trim().min(1).max(200),
    changes: z.array(z.object({ key: z.record(z.string(), z.string()), column: z.string().min(1).max(100), value: z.string().max(100_000).nullable() }).strict()).min(1).max(10_000),
  })
  .strict();
export type CorrectionsBody = z.infer<typeof CorrectionsBody>;
