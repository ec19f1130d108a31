import crypto from "node:crypto";

/**
 * The hash function of a ledger. SM3 (GB/T 32905) is the default for national cryptography
 * compliance; SHA-256 makes the log byte-compatible with existing tlog-tiles / CT tooling.
 * Both produce 32-byte digests, so tiles and proofs have the same shape either way.
 */
export type LedgerHash = "sm3" | "sha256";

export const LEDGER_HASHES: readonly LedgerHash[] = ["sm3", "sha256"];

/** Every supported hash is 32 bytes wide (tiles are 256 × 32 = 8,192 bytes). */
export const HASH_SIZE = 32;

export function isLedgerHash(x: unknown): x is LedgerHash {
  return x === "sm3" || x === "sha256";
}

/** H(parts[0] || parts[1] || …). */
export function hashBytes(alg: LedgerHash, ...parts: Uint8Array[]): Buffer {
  const h = crypto.createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** RFC 9162 §2.1.1: leaf hash = H(0x00 || leaf). */
export function leafHash(alg: LedgerHash, leaf: Uint8Array): Buffer {
  return hashBytes(alg, LEAF_PREFIX, leaf);
}

/** RFC 9162 §2.1.1: interior node hash = H(0x01 || left || right). */
export function nodeHash(alg: LedgerHash, left: Uint8Array, right: Uint8Array): Buffer {
  return hashBytes(alg, NODE_PREFIX, left, right);
}

/** RFC 9162 §2.1.1: the hash of the empty tree is H() of the empty string. */
export function emptyRoot(alg: LedgerHash): Buffer {
  return hashBytes(alg);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
