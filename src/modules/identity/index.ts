import "./policies.ts";
export { createIdentityService, SESSION_COOKIE, PUBLIC_ORG, type IdentityService, type IdentityOptions } from "./service.ts";
export { identityRoutes } from "./routes.ts";
export { identityMigrations } from "./migrations/index.ts";
export * from "./schema.ts";
