/**
 * bench/catalog-search — catalog full-text search latency over N (default 100,000) published entries,
 * on embedded PGlite and on PostgreSQL, in one run.
 *
 *   npm run bench -- catalog-search [--entries 100000] [--per-class 300] [--warmup 60]
 *                                   [--engines postgres,pglite] [--seed 20261123] [--pglite-memory]
 *
 * PostgreSQL: an admin URL from GONGSHU_BENCH_PG_URL or GONGSHU_TEST_PG_URL; the bench creates a
 * database gs_bench_<random> there and drops it at the end. Without a URL it starts a throw-away server
 * from /usr/lib/postgresql/<v>/bin in a temp folder (as .ci/run does), or skips PostgreSQL with a message.
 * GONGSHU_BENCH_KEEP_DB=1 keeps the database on a given server for EXPLAIN afterwards.
 *
 * What is measured: `platform.services.search.search(actor, query)` — the service the HTTP route
 * GET /api/catalog/entries calls — for a fixed, seeded mix of queries drawn from the generated names:
 * 1, 2 and 3+ Chinese characters, each without and with facet filters (shareType / grade / provider),
 * facet counts on (facets=true, as the UI asks), relevance sort, page size 20, anonymous (public) actor.
 * One client, queries back to back: p50/p99 latency and queries per second, per class and overall.
 * Baseline in the same run: the bare SQL match (`search_tokens @> $1` + LIKE recheck + the same filters,
 * `limit 20`, no count, no facets, no sort) on the same connection pool, to show the service overhead.
 *
 * The last line of output is one JSON object with the figures.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import pg from "pg";
import { sql, type Insertable } from "kysely";
import { createPlatform, type Platform } from "../src/app.ts";
import { progressBar } from "../src/cli/progress.ts";
import { generateEntries, generateOrgs, mulberry32, DEFAULT_SEED, type DemoOrg } from "../src/demo/generator.ts";
import { ANONYMOUS } from "../src/modules/policy/index.ts";
import { EntryContent, GRADES, SHARE_TYPES, SearchQuery } from "../src/modules/catalog/schema.ts";
import { bulkInsertEntriesForBench, catalogDb, searchColumns, type CatalogTables } from "../src/modules/catalog/store.ts";
import { escapeLike, facetToken, queryTerms, queryTokens, SEARCH_KEY_SQL } from "../src/modules/catalog/tokens.ts";
import { newId } from "../src/core/ids.ts";
import { arg } from "./_args.ts";

// ------------------------------------------------------------------------------------------------
// Options

const ENTRIES = Number(arg("entries", process.env.BENCH_ENTRIES ?? "100000"));
const PER_CLASS = Number(arg("per-class", "300"));
const WARMUP = Number(arg("warmup", "60"));
const SEED = Number(arg("seed", String(DEFAULT_SEED)));
const ENGINES = arg("engines", "postgres,pglite").split(",").map((s) => s.trim()).filter(Boolean) as Engine[];
const PGLITE_MEMORY = process.argv.includes("--pglite-memory");
const BATCH = 1000;
const TARGET_P99: Record<Engine, number> = { postgres: 20, pglite: 50 };

type Engine = "postgres" | "pglite";
const log = (s: string) => process.stdout.write(`${s}\n`);

// ------------------------------------------------------------------------------------------------
// The query mix: fixed and seeded, drawn from the generated entry names.

type ClassName = "1char" | "1char+filter" | "2char" | "2char+filter" | "3+char" | "3+char+filter";
const CLASSES: ClassName[] = ["1char", "1char+filter", "2char", "2char+filter", "3+char", "3+char+filter"];

interface QuerySpec {
  cls: ClassName;
  q: string;
  shareType?: (typeof SHARE_TYPES)[number];
  grade?: (typeof GRADES)[number];
  providerKey?: string;
}

function buildMix(names: { name: string; orgKey: string }[], perClass: number, seed: number): Record<ClassName, QuerySpec[]> {
  const rnd = mulberry32(seed ^ 0x5eed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const hanRuns = (s: string) => s.match(/\p{Script=Han}+/gu) ?? [];
  const term = (len: () => number) => {
    for (;;) {
      const n = pick(names);
      const runs = hanRuns(n.name).filter((r) => Array.from(r).length >= 1);
      if (!runs.length) continue;
      const cs = Array.from(pick(runs));
      const L = len();
      if (cs.length < L) continue;
      const at = Math.floor(rnd() * (cs.length - L + 1));
      return { q: cs.slice(at, at + L).join(""), orgKey: n.orgKey };
    }
  };
  const lens: Record<string, () => number> = { "1char": () => 1, "2char": () => 2, "3+char": () => 3 + Math.floor(rnd() * 3) };
  const mix = {} as Record<ClassName, QuerySpec[]>;
  for (const cls of CLASSES) {
    const base = cls.replace("+filter", "");
    const out: QuerySpec[] = [];
    for (let i = 0; i < perClass; i++) {
      const t = term(lens[base]);
      const s: QuerySpec = { cls, q: t.q };
      if (cls.endsWith("+filter")) {
        const f = Math.floor(rnd() * 4);
        if (f === 0) s.shareType = pick(SHARE_TYPES);
        else if (f === 1) s.grade = pick(GRADES);
        else if (f === 2) s.providerKey = t.orgKey;
        else { s.shareType = pick(SHARE_TYPES); s.grade = pick(GRADES); }
      }
      out.push(s);
    }
    mix[cls] = out;
  }
  return mix;
}

// ------------------------------------------------------------------------------------------------
// PostgreSQL: a database on a given server, or a throw-away server.

interface PgTarget { url: string; cleanup(): Promise<void>; note: string }

function startThrowawayServer(): { adminUrl: string; stop(): void } | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const v = fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, "bin", "initdb"))).sort((a, b) => Number(a) - Number(b)).pop();
  if (!v) return null;
  const bin = path.join(base, v, "bin");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-bench-pg-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const runAs: string[] = [];
  if (process.getuid?.() === 0) {
    // initdb refuses root: run the server as an unprivileged system user, as .ci/run does.
    if (spawnSync("id", ["-u", "gongshu-ci"]).status !== 0) spawnSync("useradd", ["--system", "--no-create-home", "gongshu-ci"]);
    spawnSync("chown", ["gongshu-ci", tmp]);
    runAs.push("runuser", "-u", "gongshu-ci", "--");
  }
  const run = (cmd: string, args: string[]) => {
    const full = [...runAs, cmd, ...args];
    const r = spawnSync(full[0], full.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString()}`);
  };
  run(path.join(bin, "initdb"), ["-D", `${tmp}/data`, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  run(path.join(bin, "pg_ctl"), ["-D", `${tmp}/data`, "-l", `${tmp}/log`, "-w", "-o", `-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB`, "start"]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      const full = [...runAs, path.join(bin, "pg_ctl"), "-D", `${tmp}/data`, "-m", "immediate", "stop"];
      spawnSync(full[0], full.slice(1), { stdio: "ignore" });
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<PgTarget | null> {
  let adminUrl = process.env.GONGSHU_BENCH_PG_URL || process.env.GONGSHU_TEST_PG_URL;
  let stopServer: (() => void) | undefined;
  let note = "server from GONGSHU_BENCH_PG_URL / GONGSHU_TEST_PG_URL";
  if (!adminUrl) {
    const s = startThrowawayServer();
    if (!s) return null;
    adminUrl = s.adminUrl;
    stopServer = s.stop;
    note = "throw-away server started by the bench";
  }
  const name = `gs_bench_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const version = (await admin.query("show server_version")).rows[0].server_version;
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    note: `PostgreSQL ${version}, ${note}, database ${name}`,
    async cleanup() {
      if (process.env.GONGSHU_BENCH_KEEP_DB === "1" && !stopServer) { log(`postgres: kept database ${name} (GONGSHU_BENCH_KEEP_DB=1)`); return; }
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      stopServer?.();
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Load

async function createOrgs(p: Platform, orgs: DemoOrg[]): Promise<Map<string, { id: string; name: string }>> {
  const byKey = new Map<string, { id: string; name: string }>();
  for (const o of orgs) {
    const parentId = o.parentKey ? byKey.get(o.parentKey)?.id : undefined;
    const v = await p.services.identity.createOrg({ name: o.name, shortName: o.shortName, code: o.code, kind: o.kind, ...(parentId ? { parentId } : {}) });
    byKey.set(o.key, { id: v.id, name: v.name });
  }
  return byKey;
}

/**
 * Bulk load: rows carry exactly the columns the catalog service writes on publication (`searchColumns`
 * of the validated content, code, class, sequence, provider, status 'published', versions, dates).
 * This bypasses the catalog service, `catalog_versions` and the ledger on purpose: the bench measures
 * search over a large catalog, not publication (that costs a ledger append and signatures per entry).
 */
