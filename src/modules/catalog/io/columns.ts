import {
  BASE_THEMES,
  CATEGORIES,
  DOMAINS,
  FORMAT_CATEGORIES,
  GRADES,
  ITEM_TYPES,
  OPEN_TYPES,
  SHARE_METHOD_TYPES,
  SHARE_METHODS,
  SHARE_TYPES,
  SUBJECT_THEMES,
  UPDATE_CYCLES,
} from "../schema.ts";

/**
 * The template's columns: one table drives import, export, the 填写说明 sheet and the dropdowns.
 * Header text is the contract with the departments; do not rename without keeping an alias.
 */

export const SHEET_RESOURCES = "资源目录";
export const SHEET_ITEMS = "信息项";
export const SHEET_HELP = "填写说明";
export const SHEET_LISTS = "值列表";

export type ColumnKind = "text" | "code" | "enum" | "list" | "int" | "bool";

export interface ColumnSpec {
  header: string;
  headerEn: string;
  /** Dotted path in EntryContent (resource columns) or DataItem (item columns). */
  field?: string;
  /** Linking columns: 资源序号 / 信息资源代码. */
  link?: "seq" | "code";
  kind: ColumnKind;
  /** The column must be present in the header row (its value is required by the schema). */
  required?: boolean;
  /** Allowed values (enum) or the values offered for a list column. */
  values?: readonly string[];
  /** Values are suggestions only (free text is allowed). */
  open?: boolean;
  /** Other spellings accepted on import, mapped to the canonical value. */
  aliases?: Record<string, string>;
  /** Other header spellings accepted on import. */
  headerAliases?: string[];
  /** Written on export, ignored on import. */
  exportOnly?: boolean;
  width: number;
  help: string;
  helpEn: string;
  example?: string;
  /** Message for a value with the wrong shape (regex / email). */
  formatHint?: { zh: string; en: string };
}

const YES_NO = ["是", "否"] as const;
const THEMES = [...BASE_THEMES, ...SUBJECT_THEMES];

