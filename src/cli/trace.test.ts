import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { stringify } from "csv-stringify/sync";
import { DuckDBInstance } from "@duckdb/node-api";
import { createTestPlatform, type TestPlatform } from "../../test/helpers.ts";
import {
  embedWatermark, seededRng, syntheticAddress, syntheticIdCard, syntheticMobile, syntheticName, watermarkKey,
  type Rng, type WatermarkTable,
} from "../modules/protection/index.ts";
import { formatConfidence, runTrace, watermarkCandidates } from "./trace.ts";

/**
 * `gongshu trace` end to end: deliveries recorded in the ledger with `data.watermark`, three
 * watermarked extracts, one damaged (30% of rows dropped, shuffled, a column dropped, saved as
 * .xlsx), traced from files in every delivered format; an unmarked GBK CSV names nobody.
 */

const RECIPIENTS = [
  { recipient: "grant_hr_01", label: "共享授权 grant_hr_01（市人力资源和社会保障局）" },
  { recipient: "grant_ca_02", label: "共享授权 grant_ca_02（市民政局）" },
  { recipient: "key_open_03", label: "开放 API 密钥 key_open_03" },
];

function table(rows: number, seed: number): WatermarkTable {
  const r: Rng = seededRng(seed);
  return {
    columns: [
      { name: "公民身份号码", key: true, kind: "idcard" }, { name: "姓名", kind: "name" }, { name: "手机号码", kind: "mobile" },
      { name: "住址", kind: "address" }, { name: "补助金额", type: "数值型" }, { name: "登记日期", type: "日期型" },
    ],
    rows: Array.from({ length: rows }, (_, i) => ({
      公民身份号码: syntheticIdCard(r), 姓名: syntheticName(r), 手机号码: syntheticMobile(r), 住址: syntheticAddress(r),
      补助金额: Math.round(r() * 500_000) / 100, 登记日期: `2025-${String(1 + (i % 12)).padStart(2, "0")}-15`,
    })),
  };
}

let tp: TestPlatform;
let dir: string;
const data = table(300, 42);
let extracts: Record<string, unknown>[][];

before(async () => {
  tp = await createTestPlatform();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "gongshu-trace-"));
  const p = tp.platform;
  const key = await watermarkKey(p.config.dataDir);
  extracts = RECIPIENTS.map((c) => embedWatermark(data, { key, recipient: c.recipient }).rows);
  // Other ledger traffic first (more than one entry tile), then the deliveries, one recipient twice.
  await p.database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < 260; i++) await p.services.ledger.append(tx, { kind: "test.other", subject: `s-${i}`, data: { n: i } });
    for (const [i, c] of [...RECIPIENTS, RECIPIENTS[1]].entries()) {
      await p.services.ledger.append(tx, { kind: "sharing.delivery", subject: c.recipient, data: { rows: 300, format: "xlsx", watermark: { recipient: c.recipient, label: c.label }, seq: i } });
    }
    await p.services.ledger.append(tx, { kind: "test.bad", subject: "x", data: { watermark: { recipient: "" } } });
  });
});