async function load(p: Platform, engine: Engine, orgs: DemoOrg[], orgIds: Map<string, { id: string; name: string }>): Promise<number> {
  const db = catalogDb(p.database.db);
  const t0 = performance.now();
  const bar = progressBar(`${engine}: load ${ENTRIES} entries`, ENTRIES);
  let batch: Insertable<CatalogTables["catalog_entries"]>[] = [];
  let done = 0;
  const base = Date.UTC(2026, 0, 1);
  let i = 0;
  for (const e of generateEntries({ seed: SEED, count: ENTRIES, orgs })) {
    const content = EntryContent.parse(e.content);
    const org = orgIds.get(e.orgKey)!;
    const publishedAt = new Date(base - i * 60_000);
    batch.push({
      id: newId("ent"), code: `${content.classCode}/${e.seq}`, class_code: content.classCode, seq: e.seq,
      provider_org_id: org.id, status: "published", published_version: 1, open_version: null, published_at: publishedAt,
      ...searchColumns(content, org.name),
      created_at: publishedAt, updated_at: publishedAt,
    });
    i++;
    if (batch.length === BATCH) {
      done += await bulkInsertEntriesForBench(db, batch);
      batch = [];
      bar.update(done);
    }
  }
  if (batch.length) done += await bulkInsertEntriesForBench(db, batch);
  bar.update(done);
  bar.stop();
  // Flush the GIN pending list and gather statistics, as autovacuum would after a bulk load.
  await sql`vacuum (analyze) catalog_entries`.execute(db);
  const ms = performance.now() - t0;
  log(`${engine}: loaded ${done} entries in ${(ms / 1000).toFixed(1)} s (${Math.round(done / (ms / 1000))}/s, incl. vacuum analyze)`);
  return ms;
}

