import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { bindRules, compileDuplicateSamples, compileSamples, compileScan, defaultRules, DATASET, loadChecks, provedByValidation, qlit, type QColumn } from "./rules.ts";
import { dimensionScores, overallScore, ratio, timeliness } from "./scoring.ts";
import { addWorkingDays } from "../../core/workdays.ts";
import { corrupt, idCard, uscc } from "./testing/fixtures.ts";
import { duckdbMacros } from "../protection/index.ts";
import { DEFAULT_WEIGHTS } from "./schema.ts";

const macros = async () => duckdbMacros({ temporary: true });

const COLS: QColumn[] = [
  { name: "公民身份号码", type: "字符型", duckType: "VARCHAR", key: true, sensitive: true, required: true, length: 18 },
  { name: "姓名", type: "字符型", duckType: "VARCHAR", key: false, sensitive: true, required: true, length: 50 },
  { name: "性别", type: "字符型", duckType: "VARCHAR", key: false, sensitive: false, required: false, codeList: ["男", "女"] },
  { name: "出生日期", type: "日期型", duckType: "DATE", key: false, sensitive: false, required: false },
  { name: "手机号码", type: "字符型", duckType: "VARCHAR", key: false, sensitive: true, required: false },
  { name: "单位统一社会信用代码", type: "字符型", duckType: "VARCHAR", key: false, sensitive: false, required: false },
  { name: "年龄", type: "整数型", duckType: "BIGINT", key: false, sensitive: false, required: false },
  { name: "登记日期", type: "日期型", duckType: "DATE", key: false, sensitive: false, required: false },
  { name: "注销日期", type: "日期型", duckType: "DATE", key: false, sensitive: false, required: false },
];

