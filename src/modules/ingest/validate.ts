import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlIdent as id, sqlString as str } from "../../core/lake.ts";
import type { DataItem } from "../catalog/index.ts";
import { fileError } from "./stage.ts";
import { DUCK_TYPES, MAX_DETAILED_ERRORS, type RowError, type SnapshotColumn, type ValidationReport } from "./schema.ts";

/**
 * Validation of every row against the entry's data items, vectorised in DuckDB: the raw (all
 * VARCHAR) rows are typed with TRY_CAST (and string rewrites for the Chinese date forms) and each
 * cell gets an error code, in ONE streaming pass written straight to the snapshot file: typed
 * columns named after the items plus `__gs_err` (NULL for a good row). Bad rows stay in the file
 * but are never part of the snapshot: every reader goes through `snapshotSql` (queries.ts), which
 * keeps `__gs_err IS NULL` and drops duplicate-key rows listed in the version's deletes file (see
 * ADR 003). Nothing here loops over rows in JavaScript.
 */

/** The internal columns of a snapshot file (never shown, never part of `columns`). */
export const ERR_COLUMN = "__gs_err";
export const SRC_ROW_COLUMN = "__gs_src_row";
export const isInternalColumn = (name: string) => name.startsWith("__gs_");

/** Header / item name as compared: NFKC, no spaces or underscores, no required markers, lower case. */
export function normalizeName(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\s\u3000_\-]+/g, "")
    .replace(/^[*＊]+|[*＊]+$/g, "")
    .replace(/[（(]必填[)）]$/, "")
    .toLowerCase();
}

export function snapshotColumns(items: DataItem[]): SnapshotColumn[] {
  return items.map((it) => ({
    name: it.name,
    type: it.type,
    duckType: DUCK_TYPES[it.type],
    key: it.key,
    sensitive: it.sensitive,
    required: it.required || it.key,
    ...(it.length ? { length: it.length } : {}),
    ...(it.codeList?.length ? { codeList: it.codeList } : {}),
  }));
}

export interface ColumnPlan {
  columns: SnapshotColumn[];
  /** For each snapshot column, the file column feeding it (null: absent from the file, loaded as NULL). */
  source: (string | null)[];
  /** Every file column and the item it feeds. */
  mapping: { file: string; item: string | null }[];
  unknown: string[];
}

/** Match the file's columns to the data items by name or English name. A missing required column is fatal. */
export function planColumns(fileColumns: string[], items: DataItem[], filename: string): ColumnPlan {
  if (items.length === 0)
    throw fileError("该目录条目没有定义信息项，无法校验和装载数据；请先在目录中填写信息项", "The catalog entry defines no data items, so data cannot be validated or loaded; add data items first");
  const columns = snapshotColumns(items);
  const byNorm = new Map<string, number>();
  items.forEach((it, i) => {
    byNorm.set(normalizeName(it.name), i);
    if (it.nameEn) byNorm.set(normalizeName(it.nameEn), i);
  });
  const source: (string | null)[] = items.map(() => null);
  const mapping: ColumnPlan["mapping"] = [];
  const unknown: string[] = [];
  for (const f of fileColumns) {
    const i = isInternalColumn(f) ? undefined : byNorm.get(normalizeName(f));
    if (i === undefined || source[i] !== null) {
      unknown.push(f);
      mapping.push({ file: f, item: null });
    } else {
      source[i] = f;
      mapping.push({ file: f, item: items[i].name });
    }
  }
  const missing = columns.filter((c, i) => c.required && source[i] === null);
  if (missing.length) {
    const names = missing.map((c) => c.name).join("、");
    throw fileError(
      `「${filename}」缺少必填信息项对应的列：${names}（列名应与信息项名称或英文名一致）`,
      `"${filename}" lacks the column(s) of required data item(s): ${missing.map((c) => c.name).join(", ")} (name columns after the items or their English names)`,
      { missingColumns: missing.map((c) => c.name), fileColumns },
    );
  }
  return { columns, source, mapping, unknown };
}

const DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d"];
const DATETIME_FORMATS = [
  "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
  "%Y%m%d%H%M%S", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日%H时%M分%S秒", ...DATE_FORMATS,
];
const list = (xs: string[]) => `[${xs.map(str).join(", ")}]`;
const TRUE_WORDS = ["是", "true", "1", "t", "y", "yes", "真"];
const FALSE_WORDS = ["否", "false", "0", "f", "n", "no", "假"];
const CANONICAL_BOOLEANS: [string, boolean][] = [["是", true], ["否", false], ["1", true], ["0", false], ["true", true], ["false", false]];

