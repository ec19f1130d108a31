import { InvalidError } from "../../core/errors.ts";
import { DATASET_RULE_KINDS, RULE_DIMENSION, RULE_LABELS, type Dimension, type RuleKind, type RuleSpec } from "./schema.ts";

/**
 * The rule library: defaults derived from a data item, and the compilation of every rule of a
 * dataset into ONE vectorised DuckDB aggregate over the snapshot Parquet (count(*) FILTER per rule),
 * so 10-million-row snapshots are scored in a single scan. Identifier checks call the protection
 * module's DuckDB macros (gs_idcard_valid, gs_uscc_valid, gs_mobile_valid), installed by the lake on
 * every connection.
 */

/** What quality needs of a snapshot column (the ingest contract's SnapshotColumn). */
export interface QColumn {
  name: string;
  type: string;
  duckType: string;
  key: boolean;
  sensitive: boolean;
  required: boolean;
  length?: number;
  codeList?: string[];
  /** Load-time check columns: rule kind → internal column of the snapshot file (see loadChecks). */
  checks?: Record<string, string>;
}

/** The dataset-level pseudo column. */
export const DATASET = "*";

export interface BoundRule {
  id: string;
  column: string;
  spec: RuleSpec;
  dimension: Dimension;
  label: string;
}

const ID_RE = /身份证|证件号码|公民身份号码|身份号码/;
const USCC_RE = /统一社会信用代码|社会信用代码|信用代码/;
const MOBILE_RE = /手机|联系电话|移动电话|联系方式/;
const DATE_RE = /日期|时间/;
const FUTURE_OK_RE = /截止|到期|有效期|结束|终止|计划|预计|届满/;
const START_RE = /开始|起始|生效|成立|发证|签发|登记/;
const END_RE = /结束|截止|终止|到期|有效期至|失效|注销/;

/** Sensible default rules for one data item, from its type, name, required, key, length and code list. */
export function defaultItemRules(c: QColumn, keyCount: number): RuleSpec[] {
  const out: RuleSpec[] = [];
  const isText = c.type === "字符型";
  if (c.required || c.key) out.push({ kind: "required" });
  if (isText && ID_RE.test(c.name)) out.push({ kind: "idcard" });
  else if (isText && USCC_RE.test(c.name)) out.push({ kind: "uscc" });
  else if (isText && MOBILE_RE.test(c.name)) out.push({ kind: "mobile" });
  else if (c.type === "日期型" || c.type === "日期时间型" || (isText && DATE_RE.test(c.name) && !/时间段|时长/.test(c.name)))
    out.push({ kind: "date", notFuture: !FUTURE_OK_RE.test(c.name), min: "1900-01-01" });
  if (c.codeList?.length) out.push({ kind: "codeList", values: [...c.codeList] });
  if (isText && c.length && !out.some((r) => r.kind === "idcard" || r.kind === "uscc" || r.kind === "mobile")) out.push({ kind: "length", max: c.length });
  if ((c.type === "整数型" || c.type === "数值型") && /年龄/.test(c.name)) out.push({ kind: "range", min: 0, max: 150 });
  if (c.key && keyCount === 1) out.push({ kind: "unique" });
  return out;
}

/** Dataset-level defaults: composite key uniqueness, duplicate rows, start ≤ end dates, timeliness. */
export function defaultDatasetRules(cols: QColumn[]): RuleSpec[] {
  const out: RuleSpec[] = [];
  const keys = cols.filter((c) => c.key).map((c) => c.name);
  if (keys.length > 1) out.push({ kind: "unique", columns: keys });
  out.push({ kind: "duplicateRows" });
  const dates = cols.filter((c) => c.type === "日期型" || c.type === "日期时间型");
  const start = dates.find((c) => START_RE.test(c.name));
  const end = dates.find((c) => c !== start && END_RE.test(c.name));
  if (start && end) out.push({ kind: "compare", left: start.name, op: "<=", right: end.name });
  out.push({ kind: "timeliness" });
  return out;
}

export function defaultRules(cols: QColumn[]): Map<string, RuleSpec[]> {
  const keyCount = cols.filter((c) => c.key).length;
  const m = new Map<string, RuleSpec[]>();
  for (const c of cols) m.set(c.name, defaultItemRules(c, keyCount));
  m.set(DATASET, defaultDatasetRules(cols));
  return m;
}

/**
 * The identifier checks worth computing while a file loads (registered with ingest.onValidate): the
 * 身份证 check of every column whose default rules have one. Scoring on the day of the load then
 * counts a boolean column instead of reading and checking the IDs again (compileScan `facts.checks`).
 */
