import "./policies.ts";
export { createOpeningService, type OpeningService, type OpeningDeps, type AccessContext, type OpenEntry } from "./service.ts";
export { openingRoutes } from "./routes.ts";
export { ckanRoutes } from "./ckan.ts";
export { openingMigrations } from "./migrations/index.ts";
export { ckanName } from "./open-index.ts";
export * from "./schema.ts";
export { dcatRoutes } from "./dcat-routes.ts";
/** 数据需求, 错误报告 (接诉即办 figures) and 利用成果: reached as `opening.feedback`. */
export { createOpenFeedback, type OpenFeedback } from "./feedback-service.ts";
export { redactContacts } from "./feedback.ts";
export { workingHoursBetween, percentileCont } from "./feedback-stats.ts";
export * from "./feedback-schema.ts";
/** The extract file writers (CSV with BOM, XLSX, JSON, Parquet), also used for share deliveries. */
export { openWriter, CONTENT_TYPES as EXTRACT_CONTENT_TYPES, type OutColumn } from "./extract.ts";
