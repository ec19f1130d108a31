import { createHmac } from "node:crypto";
import { compactNumber, normalizeMobile, trimWs } from "./identifiers.ts";

/**
 * Keyed pseudonymisation (假名化, RULES.md §12.1, §12.4): HMAC-SM3 (GB/T 32905 hash, node:crypto's
 * OpenSSL "sm3") over the normalised value. The same person gets the same token in every dataset
 * under one key and context, so records can be linked without the identifier; a different key (per
 * recipient) or context gives unrelated tokens, so a leaked file traces to its recipient.
 */

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;

/** Full-width ASCII (０-９, Ａ-Ｚ, ＋ …) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/**
 * The form a value is hashed in, so that the ways one identifier is written meet: full-width folded,
 * blanks trimmed; an ID number, USCC or passport upper-cased; a mobile without +86, spaces or dashes;
 * a card number without separators; an e-mail lower-cased; other text with inner runs of blanks
 * collapsed to one space.
 */
export function normalizeForPseudonym(value: string): string {
  const t = trimWs(toHalfWidth(value));
  const mobile = normalizeMobile(t);
  if (mobile) return mobile;
  const compact = compactNumber(t);
  if (/^[0-9]{17}[0-9Xx]$|^[0-9]{12,19}$/.test(compact)) return compact.toUpperCase();
  if (/^[0-9A-Za-z]{6,18}$/.test(t)) return t.toUpperCase();
  if (t.includes("@") && !/\s/.test(t)) return t.toLowerCase();
  return t.replace(/\s+/g, " ");
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** RFC 4648 base32, lower case, no padding. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * A stable pseudonym for a value: "ps_" + base32 (lower case) of the first 16 bytes of
 * HMAC-SM3(key, context ‖ normalised value) — 26 characters after the prefix. The context (e.g.
 * "sharing:<recipient>" or a column's purpose) is length-prefixed so no two (context, value) pairs
 * collide. The key must be at least 16 bytes of secret randomness.
 */
export function pseudonymize(key: Buffer, value: string, context = ""): string {
  if (!Buffer.isBuffer(key) || key.length < 16) throw new RangeError("pseudonymize: the key must be a Buffer of at least 16 bytes");
  const v = normalizeForPseudonym(typeof value === "string" ? value : String(value ?? ""));
  const ctx = Buffer.from(context, "utf8");
  const mac = createHmac("sm3", key).update(`gongshu-ps-v1:${ctx.length}:`).update(ctx).update(":").update(v, "utf8").digest();
  return `ps_${base32(mac.subarray(0, 16))}`;
}
