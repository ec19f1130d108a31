/** sharing — 共享 between government departments (RULES.md §6.1). Other modules import only this file. */
export { createSharingService, type SharingService, type SharingDeps, type SharingEntry } from "./service.ts";
export { sharingRoutes } from "./routes.ts";
export { sharingMigrations } from "./migrations/index.ts";
export * from "./schema.ts";
