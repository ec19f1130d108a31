/**
 * bench/ingest — load a generated person-level CSV (default 10,000,000 rows) through the real ingest
 * service (streamed to staging, every row typed and validated in DuckDB, typed zstd Parquet snapshot,
 * atomic commit with its ledger entry, and the quality `onCommitted` scoring when a listener is
 * registered), in UTF-8 and in GBK, and time DuckDB's own CSV → Parquet copy of the same UTF-8 file
 * in the same run as the baseline.
 *
 *   npm run bench -- ingest [--rows 10000000] [--dirty 0.001] [--runs 3] [--no-gbk] [--keep] [--upload]
 *
 * Each load and the baseline run `--runs` times (alternating, each load into a new dataset, so every run
 * does the first load's work); the figures are the medians, and the UTF-8 ratio is also printed run by run.
 *
 * The load goes through `ingest.loadFile` (what `gongshu ingest load` and the demo seed use: the file is
 * read in place); `--upload` streams it through `ingest.upload` (the HTTP path: copied to staging first).
 *
 * Baseline: `COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'` on the lake's DuckDB (same threads and
 * memory limit), i.e. DuckDB's defaults: auto-detected types, snappy compression, no validation. For the
 * GBK file the baseline is the same DuckDB copy of the UTF-8 twin (DuckDB cannot read GBK itself).
 * Peak memory: the largest RSS of this process sampled every 100 ms during each phase; CPU: user + system
 * seconds of this process (DuckDB's threads included) over the same span.
 *
 * The last line of output is one JSON object with the figures.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPlatform, type Platform } from "../src/app.ts";
import type { Actor } from "../src/modules/policy/index.ts";
import { PERSON_ITEMS, writePersonCsv } from "../src/modules/ingest/fixtures.ts";
import { arg } from "./_args.ts";

const ROWS = Number(arg("rows", "10000000"));
const DIRTY = Number(arg("dirty", "0.001"));
const GBK = !process.argv.includes("--no-gbk");
const KEEP = process.argv.includes("--keep");
/** Loads and baselines are timed RUNS times each, alternating; the medians are reported. */
const RUNS = Math.max(1, Number(arg("runs", "3")));
/** --upload: stream the file through the HTTP upload path (copied to staging) instead of the CLI's in-place load. */
const UPLOAD = process.argv.includes("--upload");
const log = (s: string) => process.stdout.write(`${s}\n`);
const mb = (b: number) => Math.round(b / 1048576);

/** Peak RSS while `fn` runs (sampled every 100 ms). */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number; cpuSeconds: number }> {
  let peak = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpu0);
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: peak, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

