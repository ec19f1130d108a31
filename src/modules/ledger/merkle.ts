/**
 * RFC 9162 (Certificate Transparency v2) Merkle trees: tree heads, inclusion proofs and
 * consistency proofs. Section numbers below refer to RFC 9162 §2.1.
 *
 * `MerkleTree` keeps every level of full, aligned subtree hashes in memory (about 2n hashes for n
 * leaves, ~6.4 MB for 100k leaves), updated incrementally on append, so a tree head or a proof
 * costs O(log n) hash operations. The level hashes are also exactly what tlog tiles contain.
 */
import { bytesEqual, emptyRoot, HASH_SIZE, nodeHash, type LedgerHash } from "./hash.ts";

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

export class MerkleTree {
  /** levels[l][i] = MTH of the full subtree D[i·2^l : (i+1)·2^l]; levels[0] are the leaf hashes. */
  private readonly levels: Buffer[][] = [[]];

  constructor(
    readonly alg: LedgerHash,
    leafHashes: Iterable<Uint8Array> = [],
  ) {
    for (const h of leafHashes) this.append(h);
  }

  get size(): number {
    return this.levels[0].length;
  }

  /** Add one leaf hash, completing every full subtree it closes. */
  append(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`leaf hash must be ${HASH_SIZE} bytes`);
    let h: Buffer = Buffer.from(leafHash);
    let level = 0;
    for (;;) {
      const row = this.levels[level];
      row.push(h);
      if (row.length % 2 === 1) break;
      h = nodeHash(this.alg, row[row.length - 2], row[row.length - 1]);
      level += 1;
      if (!this.levels[level]) this.levels[level] = [];
    }
  }

  leafHash(index: number): Buffer {
    const h = this.levels[0][index];
    if (!h) throw new RangeError(`leaf ${index} not in tree of size ${this.size}`);
    return h;
  }

  /** Hash of the full subtree at `level`, `index` (covering 2^level leaves); it must be complete. */
  fullSubtree(level: number, index: number): Buffer {
    const h = this.levels[level]?.[index];
    if (!h) throw new RangeError(`subtree ${level}/${index} is not complete in tree of size ${this.size}`);
    return h;
  }

  /** MTH(D[start:end]) (§2.1.1) for any range inside the current tree. */
  hash(start: number, end: number): Buffer {
    if (start < 0 || end > this.size || start > end) throw new RangeError(`range [${start}, ${end}) outside tree of size ${this.size}`);
    const n = end - start;
    if (n === 0) return emptyRoot(this.alg);
    if (isPowerOfTwo(n) && start % n === 0) return this.fullSubtree(Math.log2(n), start / n);
    const k = splitPoint(n);
    return nodeHash(this.alg, this.hash(start, start + k), this.hash(start + k, end));
  }

  /** Tree head of the first `size` leaves. */
  root(size: number = this.size): Buffer {
    return this.hash(0, size);
  }

  /** §2.1.3.1 PATH(m, D[0:size]): the audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    checkSize(size, this.size);
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf index ${index} not in tree of size ${size}`);
    const out: Buffer[] = [];
    this.path(index, 0, size, out);
    return out;
  }

  private path(m: number, start: number, end: number, out: Buffer[]): void {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, start + k, out);
      out.push(this.hash(start + k, end));
    } else {
      this.path(m - k, start + k, end, out);
      out.push(this.hash(start, start + k));
    }
  }

  /** §2.1.4.1 PROOF(m, D[0:n]): proves the tree of `oldSize` leaves is a prefix of the tree of `newSize`. */
  consistencyProof(oldSize: number, newSize: number = this.size): Buffer[] {
    checkSize(newSize, this.size);
    if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new RangeError(`old size ${oldSize} must be between 0 and ${newSize}`);
    const out: Buffer[] = [];
    if (oldSize === 0 || oldSize === newSize) return out;
    this.subproof(oldSize, 0, newSize, true, out);
    return out;
  }

  private subproof(m: number, start: number, end: number, b: boolean, out: Buffer[]): void {
    const n = end - start;
    if (m === n) {
      if (!b) out.push(this.hash(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, start + k, b, out);
      out.push(this.hash(start + k, end));
    } else {
      this.subproof(m - k, start + k, end, false, out);
      out.push(this.hash(start, start + k));
    }
  }
}

function checkSize(size: number, have: number): void {
  if (!Number.isInteger(size) || size < 0 || size > have) throw new RangeError(`tree size ${size} must be between 0 and ${have}`);
}

/** Tree head of a list of leaf hashes. */
export function rootFromLeafHashes(alg: LedgerHash, leafHashes: Uint8Array[]): Buffer {
  return new MerkleTree(alg, leafHashes).root();
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * §2.1.3.2: verify that `leafHash` is leaf `index` of the tree of `size` leaves with head `root`.
 * Works on plain numbers (exact up to 2^53) instead of 32-bit bit operations.
 */
export function verifyInclusionProof(
  alg: LedgerHash,
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  if (leafHash.length !== HASH_SIZE || root.length !== HASH_SIZE) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (p.length !== HASH_SIZE) return false;
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(alg, p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(alg, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * §2.1.4.2: verify that the tree of `oldSize` leaves with head `oldRoot` is a prefix of the tree
 * of `newSize` leaves with head `newRoot`. Equal sizes need an empty proof and equal heads; an
 * empty old tree is a prefix of everything (empty proof).
 */
export function verifyConsistencyProof(
  alg: LedgerHash,
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: Uint8Array[],
): boolean {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldRoot.length !== HASH_SIZE || newRoot.length !== HASH_SIZE) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, emptyRoot(alg));
  if (proof.length === 0) return false;
  const path: Uint8Array[] = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(alg, c, fr);
      sr = nodeHash(alg, c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(alg, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
