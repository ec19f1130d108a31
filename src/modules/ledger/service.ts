/**
 * The ledger service: a tamper-evident, append-only log (RFC 9162 Merkle tree, C2SP tlog-tiles
 * layout, checkpoints as C2SP signed notes co-signed with Ed25519 and SM2).
 *
 * Other modules call `append(tx, …)` inside their own transaction, so the audit record commits or
 * rolls back together with the change it records. Appends serialise on the one ledger_state row
 * (held until the caller's transaction ends): indexes are gapless and commit in order, at the cost
 * of one append-holding transaction at a time — keep transactions that append short.
 *
 * Reads (checkpoints, proofs, tiles) use an in-memory copy of the tree's level hashes, brought up
 * to date from committed rows before each read, so a proof costs O(log n) hashes.
 */
import type { Db, Tx } from "../../core/db.ts";
import { InvalidError, NotFoundError } from "../../core/errors.ts";
import { canonicalJson, parseDigest } from "./canonical.ts";
import { leafHash as hashLeaf, type LedgerHash } from "./hash.ts";
import { MerkleTree } from "./merkle.ts";
import {
  ed25519Signer,
  ed25519VerifierKey,
  formatCheckpoint,
  generateEd25519Key,
  generateSm2Key,
  signNote,
  sm2Signer,
  sm2VerifierKey,
  type NoteSigner,
} from "./note.ts";
import type { ConsistencyProofResponse, InclusionProofResponse, LedgerBundle, LedgerEntryResponse } from "./schema.ts";
import * as store from "./store.ts";
import { encodeEntryBundle, MAX_ENTRY_BYTES, parseTilePath, tileBytes, tileExists, TILE_WIDTH } from "./tiles.ts";

export interface LedgerAppendEntry {
  /** What happened, dotted: "catalog.entry.published", "sharing.application.approved", … */
  kind: string;
  /** What it happened to (an id or a national code). */
  subject: string;
  actor?: string | null;
  /** Digest of the content concerned ("sm3:<hex>" / "sha256:<hex>"), see canonical.ts `digest`. */
  digest?: string;
  data?: Record<string, unknown>;
}

export interface LedgerAppendResult {
  index: number;
  /** Hex leaf hash. */
  leafHash: string;
}

export interface LedgerTile {
  bytes: Buffer;
  contentType: "application/octet-stream";
}

export interface LedgerBundleRequestItem {
  subject: string;
  content: unknown;
  leafIndex: number;
}

export interface LedgerService {
  readonly origin: string;
  readonly hash: LedgerHash;
  /** Append inside the caller's transaction. */
  append(tx: Tx, entry: LedgerAppendEntry): Promise<LedgerAppendResult>;
  /**
   * Append an entry that records nothing else (a data read): group-committed with the other entries
   * recorded meanwhile, in one transaction; resolves once committed (durable, gapless, in order).
   */
  record(entry: LedgerAppendEntry): Promise<LedgerAppendResult>;
  /** The latest signed checkpoint note; signs a new one when the tree has grown. */
  checkpoint(): Promise<string>;
  inclusionProof(index: number, treeSize: number): Promise<InclusionProofResponse>;
  consistencyProof(oldSize: number, newSize: number): Promise<ConsistencyProofResponse>;
  entry(index: number): Promise<LedgerEntryResponse>;
  /** Recent entries about a subject, newest first. */
  entriesBySubject(subject: string, limit?: number): Promise<LedgerEntryResponse[]>;
  /** A tlog-tiles resource: "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]". */
  tile(path: string): Promise<LedgerTile>;
  /** Verifier keys (vkey strings): Ed25519 first, then SM2. */
  verifierKeys(): string[];
  /** Number of committed entries. */
  size(): Promise<number>;
  /** An offline-verification bundle for the given items, against a freshly signed checkpoint. */
  bundle(items: LedgerBundleRequestItem[]): Promise<LedgerBundle>;
}

