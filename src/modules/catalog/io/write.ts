import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { stringify } from "csv-stringify/sync";
import { STATUS_LABELS, type EntryStatus } from "../schema.ts";
import { guardCsv } from "./cells.ts";
import {
  CSV_COLUMNS,
  ITEM_COLUMNS,
  RESOURCE_COLUMNS,
  SHEET_HELP,
  SHEET_ITEMS,
  SHEET_LISTS,
  SHEET_RESOURCES,
  type ColumnSpec,
} from "./columns.ts";
import { beijingTime, displayValue } from "./format.ts";
import type { CsvWriteOptions, ExportEntry } from "./types.ts";

type Row = Record<string, string | number>;

function getPath(obj: unknown, dotted: string): unknown {
  let o = obj;
  for (const p of dotted.split(".")) {
    if (o === null || typeof o !== "object") return undefined;
    o = (o as Record<string, unknown>)[p];
  }
  return o;
}

function fieldValue(spec: ColumnSpec, obj: unknown): string | number {
  return displayValue(getPath(obj, spec.field!));
}

function resourceRow(e: ExportEntry, seq: number): Row {
  const row: Row = {};
  for (const c of RESOURCE_COLUMNS) {
    if (c.link === "seq") row[c.header] = seq;
    else if (c.link === "code") row[c.header] = e.code ?? "";
    else if (c.field) row[c.header] = fieldValue(c, e.content);
  }
  row["信息资源提供方"] = e.provider ?? "";
  row["状态"] = e.status ? (STATUS_LABELS[e.status as EntryStatus] ?? e.status) : "";
  row["发布日期"] = e.publishedAt ? beijingTime(e.publishedAt, true) : "";
  return row;
}

function itemRows(e: ExportEntry, seq: number): Row[] {
  return (e.content.items ?? []).map((item) => {
    const row: Row = {};
    for (const c of ITEM_COLUMNS) {
      if (c.link === "seq") row[c.header] = seq;
      else if (c.link === "code") row[c.header] = e.code ?? "";
      else row[c.header] = fieldValue(c, item);
    }
    return row;
  });
}

function colLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const REQUIRED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFCE4D6" } };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const THIN: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FFB4B4B4" } };

/** A sheet with a bold, coloured, frozen header row, column widths and an autofilter. */
export function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  cols: { header: string; key: string; width?: number; required?: boolean; note?: string; text?: boolean }[],
  xSplit = 0,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", xSplit, ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  const header = ws.getRow(1);
  header.height = 24;
  cols.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, ...(c.required ? { color: { argb: "FFC00000" } } : {}) };
    cell.fill = c.required ? REQUIRED_FILL : HEADER_FILL;
    cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    if (c.note) cell.note = c.note;
    if (c.text) ws.getColumn(i + 1).numFmt = "@";
  });
  if (cols.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return ws;
}

function specCols(cols: ColumnSpec[]) {
  return cols.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.width,
    required: c.required,
    note: `${c.help}${c.values && !c.open ? `\n可选值：${c.values.join("、")}` : ""}\n${c.helpEn}`,
    text: c.kind === "code" || c.kind === "text" || c.kind === "list",
  }));
}

const REQUIRED_LABEL = (c: ColumnSpec) =>
  c.required ? "是" : c.link === "seq" ? "新资源必填" : ["共享条件", "不予共享依据", "开放条件"].includes(c.header) ? "条件必填" : c.exportOnly ? "导出专用" : "否";

function addHelpSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet(SHEET_HELP);
  ws.columns = [{ width: 10 }, { width: 18 }, { width: 12 }, { width: 56 }, { width: 40 }, { width: 20 }, { width: 22 }, { width: 56 }];
  const notes: [string, string][] = [
    ["公共数据资源目录导入模板 填写说明", "Public data resource catalog import template — instructions"],
    ["1. 「资源目录」表每行一个信息资源；「信息项」表每行一个信息项（字段），用 资源序号（或已有的 信息资源代码）关联到资源。", "1. Sheet 资源目录: one row per resource. Sheet 信息项: one row per data item, linked by 资源序号 (or the existing 信息资源代码)."],
    ["2. 表头不要修改；红色表头为必填列。不要删除「资源目录」「信息项」两个工作表。", "2. Do not change the headers; red headers are required columns. Keep both sheets."],
    ["3. 新资源的 信息资源代码 留空，由平台分配；已有资源填写其代码即可更新。", "3. Leave 信息资源代码 empty for new resources (the platform assigns one); give it to update an existing resource."],
    ["4. 多个值用 、 或 ; 分隔（如 数据要素×领域、关键字、格式类型、关联资源代码）。是/否 列填写 是 或 否。", "4. Separate several values with 、 or ; . Yes/no columns take 是 or 否."],
    ["5. 每个资源至少一个信息项；有条件共享须填共享条件，不予共享须填不予共享依据，有条件开放须填开放条件；核心数据不得无条件共享，不得开放。", "5. Each resource needs at least one data item; 有条件共享 needs 共享条件, 不予共享 needs 不予共享依据, 有条件开放 needs 开放条件; core data cannot be shared unconditionally nor opened."],
    ["6. 也可上传 CSV（UTF-8 或 GBK）：每行一个信息项，资源列重复填写，或留空沿用上一行相同资源序号的资源。", "6. CSV (UTF-8 or GBK) is accepted too: one row per data item with the resource columns repeated, or left empty to inherit from the row above with the same 资源序号."],
  ];
  notes.forEach(([zh, en], i) => {
    const r = ws.addRow([zh]);
    ws.mergeCells(r.number, 1, r.number, 8);
    r.getCell(1).value = i === 0 ? `${zh} / ${en}` : `${zh}\n${en}`;
    r.getCell(1).alignment = { wrapText: true, vertical: "top" };
    r.height = i === 0 ? 24 : 34;
    if (i === 0) r.getCell(1).font = { bold: true, size: 14 };
  });
  ws.addRow([]);
  const head = ws.addRow(["工作表", "列名", "是否必填", "说明", "允许取值", "示例", "Column (English)", "Notes (English)"]);
  head.eachCell((c) => {
    c.font = { bold: true };
    c.fill = HEADER_FILL;
    c.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  });
  const add = (sheet: string, c: ColumnSpec) => {
    const r = ws.addRow([sheet, c.header, REQUIRED_LABEL(c), c.help, c.values ? `${c.values.join("、")}${c.open ? "（可自填）" : ""}` : "", c.example ?? "", c.headerEn, c.helpEn]);
    r.alignment = { wrapText: true, vertical: "top" };
    if (c.required) r.getCell(2).font = { bold: true, color: { argb: "FFC00000" } };
  };
  RESOURCE_COLUMNS.forEach((c) => add(SHEET_RESOURCES, c));
  ITEM_COLUMNS.forEach((c) => add(SHEET_ITEMS, c));
  ws.views = [{ state: "frozen", ySplit: head.number }];
}

