/**
 * C2SP signed notes (https://c2sp.org/signed-note) and tlog checkpoints
 * (https://c2sp.org/tlog-checkpoint), compatible with Go's golang.org/x/mod/sumdb/note.
 *
 *   <text ending in \n>
 *   <blank line>
 *   — <key name> <base64(4-byte key ID || signature)>\n   (one line per signature)
 *
 * key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], and a verifier key is
 * written `<name>+<hex key ID>+<base64(signature type || public key)>`.
 *
 * Signature types used here:
 * - 0x01: Ed25519 over the note text (as the spec defines), so any standard tlog verifier can
 *   check our checkpoints.
 * - SM2: the signed-note spec assigns no byte to SM2. Its byte 0xff is "reserved for signature
 *   types without an identifier byte assigned by this specification", RECOMMENDED to be followed
 *   by a longer identifier unlikely to collide. So our SM2 "signature type" is the byte string
 *   0xff || "gongshu.sm2.v1" (ASCII), used both in the key ID hash and in the vkey encoding,
 *   followed by the 65-byte uncompressed public key (04 || x || y). The signature is standard
 *   GB/T 32918.2 SM2 with SM3 and the Z value for the default user ID "1234567812345678",
 *   encoded as the fixed 64 bytes r || s (big-endian, 32 bytes each; not DER).
 *   Verifiers that do not know this key ignore its signature line, as the spec requires.
 */
import crypto from "node:crypto";
import { sm2 } from "sm-crypto-v2";

export type NoteAlgorithm = "ed25519" | "sm2";

export const ED25519_TYPE = Uint8Array.of(0x01);
/** 0xff || "gongshu.sm2.v1" — see the module comment. */
export const SM2_TYPE = Buffer.concat([Buffer.of(0xff), Buffer.from("gongshu.sm2.v1", "ascii")]);
/** GB/T 32918 / GM/T 0009 default distinguishing identifier. */
export const SM2_DEFAULT_USER_ID = "1234567812345678";

export class NoteError extends Error {
  override readonly name = "NoteError";
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly algorithm: NoteAlgorithm;
  sign(msg: Uint8Array): Buffer;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly algorithm: NoteAlgorithm;
  /** The vkey string this verifier was made from. */
  readonly vkey: string;
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** Key names: non-empty, no Unicode spaces, no "+" (and, for note syntax, no control characters). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

/** key ID = first 4 bytes (big-endian uint32) of SHA-256(name || 0x0A || type || public key). */
export function computeKeyId(name: string, typeAndKey: Uint8Array): number {
  const h = crypto.createHash("sha256").update(name, "utf8").update(Buffer.of(0x0a)).update(typeAndKey).digest();
  return h.readUInt32BE(0);
}

const hex8 = (id: number): string => id.toString(16).padStart(8, "0");

export function formatVerifierKey(name: string, typeAndKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
  return `${name}+${hex8(computeKeyId(name, typeAndKey))}+${Buffer.from(typeAndKey).toString("base64")}`;
}

// ---- Ed25519 ----------------------------------------------------------------------------

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function ed25519PrivateFromSeed(seed: Uint8Array): crypto.KeyObject {
  if (seed.length !== 32) throw new NoteError("Ed25519 seed must be 32 bytes");
  return crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
}

function ed25519RawPublic(key: crypto.KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  if (!jwk.x) throw new NoteError("not an Ed25519 key");
  return Buffer.from(jwk.x, "base64url");
}

function ed25519PublicFromRaw(pub: Uint8Array): crypto.KeyObject {
  return crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(pub).toString("base64url") }, format: "jwk" });
}

export interface Ed25519KeyMaterial {
  /** 32-byte RFC 8032 private key seed. */
  seed: Buffer;
  /** 32-byte public key. */
  publicKey: Buffer;
}

export function generateEd25519Key(): Ed25519KeyMaterial {
  const { privateKey } = crypto.generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  if (!jwk.d || !jwk.x) throw new NoteError("Ed25519 key export failed");
  return { seed: Buffer.from(jwk.d, "base64url"), publicKey: Buffer.from(jwk.x, "base64url") };
}

export function ed25519Signer(name: string, seed: Uint8Array): NoteSigner {
  const priv = ed25519PrivateFromSeed(seed);
  const pub = ed25519RawPublic(crypto.createPublicKey(priv));
  const keyId = computeKeyId(name, Buffer.concat([ED25519_TYPE, pub]));
  return { name, keyId, algorithm: "ed25519", sign: (msg) => crypto.sign(null, msg, priv) };
}

export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new NoteError("Ed25519 public key must be 32 bytes");
  return formatVerifierKey(name, Buffer.concat([ED25519_TYPE, publicKey]));
}

