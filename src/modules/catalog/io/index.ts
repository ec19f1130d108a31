export { parseCatalogFile, DEFAULT_MAX_ROWS } from "./parse.ts";
export { writeCatalogXlsx, writeCatalogCsv, writeTemplateXlsx } from "./write.ts";
export { writeListXlsx, writeListCsv } from "./list.ts";
export { RESOURCE_COLUMNS, ITEM_COLUMNS, CSV_COLUMNS, SHEET_RESOURCES, SHEET_ITEMS, SHEET_HELP, type ColumnSpec } from "./columns.ts";
export { MAX_ERRORS } from "./report.ts";
export type { ImportRowError, ParsedEntry, ParseResult, ParseOptions, ExportEntry, ListColumn, CsvWriteOptions } from "./types.ts";
