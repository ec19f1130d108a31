import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import {
  detectWatermark,
  embedWatermark,
  hasWatermark,
  seededRng,
  stripWatermark,
  stripWatermarkRows,
  syntheticAddress,
  syntheticBankCard,
  syntheticIdCard,
  syntheticMobile,
  syntheticName,
  syntheticUscc,
  watermarkKey,
  WATERMARK_CHARS,
  type Rng,
  type WatermarkColumn,
  type WatermarkTable,
} from "./index.ts";
import { chernoffLogTail } from "./watermark.ts";

/**
 * Watermarks on a realistic person-level extract: three recipients, one extract damaged the way a
 * leaker's spreadsheet work damages it (30% of rows dropped, shuffled, two columns dropped, saved
 * and reopened as .xlsx), traced back to the right recipient; unmarked data names nobody.
 */

const KEY = Buffer.from("8f1d3c2b4a59687766554433221100ffeeddccbbaa99887766554433221100aa", "hex");
const RECIPIENTS = [
  { recipient: "grant_01J8RS7A", label: "共享授权 grant_01J8RS7A（市人力资源和社会保障局）" },
  { recipient: "grant_01J8RS7B", label: "共享授权 grant_01J8RS7B（市民政局）" },
  { recipient: "key_01J8RS7C", label: "开放 API 密钥 key_01J8RS7C" },
];

const COLUMNS: WatermarkColumn[] = [
  { name: "公民身份号码", type: "字符型", key: true, sensitive: true, kind: "idcard" },
  { name: "姓名", type: "字符型", sensitive: true, kind: "name", length: 30 },
  { name: "性别", type: "字符型" },
  { name: "民族", type: "字符型" },
  { name: "出生日期", type: "日期型" },
  { name: "手机号码", type: "字符型", sensitive: true, kind: "mobile" },
  { name: "银行卡号", type: "字符型", sensitive: true, kind: "bankcard" },
  { name: "户籍地址", type: "字符型", sensitive: true, kind: "address" },
  { name: "工作单位", type: "字符型" },
  { name: "单位信用代码", type: "字符型", kind: "uscc" },
  { name: "参保金额", type: "数值型" },
  { name: "家庭人数", type: "整数型" },
  { name: "是否在职", type: "布尔型" },
  { name: "登记时间", type: "日期时间型" },
  { name: "备注" },
  { name: "补贴说明" },
];

const ETHNIC = ["汉族", "汉族", "汉族", "汉族", "回族", "满族", "壮族", "维吾尔族", "朝鲜族"];
const FIRMS = ["拱墅区米市巷街道社区卫生服务中心", "杭州运河科技有限公司", "江城市人民医院", "浙江大运河文化发展有限公司", "江城市第十五中学", "西湖区文新街道办事处"];
const FIRM_WORDS = ["社区卫生服务中心", "小学", "科技有限公司", "商贸有限公司", "街道办事处", "物业管理有限公司", "农贸市场"];
const REMARK_TAILS = ["材料齐全。", "待补充户口簿复印件", "经社区核实", "系统迁移数据"];
const REMARKS = [null, "无", "已核实，材料齐全。", "2024年1月5日", "申请人本人到场办理", "待补充户口簿复印件", "系统迁移数据", "\u200b已审核（原始数据含零宽字符）"];

const pad = (n: number) => String(n).padStart(2, "0");

function personTable(rows: number, seed: number): WatermarkTable {
  const r: Rng = seededRng(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows; i++) {
    const id = syntheticIdCard(r);
    const y = id.slice(6, 10);
    const m = Number(id.slice(10, 12));
    const d = Number(id.slice(12, 14));
    out.push({
      公民身份号码: id,
      姓名: syntheticName(r),
      性别: Number(id[16]) % 2 ? "男" : "女",
      民族: ETHNIC[Math.floor(r() * ETHNIC.length)],
      出生日期: i % 3 === 0 ? `${y}年${m}月${d}日` : `${y}-${pad(m)}-${pad(d)}`,
      手机号码: syntheticMobile(r),
      银行卡号: syntheticBankCard(r),
      户籍地址: syntheticAddress(r),
      工作单位: i % 5 === 0 ? FIRMS[Math.floor(r() * FIRMS.length)] : `${syntheticAddress(r).replace(/[0-9].*$/, "")}${FIRM_WORDS[Math.floor(r() * FIRM_WORDS.length)]}`,
      单位信用代码: syntheticUscc(r),
      参保金额: Math.round(r() * 1_000_000) / 100,
      家庭人数: 1 + Math.floor(r() * 6),
      是否在职: r() < 0.7,
      登记时间: `20${10 + Math.floor(r() * 15)}-${pad(m)}-${pad(d)} ${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}:00`,
      备注: i % 2 ? REMARKS[Math.floor(i / 2) % REMARKS.length] : `申请人${syntheticName(r)}于${y}年补录，${REMARK_TAILS[i % REMARK_TAILS.length]}`,
      补贴说明: `${100 + (i % 50)}万元`,
    });
  }
  return { columns: COLUMNS, rows: out };
}

