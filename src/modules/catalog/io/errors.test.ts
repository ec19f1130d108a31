import { describe, it } from "node:test";
import assert from "node:assert/strict";
import iconv from "iconv-lite";
import { parseCatalogFile, type ImportRowError } from "./index.ts";
import { catalogXlsx, CSV_HEADERS, csvOf, ITEM_HEADERS, itemRow, RES_HEADERS, resRow } from "./test-fixtures.ts";

const find = (errors: ImportRowError[], p: Partial<ImportRowError>) =>
  errors.filter((e) => Object.entries(p).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v));

function one(errors: ImportRowError[], p: Partial<ImportRowError>): ImportRowError {
  const f = find(errors, p);
  assert.equal(f.length, 1, `expected one error ${JSON.stringify(p)}; got:\n${errors.map((e) => e.message).join("\n")}`);
  assert.ok(f[0].message.includes(`第 ${f[0].row} 行「${f[0].column}」`), f[0].message);
  assert.ok(f[0].messageEn.includes(`row ${f[0].row}, column "${f[0].column}"`) || f[0].messageEn.startsWith(`Row ${f[0].row}, column "${f[0].column}"`), f[0].messageEn);
  return f[0];
}

/** One resource per row n (资源序号 n) with one valid item each, with per-row overrides. */
async function xlsxWith(resOver: Record<string, unknown>[], itemOver: Record<string, unknown>[] = []) {
  const res = resOver.map((o, i) => resRow({ 资源序号: i + 1, ...o }));
  const items = resOver.map((_, i) => itemRow({ 资源序号: i + 1, ...(itemOver[i] ?? {}) }));
  return parseCatalogFile(await catalogXlsx(res, items), { filename: "a.xlsx" });
}

