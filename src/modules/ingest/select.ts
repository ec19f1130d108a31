import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { InvalidError } from "../../core/errors.ts";
import { sqlIdent as id } from "../../core/lake.ts";
import type { SnapshotColumn, SnapshotInfo } from "./schema.ts";

/**
 * Selections over a snapshot for the paths by which data leaves (共享 delivery, 开放 API and downloads,
 * CKAN datastore_search): chosen columns, filters, a text search, sorting and paging, compiled to one
 * DuckDB statement with every value bound as a parameter (a filter value is only ever a value).
 * No authorization here: the caller checks policy first, then masks, meters and records the read.
 */

export const FILTER_OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "like"] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
export type FilterValue = string | number | boolean | (string | number)[];
export interface RowFilter {
  column: string;
  op: FilterOp;
  value: FilterValue;
}
export interface RowSelection {
  version?: number;
  /** Catalog columns to return, in this order (default: all). */
  columns?: string[];
  /** All must hold. `like`: the text contains the value (case-insensitive, no wildcards). */
  filters?: RowFilter[];
  /** Any text column contains it (case-insensitive). */
  q?: string;
  sort?: { column: string; desc?: boolean }[];
}
export type RowValue = string | number | boolean | null;

/** The most rows one page may return. */
export const MAX_PAGE_ROWS = 10_000;
const MAX_IN_VALUES = 1_000;
const MAX_FILTERS = 50;

const NUMERIC = new Set(["整数型", "数值型"]);
const bad = (field: string, message: string, messageEn: string) => new InvalidError({ field, message, messageEn });

