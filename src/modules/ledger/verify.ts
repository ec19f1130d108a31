/**
 * Pure verification functions (no database, no network): what `gongshu verify` and any third
 * party run to check the ledger offline. Each failure names what failed.
 */
import { canonicalJson, digest, parseDigest } from "./canonical.ts";
import { HASH_SIZE, leafHash as hashLeaf, type LedgerHash } from "./hash.ts";
import { verifyConsistencyProof, verifyInclusionProof } from "./merkle.ts";
import { NoteError, openNote, parseCheckpoint, parseVerifierKey, type NoteAlgorithm } from "./note.ts";
import { LedgerBundleSchema, LedgerLeafSchema, type LedgerBundle } from "./schema.ts";

export class LedgerVerifyError extends Error {
  override readonly name = "LedgerVerifyError";
}

export interface VerifiedCheckpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  signedBy: { name: string; keyId: number; algorithm: NoteAlgorithm }[];
}

/**
 * Verify a checkpoint note: every key in `vkeys` must have a valid signature on it (our policy:
 * both the Ed25519 and the SM2 key), signatures from other keys are ignored.
 */
export function verifyCheckpoint(noteText: string, vkeys: string[], opts: { origin?: string } = {}): VerifiedCheckpoint {
  if (vkeys.length === 0) throw new LedgerVerifyError("no verifier keys given");
  try {
    const verifiers = vkeys.map(parseVerifierKey);
    const opened = openNote(noteText, verifiers);
    for (const v of verifiers) {
      if (!opened.verified.some((s) => s.name === v.name && s.keyId === v.keyId)) {
        throw new LedgerVerifyError(`checkpoint is not signed by required ${v.algorithm} key ${v.name}+${v.keyId.toString(16).padStart(8, "0")}`);
      }
    }
    const cp = parseCheckpoint(opened.text, HASH_SIZE);
    if (opts.origin !== undefined && cp.origin !== opts.origin) {
      throw new LedgerVerifyError(`checkpoint origin ${JSON.stringify(cp.origin)} is not the expected ${JSON.stringify(opts.origin)}`);
    }
    return { origin: cp.origin, size: cp.size, rootHash: cp.rootHash, signedBy: opened.verified.map(({ name, keyId, algorithm }) => ({ name, keyId, algorithm })) };
  } catch (e) {
    if (e instanceof LedgerVerifyError) throw e;
    if (e instanceof NoteError) throw new LedgerVerifyError(`checkpoint: ${e.message}`);
    throw e;
  }
}

function decodeHash(h: string | Uint8Array, what: string): Buffer {
  const b = typeof h === "string" ? Buffer.from(h, "base64") : Buffer.from(h);
  if (b.length !== HASH_SIZE || (typeof h === "string" && b.toString("base64") !== h)) throw new LedgerVerifyError(`${what} is not a base64 ${HASH_SIZE}-byte hash`);
  return b;
}

export interface VerifyInclusionOptions {
  hash: LedgerHash;
  /** The leaf bytes (a string is taken as UTF-8), or its leaf hash via `leafHash`. */
  leaf?: string | Uint8Array;
  leafHash?: Uint8Array;
  index: number;
  size: number;
  proof: (string | Uint8Array)[];
  rootHash: Uint8Array;
}

/** Throws unless the leaf is at `index` in the tree of `size` leaves whose head is `rootHash`. */
export function verifyInclusion(o: VerifyInclusionOptions): void {
  const lh = o.leafHash ?? (o.leaf !== undefined ? hashLeaf(o.hash, typeof o.leaf === "string" ? Buffer.from(o.leaf, "utf8") : o.leaf) : undefined);
  if (!lh) throw new LedgerVerifyError("inclusion: neither leaf nor leaf hash given");
  if (!Number.isInteger(o.index) || o.index < 0 || o.index >= o.size) throw new LedgerVerifyError(`inclusion: leaf index ${o.index} is not inside tree size ${o.size}`);
  const proof = o.proof.map((p, i) => decodeHash(p, `inclusion proof hash #${i}`));
  if (!verifyInclusionProof(o.hash, lh, o.index, o.size, proof, o.rootHash)) {
    throw new LedgerVerifyError(`inclusion proof for leaf ${o.index} does not lead to the root hash of tree size ${o.size}`);
  }
}

export interface VerifyConsistencyOptions {
  hash: LedgerHash;
  oldSize: number;
  newSize: number;
  oldRoot: Uint8Array;
  newRoot: Uint8Array;
  proof: (string | Uint8Array)[];
}