describe("row errors name the row and the column", () => {
  it("reports every bad cell of every row, and keeps the good rows", async () => {
    const r = await xlsxWith(
      [
        {},
        { 共享类型: "随便共享" },
        { 信息资源名称: "" , 更新周期: "每分钟" },
        { "数据要素×领域": "金融服务、火星探索" },
        {},
      ],
      [{}, {}, { 数据类型: "文字型" }, { 是否敏感: "也许", 数据长度: "abc" }],
    );
    assert.equal(r.totalRows, 5);
    assert.equal(r.badRows, 3);
    assert.deepEqual(r.entries.map((e) => e.rowNumber), [2, 6]);
    assert.equal(r.entries[0].rowRef, "资源目录!2");

    const share = one(r.errors, { sheet: "资源目录", row: 3, column: "共享类型" });
    assert.equal(share.field, "shareType");
    assert.equal(share.message, "「资源目录」表第 3 行「共享类型」取值无效：应为 无条件共享、有条件共享、不予共享（填写的是「随便共享」）");
    assert.match(share.messageEn, /^Sheet "资源目录", row 3, column "共享类型": invalid value "随便共享"; expected one of: 无条件共享, 有条件共享, 不予共享$/);

    assert.match(one(r.errors, { row: 4, column: "信息资源名称" }).message, /为必填项/);
    assert.match(one(r.errors, { row: 4, column: "更新周期" }).message, /应为 实时、每日/);
    assert.equal(one(r.errors, { row: 5, column: "数据要素×领域" }).field, "domains[1]");

    const type = one(r.errors, { sheet: "信息项", row: 4, column: "数据类型" });
    assert.equal(type.field, "items[0].type");
    assert.match(type.message, /^「信息项」表第 4 行「数据类型」取值无效：应为 字符型、整数型/);
    assert.match(one(r.errors, { sheet: "信息项", row: 5, column: "是否敏感" }).message, /应为 是 或 否/);
    assert.match(one(r.errors, { sheet: "信息项", row: 5, column: "数据长度" }).message, /应为数字/);
    // sorted: 资源目录 first, then by row
    assert.deepEqual(r.errors.map((e) => `${e.sheet}${e.row}`), ["资源目录3", "资源目录4", "资源目录4", "资源目录5", "信息项4", "信息项5", "信息项5"]);
  });

  it("catalog rules: conditions, legal basis, core data, codes", async () => {
    const r = await xlsxWith([
      { 共享类型: "不予共享" },
      { 共享类型: "有条件共享" },
      { 开放类型: "有条件开放" },
      { 数据分级: "核心", 共享类型: "无条件共享", 开放类型: "无条件开放" },
      { 信息资源代码: "10100/1" },
      { 信息资源代码: "101002/000001" },
      { 资源分类: "主题" },
      { 数据分级: "核心", 共享类型: "不予共享", 不予共享依据: "某条例", 开放类型: "有条件开放", 开放条件: "申请" },
    ]);
    assert.match(one(r.errors, { row: 2, column: "不予共享依据" }).message, /不予共享时须写明/);
    assert.match(one(r.errors, { row: 3, column: "共享条件" }).message, /有条件共享时须写明共享条件/);
    assert.match(one(r.errors, { row: 4, column: "开放条件" }).message, /有条件开放时须写明开放条件/);
    assert.match(one(r.errors, { row: 5, column: "共享类型" }).message, /核心数据不得无条件共享/);
    assert.match(one(r.errors, { row: 5, column: "开放类型" }).message, /核心数据不得开放/);
    assert.match(one(r.errors, { row: 6, column: "信息资源代码" }).message, /格式无效.*10100\/1/);
    assert.match(one(r.errors, { row: 7, column: "信息资源代码" }).message, /与「分类码」不一致/);
    assert.match(one(r.errors, { row: 8, column: "分类码" }).message, /应以 2 开头/);
    assert.match(one(r.errors, { row: 9, column: "开放类型" }).message, /核心数据不得开放/);
    assert.equal(r.entries.length, 0);
  });

  it("formats, lengths and ranges", async () => {
    const r = await xlsxWith(
      [{ 联系电话: "abc", 联系邮箱: "not-mail", 关联资源代码: "101001/1、bad", 信息资源名称: "名".repeat(201), 一般数据子级: 7, 分类码: "9" }, {}],
      [{}, { 数据长度: 0, 信息项名称: "x".repeat(101) }],
    );
    assert.match(one(r.errors, { row: 2, column: "联系电话" }).message, /电话号码/);
    assert.match(one(r.errors, { row: 2, column: "联系邮箱" }).message, /电子邮箱/);
    assert.equal(one(r.errors, { row: 2, column: "关联资源代码" }).field, "relatedCodes[1]");
    assert.match(one(r.errors, { row: 2, column: "信息资源名称" }).message, /不能超过 200 个字符（当前 201 个）/);
    assert.match(one(r.errors, { row: 2, column: "一般数据子级" }).message, /不能大于 4/);
    assert.match(one(r.errors, { row: 2, column: "分类码" }).message, /6–12 位数字/);
    assert.match(one(r.errors, { sheet: "信息项", row: 3, column: "数据长度" }).message, /应大于 0/);
    assert.match(one(r.errors, { sheet: "信息项", row: 3, column: "信息项名称" }).message, /不能超过 100 个字符/);
  });

  it("links between the sheets: missing items, unknown 资源序号, duplicates", async () => {
    const res = [
      resRow({ 资源序号: 1, 信息资源代码: "101001/000001" }),
      resRow({ 资源序号: 2, 信息资源代码: "101001/000001" }),
      resRow({ 资源序号: 2 }),
      resRow({ 资源序号: 4 }),
      resRow({ 资源序号: "", 信息资源代码: "" }),
    ];
    const items = [
      itemRow({ 资源序号: 1 }),
      itemRow({ 资源序号: 1 }),
      itemRow({ 资源序号: 9 }),
      itemRow({ 资源序号: "", 信息资源代码: "101001/000001", 信息项名称: "代码关联" }),
      itemRow({ 资源序号: "" }),
    ];
    const r = await parseCatalogFile(await catalogXlsx(res, items), {});
    const R = { sheet: "资源目录" };
    assert.match(one(r.errors, { ...R, row: 3, column: "信息资源代码" }).message, /「101001\/000001」与第 2 行重复/);
    assert.match(one(r.errors, { ...R, row: 4, column: "资源序号" }).message, /与第 3 行重复/);
    assert.match(one(r.errors, { ...R, row: 5, column: "资源序号" }).message, /「信息项」缺失/);
    assert.match(one(r.errors, { ...R, row: 6, column: "资源序号" }).message, /须填写资源序号/);
    assert.equal(find(r.errors, R).length, 4, "no 'items missing' on rows whose link is already reported");
    assert.match(one(r.errors, { sheet: "信息项", row: 3, column: "信息项名称" }).message, /「企业名称」与第 2 行重复/);
    assert.match(one(r.errors, { sheet: "信息项", row: 4, column: "资源序号" }).message, /「9」在「资源目录」表中不存在/);
    assert.match(one(r.errors, { sheet: "信息项", row: 6, column: "资源序号" }).message, /为必填项/);
    assert.equal(r.entries.length, 0);
    assert.equal(r.badRows, 5);
  });

  it("unknown columns are reported once; missing required columns once, naming the column", async () => {
    const resHeaders = [...RES_HEADERS.filter((h) => h !== "更新周期"), "备注"];
    const rows = [resRow({ 备注: "x" }), resRow({ 资源序号: 2, 备注: "y" })];
    const items = [itemRow(), itemRow({ 资源序号: 2 })];
    const r = await parseCatalogFile(await catalogXlsx(rows, items, resHeaders, [...ITEM_HEADERS, "备注"]), {});
    assert.match(one(r.errors, { sheet: "资源目录", row: 1, column: "备注" }).message, /未知的列/);
    assert.match(one(r.errors, { sheet: "信息项", row: 1, column: "备注" }).message, /未知的列/);
    assert.equal(one(r.errors, { column: "更新周期" }).row, 1);
    assert.match(one(r.errors, { column: "更新周期" }).message, /缺少必填列/);
    assert.equal(r.errors.length, 3);
    assert.equal(r.entries.length, 0);
    assert.equal(r.badRows, 2);
  });

  it("an unknown column alone does not reject rows", async () => {
    const r = await parseCatalogFile(await catalogXlsx([resRow({ 备注: "x" })], [itemRow()], [...RES_HEADERS, "备注"]), {});
    assert.equal(r.errors.length, 1);
    assert.equal(r.entries.length, 1);
  });

  it("caps the errors at 1000 with a final note", async () => {
    const n = 600;
    const res = Array.from({ length: n }, (_, i) => resRow({ 资源序号: i + 1, 共享类型: "x", 开放类型: "y" }));
    const items = Array.from({ length: n }, (_, i) => itemRow({ 资源序号: i + 1 }));
    const r = await parseCatalogFile(await catalogXlsx(res, items), {});
    assert.equal(r.errors.length, 1001);
    assert.equal(r.errors[1000].row, 0);
    assert.match(r.errors[1000].message, /共发现 1200 处错误，仅列出前 1000 处/);
    assert.equal(r.badRows, n);
  });
});

