import "./policies.ts";
export { createCatalogService, publishedRecord, subjectOf, type CatalogService, type LedgerPort, type OrgPort } from "./service.ts";
export { createCatalogSearch, type CatalogSearch } from "./search.ts";
export { createCatalogTransfer, type CatalogTransfer } from "./transfer.ts";
export { catalogRoutes } from "./routes.ts";
export { catalogMigrations } from "./migrations/index.ts";
export { checkContent } from "./rules.ts";
export * from "./schema.ts";