/** Throws unless the tree (oldSize, oldRoot) is a prefix of the tree (newSize, newRoot). */
export function verifyConsistency(o: VerifyConsistencyOptions): void {
  if (o.oldSize > o.newSize) throw new LedgerVerifyError(`consistency: old size ${o.oldSize} is larger than new size ${o.newSize} (the log shrank)`);
  const proof = o.proof.map((p, i) => decodeHash(p, `consistency proof hash #${i}`));
  if (!verifyConsistencyProof(o.hash, o.oldSize, o.newSize, o.oldRoot, o.newRoot, proof)) {
    throw new LedgerVerifyError(`consistency proof from tree size ${o.oldSize} to ${o.newSize} failed: the log was rewritten or the proof is wrong`);
  }
}

export interface BundleFailure {
  subject: string;
  reason: string;
  reasonZh: string;
}

export interface BundleResult {
  ok: boolean;
  /** Items that passed every check. */
  checked: number;
  failures: BundleFailure[];
  /** The verified checkpoint, when its signatures were good. */
  checkpoint?: VerifiedCheckpoint;
}

export interface VerifyBundleOptions {
  /** Pinned verifier keys; when absent the bundle's own `vkeys` are trusted. */
  vkeys?: string[];
  /** Expected hash function; when absent the bundle's `hash` is used. */
  hash?: LedgerHash;
  /** Expected checkpoint origin. */
  origin?: string;
}

/** Subject used in failures that concern the whole bundle rather than one item. */
export const BUNDLE_SUBJECT = "(bundle)";

/**
 * Verify a bundle: the checkpoint's signatures (every key), then for each item that the digest of
 * its content equals the digest in its leaf, that the leaf's subject matches, and that the leaf is
 * included in the checkpoint's tree.
 */
export function verifyBundle(input: unknown, opts: VerifyBundleOptions = {}): BundleResult {
  const parsed = LedgerBundleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "bundle";
    return { ok: false, checked: 0, failures: [{ subject: BUNDLE_SUBJECT, reason: `malformed bundle at ${where}: ${issue?.message ?? "invalid"}`, reasonZh: `校验包格式错误（${where}）` }] };
  }
  const bundle: LedgerBundle = parsed.data;
  const hash = opts.hash ?? bundle.hash;
  if (bundle.hash !== hash) {
    return { ok: false, checked: 0, failures: [{ subject: BUNDLE_SUBJECT, reason: `bundle uses hash ${bundle.hash}, expected ${hash}`, reasonZh: `校验包使用的杂凑算法 ${bundle.hash} 与预期 ${hash} 不符` }] };
  }
  let cp: VerifiedCheckpoint;
  try {
    cp = verifyCheckpoint(bundle.checkpoint, opts.vkeys ?? bundle.vkeys, { origin: opts.origin });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, checked: 0, failures: [{ subject: BUNDLE_SUBJECT, reason: msg, reasonZh: `检查点签名验证失败：${msg}` }] };
  }
  const failures: BundleFailure[] = [];
  let checked = 0;
  for (const item of bundle.items) {
    const fail = (reason: string, reasonZh: string): void => {
      failures.push({ subject: item.subject, reason: `${item.subject}: ${reason}`, reasonZh: `${item.subject}：${reasonZh}` });
    };
    let leafJson: unknown;
    try {
      leafJson = JSON.parse(item.leaf);
    } catch {
      fail("leaf is not JSON", "账本叶子不是合法 JSON");
      continue;
    }
    const leaf = LedgerLeafSchema.safeParse(leafJson);
    if (!leaf.success || canonicalJson(leafJson) !== item.leaf) {
      fail("leaf is not a canonical version-1 ledger leaf", "账本叶子格式不规范");
      continue;
    }
    if (leaf.data.subject !== item.subject) {
      fail(`leaf records subject ${JSON.stringify(leaf.data.subject)}, not this one`, `账本记录的主体为 ${leaf.data.subject}，与本项不符`);
      continue;
    }
    if (!leaf.data.digest) {
      fail("leaf records no content digest", "账本叶子未记录内容摘要");
      continue;
    }
    let want: string;
    try {
      want = digest(item.content, parseDigest(leaf.data.digest).hash);
    } catch (e) {
      fail(`cannot digest content: ${e instanceof Error ? e.message : String(e)}`, "无法计算内容摘要");
      continue;
    }
    if (want !== leaf.data.digest) {
      fail(`content digest ${want} does not match the recorded ${leaf.data.digest} (content was modified)`, "内容摘要与账本记录不一致（内容已被篡改）");
      continue;
    }
    try {
      verifyInclusion({ hash, leaf: item.leaf, index: item.leafIndex, size: cp.size, proof: item.proof, rootHash: cp.rootHash });
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e), "包含性证明验证失败（该记录不在已签名的账本中）");
      continue;
    }
    checked += 1;
  }
  return { ok: failures.length === 0, checked, failures, checkpoint: cp };
}
