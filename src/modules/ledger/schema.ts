import { z } from "zod";

/** Hash function names a ledger may use. */
export const LedgerHashSchema = z.enum(["sm3", "sha256"]);

/** One item of an offline-verification bundle. */
export const LedgerBundleItemSchema = z
  .object({
    /** What the item is about (a catalog entry id, a certificate number, …). */
    subject: z.string().min(1),
    /** The published content whose digest is recorded in the leaf. */
    content: z.unknown(),
    /** 0-based index of the leaf in the log. */
    leafIndex: z.number().int().nonnegative(),
    /** The exact canonical JSON of the leaf. */
    leaf: z.string().min(2),
    /** Inclusion proof hashes (base64), against the bundle's checkpoint. */
    proof: z.array(z.string()),
  })
  .strict();
export type LedgerBundleItem = z.infer<typeof LedgerBundleItemSchema>;

/** Everything needed to verify published items offline against a signed checkpoint. */
export const LedgerBundleSchema = z
  .object({
    checkpoint: z.string().min(1),
    hash: LedgerHashSchema,
    vkeys: z.array(z.string()),
    items: z.array(LedgerBundleItemSchema),
  })
  .strict();
export type LedgerBundle = z.infer<typeof LedgerBundleSchema>;

/** The leaf JSON written by `append` (version 1). */
export const LedgerLeafSchema = z
  .object({
    v: z.literal(1),
    kind: z.string(),
    subject: z.string(),
    actor: z.string().nullable(),
    digest: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    at: z.string(),
  })
  .strict();
export type LedgerLeaf = z.infer<typeof LedgerLeafSchema>;

// ---- HTTP -------------------------------------------------------------------------------

const nonNegInt = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const posInt = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const EntryParams = z.object({ index: nonNegInt }).strict();
export const InclusionQuery = z.object({ index: nonNegInt, size: posInt }).strict();
export const ConsistencyQuery = z.object({ from: nonNegInt, to: nonNegInt }).strict();
export const TileParams = z.object({ "*": z.string().min(1).max(200) }).strict();

export const InclusionProofResponse = z.object({
  index: z.number(),
  size: z.number(),
  leafHash: z.string(),
  proof: z.array(z.string()),
});
export type InclusionProofResponse = z.infer<typeof InclusionProofResponse>;

export const ConsistencyProofResponse = z.object({
  from: z.number(),
  to: z.number(),
  proof: z.array(z.string()),
});
export type ConsistencyProofResponse = z.infer<typeof ConsistencyProofResponse>;

export const LedgerEntryResponse = z.object({
  index: z.number(),
  kind: z.string(),
  subject: z.string(),
  leaf: z.string(),
  leafHash: z.string(),
  createdAt: z.string(),
});
export type LedgerEntryResponse = z.infer<typeof LedgerEntryResponse>;

export const VerifierKeysResponse = z.object({
  origin: z.string(),
  hash: LedgerHashSchema,
  vkeys: z.array(z.string()),
});
export type VerifierKeysResponse = z.infer<typeof VerifierKeysResponse>;
