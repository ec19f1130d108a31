import { describe, it } from "node:test";
import assert from "node:assert/strict";
import ExcelJS from "exceljs";
import { SHARE_TYPES } from "../schema.ts";
import { InvalidError } from "../../../core/errors.ts";
import { ITEM_COLUMNS, parseCatalogFile, RESOURCE_COLUMNS, writeTemplateXlsx } from "./index.ts";

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}
type Dv = Record<string, { type: string; formulae: unknown[] } | undefined>;
const dvs = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: { model: Dv } }).dataValidations.model;
const col = (ws: ExcelJS.Worksheet, header: string) => {
  const i = (ws.getRow(1).values as unknown[]).indexOf(header);
  assert.ok(i > 0, `column ${header}`);
  return ws.getColumn(i).letter;
};

describe("template", async () => {
  const buf = await writeTemplateXlsx();
  const wb = await load(buf);

  it("has the sheets 资源目录, 信息项, 填写说明 (and the hidden value lists)", () => {
    assert.deepEqual(wb.worksheets.map((w) => w.name), ["资源目录", "信息项", "填写说明", "值列表"]);
    assert.equal(wb.getWorksheet("值列表")!.state, "hidden");
  });

  it("has bold, frozen Chinese header rows with widths", () => {
    const r = wb.getWorksheet("资源目录")!;
    const i = wb.getWorksheet("信息项")!;
    assert.deepEqual((r.getRow(1).values as unknown[]).slice(1), RESOURCE_COLUMNS.filter((c) => !c.exportOnly).map((c) => c.header));
    assert.deepEqual((i.getRow(1).values as unknown[]).slice(1), ITEM_COLUMNS.map((c) => c.header));
    for (const ws of [r, i]) {
      assert.equal(ws.getRow(1).getCell(1).font?.bold, true);
      assert.equal(ws.views[0].state, "frozen");
      assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 1);
      assert.ok((ws.getColumn(3).width ?? 0) >= 18);
    }
    assert.ok(r.getRow(1).getCell(3).note, "header cells carry the column help as a note");
  });

  it("has dropdown validations for the enum columns", () => {
    const r = wb.getWorksheet("资源目录")!;
    const lists = wb.getWorksheet("值列表")!;
    const share = dvs(r)[`${col(r, "共享类型")}2`];
    assert.equal(share?.type, "list");
    const m = /\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)/.exec(String(share!.formulae[0]))!;
    const values = Array.from({ length: Number(m[2]) - 1 }, (_, k) => lists.getCell(`${m[1]}${k + 2}`).value);
    assert.deepEqual(values, [...SHARE_TYPES]);
    for (const h of ["资源分类", "格式分类", "共享方式", "共享方式类型", "开放类型", "更新周期", "数据分级", "数据要素×领域", "主题分类"])
      assert.equal(dvs(r)[`${col(r, h)}500`]?.type, "list", h);
    assert.equal(dvs(r)[`${col(r, "一般数据子级")}2`]?.type, "whole");
    const i = wb.getWorksheet("信息项")!;
    for (const h of ["数据类型", "是否敏感", "是否必填"]) assert.equal(dvs(i)[`${col(i, h)}2`]?.type, "list", h);
    assert.equal(dvs(i)[`${col(i, "数据长度")}2`]?.type, "whole");
  });

  it("explains every column in 填写说明 with allowed values", () => {
    const h = wb.getWorksheet("填写说明")!;
    const text: string[] = [];
    h.eachRow((row) => text.push((row.values as unknown[]).slice(1).map(String).join("|")));
    const all = text.join("\n");
    for (const c of [...RESOURCE_COLUMNS, ...ITEM_COLUMNS]) assert.ok(all.includes(`|${c.header}|`), c.header);
    assert.ok(all.includes("无条件共享、有条件共享、不予共享"));
    assert.ok(all.includes("字符型、整数型"));
  });

  it("the empty template imports as 'no data'", async () => {
    await assert.rejects(parseCatalogFile(buf, { filename: "模板.xlsx" }), (e: unknown) => e instanceof InvalidError && e.field === "file" && /没有数据/.test(e.messageZh));
  });
});