async function setup(p: Platform): Promise<{ actor: Actor; newEntry: () => Promise<string> }> {
  const ids = p.services.identity;
  const city = await ids.createOrg({ name: "数据局", kind: "city" });
  const dept = await ids.createOrg({ name: "人社局", kind: "department", parentId: city.id });
  const pw = "Bench-password-2026";
  const a = await ids.createUser({ username: "bench_admin", displayName: "a", orgId: city.id, roles: ["platform_admin"], password: pw });
  const o = await ids.createUser({ username: "bench_officer", displayName: "o", orgId: dept.id, roles: ["data_officer"], password: pw });
  const actor: Actor = { kind: "user", userId: o.id, username: o.username, displayName: "o", orgId: dept.id, roles: ["data_officer"], via: "token" };
  const admin: Actor = { kind: "user", userId: a.id, username: a.username, displayName: "a", orgId: city.id, roles: ["platform_admin"], via: "token" };
  let n = 0;
  const content = () => ({
    name: `参保人员信息（基准测试 ${++n}）`, summary: "基准测试用的参保人员数据。", category: "基础", classCode: "101001", theme: "人口", domains: [], keywords: [],
    formatCategory: "电子表格", formats: ["CSV"], items: PERSON_ITEMS, shareType: "有条件共享", shareConditions: "依法履职", shareMethod: "共享平台方式",
    openType: "不予开放", notOpenBasis: "《个人信息保护法》", updateCycle: "每日", sourceSystem: { name: "社保系统" }, grade: "一般", generalLevel: 3,
    relatedCodes: [], contact: { name: "张敏", phone: "0571-88880001" },
  });
  // One catalog entry (so one dataset) per load: every run does the same work as the first.
  const newEntry = async () => {
    const e = await p.services.catalog.create(actor, { content: content() as never });
    await p.services.catalog.submit(actor, e.id);
    await p.services.catalog.review(admin, e.id, { decision: "approve" });
    return e.id;
  };
  return { actor, newEntry };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-bench-ingest-"));
  const utf8 = path.join(tmp, "persons-utf8.csv");
  const gbk = path.join(tmp, "persons-gbk.csv");
  log(`bench/ingest: ${ROWS.toLocaleString("en")} rows, ${(DIRTY * 100).toFixed(2)}% dirty, ${os.availableParallelism()} cores, folder ${tmp}`);
  const g = await measured(() => writePersonCsv(utf8, { rows: ROWS, dirtyRatio: DIRTY, seed: 20261125 }));
  log(`generated UTF-8 CSV: ${mb(g.value.bytes)} MB, ${g.value.dirtyRows} dirty rows, in ${g.seconds.toFixed(1)} s`);
  if (GBK) {
    const gg = await measured(() => writePersonCsv(gbk, { rows: ROWS, dirtyRatio: DIRTY, seed: 20261125, encoding: "gbk" }));
    log(`generated GBK CSV:   ${mb(gg.value.bytes)} MB in ${gg.seconds.toFixed(1)} s`);
  }

  const p = await createPlatform({ dataDir: path.join(tmp, "data"), logLevel: "warn" });
  try {
    const { actor, newEntry } = await setup(p);
    const listeners = p.services.ingest.scoringListeners;
    log(`load path: ${UPLOAD ? "ingest.upload (streamed to staging)" : "ingest.loadFile (read in place, as the CLI)"}`);
    log(`lake: DuckDB memory_limit ${process.env.GONGSHU_DUCKDB_MEMORY || "1GB"}, threads ${process.env.GONGSHU_DUCKDB_THREADS || Math.min(4, os.availableParallelism())}; quality listeners registered: ${listeners}`);

    const load = async (file: string, name: string) => {
      const entryId = await newEntry();
      // Follow the job's phases (as the CLI and the web UI do) to print where the time goes: polled every
      // 250 ms (the web UI polls every 600 ms; each poll is a query in this same process, so polling every
      // 50 ms, as this bench did, took 0.2–0.3 s from the load it measures).
      const phases: { phase: string; at: number; rss: number }[] = [];
      const owner = actor.kind === "user" ? actor.userId : undefined;
      const before = (await p.services.jobs.list({ ownerUserId: owner, limit: 1 }))[0]?.id;
      const t0 = performance.now();
      let watching = true;
      const watch = (async () => {
        while (watching) {
          const jobs = await p.services.jobs.list({ ownerUserId: owner, limit: 1 });
          const ph = jobs[0] && jobs[0].id !== before ? (jobs[0].phase ?? "queued") : "receiving";
          if (phases.at(-1)?.phase !== ph) phases.push({ phase: ph, at: performance.now() - t0, rss: 0 });
          phases.at(-1)!.rss = Math.max(phases.at(-1)!.rss, process.memoryUsage.rss());
          await new Promise((res) => setTimeout(res, 250));
        }
      })();
      const r = await measured(() => UPLOAD
        ? p.services.ingest.upload(actor, { entryId, body: fs.createReadStream(file), filename: name, mode: "skipBadRows", wait: true })
        : p.services.ingest.loadFile(actor, { entryId, path: file, filename: name, mode: "skipBadRows", wait: true }));
      watching = false;
      await watch;
      log(`  phases: ${phases.map((x, i) => `${x.phase} ${(((phases[i + 1]?.at ?? r.seconds * 1000) - x.at) / 1000).toFixed(2)}s`).join(", ")}; RSS seen ${phases.map((x) => `${x.phase} ${mb(x.rss)}`).join(", ")} MB`);
      const job = r.value.job;
      if (job.status !== "succeeded") throw new Error(`load failed: ${JSON.stringify(job.error)}`);
      const res = job.result as { rowCount: number; scored: boolean; report: { badRows: number; totalRows: number; encoding?: string } };
      log(`ingest ${name}: ${res.report.totalRows} rows (${res.report.badRows} bad, skipped), ${res.rowCount} in snapshot v${(job.result as { version: number }).version}, encoding ${res.report.encoding}, ` +
        `${r.seconds.toFixed(1)} s = ${Math.round(ROWS / r.seconds).toLocaleString("en")} rows/s, CPU ${r.cpuSeconds.toFixed(1)} s, peak RSS ${mb(r.peakRss)} MB, scoring ${res.scored ? "ran" : listeners ? "failed" : "not registered"}`);
      return { seconds: r.seconds, peakRss: r.peakRss, scored: res.scored, badRows: res.report.badRows };
    };
    const baseline = async () => {
      const out = path.join(tmp, "duckdb-baseline.parquet");
      const b = await measured(() => p.lake.run((c) => c.run(`COPY (SELECT * FROM read_csv('${utf8}')) TO '${out}'`)));
      log(`duckdb COPY (SELECT * FROM read_csv(file)) TO parquet: ${b.seconds.toFixed(1)} s = ${Math.round(ROWS / b.seconds).toLocaleString("en")} rows/s, CPU ${b.cpuSeconds.toFixed(1)} s, peak RSS ${mb(b.peakRss)} MB`);
      fs.rmSync(out, { force: true });
      return b;
    };

    // RUNS alternating pairs (our load, then DuckDB's copy); the figures are the medians.
    const loads: Awaited<ReturnType<typeof load>>[] = [];
    const bases: Awaited<ReturnType<typeof baseline>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (RUNS > 1) log(`run ${i + 1}/${RUNS}`);
      loads.push(await load(utf8, "persons-utf8.csv"));
      bases.push(await baseline());
    }
    const u = { ...loads[0], seconds: median(loads.map((x) => x.seconds)), peakRss: Math.max(...loads.map((x) => x.peakRss)), scored: loads.every((x) => x.scored) };
    const base = { seconds: median(bases.map((x) => x.seconds)), peakRss: Math.max(...bases.map((x) => x.peakRss)) };
    const ratio = base.seconds / u.seconds;
    const perRun = loads.map((x, i) => (bases[i].seconds / x.seconds).toFixed(2)).join(", ");
    log(`ratio ingest/duckdb (UTF-8): ${ratio.toFixed(2)} (target ≥ 0.5)${RUNS > 1 ? `: median ${base.seconds.toFixed(2)} s / median ${u.seconds.toFixed(2)} s; run by run ${perRun}` : ""}`);

    let gbkFig: Record<string, unknown> | undefined;
    let gbkPeak = 0;
    if (GBK) {
      const gks: Awaited<ReturnType<typeof load>>[] = [];
      for (let i = 0; i < RUNS; i++) gks.push(await load(gbk, "persons-gbk.csv"));
      const gs = median(gks.map((x) => x.seconds));
      gbkPeak = Math.max(...gks.map((x) => x.peakRss));
      const gr = base.seconds / gs;
      log(`ratio ingest/duckdb (GBK, baseline = DuckDB on the UTF-8 twin): ${gr.toFixed(2)}${RUNS > 1 ? ` (median of ${RUNS})` : ""}`);
      gbkFig = { rowsPerSec: Math.round(ROWS / gs), ratio: Number(gr.toFixed(3)), peakRssMb: mb(gbkPeak), seconds: Number(gs.toFixed(2)), baseline: "duckdb on the UTF-8 twin" };
    }
    const peak = Math.max(u.peakRss, base.peakRss, gbkPeak);
    log(`peak RSS: ${mb(peak)} MB (target < 1536 MB); process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
    const figures = {
      bench: "ingest", rows: ROWS, rowsPerSec: Math.round(ROWS / u.seconds), duckdbRowsPerSec: Math.round(ROWS / base.seconds), ratio: Number(ratio.toFixed(3)),
      peakRssMb: mb(peak), runs: RUNS, path: UPLOAD ? "upload" : "loadFile", seconds: Number(u.seconds.toFixed(2)), duckdbSeconds: Number(base.seconds.toFixed(2)), badRows: u.badRows, scoring: u.scored ? "ran" : listeners ? "failed" : "no listener registered",
      ...(gbkFig ? { gbk: gbkFig } : {}),
    };
    log(JSON.stringify(figures));
  } finally {
    await p.close();
    if (!KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
