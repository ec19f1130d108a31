/**
 * bench/open-api — the open API's datastore_search-style paged query under load, end to end, against a
 * bare Fastify + DuckDB route running the same query, in one run.
 *
 *   npm run bench -- open-api [--rows 200000] [--duration 10] [--connections 8] [--limit 100] [--warmup 2]
 *
 * Ours: GET /api/3/action/datastore_search?resource_id=…&limit=…&offset=…&filters={"性别":"女"} with an
 * API key in the Authorization header, on the platform's own HTTP server (embedded PGlite, the
 * defaults): API-key authentication with its rate limit and daily quota, the IP limit, policy, the
 * open catalog lookup, the selection on the current snapshot (count + page), masking by grade, the
 * recipient watermark, metering, and a ledger entry per request (Merkle append in a transaction).
 * Baseline: a bare Fastify server whose one route runs the same two statements (ingest's selectPage:
 * count, then the page in file order) with the same parameters on the same snapshot file, on its own
 * DuckDB instance with the same threads and a small connection pool, and returns the rows as JSON: no
 * auth, no masking, no watermark, no metering, no ledger.
 * Both are driven by autocannon with the same connections and duration; offsets are random pages.
 * The dataset is a generated person table (身份证, names: masking has work to do), 无条件开放.
 *
 * The last line of output is one JSON object with the figures.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Fastify from "fastify";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createPlatform } from "../src/app.ts";
import type { Actor } from "../src/modules/policy/index.ts";
import { PERSON_ITEMS, writePersonCsv } from "../src/modules/ingest/fixtures.ts";
import { selectPage } from "../src/modules/ingest/select.ts";
import { arg } from "./_args.ts";

const ROWS = Number(arg("rows", "200000"));
const DURATION = Number(arg("duration", "10"));
const CONNECTIONS = Number(arg("connections", "8"));
const LIMIT = Number(arg("limit", "100"));
const WARMUP = Number(arg("warmup", "2"));
const log = (s: string) => process.stdout.write(`${s}\n`);
const FILTER = { 性别: "女" };

async function cannon(url: string, headers: Record<string, string>, pages: number, duration: number) {
  const res = await autocannon({
    url, connections: CONNECTIONS, duration, headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: (req.path ?? "").replace("OFFSET", String(Math.floor(Math.random() * pages) * LIMIT)) }) }],
  });
  const ok = res["2xx"];
  return { reqPerSec: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, ok, non2xx: res.non2xx, errors: res.errors, total: res.requests.total };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-bench-open-"));
  log(`bench/open-api: ${ROWS.toLocaleString("en")} rows, ${CONNECTIONS} connections, ${DURATION} s each (+${WARMUP} s warm-up), page ${LIMIT}, ${os.availableParallelism()} cores, folder ${tmp}`);
  const p = await createPlatform({ dataDir: path.join(tmp, "data"), logLevel: "warn" });
  const bare = Fastify({ logger: false });
  let inst: DuckDBInstance | undefined;
  try {
    // --- the open dataset
    const ids = p.services.identity;
    const city = await ids.createOrg({ name: "数据局", kind: "city" });
    const dept = await ids.createOrg({ name: "人社局", kind: "department", parentId: city.id });
    const pw = "Bench-password-2026";
    const a = await ids.createUser({ username: "bench_admin", displayName: "a", orgId: city.id, roles: ["platform_admin"], password: pw });
    const o = await ids.createUser({ username: "bench_officer", displayName: "o", orgId: dept.id, roles: ["data_officer"], password: pw });
    const officer: Actor = { kind: "user", userId: o.id, username: o.username, displayName: "o", orgId: dept.id, roles: ["data_officer"], via: "token" };
    const admin: Actor = { kind: "user", userId: a.id, username: a.username, displayName: "a", orgId: city.id, roles: ["platform_admin"], via: "token" };
    const e = await p.services.catalog.create(officer, {
      content: {
        name: "参保人员名录（基准测试）", summary: "开放接口基准测试用的参保人员数据。", category: "基础", classCode: "101001", theme: "社会保障", domains: [], keywords: ["社保"],
        formatCategory: "电子表格", formats: ["CSV"], items: PERSON_ITEMS, shareType: "无条件共享", shareMethod: "共享平台方式", openType: "无条件开放",
        updateCycle: "每日", sourceSystem: { name: "社保系统" }, grade: "一般", generalLevel: 3, relatedCodes: [], contact: { name: "张敏", phone: "0571-88880001" },
      } as never,
    });
    await p.services.catalog.submit(officer, e.id);
    await p.services.catalog.review(admin, e.id, { decision: "approve" });
    const csv = path.join(tmp, "persons.csv");
    await writePersonCsv(csv, { rows: ROWS, seed: 20261127 });
    const load = await p.services.ingest.loadFile(officer, { entryId: e.id, path: csv, filename: "persons.csv", mode: "all-or-nothing", wait: true });
    if (load.job.status !== "succeeded") throw new Error(`load failed: ${JSON.stringify(load.job.error)}`);
    const snap = (await p.services.ingest.current(load.datasetId))!;
    await p.services.opening.refreshIndex(true);
    p.services.opening.configure({ anonymousRatePerSec: 1_000_000 });

    // --- our server, a registered user's API key with limits high enough not to throttle the bench
    const app = await p.http();
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${base}${url}`, { method: url.includes("/limits") ? "PUT" : "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
      return { json: (await r.json()) as any, cookie: r.headers.get("set-cookie")?.split(";")[0] ?? "" };
    };
    await post("/api/auth/register", { accountType: "individual", username: "bench_public", displayName: "公众用户", password: pw });
    const session = (await post("/api/auth/login", { username: "bench_public", password: pw })).cookie;
    const token = (await post("/api/tokens", { name: "bench" }, { cookie: session })).json.token as { id: string; secret: string };
    const adminSession = (await post("/api/auth/login", { username: "bench_admin", password: pw })).cookie;
    await post(`/api/tokens/${token.id}/limits`, { ratePerSec: 10_000, dailyQuota: 100_000_000 }, { cookie: adminSession });
    const ledger0 = await p.services.ledger.size();

    const qs = (offset: string) => `resource_id=${encodeURIComponent(load.datasetId)}&limit=${LIMIT}&offset=${offset}&filters=${encodeURIComponent(JSON.stringify(FILTER))}`;
    const check = await fetch(`${base}/api/3/action/datastore_search?${qs("0")}`, { headers: { authorization: token.secret } });
    const body = (await check.json()) as { success: boolean; result: { total: number; records: Record<string, unknown>[] } };
    if (!body.success) throw new Error(`datastore_search failed: ${JSON.stringify(body)}`);
    const total = body.result.total;
    const pages = Math.max(1, Math.floor(total / LIMIT));
    log(`datastore_search: ${total.toLocaleString("en")} matching rows, first record ${JSON.stringify(body.result.records[0])}`);

    // --- the baseline: bare Fastify + DuckDB, the same two statements
    inst = await DuckDBInstance.create(":memory:", { threads: String(Math.min(4, os.availableParallelism())), memory_limit: "1GB", preserve_insertion_order: "true" });
    const pool: DuckDBConnection[] = [];
    bare.get("/bare", async (req) => {
      const q = req.query as { offset?: string; limit?: string };
      const limit = Math.min(1000, Number(q.limit ?? LIMIT));
      const offset = Math.max(0, Number(q.offset ?? 0));
      const c = pool.pop() ?? (await inst!.connect());
      try {
        // The very statements ours runs (ingest's selectPage): count, then the page.
        const r = await selectPage(c, snap, { filters: [{ column: "性别", op: "eq", value: FILTER.性别 }], limit, offset });
        return { total: r.total, records: r.rows };
      } finally {
        pool.push(c);
      }
    });
    await bare.listen({ host: "127.0.0.1", port: 0 });
    const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

    const oursUrl = `${base}/api/3/action/datastore_search?${qs("OFFSET")}`;
    const bareUrl = `${bareBase}/bare?limit=${LIMIT}&offset=OFFSET`;
    if (WARMUP > 0) {
      await cannon(oursUrl, { authorization: token.secret }, pages, WARMUP);
      await cannon(bareUrl, {}, pages, WARMUP);
    }
    const ours = await cannon(oursUrl, { authorization: token.secret }, pages, DURATION);
    log(`ours (auth + limits + policy + masking + watermark + metering + ledger): ${ours.reqPerSec.toFixed(0)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, ${ours.ok} ok, ${ours.non2xx} non-2xx, ${ours.errors} errors`);
    const baseline = await cannon(bareUrl, {}, pages, DURATION);
    log(`bare Fastify + DuckDB, same query: ${baseline.reqPerSec.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, ${baseline.ok} ok, ${baseline.non2xx} non-2xx, ${baseline.errors} errors`);
    const ratio = ours.reqPerSec / baseline.reqPerSec;
    const entries = (await p.services.ledger.size()) - ledger0;
    log(`ratio ours/bare: ${ratio.toFixed(2)} (target ≥ 0.7); ledger entries written: ${entries.toLocaleString("en")} for ${ours.ok + (WARMUP ? 0 : 0)} measured ok requests (+ warm-up)`);
    if (ours.non2xx || ours.errors) log("warning: some of our requests failed; the rate counts only completed ones");
    log(JSON.stringify({
      bench: "open-api", reqPerSec: Math.round(ours.reqPerSec), baselineReqPerSec: Math.round(baseline.reqPerSec), ratio: Number(ratio.toFixed(3)),
      p50Ms: ours.p50, p99Ms: ours.p99, baselineP50Ms: baseline.p50, rows: ROWS, matching: total, pageSize: LIMIT, connections: CONNECTIONS, durationSec: DURATION, non2xx: ours.non2xx, ledgerEntries: entries,
    }));
    await app.close();
  } finally {
    await bare.close().catch(() => undefined);
    inst?.closeSync();
    await p.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
