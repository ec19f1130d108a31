import path from "node:path";
import { z } from "zod";

/** Runtime configuration, read once from the environment. Every field has an embedded default. */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default("0.0.0.0"),
  /** Folder for PGlite, the lake, and ledger keys. */
  dataDir: z.string().default(path.resolve(".data")),
  /** When set, use this PostgreSQL server instead of embedded PGlite. */
  databaseUrl: z.string().optional(),
  /** Demo mode: seed the demo city when the database is empty, and allow demo passwords. */
  demo: z.coerce.boolean().default(false),
  /** Ledger hash: SM3 (default) or SHA-256 (readable by standard tlog-tiles verifiers). */
  ledgerHash: z.enum(["sm3", "sha256"]).default("sm3"),
  /** The ledger's origin line in checkpoints. */
  ledgerOrigin: z.string().default("gongshu.local/ledger"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Max JSON body in bytes. */
  bodyLimit: z.coerce.number().int().positive().default(1_048_576),
  /** Max upload (catalog import files) in bytes. */
  uploadLimit: z.coerce.number().int().positive().default(20 * 1_048_576),
  adminUsername: z.string().optional(),
  adminPassword: z.string().optional(),
  sessionHours: z.coerce.number().positive().default(12),
  /** The Parquet lake folder (default <dataDir>/lake; with dataDir memory:// a temp folder removed on close). */
  lakeDir: z.string().optional(),
  /** DuckDB memory limit for the data plane (loads spill to disk above it). */
  duckdbMemory: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, "如 1GB、512MB").default("1GB"),
  /** DuckDB worker threads (default: the number of cores). */
  duckdbThreads: z.coerce.number().int().min(1).max(256).optional(),
  /** Max data upload (ingest) in bytes; the file is streamed to disk, never held in memory. */
  ingestUploadLimit: z.coerce.number().int().positive().default(10 * 1024 ** 3),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv = {
    port: env.PORT,
    host: env.HOST,
    dataDir: env.GONGSHU_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.GONGSHU_DEMO === "1" || env.GONGSHU_DEMO === "true" ? true : undefined,
    ledgerHash: env.GONGSHU_LEDGER_HASH,
    ledgerOrigin: env.GONGSHU_LEDGER_ORIGIN,
    logLevel: env.LOG_LEVEL,
    adminUsername: env.GONGSHU_ADMIN_USERNAME,
    adminPassword: env.GONGSHU_ADMIN_PASSWORD,
    lakeDir: env.GONGSHU_LAKE_DIR || undefined,
    duckdbMemory: env.GONGSHU_DUCKDB_MEMORY || undefined,
    duckdbThreads: env.GONGSHU_DUCKDB_THREADS || undefined,
    ingestUploadLimit: env.GONGSHU_INGEST_UPLOAD_LIMIT || undefined,
  };
  const clean = Object.fromEntries(Object.entries({ ...fromEnv, ...overrides }).filter(([, v]) => v !== undefined));
  return ConfigSchema.parse(clean);
}
