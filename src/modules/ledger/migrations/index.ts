import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Ledger tables. The log is append-only: nothing in this module updates or deletes an entry or a
 * checkpoint, and every checkpoint is checked for consistency with the previous one before it is
 * signed, so a rewritten row is refused rather than signed over.
 */
// Typed with `satisfies` against kysely/migration's Migration (kysely 0.29 moved it out of the
// root export), so the object is assignable to core's `ModuleMigrations` record.
export const ledgerMigrations = {
  "20261123_0300_ledger_init": {
    // biome-ignore lint: migrations work on the untyped shared handle.
    async up(db: Kysely<any>): Promise<void> {
      // One row: the log's identity (origin, hash function) and its size. Appends take this row's
      // lock (UPDATE … RETURNING) until their transaction ends, which makes indexes gapless and
      // commits happen in index order, on PGlite and on a PostgreSQL server alike.
      await db.schema
        .createTable("ledger_state")
        .addColumn("id", "smallint", (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull().check(sql`hash in ('sm3', 'sha256')`))
        .addColumn("size", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable("ledger_entries")
        .addColumn("idx", "bigint", (c) => c.primaryKey().check(sql`idx >= 0`))
        // The canonical JSON leaf, as UTF-8 bytes: exactly what is hashed and served in entry bundles.
        .addColumn("leaf", "bytea", (c) => c.notNull().check(sql`octet_length(leaf) <= 65535`))
        .addColumn("leaf_hash", "bytea", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex("ledger_entries_subject_idx").on("ledger_entries").columns(["subject", "idx"]).execute();
      await db.schema.createIndex("ledger_entries_kind_idx").on("ledger_entries").columns(["kind", "idx"]).execute();

      await db.schema
        .createTable("ledger_checkpoints")
        .addColumn("size", "bigint", (c) => c.primaryKey())
        .addColumn("root_hash", "bytea", (c) => c.notNull())
        .addColumn("note", "text", (c) => c.notNull())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      // Signing keys, created at first start. NOTE: private keys sit in the database here; a
      // production deployment should move them to a KMS/HSM (a signer interface is all that the
      // service needs) and keep only the public halves in this table.
      await db.schema
        .createTable("ledger_keys")
        .addColumn("algorithm", "text", (c) => c.primaryKey().check(sql`algorithm in ('ed25519', 'sm2')`))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("public_key", "text", (c) => c.notNull())
        .addColumn("private_key", "text", (c) => c.notNull())
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
    // biome-ignore lint: migrations work on the untyped shared handle.
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable("ledger_keys").ifExists().execute();
      await db.schema.dropTable("ledger_checkpoints").ifExists().execute();
      await db.schema.dropTable("ledger_entries").ifExists().execute();
      await db.schema.dropTable("ledger_state").ifExists().execute();
    },
  },
} satisfies Record<string, Migration>;