/** YYYY年M月D日[ H:M:S] → YYYY-M-D[ H:M:S]. */
const chinese = (v: string) => `replace(replace(replace(${v}, '年', '-'), '月', '-'), '日', '')`;

/** The typed value of a trimmed VARCHAR `v` (NULL when it does not convert). */
export function typedExpr(c: Pick<SnapshotColumn, "type">, v: string): string {
  switch (c.type) {
    case "字符型":
      return v;
    case "整数型":
      return `(CASE WHEN regexp_full_match(${v}, '[+-]?[0-9]+') THEN TRY_CAST(${v} AS BIGINT) END)`;
    case "数值型":
      return `TRY_CAST(${v} AS DOUBLE)`;
    case "日期型":
      // By shape, so each value takes one cheap path (a failed TRY_CAST is the costly step, and building
      // a rewritten string costs twice a single-format try_strptime): YYYYMMDD and YYYY年M月D日 through
      // their one format, YYYY-MM-DD and YYYY/M/D through the plain cast; try_strptime over the whole
      // list of formats only for what is left.
      return `COALESCE(CASE WHEN strlen(${v}) = 8 AND NOT contains(${v}, '-') AND NOT contains(${v}, '/') THEN CAST(try_strptime(${v}, '%Y%m%d') AS DATE) ` +
        `WHEN contains(${v}, '年') THEN CAST(try_strptime(${v}, '%Y年%m月%d日') AS DATE) ELSE TRY_CAST(${v} AS DATE) END, CAST(try_strptime(${v}, ${list(DATE_FORMATS)}) AS DATE))`;
    case "日期时间型":
      return `COALESCE(CASE WHEN strlen(${v}) = 8 AND NOT contains(${v}, '-') AND NOT contains(${v}, '/') THEN try_strptime(${v}, '%Y%m%d') ` +
        `WHEN contains(${v}, '年') THEN TRY_CAST(${chinese(v)} AS TIMESTAMP) ELSE TRY_CAST(${v} AS TIMESTAMP) END, try_strptime(${v}, ${list(DATETIME_FORMATS)}))`;
    case "布尔型":
      // The usual spellings by plain equality, the rest through lower(). Not `IN (…)`: DuckDB rewrites an
      // IN list of six or more constants into a join that runs for every row, even under a CASE branch
      // no row reaches (0.75 CPU-s per 10M values against 0.12 s for this form).
      return `(CASE ${CANONICAL_BOOLEANS.map(([w, b]) => `WHEN ${v} = ${str(w)} THEN ${b} `).join("")}` +
        `WHEN list_contains(${list(TRUE_WORDS)}, lower(${v})) THEN true WHEN list_contains(${list(FALSE_WORDS)}, lower(${v})) THEN false END)`;
    case "二进制型":
      return `(CASE WHEN length(${v}) % 4 = 0 AND regexp_full_match(${v}, '[A-Za-z0-9+/]*={0,2}') THEN from_base64(${v}) END)`;
  }
}

/** The error code of a cell: required, type, too_long or code_list (NULL when fine). */
function errorExpr(c: SnapshotColumn, v: string, t: string): string {
  const whens: string[] = [];
  // Blank counts as empty (quality's completeness rule sees it so too, see quality/rules.ts provedByValidation).
  // (DuckDB's trim strips spaces only, so only a value starting with a byte below '!' can be blank: trim just those.)
  // Written as a CASE: DuckDB evaluates it branch by branch on the rows that reach it, where an
  // OR/AND of the same tests costs ~8× more CPU. A value whose first byte is above '!' is not blank.
  if (c.required) whens.push(`WHEN (CASE WHEN ${v} IS NULL THEN true WHEN ${v} >= '!' THEN false ELSE trim(${v}) = '' END) THEN 'required'`);
  if (c.type === "数值型") whens.push(`WHEN ${v} IS NOT NULL AND (${t} IS NULL OR NOT isfinite(${t})) THEN 'type'`);
  else if (c.type !== "字符型") whens.push(`WHEN ${v} IS NOT NULL AND ${t} IS NULL THEN 'type'`);
  // Bytes ≥ characters, so the character count runs only for values longer than the limit in bytes.
  if (c.length && c.type === "字符型") whens.push(`WHEN (CASE WHEN strlen(${v}) > ${c.length} THEN length(${v}) > ${c.length} ELSE false END) THEN 'too_long'`);
  // list_contains, not NOT IN: an IN list of six or more constants becomes a join (twice the CPU).
  if (c.codeList?.length) whens.push(`WHEN NOT list_contains(${list(c.codeList)}, ${v}) THEN 'code_list'`);
  return whens.length ? `(CASE ${whens.join(" ")} END)` : "CAST(NULL AS VARCHAR)";
}