/** Seeded Fisher–Yates. */
function shuffle<T>(xs: T[], r: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Write rows to .xlsx with exceljs and read them back, the way a spreadsheet round trip returns them. */
async function xlsxRoundTrip(rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const cols = Object.keys(rows[0]);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("导出数据");
  ws.addRow(cols);
  for (const row of rows) ws.addRow(cols.map((c) => row[c] ?? null));
  const buf = await wb.xlsx.writeBuffer();
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(buf);
  const sheet = back.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const v = (row.values as unknown[]).slice(1);
    out.push(Object.fromEntries(header.map((h, i) => [h, v[i] ?? null])));
  });
  return out;
}

const table = personTable(600, 20261201);
const extracts = RECIPIENTS.map((c) => embedWatermark(table, { key: KEY, recipient: c.recipient }));

test("marks go only into Chinese free text; keys, identifiers, numbers, dates, codes and categories are unchanged", () => {
  const { stats, rows } = extracts[0];
  assert.deepEqual(stats.carrierColumns.sort(), ["姓名", "工作单位", "户籍地址", "备注"].sort());
  const reasons = Object.fromEntries(stats.skippedColumns.map((s) => [s.column, s.reason]));
  assert.deepEqual(reasons, {
    公民身份号码: "key", 性别: "no-text", 民族: "categorical", 出生日期: "type", 手机号码: "identifier", 银行卡号: "identifier",
    单位信用代码: "identifier", 参保金额: "type", 家庭人数: "type", 是否在职: "type", 登记时间: "type", 补贴说明: "no-text",
  });
  assert.equal(rows.length, table.rows.length);
  let marked = 0;
  rows.forEach((row, i) => {
    const orig = table.rows[i];
    assert.notEqual(row, orig, "new row objects");
    for (const c of COLUMNS) {
      const a = orig[c.name];
      const b = row[c.name];
      if (!stats.carrierColumns.includes(c.name)) assert.equal(b, a, `${c.name} row ${i}`);
      else {
        assert.equal(stripWatermark(b), a, `${c.name} row ${i} strips back`);
        if (b !== a) {
          marked++;
          assert.ok(hasWatermark(b));
          // Invisible: the visible characters are the original's, in order, with the mark at the end.
          assert.equal(typeof b === "string" && b.startsWith(a as string), true);
          assert.match((b as string).slice((a as string).length), /^\u2060[\u200B\u200C\u200D\u2060]{3}$/u);
        }
      }
    }
  });
  assert.equal(marked, stats.markedCells);
  assert.ok(stats.markedCells > 1500, `${stats.markedCells} marked cells`);
  assert.ok(stats.evidenceBits > 3000);
  // Values that must not be touched even in a carrier column: a date written in Chinese, a cell that
  // already holds a zero-width character, "无" (one character), null.
  for (const row of rows) {
    if (row.备注 === "2024年1月5日" || row.备注 === "无" || row.备注 === null) assert.ok(!hasWatermark(row.备注));
    if (typeof row.备注 === "string" && row.备注.includes("原始数据含零宽字符")) assert.equal(row.备注, REMARKS[7]);
  }
  assert.deepEqual(stripWatermarkRows(rows), table.rows, "stripWatermark restores every original value");
  // Equal values carry equal marks in one extract (group-bys still work); different recipients differ.
  const byName = new Map<string, Set<unknown>>();
  rows.forEach((r, i) => byName.set(table.rows[i].姓名 as string, (byName.get(table.rows[i].姓名 as string) ?? new Set()).add(r.姓名)));
  for (const s of byName.values()) assert.equal(s.size, 1);
  const differ = rows.filter((r, i) => r.户籍地址 !== extracts[1].rows[i].户籍地址).length;
  assert.ok(differ > rows.length * 0.9, `${differ} addresses differ between recipients`);
  // A declared length is respected.
  const tight = embedWatermark({ columns: [{ name: "姓名", length: 4 }], rows: [{ 姓名: "王伟" }, { 姓名: "欧阳娜娜" }] }, { key: KEY, recipient: "x" });
  assert.equal(tight.stats.markedCells, 0);
});