export interface LedgerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface CreateLedgerServiceOptions {
  db: Db;
  /** Hash function for a new log; an existing log must have been created with the same one. */
  hash?: LedgerHash;
  /** Checkpoint origin, e.g. "gongshu.example.gov.cn/ledger"; also the signing keys' name. */
  origin: string;
  log?: LedgerLogger;
}

const LOAD_BATCH = 20_000;
const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");

/** Serialise async work (tree sync, signing) within this process. */
function mutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

function presentEntry(e: store.EntryRow): LedgerEntryResponse {
  return { index: e.idx, kind: e.kind, subject: e.subject, leaf: e.leaf.toString("utf8"), leafHash: e.leafHash.toString("hex"), createdAt: e.createdAt.toISOString() };
}

async function loadOrCreateSigners(db: store.LedgerDb, origin: string, log?: LedgerLogger): Promise<{ signers: NoteSigner[]; vkeys: string[] }> {
  let keys = await store.readKeys(db);
  if (!keys.some((k) => k.algorithm === "ed25519")) {
    const k = generateEd25519Key();
    await store.insertKey(db, { algorithm: "ed25519", name: origin, publicKey: k.publicKey.toString("base64"), privateKey: k.seed.toString("base64") });
    log?.info({ origin }, "ledger: created Ed25519 signing key");
  }
  if (!keys.some((k) => k.algorithm === "sm2")) {
    const k = generateSm2Key();
    await store.insertKey(db, { algorithm: "sm2", name: origin, publicKey: k.publicKey, privateKey: k.privateKey });
    log?.info({ origin }, "ledger: created SM2 signing key");
  }
  keys = await store.readKeys(db); // re-read: another process may have won the insert race
  const ed = keys.find((k) => k.algorithm === "ed25519");
  const sm = keys.find((k) => k.algorithm === "sm2");
  if (!ed || !sm) throw new Error("ledger signing keys missing");
  return {
    signers: [ed25519Signer(ed.name, Buffer.from(ed.privateKey, "base64")), sm2Signer(sm.name, { privateKey: sm.privateKey, publicKey: sm.publicKey })],
    vkeys: [ed25519VerifierKey(ed.name, Buffer.from(ed.publicKey, "base64")), sm2VerifierKey(sm.name, sm.publicKey)],
  };
}