/** Parse Go's "PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>" signer key format. */
export function parseEd25519SignerKey(skey: string): NoteSigner {
  const m = /^PRIVATE\+KEY\+([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(skey);
  if (!m) throw new NoteError("malformed signer key");
  const raw = Buffer.from(m[3], "base64");
  if (raw.length !== 33 || raw[0] !== 0x01) throw new NoteError("unsupported signer key");
  const signer = ed25519Signer(m[1], raw.subarray(1));
  if (hex8(signer.keyId) !== m[2]) throw new NoteError("signer key ID does not match");
  return signer;
}

// ---- SM2 --------------------------------------------------------------------------------

export interface Sm2KeyMaterial {
  /** 32-byte private key, hex. */
  privateKey: string;
  /** Uncompressed public key 04 || x || y, hex (130 characters). */
  publicKey: string;
}

export function generateSm2Key(): Sm2KeyMaterial {
  const kp = sm2.generateKeyPairHex();
  return { privateKey: kp.privateKey, publicKey: kp.publicKey };
}

/** GB/T 32918.2 signature with SM3 and Z(ID, public key); returns r || s (64 bytes). */
export function sm2Sign(msg: Uint8Array, key: Sm2KeyMaterial, userId: string = SM2_DEFAULT_USER_ID): Buffer {
  const sigHex = sm2.doSignature(msg, key.privateKey, { hash: true, der: false, publicKey: key.publicKey, userId });
  return Buffer.from(sigHex, "hex");
}

export function sm2Verify(msg: Uint8Array, sig: Uint8Array, publicKeyHex: string, userId: string = SM2_DEFAULT_USER_ID): boolean {
  if (sig.length !== 64) return false;
  try {
    return sm2.doVerifySignature(msg, Buffer.from(sig).toString("hex"), publicKeyHex, { hash: true, der: false, userId });
  } catch {
    return false;
  }
}

export function sm2Signer(name: string, key: Sm2KeyMaterial): NoteSigner {
  const keyId = computeKeyId(name, Buffer.concat([SM2_TYPE, Buffer.from(key.publicKey, "hex")]));
  return { name, keyId, algorithm: "sm2", sign: (msg) => sm2Sign(msg, key) };
}

export function sm2VerifierKey(name: string, publicKeyHex: string): string {
  const pub = Buffer.from(publicKeyHex, "hex");
  if (pub.length !== 65 || pub[0] !== 0x04) throw new NoteError("SM2 public key must be 65 bytes, uncompressed");
  return formatVerifierKey(name, Buffer.concat([SM2_TYPE, pub]));
}

// ---- verifier keys ----------------------------------------------------------------------

/** Parse a vkey string; throws NoteError naming what is wrong. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  // <name>+<hex id>+<base64>: split at the first two "+" only (base64 may contain "+").
  const s = vkey.trim();
  const p1 = s.indexOf("+");
  const p2 = p1 < 0 ? -1 : s.indexOf("+", p1 + 1);
  if (p1 < 0 || p2 < 0) throw new NoteError(`malformed verifier key ${JSON.stringify(vkey)}`);
  const name = s.slice(0, p1);
  const idHex = s.slice(p1 + 1, p2);
  const b64 = s.slice(p2 + 1);
  if (!isValidKeyName(name)) throw new NoteError(`malformed verifier key name in ${JSON.stringify(vkey)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError(`malformed verifier key ID in ${JSON.stringify(vkey)}`);
  const raw = Buffer.from(b64, "base64");
  if (raw.length === 0 || raw.toString("base64") !== b64) throw new NoteError(`malformed verifier key data in ${JSON.stringify(vkey)}`);
  const keyId = Number.parseInt(idHex, 16);
  if (computeKeyId(name, raw) !== keyId) throw new NoteError(`verifier key ID does not match the key in ${JSON.stringify(vkey)}`);
  const canonical = s;
  if (raw[0] === 0x01) {
    if (raw.length !== 33) throw new NoteError(`Ed25519 verifier key has the wrong length in ${JSON.stringify(vkey)}`);
    const pub = ed25519PublicFromRaw(raw.subarray(1));
    return { name, keyId, algorithm: "ed25519", vkey: canonical, verify: (msg, sig) => sig.length === 64 && crypto.verify(null, msg, pub, sig) };
  }
  if (raw.subarray(0, SM2_TYPE.length).equals(SM2_TYPE)) {
    const pub = raw.subarray(SM2_TYPE.length);
    if (pub.length !== 65 || pub[0] !== 0x04) throw new NoteError(`SM2 verifier key has the wrong length in ${JSON.stringify(vkey)}`);
    const pubHex = pub.toString("hex");
    return { name, keyId, algorithm: "sm2", vkey: canonical, verify: (msg, sig) => sm2Verify(msg, sig, pubHex) };
  }
  throw new NoteError(`unknown signature type in verifier key ${JSON.stringify(vkey)}`);
}

// ---- notes ------------------------------------------------------------------------------

export interface NoteSignature {
  name: string;
  keyId: number;
  /** base64(key ID || signature) as it appears on the line. */
  base64: string;
}

export interface OpenedNote {
  text: string;
  verified: (NoteSignature & { algorithm: NoteAlgorithm })[];
  unverified: NoteSignature[];
}

const MAX_SIGNATURES = 100;

function checkNoteChars(s: string): void {
  // Valid UTF-8 is guaranteed for a JS string that came from decoding; reject lone surrogates and controls.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) throw new NoteError("malformed note: not valid UTF-8");
  if (/[\u0000-\u0009\u000b-\u001f]/.test(s)) throw new NoteError("malformed note: control characters");
}

/** Sign a note text (must end in "\n") with one or more signers; returns the full note. */
export function signNote(text: string, signers: NoteSigner[]): string {
  checkNoteChars(text);
  if (!text.endsWith("\n")) throw new NoteError("malformed note: text must end in a newline");
  if (signers.length === 0) throw new NoteError("no signers");
  const msg = Buffer.from(text, "utf8");
  const lines = signers.map((s) => {
    if (!isValidKeyName(s.name)) throw new NoteError(`invalid key name ${JSON.stringify(s.name)}`);
    const id = Buffer.alloc(4);
    id.writeUInt32BE(s.keyId);
    return `— ${s.name} ${Buffer.concat([id, s.sign(msg)]).toString("base64")}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/** Split a note into text and signature lines without verifying anything. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  checkNoteChars(note);
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new NoteError("malformed note: no blank line before the signatures");
  const text = note.slice(0, split + 1);
  const sigText = note.slice(split + 2);
  if (!sigText.endsWith("\n") || sigText.length === 0) throw new NoteError("malformed note: signatures must end in a newline");
  const signatures: NoteSignature[] = [];
  for (const line of sigText.slice(0, -1).split("\n")) {
    const m = /^— (\S+) ([A-Za-z0-9+/]+={0,2})$/u.exec(line);
    if (!m || !isValidKeyName(m[1])) throw new NoteError(`malformed note: bad signature line ${JSON.stringify(line)}`);
    const raw = Buffer.from(m[2], "base64");
    if (raw.length < 5 || raw.toString("base64") !== m[2]) throw new NoteError(`malformed note: bad signature encoding for ${m[1]}`);
    signatures.push({ name: m[1], keyId: raw.readUInt32BE(0), base64: m[2] });
  }
  if (signatures.length > MAX_SIGNATURES) throw new NoteError("malformed note: too many signatures");
  return { text, signatures };
}

/**
 * Verify a note like Go's note.Open: signatures from unknown keys are ignored, a signature from a
 * known key that fails is an error, and at least one known signature must verify.
 */
export function openNote(note: string, verifiers: NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const msg = Buffer.from(text, "utf8");
  const verified: OpenedNote["verified"] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of signatures) {
    const matches = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (matches.length === 0) {
      unverified.push(sig);
      continue;
    }
    const v = matches[0];
    if (matches.some((o) => o.vkey !== v.vkey)) throw new NoteError(`ambiguous key ${sig.name}+${hex8(sig.keyId)}`);
    if (!v.verify(msg, Buffer.from(sig.base64, "base64").subarray(4))) {
      throw new NoteError(`invalid ${v.algorithm} signature for key ${sig.name}+${hex8(sig.keyId)}`);
    }
    if (!verified.some((s) => s.name === sig.name && s.keyId === sig.keyId)) verified.push({ ...sig, algorithm: v.algorithm });
  }
  if (verified.length === 0) throw new NoteError("note has no verifiable signatures");
  return { text, verified, unverified };
}

// ---- checkpoints ------------------------------------------------------------------------

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  /** Optional extension lines after the root hash. */
  extensions?: string[];
}

/** The checkpoint note body: origin, decimal size, base64 root hash, each on its own line. */
export function formatCheckpoint(c: Checkpoint): string {
  if (!c.origin || c.origin.includes("\n")) throw new NoteError("invalid checkpoint origin");
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new NoteError("invalid checkpoint size");
  const ext = (c.extensions ?? []).map((l) => `${l}\n`).join("");
  return `${c.origin}\n${c.size}\n${c.rootHash.toString("base64")}\n${ext}`;
}

/** Parse a checkpoint body (the note text, not the signatures). */
export function parseCheckpoint(text: string, hashSize = 32): Checkpoint {
  if (!text.endsWith("\n")) throw new NoteError("malformed checkpoint: must end in a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new NoteError("malformed checkpoint: needs origin, size and root hash lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!origin) throw new NoteError("malformed checkpoint: empty origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw new NoteError(`malformed checkpoint: bad tree size ${JSON.stringify(sizeLine)}`);
  const rootHash = Buffer.from(rootLine, "base64");
  if (rootHash.length !== hashSize || rootHash.toString("base64") !== rootLine) throw new NoteError("malformed checkpoint: bad root hash");
  if (extensions.some((l) => l === "")) throw new NoteError("malformed checkpoint: empty extension line");
  return { origin, size: Number(sizeLine), rootHash, extensions };
}
