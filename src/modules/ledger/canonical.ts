import { hashBytes, type LedgerHash } from "./hash.ts";

/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * insignificant whitespace, numbers and strings serialized as ECMAScript's JSON.stringify does
 * (which is what RFC 8785 specifies for them), UTF-8 when turned into bytes.
 *
 * Deviations kept deliberately small and strict: `undefined` object members are dropped (as
 * JSON.stringify does), `undefined` array items, functions, symbols, bigints, NaN and ±Infinity
 * are rejected rather than silently changed; Dates become their ISO string (via toJSON).
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, "$");
}

function serialize(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value); // -0 → "0", shortest round-trip form, as RFC 8785 wants
    case "string":
      return JSON.stringify(value);
    case "object": {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === "function") return serialize(withToJson.toJSON(), path);
      if (Array.isArray(value)) {
        return `[${value
          .map((v, i) => {
            if (v === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined`);
            return serialize(v, `${path}[${i}]`);
          })
          .join(",")}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort(); // default sort compares UTF-16 code units, exactly RFC 8785 §3.2.3
      return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(obj[k], `${path}.${k}`)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} has unsupported type ${typeof value}`);
  }
}

/** UTF-8 bytes of the canonical JSON. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), "utf8");
}

export type Digest = `sm3:${string}` | `sha256:${string}`;

/** Digest of a JSON value's canonical form: "sm3:<hex>" or "sha256:<hex>". */
export function digest(value: unknown, hash: LedgerHash = "sm3"): Digest {
  return `${hash}:${hashBytes(hash, canonicalBytes(value)).toString("hex")}` as Digest;
}

/** Split "sm3:<hex>" into its parts; throws on anything else. */
export function parseDigest(d: string): { hash: LedgerHash; hex: string } {
  const m = /^(sm3|sha256):([0-9a-f]{64})$/.exec(d);
  if (!m) throw new TypeError(`not a digest: ${JSON.stringify(d)}`);
  return { hash: m[1] as LedgerHash, hex: m[2] };
}
