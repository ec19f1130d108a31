import "./policies.ts";
export { createIngestService, type IngestService, type IngestDeps, type EntryInfo, type EntryPort, type LedgerPort as IngestLedgerPort, type MaskerFor, type CommittedListener } from "./service.ts";
export { ingestRoutes, type IngestRouteDeps } from "./routes.ts";
export { FILTER_OPS, MAX_PAGE_ROWS, type FilterOp, type RowFilter, type RowSelection, type RowValue } from "./select.ts";
export { ingestMigrations } from "./migrations/index.ts";
export { redactUrl, CYCLE_HOURS } from "./sources.ts";
export * from "./schema.ts";
