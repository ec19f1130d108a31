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

/** Every module's migrations, in the order their tables depend on each other. */
export const ALL_MIGRATIONS: ModuleMigrations[] = [identityMigrations, ledgerMigrations, catalogMigrations];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_DIST = path.join(ROOT, "web", "dist");

defineAction("system.health", { anonymous: true, rule: () => true });

export interface Services {
  identity: IdentityService;
  ledger: LedgerService;
  catalog: CatalogService;
  search: CatalogSearch;
  transfer: CatalogTransfer;
}

export interface Platform {
  config: Config;
  database: Database;
  log: Logger;
  services: Services;
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
  const services: Services = { identity, ledger, catalog, search, transfer };

  return {
    config,
    database,
    log,
    services,
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
      await database.close();
    },
  };
}
