import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const qualityMigrations: ModuleMigrations = {
  "20261125_0200_quality_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("quality_settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "jsonb", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Rules per data item ("*" = the dataset); no row = the defaults derived from the item.
      await db.schema
        .createTable("quality_rules")
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("column_name", "text", (c) => c.notNull())
        .addColumn("rules", "jsonb", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint("quality_rules_pk", ["dataset_id", "column_name"])
        .execute();
      // One scoring run per snapshot version.
      await db.schema
        .createTable("quality_runs")
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('running','done','failed')`))
        .addColumn("error", "text")
        .addColumn("row_count", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("dims", "jsonb")
        .addColumn("columns", "jsonb")
        .addColumn("snapshot_created_at", "timestamptz", (c) => c.notNull())
        .addColumn("started_at", "timestamptz", (c) => c.notNull())
        .addColumn("finished_at", "timestamptz")
        .addPrimaryKeyConstraint("quality_runs_pk", ["dataset_id", "version"])
        .execute();
      await sql`create index quality_runs_org_idx on quality_runs (provider_org_id, dataset_id, version desc)`.execute(db);
      await db.schema
        .createTable("quality_rule_results")
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("rule_id", "text", (c) => c.notNull())
        .addColumn("column_name", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("dimension", "text", (c) => c.notNull())
        .addColumn("params", "jsonb", (c) => c.notNull())
        .addColumn("evaluated", "bigint", (c) => c.notNull())
        .addColumn("failed", "bigint", (c) => c.notNull())
        .addColumn("ratio", "double precision")
        .addColumn("samples", "jsonb", (c) => c.notNull())
        .addPrimaryKeyConstraint("quality_rule_results_pk", ["dataset_id", "version", "rule_id"])
        .addForeignKeyConstraint("quality_rule_results_run_fk", ["dataset_id", "version"], "quality_runs", ["dataset_id", "version"], (c) => c.onDelete("cascade"))
        .execute();
      // 一数一源: one authoritative source per data item concept; copies point to it.
      await db.schema
        .createTable("quality_sources")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("concept", "text", (c) => c.notNull().unique())
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("column_name", "text", (c) => c.notNull())
        .addColumn("key_column", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("note", "text")
        .addColumn("created_by", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable("quality_source_copies")
        .addColumn("source_id", "text", (c) => c.notNull().references("quality_sources.id").onDelete("cascade"))
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("column_name", "text", (c) => c.notNull())
        .addColumn("key_column", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("quality_source_copies_pk", ["source_id", "dataset_id"])
        .execute();
      await db.schema
        .createTable("quality_crosschecks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("source_id", "text", (c) => c.notNull().references("quality_sources.id").onDelete("cascade"))
        .addColumn("compared", "jsonb", (c) => c.notNull())
        .addColumn("keys_compared", "bigint", (c) => c.notNull())
        .addColumn("conflict_count", "bigint", (c) => c.notNull())
        .addColumn("created_by", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("ledger_index", "bigint")
        .execute();
      await db.schema
        .createTable("quality_conflicts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("crosscheck_id", "text", (c) => c.notNull().references("quality_crosschecks.id").onDelete("cascade"))
        .addColumn("source_id", "text", (c) => c.notNull())
        .addColumn("authoritative_org_id", "text", (c) => c.notNull())
        .addColumn("key_value", "text", (c) => c.notNull())
        .addColumn("key_masked", "text", (c) => c.notNull())
        .addColumn("values", "jsonb", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open','resolved','objected')`))
        .addColumn("resolution_note", "text")
        .addColumn("objection_id", "text")
        .addColumn("resolved_by", "text")
        .addColumn("resolved_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .execute();
      await sql`create index quality_conflicts_org_idx on quality_conflicts (authoritative_org_id, status, created_at desc)`.execute(db);
      // 数据异议 (RULES §4).
      await db.schema
        .createTable("quality_objections")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("dataset_id", "text", (c) => c.notNull())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("version", "integer")
        .addColumn("record_key", "jsonb", (c) => c.notNull())
        .addColumn("column_name", "text")
        .addColumn("proposed_value", "text")
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("evidence", "text")
        .addColumn("attachment", "bytea")
        .addColumn("attachment_name", "text")
        .addColumn("attachment_type", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted','verifying','replied','escalated','closed')`))
        .addColumn("resolution", "text", (c) => c.check(sql`resolution in ('corrected','rejected')`))
        .addColumn("resolution_note", "text")
        .addColumn("correction_version", "integer")
        .addColumn("conflict_id", "text")
        .addColumn("raised_by", "text", (c) => c.notNull())
        .addColumn("raised_org_id", "text", (c) => c.notNull())
        .addColumn("due_at", "timestamptz")
        .addColumn("overdue_stage", "text")
        .addColumn("reminded_stage", "text")
        .addColumn("escalated_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .addColumn("closed_at", "timestamptz")
        .execute();
      await sql`create index quality_objections_org_idx on quality_objections (provider_org_id, status, created_at desc)`.execute(db);
      await sql`create index quality_objections_raiser_idx on quality_objections (raised_by, created_at desc)`.execute(db);
      await sql`create index quality_objections_open_due_idx on quality_objections (due_at) where status <> 'closed'`.execute(db);
      await db.schema
        .createTable("quality_objection_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("objection_id", "text", (c) => c.notNull().references("quality_objections.id").onDelete("cascade"))
        .addColumn("step", "text", (c) => c.notNull())
        .addColumn("actor", "text")
        .addColumn("note", "text")
        .addColumn("data", "jsonb")
        .addColumn("ledger_index", "bigint", (c) => c.notNull())
        .addColumn("at", "timestamptz", (c) => c.notNull())
        .execute();
      await sql`create index quality_objection_events_idx on quality_objection_events (objection_id, at)`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const t of ["quality_objection_events", "quality_objections", "quality_conflicts", "quality_crosschecks", "quality_source_copies", "quality_sources", "quality_rule_results", "quality_runs", "quality_rules", "quality_settings"])
        await db.schema.dropTable(t).execute();
    },
  },
};
