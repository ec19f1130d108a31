import { codeText, cellText, convertCell } from "./cells.ts";
import {
  CSV_COLUMNS,
  headerIndex,
  ITEM_COLUMNS,
  normalizeHeader as normalize,
  RESOURCE_COLUMNS,
  SHEET_ITEMS,
  SHEET_RESOURCES,
  type ColumnSpec,
  type HeaderIndex,
} from "./columns.ts";
import { ErrorReport } from "./report.ts";
import { fileError, readCsv, readXlsx, type Table } from "./tables.ts";
import type { ParsedEntry, ParseOptions, ParseResult } from "./types.ts";
import { validateResource, type ItemDraft, type ResourceDraft, type SourcedCell } from "./validate.ts";

const RES_IDX = headerIndex(RESOURCE_COLUMNS);
const ITEM_IDX = headerIndex(ITEM_COLUMNS);
const CSV_IDX = headerIndex(CSV_COLUMNS);

export const DEFAULT_MAX_ROWS = 20_000;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (buf: Buffer, sig: number[]) => sig.every((b, i) => buf[i] === b);

/**
 * Parse a catalog import file (the xlsx template or a CSV). Every bad cell is reported in `errors`;
 * `entries` holds only the resources whose rows are all valid. Throws InvalidError (field "file")
 * when the file itself cannot be read: empty, damaged, missing sheets, too many rows.
 */
export async function parseCatalogFile(buf: Buffer, opts: ParseOptions = {}): Promise<ParseResult> {
  if (!buf || buf.length === 0) throw fileError("文件为空", "The file is empty");
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const name = (opts.filename ?? "").toLowerCase();
  if (startsWith(buf, OLE) || name.endsWith(".xls"))
    throw fileError(
      "不支持旧版 .xls 或加密的 Excel 文件，请在 Excel 中另存为 .xlsx（不设密码）后再上传",
      "Legacy .xls and password-protected workbooks are not supported; save as .xlsx without a password and retry",
    );
  if (startsWith(buf, ZIP)) return parseXlsx(buf, maxRows);
  if (name.endsWith(".xlsx") || name.endsWith(".xlsm"))
    throw fileError("无法读取 xlsx 文件：文件已损坏或不是 Excel 工作簿", "Cannot read the xlsx file: it is damaged or not an Excel workbook");
  return parseCsvFile(buf, maxRows);
}

/** Map header cells to columns; report unknown, repeated and missing columns once, on the header row. */
function mapHeaders(t: Table, cols: ColumnSpec[], idx: HeaderIndex, report: ErrorReport, needLink: boolean): { byIndex: Map<number, ColumnSpec>; missing: Set<string> } {
  const byIndex = new Map<number, ColumnSpec>();
  const present = new Set<string>();
  const loc = { sheet: t.sheet, row: t.headerRow };
  t.headers.forEach((h, i) => {
    if (h === "") return;
    const spec = idx.byNorm.get(normalize(h));
    if (!spec) return report.addHeader(loc, h, "为未知的列，已忽略（请使用模板中的列名）", "unknown column, ignored (use the template's column names)");
    if (present.has(spec.header)) return report.addHeader(loc, h, `与前面的列「${spec.header}」重复，已忽略`, `repeats column "${spec.header}", ignored`);
    present.add(spec.header);
    byIndex.set(i, spec);
  });
  const missing = new Set<string>();
  for (const c of cols) {
    if (c.required && !present.has(c.header)) {
      missing.add(c.header);
      report.addHeader(loc, c.header, "缺少必填列", "required column is missing");
    }
  }
  if (needLink && !present.has("资源序号") && !present.has("信息资源代码")) {
    missing.add("资源序号");
    report.addHeader(loc, "资源序号", "缺少必填列（资源序号与信息资源代码至少需要一列）", "required column is missing (资源序号 or 信息资源代码 is needed)");
  }
  return { byIndex, missing };
}

function rowCells(t: Table, r: Table["rows"][number], byIndex: Map<number, ColumnSpec>): Map<string, SourcedCell> {
  const m = new Map<string, SourcedCell>();
  byIndex.forEach((spec, i) => {
    const v = r.cells[i];
    if (cellText(v) !== "") m.set(spec.header, { v, row: r.row, sheet: t.sheet });
  });
  return m;
}