// ------------------------------------------------------------------------------------------------
// Measure

interface Figures { n: number; p50Ms: number; p99Ms: number; meanMs: number; qps: number }
function figures(lat: number[], wallMs: number): Figures {
  const s = [...lat].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(f * s.length) - 1))];
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { n: s.length, p50Ms: r2(q(0.5)), p99Ms: r2(q(0.99)), meanMs: r2(s.reduce((a, b) => a + b, 0) / s.length), qps: r2(s.length / (wallMs / 1000)) };
}

interface ClassResult extends Figures { avgTotal: number; lowerBound: number; bare: Figures }
interface EngineResult extends Figures { loadS: number; note: string; classes: Record<ClassName, ClassResult>; bare: Figures; targetP99Ms: number; meetsTarget: boolean }

function toQuery(s: QuerySpec, orgIds: Map<string, { id: string }>): SearchQuery {
  return SearchQuery.parse({
    q: s.q,
    ...(s.shareType ? { shareType: s.shareType } : {}),
    ...(s.grade ? { grade: s.grade } : {}),
    ...(s.providerKey ? { provider: orgIds.get(s.providerKey)!.id } : {}),
  });
}

/** The bare match the service builds, without count, facets or ranking: the floor. */
function bareQuery(p: Platform, q: SearchQuery) {
  // The same match the service builds: one containment on the indexed search key (text tokens plus
  // status and facet values as tokens), the LIKE recheck, the equality filters.
  const conds = [sql`status = 'published'`];
  const key = new Set<string>([facetToken("status", "published")]);
  for (const t of queryTerms(q.q ?? "")) {
    for (const tok of queryTokens(t)) key.add(tok);
    conds.push(sql`search_text like ${`%${escapeLike(t)}%`}`);
  }
  if (q.shareType) { conds.push(sql`share_type = ${q.shareType}`); key.add(facetToken("shareType", q.shareType)); }
  if (q.grade) { conds.push(sql`grade = ${q.grade}`); key.add(facetToken("grade", q.grade)); }
  if (q.provider) { conds.push(sql`provider_org_id = ${q.provider}`); key.add(facetToken("provider", q.provider)); }
  conds.push(sql`${sql.raw(SEARCH_KEY_SQL)} @> ${sql.val([...key])}::text[]`);
  return sql`select id from catalog_entries where ${sql.join(conds, sql` and `)} limit 20`.execute(p.database.db);
}

