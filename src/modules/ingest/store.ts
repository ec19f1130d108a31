import { sql, type Insertable, type Kysely, type Selectable } from "kysely";
import type { Db } from "../../core/db.ts";
import type { SnapshotColumn } from "./schema.ts";

/** The ingest module's tables. Only the ingest module touches them. */
export interface IngestTables {
  ingest_datasets: {
    id: string;
    entry_id: string;
    entry_code: string;
    provider_org_id: string;
    name: string;
    current_version: number | null;
    keep_versions: number;
    created_at: Date;
    updated_at: Date;
  };
  ingest_versions: {
    dataset_id: string;
    version: number;
    file: string;
    row_count: number;
    bytes: number;
    digest: string;
    columns: SnapshotColumn[];
    source: string;
    job_id: string | null;
    created_by: string | null;
    created_at: Date;
    ledger_index: number | null;
    deleted_at: Date | null;
    err_column: boolean;
    deletes_file: string | null;
    validated: boolean;
  };
  ingest_sources: {
    dataset_id: string;
    kind: "postgres";
    url: string;
    table_name: string | null;
    query: string | null;
    incremental_column: string | null;
    last_value: string | null;
    enabled: boolean;
    interval_hours: number | null;
    next_run_at: Date | null;
    last_run_at: Date | null;
    last_job_id: string | null;
    owner_user_id: string;
    created_at: Date;
    updated_at: Date;
  };
}
export type IngestDb = Kysely<IngestTables>;
export const ingestDb = (db: Db) => db as unknown as IngestDb;
export type DatasetRow = Selectable<IngestTables["ingest_datasets"]>;
export type VersionRow = Selectable<IngestTables["ingest_versions"]>;
export type SourceRow = Selectable<IngestTables["ingest_sources"]>;

export function ingestStore(db: IngestDb) {
  return {
    dataset: (id: string, forUpdate = false) => {
      let q = db.selectFrom("ingest_datasets").selectAll().where("id", "=", id);
      if (forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },
    datasetByEntry: (entryId: string) => db.selectFrom("ingest_datasets").selectAll().where("entry_id", "=", entryId).executeTakeFirst(),
    datasets: (q: { providerOrgId?: string; entryId?: string }) => {
      let s = db.selectFrom("ingest_datasets").selectAll();
      if (q.providerOrgId) s = s.where("provider_org_id", "=", q.providerOrgId);
      if (q.entryId) s = s.where("entry_id", "=", q.entryId);
      return s.orderBy("created_at", "desc").orderBy("id").limit(1000).execute();
    },
    /** Insert unless the entry already has a dataset (a concurrent first load); returns the row. */
    insertDataset: async (row: Omit<Insertable<IngestTables["ingest_datasets"]>, "created_at" | "updated_at">) => {
      await db.insertInto("ingest_datasets").values({ ...row, created_at: new Date(), updated_at: new Date() }).onConflict((oc) => oc.column("entry_id").doNothing()).execute();
      return (await db.selectFrom("ingest_datasets").selectAll().where("entry_id", "=", row.entry_id).executeTakeFirst())!;
    },
    updateDataset: (id: string, set: Partial<Insertable<IngestTables["ingest_datasets"]>>) =>
      db.updateTable("ingest_datasets").set({ ...set, updated_at: new Date() }).where("id", "=", id).execute(),
    version: (datasetId: string, version: number) =>
      db.selectFrom("ingest_versions").selectAll().where("dataset_id", "=", datasetId).where("version", "=", version).executeTakeFirst(),
    versions: (datasetId: string) => db.selectFrom("ingest_versions").selectAll().where("dataset_id", "=", datasetId).orderBy("version", "desc").execute(),
    maxVersion: async (datasetId: string) => {
      const r = await db.selectFrom("ingest_versions").select(sql<number | null>`max(version)`.as("m")).where("dataset_id", "=", datasetId).executeTakeFirst();
      return r?.m == null ? 0 : Number(r.m);
    },
    insertVersion: (row: Omit<Insertable<IngestTables["ingest_versions"]>, "created_at">) =>
      db.insertInto("ingest_versions").values({ ...row, columns: JSON.stringify(row.columns) as unknown as SnapshotColumn[], created_at: new Date() }).execute(),
    markVersionDeleted: (datasetId: string, version: number) =>
      db.updateTable("ingest_versions").set({ deleted_at: new Date() }).where("dataset_id", "=", datasetId).where("version", "=", version).execute(),
    /** Every snapshot file that a version row still points at (relative paths). */
    liveFiles: async () => new Set((await db.selectFrom("ingest_versions").select(["file", "deletes_file"]).where("deleted_at", "is", null).execute()).flatMap((r) => (r.deletes_file ? [r.file, r.deletes_file] : [r.file]))),
    source: (datasetId: string) => db.selectFrom("ingest_sources").selectAll().where("dataset_id", "=", datasetId).executeTakeFirst(),
    sourcesOf: (datasetIds: string[]) =>
      datasetIds.length ? db.selectFrom("ingest_sources").selectAll().where("dataset_id", "in", datasetIds).execute() : Promise.resolve([]),
    upsertSource: (row: Omit<Insertable<IngestTables["ingest_sources"]>, "created_at" | "updated_at">) =>
      db.insertInto("ingest_sources").values({ ...row, created_at: new Date(), updated_at: new Date() })
        .onConflict((oc) => oc.column("dataset_id").doUpdateSet({ ...row, updated_at: new Date() })).execute(),
    updateSource: (datasetId: string, set: Partial<Insertable<IngestTables["ingest_sources"]>>) =>
      db.updateTable("ingest_sources").set({ ...set, updated_at: new Date() }).where("dataset_id", "=", datasetId).execute(),
    deleteSource: (datasetId: string) => db.deleteFrom("ingest_sources").where("dataset_id", "=", datasetId).execute(),
    dueSources: (now: Date) =>
      db.selectFrom("ingest_sources").selectAll().where("enabled", "=", true).where("next_run_at", "is not", null).where("next_run_at", "<=", now).execute(),
  };
}
