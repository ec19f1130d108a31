import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const identityMigrations: ModuleMigrations = {
  "20261123_0100_identity_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("orgs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("short_name", "text")
        .addColumn("code", "text", (c) => c.unique()) // 统一社会信用代码
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('city','district','department','enterprise')`))
        .addColumn("parent_id", "text", (c) => c.references("orgs.id"))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("username", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("org_id", "text", (c) => c.notNull().references("orgs.id"))
        .addColumn("roles", sql`text[]`, (c) => c.notNull())
        .addColumn("password_hash", "text")
        .addColumn("disabled", "boolean", (c) => c.notNull().defaultTo(false))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("expires_at", "timestamptz", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("prefix", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("expires_at", "timestamptz")
        .addColumn("last_used_at", "timestamptz")
        .addColumn("revoked_at", "timestamptz")
        .execute();
      await db.schema.createIndex("users_org_idx").on("users").column("org_id").execute();
      await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("api_tokens").execute();
      await db.schema.dropTable("sessions").execute();
      await db.schema.dropTable("users").execute();
      await db.schema.dropTable("orgs").execute();
    },
  },
};
