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
};