/** Separators inside the `__gs_err` cell of a bad row: between cells, and between index / code / raw value. */
const CELL_SEP = "chr(30)";
const PART_SEP = "chr(31)";

/**
 * A row check computed during the load pass (registered with `ingest.onValidate`): `prepare` (optional)
 * is projected once per row in the typing layer, `sql` gives the boolean; both take the typed value.
 */
export interface LoadCheck {
  column: string;
  kind: string;
  prepare?: (v: string) => string;
  sql: (v: string, prepared?: string) => string;
}

/** The file's internal column of the n-th load check. */
export const checkColumn = (n: number) => `__gs_chk_${n}`;

/**
 * The SELECT that types and checks every row of `source` in one streaming pass: the items' typed
 * columns under their names, and `__gs_err`: NULL for a good row (so it costs nearly nothing to
 * store), else the row's bad cells as `i␟code␟raw` joined by ␞ (raw = the first 50 characters of
 * the value; never for a sensitive item). `__gs_src_row` when the source carries its own row
 * numbers (`rowExpr`); `__gs_chk_<n>` for each load check (`opts.checks`). The caller COPYs it to
 * the snapshot file.
 */
export function validatedSelect(plan: ColumnPlan, source: string, rowExpr?: string, opts: { emptyIsNull?: boolean; checks?: LoadCheck[] } = {}): string {
  // DuckDB's CSV reader already reads an empty field, quoted or not, as NULL (emptyIsNull); other sources may hold ''.
  const inner = plan.columns.map((_c, i) => {
    const f = plan.source[i];
    return `${f === null ? "CAST(NULL AS VARCHAR)" : opts.emptyIsNull ? id(f) : `NULLIF(CAST(${id(f)} AS VARCHAR), '')`} AS v${i}`;
  });
  const typed = plan.columns.map((c, i) => `${typedExpr(c, `v${i}`)} AS t${i}`);
  const idx = new Map(plan.columns.map((c, i) => [c.name, i]));
  const checks = (opts.checks ?? []).filter((k) => idx.has(k.column));
  const prepared = checks.map((k, n) => (k.prepare ? `${k.prepare(`t${idx.get(k.column)}`)} AS p${n}` : null)).filter((x): x is string => !!x);
  const checkCols = checks.map((k, n) => `${k.sql(`t${idx.get(k.column)}`, k.prepare ? `p${n}` : undefined)} AS ${checkColumn(n)}`);
  const errs = plan.columns.map((c, i) => `${errorExpr(c, `v${i}`, `t${i}`)} AS e${i}`);
  const anyBad = plan.columns.map((_c, i) => `e${i} IS NOT NULL`).join(" OR ") || "false";
  const cells = plan.columns.map((c, i) => `CASE WHEN e${i} IS NOT NULL THEN '${i}' || ${PART_SEP} || e${i}${c.sensitive ? "" : ` || ${PART_SEP} || coalesce(left(v${i}, 50), '')`} END`);
  const keepRow = rowExpr ? "__src_row, " : "";
  return `SELECT ${rowExpr ? `__src_row AS ${SRC_ROW_COLUMN}, ` : ""}${plan.columns.map((c, i) => `t${i} AS ${id(c.name)}`).join(", ")}, CASE WHEN ${anyBad} THEN concat_ws(${CELL_SEP}, ${cells.join(", ")}) END AS ${ERR_COLUMN}${checkCols.map((x) => `, ${x}`).join("")} FROM (
      SELECT *, ${errs.join(", ")}${prepared.map((x) => `, ${x}`).join("")} FROM (
        SELECT ${keepRow}v.*, ${typed.join(", ")} FROM (SELECT ${rowExpr ? `${rowExpr} AS __src_row, ` : ""}${inner.join(", ")} FROM ${source}) v
      )
    )`;
}

