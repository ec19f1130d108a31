import type { EntryContent } from "../schema.ts";

/** One problem in an imported file, located the way the user sees it. */
export interface ImportRowError {
  /** Sheet name for xlsx ("资源目录" / "信息项"); absent for CSV. */
  sheet?: string;
  /** 1-based spreadsheet row as the user sees it; 0 for a note about the whole file. */
  row: number;
  /** The Chinese column header ("" for a note about the whole file). */
  column: string;
  /** Schema field path, e.g. "shareType", "items[3].type", "domains[1]". */
  field?: string;
  /** zh-CN message, starting with the location, e.g. 第 7 行「共享类型」取值无效：… */
  message: string;
  /** English message. */
  messageEn: string;
}

export interface ParsedEntry {
  /** Where the resource starts, e.g. "资源目录!5" (xlsx) or "CSV!5". */
  rowRef: string;
  rowNumber: number;
  /** 信息资源代码 as given in the file (trimmed); absent for new entries. */
  code?: string;
  /** Validated with EntryContent from ../schema.ts. */
  content: EntryContent;
}

export interface ParseResult {
  format: "xlsx" | "csv";
  encoding?: "utf-8" | "gb18030" | "utf-16le";
  /** Only resources whose rows (resource row and all its data-item rows) are valid. */
  entries: ParsedEntry[];
  /** Every problem found, sorted by sheet, row and column; capped at 1000 plus a final note. */
  errors: ImportRowError[];
  /** Resources rejected because of at least one error (entries.length + badRows === totalRows). */
  badRows: number;
  /** Resources found in the file (rows of 资源目录, or resource groups of a CSV). */
  totalRows: number;
  /** Data-item rows found (rows of 信息项, or CSV rows carrying a data item). */
  itemRows: number;
}

export interface ParseOptions {
  filename?: string;
  /** Maximum data rows per sheet (xlsx) or per file (CSV). Default 20000. */
  maxRows?: number;
}

/** An entry as exported. */
export interface ExportEntry {
  code: string;
  content: EntryContent;
  status?: string;
  provider?: string;
  publishedAt?: string | null;
}

export interface ListColumn {
  header: string;
  key: string;
  width?: number;
}

export interface CsvWriteOptions {
  /** "utf-8" (default) writes a BOM so Excel detects it; "gbk" writes GB18030 bytes (a superset of GBK). */
  encoding?: "utf-8" | "gbk";
}
