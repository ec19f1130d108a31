import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { parse as parseCsv } from "csv-parse/sync";
import { InvalidError } from "../../../core/errors.ts";
import { cellText, unguardCsv, type RawCell } from "./cells.ts";
import { normalizeHeader, SHEET_ITEMS, SHEET_RESOURCES, type HeaderIndex } from "./columns.ts";

/** A sheet (or a CSV file) as rows of raw cells under one header row. */
export interface Table {
  sheet?: string;
  headerRow: number;
  /** Header text per 0-based column index ("" when the header cell is empty). */
  headers: string[];
  /** Non-empty data rows, with their 1-based row number as the user sees it. */
  rows: { row: number; cells: RawCell[] }[];
  /** Cells holding a spreadsheet error value (#N/A, #REF!…); they are read as empty. */
  errorCells: { row: number; col: number; text: string }[];
}

export function fileError(message: string, messageEn: string, details?: unknown): InvalidError {
  return new InvalidError({ message, messageEn, field: "file", ...(details !== undefined ? { details } : {}) });
}

function tooManyRows(maxRows: number, where: string, whereEn: string): InvalidError {
  return fileError(`${where}数据行超过上限 ${maxRows} 行，请拆分后分批导入`, `${whereEn}has more than ${maxRows} data rows; split it and import in parts`);
}

/** Pick the header row: the first of the first 5 rows naming a known column, else row 1. */
function findHeader(rows: { row: number; cells: RawCell[] }[], idx: HeaderIndex): number {
  for (const r of rows.slice(0, 5)) {
    const known = r.cells.filter((c) => idx.byNorm.has(normalizeHeader(cellText(c)))).length;
    if (known >= 2) return rows.indexOf(r);
  }
  return 0;
}

function toTable(sheet: string | undefined, all: { row: number; cells: RawCell[] }[], idx: HeaderIndex, errorCells: Table["errorCells"]): Table {
  if (all.length === 0) return { sheet, headerRow: 1, headers: [], rows: [], errorCells };
  const h = findHeader(all, idx);
  const header = all[h];
  const headers = header.cells.map((c) => cellText(c));
  const rows = all.slice(h + 1).filter((r) => r.cells.some((c) => cellText(c) !== ""));
  return { sheet, headerRow: header.row, headers, rows, errorCells: errorCells.filter((e) => e.row > header.row) };
}

// ---------------------------------------------------------------- xlsx

type ExcelValue = ExcelJS.CellValue;

/** exceljs cell value → plain value, or an error marker. */
function plainValue(v: ExcelValue): RawCell | { error: string } {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? "").join("");
  if ("error" in o) return { error: String(o.error) };
  if ("formula" in o || "sharedFormula" in o) return o.result === undefined ? null : plainValue(o.result as ExcelValue);
  if ("text" in o) return plainValue(o.text as ExcelValue);
  return String(v);
}

function readSheet(ws: ExcelJS.Worksheet, idx: HeaderIndex, maxRows: number): Table {
  const all: { row: number; cells: RawCell[] }[] = [];
  const errorCells: Table["errorCells"] = [];
  let dataRows = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelValue[];
    const cells: RawCell[] = [];
    for (let i = 1; i < values.length; i++) {
      const p = plainValue(values[i]);
      if (p !== null && typeof p === "object" && !(p instanceof Date)) {
        errorCells.push({ row: rowNumber, col: i - 1, text: p.error });
        cells.push(null);
      } else cells.push(p);
    }
    if (cells.some((c) => cellText(c) !== "")) {
      all.push({ row: rowNumber, cells });
      if (++dataRows > maxRows + 5) throw tooManyRows(maxRows, `「${ws.name}」表`, `Sheet "${ws.name}" `);
    }
  });
  const t = toTable(ws.name, all, idx, errorCells);
  if (t.rows.length > maxRows) throw tooManyRows(maxRows, `「${ws.name}」表`, `Sheet "${ws.name}" `);
  return t;
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((w) => w.name.trim() === name);
}