const MESSAGES: Record<string, (c: SnapshotColumn) => [string, string]> = {
  required: () => ["必填项为空", "required value is empty"],
  type: (c) => [typeMessage(c), `not a valid ${c.type} (${c.duckType}) value`],
  too_long: (c) => [`超过最大长度 ${c.length} 个字符`, `longer than ${c.length} characters`],
  code_list: (c) => [`不在值域内（${(c.codeList ?? []).slice(0, 10).join("、")}${(c.codeList ?? []).length > 10 ? "…" : ""}）`, `not in the code list`],
  duplicate_key: () => ["主键重复（与前面的行相同）", "duplicate key (same as an earlier row)"],
};
function typeMessage(c: SnapshotColumn): string {
  switch (c.type) {
    case "整数型": return "不是有效的整数";
    case "数值型": return "不是有效的数值";
    case "日期型": return "不是有效的日期（可用 YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、YYYY年M月D日）";
    case "日期时间型": return "不是有效的日期时间（如 2024-01-31 08:30:00）";
    case "布尔型": return "不是有效的布尔值（可用 是/否、true/false、1/0）";
    case "二进制型": return "不是有效的 Base64 编码";
    default: return "类型错误";
  }
}

export interface RejectRow {
  line: number;
  column: string | null;
  errorType: string;
}

const REJECT_ZH: Record<string, [string, string]> = {
  "TOO MANY COLUMNS": ["列数多于表头", "more columns than the header"],
  "MISSING COLUMNS": ["列数少于表头", "fewer columns than the header"],
  "UNQUOTED VALUE": ["引号不配对", "unbalanced quotes"],
  "LINE SIZE OVER MAXIMUM": ["行过长", "line too long"],
  "INVALID UNICODE": ["含有无效字符", "invalid characters"],
  "INVALID ENCODING": ["含有无效字符", "invalid characters"],
};

/**
 * Count the errors of the staged rows and list the first `MAX_DETAILED_ERRORS` (plus duplicate keys,
 * the parser's rejected lines and unknown columns) as a report. `staged` is a view of the written
 * file with `__row` (the row number shown) and `__pos` (the row's position in the file).
 * Duplicate keys among the good rows (every occurrence after the first) go to table `dups`.
 */