test("a damaged extract (30% of rows dropped, shuffled, two columns dropped, through .xlsx) names its recipient", async () => {
  const r = seededRng(7);
  const leaked = shuffle(extracts[1].rows.filter(() => r() >= 0.3), r).map(({ 户籍地址: _a, 备注: _b, ...rest }) => rest);
  assert.ok(leaked.length < 450 && leaked.length > 380);
  const back = await xlsxRoundTrip(leaked);
  assert.equal(back.length, leaked.length);
  assert.equal(typeof back[0].参保金额, "number");
  assert.ok(back.some((row) => hasWatermark(row.姓名)), "Excel keeps the invisible characters");

  const t0 = performance.now();
  const res = detectWatermark({ rows: back }, RECIPIENTS, KEY);
  const ms = performance.now() - t0;
  assert.equal(res.verdict, "match");
  assert.equal(res.named.length, 1);
  const best = res.named[0];
  assert.equal(best.recipient, "grant_01J8RS7B");
  assert.equal(best.label, RECIPIENTS[1].label);
  assert.equal(best.matches, best.examined);
  assert.equal(best.matchedCells, res.markedCells);
  assert.ok(best.examined > 300, `${best.examined} distinct values`);
  assert.ok(best.log10AdjustedPValue < -100, `log10 p = ${best.log10AdjustedPValue}`);
  assert.ok(best.confidence > 1 - 1e-9);
  for (const other of res.candidates.slice(1)) {
    assert.equal(other.named, false);
    assert.ok(other.matchRate < 0.1, `${other.recipient} matched ${other.matches}/${other.examined}`);
    assert.ok(other.adjustedPValue > 1e-3);
  }
  assert.ok(ms < 2000, `${ms} ms`);
});

test("every undamaged extract names its own recipient, even among 300 candidates", () => {
  const many = [...Array.from({ length: 297 }, (_, i) => ({ recipient: `grant_other_${i}` })), ...RECIPIENTS];
  extracts.forEach((e, i) => {
    const res = detectWatermark({ rows: e.rows }, many, KEY);
    assert.equal(res.verdict, "match");
    assert.deepEqual(res.named.map((n) => n.recipient), [RECIPIENTS[i].recipient]);
  });
});

test("a few surviving marks are enough, and too few are not", () => {
  const names = extracts[2].rows.map((r) => ({ 姓名: r.姓名 })).filter((r, i, a) => a.findIndex((x) => stripWatermark(x.姓名) === stripWatermark(r.姓名)) === i);
  const five = detectWatermark({ rows: names.slice(0, 8) }, RECIPIENTS, KEY);
  assert.equal(five.verdict, "match");
  assert.equal(five.named[0].recipient, "key_01J8RS7C");
  const two = detectWatermark({ rows: names.slice(0, 2) }, RECIPIENTS, KEY);
  assert.notEqual(two.verdict, "match");
  assert.deepEqual(two.named, []);
});

test("unmarked data, data marked under another key and recipients not among the candidates name nobody", () => {
  const plain = detectWatermark(table, RECIPIENTS, KEY);
  assert.equal(plain.verdict, "none");
  assert.equal(plain.markedCells, 0);
  assert.deepEqual(plain.named, []);
  for (const c of plain.candidates) assert.equal(c.matches, 0);

  const otherKey = Buffer.alloc(32, 7);
  const foreign = embedWatermark(table, { key: otherKey, recipient: RECIPIENTS[0].recipient });
  const f = detectWatermark({ rows: foreign.rows }, RECIPIENTS, KEY);
  assert.equal(f.verdict, "unknown");
  assert.deepEqual(f.named, []);

  // 100 candidates, none of them the real recipient: no false accusation.
  const strangers = Array.from({ length: 100 }, (_, i) => ({ recipient: `key_stranger_${i}` }));
  const s = detectWatermark({ rows: extracts[0].rows }, strangers, KEY);
  assert.equal(s.verdict, "unknown");
  assert.deepEqual(s.named, []);
  assert.ok(s.candidates[0].adjustedPValue > 1e-3);
});

test("a file merging two recipients' extracts names both", () => {
  const merged = [...extracts[0].rows.slice(0, 200), ...extracts[2].rows.slice(300, 500)];
  const res = detectWatermark({ rows: merged }, RECIPIENTS, KEY);
  assert.equal(res.verdict, "several");
  assert.deepEqual(res.named.map((n) => n.recipient).sort(), [RECIPIENTS[0].recipient, RECIPIENTS[2].recipient].sort());
  // The same among many candidates, where each is screened first on a sample spread over the file.
  const many = [...Array.from({ length: 60 }, (_, i) => ({ recipient: `grant_other_${i}` })), ...RECIPIENTS];
  const again = detectWatermark({ rows: merged }, many, KEY);
  assert.equal(again.verdict, "several");
  assert.deepEqual(again.named.map((n) => n.recipient).sort(), [RECIPIENTS[0].recipient, RECIPIENTS[2].recipient].sort());
});

