import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { InvalidError } from "../../../core/errors.ts";
import { parseCatalogFile, writeCatalogCsv, writeCatalogXlsx } from "./index.ts";
import { catalogXlsx, CSV_HEADERS, csvOf, itemRow, makeXlsx, resRow, sampleEntries } from "./test-fixtures.ts";

/** Rejects with InvalidError on field "file", with zh and en messages matching. */
async function rejectsFile(p: Promise<unknown>, zh: RegExp, en?: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InvalidError, `InvalidError expected, got ${String(e)}`);
    assert.equal(e.field, "file");
    assert.equal(e.status, 400);
    assert.match(e.messageZh, zh);
    if (en) assert.match(e.messageEn, en);
    return true;
  });
}

describe("unreadable files give a clear InvalidError", () => {
  it("empty file", async () => {
    await rejectsFile(parseCatalogFile(Buffer.alloc(0), { filename: "a.xlsx" }), /^文件为空$/, /empty/);
    await rejectsFile(parseCatalogFile(Buffer.from("\ufeff \r\n"), { filename: "a.csv" }), /^文件为空$/);
  });

  it("a truncated xlsx (a valid file cut in half)", async () => {
    const buf = await writeCatalogXlsx(sampleEntries());
    await rejectsFile(parseCatalogFile(buf.subarray(0, Math.floor(buf.length / 2)), { filename: "a.xlsx" }), /已损坏|不完整/, /damaged|truncated/);
    await rejectsFile(parseCatalogFile(buf.subarray(0, Math.floor(buf.length / 2)), {}), /已损坏|不完整/);
  });

  it("a zip whose middle is corrupted", async () => {
    const buf = Buffer.from(await writeCatalogXlsx(sampleEntries()));
    Buffer.alloc(2000, 0x41).copy(buf, Math.floor(buf.length / 3));
    await rejectsFile(parseCatalogFile(buf, { filename: "a.xlsx" }), /无法读取 xlsx|缺少工作表/);
  });

  it("random bytes", async () => {
    const junk = randomBytes(4096);
    junk[0] = 0x00; // never a zip or OLE signature
    await rejectsFile(parseCatalogFile(junk, { filename: "a.xlsx" }), /无法读取 xlsx/);
    await rejectsFile(parseCatalogFile(junk, {}), /不是 CSV 文本文件/);
    await rejectsFile(parseCatalogFile(junk, { filename: "a.csv" }), /不是 CSV 文本文件/);
  });

  it("legacy .xls / encrypted workbooks", async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(512)]);
    await rejectsFile(parseCatalogFile(ole, {}), /\.xls/);
  });

  it("a workbook without the template's sheets", async () => {
    const buf = await makeXlsx({ Sheet1: { headers: ["a"], rows: [{ a: 1 }] } });
    await rejectsFile(parseCatalogFile(buf, {}), /缺少工作表「资源目录」「信息项」/, /资源目录/);
    const onlyRes = await makeXlsx({ 资源目录: { headers: ["信息资源名称"], rows: [{ 信息资源名称: "x" }] } });
    await rejectsFile(parseCatalogFile(onlyRes, {}), /缺少工作表「信息项」/);
  });

  it("more rows than maxRows", async () => {
    const res = Array.from({ length: 6 }, (_, i) => resRow({ 资源序号: i + 1 }));
    const items = res.map((_, i) => itemRow({ 资源序号: i + 1 }));
    await rejectsFile(parseCatalogFile(await catalogXlsx(res, items), { maxRows: 5 }), /超过上限 5 行/, /more than 5/);
    const ok = await parseCatalogFile(await catalogXlsx(res, items), { maxRows: 6 });
    assert.equal(ok.entries.length, 6);
    const csv = Buffer.from(csvOf(CSV_HEADERS, res.map((r, i) => ({ ...r, ...items[i] }))));
    await rejectsFile(parseCatalogFile(csv, { maxRows: 5 }), /超过上限 5 行/);
    assert.equal((await parseCatalogFile(csv, { maxRows: 6 })).entries.length, 6);
  });

  it("a file with only the header row", async () => {
    const header = writeCatalogCsv([]);
    await rejectsFile(parseCatalogFile(header, {}), /没有数据/);
  });

  it("a CSV with an unbalanced quote", async () => {
    const text = csvOf(CSV_HEADERS, [{ ...resRow(), ...itemRow() }]) + '1,"unterminated\r\n';
    await rejectsFile(parseCatalogFile(Buffer.from(text), {}), /无法解析 CSV/);
  });
});
