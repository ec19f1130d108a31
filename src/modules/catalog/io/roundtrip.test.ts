import { describe, it } from "node:test";
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { parse as parseCsv } from "csv-parse/sync";
import { parseCatalogFile, writeCatalogCsv, writeCatalogXlsx, writeListCsv, writeListXlsx } from "./index.ts";
import { content, CSV_HEADERS, csvOf, itemRow, resRow, sampleEntries } from "./test-fixtures.ts";
import type { ParseResult } from "./types.ts";

function assertSame(r: ParseResult) {
  const input = sampleEntries();
  assert.deepEqual(r.errors, []);
  assert.equal(r.totalRows, input.length);
  assert.equal(r.badRows, 0);
  assert.equal(r.entries.length, input.length);
  r.entries.forEach((e, i) => {
    assert.deepEqual(e.content, input[i].content, `entry ${i}`);
    assert.equal(e.code, input[i].code || undefined);
  });
}

describe("round trip", () => {
  it("xlsx export → import gives the same contents", async () => {
    const buf = await writeCatalogXlsx(sampleEntries());
    const r = await parseCatalogFile(buf, { filename: "目录.xlsx" });
    assert.equal(r.format, "xlsx");
    assertSame(r);
    assert.equal(r.entries[1].rowRef, "资源目录!3");
    assert.equal(r.itemRows, 6);
  });

  it("xlsx template-mode export (with dropdowns) → import", async () => {
    assertSame(await parseCatalogFile(await writeCatalogXlsx(sampleEntries(), { template: true }), {}));
  });

  it("csv utf-8 (with BOM) export → import", async () => {
    const buf = writeCatalogCsv(sampleEntries());
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const r = await parseCatalogFile(buf, { filename: "目录.csv" });
    assert.equal(r.format, "csv");
    assert.equal(r.encoding, "utf-8");
    assertSame(r);
  });

  it("csv utf-8 without BOM", async () => {
    const r = await parseCatalogFile(writeCatalogCsv(sampleEntries()).subarray(3), {});
    assert.equal(r.encoding, "utf-8");
    assertSame(r);
  });

  it("csv gbk export → import (encoding detected)", async () => {
    const buf = writeCatalogCsv(sampleEntries(), { encoding: "gbk" });
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(buf));
    // GBK characters are plain GBK bytes
    assert.equal(iconv.decode(buf, "gbk").slice(0, 4), "资源序号");
    const r = await parseCatalogFile(buf, { filename: "目录.csv" });
    assert.equal(r.encoding, "gb18030");
    assertSame(r);
  });

  for (const [name, d] of [["semicolon", ";"], ["tab", "\t"]] as const) {
    it(`csv with ${name} delimiter`, async () => {
      const text = writeCatalogCsv(sampleEntries()).subarray(3).toString("utf8");
      const records = parseCsv(text) as string[][];
      const out = records.map((r) => r.map((v) => (/[";\t\n,]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(d)).join("\n");
      assertSame(await parseCatalogFile(Buffer.from(out, "utf8"), {}));
      assertSame(await parseCatalogFile(iconv.encode(out, "gbk"), {}));
    });
  }

  it("Excel 'Unicode text' (UTF-16LE with BOM, tab-delimited)", async () => {
    const text = writeCatalogCsv(sampleEntries()).subarray(3).toString("utf8");
    const out = (parseCsv(text) as string[][]).map((r) => r.map((v) => (/[\t\n"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join("\t")).join("\r\n");
    const r = await parseCatalogFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out, "utf16le")]), { filename: "目录.txt" });
    assert.equal(r.encoding, "utf-16le");
    assertSame(r);
  });

  it("csv rows with empty resource columns inherit from the row above with the same 资源序号", async () => {
    const rows = [
      { ...resRow(), ...itemRow({ 信息项名称: "名称" }) },
      { 资源序号: 1, 信息项名称: "地址", 数据类型: "字符型" },
      { 信息项名称: "电话", 数据类型: "字符型" }, // no 资源序号 and no resource cells: continues the resource above
      { ...resRow({ 资源序号: 2, 信息资源名称: "第二个资源" }), ...itemRow({ 资源序号: 2, 信息项名称: "名称" }) },
      { 资源序号: 1, 共享类型: "无条件共享", 信息项名称: "邮编", 数据类型: "字符型" }, // same value repeated: fine
    ];
    const r = await parseCatalogFile(Buffer.from(csvOf(CSV_HEADERS, rows)), {});
    assert.deepEqual(r.errors, []);
    assert.equal(r.entries.length, 2);
    assert.deepEqual(r.entries[0].content.items.map((i) => i.name), ["名称", "地址", "电话", "邮编"]);
    assert.equal(r.entries[1].content.name, "第二个资源");
    assert.equal(r.entries[1].rowNumber, 5);
    assert.equal(r.itemRows, 5);
  });

  it("csv without 资源序号/信息资源代码 columns: each filled row starts a resource, empty ones continue it", async () => {
    const headers = CSV_HEADERS.filter((h) => h !== "资源序号" && h !== "信息资源代码");
    const rows = [
      { ...resRow({ 信息资源名称: "甲资源" }), ...itemRow({ 信息项名称: "a" }) },
      { 信息项名称: "b", 数据类型: "整数型" },
      { ...resRow({ 信息资源名称: "乙资源" }), ...itemRow({ 信息项名称: "c" }) },
    ];
    const r = await parseCatalogFile(Buffer.from(csvOf(headers, rows)), {});
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.entries.map((e) => [e.content.name, e.content.items.length, e.code]), [["甲资源", 2, undefined], ["乙资源", 1, undefined]]);
  });

  it("conversions: 是/否, numbers from text, full-width spaces and digits, list separators, aliases", async () => {
    const rows = [
      {
        ...resRow({ 信息资源名称: "\u3000企业信息\u3000", 关键字: "甲，乙,丙；丁;戊", 数据分级: "一般数据", 一般数据子级: "２", 开放类型: "否", 更新周期: " 每 日 " }),
        ...itemRow({ 数据长度: "１,000", 是否敏感: "是", 是否必填: "N", 数据类型: "字符串" }),
      },
    ];
    const r = await parseCatalogFile(Buffer.from(csvOf(CSV_HEADERS, rows)), {});
    assert.deepEqual(r.errors, []);
    const c = r.entries[0].content;
    assert.equal(c.name, "企业信息");
    assert.deepEqual(c.keywords, ["甲", "乙", "丙", "丁", "戊"]);
    assert.equal(c.grade, "一般");
    assert.equal(c.generalLevel, 2);
    assert.equal(c.openType, "不予开放");
    assert.equal(c.updateCycle, "每日");
    assert.deepEqual(c.items[0], { name: "企业名称", type: "字符型", length: 1000, sensitive: true, required: false, key: false });
  });

  it("xlsx numeric, boolean and rich-text cells are read", async () => {
    const { catalogXlsx } = await import("./test-fixtures.ts");
    const buf = await catalogXlsx(
      [resRow({ 分类码: 101001, 联系电话: 13800138000, 信息资源名称: { richText: [{ text: "企业" }, { text: "信息" }] } })],
      [itemRow({ 是否敏感: true, 是否必填: false, 数据长度: 18 })],
    );
    const r = await parseCatalogFile(buf, {});
    assert.deepEqual(r.errors, []);
    assert.equal(r.entries[0].content.classCode, "101001");
    assert.equal(r.entries[0].content.contact.phone, "13800138000");
    assert.equal(r.entries[0].content.name, "企业信息");
    assert.equal(r.entries[0].content.items[0].sensitive, true);
  });

  it("export-only columns carry provider, status and publish date", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeCatalogXlsx(sampleEntries())) as unknown as ExcelJS.Buffer);
    const ws = wb.getWorksheet("资源目录")!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    const row = ws.getRow(2);
    assert.equal(row.getCell(headers.indexOf("信息资源提供方") + 1).value, "市市场监管局");
    assert.equal(row.getCell(headers.indexOf("状态") + 1).value, "已发布");
    assert.equal(row.getCell(headers.indexOf("发布日期") + 1).value, "2026-03-01");
    // CSV guards formula-like cells for spreadsheet programs
    const csv = writeCatalogCsv(sampleEntries()).toString("utf8");
    assert.match(csv, /'=SUM\(A1\)/);
    assert.match(csv, /'\+86 571/);
  });

  it("writes generic lists as xlsx and csv", async () => {
    const cols = [
      { header: "名称", key: "name", width: 20 },
      { header: "是否有效", key: "active" },
      { header: "领域", key: "tags" },
      { header: "时间", key: "at" },
    ];
    const rows = [
      { name: "负面清单一", active: true, tags: ["金融", "交通"], at: new Date("2026-01-01T00:00:00Z") },
      { name: "=危险", active: false, tags: [], at: null },
    ];
    const x = await writeListXlsx("负面清单/2026", cols, rows);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    assert.equal(ws.name, "负面清单_2026");
    assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1), ["负面清单一", "是", "金融、交通", "2026-01-01 08:00:00"]);
    assert.equal(ws.getRow(1).getCell(1).font?.bold, true);
    assert.equal(ws.views[0].state, "frozen");
    const csv = writeListCsv(cols, rows);
    assert.equal(csv.subarray(3).toString("utf8"), "名称,是否有效,领域,时间\r\n负面清单一,是,金融、交通,2026-01-01 08:00:00\r\n'=危险,否,,\r\n");
    assert.equal(iconv.decode(writeListCsv(cols, rows, { encoding: "gbk" }), "gbk").split("\r\n")[0], "名称,是否有效,领域,时间");
  });

  it("content helper is valid", () => assert.ok(content().items.length > 0));
});
