import "./policies.ts";
export { createQualityService, type QualityService } from "./quality.ts";
export { qualityRoutes } from "./routes.ts";
export { qualityMigrations } from "./migrations/index.ts";
export { seesData, type DataRef } from "./policies.ts";
export type { IngestPort, LakePort, CatalogPort, EntryMeta, MaskerFor, QualityDeps, SnapshotLike, DatasetLike } from "./ports.ts";
export * from "./schema.ts";