describe("quality rules compile to one DuckDB scan", () => {
  let inst: DuckDBInstance, c: DuckDBConnection, dir: string, file: string;
  before(async () => {
    inst = await DuckDBInstance.create(":memory:");
    c = await inst.connect();
    for (const m of await macros()) await c.run(m);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gs-quality-"));
    file = path.join(dir, "s.parquet");
    const ok1 = idCard("110105", "19491231", 2), ok2 = idCard("360426", "19910101", 7), ok3 = idCard("330106", "19800515", 11);
    const co = uscc("91330100MA2B3C4D5"), co2 = uscc("91110000600037341");
    const rows = [
      [ok1, "张三", "男", "1949-12-31", "13812345678", co, 76, "2020-01-01", "2021-01-01"],
      [ok2, "李四", "女", "1991-01-01", "12345", corrupt(co), 34, "2020-05-01", "2019-01-01"], // bad mobile, bad USCC, 登记 > 注销
      [corrupt(ok3), "王五", "未知", "2999-01-01", null, co2, 200, null, null], // bad ID check digit, bad code, future date, age out of range
      [ok1, "", "男", null, "13900000000", null, null, null, null], // duplicate key, empty name
      [ok2, "李四", "女", "1991-01-01", "12345", corrupt(co), 34, "2020-05-01", "2019-01-01"], // whole-row duplicate of row 2
    ];
    const v = (x: unknown) => (x === null ? "NULL" : typeof x === "number" ? String(x) : qlit(String(x)));
    await c.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${rows.map((r) => `(${r.map(v).join(", ")})`).join(", ")}) AS x(${COLS.map((k) => `"${k.name}"`).join(", ")})`);
    await c.run(`COPY (SELECT "公民身份号码", "姓名", "性别", CAST("出生日期" AS DATE) AS "出生日期", "手机号码", "单位统一社会信用代码", CAST("年龄" AS BIGINT) AS "年龄", CAST("登记日期" AS DATE) AS "登记日期", CAST("注销日期" AS DATE) AS "注销日期" FROM t) TO '${file}' (FORMAT parquet)`);
  });
  after(async () => {
    c?.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("defaults come from type, name, required, key, length and code list", () => {
    const d = defaultRules(COLS);
    assert.deepEqual(d.get("公民身份号码")!.map((r) => r.kind), ["required", "idcard", "unique"]);
    assert.deepEqual(d.get("姓名")!.map((r) => r.kind), ["required", "length"]);
    assert.deepEqual(d.get("性别")!.map((r) => r.kind), ["codeList"]);
    assert.deepEqual(d.get("出生日期"), [{ kind: "date", notFuture: true, min: "1900-01-01" }]);
    assert.deepEqual(d.get("手机号码")!.map((r) => r.kind), ["mobile"]);
    assert.deepEqual(d.get("单位统一社会信用代码")!.map((r) => r.kind), ["uscc"]);
    assert.deepEqual(d.get("年龄"), [{ kind: "range", min: 0, max: 150 }]);
    assert.deepEqual(d.get(DATASET)!.map((r) => r.kind), ["duplicateRows", "compare", "timeliness"]);
    assert.deepEqual(d.get(DATASET)![1], { kind: "compare", left: "登记日期", op: "<=", right: "注销日期" });
  });

  test("one aggregate query counts every rule; identifiers checked by their check characters", async () => {
    const rules = bindRules(defaultRules(COLS));
    const src = `read_parquet(${qlit(file)})`;
    const scan = compileScan(src, COLS, rules, "2026-11-25");
    assert.equal((scan.sql.match(/read_parquet/g) ?? []).length, 1, "one scan of the snapshot");
    const rows = (await c.runAndReadAll(scan.sql)).getRowObjectsJson() as Record<string, unknown>[];
    const { rowCount, counts } = scan.read(rows[0]);
    assert.equal(rowCount, 5);
    const by = (col: string, kind: string) => counts.get(rules.find((r) => r.column === col && r.spec.kind === kind)!.id)!;
    assert.deepEqual(by("公民身份号码", "idcard"), { evaluated: 5, failed: 1 });
    assert.deepEqual(by("公民身份号码", "unique"), { evaluated: 5, failed: 2 });
    assert.deepEqual(by("姓名", "required"), { evaluated: 5, failed: 1 });
    assert.deepEqual(by("性别", "codeList"), { evaluated: 5, failed: 1 });
    assert.deepEqual(by("出生日期", "date"), { evaluated: 4, failed: 1 });
    assert.deepEqual(by("手机号码", "mobile"), { evaluated: 4, failed: 2 });
    assert.deepEqual(by("单位统一社会信用代码", "uscc"), { evaluated: 4, failed: 2 });
    assert.deepEqual(by("年龄", "range"), { evaluated: 4, failed: 1 });
    assert.deepEqual(by(DATASET, "duplicateRows"), { evaluated: 5, failed: 1 });
    assert.deepEqual(by(DATASET, "compare"), { evaluated: 3, failed: 2 });
    assert.equal(counts.has(rules.find((r) => r.spec.kind === "timeliness")!.id), false);

    const results = rules.map((r) => {
      const k = counts.get(r.id);
      return { dimension: r.dimension, ratio: k ? ratio(k.evaluated, k.failed) : null };
    });
    const dims = dimensionScores(results);
    assert.equal(dims.timeliness, null, "not assessable, not 0");
    assert.ok(dims.completeness! > 0.8 && dims.completeness! < 1);
    const overall = overallScore(dims, DEFAULT_WEIGHTS)!;
    assert.ok(overall > 0 && overall < 1);
  });

  test("a validated snapshot settles the rules that repeat validation without scanning for them", async () => {
    // The rows here would fail required, code list and uniqueness; a snapshot marked validated cannot
    // hold such rows (ingest keeps only rows that passed), so those rules are settled as passed and
    // are not computed. The other rules (identifiers, dates, ranges, comparisons) are still scanned.
    const rules = bindRules(defaultRules(COLS));
    const src = `read_parquet(${qlit(file)})`;
    const scan = compileScan(src, COLS, rules, "2026-11-25", { validated: true });
    assert.doesNotMatch(scan.sql, /count\(DISTINCT/, "no key or row hashing");
    assert.doesNotMatch(scan.sql, /IN \('男', '女'\)/, "the code list is not re-checked");
    const { counts } = scan.read((await c.runAndReadAll(scan.sql)).getRowObjectsJson()[0] as Record<string, unknown>);
    const by = (col: string, kind: string) => counts.get(rules.find((r) => r.column === col && r.spec.kind === kind)!.id)!;
    assert.deepEqual(by("公民身份号码", "unique"), { evaluated: 5, failed: 0 });
    assert.deepEqual(by("姓名", "required"), { evaluated: 5, failed: 0 });
    assert.deepEqual(by(DATASET, "duplicateRows"), { evaluated: 5, failed: 0 });
    assert.deepEqual(by("性别", "codeList"), { evaluated: 5, failed: 0 });
    assert.deepEqual(by("公民身份号码", "idcard"), { evaluated: 5, failed: 1 }, "still scanned");
    assert.deepEqual(by("年龄", "range"), { evaluated: 4, failed: 1 }, "still scanned");
    // A rule stricter than the item (max 1 < the item's 50) is not settled by validation.
    const strict = bindRules(new Map([["姓名", [{ kind: "length", max: 1 }]]]));
    assert.equal(provedByValidation(strict[0], new Map(COLS.map((x) => [x.name, x]))), false);
    const loose = bindRules(new Map([["姓名", [{ kind: "length", max: 60 }]]]));
    assert.equal(provedByValidation(loose[0], new Map(COLS.map((x) => [x.name, x]))), true);
  });

  test("a load-time check column replaces the 身份证 check in the scan when the snapshot is fresh", async () => {
    const rules = bindRules(defaultRules(COLS));
    // A check column that says the opposite of the real check for row 1 proves which one is counted.
    const src = `(SELECT *, CASE WHEN "姓名" = '张三' THEN false ELSE gs_idcard_valid("公民身份号码") END AS chk FROM read_parquet(${qlit(file)}))`;
    const cols = COLS.map((c) => (c.name === "公民身份号码" ? { ...c, checks: { idcard: "chk" } } : c));
    const fresh = compileScan(src, cols, rules, "2026-11-25", { checks: true });
    assert.doesNotMatch(fresh.sql.split("\nFROM")[0], /gs_idcard/, "no 身份证 check in the scan's aggregates");
    const stale = compileScan(src, cols, rules, "2026-11-25", { checks: false });
    assert.match(stale.sql, /gs_idcard_valid_num/);
    const failed = async (s: ReturnType<typeof compileScan>) =>
      s.read((await c.runAndReadAll(s.sql)).getRowObjectsJson()[0] as Record<string, unknown>).counts.get(rules.find((r) => r.spec.kind === "idcard")!.id)!.failed;
    assert.equal(await failed(fresh), 2, "the check column's answer");
    assert.equal(await failed(stale), 1, "checked again");
    assert.deepEqual(loadChecks(COLS).map((k) => [k.column, k.kind]), [["公民身份号码", "idcard"]]);
  });

  test("samples: failing rows per rule with row numbers, at most N per rule", async () => {
    const rules = bindRules(defaultRules(COLS));
    const src = `(SELECT *, file_row_number AS __rn FROM read_parquet(${qlit(file)}, file_row_number = true))`;
    const s = compileSamples(src, COLS, rules, "2026-11-25", 1)!;
    const rows = (await c.runAndReadAll(s.sql)).getRowObjectsJson() as Record<string, unknown>[];
    const idRule = rules.findIndex((r) => r.spec.kind === "idcard");
    const idRows = rows.filter((r) => Number(r.__rule) === idRule);
    assert.equal(idRows.length, 1);
    assert.equal(Number(idRows[0].__rn), 2);
    const mob = rules.findIndex((r) => r.spec.kind === "mobile");
    assert.equal(rows.filter((r) => Number(r.__rule) === mob).length, 1, "limit per rule");
    const u = rules.find((r) => r.spec.kind === "unique")!;
    const d = compileDuplicateSamples(src, COLS, u, 20)!;
    const dup = (await c.runAndReadAll(d.sql)).getRowObjectsJson() as Record<string, unknown>[];
    assert.equal(dup.length, 2);
    assert.equal(Number(dup[0].__rn), 0);
  });
});

describe("timeliness and working days", () => {
  test("a load within the cycle is on time; late loads score period/interval; first load not assessable", () => {
    const d = (s: string) => new Date(s);
    assert.equal(timeliness("每日", null, d("2026-11-25T00:00:00Z")).ratio, null);
    assert.equal(timeliness("不定期", d("2026-11-01T00:00:00Z"), d("2026-11-25T00:00:00Z")).ratio, null);
    assert.equal(timeliness("每周", d("2026-11-18T00:00:00Z"), d("2026-11-25T00:00:00Z")).ratio, 1);
    assert.equal(timeliness("每日", d("2026-11-21T00:00:00Z"), d("2026-11-25T00:00:00Z")).ratio, 0.25);
  });
  test("working days skip weekends and holidays; a deadline ends the day in Shanghai", () => {
    // Friday 2026-11-27 10:00 Shanghai + 2 working days → Tuesday 2026-12-01 23:59:59.999 Shanghai
    const due = addWorkingDays(new Date("2026-11-27T02:00:00Z"), 2);
    assert.equal(due.toISOString(), "2026-12-01T15:59:59.999Z");
    const hol = addWorkingDays(new Date("2026-11-27T02:00:00Z"), 2, { holidays: ["2026-11-30"] });
    assert.equal(hol.toISOString(), "2026-12-02T15:59:59.999Z");
  });
});