function reportErrorCells(t: Table, report: ErrorReport): void {
  for (const e of t.errorCells) {
    const h = t.headers[e.col];
    if (!h) continue;
    report.add({ sheet: t.sheet, row: e.row }, h, `单元格为错误值 ${e.text}，请改为实际内容`, `the cell holds the error value ${e.text}; enter the actual content`);
  }
}

const linkOf = (cells: Map<string, SourcedCell>, header: string) => {
  const c = cells.get(header);
  const s = c ? codeText(c.v) : "";
  return s === "" ? undefined : s;
};

function finish(format: "xlsx" | "csv", resources: ResourceDraft[], itemRows: number, report: ErrorReport, missing: Set<string>, encoding?: ParseResult["encoding"]): ParseResult {
  const entries: ParsedEntry[] = [];
  for (const res of resources) {
    const content = validateResource(res, { report, missing, csv: format === "csv" });
    if (content) entries.push({ rowRef: res.rowRef, rowNumber: res.row, ...(res.code !== undefined ? { code: res.code } : {}), content });
  }
  return {
    format,
    ...(encoding ? { encoding } : {}),
    entries,
    errors: report.result(),
    badRows: resources.length - entries.length,
    totalRows: resources.length,
    itemRows,
  };
}

function noData(): never {
  throw fileError("文件中没有数据：只有表头，没有任何资源行", "The file has no data: only the header row, no resource rows");
}

// ---------------------------------------------------------------- xlsx

async function parseXlsx(buf: Buffer, maxRows: number): Promise<ParseResult> {
  const { resources: rt, items: it } = await readXlsx(buf, maxRows, RES_IDX, ITEM_IDX);
  if (rt.rows.length === 0 && it.rows.length === 0) noData();
  const report = new ErrorReport();
  const rh = mapHeaders(rt, RESOURCE_COLUMNS, RES_IDX, report, true);
  const ih = mapHeaders(it, ITEM_COLUMNS, ITEM_IDX, report, true);
  reportErrorCells(rt, report);
  reportErrorCells(it, report);
  const missing = new Set([...rh.missing, ...ih.missing]);

  const resources: ResourceDraft[] = [];
  const bySeq = new Map<string, ResourceDraft>();
  const byCode = new Map<string, ResourceDraft>();
  for (const r of rt.rows) {
    const cells = rowCells(rt, r, rh.byIndex);
    const seq = linkOf(cells, "资源序号");
    const code = linkOf(cells, "信息资源代码");
    const loc = { sheet: SHEET_RESOURCES, row: r.row };
    const res: ResourceDraft = { sheet: SHEET_RESOURCES, row: r.row, rowRef: `${SHEET_RESOURCES}!${r.row}`, seq, code, cells, items: [], rows: [r.row] };
    resources.push(res);
    if (!seq && !code) res.linkError = true;
    if (!seq && !code)
      report.add(loc, "资源序号", "为必填项：没有信息资源代码的资源须填写资源序号，用于关联「信息项」", "is required when the resource has no code (it links the data items)", "seq");
    if (seq) {
      const prev = bySeq.get(seq);
      if (prev) res.linkError = true;
      if (prev) report.add(loc, "资源序号", `「${seq}」与第 ${prev.row} 行重复`, `"${seq}" repeats row ${prev.row}`, "seq");
      else bySeq.set(seq, res);
    }
    if (code) {
      const prev = byCode.get(code);
      if (prev) res.linkError = true;
      if (prev) report.add(loc, "信息资源代码", `「${code}」与第 ${prev.row} 行重复：同一文件内信息资源代码不得重复`, `"${code}" repeats row ${prev.row}: codes must be unique within the file`, "code");
      else byCode.set(code, res);
    }
  }

  for (const r of it.rows) {
    const cells = rowCells(it, r, ih.byIndex);
    const seq = linkOf(cells, "资源序号");
    const code = linkOf(cells, "信息资源代码");
    const loc = { sheet: SHEET_ITEMS, row: r.row };
    const bySeqRes = seq ? bySeq.get(seq) : undefined;
    const byCodeRes = code ? byCode.get(code) : undefined;
    const res = bySeqRes ?? byCodeRes;
    if (!seq && !code) {
      report.add(loc, "资源序号", "为必填项：请填写所属资源的资源序号或信息资源代码", "is required: give the resource's 资源序号 or 信息资源代码", "seq");
      continue;
    }
    if (!res) {
      if (seq) report.add(loc, "资源序号", `「${seq}」在「资源目录」表中不存在`, `"${seq}" does not exist in sheet 资源目录`, "seq");
      else report.add(loc, "信息资源代码", `「${code}」在「资源目录」表中不存在`, `"${code}" does not exist in sheet 资源目录`, "code");
      continue;
    }
    if (bySeqRes && code && res.code && code !== res.code) {
      report.add(loc, "信息资源代码", `「${code}」与资源序号 ${seq} 对应资源的代码「${res.code}」不一致`, `"${code}" differs from the code "${res.code}" of resource no. ${seq}`, "code");
    }
    const item: ItemDraft = { sheet: SHEET_ITEMS, row: r.row, cells };
    res.items.push(item);
  }
  return finish("xlsx", resources, it.rows.length, report, missing);
}

