import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const ingestMigrations: ModuleMigrations = {
  "20261125_0100_ingest_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("ingest_datasets")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("entry_id", "text", (c) => c.notNull().unique())
        .addColumn("entry_code", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        // The pointer: which version is current. A load or rollback switches it in one transaction.
        .addColumn("current_version", "integer")
        .addColumn("keep_versions", "integer", (c) => c.notNull().defaultTo(5).check(sql`keep_versions between 1 and 100`))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index ingest_datasets_provider_idx on ingest_datasets (provider_org_id)`.execute(db);
      await db.schema
        .createTable("ingest_versions")
        .addColumn("dataset_id", "text", (c) => c.notNull().references("ingest_datasets.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        // Path relative to the lake folder: datasets/<datasetId>/v<N>-<random>.parquet
        .addColumn("file", "text", (c) => c.notNull().unique())
        .addColumn("row_count", "bigint", (c) => c.notNull())
        .addColumn("bytes", "bigint", (c) => c.notNull())
        .addColumn("digest", "text", (c) => c.notNull())
        .addColumn("columns", "jsonb", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("job_id", "text")
        .addColumn("created_by", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("ledger_index", "bigint")
        // Set when retention removed the file.
        .addColumn("deleted_at", "timestamptz")
        .addPrimaryKeyConstraint("ingest_versions_pk", ["dataset_id", "version"])
        .execute();
      await db.schema
        .createTable("ingest_sources")
        .addColumn("dataset_id", "text", (c) => c.primaryKey().references("ingest_datasets.id"))
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('postgres')`))
        // Holds the password: never logged, never answered (presenters redact it).
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("table_name", "text")
        .addColumn("query", "text")
        .addColumn("incremental_column", "text")
        .addColumn("last_value", "text")
        .addColumn("enabled", "boolean", (c) => c.notNull().defaultTo(true))
        .addColumn("interval_hours", "integer")
        .addColumn("next_run_at", "timestamptz")
        .addColumn("last_run_at", "timestamptz")
        .addColumn("last_job_id", "text")
        .addColumn("owner_user_id", "text", (c) => c.notNull())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index ingest_sources_due_idx on ingest_sources (next_run_at) where enabled`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("ingest_sources").execute();
      await db.schema.dropTable("ingest_versions").execute();
      await db.schema.dropTable("ingest_datasets").execute();
    },
  },
  "20261125_0200_ingest_snapshot_layout": {
    async up(db: Kysely<any>) {
      // A load writes every source row once; rows failing validation are marked in the file's
      // __gs_err column, later duplicate keys are listed in a small deletes file (see SnapshotLayout).
      await db.schema.alterTable("ingest_versions").addColumn("err_column", "boolean", (c) => c.notNull().defaultTo(false)).execute();
      // Path relative to the lake folder: datasets/<datasetId>/v<N>-<random>.deletes.parquet
      await db.schema.alterTable("ingest_versions").addColumn("deletes_file", "text").execute();
      await db.schema.alterTable("ingest_versions").addColumn("validated", "boolean", (c) => c.notNull().defaultTo(false)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable("ingest_versions").dropColumn("validated").execute();
      await db.schema.alterTable("ingest_versions").dropColumn("deletes_file").execute();
      await db.schema.alterTable("ingest_versions").dropColumn("err_column").execute();
    },
  },
};