/** exceljs has worksheet.dataValidations but its typings omit it. */
function dv(ws: ExcelJS.Worksheet): { add(range: string, v: ExcelJS.DataValidation): void } {
  return (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
}

/** Dropdowns from a hidden 值列表 sheet; number ranges; input prompts. */
function addValidations(wb: ExcelJS.Workbook, sheets: { ws: ExcelJS.Worksheet; cols: ColumnSpec[] }[], lastRow: number): void {
  const lists = wb.addWorksheet(SHEET_LISTS, { state: "hidden" });
  const listRange = new Map<string, string>();
  const withValues = [...RESOURCE_COLUMNS, ...ITEM_COLUMNS].filter((c) => c.values && c.kind !== "int");
  for (const c of withValues) {
    const key = c.values!.join("|");
    if (listRange.has(key)) continue;
    const col = listRange.size + 1;
    lists.getCell(1, col).value = c.header;
    c.values!.forEach((v, i) => (lists.getCell(i + 2, col).value = v));
    const L = colLetter(col);
    listRange.set(key, `'${SHEET_LISTS}'!$${L}$2:$${L}$${c.values!.length + 1}`);
  }
  for (const { ws, cols } of sheets) {
    cols.forEach((c, i) => {
      if (c.exportOnly) return;
      const range = `${colLetter(i + 1)}2:${colLetter(i + 1)}${lastRow}`;
      const prompt = { showInputMessage: true, promptTitle: c.header.slice(0, 32), prompt: c.help.slice(0, 250) };
      if (c.kind === "int") {
        const [lo, hi] = c.field === "generalLevel" ? [1, 4] : [1, 1_000_000];
        dv(ws).add(range, {
          type: "whole", operator: "between", allowBlank: true, formulae: [lo, hi], showErrorMessage: true, errorStyle: "stop",
          errorTitle: c.header, error: `请填写 ${lo}–${hi} 之间的整数`, ...prompt,
        });
      } else if (c.values) {
        const multi = c.kind === "list" || c.open;
        dv(ws).add(range, {
          type: "list", allowBlank: true, formulae: [listRange.get(c.values.join("|"))], showErrorMessage: true,
          errorStyle: multi ? "information" : "stop", errorTitle: c.header,
          error: multi ? "可从列表选择，也可填写多个值（用 、 分隔）或自填" : `请从下拉列表中选择：${c.values.join("、")}`.slice(0, 250),
          ...prompt,
        });
      } else {
        dv(ws).add(range, { type: "textLength", operator: "lessThanOrEqual", allowBlank: true, formulae: [4000], showErrorMessage: false, ...prompt });
      }
    });
  }
}

/**
 * Catalog workbook: sheets 资源目录 + 信息项 + 填写说明. With `template`, no export-only columns
 * (提供方/状态/发布日期) and with dropdowns and prompts, so it can be edited and imported back.
 */
export async function writeCatalogXlsx(entries: ExportEntry[], opts: { template?: boolean } = {}): Promise<Buffer> {
  const template = opts.template ?? false;
  const wb = new ExcelJS.Workbook();
  wb.creator = "公数 Gongshu";
  const resCols = template ? RESOURCE_COLUMNS.filter((c) => !c.exportOnly) : RESOURCE_COLUMNS;
  const wsR = addTableSheet(wb, SHEET_RESOURCES, specCols(resCols), 3);
  const wsI = addTableSheet(wb, SHEET_ITEMS, specCols(ITEM_COLUMNS), 3);
  let items = 0;
  entries.forEach((e, i) => {
    wsR.addRow(resourceRow(e, i + 1));
    for (const r of itemRows(e, i + 1)) {
      wsI.addRow(r);
      items++;
    }
  });
  addHelpSheet(wb);
  if (template) addValidations(wb, [{ ws: wsR, cols: resCols }, { ws: wsI, cols: ITEM_COLUMNS }], Math.max(1000, items + 500) + 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The empty import template: headers, 填写说明, dropdowns. */
export async function writeTemplateXlsx(): Promise<Buffer> {
  return writeCatalogXlsx([], { template: true });
}

export function encodeCsv(text: string, encoding: CsvWriteOptions["encoding"] = "utf-8"): Buffer {
  // GB18030 is a superset of GBK: identical bytes for GBK characters, and no character is lost.
  if (encoding === "gbk") return iconv.encode(text, "gb18030");
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

export function csvText(header: string[], rows: (string | number)[][]): string {
  const guarded = rows.map((r) => r.map((v) => (typeof v === "string" ? guardCsv(v) : String(v))));
  return stringify([header, ...guarded], { record_delimiter: "windows" });
}

/** One CSV: a row per data item with the resource columns repeated (a resource without items: one row). */
export function writeCatalogCsv(entries: ExportEntry[], opts: CsvWriteOptions = {}): Buffer {
  const header = CSV_COLUMNS.map((c) => c.header);
  const rows: (string | number)[][] = [];
  entries.forEach((e, i) => {
    const res = resourceRow(e, i + 1);
    const items = itemRows(e, i + 1);
    for (const item of items.length ? items : [{} as Row]) rows.push(header.map((h) => (h in res ? res[h] : (item[h] ?? ""))));
  });
  return encodeCsv(csvText(header, rows), opts.encoding);
}
