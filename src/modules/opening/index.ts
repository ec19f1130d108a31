import "./policies.ts";
export { createOpeningService, type OpeningService, type OpeningDeps, type AccessContext, type OpenEntry } from "./service.ts";
export { openingRoutes } from "./routes.ts";
export { ckanRoutes } from "./ckan.ts";
export { openingMigrations } from "./migrations/index.ts";
export { ckanName } from "./open-index.ts";
export * from "./schema.ts";
export { dcatRoutes } from "./dcat-routes.ts";
/** The extract file writers (CSV with BOM, XLSX, JSON, Parquet), also used for share deliveries. */
export { openWriter, CONTENT_TYPES as EXTRACT_CONTENT_TYPES, type OutColumn } from "./extract.ts";
