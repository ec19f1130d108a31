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
  /**
   * Registered public users and open-API keys: a 'public' organisation kind (the shared 公众用户
   * organisation of individuals), the account type of self-registered users, per-key rate limit and
   * daily quota, and calls per key per day (Asia/Shanghai calendar day).
   */
  "20261205_0100_identity_public_keys": {
    async up(db: Kysely<any>) {
      await sql`alter table orgs drop constraint if exists orgs_kind_check`.execute(db);
      await sql`alter table orgs add constraint orgs_kind_check check (kind in ('city','district','department','enterprise','public'))`.execute(db);
      await db.schema.alterTable("users").addColumn("account_type", "text", (c) => c.check(sql`account_type in ('individual','enterprise')`)).execute();
      await db.schema.alterTable("users").addColumn("email", "text").execute();
      await db.schema.alterTable("users").addColumn("phone", "text").execute();
      await db.schema.alterTable("api_tokens").addColumn("rate_per_sec", "real").execute();
      await db.schema.alterTable("api_tokens").addColumn("daily_quota", "integer").execute();
      await db.schema
        .createTable("api_token_usage")
        .addColumn("token_id", "text", (c) => c.notNull().references("api_tokens.id").onDelete("cascade"))
        .addColumn("day", "date", (c) => c.notNull())
        .addColumn("calls", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("api_token_usage_pk", ["token_id", "day"])
        .execute();
      await db.schema.createIndex("api_tokens_user_idx").on("api_tokens").column("user_id").execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex("api_tokens_user_idx").execute();
      await db.schema.dropTable("api_token_usage").execute();
      await db.schema.alterTable("api_tokens").dropColumn("daily_quota").execute();
      await db.schema.alterTable("api_tokens").dropColumn("rate_per_sec").execute();
      await db.schema.alterTable("users").dropColumn("phone").execute();
      await db.schema.alterTable("users").dropColumn("email").execute();
      await db.schema.alterTable("users").dropColumn("account_type").execute();
      await sql`delete from orgs where kind = 'public' and not exists (select 1 from users where users.org_id = orgs.id)`.execute(db);
      await sql`alter table orgs drop constraint if exists orgs_kind_check`.execute(db);
      await sql`alter table orgs add constraint orgs_kind_check check (kind in ('city','district','department','enterprise'))`.execute(db);
    },
  },
};
