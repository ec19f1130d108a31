import { z } from "zod";

/**
 * The catalog's public data: national core metadata of a public data resource
 * (政务信息资源目录编制指南 2017, GB/T 21063.3) as enforced by Gongshu. See shared/domain/RULES.md §2.
 * Enum values are the Chinese terms users write in the templates.
 */

export const SHARE_TYPES = ["无条件共享", "有条件共享", "不予共享"] as const;
export const ShareType = z.enum(SHARE_TYPES);
export type ShareType = z.infer<typeof ShareType>;

export const SHARE_METHODS = ["共享平台方式", "邮件方式", "介质方式"] as const;
export const ShareMethod = z.enum(SHARE_METHODS);
export const SHARE_METHOD_TYPES = ["数据库", "文件", "接口"] as const;
export const ShareMethodType = z.enum(SHARE_METHOD_TYPES);

export const OPEN_TYPES = ["无条件开放", "有条件开放", "不予开放"] as const;
export const OpenType = z.enum(OPEN_TYPES);
export type OpenType = z.infer<typeof OpenType>;

export const UPDATE_CYCLES = ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"] as const;
export const UpdateCycle = z.enum(UPDATE_CYCLES);
export type UpdateCycle = z.infer<typeof UpdateCycle>;

/** GB/T 43697-2024 grades. */
export const GRADES = ["一般", "重要", "核心"] as const;
export const Grade = z.enum(GRADES);
export type Grade = z.infer<typeof Grade>;

/** 资源属性分类 类: 1 基础, 2 主题, 3 部门. */
export const CATEGORIES = ["基础", "主题", "部门"] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;
export const CATEGORY_DIGIT: Record<Category, string> = { 基础: "1", 主题: "2", 部门: "3" };

/** 基础信息资源 themes and 主题信息资源 themes (RULES.md §2.1). */
export const BASE_THEMES = ["人口", "法人单位", "自然资源和空间地理", "社会信用", "电子证照"] as const;
export const SUBJECT_THEMES = ["公共服务", "健康保障", "社会保障", "食品药品安全", "安全生产", "价格监管", "能源安全", "信用体系", "城乡建设", "社区治理", "生态环保", "应急维稳"] as const;

/** The twelve "数据要素×" action domains. */
export const DOMAINS = ["工业制造", "现代农业", "商贸流通", "交通运输", "金融服务", "科技创新", "文化旅游", "医疗健康", "应急管理", "气象服务", "城市治理", "绿色低碳"] as const;
export const Domain = z.enum(DOMAINS);

export const FORMAT_CATEGORIES = ["电子文件", "电子表格", "数据库", "图形图像", "流媒体", "自描述格式", "其他"] as const;
export const FormatCategory = z.enum(FORMAT_CATEGORIES);

export const ITEM_TYPES = ["字符型", "整数型", "数值型", "日期型", "日期时间型", "布尔型", "二进制型"] as const;
export const ItemType = z.enum(ITEM_TYPES);
export type ItemType = z.infer<typeof ItemType>;

/** 信息资源代码: 分类码 (类1 + 项2 + 目3 + 细目*) "/" 顺序码. */
export const RESOURCE_CODE_RE = /^([1-3])(\d{2})(\d{3})(\d*)\/(\d{1,10})$/;
export const ResourceCode = z.string().regex(RESOURCE_CODE_RE, "信息资源代码应为 类(1位)项(2位)目(3位)细目/顺序码，如 101001/000001");
/** 分类码 without the sequence: 类(1) 项(2) 目(3) 细目(0–6). */
export const ClassCode = z.string().regex(/^[1-3]\d{5}\d{0,6}$/, "分类码应为 6–12 位数字，首位为 1/2/3");

export const DataItem = z
  .object({
    name: z.string().trim().min(1).max(100),
    nameEn: z.string().trim().max(100).optional(),
    type: ItemType,
    length: z.number().int().positive().max(1_000_000).optional(),
    description: z.string().max(1000).optional(),
    /** Holds personal or otherwise sensitive information. */
    sensitive: z.boolean().default(false),
    required: z.boolean().default(false),
    /** Part of the record key (主键): loads are checked for unique keys and versions are compared by it. */
    key: z.boolean().default(false),
    /** 值域 / 代码表: the only values a load may hold (e.g. 男、女), checked on every load. */
    codeList: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
  })
  .strict()
  .superRefine((it, ctx) => {
    if (it.codeList && new Set(it.codeList).size !== it.codeList.length)
      ctx.addIssue({ code: "custom", path: ["codeList"], message: "值域中有重复的值" });
  });
export type DataItem = z.infer<typeof DataItem>;

export const Contact = z
  .object({
    name: z.string().trim().min(1).max(50),
    phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, "电话号码格式无效"),
    email: z.email().optional(),
  })
  .strict();

export const SourceSystem = z
  .object({
    /** 来源信息系统名称 (目录—数据—系统). */
    name: z.string().trim().min(1).max(200),
    description: z.string().max(1000).optional(),
  })
  .strict();

