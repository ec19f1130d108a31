import { CATEGORY_DIGIT, EntryContent, RESOURCE_CODE_RE, type Category } from "../schema.ts";
import { convertCell, type RawCell } from "./cells.ts";
import { ITEM_BY_FIELD, ITEM_COLUMNS, RESOURCE_BY_FIELD, RESOURCE_COLUMNS, type ColumnSpec } from "./columns.ts";
import type { ErrorReport, Loc } from "./report.ts";

/** A cell kept with the row it came from (CSV resources span several rows). */
export interface SourcedCell {
  v: RawCell;
  row: number;
  sheet?: string;
}

export interface ItemDraft {
  sheet?: string;
  row: number;
  cells: Map<string, SourcedCell>;
}

export interface ResourceDraft {
  sheet?: string;
  row: number;
  rowRef: string;
  seq?: string;
  code?: string;
  /** Resource cells by header (non-empty only). */
  cells: Map<string, SourcedCell>;
  items: ItemDraft[];
  /** Every row the resource was read from (CSV groups, not the item rows). */
  rows: number[];
  /** The row's 资源序号/信息资源代码 is already reported (missing or repeated): no "items missing" on top. */
  linkError?: boolean;
}

export interface ValidateContext {
  report: ErrorReport;
  /** Headers of required columns missing from the file: their per-row errors are not repeated. */
  missing: Set<string>;
  csv: boolean;
}

type Path = (string | number)[];

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let o = obj;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts[parts.length - 1]] = value;
}

function getPath(obj: unknown, path: Path): unknown {
  let o = obj;
  for (const p of path) {
    if (o === null || typeof o !== "object") return undefined;
    o = (o as Record<string | number, unknown>)[p];
  }
  return o;
}

export function formatPath(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s ? `${s}.${p}` : p), "");
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.join("、");
  return String(v);
}

/** One zod issue → zh/en reason for the cell. */
function explain(issue: Record<string, unknown>, spec: ColumnSpec, value: unknown): { zh: string; en: string } {
  if (value === undefined || value === "") return { zh: "为必填项，不能为空", en: "is required" };
  const min = issue.minimum as number | undefined;
  const max = issue.maximum as number | undefined;
  const origin = issue.origin as string | undefined;
  const len = typeof value === "string" || Array.isArray(value) ? value.length : undefined;
  switch (issue.code) {
    case "invalid_value": {
      const vals = ((issue.values as unknown[]) ?? spec.values ?? []).map(String);
      return {
        zh: `取值无效：应为 ${vals.join("、")}（填写的是「${show(value)}」）`,
        en: `invalid value "${show(value)}"; expected one of: ${vals.join(", ")}`,
      };
    }
    case "too_small":
      if (origin === "string") return min !== undefined && min <= 1 ? { zh: "不能为空", en: "must not be empty" } : { zh: `至少 ${min} 个字符`, en: `must have at least ${min} characters` };
      if (origin === "array") return { zh: `至少填写 ${min} 项`, en: `needs at least ${min} value(s)` };
      if (issue.inclusive === false) return { zh: `应大于 ${min}（填写的是 ${show(value)}）`, en: `must be greater than ${min} (got ${show(value)})` };
      return { zh: `不能小于 ${min}（填写的是 ${show(value)}）`, en: `must be at least ${min} (got ${show(value)})` };
    case "too_big":
      if (origin === "string") return { zh: `不能超过 ${max} 个字符（当前 ${len} 个）`, en: `must have at most ${max} characters (has ${len})` };
      if (origin === "array") return { zh: `最多 ${max} 项（当前 ${len} 项）`, en: `allows at most ${max} values (has ${len})` };
      return { zh: `不能大于 ${max}（填写的是 ${show(value)}）`, en: `must be at most ${max} (got ${show(value)})` };
    case "invalid_format": {
      const h = spec.formatHint ?? { zh: "格式无效", en: "invalid format" };
      return { zh: `${h.zh}（填写的是「${show(value)}」）`, en: `${h.en} (got "${show(value)}")` };
    }
    case "invalid_type":
      return { zh: `类型无效（应为${issue.expected === "number" ? "数字" : issue.expected === "boolean" ? "是/否" : "文本"}）`, en: `wrong type (expected ${String(issue.expected)})` };
    default:
      return { zh: `无效：${String(issue.message ?? issue.code)}`, en: `invalid: ${String(issue.message ?? issue.code)}` };
  }
}

/**
 * Validate one resource with its data items: cell conversion, EntryContent.safeParse with issues
 * mapped back to their cells, and the catalog rules. Returns the content when every row is clean.
 */
