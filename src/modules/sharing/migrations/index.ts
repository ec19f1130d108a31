import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const sharingMigrations: ModuleMigrations = {
  "20261126_0100_sharing_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("sharing_settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "jsonb", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // 需求清单: what a department needs, for which duty; matched by the data administration to entries.
      await db.schema
        .createTable("sharing_demands")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("org_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("duty", "text", (c) => c.notNull())
        .addColumn("entry_id", "text")
        .addColumn("provider_org_id", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open','matched','closed')`))
        .addColumn("note", "text")
        .addColumn("matched_by", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("sharing_applications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("entry_code", "text", (c) => c.notNull())
        .addColumn("entry_name", "text", (c) => c.notNull())
        .addColumn("share_type", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("applicant_org_id", "text", (c) => c.notNull())
        .addColumn("applicant_user_id", "text", (c) => c.notNull())
        .addColumn("demand_id", "text")
        .addColumn("items", "jsonb", (c) => c.notNull())
        .addColumn("row_filter", "jsonb", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("legal_basis", "text", (c) => c.notNull())
        .addColumn("matter", "text")
        .addColumn("period_from", "timestamptz", (c) => c.notNull())
        .addColumn("period_to", "timestamptz", (c) => c.notNull())
        .addColumn("expected_volume", "bigint", (c) => c.notNull())
        .addColumn("rate_per_minute", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','granted','refused','withdrawn')`))
        .addColumn("decision_reason", "text")
        .addColumn("conditions", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "timestamptz")
        .addColumn("due_at", "timestamptz")
        .addColumn("escalated_at", "timestamptz")
        .addColumn("grant_id", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .addColumn("updated_at", "timestamptz", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sharing_applications_provider").on("sharing_applications").columns(["provider_org_id", "status"]).execute();
      await db.schema.createIndex("sharing_applications_applicant").on("sharing_applications").columns(["applicant_org_id", "status"]).execute();
      // A grant: the scope a delivery is checked against (items, row filter, period, rate).
      await db.schema
        .createTable("sharing_grants")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("application_id", "text", (c) => c.notNull().unique())
        .addColumn("entry_id", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("grantee_org_id", "text", (c) => c.notNull())
        .addColumn("items", "jsonb", (c) => c.notNull())
        .addColumn("row_filter", "jsonb", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("valid_from", "timestamptz", (c) => c.notNull())
        .addColumn("valid_to", "timestamptz", (c) => c.notNull())
        .addColumn("rate_per_minute", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active','revoked')`))
        .addColumn("revoked_reason", "text")
        .addColumn("revoked_by", "text")
        .addColumn("revoked_at", "timestamptz")
        .addColumn("ledger_index", "bigint")
        .addColumn("created_at", "timestamptz", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sharing_grants_grantee").on("sharing_grants").column("grantee_org_id").execute();
      // Metering: requests and rows delivered per grant per day (Asia/Shanghai).
      await db.schema
        .createTable("sharing_usage")
        .addColumn("grant_id", "text", (c) => c.notNull())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("requests", "bigint", (c) => c.notNull())
        .addColumn("rows", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("sharing_usage_pk", ["grant_id", "day"])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ["sharing_usage", "sharing_grants", "sharing_applications", "sharing_demands", "sharing_settings"]) await db.schema.dropTable(t).execute();
    },
  },
};