export const RESOURCE_COLUMNS: ColumnSpec[] = [
  { header: "资源序号", headerEn: "Resource no.", link: "seq", kind: "code", width: 10, example: "1",
    help: "本文件内资源的编号（如 1、2、3），在「信息项」表中填写相同的序号以关联信息项；没有信息资源代码的新资源必须填写。",
    helpEn: "Row number of the resource inside this file; write the same number in sheet 信息项 to attach data items. Required for new resources without a code." },
  { header: "信息资源代码", headerEn: "Resource code", link: "code", kind: "code", width: 18, example: "101001/000123",
    helpEn: "Optional on import: 分类码/顺序码, e.g. 101001/000123. Leave empty for a new resource; the platform assigns one.",
    help: "导入时可不填：格式为 分类码/顺序码，如 101001/000123。新资源留空，由平台分配。",
    formatHint: { zh: "格式无效：应为 类(1位)项(2位)目(3位)细目/顺序码，如 101001/000001", en: "invalid format: expected 分类码/顺序码, e.g. 101001/000001" } },
  { header: "信息资源名称", headerEn: "Name", field: "name", kind: "text", required: true, width: 28, example: "企业登记基本信息",
    help: "资源名称，2–200 字。", helpEn: "Resource name, 2–200 characters." },
  { header: "信息资源摘要", headerEn: "Summary", field: "summary", kind: "text", required: true, width: 40, example: "本市登记在册企业的基本登记信息。",
    help: "对资源内容的简要说明，最多 4000 字。", helpEn: "What the resource contains, up to 4000 characters." },
  { header: "资源分类", headerEn: "Category", field: "category", kind: "enum", required: true, values: CATEGORIES, width: 10, example: "基础",
    aliases: { 基础信息资源: "基础", 主题信息资源: "主题", 部门信息资源: "部门", 基础类: "基础", 主题类: "主题", 部门类: "部门" },
    help: "资源属性分类（类）：基础 / 主题 / 部门。", helpEn: "Catalog class: 基础 (base), 主题 (subject) or 部门 (department)." },
  { header: "分类码", headerEn: "Class code", field: "classCode", kind: "code", required: true, width: 12, example: "101001",
    help: "类(1位)项(2位)目(3位)细目(0–6位)，6–12 位数字，首位与资源分类一致（1 基础、2 主题、3 部门）。",
    helpEn: "类(1)项(2)目(3)细目(0–6): 6–12 digits; the first digit matches the category (1 基础, 2 主题, 3 部门).",
    formatHint: { zh: "格式无效：应为 6–12 位数字，首位为 1/2/3", en: "invalid format: expected 6–12 digits starting with 1, 2 or 3" } },
  { header: "主题分类", headerEn: "Theme", field: "theme", kind: "text", required: true, values: THEMES, open: true, width: 16, example: "法人单位",
    help: "基础或主题信息资源的主题（可从下拉列表选择），部门资源可填写部门名称，最多 50 字。",
    helpEn: "Theme of a base or subject resource (dropdown offers the standard ones); department resources may write their own, up to 50 characters." },
  { header: "数据要素×领域", headerEn: "Data-element-x domains", field: "domains", kind: "list", values: DOMAINS, width: 22, example: "金融服务、商贸流通",
    headerAliases: ["数据要素x领域", "数据要素领域", "应用领域"],
    help: "可填多个，用 、 或 ; 分隔，最多 12 个。", helpEn: "Several allowed, separated by 、 or ;, at most 12." },
  { header: "关键字", headerEn: "Keywords", field: "keywords", kind: "list", width: 20, example: "企业、登记",
    help: "可填多个，用 、 ， , ; 分隔，每个最多 30 字，最多 20 个。", helpEn: "Several allowed, separated by 、 ， , ;; each up to 30 characters, at most 20." },
  { header: "格式分类", headerEn: "Format category", field: "formatCategory", kind: "enum", required: true, values: FORMAT_CATEGORIES, width: 12, example: "数据库",
    help: "信息资源格式的分类。", helpEn: "Format category of the resource." },
  { header: "格式类型", headerEn: "Formats", field: "formats", kind: "list", required: true, width: 16, example: "Oracle",
    help: "具体格式，如 xlsx、csv、Oracle、Dm；可填多个（用 、 分隔），1–10 个。", helpEn: "Concrete formats such as xlsx, csv, Oracle, Dm; 1–10, separated by 、." },
  { header: "共享类型", headerEn: "Share type", field: "shareType", kind: "enum", required: true, values: SHARE_TYPES, width: 12, example: "有条件共享",
    help: "有条件共享须填写共享条件；不予共享须填写不予共享依据；核心数据不得无条件共享。",
    helpEn: "有条件共享 needs 共享条件; 不予共享 needs 不予共享依据; core data (核心) cannot be 无条件共享." },
  { header: "共享条件", headerEn: "Share conditions", field: "shareConditions", kind: "text", width: 24, example: "仅用于市场监管执法",
    help: "共享类型为有条件共享时必填，最多 2000 字。", helpEn: "Required when 共享类型 is 有条件共享; up to 2000 characters." },
  { header: "共享方式", headerEn: "Share method", field: "shareMethod", kind: "enum", values: SHARE_METHODS, width: 14, example: "共享平台方式",
    help: "留空默认为 共享平台方式。", helpEn: "Defaults to 共享平台方式 when empty." },
  { header: "共享方式类型", headerEn: "Share method type", field: "shareMethodType", kind: "enum", values: SHARE_METHOD_TYPES, width: 12, example: "接口",
    aliases: { 库表: "数据库", 服务接口: "接口", 文件下载: "文件" },
    help: "通过共享平台共享时的方式：数据库（库表）/ 文件 / 接口。", helpEn: "When shared via the platform: 数据库 (tables), 文件 (file) or 接口 (API)." },
  { header: "不予共享依据", headerEn: "Legal basis for not sharing", field: "notShareBasis", kind: "text", width: 24,
    help: "共享类型为不予共享时必填：写明法律、行政法规或国务院决定的依据。", helpEn: "Required when 共享类型 is 不予共享: the law or regulation that forbids sharing." },
  { header: "开放类型", headerEn: "Open type", field: "openType", kind: "enum", required: true, values: OPEN_TYPES, width: 12, example: "不予开放",
    aliases: { 是: "无条件开放", 否: "不予开放", 开放: "无条件开放", 不开放: "不予开放" },
    headerAliases: ["开放属性", "是否向社会开放"],
    help: "有条件开放须填写开放条件；核心数据只能不予开放。旧式“是/否”分别视为 无条件开放 / 不予开放。",
    helpEn: "有条件开放 needs 开放条件; core data can only be 不予开放. Legacy 是/否 is read as 无条件开放 / 不予开放." },
  { header: "开放条件", headerEn: "Open conditions", field: "openConditions", kind: "text", width: 20,
    help: "开放类型为有条件开放时必填。", helpEn: "Required when 开放类型 is 有条件开放." },
  { header: "不予开放依据", headerEn: "Basis for not opening", field: "notOpenBasis", kind: "text", width: 20,
    help: "不予开放的依据（建议填写）。", helpEn: "Why the resource is not opened (recommended)." },
  { header: "更新周期", headerEn: "Update cycle", field: "updateCycle", kind: "enum", required: true, values: UPDATE_CYCLES, width: 10, example: "每日",
    aliases: { 每天: "每日", 日: "每日", 周: "每周", 月: "每月", 季度: "每季度", 每季: "每季度", 半年: "每半年", 年: "每年", 每年度: "每年" },
    help: "数据更新的频率。", helpEn: "How often the data is updated." },
  { header: "来源信息系统", headerEn: "Source system", field: "sourceSystem.name", kind: "text", required: true, width: 20, example: "企业登记业务系统",
    help: "产生该数据的业务信息系统名称。", helpEn: "Name of the information system that produces the data." },
  { header: "来源系统说明", headerEn: "Source system notes", field: "sourceSystem.description", kind: "text", width: 20,
    help: "来源系统的补充说明（可选）。", helpEn: "Notes on the source system (optional)." },
  { header: "数据分级", headerEn: "Grade", field: "grade", kind: "enum", required: true, values: GRADES, width: 10, example: "一般",
    aliases: { 一般数据: "一般", 重要数据: "重要", 核心数据: "核心" },
    help: "GB/T 43697-2024 数据分级：一般 / 重要 / 核心。", helpEn: "GB/T 43697-2024 grade: 一般 (general), 重要 (important), 核心 (core)." },
  { header: "一般数据子级", headerEn: "General sub-level", field: "generalLevel", kind: "int", values: ["1", "2", "3", "4"], width: 12, example: "2",
    help: "一般数据的子级 1–4（可选）。", helpEn: "Sub-level 1–4 of general data (optional)." },
  { header: "关联资源代码", headerEn: "Related codes", field: "relatedCodes", kind: "list", width: 22,
    help: "相关资源的信息资源代码，多个用 、 或 ; 分隔，最多 20 个。", helpEn: "Codes of related resources, separated by 、 or ;, at most 20.",
    formatHint: { zh: "格式无效：应为 分类码/顺序码，如 101001/000001", en: "invalid format: expected 分类码/顺序码, e.g. 101001/000001" } },
  { header: "联系人", headerEn: "Contact", field: "contact.name", kind: "text", required: true, width: 10, example: "张三",
    help: "资源联系人姓名。", helpEn: "Contact person." },
  { header: "联系电话", headerEn: "Contact phone", field: "contact.phone", kind: "text", required: true, width: 16, example: "0571-87000000",
    help: "5–20 位，可含数字、+、-、括号和空格。", helpEn: "5–20 characters: digits, +, -, brackets and spaces.",
    formatHint: { zh: "格式无效：电话号码应为 5–20 位数字，可含 + - ( ) 和空格", en: "invalid phone number: 5–20 digits, may contain + - ( ) and spaces" } },
  { header: "联系邮箱", headerEn: "Contact email", field: "contact.email", kind: "text", width: 22, example: "data@example.gov.cn",
    help: "联系邮箱（可选）。", helpEn: "Contact email (optional).",
    formatHint: { zh: "格式无效：应为有效的电子邮箱地址", en: "invalid email address" } },
  { header: "信息资源提供方", headerEn: "Provider", kind: "text", exportOnly: true, width: 20, headerAliases: ["提供方", "提供部门"],
    help: "导出时填写；导入时忽略（提供方为上传人所在部门）。", helpEn: "Written on export; ignored on import (the provider is the uploader's department)." },
  { header: "状态", headerEn: "Status", kind: "text", exportOnly: true, width: 10,
    help: "导出时填写；导入时忽略。", helpEn: "Written on export; ignored on import." },
  { header: "发布日期", headerEn: "Published", kind: "text", exportOnly: true, width: 12,
    help: "导出时填写；导入时忽略。", helpEn: "Written on export; ignored on import." },
];