export async function buildReport(
  c: DuckDBConnection,
  plan: ColumnPlan,
  info: { file: string; format: ValidationReport["format"]; encoding?: ValidationReport["encoding"]; delimiter?: string; rejects: RejectRow[]; rowOffset: (ordinal: number) => number },
): Promise<{ report: ValidationReport; hasDups: boolean; dupCount: number }> {
  const cols = plan.columns;
  const fileName = (i: number) => plan.source[i] ?? cols[i].name;
  const keyIdx = cols.map((col, i) => (col.key ? i : -1)).filter((i) => i >= 0);
  const E = ERR_COLUMN;
  const agg = (await c.runAndReadAll(`SELECT count(*) AS total, count(${E}) AS bad FROM staged`)).getRowObjectsJson()[0] as Record<string, string | number>;
  // Key uniqueness among the good rows (keys are required, so never NULL there): the top 32 bits of
  // the key hashes are sorted and compared with their neighbours (a window over ORDER BY hash, hashes
  // only: measured cheaper than a GROUP BY over 10M distinct hashes, than carrying the keys through
  // the sort, and than sorting all 64 bits: 0.37 s against 0.55 s for 10M keys, for ~12,000 chance
  // collisions among 10M distinct keys). The rows of a repeated hash are then grouped by their real
  // keys, so a hash collision never marks a row; every occurrence after the first is a duplicate.
  let dupCount = 0;
  if (keyIdx.length) {
    const k = keyIdx.map((i) => id(cols[i].name)).join(", ");
    const h32 = `CAST(hash(${k}) >> 32 AS UINTEGER)`;
    await c.run(`CREATE OR REPLACE TEMP TABLE dup_hashes AS
      SELECT DISTINCT h FROM (SELECT h, lag(h) OVER (ORDER BY h) AS prev_h FROM (SELECT ${h32} AS h FROM staged WHERE ${E} IS NULL)) WHERE h = prev_h`);
    if (Number((await c.runAndReadAll("SELECT count(*) FROM dup_hashes")).getRows()[0][0]) > 0) {
      await c.run(`CREATE OR REPLACE TEMP TABLE dups AS
        SELECT __pos, __row FROM (
          SELECT __pos, __row, row_number() OVER (PARTITION BY ${k} ORDER BY __pos) AS rn
          FROM staged WHERE ${E} IS NULL AND ${h32} IN (SELECT h FROM dup_hashes)
        ) WHERE rn > 1`);
      dupCount = Number((await c.runAndReadAll("SELECT count(*) FROM dups")).getRows()[0][0]);
    }
  }
  const hasDups = dupCount > 0;
  const total = Number(agg.total);
  let bad = Number(agg.bad) + dupCount;
  const counts: ValidationReport["counts"] = [];
  if (Number(agg.bad) > 0) {
    const cc = await c.runAndReadAll(`SELECT CAST(split_part(x, chr(31), 1) AS INTEGER) AS i, split_part(x, chr(31), 2) AS code, count(*) AS n
      FROM (SELECT unnest(string_split(${E}, chr(30))) AS x FROM staged WHERE ${E} IS NOT NULL) GROUP BY ALL ORDER BY i, code`);
    const order = ["required", "type", "too_long", "code_list"];
    const rows = cc.getRowObjectsJson() as { i: number; code: string; n: string }[];
    rows.sort((a, b) => Number(a.i) - Number(b.i) || order.indexOf(a.code) - order.indexOf(b.code));
    for (const r of rows) counts.push({ column: fileName(Number(r.i)), code: r.code, count: Number(r.n) });
  }
  const errors: RowError[] = [];
  const msg = (col: SnapshotColumn, code: string) => MESSAGES[code](col);
  // The first bad cells in row order.
  if (Number(agg.bad) > 0) {
    const badCells = await c.runAndReadAll(`SELECT __row, ${E} AS e FROM staged WHERE ${E} IS NOT NULL ORDER BY __pos LIMIT ${MAX_DETAILED_ERRORS}`);
    for (const r of badCells.getRowObjectsJson() as { __row: string; e: string }[]) {
      for (const cell of r.e.split("\u001e")) {
        const [is, code, raw] = cell.split("\u001f");
        const i = Number(is);
        const col = cols[i];
        const [m, en] = msg(col, code);
        errors.push({ row: info.rowOffset(Number(r.__row)), column: fileName(i), code, message: m, messageEn: en, ...(raw !== undefined && raw !== "" && !col.sensitive ? { value: raw } : {}) });
      }
    }
  }
  if (hasDups) {
    const keyCol = keyIdx.map((i) => fileName(i)).join("+");
    counts.push({ column: keyCol, code: "duplicate_key", count: dupCount });
    const d = await c.runAndReadAll(`SELECT __row FROM dups ORDER BY __pos LIMIT ${MAX_DETAILED_ERRORS}`);
    for (const [r] of d.getRows()) errors.push({ row: info.rowOffset(Number(r)), column: keyCol, code: "duplicate_key", message: MESSAGES.duplicate_key(cols[keyIdx[0]])[0], messageEn: MESSAGES.duplicate_key(cols[keyIdx[0]])[1] });
  }
  // Lines the CSV parser refused (ragged rows, broken quotes): whole-row errors.
  const rejectedLines = new Set<number>();
  for (const rj of info.rejects) {
    if (rejectedLines.has(rj.line)) continue;
    rejectedLines.add(rj.line);
    const [m, en] = REJECT_ZH[rj.errorType] ?? ["无法解析该行", `cannot parse the line (${rj.errorType})`];
    errors.push({ row: rj.line, column: rj.column ?? "", code: "ragged", message: m, messageEn: en });
  }
  if (rejectedLines.size) counts.push({ column: "", code: "ragged", count: rejectedLines.size });
  bad += rejectedLines.size;
  for (const u of plan.unknown) {
    errors.push({ row: 1, column: u, code: "unknown_column", message: "表头中的列不对应任何信息项", messageEn: "the column matches no data item" });
    counts.push({ column: u, code: "unknown_column", count: 1 });
  }
  errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  const detailed = errors.slice(0, MAX_DETAILED_ERRORS);
  return {
    hasDups,
    dupCount,
    report: {
      file: info.file, format: info.format, ...(info.encoding ? { encoding: info.encoding } : {}), ...(info.delimiter ? { delimiter: info.delimiter } : {}),
      totalRows: total + rejectedLines.size, goodRows: total + rejectedLines.size - bad, badRows: bad, counts, errors: detailed,
      truncated: errors.length > MAX_DETAILED_ERRORS || counts.reduce((s, x) => s + x.count, 0) > detailed.length,
      columns: plan.mapping,
    },
  };
}