test("p-values of recipients that did not receive the file are not too small (calibration under H0)", () => {
  const strangers = Array.from({ length: 1000 }, (_, i) => ({ recipient: `key_null_${i}` }));
  const res = detectWatermark({ rows: extracts[1].rows }, strangers, KEY);
  const p = res.candidates.map((c) => 10 ** c.log10PValue);
  for (const alpha of [0.01, 0.05, 0.2]) {
    const share = p.filter((x) => x < alpha).length / p.length;
    assert.ok(share <= alpha * 1.5 + 0.005, `${share} of p-values below ${alpha}`);
  }
  assert.deepEqual(res.named, []);
});

test("a GBK re-save destroys the marks and detection says so", () => {
  const gbk = extracts[0].rows.map((row) => ({ 姓名: iconv.decode(iconv.encode(String(row.姓名), "gbk"), "gbk") }));
  const res = detectWatermark({ rows: gbk }, RECIPIENTS, KEY);
  assert.equal(res.verdict, "none");
  assert.ok(res.gbkDamagedCells > 400);
});

test("marks survive renamed columns and text concatenated across cells", () => {
  const rows = extracts[1].rows.slice(0, 40).map((r) => ({ 甲: `${r.姓名}，${r.户籍地址}` }));
  const res = detectWatermark({ rows }, RECIPIENTS, KEY);
  assert.equal(res.verdict, "match");
  assert.equal(res.named[0].recipient, "grant_01J8RS7B");
  assert.equal(res.named[0].matches, res.named[0].examined);
});

test("the Chernoff tail bounds the exact binomial tail from above", () => {
  const p = 1 / 64;
  const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
  const exact = (n: number, k: number) => { let s = 0; for (let j = k; j <= n; j++) s += choose(n, j) * p ** j * (1 - p) ** (n - j); return s; };
  for (const [n, k] of [[20, 2], [20, 5], [50, 10], [100, 30], [10, 10], [200, 4]]) {
    const bound = Math.exp(chernoffLogTail(k, Array(n).fill(p)));
    assert.ok(bound >= exact(n, k) * (1 - 1e-9), `n=${n} k=${k}: ${bound} < ${exact(n, k)}`);
    assert.ok(bound <= 1);
  }
  assert.equal(chernoffLogTail(0, [p, p]), 0);
  assert.ok(Math.abs(chernoffLogTail(3, [p, p, p]) - 3 * Math.log(p)) < 1e-12);
});

test("the carrier characters are the four published ones", () => {
  assert.equal(WATERMARK_CHARS.sentinel, "\u2060");
  assert.deepEqual([...WATERMARK_CHARS.symbols], ["\u200B", "\u200C", "\u200D", "\u2060"]);
  assert.equal(stripWatermark("张伟\u2060\u200B\u200C\u200D"), "张伟");
  assert.equal(stripWatermark("a\u200Bb"), "a\u200Bb", "a lone zero-width space in the original stays");
  assert.equal(stripWatermark(12.5), 12.5);
  assert.equal(stripWatermark(null), null);
});

test("watermarkKey: environment first, else a 0600 key file created once, the same for concurrent callers", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gongshu-wmkey-"));
  try {
    const env = {};
    const keys = await Promise.all([watermarkKey(dir, { env }), watermarkKey(dir, { env }), watermarkKey(dir, { env })]);
    assert.equal(keys[0].length, 32);
    assert.ok(keys.every((k) => k.equals(keys[0])));
    const file = path.join(dir, "keys", "watermark.key");
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await fs.readdir(path.join(dir, "keys"))).sort(), ["watermark.key"], "no temporary files left");
    assert.ok((await watermarkKey(dir, { env, create: false })).equals(keys[0]));
    await assert.rejects(watermarkKey(path.join(dir, "none"), { env, create: false }), /no watermark key/);

    const hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    assert.equal((await watermarkKey(dir, { env: { GONGSHU_WATERMARK_KEY: hex } })).toString("hex"), hex);
    const secret = "abcdef0123";
    await assert.rejects(watermarkKey(dir, { env: { GONGSHU_WATERMARK_KEY: secret } }), (e: Error) => !e.message.includes(secret));
    assert.ok((await watermarkKey("memory://a", { env })).equals(await watermarkKey("memory://a", { env })));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