export const ITEM_COLUMNS: ColumnSpec[] = [
  { header: "资源序号", headerEn: "Resource no.", link: "seq", kind: "code", width: 10, example: "1",
    help: "所属资源在「资源目录」表中的资源序号。", helpEn: "The 资源序号 of the resource in sheet 资源目录." },
  { header: "信息资源代码", headerEn: "Resource code", link: "code", kind: "code", width: 18, example: "101001/000123",
    help: "所属资源的信息资源代码（已有代码的资源可只填此列）。", helpEn: "Code of the resource (enough on its own for resources that have a code)." },
  { header: "信息项名称", headerEn: "Item name", field: "name", kind: "text", required: true, width: 20, example: "统一社会信用代码",
    help: "数据项（字段）的中文名称，同一资源内不得重复，最多 100 字。", helpEn: "Chinese name of the data item (field), unique within the resource, up to 100 characters." },
  { header: "英文名称", headerEn: "English name", field: "nameEn", kind: "text", width: 18, example: "uscc",
    help: "字段英文名（可选）。", helpEn: "English / column name (optional)." },
  { header: "数据类型", headerEn: "Data type", field: "type", kind: "enum", required: true, values: ITEM_TYPES, width: 12, example: "字符型",
    aliases: { 字符: "字符型", 字符串: "字符型", 文本: "字符型", 整数: "整数型", 整型: "整数型", 数值: "数值型", 数字: "数值型", 日期: "日期型",
      日期时间: "日期时间型", 时间: "日期时间型", 布尔: "布尔型", 二进制: "二进制型" },
    help: "信息项的数据类型。", helpEn: "Data type of the item." },
  { header: "数据长度", headerEn: "Length", field: "length", kind: "int", width: 10, example: "18",
    help: "正整数（可选）。", helpEn: "Positive whole number (optional)." },
  { header: "描述", headerEn: "Description", field: "description", kind: "text", width: 28,
    help: "信息项说明（可选），最多 1000 字。", helpEn: "Description (optional), up to 1000 characters." },
  { header: "是否敏感", headerEn: "Sensitive", field: "sensitive", kind: "bool", values: YES_NO, width: 10, example: "否",
    help: "是否含个人信息等敏感信息：是 / 否，留空为否。", helpEn: "Holds personal or other sensitive information: 是 / 否 (empty = 否)." },
  { header: "是否必填", headerEn: "Required", field: "required", kind: "bool", values: YES_NO, width: 10, example: "是",
    help: "是 / 否，留空为否。", helpEn: "是 / 否 (empty = 否)." },
  { header: "是否主键", headerEn: "Key", field: "key", kind: "bool", values: YES_NO, width: 10, example: "否",
    help: "是否为记录主键（数据归集时校验唯一，版本比对按主键）：是 / 否，留空为否。", helpEn: "Part of the record key (unique on load, versions compared by it): 是 / 否 (empty = 否)." },
  { header: "值域", headerEn: "Code list", field: "codeList", kind: "list", width: 20, example: "",
    headerAliases: ["代码表", "取值范围"],
    help: "可选：允许的取值，用 、 或 ; 分隔，如 男、女。归集时逐行校验。", helpEn: "Optional: the allowed values, separated by 、 or ;, e.g. 男、女. Checked on every load." },
];