after(async () => {
  await tp?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function run(file: string, extra: Partial<Parameters<typeof runTrace>[0]> = {}) {
  let out = "";
  const r = await runTrace({ file, platform: tp.platform, write: (s) => (out += s), ...extra });
  return { ...r, out };
}

async function writeXlsx(file: string, rows: Record<string, unknown>[]): Promise<void> {
  const cols = Object.keys(rows[0]);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("数据");
  ws.addRow(cols);
  for (const row of rows) ws.addRow(cols.map((c) => row[c] ?? null));
  await wb.xlsx.writeFile(file);
}

test("the ledger's deliveries are the candidates, one per recipient with its label", async () => {
  const c = await watermarkCandidates(tp.platform.services.ledger);
  assert.deepEqual(c.map((x) => x.recipient).sort(), RECIPIENTS.map((x) => x.recipient).sort());
  assert.equal(c.find((x) => x.recipient === "grant_ca_02")?.deliveries, 2);
  assert.equal(c.find((x) => x.recipient === "key_open_03")?.label, RECIPIENTS[2].label);
});

test("a damaged extract re-saved as .xlsx is traced to its grant (exit 0)", async () => {
  const r = seededRng(99);
  const rows = extracts[1].filter(() => r() >= 0.3).map(({ 住址: _drop, ...rest }) => rest);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const file = path.join(dir, "leaked.xlsx");
  await writeXlsx(file, rows);
  const res = await run(file);
  assert.equal(res.exitCode, 0, res.out);
  assert.match(res.out, /溯源结果：grant_ca_02（共享授权 grant_ca_02（市民政局）） 置信度 (> )?99\.9+%（匹配 (\d+)\/\2 个标记单元格/);
  assert.match(res.out, /Result: issued to grant_ca_02/);
  assert.match(res.out, /账本中向其交付 2 次/);
  assert.equal(res.report.named?.length, 1);
  assert.equal(res.report.rows, rows.length);

  const js = await run(file, { json: true });
  const obj = JSON.parse(js.out);
  assert.equal(obj.exitCode, 0);
  assert.equal(obj.verdict, "match");
  assert.equal(obj.named[0].recipient, "grant_ca_02");
  assert.ok(obj.named[0].confidence > 1 - 1e-9);
  assert.ok(obj.top.slice(1).every((c: { named: boolean }) => !c.named));
});

test("a UTF-8 CSV, an NDJSON file and a Parquet file are traced too", async () => {
  const csv = path.join(dir, "a.csv");
  await fs.writeFile(csv, "\uFEFF" + stringify(extracts[0], { header: true }));
  const a = await run(csv);
  assert.equal(a.exitCode, 0, a.out);
  assert.equal(a.report.named?.[0].recipient, "grant_hr_01");
  assert.equal(a.report.format, "csv");

  const nd = path.join(dir, "c.ndjson");
  await fs.writeFile(nd, extracts[2].slice(0, 50).map((x) => JSON.stringify(x)).join("\n"));
  const c = await run(nd);
  assert.equal(c.report.named?.[0].recipient, "key_open_03");

  const pq = path.join(dir, "c.parquet");
  const inst = await DuckDBInstance.create(":memory:");
  const con = await inst.connect();
  await con.run(`COPY (SELECT * FROM read_json_auto('${nd}')) TO '${pq}' (FORMAT parquet)`);
  con.closeSync();
  inst.closeSync();
  const q = await run(pq);
  assert.equal(q.exitCode, 0, q.out);
  assert.equal(q.report.format, "parquet");
  assert.equal(q.report.named?.[0].recipient, "key_open_03");
});

test("unmarked data names nobody (exit 1); unreadable input exits 2", async () => {
  const gbk = path.join(dir, "plain.csv");
  await fs.writeFile(gbk, iconv.encode(stringify(data.rows, { header: true }), "gbk"));
  const u = await run(gbk);
  assert.equal(u.exitCode, 1, u.out);
  assert.equal(u.report.encoding, "gb18030");
  assert.equal(u.report.verdict, "none");
  assert.match(u.out, /未发现水印 \/ no watermark found/);

  const foreign = path.join(dir, "foreign.csv");
  await fs.writeFile(foreign, stringify(embedWatermark(data, { key: Buffer.alloc(32, 1), recipient: "grant_hr_01" }).rows, { header: true }));
  const f = await run(foreign);
  assert.equal(f.exitCode, 1);
  assert.equal(f.report.verdict, "unknown");
  assert.match(f.out, /未认定接收方/);

  const bad = path.join(dir, "broken.xlsx");
  await fs.writeFile(bad, "PK\u0003\u0004 not really a zip");
  assert.equal((await run(bad)).exitCode, 2);
  const missing = await run(path.join(dir, "nope.csv"), { json: true });
  assert.equal(missing.exitCode, 2);
  assert.match(JSON.parse(missing.out).error, /无法读取文件/);
});

test("--candidate adds recipients the ledger does not know", async () => {
  const file = path.join(dir, "x.json");
  const rows = embedWatermark(data, { key: await watermarkKey(tp.platform.config.dataDir), recipient: "key_unrecorded_9" }).rows;
  await fs.writeFile(file, JSON.stringify({ data: rows.slice(0, 40) }));
  assert.equal((await run(file)).report.verdict, "unknown");
  const r = await run(file, { extraCandidates: ["key_unrecorded_9"] });
  assert.equal(r.exitCode, 0);
  assert.equal(r.report.named?.[0].recipient, "key_unrecorded_9");
});

test("confidence is printed without rounding up", () => {
  assert.equal(formatConfidence(-6), "99.9999%");
  assert.equal(formatConfidence(Math.log10(3e-7)), "99.9999%");
  assert.equal(formatConfidence(Math.log10(2e-9)), "99.999999%");
  assert.equal(formatConfidence(-40), "> 99.9999999999%");
  assert.equal(formatConfidence(-1), "90.0%");
});
