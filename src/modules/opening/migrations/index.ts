import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const openingMigrations: ModuleMigrations = {
  /**
   * 开放: the open-catalog index (published 无条件/有条件开放 entries as the portal and the CKAN API
   * list them: stable CKAN names, tags, themes), conditional-open applications and their grants,
   * and daily download / API-call figures per entry.
   */
  "20261205_0200_opening_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("open_entries")
        .addColumn("entry_id", "text", (c) => c.primaryKey())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull().unique()) // CKAN package name: the resource code as a slug
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("notes", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("theme", "text", (c) => c.notNull())
        .addColumn("tags", sql`text[]`, (c) => c.notNull())
        .addColumn("formats", sql`text[]`, (c) => c.notNull())
        .addColumn("open_type", "text", (c) => c.notNull().check(sql`open_type in ('无条件开放','有条件开放')`))
        .addColumn("update_cycle", "text", (c) => c.notNull())
        .addColumn("content", "jsonb", (c) => c.notNull())
        .addColumn("search_text", "text", (c) => c.notNull())
        .addColumn("published_at", "timestamptz")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .addColumn("synced_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex("open_entries_provider_idx").on("open_entries").column("provider_org_id").execute();
      await db.schema.createIndex("open_entries_updated_idx").on("open_entries").column("updated_at").execute();

      await db.schema
        .createTable("open_applications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("entry_code", "text", (c) => c.notNull())
        .addColumn("entry_name", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("applicant_user_id", "text", (c) => c.notNull())
        .addColumn("applicant_org_id", "text", (c) => c.notNull())
        /** The key the grant is bound to; null: any key (and session) of the applicant. */
        .addColumn("token_id", "text")
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("scenario", "text")
        .addColumn("period_days", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted','approved','refused','revoked')`))
        .addColumn("reason", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "timestamptz")
        .addColumn("expires_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("ledger_index", "bigint")
        .execute();
      await db.schema.createIndex("open_applications_applicant_idx").on("open_applications").columns(["applicant_user_id", "entry_id"]).execute();
      await db.schema.createIndex("open_applications_provider_idx").on("open_applications").columns(["provider_org_id", "status"]).execute();

      await db.schema
        .createTable("open_stats_daily")
        .addColumn("day", "date", (c) => c.notNull())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("downloads", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("api_calls", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("rows", "bigint", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("open_stats_daily_pk", ["day", "entry_id"])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("open_stats_daily").execute();
      await db.schema.dropTable("open_applications").execute();
      await db.schema.dropTable("open_entries").execute();
    },
  },

  /**
   * 开放, the public's side: 数据需求 and 错误报告 (one table, `kind`; public answers, a working-day
   * deadline, the timestamps the 接诉即办 figures are computed from), 利用成果 (the showcase, approved
   * before it is public; the open entries it uses as a text[] for filtering), and the settings
   * (deadlines, holidays).
   */
  "20261206_0100_opening_feedback": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("open_settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "jsonb", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable("open_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('demand','report')`))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("intended_use", "text")
        .addColumn("entry_id", "text")
        .addColumn("entry_code", "text")
        .addColumn("entry_name", "text")
        .addColumn("dataset_id", "text")
        .addColumn("data_version", "integer")
        .addColumn("item", "text")
        .addColumn("row_ref", "text")
        /** The department the requester named (a demand); the responsible department (assigned, or the provider of the reported data). */
        .addColumn("target_org_id", "text")
        .addColumn("dept_org_id", "text")
        /** Null for anonymous error reports. Never shown in public. */
        .addColumn("submitter_user_id", "text")
        .addColumn("submitter_org_id", "text")
        .addColumn("submitter_name", "text")
        .addColumn("contact", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted','assigned','answered')`))
        .addColumn("outcome", "text", (c) => c.check(sql`outcome is null or outcome in ('accepted','available','declined','fixed','not_error')`))
        .addColumn("plan", "text")
        .addColumn("planned_date", "text")
        .addColumn("answer_url", "text")
        .addColumn("reason", "text")
        .addColumn("note", "text")
        .addColumn("fixed_version", "integer")
        .addColumn("answered_by", "text")
        .addColumn("answered_org_id", "text")
        /** The first answer (the figures count from it); fulfilled_at: an accepted demand later made available. */
        .addColumn("answered_at", "timestamptz")
        .addColumn("fulfilled_at", "timestamptz")
        .addColumn("assigned_by", "text")
        .addColumn("assigned_at", "timestamptz")
        .addColumn("assign_note", "text")
        .addColumn("due_at", "timestamptz", (c) => c.notNull())
        .addColumn("overdue_notified_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .addColumn("ledger_index", "bigint")
        .execute();
      await db.schema.createIndex("open_requests_kind_created_idx").on("open_requests").columns(["kind", "created_at"]).execute();
      await db.schema.createIndex("open_requests_dept_idx").on("open_requests").columns(["dept_org_id", "status"]).execute();
      await db.schema.createIndex("open_requests_entry_idx").on("open_requests").columns(["entry_id", "created_at"]).execute();
      await db.schema.createIndex("open_requests_submitter_idx").on("open_requests").columns(["submitter_user_id", "created_at"]).execute();
      await db.schema.createIndex("open_requests_due_idx").on("open_requests").columns(["status", "due_at"]).execute();

      await db.schema
        .createTable("open_showcase")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("organisation", "text")
        /** [{id, code, name, title}] of the open entries it uses, as they were when submitted. */
        .addColumn("datasets", "jsonb", (c) => c.notNull())
        .addColumn("entry_ids", sql`text[]`, (c) => c.notNull())
        .addColumn("submitter_user_id", "text", (c) => c.notNull())
        .addColumn("submitter_org_id", "text", (c) => c.notNull())
        .addColumn("submitter_name", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('submitted','approved','rejected')`))
        .addColumn("reason", "text")
        .addColumn("reviewed_by", "text")
        .addColumn("reviewed_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .addColumn("ledger_index", "bigint")
        .execute();
      await db.schema.createIndex("open_showcase_entries_gin").on("open_showcase").using("gin").column("entry_ids").execute();
      await db.schema.createIndex("open_showcase_status_idx").on("open_showcase").columns(["status", "reviewed_at"]).execute();
      await db.schema.createIndex("open_showcase_submitter_idx").on("open_showcase").columns(["submitter_user_id", "created_at"]).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("open_showcase").execute();
      await db.schema.dropTable("open_requests").execute();
      await db.schema.dropTable("open_settings").execute();
    },
  },
};