/** CSV: resource columns, then the item columns without the repeated link columns. */
export const CSV_COLUMNS: ColumnSpec[] = [...RESOURCE_COLUMNS, ...ITEM_COLUMNS.filter((c) => !c.link)];

/** Header as compared on import: no spaces, no required-markers, × spelled one way. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[\s\u3000\u00a0]+/g, "")
    .replace(/^[*＊]+|[*＊]+$/g, "")
    .replace(/[（(]必填[)）]$/, "")
    .replace(/[xX✕╳*＊]/g, "×");
}

export interface HeaderIndex {
  byNorm: Map<string, ColumnSpec>;
}

export function headerIndex(cols: ColumnSpec[]): HeaderIndex {
  const byNorm = new Map<string, ColumnSpec>();
  for (const c of cols) {
    byNorm.set(normalizeHeader(c.header), c);
    for (const a of c.headerAliases ?? []) byNorm.set(normalizeHeader(a), c);
  }
  return { byNorm };
}

export const RESOURCE_BY_FIELD = new Map(RESOURCE_COLUMNS.filter((c) => c.field).map((c) => [c.field!, c]));
export const ITEM_BY_FIELD = new Map(ITEM_COLUMNS.filter((c) => c.field).map((c) => [c.field!, c]));
export const COLUMN_ORDER = new Map<string, number>();
for (const c of [...CSV_COLUMNS, ...ITEM_COLUMNS]) if (!COLUMN_ORDER.has(c.header)) COLUMN_ORDER.set(c.header, COLUMN_ORDER.size);