export async function createLedgerService(opts: CreateLedgerServiceOptions): Promise<LedgerService> {
  const db = opts.db as unknown as store.LedgerDb;
  const wanted: LedgerHash = opts.hash ?? "sm3";
  const origin = opts.origin;
  if (!origin || /[\s+]/.test(origin)) throw new Error(`ledger origin must be non-empty without spaces or "+": ${JSON.stringify(origin)}`);

  await store.initState(db, origin, wanted);
  const state = await store.readState(db);
  if (!state) throw new Error("ledger state row missing");
  if (state.hash !== wanted) {
    throw new Error(`ledger was created with hash ${state.hash}; refusing to open it with ${wanted} (the hash of a log cannot change)`);
  }
  if (state.origin !== origin) {
    throw new Error(`ledger was created with origin ${JSON.stringify(state.origin)}; refusing to open it as ${JSON.stringify(origin)}`);
  }
  const hash: LedgerHash = wanted;
  const { signers, vkeys } = await loadOrCreateSigners(db, origin, opts.log);

  const tree = new MerkleTree(hash);
  const serial = mutex();

  /** Bring the in-memory tree up to the committed entries (always a gapless prefix). */
  const sync = (): Promise<number> =>
    serial(async () => {
      for (;;) {
        const rows = await store.readLeafHashes(db, tree.size, LOAD_BATCH);
        for (const r of rows) {
          if (r.idx !== tree.size) return tree.size; // not yet visible (should not happen: commits are ordered)
          tree.append(r.leafHash);
        }
        if (rows.length < LOAD_BATCH) return tree.size;
      }
    });

  const requireSize = async (size: number, what: string): Promise<number> => {
    const have = await sync();
    if (size > have) throw new NotFoundError({ message: `账本当前只有 ${have} 条记录（${what}=${size}）`, messageEn: `The ledger has only ${have} entries (${what}=${size})`, field: what });
    return have;
  };

  const checkpoint = async (): Promise<string> => {
    await sync();
    return serial(async () => {
      const size = tree.size;
      const latest = await store.readLatestCheckpoint(db);
      if (latest && latest.size === size) return latest.note;
      if (latest && latest.size > size) throw new Error(`ledger has ${size} entries but a checkpoint for ${latest.size} exists`);
      // Never sign over a rewritten history: the new tree must extend the last signed one.
      if (latest && !tree.root(latest.size).equals(latest.rootHash)) {
        opts.log?.warn({ size: latest.size }, "ledger: stored entries do not match the last signed checkpoint");
        throw new Error(`ledger entries do not match the signed checkpoint at size ${latest.size}: the log was modified`);
      }
      const rootHash = tree.root(size);
      const note = signNote(formatCheckpoint({ origin, size, rootHash }), signers);
      await store.insertCheckpoint(db, { size, rootHash, note });
      const stored = await store.readCheckpointAt(db, size); // another process may have signed this size first
      return stored?.note ?? note;
    });
  };

  const inclusionProof = async (index: number, treeSize: number): Promise<InclusionProofResponse> => {
    if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
      throw new InvalidError({ message: `记录序号 ${index} 不在大小为 ${treeSize} 的账本树内`, messageEn: `Index ${index} is not inside tree size ${treeSize}`, field: "index" });
    }
    await requireSize(treeSize, "size");
    return { index, size: treeSize, leafHash: b64(tree.leafHash(index)), proof: tree.inclusionProof(index, treeSize).map(b64) };
  };

  const consistencyProof = async (oldSize: number, newSize: number): Promise<ConsistencyProofResponse> => {
    if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
      throw new InvalidError({ message: `一致性证明要求 0 ≤ from ≤ to（from=${oldSize}, to=${newSize}）`, messageEn: `Consistency proof needs 0 ≤ from ≤ to (from=${oldSize}, to=${newSize})`, field: "from" });
    }
    await requireSize(newSize, "to");
    return { from: oldSize, to: newSize, proof: tree.consistencyProof(oldSize, newSize).map(b64) };
  };

  const entry = async (index: number): Promise<LedgerEntryResponse> => {
    const e = Number.isSafeInteger(index) && index >= 0 ? await store.readEntry(db, index) : undefined;
    if (!e) throw new NotFoundError({ message: `账本记录 ${index} 不存在`, messageEn: `Ledger entry ${index} not found`, field: "index" });
    return presentEntry(e);
  };

  const tile = async (path: string): Promise<LedgerTile> => {
    const t = parseTilePath(path);
    const notFound = (): NotFoundError => new NotFoundError({ message: `瓦片 ${path} 不存在`, messageEn: `Tile ${path} not found` });
    if (!t) throw notFound();
    const size = await sync();
    if (!tileExists(t, size)) throw notFound();
    if (t.level === "entries") {
      const start = t.index * TILE_WIDTH;
      const rows = await store.readEntries(db, start, start + t.width);
      if (rows.length !== t.width) throw notFound();
      return { bytes: encodeEntryBundle(rows.map((r) => r.leaf)), contentType: "application/octet-stream" };
    }
    return { bytes: tileBytes(tree, t.level, t.index, t.width), contentType: "application/octet-stream" };
  };

  /** Validate an entry and build its leaf. */
  const prepare = (e: LedgerAppendEntry) => {
    if (!e.kind || !e.subject) throw new InvalidError({ message: "账本记录需要 kind 和 subject", messageEn: "A ledger entry needs a kind and a subject", field: e.kind ? "subject" : "kind" });
    if (e.digest !== undefined) {
      try {
        parseDigest(e.digest);
      } catch {
        throw new InvalidError({ message: "摘要格式应为 sm3:<hex> 或 sha256:<hex>", messageEn: "Digest must be sm3:<hex> or sha256:<hex>", field: "digest" });
      }
    }
    const createdAt = new Date();
    const leafJson = canonicalJson({ v: 1, kind: e.kind, subject: e.subject, actor: e.actor ?? null, digest: e.digest ?? null, data: e.data ?? null, at: createdAt.toISOString() });
    const leaf = Buffer.from(leafJson, "utf8");
    if (leaf.length > MAX_ENTRY_BYTES) {
      throw new InvalidError({ message: `账本记录过大（${leaf.length} 字节，上限 ${MAX_ENTRY_BYTES}）`, messageEn: `Ledger entry too large (${leaf.length} bytes, limit ${MAX_ENTRY_BYTES})`, field: "data" });
    }
    return { leaf, leafHash: hashLeaf(hash, leaf), kind: e.kind, subject: e.subject, createdAt };
  };

  const append = async (tx: Tx, e: LedgerAppendEntry): Promise<LedgerAppendResult> => {
    const p = prepare(e);
    const ltx = tx as unknown as store.LedgerDb;
    const index = await store.allocateIndex(ltx);
    await store.insertEntry(ltx, { idx: index, ...p });
    return { index, leafHash: p.leafHash.toString("hex") };
  };

  // Group commit: entries recorded while a batch commits go together in the next one.
  type Pending = ReturnType<typeof prepare> & { resolve: (r: LedgerAppendResult) => void; reject: (err: unknown) => void };
  const queue: Pending[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    await new Promise((r) => setImmediate(r)); // gather the entries of requests arriving together
    while (queue.length) {
      const batch = queue.splice(0, 500);
      try {
        const first = await db.transaction().execute(async (tx) => {
          const ltx = tx as unknown as store.LedgerDb;
          const f = await store.allocateIndexes(ltx, batch.length);
          await store.insertEntries(ltx, batch.map((b, i) => ({ idx: f + i, leaf: b.leaf, leafHash: b.leafHash, kind: b.kind, subject: b.subject, createdAt: b.createdAt })));
          return f;
        });
        batch.forEach((b, i) => b.resolve({ index: first + i, leafHash: b.leafHash.toString("hex") }));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    flushing = false;
  };
  const record = (e: LedgerAppendEntry): Promise<LedgerAppendResult> =>
    new Promise((resolve, reject) => {
      queue.push({ ...prepare(e), resolve, reject });
      if (!flushing) void flush();
    });

  const bundle = async (items: LedgerBundleRequestItem[]): Promise<LedgerBundle> => {
    const note = await checkpoint();
    const cpSize = Number(note.split("\n")[1]);
    const out: LedgerBundle["items"] = [];
    for (const it of items) {
      if (it.leafIndex >= cpSize) throw new InvalidError({ message: `记录 ${it.leafIndex} 尚未进入检查点`, messageEn: `Entry ${it.leafIndex} is not in the checkpoint yet`, field: "leafIndex" });
      const e = await entry(it.leafIndex);
      out.push({ subject: it.subject, content: it.content, leafIndex: it.leafIndex, leaf: e.leaf, proof: tree.inclusionProof(it.leafIndex, cpSize).map(b64) });
    }
    return { checkpoint: note, hash, vkeys: [...vkeys], items: out };
  };

  return {
    origin,
    hash,
    append,
    record,
    checkpoint,
    inclusionProof,
    consistencyProof,
    entry,
    entriesBySubject: async (subject, limit = 100) => (await store.readEntriesBySubject(db, subject, Math.min(Math.max(limit, 1), 1000))).map(presentEntry),
    tile,
    verifierKeys: () => [...vkeys],
    size: sync,
    bundle,
  };
}