export function loadChecks(cols: QColumn[]): { column: string; kind: string; prepare: (v: string) => string; sql: (v: string, p?: string) => string }[] {
  const keyCount = cols.filter((c) => c.key).length;
  return cols
    .filter((c) => isTextType(c) && defaultItemRules(c, keyCount).some((r) => r.kind === "idcard"))
    .map((c) => ({ column: c.name, kind: "idcard", prepare: (v: string) => `gs_idcard_num(${v})`, sql: (v: string, p?: string) => `gs_idcard_valid_num(${v}, ${p})` }));
}

export function bindRules(byColumn: Map<string, RuleSpec[]>): BoundRule[] {
  const out: BoundRule[] = [];
  for (const [column, specs] of byColumn) {
    specs.forEach((spec, i) => out.push({ id: `${column}:${i}:${spec.kind}`, column, spec, dimension: RULE_DIMENSION[spec.kind], label: RULE_LABELS[spec.kind] }));
  }
  return out;
}

/** Check a rule set for one item against the snapshot's columns (names exist, kinds fit the place). */
export function checkRules(column: string, rules: RuleSpec[], cols: QColumn[]): void {
  const names = new Set(cols.map((c) => c.name));
  const bad = (i: number, message: string, messageEn: string) => {
    throw new InvalidError({ field: `rules.${i}`, message, messageEn });
  };
  if (column !== DATASET && !names.has(column)) throw new InvalidError({ field: "column", message: `数据项「${column}」不存在`, messageEn: `No data item '${column}'` });
  rules.forEach((r, i) => {
    const datasetOnly = DATASET_RULE_KINDS.includes(r.kind) || (r.kind === "unique" && !!r.columns);
    if (column === DATASET && !datasetOnly) bad(i, `规则「${RULE_LABELS[r.kind]}」应设在数据项上`, `Rule '${r.kind}' belongs on a data item`);
    if (column !== DATASET && datasetOnly) bad(i, `规则「${RULE_LABELS[r.kind]}」应设在数据集上（*）`, `Rule '${r.kind}' belongs on the dataset (*)`);
    for (const n of r.kind === "compare" ? [r.left, r.right] : r.kind === "unique" ? (r.columns ?? []) : [])
      if (!names.has(n)) bad(i, `数据项「${n}」不存在`, `No data item '${n}'`);
    if (r.kind === "regex") {
      if (/\(\?[=!<]|\\[1-9]/.test(r.pattern)) bad(i, "正则不支持前后断言和反向引用（RE2）", "Lookaround and backreferences are not supported (RE2)");
      try {
        new RegExp(r.pattern, "u");
      } catch {
        bad(i, "正则表达式无效", "Invalid regular expression");
      }
    }
    if ((r.kind === "range" || r.kind === "length") && r.min !== undefined && r.max !== undefined && r.min > r.max) bad(i, "下限大于上限", "min is greater than max");
    if (r.kind === "date" && r.min && r.max && r.min > r.max) bad(i, "起始日期晚于截止日期", "min date is after max date");
  });
}

export const qid = (s: string) => `"${s.replaceAll('"', '""')}"`;
export const qlit = (s: string) => `'${s.replaceAll("'", "''")}'`;

const isTextType = (c: QColumn) => /^(VARCHAR|TEXT|STRING)/i.test(c.duckType) || c.type === "字符型";

/** SQL pieces of one column: the raw reference, as text, and "has a value". */
function colExpr(c: QColumn) {
  const ref = qid(c.name);
  const text = isTextType(c) ? ref : `CAST(${ref} AS VARCHAR)`;
  // Blank = empty or spaces only (DuckDB's trim strips spaces); only values whose first byte is below
  // '!' are trimmed. A CASE, evaluated branch by branch: an AND/OR of the same tests costs ~8× more CPU.
  const present = isTextType(c) ? `(CASE WHEN ${ref} IS NULL THEN false WHEN ${ref} >= '!' THEN true ELSE trim(${ref}) <> '' END)` : `(${ref} IS NOT NULL)`;
  return { ref, text, present };
}

/** The "this row breaks the rule" predicate of a row-level rule (null for aggregate-only rules). */
export function failPredicate(r: BoundRule, cols: Map<string, QColumn>, today: string, idNum?: Map<string, string>): string | null {
  const s = r.spec;
  if (s.kind === "compare") {
    const l = cols.get(s.left), rr = cols.get(s.right);
    if (!l || !rr) return null;
    const lr = qid(l.name);
    const rightRef = l.duckType === rr.duckType ? qid(rr.name) : `try_cast(${qid(rr.name)} AS ${l.duckType})`;
    return `(${lr} IS NOT NULL AND ${rightRef} IS NOT NULL AND NOT (${lr} ${s.op} ${rightRef}))`;
  }
  const c = cols.get(r.column);
  if (!c) return null;
  const { ref, text, present } = colExpr(c);
  // "present and not ok", written as a CASE so the check runs over whole vectors: as an AND, DuckDB
  // evaluates `present` first and the check (e.g. the 身份证 macro) on the surviving selection, ~40% slower.
  const bad = (ok: string) => `(CASE WHEN coalesce(${ok}, false) THEN false ELSE ${present} END)`;
  switch (s.kind) {
    case "required":
      return `(NOT ${present})`;
    case "idcard": {
      // Computed while loading (a fresh snapshot's check column), or with the parsed number projected
      // by the scan (see compileScan), which binds it without a lambda.
      const chk = idNum?.get(`chk:${c.name}`);
      if (chk) return bad(chk);
      const num = idNum?.get(c.name);
      return bad(num ? `gs_idcard_valid_num(${text}, ${num})` : `gs_idcard_valid(${text})`);
    }
    case "uscc":
      return bad(`gs_uscc_valid(${text})`);
    case "mobile":
      return bad(`gs_mobile_valid(${text})`);
    case "date": {
      const d = /^(DATE|TIMESTAMP)/i.test(c.duckType) ? `CAST(${ref} AS DATE)` : `coalesce(try_cast(${text} AS DATE), CAST(try_strptime(${text}, '%Y%m%d') AS DATE))`;
      const conds = [`${d} IS NOT NULL`];
      if (s.notFuture) conds.push(`${d} <= DATE ${qlit(today)}`);
      if (s.min) conds.push(`${d} >= DATE ${qlit(s.min)}`);
      if (s.max) conds.push(`${d} <= DATE ${qlit(s.max)}`);
      return bad(conds.join(" AND "));
    }
    case "codeList":
      // list_contains, not IN: DuckDB turns an IN list of six or more constants into a join.
      return bad(`list_contains([${s.values.map(qlit).join(", ")}], ${text})`);
    case "range": {
      const x = /^(BIGINT|INTEGER|DOUBLE|DECIMAL|FLOAT|HUGEINT|SMALLINT|TINYINT|REAL)/i.test(c.duckType) ? ref : `try_cast(${text} AS DOUBLE)`;
      const conds = [`${x} IS NOT NULL`];
      if (s.min !== undefined) conds.push(`${x} >= ${Number(s.min)}`);
      if (s.max !== undefined) conds.push(`${x} <= ${Number(s.max)}`);
      return bad(conds.join(" AND "));
    }
    case "length": {
      const conds = ["true"];
      if (s.min !== undefined) conds.push(`length(${text}) >= ${s.min}`);
      if (s.max !== undefined) conds.push(`length(${text}) <= ${s.max}`);
      return bad(conds.join(" AND "));
    }
    case "regex":
      return bad(`regexp_full_match(${text}, ${qlit(s.pattern)})`);
    default:
      return null;
  }
}

export interface CompiledScan {
  sql: string;
  /** Turn the one result row into per-rule counts (timeliness is not computed by SQL: absent here). */
  read(row: Record<string, unknown>): { rowCount: number; counts: Map<string, { evaluated: number; failed: number }> };
  /**
   * Follow-up aggregates for what the main scan could only bound: a uniqueness rule counted by distinct
   * 64-bit hashes that came out short (duplicates, or — very rarely — a hash collision) is counted exactly.
   */
  followUps(counts: Map<string, { evaluated: number; failed: number }>, rowCount: number): { id: string; sql: string; evaluated: number }[];
}

/**
 * Every rule of the dataset in one aggregate scan of `source` (e.g. read_parquet('…')). Uniqueness
 * is counted over hash(key) (integers: far cheaper than distinct strings; as many distinct hashes as
 * keys proves the keys distinct; fewer are re-counted exactly by `followUps`).
 */
/**
 * What a rule already knows from the load: a validated snapshot (ingest checked every row's type,
 * required items, length and code list against the items, and the key's uniqueness, and keeps
 * only the rows that passed) cannot break the rules that repeat those checks, so they are settled
 * without scanning: failed = 0. False when the rule still needs the scan.
 */
export function provedByValidation(r: BoundRule, cols: Map<string, QColumn>): boolean {
  const s = r.spec;
  const keys = [...cols.values()].filter((c) => c.key).map((c) => c.name);
  if (s.kind === "duplicateRows") return keys.length > 0; // distinct keys ⇒ distinct rows
  if (s.kind === "unique") {
    const names = s.columns ?? [r.column];
    return keys.length > 0 && names.length === keys.length && names.every((n) => keys.includes(n));
  }
  const c = cols.get(r.column);
  if (!c) return false;
  if (s.kind === "required") return c.required || c.key;
  if (s.kind === "length") return c.type === "字符型" && !!c.length && s.min === undefined && s.max !== undefined && s.max >= c.length;
  if (s.kind === "codeList") return c.type === "字符型" && !!c.codeList?.length && c.codeList.every((v) => s.values.includes(v));
  return false;
}

export function compileScan(source: string, cols: QColumn[], rules: BoundRule[], today: string, facts: { validated?: boolean; checks?: boolean } = {}): CompiledScan {
  const byName = new Map(cols.map((c) => [c.name, c]));
  // 身份证 columns checked by a rule: the load-time check column when `facts.checks` (the snapshot was
  // loaded today, so "not after today" meant the same), else their parsed number projected once in a subquery.
  const idNum = new Map<string, string>();
  const projected: [string, string][] = [];
  for (const r of rules) {
    if (r.spec.kind !== "idcard" || !byName.has(r.column) || !isTextType(byName.get(r.column)!) || idNum.has(r.column) || idNum.has(`chk:${r.column}`)) continue;
    const chk = facts.checks ? byName.get(r.column)!.checks?.idcard : undefined;
    if (chk) idNum.set(`chk:${r.column}`, qid(chk));
    else {
      const alias = qid(`__gs_idnum${projected.length}`);
      idNum.set(r.column, alias);
      projected.push([r.column, alias]);
    }
  }
  const from = projected.length ? `(SELECT *, ${projected.map(([col, alias]) => `gs_idcard_num(${qid(col)}) AS ${alias}`).join(", ")} FROM ${source})` : source;
  const sel: string[] = ["count(*) AS n"];
  const presentAlias = new Map<string, string>();
  const presentOf = (name: string) => {
    // In a validated snapshot a required item has a (non-blank) value in every row.
    const col = byName.get(name)!;
    if (facts.validated && (col.required || col.key)) return "n";
    let a = presentAlias.get(name);
    if (!a) {
      a = `p${presentAlias.size}`;
      presentAlias.set(name, a);
      sel.push(`count(*) FILTER (WHERE ${colExpr(byName.get(name)!).present}) AS ${a}`);
    }
    return a;
  };
  const plan = new Map<string, { evaluated: string; failed: string; failedIsDistinct?: boolean }>();
  const uniques: { id: string; names: string[]; exactSql: string }[] = [];
  const dupRows: string[] = [];
  const rowHash = `hash(row(${cols.map((c) => qid(c.name)).join(", ")}))`;
  const zero = "CAST(0 AS BIGINT)";
  rules.forEach((r, i) => {
    const s = r.spec;
    if (s.kind === "timeliness") return;
    if (r.column !== DATASET && !byName.has(r.column)) return;
    const f = `f${i}`;
    if (facts.validated && provedByValidation(r, byName)) {
      // Settled by the load's validation: evaluated over the rows (or the present values), none failed.
      sel.push(`${zero} AS ${f}`);
      plan.set(r.id, { evaluated: s.kind === "length" || s.kind === "codeList" ? presentOf(r.column) : "n", failed: f });
      return;
    }
    if (s.kind === "required") {
      sel.push(`count(*) FILTER (WHERE ${failPredicate(r, byName, today)}) AS ${f}`);
      plan.set(r.id, { evaluated: "n", failed: f });
    } else if (s.kind === "unique") {
      const names = s.columns ?? [r.column];
      if (names.some((n) => !byName.has(n))) return;
      const all = names.map((n) => colExpr(byName.get(n)!).present).join(" AND ");
      const tuple = names.length === 1 ? qid(names[0]) : `row(${names.map(qid).join(", ")})`;
      sel.push(`count(*) FILTER (WHERE ${all}) AS e${i}`, `count(DISTINCT hash(${tuple})) FILTER (WHERE ${all}) AS ${f}`);
      plan.set(r.id, { evaluated: `e${i}`, failed: f, failedIsDistinct: true });
      uniques.push({ id: r.id, names, exactSql: `SELECT count(DISTINCT ${tuple}) FILTER (WHERE ${all}) AS d FROM ${source}` });
    } else if (s.kind === "duplicateRows") {
      sel.push(`count(DISTINCT ${rowHash}) AS ${f}`);
      plan.set(r.id, { evaluated: "n", failed: f, failedIsDistinct: true });
      dupRows.push(r.id);
    } else if (s.kind === "compare") {
      const l = byName.get(s.left), rr = byName.get(s.right);
      if (!l || !rr) return;
      sel.push(`count(*) FILTER (WHERE ${qid(l.name)} IS NOT NULL AND ${qid(rr.name)} IS NOT NULL) AS e${i}`, `count(*) FILTER (WHERE ${failPredicate(r, byName, today)}) AS ${f}`);
      plan.set(r.id, { evaluated: `e${i}`, failed: f });
    } else {
      const p = presentOf(r.column);
      sel.push(`count(*) FILTER (WHERE ${failPredicate(r, byName, today, idNum)}) AS ${f}`);
      plan.set(r.id, { evaluated: p, failed: f });
    }
  });
  return {
    sql: `SELECT ${sel.join(",\n  ")}\nFROM ${from}`,
    read(row) {
      const num = (k: string) => Number(row[k] ?? 0);
      const counts = new Map<string, { evaluated: number; failed: number }>();
      for (const [id, p] of plan) {
        const evaluated = num(p.evaluated);
        counts.set(id, { evaluated, failed: p.failedIsDistinct ? evaluated - num(p.failed) : num(p.failed) });
      }
      return { rowCount: num("n"), counts };
    },
    followUps(counts, rowCount) {
      const out: { id: string; sql: string; evaluated: number }[] = [];
      for (const u of uniques) {
        const k = counts.get(u.id)!;
        if (k.failed > 0) out.push({ id: u.id, sql: u.exactSql.replace("AS d", "AS d"), evaluated: k.evaluated });
      }
      void rowCount;
      return out;
    },
  };
}

/** Sample failing rows of the row-level rules in one more scan; at most `limit` per rule. `source` has `__rn` (the row's position). */
export function compileSamples(source: string, cols: QColumn[], rules: BoundRule[], today: string, limit: number): { sql: string; columns: string[] } | null {
  const byName = new Map(cols.map((c) => [c.name, c]));
  const preds: { i: number; p: string }[] = [];
  rules.forEach((r, i) => {
    const p = failPredicate(r, byName, today);
    if (p) preds.push({ i, p });
  });
  if (!preds.length) return null;
  const wanted = new Set<string>(cols.filter((c) => c.key).map((c) => c.name));
  for (const { i } of preds) {
    const r = rules[i];
    if (r.spec.kind === "compare") wanted.add(r.spec.left).add(r.spec.right);
    else wanted.add(r.column);
  }
  const columns = [...wanted];
  const list = `list_filter([${preds.map(({ i, p }) => `CASE WHEN ${p} THEN ${i} END`).join(", ")}], x -> x IS NOT NULL)`;
  const sql = `WITH f AS (
  SELECT __rn, ${columns.map((n, k) => `CAST(${qid(n)} AS VARCHAR) AS c${k}`).join(", ")}, ${list} AS __rules
  FROM ${source}
  WHERE ${preds.map(({ p }) => p).join(" OR ")}
), u AS (SELECT unnest(__rules) AS __rule, * EXCLUDE (__rules) FROM f)
SELECT * FROM u QUALIFY row_number() OVER (PARTITION BY __rule ORDER BY __rn) <= ${limit} ORDER BY __rule, __rn`;
  return { sql, columns };
}

/** Rows whose key (or whole row) is duplicated: the first `limit` groups, by first row number (`__rn` of `source`). */
export function compileDuplicateSamples(source: string, cols: QColumn[], r: BoundRule, limit: number): { sql: string; columns: string[] } | null {
  const s = r.spec;
  let group: string;
  if (s.kind === "unique") group = (s.columns ?? [r.column]).map(qid).join(", ");
  else if (s.kind === "duplicateRows") group = `hash(row(${cols.map((c) => qid(c.name)).join(", ")}))`;
  else return null;
  const show = s.kind === "unique" ? (s.columns ?? [r.column]) : cols.filter((c) => c.key).map((c) => c.name);
  const keyShow = show.length ? show : cols.slice(0, 3).map((c) => c.name);
  const sql = `SELECT min(__rn) AS __rn, count(*) AS __n, ${keyShow.map((n, k) => `CAST(first(${qid(n)}) AS VARCHAR) AS c${k}`).join(", ")}
FROM ${source} GROUP BY ${group} HAVING count(*) > 1 ORDER BY __rn LIMIT ${limit}`;
  return { sql, columns: keyShow };
}

export const ruleKindOf = (r: BoundRule): RuleKind => r.spec.kind;
