import ExcelJS from "exceljs";
import { displayValue, sheetName } from "./format.ts";
import type { CsvWriteOptions, ListColumn } from "./types.ts";
import { addTableSheet, csvText, encodeCsv } from "./write.ts";

/** A plain list (responsibility list, negative list…) as one sheet with a frozen bold header. */
export async function writeListXlsx(name: string, columns: ListColumn[], rows: Record<string, unknown>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "公数 Gongshu";
  const ws = addTableSheet(wb, sheetName(name), columns.map((c) => ({ header: c.header, key: c.key, width: c.width })));
  for (const r of rows) {
    const row = ws.addRow(columns.map((c) => displayValue(r[c.key])));
    row.alignment = { vertical: "top", wrapText: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same list as CSV: UTF-8 with BOM (Excel detects it) or GBK. */
export function writeListCsv(columns: ListColumn[], rows: Record<string, unknown>[], opts: CsvWriteOptions = {}): Buffer {
  return encodeCsv(
    csvText(
      columns.map((c) => c.header),
      rows.map((r) => columns.map((c) => displayValue(r[c.key]))),
    ),
    opts.encoding,
  );
}
