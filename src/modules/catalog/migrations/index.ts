import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";
import { SEARCH_KEY_SQL } from "../tokens.ts";

export const catalogMigrations: ModuleMigrations = {
  "20261123_0200_catalog_init": {
    async up(db: Kysely<any>) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await db.schema
        .createTable("catalog_entries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("code", "text", (c) => c.notNull().unique())
        .addColumn("class_code", "text", (c) => c.notNull())
        .addColumn("seq", "text", (c) => c.notNull())
        .addColumn("provider_org_id", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','submitted','returned','published','withdrawn')`))
        .addColumn("published_version", "integer")
        .addColumn("open_version", "integer")
        // Denormalised from the visible content, for search and facets.
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("theme", "text", (c) => c.notNull())
        .addColumn("share_type", "text", (c) => c.notNull())
        .addColumn("open_type", "text", (c) => c.notNull())
        .addColumn("grade", "text", (c) => c.notNull())
        .addColumn("update_cycle", "text", (c) => c.notNull())
        .addColumn("formats", sql`text[]`, (c) => c.notNull())
        .addColumn("domains", sql`text[]`, (c) => c.notNull())
        .addColumn("item_count", "integer", (c) => c.notNull())
        .addColumn("search_text", "text", (c) => c.notNull())
        .addColumn("search_tokens", sql`text[]`, (c) => c.notNull())
        .addColumn("published_at", "timestamptz")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint("catalog_entries_class_seq_uq", ["class_code", "seq"])
        .execute();
      await sql`create index catalog_entries_tokens_gin on catalog_entries using gin (search_tokens)`.execute(db);
      await sql`create index catalog_entries_status_pub_idx on catalog_entries (status, published_at desc)`.execute(db);
      await sql`create index catalog_entries_provider_idx on catalog_entries (provider_org_id, status)`.execute(db);
      await db.schema
        .createTable("catalog_versions")
        .addColumn("entry_id", "text", (c) => c.notNull().references("catalog_entries.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','submitted','returned','published','superseded','withdrawn')`))
        .addColumn("content", "jsonb", (c) => c.notNull())
        .addColumn("reason", "text")
        .addColumn("review_note", "text")
        .addColumn("created_by", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("submitted_at", "timestamptz")
        .addColumn("reviewed_by", "text")
        .addColumn("reviewed_at", "timestamptz")
        .addColumn("published_at", "timestamptz")
        .addColumn("ledger_index", "bigint")
        .addColumn("withdrawn_ledger_index", "bigint")
        .addPrimaryKeyConstraint("catalog_versions_pk", ["entry_id", "version"])
        .execute();
      await sql`create index catalog_versions_ledger_idx on catalog_versions (ledger_index) where ledger_index is not null`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("catalog_versions").execute();
      await db.schema.dropTable("catalog_entries").execute();
    },
  },
  // Search at 100,000 entries (bench/catalog-search): one GIN over the text tokens plus the status and
  // facet values as tokens, so text and facet filters intersect inside the index. It replaces the GIN
  // over search_tokens alone (search.ts no longer queries that), keeping one GIN to maintain on writes.
  "20261124_0300_catalog_search_key_gin": {
    async up(db: Kysely<any>) {
      await sql`create index catalog_entries_search_key_gin on catalog_entries using gin (${sql.raw(SEARCH_KEY_SQL)})`.execute(db);
      await sql`drop index if exists catalog_entries_tokens_gin`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`create index if not exists catalog_entries_tokens_gin on catalog_entries using gin (search_tokens)`.execute(db);
      await sql`drop index if exists catalog_entries_search_key_gin`.execute(db);
    },
  },
};
