/**
 * The ledger's SQL. Only the ledger service calls these; other modules go through the service.
 */
import { sql, type ColumnType, type Generated, type Kysely, type Transaction } from "kysely";
import type { LedgerHash } from "./hash.ts";

/** int8: read as number (core/db.ts parser) or string (other drivers), written as number. */
type Int8 = ColumnType<number | string, number, number>;

export interface LedgerTables {
  ledger_state: { id: number; origin: string; hash: string; size: Int8; created_at: Generated<Date> };
  ledger_entries: { idx: Int8; leaf: Buffer; leaf_hash: Buffer; kind: string; subject: string; created_at: Generated<Date> };
  ledger_checkpoints: { size: Int8; root_hash: Buffer; note: string; created_at: Generated<Date> };
  ledger_keys: { algorithm: string; name: string; public_key: string; private_key: string; created_at: Generated<Date> };
}

export type LedgerDb = Kysely<LedgerTables>;
export type LedgerTx = Transaction<LedgerTables>;

// int8 arrives as number (core/db.ts sets a parser) or as string on other drivers; accept both.
const num = (v: number | string): number => (typeof v === "number" ? v : Number.parseInt(v, 10));

export interface StateRow {
  origin: string;
  hash: string;
  size: number;
}

export async function readState(db: LedgerDb): Promise<StateRow | undefined> {
  const row = await db.selectFrom("ledger_state").select(["origin", "hash", "size"]).where("id", "=", 1).executeTakeFirst();
  return row && { origin: row.origin, hash: row.hash, size: num(row.size) };
}

export async function initState(db: LedgerDb, origin: string, hash: LedgerHash): Promise<void> {
  await db.insertInto("ledger_state").values({ id: 1, origin, hash, size: 0 }).onConflict((oc) => oc.column("id").doNothing()).execute();
}

/** Take the next index; holds the state row's lock until `tx` ends (gapless, commit-ordered). */
export async function allocateIndex(tx: LedgerDb): Promise<number> {
  const row = await tx
    .updateTable("ledger_state")
    .set({ size: sql<number>`size + 1` })
    .where("id", "=", 1)
    .returning("size")
    .executeTakeFirst();
  if (!row) throw new Error("ledger is not initialised (no ledger_state row)");
  return num(row.size) - 1;
}

/** Allocate `n` consecutive indexes (group commit); returns the first. */
export async function allocateIndexes(tx: LedgerDb, n: number): Promise<number> {
  const row = await tx
    .updateTable("ledger_state")
    .set({ size: sql<number>`size + ${n}` })
    .where("id", "=", 1)
    .returning("size")
    .executeTakeFirst();
  if (!row) throw new Error("ledger is not initialised (no ledger_state row)");
  return num(row.size) - n;
}

export async function insertEntries(tx: LedgerDb, es: { idx: number; leaf: Buffer; leafHash: Buffer; kind: string; subject: string; createdAt: Date }[]): Promise<void> {
  if (!es.length) return;
  await tx
    .insertInto("ledger_entries")
    .values(es.map((e) => ({ idx: e.idx, leaf: e.leaf, leaf_hash: e.leafHash, kind: e.kind, subject: e.subject, created_at: e.createdAt })))
    .execute();
}

export async function insertEntry(tx: LedgerDb, e: { idx: number; leaf: Buffer; leafHash: Buffer; kind: string; subject: string; createdAt: Date }): Promise<void> {
  await tx
    .insertInto("ledger_entries")
    .values({ idx: e.idx, leaf: e.leaf, leaf_hash: e.leafHash, kind: e.kind, subject: e.subject, created_at: e.createdAt })
    .execute();
}

/** Leaf hashes with idx in [from, from + limit), in order. */
export async function readLeafHashes(db: LedgerDb, from: number, limit: number): Promise<{ idx: number; leafHash: Buffer }[]> {
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["idx", "leaf_hash"])
    .where("idx", ">=", from)
    .where("idx", "<", from + limit)
    .orderBy("idx")
    .execute();
  return rows.map((r) => ({ idx: num(r.idx), leafHash: r.leaf_hash }));
}

export interface EntryRow {
  idx: number;
  leaf: Buffer;
  leafHash: Buffer;
  kind: string;
  subject: string;
  createdAt: Date;
}

const toEntry = (r: { idx: number | string; leaf: Buffer; leaf_hash: Buffer; kind: string; subject: string; created_at: Date }): EntryRow => ({
  idx: num(r.idx),
  leaf: r.leaf,
  leafHash: r.leaf_hash,
  kind: r.kind,
  subject: r.subject,
  createdAt: r.created_at,
});

export async function readEntry(db: LedgerDb, idx: number): Promise<EntryRow | undefined> {
  const r = await db.selectFrom("ledger_entries").selectAll().where("idx", "=", idx).executeTakeFirst();
  return r && toEntry(r);
}

export async function readEntries(db: LedgerDb, from: number, to: number): Promise<EntryRow[]> {
  const rows = await db.selectFrom("ledger_entries").selectAll().where("idx", ">=", from).where("idx", "<", to).orderBy("idx").execute();
  return rows.map(toEntry);
}

export async function readEntriesBySubject(db: LedgerDb, subject: string, limit: number): Promise<EntryRow[]> {
  const rows = await db.selectFrom("ledger_entries").selectAll().where("subject", "=", subject).orderBy("idx", "desc").limit(limit).execute();
  return rows.map(toEntry);
}

export interface CheckpointRow {
  size: number;
  rootHash: Buffer;
  note: string;
}

export async function readLatestCheckpoint(db: LedgerDb): Promise<CheckpointRow | undefined> {
  const r = await db.selectFrom("ledger_checkpoints").select(["size", "root_hash", "note"]).orderBy("size", "desc").limit(1).executeTakeFirst();
  return r && { size: num(r.size), rootHash: r.root_hash, note: r.note };
}

export async function insertCheckpoint(db: LedgerDb, c: CheckpointRow): Promise<void> {
  await db
    .insertInto("ledger_checkpoints")
    .values({ size: c.size, root_hash: c.rootHash, note: c.note })
    .onConflict((oc) => oc.column("size").doNothing())
    .execute();
}

export async function readCheckpointAt(db: LedgerDb, size: number): Promise<CheckpointRow | undefined> {
  const r = await db.selectFrom("ledger_checkpoints").select(["size", "root_hash", "note"]).where("size", "=", size).executeTakeFirst();
  return r && { size: num(r.size), rootHash: r.root_hash, note: r.note };
}

export interface KeyRow {
  algorithm: string;
  name: string;
  publicKey: string;
  privateKey: string;
}

export async function readKeys(db: LedgerDb): Promise<KeyRow[]> {
  const rows = await db.selectFrom("ledger_keys").select(["algorithm", "name", "public_key", "private_key"]).execute();
  return rows.map((r) => ({ algorithm: r.algorithm, name: r.name, publicKey: r.public_key, privateKey: r.private_key }));
}

export async function insertKey(db: LedgerDb, k: KeyRow): Promise<void> {
  await db
    .insertInto("ledger_keys")
    .values({ algorithm: k.algorithm, name: k.name, public_key: k.publicKey, private_key: k.privateKey })
    .onConflict((oc) => oc.column("algorithm").doNothing())
    .execute();
}
