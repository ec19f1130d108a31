/** Test fixtures built in code (no binary files in the repository). */
import ExcelJS from "exceljs";
import { EntryContent, type EntryContentInput } from "../schema.ts";
import { ITEM_COLUMNS, RESOURCE_COLUMNS } from "./columns.ts";
import type { ExportEntry } from "./types.ts";

/** A valid content; keys given as undefined in `over` are removed from the defaults. */
export function content(over: Partial<EntryContentInput> = {}): EntryContent {
  const drop = Object.keys(over).filter((k) => (over as Record<string, unknown>)[k] === undefined);
  const base: Record<string, unknown> = {
    name: "企业登记基本信息",
    summary: "本市登记在册企业的基本登记信息，含名称、住所、法定代表人等。",
    category: "基础",
    classCode: "101001",
    theme: "法人单位",
    domains: ["金融服务", "商贸流通"],
    keywords: ["企业", "登记"],
    formatCategory: "数据库",
    formats: ["Oracle", "Dm"],
    items: [
      { name: "统一社会信用代码", nameEn: "uscc", type: "字符型", length: 18, description: "18 位", sensitive: false, required: true },
      { name: "企业名称", type: "字符型", length: 200, required: true },
      { name: "成立日期", type: "日期型" },
    ],
    shareType: "有条件共享",
    shareConditions: "仅用于市场监管执法，不得转授",
    shareMethod: "共享平台方式",
    shareMethodType: "接口",
    openType: "不予开放",
    notOpenBasis: "含企业经营敏感信息",
    updateCycle: "每日",
    sourceSystem: { name: "企业登记业务系统", description: "省级统一部署" },
    grade: "一般",
    generalLevel: 2,
    relatedCodes: ["101001/000124"],
    contact: { name: "张三", phone: "0571-87000000", email: "data@example.gov.cn" },
    ...over,
  };
  for (const k of drop) delete base[k];
  return EntryContent.parse(base);
}

/** A varied set of entries: multi-line and quoted text, formula-like text, a GBK-only rare character, few optionals. */
export function sampleEntries(): ExportEntry[] {
  return [
    { code: "101001/000123", content: content(), status: "published", provider: "市市场监管局", publishedAt: "2026-03-01T02:00:00Z" },
    {
      code: "201002/000007",
      content: content({
        name: "医保定点机构目录, \"含\" 药店",
        summary: "第一行\n第二行；含分号, 逗号和\t制表符",
        category: "主题",
        classCode: "201002",
        theme: "健康保障",
        domains: [],
        keywords: [],
        formatCategory: "电子表格",
        formats: ["xlsx"],
        items: [
          { name: "机构名称", type: "字符型", sensitive: true, required: false, description: "=SUM(A1) 不是公式" },
          { name: "床位数", nameEn: "beds", type: "整数型", length: 6 },
        ],
        shareType: "无条件共享",
        shareConditions: undefined,
        shareMethodType: undefined,
        openType: "有条件开放",
        openConditions: "实名注册后申请",
        notOpenBasis: undefined,
        updateCycle: "每季度",
        sourceSystem: { name: "医保信息平台" },
        grade: "重要",
        generalLevel: undefined,
        relatedCodes: [],
        contact: { name: "李四", phone: "+86 571 8700 0000" },
      }),
    },
    {
      code: "",
      content: content({
        name: "不予共享的资源䶮",
        category: "部门",
        classCode: "301001001",
        theme: "市场监管",
        shareType: "不予共享",
        shareConditions: undefined,
        notShareBasis: "《某某条例》第十条",
        grade: "核心",
        generalLevel: undefined,
        openType: "不予开放",
        items: [{ name: "案件编号", type: "字符型", length: 32, sensitive: true, required: true }],
      }),
    },
  ];
}

export const RES_HEADERS = RESOURCE_COLUMNS.filter((c) => !c.exportOnly).map((c) => c.header);
export const ITEM_HEADERS = ITEM_COLUMNS.map((c) => c.header);

/** A valid 资源目录 row keyed by header. */
export function resRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    资源序号: 1,
    信息资源代码: "",
    信息资源名称: "企业登记基本信息",
    信息资源摘要: "企业基本登记信息",
    资源分类: "基础",
    分类码: "101001",
    主题分类: "法人单位",
    "数据要素×领域": "金融服务、商贸流通",
    关键字: "企业;登记",
    格式分类: "数据库",
    格式类型: "Oracle",
    共享类型: "无条件共享",
    共享方式: "共享平台方式",
    开放类型: "不予开放",
    更新周期: "每日",
    来源信息系统: "登记系统",
    数据分级: "一般",
    联系人: "张三",
    联系电话: "0571-87000000",
    ...over,
  };
}

export function itemRow(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { 资源序号: 1, 信息项名称: "企业名称", 数据类型: "字符型", 数据长度: 200, 是否敏感: "否", 是否必填: "是", ...over };
}

/** Build an xlsx from header lists and keyed rows. */
export async function makeXlsx(sheets: Record<string, { headers: string[]; rows: Record<string, unknown>[] }>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, { headers, rows }] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    ws.addRow(headers);
    for (const r of rows) ws.addRow(headers.map((h) => (r[h] ?? null) as ExcelJS.CellValue));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function catalogXlsx(res: Record<string, unknown>[], items: Record<string, unknown>[], resHeaders = RES_HEADERS, itemHeaders = ITEM_HEADERS) {
  return makeXlsx({ 资源目录: { headers: resHeaders, rows: res }, 信息项: { headers: itemHeaders, rows: items } });
}

/** CSV text from header + keyed rows (values written as given; quotes when needed). */
export function csvOf(headers: string[], rows: Record<string, unknown>[], delimiter = ","): string {
  const q = (v: unknown) => {
    const s = v === undefined || v === null ? "" : String(v);
    return /[",;\t\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers.map(q).join(delimiter), ...rows.map((r) => headers.map((h) => q(r[h])).join(delimiter))].join("\r\n") + "\r\n";
}

export const CSV_HEADERS = [...RES_HEADERS, ...ITEM_HEADERS.filter((h) => h !== "资源序号" && h !== "信息资源代码")];
