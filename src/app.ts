import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino, { type Logger } from "pino";
import fastifyStatic from "@fastify/static";
import { loadConfig, type Config } from "./core/config.ts";
import { openDatabase, type Database } from "./core/db.ts";
import { buildHttp, type App } from "./core/http.ts";
import { migrateToLatest, type ModuleMigrations } from "./core/migrate.ts";
import { defineAction, knownActions, assertCan } from "./modules/policy/index.ts";
import { createIdentityService, identityMigrations, identityRoutes, type IdentityService } from "./modules/identity/index.ts";
import { createLedgerService, digest, ledgerMigrations, ledgerRoutes, type LedgerService } from "./modules/ledger/index.ts";
import {
  catalogMigrations, catalogRoutes, createCatalogSearch, createCatalogService, createCatalogTransfer,
  type CatalogSearch, type CatalogService, type CatalogTransfer,
} from "./modules/catalog/index.ts";
// --- ingest wiring (imports)
import { openLake, type Lake } from "./core/lake.ts";
import { createJobs, jobsMigrations, type Jobs } from "./core/jobs.ts";
import { createIngestService, ingestMigrations, ingestRoutes, type IngestService, type MaskerFor } from "./modules/ingest/index.ts";
import { ANONYMOUS } from "./modules/policy/index.ts";
import { duckdbMacros, maskerFor } from "./modules/protection/index.ts";
// --- end ingest wiring (imports)
// --- quality wiring (imports)
import { createNotifyService, notifyMigrations, notifyRoutes, type NotifyService } from "./modules/notify/index.ts";
import { createQualityService, qualityMigrations, qualityRoutes, type QualityService } from "./modules/quality/index.ts";
// --- end quality wiring (imports)
// --- sharing wiring (imports)
import { createSharingService, sharingMigrations, sharingRoutes, type SharingService } from "./modules/sharing/index.ts";
import { embedWatermark, watermarkKey } from "./modules/protection/index.ts";
// --- end sharing wiring (imports)
// --- opening wiring (imports)
import { createOpeningService, ckanRoutes, dcatRoutes, openingMigrations, openingRoutes, openWriter, type OpeningService } from "./modules/opening/index.ts";
// --- end opening wiring (imports)

/** Every module's migrations, in the order their tables depend on each other. */
export const ALL_MIGRATIONS: ModuleMigrations[] = [identityMigrations, ledgerMigrations, catalogMigrations, jobsMigrations, ingestMigrations, notifyMigrations, qualityMigrations, sharingMigrations, openingMigrations];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_DIST = path.join(ROOT, "web", "dist");

defineAction("system.health", { anonymous: true, rule: () => true });

export interface Services {
  identity: IdentityService;
  ledger: LedgerService;
  catalog: CatalogService;
  search: CatalogSearch;
  transfer: CatalogTransfer;
  ingest: IngestService;
  jobs: Jobs;
  notify: NotifyService;
  quality: QualityService;
  sharing: SharingService;
  // --- opening wiring
  opening: OpeningService;
  // --- end opening wiring
}

export interface Platform {
  config: Config;
  database: Database;
  log: Logger;
  services: Services;
  /** The data plane (DuckDB over the Parquet lake). */
  lake: Lake;
  /** Build the HTTP app (routes, docs, static web). */
  http(): Promise<App>;
  close(): Promise<void>;
}