export function validateResource(res: ResourceDraft, ctx: ValidateContext): EntryContent | null {
  const { report } = ctx;
  const resLoc = (header: string): Loc => {
    const c = res.cells.get(header);
    return { sheet: res.sheet, row: c?.row ?? res.row };
  };
  const failed = new Set<string>();
  const raw: Record<string, unknown> = {};

  const fill = (target: Record<string, unknown>, spec: ColumnSpec, cell: SourcedCell | undefined, pathPrefix: string) => {
    if (!cell || !spec.field) return;
    const conv = convertCell(spec, cell.v);
    if (!conv.ok) {
      report.add({ sheet: cell.sheet, row: cell.row }, spec.header, conv.zh, conv.en, pathPrefix + spec.field);
      failed.add(pathPrefix + spec.field);
      return;
    }
    if (conv.value === "" || (Array.isArray(conv.value) && conv.value.length === 0)) return;
    setPath(target, spec.field, conv.value);
  };

  for (const spec of RESOURCE_COLUMNS) if (spec.field) fill(raw, spec, res.cells.get(spec.header), "");
  raw.items = res.items.map((item, i) => {
    const o: Record<string, unknown> = {};
    for (const spec of ITEM_COLUMNS) if (spec.field) fill(o, spec, item.cells.get(spec.header), `items.${i}.`);
    return o;
  });

  // ---- catalog rules (RULES.md §2.3, §5) ----
  const s = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);
  const rule = (header: string, field: string, zh: string, en: string) => report.add(resLoc(header), header, zh, en, field);
  if (s("shareType") === "不予共享" && !s("notShareBasis"))
    rule("不予共享依据", "notShareBasis", "为必填项：共享类型为不予共享时须写明不予共享的法律法规依据", "is required when 共享类型 is 不予共享 (give the legal basis)");
  if (s("shareType") === "有条件共享" && !s("shareConditions"))
    rule("共享条件", "shareConditions", "为必填项：共享类型为有条件共享时须写明共享条件", "is required when 共享类型 is 有条件共享");
  if (s("openType") === "有条件开放" && !s("openConditions"))
    rule("开放条件", "openConditions", "为必填项：开放类型为有条件开放时须写明开放条件", "is required when 开放类型 is 有条件开放");
  if (s("grade") === "核心" && s("shareType") === "无条件共享")
    rule("共享类型", "shareType", "取值无效：核心数据不得无条件共享", "core data (核心) cannot be 无条件共享");
  if (s("grade") === "核心" && (s("openType") === "无条件开放" || s("openType") === "有条件开放"))
    rule("开放类型", "openType", `取值无效：核心数据不得开放（填写的是「${s("openType")}」），应为 不予开放`, `core data (核心) cannot be opened ("${s("openType")}"); use 不予开放`);
  const classCode = s("classCode");
  const category = s("category") as Category | undefined;
  if (classCode && /^[1-3]\d{5}\d{0,6}$/.test(classCode) && category && category in CATEGORY_DIGIT && classCode[0] !== CATEGORY_DIGIT[category])
    rule("分类码", "classCode", `与资源分类不一致：${category}类的分类码应以 ${CATEGORY_DIGIT[category]} 开头（填写的是「${classCode}」）`,
      `does not match 资源分类: a ${category} class code starts with ${CATEGORY_DIGIT[category]} (got "${classCode}")`);
  if (res.code !== undefined) {
    if (!RESOURCE_CODE_RE.test(res.code))
      rule("信息资源代码", "code", `格式无效：应为 类(1位)项(2位)目(3位)细目/顺序码，如 101001/000001（填写的是「${res.code}」）`,
        `invalid format: expected 分类码/顺序码, e.g. 101001/000001 (got "${res.code}")`);
    else if (classCode && res.code.split("/")[0] !== classCode)
      rule("信息资源代码", "code", `与「分类码」不一致：代码的分类码部分为「${res.code.split("/")[0]}」，分类码为「${classCode}」`,
        `does not match 分类码: the code's class part is "${res.code.split("/")[0]}" but 分类码 is "${classCode}"`);
  }
  if (res.items.length === 0 && !res.linkError) {
    const header = ctx.csv ? "信息项名称" : "资源序号";
    report.add({ sheet: res.sheet, row: res.row }, header,
      ctx.csv ? "「信息项」缺失：该资源没有任何信息项，请至少填写一行信息项" : "「信息项」缺失：该资源在「信息项」表中没有任何信息项（请按资源序号或信息资源代码关联）",
      "data items (信息项) missing: the resource has no data item", "items");
  }
  const names = new Map<string, number>();
  res.items.forEach((item, i) => {
    const n = (raw.items as Record<string, unknown>[])[i].name;
    if (typeof n !== "string") return;
    const first = names.get(n);
    if (first !== undefined)
      report.add({ sheet: item.sheet, row: item.row }, "信息项名称", `「${n}」与第 ${first} 行重复：同一资源的信息项名称不得重复`,
        `"${n}" repeats row ${first}: item names must be unique within a resource`, `items[${i}].name`);
    else names.set(n, item.row);
  });

  // ---- schema ----
  const r = EntryContent.safeParse(raw);
  if (!r.success) {
    for (const iss of r.error.issues) {
      const path = iss.path as Path;
      const dotted = path.join(".");
      if ([...failed].some((f) => dotted === f || dotted.startsWith(f + "."))) continue;
      const value = getPath(raw, path);
      let spec: ColumnSpec;
      let loc: Loc;
      if (path[0] === "items" && typeof path[1] === "number") {
        const item = res.items[path[1]];
        spec = ITEM_BY_FIELD.get(String(path[2] ?? "name")) ?? ITEM_BY_FIELD.get("name")!;
        loc = { sheet: item.sheet, row: item.row };
      } else if (path[0] === "items") {
        spec = { header: ctx.csv ? "信息项名称" : "资源序号", headerEn: "Items", kind: "text", width: 0, help: "", helpEn: "" };
        loc = { sheet: res.sheet, row: res.row };
      } else {
        let key = path.filter((p) => typeof p === "string").join(".");
        if (key === "sourceSystem" || key === "contact") key += ".name";
        spec = RESOURCE_BY_FIELD.get(key) ?? RESOURCE_BY_FIELD.get("name")!;
        loc = resLoc(spec.header);
      }
      if (ctx.missing.has(spec.header) && (value === undefined || value === "")) continue;
      const { zh, en } = explain(iss as unknown as Record<string, unknown>, spec, value);
      report.add(loc, spec.header, zh, en, formatPath(path));
    }
    return null;
  }
  const rows: Loc[] = [...res.rows.map((row) => ({ sheet: res.sheet, row })), ...res.items.map((i) => ({ sheet: i.sheet, row: i.row }))];
  if (rows.some((l) => report.isBad(l))) return null;
  return r.data;
}
