import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { PERSON_ITEMS, personRow, rng } from "./fixtures.ts";

const HEADER = PERSON_ITEMS.map((i) => i.name);
const csv = (rows: string[][], d = ",") => `${[HEADER, ...rows].map((r) => r.map((c) => (c.includes(d) || c.includes('"') ? `"${c.replaceAll('"', '""')}"` : c)).join(d)).join("\r\n")}\r\n`;
const goodRows = (n: number, offset = 0) => {
  const r = rng(7 + offset);
  return Array.from({ length: n }, (_, k) => personRow(offset + k, r, false, null));
};

describe(`ingest: loads, validation, versions, rollback, diff, preview, jobs (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let officer: string;
  let other: string;
  let admin: string;
  let entryId: string;
  let datasetId: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-ingest-test-"));

  const upload = (body: Buffer | string, q: string, cookie = officer, filename = "data.csv") =>
    call(t.app, { method: "POST", url: `/api/datasets/upload?entry=${entryId}&wait=true&${q}`, cookie, body: Buffer.isBuffer(body) ? body : Buffer.from(body), headers: { "content-type": "application/octet-stream", "x-filename": encodeURIComponent(filename) } });
  const current = async () => (await call(t.app, { url: `/api/datasets/${datasetId}`, cookie: officer })).json().dataset.currentVersion;
  const stagingLeft = () => fs.readdirSync(path.join(t.platform.lake.dir, "staging"));

  before(async () => {
    t = await createTestPlatform();
    const city = await makeOrg(t.platform, "数据局", "city");
    const dept = await makeOrg(t.platform, "人社局", "department", city.id);
    const dept2 = await makeOrg(t.platform, "公安局", "department", city.id);
    await makeUser(t.platform, "admin1", city.id, ["platform_admin"]);
    await makeUser(t.platform, "officer1", dept.id, ["data_officer"]);
    await makeUser(t.platform, "other1", dept2.id, ["data_officer"]);
    admin = await login(t.app, "admin1");
    officer = await login(t.app, "officer1");
    other = await login(t.app, "other1");
    const content = sampleContent({ name: "参保人员信息", items: PERSON_ITEMS, shareType: "无条件共享", shareConditions: undefined });
    const e = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content } });
    assert.equal(e.statusCode, 201, e.body);
    entryId = e.json().entry.id;
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${entryId}/submit`, cookie: officer })).statusCode, 200);
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${entryId}/review`, cookie: admin, body: { decision: "approve" } })).statusCode, 200);
  });
  after(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("CSV (UTF-8 with BOM) loads as version 1; the ledger holds the snapshot digest", async () => {
    const r = await upload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(goodRows(50)))]), "");
    assert.equal(r.statusCode, 201, r.body);
    const job = r.json().job;
    datasetId = r.json().datasetId;
    assert.equal(job.status, "succeeded");
    assert.equal(job.result.version, 1);
    assert.equal(job.result.rowCount, 50);
    assert.equal(job.result.report.encoding, "utf-8");
    const v = await call(t.app, { url: `/api/datasets/${datasetId}/versions`, cookie: officer });
    assert.equal(v.json().items.length, 1);
    assert.match(v.json().items[0].digest, /^(sm3|sha256):[0-9a-f]{64}$/);
    const leaf = await t.platform.services.ledger.entry(v.json().items[0].ledgerIndex);
    assert.equal(leaf.kind, "ingest.snapshot.committed");
    const snap = await t.platform.services.ingest.current(datasetId);
    assert.equal(snap?.rowCount, 50);
    assert.deepEqual(snap?.columns.map((c) => c.duckType), ["VARCHAR", "VARCHAR", "VARCHAR", "DATE", "DOUBLE", "BIGINT", "BOOLEAN", "TIMESTAMP"]);
    assert.ok(fs.existsSync(snap!.path) && /v1-[0-9a-z]+\.parquet$/.test(snap!.path));
    assert.deepEqual(stagingLeft(), []);
  });

  test("GBK CSV with semicolons, quotes and English column names is detected and loads", async () => {
    const rows = goodRows(30, 1000);
    rows[0][1] = "欧阳;娜娜";
    const header = PERSON_ITEMS.map((i) => i.nameEn);
    const text = `${[header, ...rows].map((r) => r.map((c) => (c.includes(";") ? `"${c}"` : c)).join(";")).join("\r\n")}\r\n`;
    const r = await upload(iconv.encode(text, "gbk"), "");
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().job.result.report.encoding, "gb18030");
    assert.equal(r.json().job.result.report.delimiter, ";");
    const page = await call(t.app, { url: `/api/datasets/${datasetId}/rows?pageSize=5`, cookie: officer });
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json().rows[0]["姓名"], "欧阳;娜娜");
    assert.equal(page.json().masked, false);
  });

  test("validation errors name row, column and reason; all-or-nothing refuses, skipBadRows loads the good rows", async () => {
    const rows = goodRows(10, 2000);
    rows[1][3] = "2024-13-45"; // row 3: bad date
    rows[2][4] = "一百"; // row 4: bad number
    rows[3][2] = "未知"; // row 5: not in code list
    rows[4][1] = "   "; // row 6: required (blank counts as empty)
    rows[5][1] = "名".repeat(31); // row 7: too long
    rows[6][0] = rows[0][0]; // row 8: duplicate key
    rows[7][5] = "2.5"; // row 9: not an integer
    rows[8][6] = "也许"; // row 10: not a boolean
    const before = await current();
    const r = await upload(csv(rows), "");
    assert.equal(r.statusCode, 400, r.body);
    const rep = r.json().error.details.report;
    assert.equal(rep.badRows, 8, JSON.stringify(rep.errors));
    assert.equal(rep.totalRows, 10);
    const got = rep.errors.map((e: { row: number; column: string; code: string }) => `${e.row}:${e.column}:${e.code}`);
    assert.deepEqual(got, ["3:出生日期:type", "4:参保金额:type", "5:性别:code_list", "6:姓名:required", "7:姓名:too_long", "8:公民身份号码:duplicate_key", "9:家庭人数:type", "10:是否在职:type"]);
    assert.match(rep.errors[0].message, /日期/);
    assert.equal(rep.errors[4].value, undefined, "values of sensitive items are not echoed");
    assert.equal(await current(), before);
    // The report is also kept on the job.
    const jobId = r.json().error.details.jobId;
    const report = await call(t.app, { url: `/api/datasets/loads/${jobId}/report`, cookie: officer });
    assert.equal(report.json().report.badRows, 8);
    const ok = await upload(csv(rows), "skipBadRows=true");
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().job.result.rowCount, 2);
    assert.equal(ok.json().job.result.report.goodRows, 2);
    assert.equal(await current(), before + 1);
    // The snapshot is exactly the good rows: the bad ones and the later duplicate key are not part of it
    // (for every reader: the relation, the preview and the diff).
    const snap = (await t.platform.services.ingest.current(datasetId))!;
    assert.ok(snap.layout.deletes, "the duplicate key is listed in a deletes file");
    const keys = await t.platform.lake.run(async (c) => (await c.runAndReadAll(`SELECT "公民身份号码" AS k FROM ${snap.sql}`)).getRowObjectsJson().map((x) => x.k));
    assert.deepEqual(keys, [rows[0][0], rows[9][0]]);
    const pv = await call(t.app, { url: `/api/datasets/${datasetId}/rows?pageSize=50`, cookie: officer });
    assert.equal(pv.statusCode, 200, pv.body);
    assert.deepEqual(pv.json().rows.map((x: Record<string, unknown>) => x["公民身份号码"]), keys);
    assert.equal(pv.json().total, 2);
  });

  test("XLSX (streamed), JSON array, NDJSON and Parquet load", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("数据");
    ws.addRow(HEADER);
    for (const r of goodRows(20, 3000)) ws.addRow([r[0], r[1], r[2], new Date(Date.UTC(1990, 4, 6)), Number(r[4]), Number(r[5]), r[6], r[7]]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    fs.writeFileSync(path.join(tmp, "good.xlsx"), xlsx);
    const x = await upload(xlsx, "", officer, "人员.xlsx");
    assert.equal(x.statusCode, 201, x.body);
    assert.equal(x.json().job.result.rowCount, 20);
    assert.equal(x.json().job.result.report.format, "xlsx");

    const objs = goodRows(5, 4000).map((r) => Object.fromEntries(HEADER.map((h, i) => [h, i === 5 ? Number(r[i]) : r[i]])));
    const j = await upload(JSON.stringify(objs), "", officer, "a.json");
    assert.equal(j.statusCode, 201, j.body);
    assert.equal(j.json().job.result.report.format, "json");
    const nd = await upload(objs.map((o) => JSON.stringify(o)).join("\n"), "", officer, "a.ndjson");
    assert.equal(nd.statusCode, 201, nd.body);
    assert.equal(nd.json().job.result.rowCount, 5);

    const snap = (await t.platform.services.ingest.current(datasetId))!;
    const pq = path.join(tmp, "x.parquet");
    await t.platform.lake.run((c) => c.run(`COPY (SELECT * FROM ${snap.sql}) TO '${pq}' (FORMAT parquet)`));
    const p = await upload(fs.readFileSync(pq), "", officer, "x.parquet");
    assert.equal(p.statusCode, 201, p.body);
    assert.equal(p.json().job.result.report.format, "parquet");
    assert.equal(p.json().job.result.rowCount, 5);
  });

  test("bad input: wrong encoding, truncated XLSX, ragged CSV, 0 bytes, missing column — clear errors, nothing lost", async () => {
    const before = await current();
    const snapBefore = (await t.platform.services.ingest.current(datasetId))!;
    const digestBefore = (await call(t.app, { url: `/api/datasets/${datasetId}/versions`, cookie: officer })).json().items[0].digest;

    const bad = Buffer.concat([Buffer.from(`${HEADER.join(",")}\n`), Buffer.from([0x31, 0x2c, 0xff, 0x80, 0xff, 0x0a])]);
    const enc = await upload(bad, "", officer, "latin.csv");
    assert.equal(enc.statusCode, 400, enc.body);
    assert.equal(enc.json().error.field, "file");
    assert.match(enc.json().error.message, /编码无法识别.*第 2 行/);

    const xlsx = fs.readFileSync(path.join(tmp, "good.xlsx"));
    const tr = await upload(xlsx.subarray(0, Math.floor(xlsx.length / 2)), "", officer, "cut.xlsx");
    assert.equal(tr.statusCode, 400, tr.body);
    assert.match(tr.json().error.message, /损坏或不完整/);

    const rows = goodRows(6, 5000);
    const ragged = csv(rows).split("\r\n");
    ragged[2] += ",多余";
    ragged[4] = ragged[4].split(",").slice(0, 3).join(",");
    const rg = await upload(ragged.join("\r\n"), "", officer, "ragged.csv");
    assert.equal(rg.statusCode, 400, rg.body);
    assert.ok(rg.json().error.details?.report, rg.body);
    const re = rg.json().error.details.report.errors.filter((e: { code: string }) => e.code === "ragged");
    assert.deepEqual(re.map((e: { row: number }) => e.row), [3, 5]);
    assert.match(re[0].message, /列数多于表头/);
    // The good rows of a ragged file can be loaded.
    const rgSkip = await upload(ragged.join("\r\n"), "skipBadRows=true", officer, "ragged.csv");
    assert.equal(rgSkip.statusCode, 201, rgSkip.body);
    assert.equal(rgSkip.json().job.result.rowCount, 4);
    await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/rollback`, cookie: officer, body: { version: before } });

    const empty = await upload(Buffer.alloc(0), "", officer, "empty.csv");
    assert.equal(empty.statusCode, 400, empty.body);
    assert.match(empty.json().error.message, /文件为空/);

    const missing = await upload(csv(goodRows(3)).split("\r\n").map((l) => l.split(",").slice(1).join(",")).join("\r\n"), "", officer, "nokey.csv");
    assert.equal(missing.statusCode, 400, missing.body);
    assert.match(missing.json().error.message, /缺少必填信息项对应的列：公民身份号码/);

    const unknown = await upload(csv(goodRows(3)).replace("登记时间", "备注"), "", officer, "unknown.csv");
    assert.equal(unknown.statusCode, 400, unknown.body);
    assert.ok(unknown.json().error.details.report.errors.some((e: { code: string; column: string; row: number }) => e.code === "unknown_column" && e.column === "备注" && e.row === 1));

    assert.equal(await current(), before);
    const snapAfter = (await t.platform.services.ingest.current(datasetId))!;
    assert.equal(snapAfter.path, snapBefore.path);
    const versions = (await call(t.app, { url: `/api/datasets/${datasetId}/versions`, cookie: officer })).json().items;
    assert.equal(versions.find((v: { current: boolean }) => v.current).digest, digestBefore);
    assert.deepEqual(stagingLeft(), []);
  });

  test("rollback is one atomic switch in the ledger; diff by key lists added, removed and changed rows", async () => {
    const base = goodRows(20, 6000);
    const v1 = await upload(csv(base), "");
    const a = v1.json().job.result.version;
    const next = base.slice(2).map((r) => [...r]);
    next[0][4] = "1.50"; // changed amount
    next[1][2] = next[1][2] === "男" ? "女" : "男"; // changed gender
    next.push(...goodRows(3, 7000)); // added
    const v2 = await upload(csv(next), "");
    const b = v2.json().job.result.version;
    const d = await call(t.app, { url: `/api/datasets/${datasetId}/diff?from=${a}&to=${b}&limit=5`, cookie: officer });
    assert.equal(d.statusCode, 200, d.body);
    const diff = d.json();
    assert.deepEqual([diff.added, diff.removed, diff.changed, diff.unchanged], [3, 2, 2, 16]);
    assert.deepEqual(diff.key, ["公民身份号码"]);
    assert.deepEqual(diff.examples.changed.map((c: { columns: { column: string }[] }) => c.columns.map((x) => x.column)).flat().sort(), ["参保金额", "性别"].sort());

    const rb = await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/rollback`, cookie: officer, body: { version: a, reason: "误传" } });
    assert.equal(rb.statusCode, 200, rb.body);
    assert.equal(rb.json().dataset.currentVersion, a);
    const leaves = await t.platform.services.ledger.entriesBySubject((await t.platform.services.ingest.current(datasetId))!.datasetId ? `${(await call(t.app, { url: `/api/datasets/${datasetId}`, cookie: officer })).json().dataset.entryCode}#${datasetId}@v${a}` : "");
    assert.ok(leaves.some((l) => l.kind === "ingest.snapshot.rolledback"));
    assert.equal((await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/rollback`, cookie: other, body: { version: b } })).statusCode, 403);
    assert.equal((await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/rollback`, cookie: officer, body: { version: 999 } })).statusCode, 404);
  });

  test("keep N versions: older files are removed after the switch and cannot be rolled back to", async () => {
    assert.equal((await call(t.app, { method: "PUT", url: `/api/datasets/${datasetId}`, cookie: officer, body: { keepVersions: 2 } })).statusCode, 200);
    await upload(csv(goodRows(4, 8000)), "");
    const items = (await call(t.app, { url: `/api/datasets/${datasetId}/versions`, cookie: officer })).json().items;
    const kept = items.filter((v: { kept: boolean }) => v.kept);
    assert.equal(kept.length, 2);
    const files = fs.readdirSync(path.join(t.platform.lake.dir, "datasets", datasetId));
    assert.equal(files.length, 2);
    const gone = items.find((v: { kept: boolean }) => !v.kept);
    const rb = await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/rollback`, cookie: officer, body: { version: gone.version } });
    assert.equal(rb.statusCode, 404);
  });

  test("preview outside the provider is masked and every read is in the ledger", async () => {
    const size = await t.platform.services.ledger.size();
    const p = await call(t.app, { url: `/api/datasets/${datasetId}/rows?page=1&pageSize=3`, cookie: other });
    assert.equal(p.statusCode, 200, p.body);
    const body = p.json();
    assert.equal(body.masked, true);
    assert.equal(body.rows.length, 3);
    const own = (await call(t.app, { url: `/api/datasets/${datasetId}/rows?page=1&pageSize=3`, cookie: officer })).json();
    assert.notEqual(body.rows[0]["公民身份号码"], own.rows[0]["公民身份号码"]);
    assert.equal(body.rows[0]["性别"], own.rows[0]["性别"]);
    assert.equal(await t.platform.services.ledger.size(), size + 2);
    const anon = await call(t.app, { url: `/api/datasets/${datasetId}/rows` });
    assert.equal(anon.statusCode, 401);
  });

  test("jobs: an upload answers 202 with a job that the owner can follow; others cannot see it", async () => {
    const r = await call(t.app, { method: "POST", url: `/api/datasets/upload?entry=${entryId}`, cookie: officer, body: Buffer.from(csv(goodRows(10, 9000))), headers: { "content-type": "text/csv" } });
    assert.equal(r.statusCode, 202, r.body);
    const id = r.json().job.id;
    let job;
    for (let i = 0; i < 200; i++) {
      job = (await call(t.app, { url: `/api/jobs/${id}`, cookie: officer })).json().job;
      if (job.status === "succeeded" || job.status === "failed") break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(job.status, "succeeded", JSON.stringify(job));
    assert.equal(job.kind, "ingest.load");
    assert.equal((await call(t.app, { url: `/api/jobs/${id}`, cookie: other })).statusCode, 404);
    assert.equal((await call(t.app, { url: `/api/jobs/${id}`, cookie: admin })).statusCode, 200);
    const mine = await call(t.app, { url: "/api/jobs?mine=true", cookie: officer });
    assert.ok(mine.json().items.some((j: { id: string }) => j.id === id));
    // Only the provider's officers (and admins) load.
    assert.equal((await upload(csv(goodRows(2)), "", other)).statusCode, 403);
    assert.equal((await upload(csv(goodRows(2, 9500)), "", admin)).statusCode, 201);
  });

  test("source connector: the password never comes back; a source that is unreachable fails the job, losing nothing", async () => {
    const put = await call(t.app, { method: "PUT", url: `/api/datasets/${datasetId}/source`, cookie: officer, body: { url: "postgres://loader:s3cret-pw@127.0.0.1:1/hr", table: "persons", incrementalColumn: "updated_at" } });
    assert.equal(put.statusCode, 200, put.body);
    assert.ok(!put.body.includes("s3cret-pw"));
    assert.match(put.json().source.url, /loader:\*\*\*@/);
    assert.equal(put.json().source.intervalHours, 24);
    const get = await call(t.app, { url: `/api/datasets/${datasetId}/source`, cookie: officer });
    assert.ok(!get.body.includes("s3cret-pw"));
    // The edit form sends the redacted URL back: the stored password is kept, the other changes applied.
    const edit = await call(t.app, { method: "PUT", url: `/api/datasets/${datasetId}/source`, cookie: officer, body: { url: get.json().source.url, table: "persons_v2", incrementalColumn: "updated_at" } });
    assert.equal(edit.statusCode, 200, edit.body);
    assert.equal(edit.json().source.table, "persons_v2");
    const stored = await t.platform.database.db.selectFrom("ingest_sources" as never).select("url" as never).where("dataset_id" as never, "=", datasetId as never).executeTakeFirst() as { url: string };
    assert.equal(stored.url, "postgres://loader:s3cret-pw@127.0.0.1:1/hr");
    assert.equal((await call(t.app, { url: `/api/datasets/${datasetId}/source`, cookie: other })).statusCode, 403);
    const before = await current();
    const run = await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/source/run?wait=true`, cookie: officer });
    assert.equal(run.statusCode, 200, run.body);
    assert.equal(run.json().job.status, "failed");
    assert.ok(!run.body.includes("s3cret-pw"));
    assert.equal(await current(), before);
    assert.deepEqual(stagingLeft(), []);
    // The scheduler's timer starts a due source by itself and moves its next run on by the update cycle.
    const jobs = t.platform.services.jobs;
    const connectorJobs = async () => (await jobs.list({ kind: "ingest.connector", subject: datasetId, limit: 100 })).length;
    const jobsBefore = await connectorJobs();
    const srcs = t.platform.database.db as unknown as import("kysely").Kysely<{ ingest_sources: { dataset_id: string; next_run_at: Date | null } }>;
    await srcs.updateTable("ingest_sources").set({ next_run_at: new Date(Date.now() - 60_000) }).where("dataset_id", "=", datasetId).execute();
    t.platform.services.ingest.startScheduler(50);
    try {
      const until = Date.now() + 10_000;
      while ((await connectorJobs()) === jobsBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    } finally {
      t.platform.services.ingest.stopScheduler();
    }
    assert.equal(await connectorJobs(), jobsBefore + 1, "one run started by the timer");
    const next = (await srcs.selectFrom("ingest_sources").select("next_run_at").where("dataset_id", "=", datasetId).executeTakeFirst())!.next_run_at!;
    assert.ok(new Date(next).getTime() > Date.now() + 23 * 3600_000, "the next run is a cycle (每日) later");
    await t.platform.services.ingest.drain();
    assert.equal((await call(t.app, { method: "DELETE", url: `/api/datasets/${datasetId}/source`, cookie: officer })).statusCode, 204);
    const noStored = await call(t.app, { method: "PUT", url: `/api/datasets/${datasetId}/source`, cookie: officer, body: { url: "postgres://loader:***@127.0.0.1:1/hr", table: "persons" } });
    assert.equal(noStored.statusCode, 400, noStored.body);
    assert.equal(noStored.json().error.field, "url");
  });

  test("corrections make a new current version; recover() removes orphans and staging leftovers", async () => {
    const cur = (await t.platform.services.ingest.current(datasetId))!;
    const row = (await call(t.app, { url: `/api/datasets/${datasetId}/rows?pageSize=1`, cookie: officer })).json().rows[0];
    const actor = { kind: "user" as const, userId: "u", username: "officer1", displayName: "o", orgId: cur.providerOrgId, roles: ["data_officer" as const], via: "token" as const };
    const snap = await t.platform.services.ingest.applyCorrections(actor, datasetId, { reason: "异议核实", ref: "obj_1", changes: [{ key: { 公民身份号码: row["公民身份号码"] }, column: "家庭人数", value: "9" }] });
    assert.equal(snap.version, cur.version + 1);
    assert.equal(snap.rowCount, cur.rowCount);
    const after = (await call(t.app, { url: `/api/datasets/${datasetId}/rows?pageSize=1`, cookie: officer })).json().rows[0];
    assert.equal(String(after["家庭人数"]), "9");

    fs.mkdirSync(path.join(t.platform.lake.dir, "staging", "job_deadbeef"), { recursive: true });
    fs.writeFileSync(path.join(t.platform.lake.dir, "datasets", datasetId, "v99-deadbeef.parquet"), "x");
    const r = await t.platform.services.ingest.recover();
    assert.deepEqual(r.removedStaging, ["job_deadbeef"]);
    assert.deepEqual(r.removedFiles, [path.join("datasets", datasetId, "v99-deadbeef.parquet")]);
  });
});