/** Open the database, run every module's migrations, and wire the services. */
export async function createPlatform(overrides: Partial<Config> = {}, opts: { log?: Logger } = {}): Promise<Platform> {
  const config = loadConfig(overrides);
  const log = opts.log ?? pino({ level: config.logLevel, redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.secret"] });
  const pgliteDir = config.dataDir.startsWith("memory://") ? "memory://" : path.join(config.dataDir, "pglite");
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : pgliteDir,
    onIdleError: (err) => log.warn({ err: err.message }, "database connection lost; the pool reconnects"),
  });
  try {
    const { applied } = await migrateToLatest(database.db, ALL_MIGRATIONS);
    if (applied.length) log.info({ applied }, "migrations applied");
  } catch (err) {
    await database.close();
    throw err;
  }
  const identity = createIdentityService(database.db);
  const ledger = await createLedgerService({ db: database.db, hash: config.ledgerHash, origin: config.ledgerOrigin, log });
  const orgCache = { at: 0, names: new Map<string, string>() };
  const orgNames = async () => {
    if (Date.now() - orgCache.at > 5000) {
      orgCache.names = new Map((await identity.listOrgs()).map((o) => [o.id, o.name]));
      orgCache.at = Date.now();
    }
    return orgCache.names;
  };
  const catalog = createCatalogService({
    db: database.db,
    ledger: { append: (tx, e) => ledger.append(tx, e), digest: (v) => digest(v, ledger.hash) },
    orgs: { getOrg: (id) => identity.getOrg(id) },
  });
  const search = createCatalogSearch({ db: database.db, orgNames });
  const transfer = createCatalogTransfer({ catalog, search, uploadLimit: config.uploadLimit });
  // --- ingest wiring
  /** A catalog entry as the data modules (ingest, sharing) need it: its current content, read as anyone. */
  const entryInfo = async (entryId: string) => {
    const { entry } = await catalog.get(ANONYMOUS, entryId);
    const c = entry.content;
    return { id: entry.id, code: entry.code, name: c.name, status: entry.status, providerOrgId: entry.provider.id, items: c.items, grade: c.grade, generalLevel: c.generalLevel, updateCycle: c.updateCycle, shareType: c.shareType };
  };
  const lake = await openLake({
    dir: config.lakeDir || (config.dataDir.startsWith("memory://") ? "memory://" : path.join(config.dataDir, "lake")),
    memoryLimit: config.duckdbMemory,
    ...(config.duckdbThreads ? { threads: config.duckdbThreads } : {}),
    setup: duckdbMacros({ temporary: true }),
  });
  const ingestUploadLimit = config.ingestUploadLimit;
  const jobs = createJobs(database.db, { onInternalError: (err, job) => log.error({ err, job }, "job failed with an internal error") });
  const ingest = createIngestService({
    db: database.db, lake, jobs, log, uploadLimit: ingestUploadLimit,
    ledger: { append: (tx, e) => ledger.append(tx, e), hash: ledger.hash },
    maskerFor: (grade, subLevel, item) => maskerFor(grade, subLevel, item),
    entries: { get: entryInfo },
  });
  {
    const r = await ingest.recover();
    if (r.failedJobs.length || r.removedStaging.length || r.removedFiles.length) log.warn(r, "ingest: cleaned up after an interrupted run");
  }
  // --- end ingest wiring
  // --- quality wiring
  const notify = createNotifyService({ db: database.db });
  const quality = createQualityService({
    db: database.db,
    ingest,
    lake,
    catalog: {
      async entryMeta(entryId) {
        try {
          const c = (await catalog.get(ANONYMOUS, entryId)).entry.content;
          return { name: c.name, grade: c.grade, generalLevel: c.generalLevel, updateCycle: c.updateCycle, shareType: c.shareType, openType: c.openType };
        } catch {
          return null;
        }
      },
    },
    maskerFor: (grade, subLevel, item) => maskerFor(grade as Parameters<typeof maskerFor>[0], subLevel, item),
    ledger: { append: (tx, e) => ledger.append(tx, e), digest: (v) => digest(v, ledger.hash) },
    notify,
    orgs: { orgNames },
  });
  // --- end quality wiring
  // --- sharing wiring
  // The key of the recipient watermarks on every extract (sharing deliveries, open downloads and API reads).
  const wmKey = await watermarkKey(config.dataDir);
  const sharing = createSharingService({
    db: database.db,
    ledger: { append: (tx, e) => ledger.append(tx, e), record: (e) => ledger.record(e), digest: (v) => digest(v, ledger.hash) },
    notify,
    ingest,
    entries: { get: (entryId) => entryInfo(entryId).then((e) => ({ ...e, generalLevel: e.generalLevel ?? null }), () => null) },
    orgNames,
    maskerFor: (grade, subLevel, item) => maskerFor(grade as Parameters<typeof maskerFor>[0], subLevel, item as Parameters<typeof maskerFor>[2]),
    extract: async (format, columns, rows) => {
      const dir = await fs.promises.mkdtemp(path.join(lake.dir, "tmp", "share-"));
      try {
        const file = path.join(dir, `extract.${format}`);
        const w = await openWriter(format, file, columns, lake);
        await w.write(rows);
        await w.finish();
        return await fs.promises.readFile(file);
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    },
    watermark: async (rows, columns, recipient) => {
      const r = embedWatermark({ columns, rows }, { key: wmKey, recipient });
      return { rows: r.rows as typeof rows, markedCells: r.stats.markedCells };
    },
  });
  // --- end sharing wiring
  // --- opening wiring
  const opening = createOpeningService({
    db: database.db, lake, catalog, search, ingest, quality, orgNames,
    ledger: { append: (tx, e) => ledger.append(tx, e), record: (e) => ledger.record(e), digest: (v) => digest(v, ledger.hash), hash: ledger.hash },
    maskerFor: (grade, subLevel, item) => maskerFor(grade, subLevel, item),
    watermarkKey: wmKey,
    log,
    notify,
    orgName: (id) => identity.getOrg(id).then((o) => o.name, () => null),
  });
  // --- end opening wiring
  const services: Services = { identity, ledger, catalog, search, transfer, ingest, jobs, notify, quality, sharing, opening };

  return {
    config,
    database,
    log,
    services,
    lake,
    async http() {
      const app = await buildHttp({
        logger: log,
        bodyLimit: config.bodyLimit,
        knownActions: knownActions(),
        authenticate: async (req) => {
          req.actor = await identity.authenticate(req);
        },
        authorize: async (req, action) => assertCan(req.actor, action),
        spaFallback: fs.existsSync(path.join(WEB_DIST, "index.html")),
      });
      // Raw file uploads (catalog import).
      app.addContentTypeParser(
        ["application/octet-stream", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        { parseAs: "buffer", bodyLimit: config.uploadLimit },
        (_req, body, done) => done(null, body),
      );
      app.get("/api/health", { config: { policy: "system.health" }, schema: { tags: ["system"], summary: "健康检查" } }, async () => {
        await database.db.selectNoFrom((e) => e.lit(1).as("one")).execute();
        return { status: "ok", database: database.kind, ledgerSize: await ledger.size(), time: new Date().toISOString() };
      });
      identityRoutes(app, { identity, sessionHours: config.sessionHours });
      ledgerRoutes(app, { ledger });
      // --- ingest wiring
      await ingestRoutes(app, { ingest, uploadLimit: ingestUploadLimit });
      // The connector scheduler runs only in a listening server (not in tests or CLI commands).
      app.addHook("onListen", async () => ingest.startScheduler());
      app.addHook("onClose", async () => ingest.stopScheduler());
      // --- end ingest wiring
      // --- quality wiring
      notifyRoutes(app, { notify });
      qualityRoutes(app, { quality });
      // Reminders and escalation of 数据异议 run only in a listening server (tests call quality.sweep with a clock).
      let stopSweeper: (() => void) | undefined;
      app.addHook("onListen", async () => {
        stopSweeper = quality.startSweeper({ onError: (err) => log.error({ err }, "objection sweep failed") });
      });
      app.addHook("onClose", async () => stopSweeper?.());
      // --- end quality wiring
      // --- sharing wiring
      sharingRoutes(app, { sharing });
      // Overdue share applications are escalated by a timer in a listening server (tests call sharing.sweep with a clock).
      let stopSharingSweeper: (() => void) | undefined;
      app.addHook("onListen", async () => {
        stopSharingSweeper = sharing.startSweeper({ onError: (err) => log.error({ err }, "share application sweep failed") });
      });
      app.addHook("onClose", async () => stopSharingSweeper?.());
      // --- end sharing wiring
      // --- opening wiring
      await openingRoutes(app, { opening });
      await ckanRoutes(app, { opening, orgs: identity });
      await dcatRoutes(app, { catalog, search, orgs: identity, baseUrl: process.env.GONGSHU_PUBLIC_URL });
      // Overdue demands and error reports are flagged by a timer in a listening server (tests call opening.feedback.requests.sweep with a clock).
      let stopFeedbackSweeper: (() => void) | undefined;
      app.addHook("onListen", async () => {
        stopFeedbackSweeper = opening.feedback.requests.startSweeper({ onError: (err) => log.error({ err }, "open demand/report sweep failed") });
      });
      app.addHook("onClose", async () => stopFeedbackSweeper?.());
      // --- end opening wiring
      catalogRoutes(app, {
        catalog, search, transfer,
        ledgerBundle: async () => ledger.bundle(await catalog.ledgeredRecords()),
      });
      app.get("/api/openapi.json", { config: { policy: "public" }, schema: { hide: true } }, async () => app.swagger());
      if (fs.existsSync(path.join(WEB_DIST, "index.html"))) {
        // Files are looked up per request (wildcard), so a rebuilt web/dist is served without a restart;
        // unknown paths fall back to index.html (the web app's own routes), see spaFallback.
        await app.register(fastifyStatic, { root: WEB_DIST, prefix: "/", wildcard: true, index: ["index.html"] });
      }
      return app;
    },
    async close() {
      // --- opening wiring
      await opening.close();
      await identity.flushUsage().catch((err) => log.warn({ err: String(err) }, "API key usage: last counts not written"));
      identity.stopUsage();
      // --- end opening wiring
      // --- ingest wiring
      ingest.stopScheduler();
      await ingest.drain();
      await lake.close();
      // --- end ingest wiring
      await database.close();
    },
  };
}

