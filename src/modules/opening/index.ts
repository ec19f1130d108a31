import "./policies.ts";
export { createOpeningService, type OpeningService, type OpeningDeps, type AccessContext, type OpenEntry } from "./service.ts";
export { openingRoutes } from "./routes.ts";
export { ckanRoutes } from "./ckan.ts";
export { openingMigrations } from "./migrations/index.ts";
export { ckanName } from "./open-index.ts";
export * from "./schema.ts";
export { dcatRoutes } from "./dcat-routes.ts";