// ---------------------------------------------------------------- csv

const CSV_RES_COLS = new Set(RESOURCE_COLUMNS.filter((c) => !c.link).map((c) => c.header));
const CSV_ITEM_COLS = new Set(ITEM_COLUMNS.filter((c) => !c.link).map((c) => c.header));
const SPEC_BY_HEADER = new Map(CSV_COLUMNS.map((c) => [c.header, c]));

function sameValue(header: string, a: SourcedCell, b: SourcedCell): boolean {
  const spec = SPEC_BY_HEADER.get(header)!;
  return JSON.stringify(convertCell(spec, a.v)) === JSON.stringify(convertCell(spec, b.v));
}

function parseCsvFile(buf: Buffer, maxRows: number): ParseResult {
  const { table: t, encoding } = readCsv(buf, maxRows, CSV_IDX);
  if (t.rows.length === 0) noData();
  const report = new ErrorReport();
  const h = mapHeaders(t, CSV_COLUMNS, CSV_IDX, report, false);

  const resources: ResourceDraft[] = [];
  const bySeq = new Map<string, ResourceDraft>();
  const byCode = new Map<string, ResourceDraft>();
  let prev: ResourceDraft | undefined;
  let itemRows = 0;
  for (const r of t.rows) {
    const cells = rowCells(t, r, h.byIndex);
    const seq = linkOf(cells, "资源序号");
    const code = linkOf(cells, "信息资源代码");
    const resCells = [...cells].filter(([k]) => CSV_RES_COLS.has(k));
    const itemCells = new Map([...cells].filter(([k]) => CSV_ITEM_COLS.has(k)));
    const loc = { row: r.row };
    let res = seq ? bySeq.get(seq) : code ? byCode.get(code) : resCells.length === 0 ? prev : undefined;
    if (!res) {
      res = { row: r.row, rowRef: `CSV!${r.row}`, seq, code, cells: new Map(resCells), items: [], rows: [r.row] };
      resources.push(res);
      if (seq) bySeq.set(seq, res);
      if (code) {
        const other = byCode.get(code);
        if (other) report.add(loc, "信息资源代码", `「${code}」与第 ${other.row} 行的资源重复：同一文件内信息资源代码不得重复`, `"${code}" repeats the resource of row ${other.row}: codes must be unique within the file`, "code");
        else byCode.set(code, res);
      }
    } else {
      res.rows.push(r.row);
      if (code && res.code && code !== res.code)
        report.add(loc, "信息资源代码", `「${code}」与同一资源第 ${res.row} 行的代码「${res.code}」不一致`, `"${code}" differs from "${res.code}" on row ${res.row} of the same resource`, "code");
      else if (code && !res.code) {
        const other = byCode.get(code);
        if (other && other !== res) report.add(loc, "信息资源代码", `「${code}」与第 ${other.row} 行的资源重复：同一文件内信息资源代码不得重复`, `"${code}" repeats the resource of row ${other.row}: codes must be unique within the file`, "code");
        else { res.code = code; byCode.set(code, res); }
      }
      for (const [k, c] of resCells) {
        const first = res.cells.get(k);
        if (!first) res.cells.set(k, c);
        else if (!sameValue(k, first, c))
          report.add(loc, k, `与同一资源第 ${first.row} 行的取值「${cellText(first.v)}」不一致（同一资源序号的资源列应相同或留空）`,
            `differs from "${cellText(first.v)}" on row ${first.row} of the same resource (leave it empty or repeat the same value)`);
      }
    }
    if (itemCells.size > 0) {
      res.items.push({ row: r.row, cells: itemCells });
      itemRows++;
    }
    prev = res;
  }
  return finish("csv", resources, itemRows, report, h.missing, encoding);
}
