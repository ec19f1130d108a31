// Public surface of the ledger module. Other modules import only this file.
export { createLedgerService, type LedgerService, type LedgerAppendEntry, type LedgerAppendResult, type LedgerBundleRequestItem, type CreateLedgerServiceOptions } from "./service.ts";
export { ledgerRoutes, type LedgerRoutesOptions } from "./routes.ts";
export { ledgerMigrations } from "./migrations/index.ts";
export { canonicalJson, digest, parseDigest, type Digest } from "./canonical.ts";
export { type LedgerHash, isLedgerHash } from "./hash.ts";
export { verifyBundle, verifyCheckpoint, verifyInclusion, verifyConsistency, LedgerVerifyError, type BundleResult, type BundleFailure, type VerifyBundleOptions, type VerifiedCheckpoint } from "./verify.ts";
export * from "./schema.ts";
