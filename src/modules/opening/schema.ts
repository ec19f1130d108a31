import { z } from "zod";

/** 开放: the public portal's inputs and answers. Limits are shared with the web client. */

export const OPEN_TYPES_LISTED = ["无条件开放", "有条件开放"] as const;
export const OpenTypeListed = z.enum(OPEN_TYPES_LISTED);
export type OpenTypeListed = z.infer<typeof OpenTypeListed>;

export const DOWNLOAD_FORMATS = ["csv", "xlsx", "json", "parquet"] as const;
export const DownloadFormat = z.enum(DOWNLOAD_FORMATS);
export type DownloadFormat = z.infer<typeof DownloadFormat>;

/** Rows of 样例数据 shown to anyone for 有条件开放 (and the preview of 无条件开放). */
export const SAMPLE_ROWS = 20;
/** The most rows one page of the open query API returns. */
export const MAX_API_ROWS = 1000;
/** The most catalog results on one portal page. */
export const MAX_PORTAL_PAGE = 100;

export const PORTAL_SORTS = ["relevance", "published_desc", "name_asc", "updated_desc"] as const;

export const PortalSearchQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    theme: z.string().max(50).optional(),
    /** The provider department (organisation id). */
    provider: z.string().max(64).optional(),
    format: z.string().max(30).optional(),
    openType: OpenTypeListed.optional(),
    sort: z.enum(PORTAL_SORTS).default("relevance"),
    page: z.coerce.number().int().min(1).max(1000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_PORTAL_PAGE).default(20),
  })
  .strict();
export type PortalSearchQuery = z.infer<typeof PortalSearchQuery>;

export const DatasetParams = z.object({ id: z.string().min(1).max(100) }).strict();

/** One filter of the query API: `{"column":"性别","op":"eq","value":"男"}`. */
export const FilterSpec = z
  .object({
    column: z.string().min(1).max(100),
    op: z.enum(["eq", "ne", "lt", "lte", "gt", "gte", "in", "like"]).default("eq"),
    value: z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.union([z.string().max(1000), z.number()])).max(1000)]),
  })
  .strict();
export type FilterSpec = z.infer<typeof FilterSpec>;

/**
 * `filters` as JSON text: a list of FilterSpec, or CKAN's object form `{"column": value | [values]}`
 * (equality, or `in` for a list).
 */
export const FiltersParam = z.string().max(20_000).transform((s, ctx) => {
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "filters 不是合法的 JSON" });
    return z.NEVER;
  }
  const asList = Array.isArray(v)
    ? v
    : v && typeof v === "object"
      ? Object.entries(v as Record<string, unknown>).map(([column, value]) => ({ column, op: Array.isArray(value) ? "in" : "eq", value }))
      : null;
  const r = z.array(FilterSpec).max(50).safeParse(asList);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
    return z.NEVER;
  }
  return r.data;
});

/** `sort` as `列 desc, 列2` (CKAN's form). */
export function parseSort(s: string | undefined): { column: string; desc: boolean }[] | undefined {
  if (!s) return undefined;
  return s.split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = /^(.*?)(?:\s+(asc|desc))?$/i.exec(p)!;
    return { column: m[1].trim().replace(/^"(.*)"$/, "$1"), desc: (m[2] ?? "").toLowerCase() === "desc" };
  });
}

export const RowsQuery = z
  .object({
    /** Data items to return, comma separated (default all). */
    columns: z.string().max(5000).optional(),
    filters: FiltersParam.optional(),
    q: z.string().max(200).optional(),
    sort: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(0).max(MAX_API_ROWS).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict();
export type RowsQuery = z.infer<typeof RowsQuery>;

export const DownloadQuery = z
  .object({
    format: DownloadFormat.default("csv"),
    columns: z.string().max(5000).optional(),
    filters: FiltersParam.optional(),
  })
  .strict();
export type DownloadQuery = z.infer<typeof DownloadQuery>;

export const ApplyBody = z
  .object({
    /** 用途: what the data will be used for. */
    purpose: z.string().trim().min(10).max(2000),
    /** 应用场景. */
    scenario: z.string().trim().max(1000).optional(),
    /** The applicant accepts the security commitment and the open-data agreement (安全承诺). */
    commitment: z.literal(true),
    /** Bind the grant to one of the applicant's API keys (default: any of them). */
    tokenId: z.string().max(64).optional(),
    periodDays: z.number().int().min(1).max(366).default(180),
  })
  .strict();
export type ApplyBody = z.infer<typeof ApplyBody>;

export const DecisionBody = z
  .object({
    decision: z.enum(["approve", "refuse"]),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.decision === "approve" || !!b.reason, { message: "拒绝时须说明理由", path: ["reason"] });
export type DecisionBody = z.infer<typeof DecisionBody>;

export const ApplicationsQuery = z
  .object({
    /** mine: my applications; review: those my department (or, for admins, anyone) must answer. */
    view: z.enum(["mine", "review"]).default("mine"),
    status: z.enum(["submitted", "approved", "refused", "revoked"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const ApplicationParams = z.object({ id: z.string().min(1).max(64) }).strict();

// ------------------------------------------------------------------ answers

export interface OpenDatasetSummary {
  id: string;
  name: string;
  code: string;
  title: string;
  summary: string;
  provider: { id: string; name: string };
  theme: string;
  openType: OpenTypeListed;
  formats: string[];
  updateCycle: string;
  publishedAt: string | null;
  updatedAt: string;
  highlight?: string;
}

export interface ApplicationView {
  id: string;
  entry: { id: string; code: string; name: string };
  providerOrgId: string;
  applicant: { userId: string; orgId: string };
  tokenId: string | null;
  purpose: string;
  scenario: string | null;
  periodDays: number;
  status: "submitted" | "approved" | "refused" | "revoked";
  reason: string | null;
  decidedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}