/** The versioned content of a catalog entry: everything a data officer writes. */
export const EntryContent = z
  .object({
    name: z.string().trim().min(2).max(200),
    summary: z.string().trim().min(1).max(4000),
    /** 类 (基础/主题/部门) + classification code digits; the code's 分类码. */
    category: Category,
    classCode: ClassCode,
    theme: z.string().trim().min(1).max(50),
    domains: z.array(Domain).max(12).default([]),
    keywords: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
    formatCategory: FormatCategory,
    formats: z.array(z.string().trim().min(1).max(30)).min(1).max(10),
    items: z.array(DataItem).max(500).default([]),
    shareType: ShareType,
    shareConditions: z.string().trim().max(2000).optional(),
    shareMethod: ShareMethod.default("共享平台方式"),
    shareMethodType: ShareMethodType.optional(),
    /** 不予共享依据: the law or regulation that forbids sharing. */
    notShareBasis: z.string().trim().max(2000).optional(),
    openType: OpenType,
    openConditions: z.string().trim().max(2000).optional(),
    /** 不予开放依据. */
    notOpenBasis: z.string().trim().max(2000).optional(),
    updateCycle: UpdateCycle,
    sourceSystem: SourceSystem,
    grade: Grade,
    /** 一般数据 sub-grade 1–4 (GB/T 43697 Annex H, practice). */
    generalLevel: z.number().int().min(1).max(4).optional(),
    relatedCodes: z.array(ResourceCode).max(20).default([]),
    contact: Contact,
  })
  .strict();
export type EntryContent = z.infer<typeof EntryContent>;
export type EntryContentInput = z.input<typeof EntryContent>;

export const ENTRY_STATUSES = ["draft", "submitted", "returned", "published", "withdrawn"] as const;
export const EntryStatus = z.enum(ENTRY_STATUSES);
export type EntryStatus = z.infer<typeof EntryStatus>;
export const STATUS_LABELS: Record<EntryStatus, string> = {
  draft: "草稿",
  submitted: "待审核",
  returned: "已退回",
  published: "已发布",
  withdrawn: "已撤销",
};

export const VERSION_STATUSES = ["draft", "submitted", "returned", "published", "superseded", "withdrawn"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** Create: the content, and optionally a chosen sequence number (else the next free one). */
export const CreateEntryBody = z
  .object({
    content: EntryContent,
    seq: z.string().regex(/^\d{1,10}$/).optional(),
  })
  .strict();
export type CreateEntryBody = z.infer<typeof CreateEntryBody>;

export const UpdateEntryBody = z
  .object({
    content: EntryContent,
    /** Why it changed; required when a published entry's share/open attributes or items change. */
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
export type UpdateEntryBody = z.infer<typeof UpdateEntryBody>;

export const ReviewBody = z
  .object({
    decision: z.enum(["approve", "return"]),
    /** Required when returning. */
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
export type ReviewBody = z.infer<typeof ReviewBody>;

export const WithdrawBody = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

export const SORTS = ["relevance", "published_desc", "published_asc", "name_asc", "updated_desc"] as const;
export const SearchQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    provider: z.string().max(64).optional(),
    theme: z.string().max(50).optional(),
    shareType: ShareType.optional(),
    openType: OpenType.optional(),
    grade: Grade.optional(),
    format: z.string().max(30).optional(),
    updateCycle: UpdateCycle.optional(),
    domain: Domain.optional(),
    /** Officers and admins may look at non-published entries. Default: published. */
    status: EntryStatus.optional(),
    mine: z.enum(["true", "false"]).optional(),
    sort: z.enum(SORTS).default("relevance"),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    facets: z.enum(["true", "false"]).default("true"),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuery>;

export const FACET_FIELDS = ["provider", "theme", "shareType", "openType", "grade", "format", "updateCycle"] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export interface FacetBucket {
  value: string;
  label: string;
  count: number;
}

/** What the API answers for an entry. */
export interface EntryView {
  id: string;
  code: string;
  status: EntryStatus;
  provider: { id: string; name: string; code: string | null };
  /** The latest published version number, if any. */
  publishedVersion: number | null;
  /** The version being edited or reviewed, if any. */
  openVersion: { version: number; status: VersionStatus; reason: string | null; reviewNote: string | null } | null;
  /** Content of the open version for its editors, else the published content. */
  content: EntryContent;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EntrySummaryView {
  id: string;
  code: string;
  name: string;
  summary: string;
  status: EntryStatus;
  provider: { id: string; name: string };
  theme: string;
  shareType: ShareType;
  openType: OpenType;
  grade: Grade;
  formats: string[];
  updateCycle: UpdateCycle;
  itemCount: number;
  publishedAt: string | null;
  updatedAt: string;
  /** Matched text with the query marked, for result lists. */
  highlight?: string;
}

export interface SearchResponse {
  total: number;
  /** Set when the query matched more entries than are counted: `total` is then "at least". */
  totalIsLowerBound?: boolean;
  page: number;
  pageSize: number;
  items: EntrySummaryView[];
  facets?: Record<FacetField, FacetBucket[]>;
  tookMs: number;
}

export interface VersionView {
  version: number;
  status: VersionStatus;
  reason: string | null;
  reviewNote: string | null;
  createdBy: string | null;
  createdAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  publishedAt: string | null;
  ledgerIndex: number | null;
}

export interface FieldChange {
  /** Dotted path, e.g. "shareType" or "items[身份证号].type". */
  path: string;
  before: unknown;
  after: unknown;
  kind: "added" | "removed" | "changed";
}
