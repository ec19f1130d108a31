import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { EntryContent } from "../../modules/catalog/index.ts";
import { checkContent } from "../../modules/catalog/index.ts";
import { generateOrgs } from "../generator.ts";
import {
  DEMO_AUTHORITATIVE_SOURCES, DEMO_DATASETS, DEMO_DATASET_KEYS, expectedConflicts, generateDemoDatasets, resolveOptions,
  type DemoDatasetKey, type DirtKind, type GeneratedDataset,
} from "./index.ts";

// ---------------------------------------------------------------------------------------------------------
// Independent checkers, written from RULES.md §11 (not shared with the generator or the protection module)

function idCardValid(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const w = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
  const sum = [...s.slice(0, 17)].reduce((acc, ch, i) => acc + Number(ch) * w[i], 0);
  return "10X98765432"[sum % 11] === s[17];
}
function usccValid(s: string): boolean {
  const cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (s.length !== 18 || [...s].some((ch) => !cs.includes(ch))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += cs.indexOf(s[i]) * (3 ** i % 31);
  if (cs[(31 - (sum % 31)) % 31] !== s[17]) return false;
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  let os_ = 0;
  for (let i = 0; i < 8; i++) {
    const ch = s[8 + i];
    os_ += (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55) * ow[i];
  }
  const r = 11 - (os_ % 11);
  return (r === 10 ? "X" : r === 11 ? "0" : String(r)) === s[16];
}
const MOBILE = /^1[3-9]\d{9}$/;

describe("independent checkers agree with the RULES §11 vectors", () => {
  it("身份证 and USCC", () => {
    assert.ok(idCardValid("11010519491231002X"));
    assert.ok(idCardValid("360426199101010071"));
    assert.ok(!idCardValid("110105194912310021"));
    assert.ok(usccValid("91110000600037341L"));
    assert.ok(usccValid("91350100M000100Y43"));
    assert.ok(!usccValid("91110000600037341M"));
  });
});

// ---------------------------------------------------------------------------------------------------------

const OPTS = { seed: 7, population: 20_000, legalEntities: 5_000, busDays: 8, airDays: 6, asOf: "2026-11-20" };
type Row = Record<string, string>;

function readCsv(g: GeneratedDataset): Row[] {
  const buf = readFileSync(g.path);
  const text = g.encoding === "gbk" ? iconv.decode(buf, "gbk") : buf.toString("utf8");
  return parse(text, { columns: true, skip_empty_lines: true }) as Row[];
}
const dirtRows = (g: GeneratedDataset, kind: DirtKind) => {
  const d = g.dirt.find((x) => x.kind === kind);
  assert.ok(d, `${g.key} has no expected ${kind}`);
  return d.rows;
};
const count = <T>(xs: T[], f: (x: T) => boolean) => xs.reduce((n, x) => n + (f(x) ? 1 : 0), 0);
const itemsOf = (key: DemoDatasetKey) => DEMO_DATASETS.find((d) => d.key === key)!.content.items;

describe("demo datasets", () => {
  let dir: string;
  let out: Record<DemoDatasetKey, GeneratedDataset>;
  const rows = {} as Record<DemoDatasetKey, Row[]>;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "gongshu-demo-ds-"));
    out = await generateDemoDatasets({ ...OPTS, outDir: path.join(dir, "a") });
    for (const k of DEMO_DATASET_KEYS) rows[k] = readCsv(out[k]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("headers are the data item names, row counts are reported, code lists and required items hold outside the dirt", () => {
    for (const k of DEMO_DATASET_KEYS) {
      const items = itemsOf(k);
      const text = readFileSync(out[k].path);
      const header = (out[k].encoding === "gbk" ? iconv.decode(text, "gbk") : text.toString("utf8")).split("\n")[0].trim();
      assert.equal(header, items.map((i) => i.name).join(","), k);
      assert.equal(rows[k].length, out[k].rows, k);
      const dirtyCols = new Set(out[k].dirt.filter((d) => d.kind === "missingRequired" || d.kind === "outOfCodeList").map((d) => d.column));
      for (const it of items) {
        if (dirtyCols.has(it.name)) continue;
        if (it.required) assert.equal(count(rows[k], (r) => r[it.name] === ""), 0, `${k}.${it.name} required`);
        if (it.codeList) assert.equal(count(rows[k], (r) => r[it.name] !== "" && !it.codeList!.includes(r[it.name])), 0, `${k}.${it.name} code list`);
        if (it.length && it.type === "字符型") assert.equal(count(rows[k], (r) => [...r[it.name]].length > it.length!), 0, `${k}.${it.name} length`);
      }
    }
  });

  it("人口: valid 身份证 consistent with birth date and sex, except the counted dirt", () => {
    const pop = rows.population;
    const g = out.population;
    assert.equal(pop.length, OPTS.population);
    assert.equal(count(pop, (r) => !idCardValid(r.公民身份号码)), dirtRows(g, "badCheckDigit"));
    for (const r of pop) {
      if (!idCardValid(r.公民身份号码)) continue;
      const id = r.公民身份号码;
      assert.equal(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, r.出生日期, id);
      if (r.性别 === "男" || r.性别 === "女") assert.equal(Number(id[16]) % 2 === 1 ? "男" : "女", r.性别, id);
      assert.ok(r.出生日期 <= OPTS.asOf);
    }
    assert.equal(count(pop, (r) => r.姓名 === ""), dirtRows(g, "missingRequired"));
    assert.equal(count(pop, (r) => r.性别 !== "男" && r.性别 !== "女"), dirtRows(g, "outOfCodeList"));
    assert.equal(count(pop, (r) => r.登记日期 > OPTS.asOf), dirtRows(g, "futureDate"));
    assert.equal(count(pop, (r) => !MOBILE.test(r.手机号码)), dirtRows(g, "badMobile"));
    assert.equal(pop.length - new Set(pop.map((r) => r.公民身份号码)).size, dirtRows(g, "duplicateKey"));
    // Each dirty row has one kind of dirt only.
    const kinds = (r: Row) => [!idCardValid(r.公民身份号码), r.姓名 === "", r.性别 !== "男" && r.性别 !== "女", r.登记日期 > OPTS.asOf, !MOBILE.test(r.手机号码)].filter(Boolean).length;
    assert.equal(count(pop, (r) => kinds(r) > 1), 0);
    assert.ok(pop.every((r) => r.户籍地址.startsWith("江城市")));
    // Realistic mix: both sexes, several ethnic groups, people of all ages.
    assert.ok(count(pop, (r) => r.性别 === "女") > pop.length * 0.45);
    assert.ok(new Set(pop.map((r) => r.民族)).size >= 5);
    assert.ok(count(pop, (r) => r.出生日期 < "1960-01-01") > pop.length * 0.08);
  });

  it("法人库: valid USCCs except the counted dirt", () => {
    const le = rows.legal_entities;
    const g = out.legal_entities;
    assert.equal(le.length, OPTS.legalEntities);
    assert.equal(count(le, (r) => !usccValid(r.统一社会信用代码)), dirtRows(g, "badCheckDigit"));
    assert.equal(count(le, (r) => r.机构名称 === ""), dirtRows(g, "missingRequired"));
    const status = itemsOf("legal_entities").find((i) => i.name === "经营状态")!.codeList!;
    assert.equal(count(le, (r) => !status.includes(r.经营状态)), dirtRows(g, "outOfCodeList"));
    assert.equal(count(le, (r) => r.成立日期 > OPTS.asOf), dirtRows(g, "futureDate"));
    assert.equal(le.length - new Set(le.map((r) => r.统一社会信用代码)).size, dirtRows(g, "duplicateKey"));
    const demoOrgCodes = new Set(generateOrgs().map((o) => o.code));
    assert.equal(count(le, (r) => demoOrgCodes.has(r.统一社会信用代码)), 0, "no clash with the demo organisations");
  });

  it("社会保险: overlaps the 人口库 with exactly the deliberate 户籍地址 / 手机号码 conflicts", () => {
    const byId = new Map(rows.population.map((r) => [r.公民身份号码, r]));
    const si = rows.social_insurance;
    const g = out.social_insurance;
    const conflicts = expectedConflicts(resolveOptions(OPTS));
    const want = (col: string) => conflicts.find((c) => c.dataset === "social_insurance" && c.column === col)!.rows;
    assert.equal(si.length, Math.round(OPTS.population * 0.3));
    assert.equal(count(si, (r) => !idCardValid(r.公民身份号码)), dirtRows(g, "badCheckDigit"));
    const matched = si.filter((r) => byId.has(r.公民身份号码));
    assert.equal(matched.length, si.length - dirtRows(g, "badCheckDigit"), "every valid ID is in the 人口库");
    assert.equal(count(matched, (r) => r.户籍地址 !== byId.get(r.公民身份号码)!.户籍地址), want("户籍地址"));
    assert.equal(count(matched, (r) => r.手机号码 !== byId.get(r.公民身份号码)!.手机号码), want("手机号码"));
    assert.equal(count(matched, (r) => r.姓名 !== byId.get(r.公民身份号码)!.姓名 || r.性别 !== byId.get(r.公民身份号码)!.性别), 0);
    assert.ok(want("户籍地址") + want("手机号码") >= si.length * 0.009, "about 1% conflicts");
    assert.equal(count(si, (r) => r.参保险种 === ""), dirtRows(g, "missingRequired"));
    assert.equal(count(si, (r) => !["参保缴费", "暂停缴费", "终止参保"].includes(r.参保状态)), dirtRows(g, "outOfCodeList"));
    assert.equal(count(si, (r) => r.参保日期 > OPTS.asOf), dirtRows(g, "futureDate"));
    const employers = new Set(rows.legal_entities.map((r) => r.统一社会信用代码));
    const withEmployer = si.filter((r) => r.统一社会信用代码 !== "");
    assert.ok(withEmployer.length > si.length * 0.2);
    assert.ok(withEmployer.every((r) => usccValid(r.统一社会信用代码) && employers.has(r.统一社会信用代码)));
  });

  it("市场主体登记: overlaps the 法人库 with exactly the deliberate 住所 / 法定代表人 conflicts", () => {
    const le = rows.legal_entities;
    const keyCount = new Map<string, number>();
    for (const r of le) keyCount.set(r.统一社会信用代码, (keyCount.get(r.统一社会信用代码) ?? 0) + 1);
    const byUscc = new Map(le.map((r) => [r.统一社会信用代码, r]));
    const me = rows.market_entities;
    const g = out.market_entities;
    const want = (col: string) => expectedConflicts(resolveOptions(OPTS)).find((c) => c.against === "market_entities" && c.column === col)!.rows;
    assert.ok(me.every((r) => usccValid(r.统一社会信用代码) && keyCount.get(r.统一社会信用代码) === 1), "each register entry matches one 法人库 row");
    assert.ok(me.length > OPTS.legalEntities * 0.85);
    assert.equal(count(me, (r) => r.住所 !== byUscc.get(r.统一社会信用代码)!.住所), want("住所"));
    assert.equal(count(me, (r) => r.法定代表人 !== byUscc.get(r.统一社会信用代码)!.法定代表人), want("法定代表人"));
    assert.equal(count(me, (r) => r.机构名称 !== byUscc.get(r.统一社会信用代码)!.机构名称), 0);
    assert.equal(count(me, (r) => r.登记机关 === ""), dirtRows(g, "missingRequired"));
    assert.equal(count(me, (r) => !["存续", "吊销", "注销", "迁出"].includes(r.登记状态)), dirtRows(g, "outOfCodeList"));
    assert.equal(count(me, (r) => r.核准日期 > OPTS.asOf), dirtRows(g, "futureDate"));
    assert.ok(me.every((r) => r.核准日期 > OPTS.asOf || r.核准日期 >= r.成立日期));
  });

  it("公交客流 and 空气质量: dirt counts, keys, AQI levels", () => {
    const bus = rows.bus_ridership;
    const gb = out.bus_ridership;
    assert.equal(gb.encoding, "gbk");
    assert.equal(count(bus, (r) => r.上车人次 === ""), dirtRows(gb, "missingRequired"));
    assert.equal(count(bus, (r) => r.所属区县 === "江北区"), dirtRows(gb, "outOfCodeList"));
    assert.equal(count(bus, (r) => r.统计日期 > OPTS.asOf), dirtRows(gb, "futureDate"));
    assert.equal(bus.length - new Set(bus.map((r) => `${r.统计日期}|${r.线路编号}|${r.站点编号}`)).size, dirtRows(gb, "duplicateKey"));
    assert.ok(bus.every((r) => r.上车人次 === "" || Number(r.上车人次) > 0));

    const air = rows.air_quality;
    const ga = out.air_quality;
    assert.equal(air.length, 10 * 24 * OPTS.airDays + dirtRows(ga, "duplicateKey"));
    assert.equal(count(air, (r) => r.空气质量指数 === ""), dirtRows(ga, "missingRequired"));
    assert.equal(count(air, (r) => r.空气质量级别 === "良好"), dirtRows(ga, "outOfCodeList"));
    assert.equal(count(air, (r) => r.监测时间 > `${OPTS.asOf} 23:59:59`), dirtRows(ga, "futureDate"));
    assert.equal(air.length - new Set(air.map((r) => `${r.监测站点编号}|${r.监测时间}`)).size, dirtRows(ga, "duplicateKey"));
    const level = (a: number) => (a <= 50 ? "优" : a <= 100 ? "良" : a <= 150 ? "轻度污染" : a <= 200 ? "中度污染" : a <= 300 ? "重度污染" : "严重污染");
    for (const r of air) {
      if (r.空气质量指数 === "" || r.空气质量级别 === "良好") continue;
      const aqi = Number(r.空气质量指数);
      assert.equal(r.空气质量级别, level(aqi));
      assert.equal(r.首要污染物 === "", aqi <= 50);
    }
    assert.ok(new Set(air.map((r) => r.空气质量级别)).size >= 3, "a spread of AQI levels");
  });

  it("is deterministic: the same options give byte-identical files, another seed differs", async () => {
    const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
    const again = await generateDemoDatasets({ ...OPTS, outDir: path.join(dir, "b"), threads: 1 });
    for (const k of DEMO_DATASET_KEYS) assert.equal(sha(again[k].path), sha(out[k].path), k);
    const other = await generateDemoDatasets({ ...OPTS, seed: 8, outDir: path.join(dir, "c"), only: ["population"] });
    assert.notEqual(sha(other.population.path), sha(out.population.path));
  });

  it("writes Parquet with the same rows", async () => {
    const pq = await generateDemoDatasets({ ...OPTS, outDir: path.join(dir, "pq"), only: ["air_quality"], format: "parquet" });
    assert.equal(pq.air_quality.encoding, null);
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const r = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count("空气质量指数")::INTEGER AS aqi FROM '${pq.air_quality.path}'`)).getRowObjectsJson();
    conn.closeSync();
    db.closeSync();
    assert.deepEqual(r, [{ n: out.air_quality.rows, aqi: out.air_quality.rows - dirtRows(out.air_quality, "missingRequired") }]);
  });
});

describe("demo dataset catalog entries", () => {
  const orgKeys = new Set(generateOrgs().map((o) => o.key));
  for (const d of DEMO_DATASETS) {
    it(`${d.key}: valid EntryContent, catalog rules and RULES §5.5 attributes`, () => {
      const c = EntryContent.parse(d.content);
      checkContent(c, { forSubmit: true });
      assert.ok(orgKeys.has(d.orgKey), d.orgKey);
      assert.ok(d.code.startsWith(`${c.classCode}/`));
      assert.equal(c.grade, "一般");
      assert.ok(c.items.some((i) => i.key), "has a key");
      const sensitive = c.items.some((i) => i.sensitive);
      if (sensitive) {
        assert.ok((c.generalLevel ?? 0) >= 3);
        assert.equal(c.shareType, "有条件共享");
        assert.equal(c.openType, "不予开放");
        assert.ok(c.notOpenBasis);
      }
      if (c.items.some((i) => i.name === "公民身份号码" || i.name === "手机号码")) assert.equal(c.generalLevel, 4);
      if (c.openType === "无条件开放") assert.equal(c.shareType, "无条件共享");
      for (const it of c.items) if (it.key) assert.ok(it.required, `${it.name}: key items are required`);
    });
  }
  it("一数一源 names items present in both datasets", () => {
    for (const s of DEMO_AUTHORITATIVE_SOURCES) {
      for (const k of [s.authoritative, ...s.others]) {
        const names = DEMO_DATASETS.find((d) => d.key === k)!.content.items.map((i) => i.name);
        assert.ok(names.includes(s.item) && names.includes(s.key), `${k}.${s.item}`);
      }
    }
  });
});
