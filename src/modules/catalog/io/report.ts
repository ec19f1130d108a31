import { COLUMN_ORDER, SHEET_ITEMS, SHEET_RESOURCES } from "./columns.ts";
import type { ImportRowError } from "./types.ts";

export const MAX_ERRORS = 1000;

export interface Loc {
  sheet?: string;
  row: number;
}

/** Collects row errors, remembers which rows are bad, sorts and caps them at the end. */
export class ErrorReport {
  private readonly list: ImportRowError[] = [];
  private readonly seen = new Set<string>();
  private readonly badRows = new Set<string>();

  /** Add "第 N 行「列」<zh>" / "Row N, column "列": <en>". */
  add(loc: Loc, column: string, zh: string, en: string, field?: string): void {
    const key = `${loc.sheet ?? ""}|${loc.row}|${column}|${zh}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.badRows.add(rowKey(loc));
    const where = loc.sheet ? `「${loc.sheet}」表` : "";
    const whereEn = loc.sheet ? `Sheet "${loc.sheet}", row` : "Row";
    this.list.push({
      ...(loc.sheet ? { sheet: loc.sheet } : {}),
      row: loc.row,
      column,
      ...(field ? { field } : {}),
      message: `${where}第 ${loc.row} 行「${column}」${zh}`,
      messageEn: `${whereEn} ${loc.row}, column "${column}": ${en}`,
    });
  }

  /** A problem with the header row (unknown, duplicate or missing column); it does not make data rows bad. */
  addHeader(loc: Loc, column: string, zh: string, en: string): void {
    this.add(loc, column, zh, en);
    this.badRows.delete(rowKey(loc));
  }

  isBad(loc: Loc): boolean {
    return this.badRows.has(rowKey(loc));
  }

  get count(): number {
    return this.list.length;
  }

  /** Sorted by sheet, row, column; at most MAX_ERRORS plus a closing note. */
  result(): ImportRowError[] {
    const rank = (s?: string) => (s === SHEET_ITEMS ? 1 : s === SHEET_RESOURCES ? 0 : 0);
    const sorted = this.list
      .map((e, i) => ({ e, i }))
      .sort(
        (a, b) =>
          rank(a.e.sheet) - rank(b.e.sheet) ||
          a.e.row - b.e.row ||
          (COLUMN_ORDER.get(a.e.column) ?? 999) - (COLUMN_ORDER.get(b.e.column) ?? 999) ||
          a.i - b.i,
      )
      .map((x) => x.e);
    if (sorted.length <= MAX_ERRORS) return sorted;
    const n = sorted.length;
    return [
      ...sorted.slice(0, MAX_ERRORS),
      {
        row: 0,
        column: "",
        message: `错误过多：共发现 ${n} 处错误，仅列出前 ${MAX_ERRORS} 处，请修正后重新导入`,
        messageEn: `Too many errors: ${n} found, only the first ${MAX_ERRORS} are listed; fix them and import again`,
      },
    ];
  }
}

function rowKey(loc: Loc): string {
  return `${loc.sheet ?? ""}|${loc.row}`;
}