async function measure(engine: Engine, p: Platform, mix: Record<ClassName, QuerySpec[]>, orgIds: Map<string, { id: string }>) {
  const search = p.services.search;
  const warm = CLASSES.flatMap((c) => mix[c].slice(0, Math.ceil(WARMUP / CLASSES.length)));
  for (const s of warm) await search.search(ANONYMOUS, toQuery(s, orgIds));
  for (const s of warm) await bareQuery(p, toQuery(s, orgIds));

  const classes = {} as Record<ClassName, ClassResult>;
  const all: number[] = [];
  const allBare: number[] = [];
  const slow: { ms: number; cls: ClassName; q: string; total: number }[] = [];
  let wall = 0, wallBare = 0;
  for (const cls of CLASSES) {
    const qs = mix[cls].map((s) => toQuery(s, orgIds));
    const lat: number[] = [];
    let totals = 0, lower = 0;
    const w0 = performance.now();
    for (let i = 0; i < qs.length; i++) {
      const t0 = performance.now();
      const r = (await search.search(ANONYMOUS, qs[i])) as { total: number; totalIsLowerBound?: boolean };
      const ms = performance.now() - t0;
      lat.push(ms);
      slow.push({ ms, cls, q: JSON.stringify(mix[cls][i]), total: r.total });
      totals += r.total;
      if (r.totalIsLowerBound) lower++;
    }
    const w = performance.now() - w0;
    const latBare: number[] = [];
    const b0 = performance.now();
    for (const q of qs) {
      const t0 = performance.now();
      await bareQuery(p, q);
      latBare.push(performance.now() - t0);
    }
    const wb = performance.now() - b0;
    classes[cls] = { ...figures(lat, w), avgTotal: Math.round(totals / qs.length), lowerBound: lower, bare: figures(latBare, wb) };
    process.stderr.write(`${engine}: ${cls} done, p99 ${classes[cls].p99Ms} ms\n`);
    all.push(...lat);
    allBare.push(...latBare);
    wall += w;
    wallBare += wb;
  }
  slow.sort((a, b) => b.ms - a.ms);
  process.stderr.write(`${engine}: slowest queries:\n${slow.slice(0, 8).map((x) => `  ${x.ms.toFixed(1)} ms ${x.cls} total=${x.total} ${x.q}`).join("\n")}\n`);
  return { overall: figures(all, wall), bare: figures(allBare, wallBare), classes };
}

// ------------------------------------------------------------------------------------------------
// Run

async function runEngine(engine: Engine, orgs: DemoOrg[], mix: Record<ClassName, QuerySpec[]>): Promise<EngineResult | { skipped: string }> {
  let platform: Platform | undefined;
  let cleanup = async () => {};
  let note: string;
  if (engine === "postgres") {
    const t = await postgresTarget();
    if (!t) {
      const why = "no GONGSHU_BENCH_PG_URL / GONGSHU_TEST_PG_URL and no PostgreSQL binaries in /usr/lib/postgresql: PostgreSQL part skipped";
      log(`postgres: ${why}`);
      return { skipped: why };
    }
    cleanup = t.cleanup;
    note = t.note;
    log(`postgres: ${note}`);
    try {
      platform = await createPlatform({ databaseUrl: t.url, dataDir: "memory://", logLevel: "silent" });
    } catch (err) {
      await cleanup();
      throw err;
    }
  } else {
    const dir = PGLITE_MEMORY ? null : fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-bench-pglite-"));
    note = dir ? `PGlite in a temp folder (${dir})` : "PGlite in memory";
    log(`pglite: ${note}`);
    cleanup = async () => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); };
    platform = await createPlatform({ dataDir: dir ?? "memory://", logLevel: "silent" });
  }
  try {
    const orgIds = await createOrgs(platform, orgs);
    const loadMs = await load(platform, engine, orgs, orgIds);
    const m = await measure(engine, platform, mix, orgIds);
    return { ...m.overall, loadS: Math.round(loadMs / 100) / 10, note, bare: m.bare, classes: m.classes, targetP99Ms: TARGET_P99[engine], meetsTarget: m.overall.p99Ms <= TARGET_P99[engine] };
  } finally {
    await platform.close().catch(() => {});
    await cleanup().catch((e) => log(`${engine}: cleanup failed: ${(e as Error).message}`));
  }
}