export async function readXlsx(buf: Buffer, maxRows: number, resIdx: HeaderIndex, itemIdx: HeaderIndex): Promise<{ resources: Table; items: Table }> {
  const wb = new ExcelJS.Workbook();
  try {
    // Data validations are ignored: exceljs expands every range into single cells, which is slow
    // for whole-column validations and useless for import.
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer, {
      ignoreNodes: ["dataValidations", "conditionalFormatting", "extLst"],
      maxRows: maxRows + 2000,
    } as unknown as Partial<ExcelJS.XlsxReadOptions>);
  } catch (e) {
    if (e instanceof InvalidError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    if (/max.*exceeded/i.test(why)) throw tooManyRows(maxRows, "文件", "The file ");
    throw fileError(
      "无法读取 xlsx 文件：文件已损坏、不完整或不是 Excel 工作簿，请用 Excel 重新另存为 .xlsx 后再上传",
      `Cannot read the xlsx file: it is damaged, truncated or not an Excel workbook (${why}); save it again as .xlsx and retry`,
    );
  }
  const missing = [SHEET_RESOURCES, SHEET_ITEMS].filter((n) => !findSheet(wb, n));
  if (missing.length) {
    const names = wb.worksheets.map((w) => w.name).join("、") || "无";
    throw fileError(
      `工作簿缺少工作表「${missing.join("」「")}」（现有：${names}），请使用平台提供的导入模板`,
      `The workbook lacks sheet(s) ${missing.map((m) => `"${m}"`).join(", ")} (found: ${names}); use the platform's import template`,
    );
  }
  return {
    resources: readSheet(findSheet(wb, SHEET_RESOURCES)!, resIdx, maxRows),
    items: readSheet(findSheet(wb, SHEET_ITEMS)!, itemIdx, maxRows),
  };
}

// ---------------------------------------------------------------- csv

export type CsvEncoding = "utf-8" | "gb18030" | "utf-16le";

/** BOM → UTF-8 (or UTF-16); valid UTF-8 → UTF-8; otherwise GB18030 (a superset of GBK and GB2312). */
export function decodeText(buf: Buffer): { text: string; encoding: CsvEncoding } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString("utf8"), encoding: "utf-8" };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), "utf-16le"), encoding: "utf-16le" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(buf), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(buf, "gb18030"), encoding: "gb18030" };
  }
}

/** Text that is not a CSV: NUL bytes, or many undecodable or control characters. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes("\u0000")) return true;
  let bad = 0;
  for (const ch of sample) if (ch === "\ufffd" || /[\u0001-\u0008\u000e-\u001f]/.test(ch)) bad++;
  return bad > Math.max(2, sample.length * 0.01);
}

/** The delimiter used in the header line: the most frequent of comma, semicolon, tab (outside quotes). */
export function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const unquoted = first.replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((d) => ({ d, n: unquoted.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ",";
}

export function readCsv(buf: Buffer, maxRows: number, idx: HeaderIndex): { table: Table; encoding: CsvEncoding; delimiter: string } {
  const { text, encoding } = decodeText(buf);
  if (text.trim() === "") throw fileError("文件为空", "The file is empty");
  if (looksBinary(text))
    throw fileError("无法读取文件：不是 CSV 文本文件，也不是 xlsx 工作簿", "Cannot read the file: it is neither a CSV text file nor an xlsx workbook");
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      to: maxRows + 10,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw fileError(
      `无法解析 CSV 文件${line ? `（约第 ${line} 行）` : ""}：引号不配对或格式错误`,
      `Cannot parse the CSV file${line ? ` (near line ${line})` : ""}: unbalanced quotes or malformed content (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const all = records.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => unguardCsv(c)) as RawCell[] }));
  const nonEmpty = all.filter((r) => r.cells.some((c) => cellText(c) !== ""));
  const table = toTable(undefined, nonEmpty, idx, []);
  if (table.rows.length > maxRows || records.length >= maxRows + 10) throw tooManyRows(maxRows, "文件", "The file ");
  return { table, encoding, delimiter };
}
