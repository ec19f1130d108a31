/**
 * C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles): the Merkle tree served as static "tiles"
 * of 256 consecutive hashes (tile height 8), entry bundles, and the checkpoint.
 *
 *   tile/<L>/<N>[.p/<W>]        hashes; level L tile N covers leaves [N·256^(L+1), (N+1)·256^(L+1))
 *   tile/entries/<N>[.p/<W>]    entries, each as a big-endian uint16 length + bytes
 *   checkpoint                  the signed checkpoint note
 *
 * <N> is written as zero-padded three-digit groups, all but the last prefixed with "x"
 * (1234067 → x001/x234/067).
 */
import { HASH_SIZE, type LedgerHash } from "./hash.ts";
import { MerkleTree } from "./merkle.ts";

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256; // 2^TILE_HEIGHT
export const CHECKPOINT_PATH = "checkpoint";

/** A hash tile (level ≥ 0) or an entry bundle (level "entries"); width 1..256, 256 = full. */
export interface TileCoord {
  level: number | "entries";
  index: number;
  width: number;
}

/** 1234067 → "x001/x234/067". */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad tile index ${n}`);
  let s = String(n % 1000).padStart(3, "0");
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    s = `x${String(rest % 1000).padStart(3, "0")}/${s}`;
  }
  return s;
}

/** The path of a tile or entry bundle, relative to the log prefix. */
export function tilePath(t: TileCoord): string {
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) throw new RangeError(`bad tile width ${t.width}`);
  if (t.level !== "entries" && (!Number.isInteger(t.level) || t.level < 0 || t.level > 63)) throw new RangeError(`bad tile level ${t.level}`);
  const base = `tile/${t.level}/${encodeTileIndex(t.index)}`;
  return t.width === TILE_WIDTH ? base : `${base}.p/${t.width}`;
}

/** Parse "tile/0/x001/234.p/5" (the leading "tile/" is required); null when not a valid path. */
export function parseTilePath(path: string): TileCoord | null {
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!m) return null;
  const level = m[1] === "entries" ? "entries" : Number(m[1]);
  if (typeof level === "number" && level > 63) return null;
  const groups = m[2] ? m[2].split("/").filter(Boolean).map((g) => g.slice(1)) : [];
  // No leading zero groups: the encoding of an index is unique ("x000/001" is not 1).
  if (groups.length > 0 && groups[0] === "000") return null;
  let index = 0;
  for (const g of [...groups, m[3]]) index = index * 1000 + Number(g);
  if (!Number.isSafeInteger(index)) return null;
  const width = m[4] ? Number(m[4]) : TILE_WIDTH;
  if (width > 255 && m[4]) return null;
  return { level, index, width };
}

/**
 * Every tile (full and partial, all levels) that exists for a tree of `size` leaves. A tree of
 * size 70,000 has 273 full level-0 tiles, a level-0 tile of width 112, a full level-1 tile, a
 * level-1 tile of width 17 and a level-2 tile of width 1.
 */
export function tilesForSize(size: number): TileCoord[] {
  const out: TileCoord[] = [];
  for (let level = 0; ; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level); // hashes present at this tile level
    if (hashes === 0) break;
    const full = Math.floor(hashes / TILE_WIDTH);
    for (let n = 0; n < full; n++) out.push({ level, index: n, width: TILE_WIDTH });
    const partial = hashes % TILE_WIDTH;
    if (partial > 0) out.push({ level, index: full, width: partial });
  }
  return out;
}

/** How many hashes (or entries, for level "entries") tree `size` has at the tile's level. */
export function hashesAtLevel(level: number | "entries", size: number): number {
  return Math.floor(size / TILE_WIDTH ** (level === "entries" ? 0 : level));
}

/** Does the tile lie inside a tree of `size` leaves (partial tiles: exactly its width)? */
export function tileExists(t: TileCoord, size: number): boolean {
  return (t.index * TILE_WIDTH + t.width) <= hashesAtLevel(t.level, size);
}

/** Source of full-subtree hashes: `fullSubtree(h, i)` = MTH of leaves [i·2^h, (i+1)·2^h). */
export interface SubtreeSource {
  fullSubtree(level: number, index: number): Uint8Array;
}

/** The bytes of hash tile (level, index, width): concatenated subtree hashes at height 8·level. */
export function tileBytes(source: SubtreeSource, level: number, index: number, width: number): Buffer {
  const out = Buffer.alloc(width * HASH_SIZE);
  for (let i = 0; i < width; i++) {
    const h = source.fullSubtree(TILE_HEIGHT * level, index * TILE_WIDTH + i);
    out.set(h, i * HASH_SIZE);
  }
  return out;
}

/** Build a hash tile directly from the leaf hashes of the whole tree. */
export function tileFromLeafHashes(alg: LedgerHash, leafHashes: Uint8Array[], level: number, index: number, width: number): Buffer {
  return tileBytes(new MerkleTree(alg, leafHashes), level, index, width);
}

/** Split tile bytes back into its hashes. */
export function tileHashes(bytes: Uint8Array): Buffer[] {
  if (bytes.length % HASH_SIZE !== 0) throw new RangeError("tile length is not a multiple of the hash size");
  const out: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += HASH_SIZE) out.push(Buffer.from(bytes.subarray(o, o + HASH_SIZE)));
  return out;
}

/** Maximum entry size in an entry bundle (uint16 length prefix). */
export const MAX_ENTRY_BYTES = 0xffff;

/** Entry bundle: each entry as big-endian uint16 length followed by its bytes. */
export function encodeEntryBundle(entries: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`entry of ${e.length} bytes does not fit an entry bundle`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(e.length);
    parts.push(len, Buffer.from(e));
  }
  return Buffer.concat(parts);
}

export function decodeEntryBundle(bytes: Uint8Array): Buffer[] {
  const buf = Buffer.from(bytes);
  const out: Buffer[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + 2 > buf.length) throw new RangeError("truncated entry bundle");
    const n = buf.readUInt16BE(o);
    if (o + 2 + n > buf.length) throw new RangeError("truncated entry bundle");
    out.push(buf.subarray(o + 2, o + 2 + n));
    o += 2 + n;
  }
  return out;
}