describe("CSV row errors", () => {
  const good = (seq: number, name: string) => ({ ...resRow({ 资源序号: seq, 信息资源名称: name }), ...itemRow({ 资源序号: seq }) });

  it("a GBK CSV with one bad row lists that row and column; the other rows parse", async () => {
    const rows = [good(1, "资源一"), good(2, "资源二"), { ...good(3, "资源三"), 共享类型: "共享吧" }, good(4, "资源四")];
    const buf = iconv.encode(csvOf(CSV_HEADERS, rows), "gbk");
    const r = await parseCatalogFile(buf, { filename: "目录.csv" });
    assert.equal(r.encoding, "gb18030");
    assert.equal(r.errors.length, 1);
    const e = one(r.errors, { row: 4, column: "共享类型" });
    assert.equal(e.sheet, undefined);
    assert.match(e.message, /^第 4 行「共享类型」取值无效：应为 无条件共享、有条件共享、不予共享/);
    assert.deepEqual(r.entries.map((x) => x.content.name), ["资源一", "资源二", "资源四"]);
    assert.equal(r.entries[2].rowRef, "CSV!5");
    assert.equal(r.badRows, 1);
  });

  it("duplicate code, conflicting repeated values, bad item on a later row", async () => {
    const rows = [
      { ...good(1, "资源一"), 信息资源代码: "101001/000001" },
      { 资源序号: 1, 共享类型: "不予共享", 信息项名称: "第二项", 数据类型: "字符型" },
      { ...good(2, "资源二"), 信息资源代码: "101001/000001" },
      { ...good(3, "资源三") },
      { 资源序号: 3, 信息项名称: "第二项", 数据类型: "图片型" },
      { ...good(4, "资源四"), 信息项名称: "", 数据类型: "", 数据长度: "", 是否敏感: "", 是否必填: "" },
    ];
    const r = await parseCatalogFile(Buffer.from(csvOf(CSV_HEADERS, rows, ";")), {});
    assert.match(one(r.errors, { row: 3, column: "共享类型" }).message, /与同一资源第 2 行的取值「无条件共享」不一致/);
    assert.match(one(r.errors, { row: 4, column: "信息资源代码" }).message, /与第 2 行的资源重复/);
    assert.equal(one(r.errors, { row: 6, column: "数据类型" }).field, "items[1].type");
    assert.match(one(r.errors, { row: 7, column: "信息项名称" }).message, /「信息项」缺失/);
    assert.equal(r.entries.length, 0);
    assert.equal(r.totalRows, 4);
  });

  it("missing item columns in a CSV are reported once", async () => {
    const headers = CSV_HEADERS.filter((h) => h !== "数据类型");
    const r = await parseCatalogFile(Buffer.from(csvOf(headers, [good(1, "资源一"), good(2, "资源二")], "\t")), {});
    assert.deepEqual(r.errors.map((e) => [e.row, e.column]), [[1, "数据类型"]]);
    assert.equal(r.entries.length, 0);
  });
});
