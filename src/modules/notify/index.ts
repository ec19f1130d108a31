import "./policies.ts";
export { createNotifyService, type NotifyService } from "./service.ts";
export { notifyRoutes } from "./routes.ts";
export { notifyMigrations } from "./migrations/index.ts";
export * from "./schema.ts";