/** One filter value checked against the column's type, as the parameter to bind. */
function param(col: SnapshotColumn, v: unknown, field: string): DuckDBValue {
  if (v === null || v === undefined || typeof v === "object") throw bad(field, "过滤值不能为空或对象", "A filter value cannot be empty or an object");
  const s = String(v);
  if (s.length > 1000) throw bad(field, "过滤值过长（最多 1000 个字符）", "Filter value too long (1000 characters at most)");
  if (NUMERIC.has(col.type)) {
    const n = Number(s);
    if (s.trim() === "" || !Number.isFinite(n)) throw bad(field, `「${col.name}」是数值，过滤值「${s.slice(0, 30)}」不是数字`, `'${col.name}' is numeric; '${s.slice(0, 30)}' is not a number`);
    if (col.type === "整数型" && !Number.isSafeInteger(n)) throw bad(field, `「${col.name}」是整数，过滤值「${s.slice(0, 30)}」不是整数`, `'${col.name}' is an integer; '${s.slice(0, 30)}' is not one`);
    return n;
  }
  if (col.type === "日期型" && !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw bad(field, `「${col.name}」是日期，过滤值应为 YYYY-MM-DD`, `'${col.name}' is a date; use YYYY-MM-DD`);
  if (col.type === "日期时间型" && !/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(s)) throw bad(field, `「${col.name}」是日期时间，过滤值应为 YYYY-MM-DD HH:MM:SS`, `'${col.name}' is a timestamp; use YYYY-MM-DD HH:MM:SS`);
  if (col.type === "布尔型") {
    if (!/^(true|false|1|0|是|否)$/i.test(s)) throw bad(field, `「${col.name}」是布尔值，过滤值应为 true 或 false`, `'${col.name}' is boolean; use true or false`);
    return /^(true|1|是)$/i.test(s);
  }
  if (col.type === "二进制型") throw bad(field, `不能按二进制列「${col.name}」过滤`, `Cannot filter on binary column '${col.name}'`);
  return s;
}

/** The WHERE clause and its parameters; throws InvalidError naming the offending field. */
function whereOf(snap: SnapshotInfo, sel: RowSelection, params: DuckDBValue[]): string {
  const byName = new Map(snap.columns.map((c) => [c.name, c]));
  const conds: string[] = [];
  const bind = (v: DuckDBValue) => {
    params.push(v);
    return `$${params.length}`;
  };
  const filters = sel.filters ?? [];
  if (filters.length > MAX_FILTERS) throw bad("filters", `过滤条件过多（最多 ${MAX_FILTERS} 个）`, `Too many filters (${MAX_FILTERS} at most)`);
  filters.forEach((f, i) => {
    const col = byName.get(f.column);
    if (!col) throw bad(`filters.${i}.column`, `没有数据项「${String(f.column).slice(0, 50)}」`, `No data item '${String(f.column).slice(0, 50)}'`);
    if (!FILTER_OPS.includes(f.op)) throw bad(`filters.${i}.op`, `不支持的比较「${String(f.op)}」`, `Unsupported operator '${String(f.op)}'`);
    const c = id(col.name);
    const cast = (p: string) => (col.type === "字符型" ? p : `CAST(${p} AS ${col.duckType})`);
    if (f.op === "in") {
      const vs = Array.isArray(f.value) ? f.value : [f.value];
      if (!vs.length || vs.length > MAX_IN_VALUES) throw bad(`filters.${i}.value`, `in 需要 1 到 ${MAX_IN_VALUES} 个值`, `'in' takes 1 to ${MAX_IN_VALUES} values`);
      conds.push(`${c} IN (${vs.map((v, j) => cast(bind(param(col, v, `filters.${i}.value.${j}`)))).join(", ")})`);
      return;
    }
    if (Array.isArray(f.value)) throw bad(`filters.${i}.value`, "只有 in 可以给多个值", "Only 'in' takes several values");
    if (f.op === "like") {
      if (col.type !== "字符型") throw bad(`filters.${i}.op`, `like 只用于文本列，「${col.name}」不是`, `'like' is for text columns; '${col.name}' is not one`);
      conds.push(`contains(lower(${c}), lower(${bind(param(col, f.value, `filters.${i}.value`))}))`);
      return;
    }
    const sym = { eq: "=", ne: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" }[f.op];
    conds.push(`${c} ${sym} ${cast(bind(param(col, f.value, `filters.${i}.value`)))}`);
  });
  if (sel.q !== undefined && sel.q !== "") {
    if (sel.q.length > 200) throw bad("q", "搜索词过长（最多 200 个字符）", "Search text too long (200 characters at most)");
    const text = snap.columns.filter((c) => c.type === "字符型" && (!sel.columns || sel.columns.includes(c.name)));
    if (!text.length) conds.push("false");
    else {
      const p = bind(sel.q.toLowerCase());
      conds.push(`(${text.map((c) => `contains(lower(${id(c.name)}), ${p})`).join(" OR ")})`);
    }
  }
  return conds.length ? ` WHERE ${conds.join(" AND ")}` : "";
}

function columnsOf(snap: SnapshotInfo, sel: RowSelection): SnapshotColumn[] {
  if (!sel.columns) return snap.columns;
  if (!sel.columns.length) throw bad("columns", "至少选择一个数据项", "Choose at least one data item");
  const byName = new Map(snap.columns.map((c) => [c.name, c]));
  return sel.columns.map((n, i) => {
    const c = byName.get(n);
    if (!c) throw bad(`columns.${i}`, `没有数据项「${String(n).slice(0, 50)}」`, `No data item '${String(n).slice(0, 50)}'`);
    return c;
  });
}

function orderOf(snap: SnapshotInfo, sel: RowSelection): string {
  const byName = new Map(snap.columns.map((c) => [c.name, c]));
  const parts = (sel.sort ?? []).map((s, i) => {
    if (!byName.has(s.column)) throw bad(`sort.${i}.column`, `没有数据项「${String(s.column).slice(0, 50)}」`, `No data item '${String(s.column).slice(0, 50)}'`);
    return `${id(s.column)} ${s.desc ? "DESC" : "ASC"} NULLS LAST`;
  });
  // Unsorted: file order, which the lake's scans keep (preserve_insertion_order), so LIMIT/OFFSET
  // stops early instead of ordering every matching row. Sorted: file order breaks ties (stable pages).
  return parts.length ? ` ORDER BY ${[...parts, "__rn"].join(", ")}` : "";
}

/** JSON values: BIGINT comes back as text from DuckDB's JSON conversion; safe integers become numbers again. */
function fixRow(r: Record<string, unknown>, cols: SnapshotColumn[]): Record<string, RowValue> {
  const o: Record<string, RowValue> = {};
  for (const c of cols) {
    let v = r[c.name] as RowValue;
    if (c.type === "整数型" && typeof v === "string" && Number.isSafeInteger(Number(v))) v = Number(v);
    o[c.name] = v;
  }
  return o;
}

/** A page of selected rows and the total that match. */
export async function selectPage(c: DuckDBConnection, snap: SnapshotInfo, sel: RowSelection & { limit: number; offset: number }): Promise<{ total: number; columns: SnapshotColumn[]; rows: Record<string, RowValue>[] }> {
  if (!Number.isInteger(sel.limit) || sel.limit < 0 || sel.limit > MAX_PAGE_ROWS) throw bad("limit", `每页行数应为 0 到 ${MAX_PAGE_ROWS}`, `limit must be 0 to ${MAX_PAGE_ROWS}`);
  if (!Number.isInteger(sel.offset) || sel.offset < 0 || sel.offset > 1e12) throw bad("offset", "offset 应为非负整数", "offset must be a non-negative integer");
  const cols = columnsOf(snap, sel);
  const params: DuckDBValue[] = [];
  const where = whereOf(snap, sel, params);
  const from = `${snap.sqlRows}${where}`;
  const total = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM ${from}`, params)).getRows()[0][0]);
  if (sel.limit === 0 || sel.offset >= total) return { total, columns: cols, rows: [] };
  const r = await c.runAndReadAll(`SELECT ${cols.map((x) => id(x.name)).join(", ")} FROM ${from}${orderOf(snap, sel)} LIMIT ${sel.limit} OFFSET ${sel.offset}`, params);
  return { total, columns: cols, rows: (r.getRowObjectsJson() as Record<string, unknown>[]).map((x) => fixRow(x, cols)) };
}

/** Every selected row (up to `limit`), in batches, to `onBatch` (awaited: back-pressure). */
export async function streamSelection(
  c: DuckDBConnection,
  snap: SnapshotInfo,
  sel: RowSelection & { limit?: number },
  onBatch: (rows: Record<string, RowValue>[], columns: SnapshotColumn[]) => Promise<void>,
): Promise<{ rows: number; columns: SnapshotColumn[] }> {
  if (sel.limit !== undefined && (!Number.isInteger(sel.limit) || sel.limit < 0)) throw bad("limit", "limit 应为非负整数", "limit must be a non-negative integer");
  const cols = columnsOf(snap, sel);
  const params: DuckDBValue[] = [];
  const where = whereOf(snap, sel, params);
  const result = await c.stream(`SELECT ${cols.map((x) => id(x.name)).join(", ")} FROM ${snap.sqlRows}${where}${orderOf(snap, sel)}${sel.limit !== undefined ? ` LIMIT ${sel.limit}` : ""}`, params);
  let n = 0;
  for await (const batch of result.yieldRowObjectJson()) {
    if (!batch.length) continue;
    n += batch.length;
    await onBatch((batch as Record<string, unknown>[]).map((x) => fixRow(x, cols)), cols);
  }
  return { rows: n, columns: cols };
}