function table(results: Partial<Record<Engine, EngineResult | { skipped: string }>>) {
  const head = ["engine", "class", "n", "p50 ms", "p99 ms", "mean ms", "qps", "avg total", "capped", "bare p50", "bare p99", "bare qps"];
  const rows: string[][] = [];
  for (const [engine, r] of Object.entries(results)) {
    if (!r || "skipped" in r) { rows.push([engine, "skipped", "", "", "", "", "", "", "", "", "", ""]); continue; }
    for (const cls of CLASSES) {
      const c = r.classes[cls];
      rows.push([engine, cls, String(c.n), c.p50Ms.toFixed(2), c.p99Ms.toFixed(2), c.meanMs.toFixed(2), c.qps.toFixed(0), String(c.avgTotal), String(c.lowerBound), c.bare.p50Ms.toFixed(2), c.bare.p99Ms.toFixed(2), c.bare.qps.toFixed(0)]);
    }
    rows.push([engine, "overall", String(r.n), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.meanMs.toFixed(2), r.qps.toFixed(0), "", "", r.bare.p50Ms.toFixed(2), r.bare.p99Ms.toFixed(2), r.bare.qps.toFixed(0)]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  log("");
  log(line(head));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) log(line(r));
  log("(service = search.search(), page + total + facets; bare = the same match, limit 20, no count/facets/ranking; capped = answers with totalIsLowerBound)");
  for (const [engine, r] of Object.entries(results)) {
    if (r && !("skipped" in r)) log(`${engine}: overall p99 ${r.p99Ms} ms, target ≤ ${r.targetP99Ms} ms: ${r.meetsTarget ? "met" : "NOT met"}; load ${r.loadS} s`);
  }
}

async function main() {
  const t0 = performance.now();
  const orgs = generateOrgs();
  log(`catalog-search: ${ENTRIES} entries (seed ${SEED}), ${PER_CLASS} queries per class × ${CLASSES.length} classes, warmup ${WARMUP}; engines ${ENGINES.join(", ")}; node ${process.version}, ${os.cpus().length} cpus`);
  // The query mix comes from the names the loader will insert (same seed), fixed before any engine runs.
  const names: { name: string; orgKey: string }[] = [];
  const seen = new Set<string>();
  for (const e of generateEntries({ seed: SEED, count: ENTRIES, orgs })) {
    if (!seen.has(e.content.name)) { seen.add(e.content.name); names.push({ name: e.content.name, orgKey: e.orgKey }); }
  }
  const mix = buildMix(names, PER_CLASS, SEED);
  log(`query mix from ${names.length} distinct names, e.g. ${CLASSES.map((c) => `${c}: ${mix[c].slice(0, 3).map((s) => s.q).join("/")}`).join("; ")}`);

  const results: Partial<Record<Engine, EngineResult | { skipped: string }>> = {};
  for (const engine of ENGINES) {
    if (engine !== "postgres" && engine !== "pglite") throw new Error(`unknown engine ${engine}`);
    results[engine] = await runEngine(engine, orgs, mix);
  }
  table(results);
  const out: Record<string, unknown> = { bench: "catalog-search", entries: ENTRIES };
  for (const engine of ENGINES) {
    const r = results[engine];
    if (!r) continue;
    if ("skipped" in r) { out[engine] = { skipped: r.skipped }; continue; }
    out[engine] = {
      p50Ms: r.p50Ms, p99Ms: r.p99Ms, qps: r.qps, meanMs: r.meanMs, n: r.n, targetP99Ms: r.targetP99Ms, meetsTarget: r.meetsTarget, loadS: r.loadS,
      bare: { p50Ms: r.bare.p50Ms, p99Ms: r.bare.p99Ms, qps: r.bare.qps },
      classes: Object.fromEntries(CLASSES.map((c) => {
        const x = r.classes[c];
        return [c, { p50Ms: x.p50Ms, p99Ms: x.p99Ms, qps: x.qps, avgTotal: x.avgTotal, lowerBound: x.lowerBound, bare: { p50Ms: x.bare.p50Ms, p99Ms: x.bare.p99Ms, qps: x.bare.qps } }];
      })),
    };
  }
  out.perClass = PER_CLASS;
  out.seed = SEED;
  out.wallS = Math.round((performance.now() - t0) / 100) / 10;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
