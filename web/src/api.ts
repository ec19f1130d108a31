/**
 * The typed client every page uses. One place knows the URLs, the session cookie handling
 * (`credentials: "same-origin"`) and the one error shape `{error:{code,message,messageEn,field?,details?}}`.
 * Types come from the server's own schema module (type-only import: nothing of it is bundled).
 */
import type {
  EntryContent,
  EntryStatus,
  EntrySummaryView,
  EntryView,
  FacetBucket,
  FacetField,
  FieldChange,
  VersionView,
} from "../../src/modules/catalog/schema.ts";

import type {
  Dataset,
  DiffResult,
  LoadMode,
  RowError,
  RowsPage,
  SourceView as PgSourceView,
  ValidationReport,
  VersionView as DatasetVersionView,
} from "../../src/modules/ingest/schema.ts";
import type { JobError, JobStatus, JobView } from "../../src/core/jobs.ts";
import type {
  ConflictView,
  CrosscheckResponse as CrosscheckResponseSchema,
  DatasetScoreRow as DatasetScoreRowSchema,
  Dimension,
  ItemRulesView,
  LeagueResponse as LeagueResponseSchema,
  ObjectionDetail,
  ObjectionView,
  ReportResponse,
  RuleResult,
  RuleSpec,
  RunView,
  SourceView as AuthSourceView,
} from "../../src/modules/quality/schema.ts";
import type { NotificationView } from "../../src/modules/notify/schema.ts";
import type {
  ApplicationBody as ShareApplicationBodySchema,
  ApplicationView as ShareApplicationView,
  DemandView as ShareDemandView,
  GrantView as ShareGrantView,
  QueryBody as ShareQueryBodySchema,
  QueryResult as ShareQueryResult,
  ResponsibilityRow as ShareResponsibilityRowSchema,
  RowFilter as ShareRowFilterSchema,
  SharingSettings,
  UsageView as ShareUsageView,
} from "../../src/modules/sharing/schema.ts";
import type {
  ApplicationView as OpenApplicationView,
  ApplyBody as OpenApplyBodySchema,
  DownloadFormat as OpenDownloadFormat,
  OpenDatasetSummary,
  OpenTypeListed,
  PortalSearchQuery as OpenSearchQuerySchema,
} from "../../src/modules/opening/schema.ts";
import type { OpeningService } from "../../src/modules/opening/service.ts";
import type {
  AssignBody as OpenAssignBodySchema,
  DemandAnswerBody as OpenDemandAnswerBodySchema,
  DemandBody as OpenDemandBodySchema,
  DemandsQuery as OpenDemandsQuerySchema,
  DepartmentFigures as OpenDepartmentFigures,
  Figures as OpenFigures,
  Paged,
  ReportAnswerBody as OpenReportAnswerBodySchema,
  ReportBody as OpenReportBodySchema,
  ReportsQuery as OpenReportsQuerySchema,
  RequestView as OpenRequestView,
  ShowcaseBody as OpenShowcaseBodySchema,
  ShowcaseQuery as OpenShowcaseQuerySchema,
  ShowcaseReviewBody as OpenShowcaseReviewBodySchema,
  ShowcaseView as OpenShowcaseView,
} from "../../src/modules/opening/feedback-schema.ts";
import type { OpenRequests } from "../../src/modules/opening/feedback.ts";
import type { RegisterBody as RegisterBodySchema, TokenUsageView, TokenView } from "../../src/modules/identity/schema.ts";
import type { z } from "zod";

export type { EntryContent, EntryStatus, EntrySummaryView, EntryView, FacetBucket, FacetField, FieldChange, VersionView };
export type { Dataset, DiffResult, LoadMode, RowError, RowsPage, PgSourceView, ValidationReport, DatasetVersionView, JobError, JobStatus, JobView };
export type CrosscheckResponse = z.infer<typeof CrosscheckResponseSchema>;
export type { ConflictView, Dimension, ItemRulesView, ObjectionDetail, ObjectionView, ReportResponse, RuleResult, RuleSpec, RunView, AuthSourceView, NotificationView };
export type LeagueResponse = z.infer<typeof LeagueResponseSchema>;
export type { ShareApplicationView, ShareDemandView, ShareGrantView, ShareQueryResult, ShareUsageView, SharingSettings };
export type ShareApplicationInput = z.input<typeof ShareApplicationBodySchema>;
export type ShareQueryInput = z.input<typeof ShareQueryBodySchema>;
export type ShareRowFilter = z.infer<typeof ShareRowFilterSchema>;
export type ShareResponsibilityRow = z.infer<typeof ShareResponsibilityRowSchema>;
export type ShareApplicationStatus = ShareApplicationView["status"];
export type { OpenApplicationView, OpenDatasetSummary, OpenDownloadFormat, OpenTypeListed, TokenUsageView, TokenView };
/** 开放 feedback: 数据需求, 错误报告, 接诉即办 figures, 利用成果. */
export type { OpenDepartmentFigures, OpenFigures, OpenRequestView, OpenShowcaseView, Paged };
export type OpenDemandInput = z.input<typeof OpenDemandBodySchema>;
export type OpenAssignInput = z.input<typeof OpenAssignBodySchema>;
export type OpenDemandAnswerInput = z.input<typeof OpenDemandAnswerBodySchema>;
export type OpenReportInput = z.input<typeof OpenReportBodySchema>;
export type OpenReportAnswerInput = z.input<typeof OpenReportAnswerBodySchema>;
export type OpenShowcaseInput = z.input<typeof OpenShowcaseBodySchema>;
export type OpenShowcaseReviewInput = z.input<typeof OpenShowcaseReviewBodySchema>;
export type OpenDemandsQuery = Partial<z.infer<typeof OpenDemandsQuerySchema>>;
export type OpenReportsQuery = Partial<z.infer<typeof OpenReportsQuerySchema>>;
export type OpenShowcaseQuery = Partial<z.infer<typeof OpenShowcaseQuerySchema>>;
export type OpenFeedbackStats = Awaited<ReturnType<OpenRequests["stats"]>>;
export type OpenSearchQuery = Partial<z.infer<typeof OpenSearchQuerySchema>>;
export type OpenApplyInput = z.input<typeof OpenApplyBodySchema>;
export type RegisterInput = z.input<typeof RegisterBodySchema>;
/** The open portal's answers, as the opening service shapes them. */
export type OpenHome = Awaited<ReturnType<OpeningService["home"]>>;
export type OpenSearchResult = Awaited<ReturnType<OpeningService["search"]>>;
export type OpenDatasetPage = Awaited<ReturnType<OpeningService["dataset"]>>;
export type OpenSample = Awaited<ReturnType<OpeningService["sample"]>>;
export type LeagueRow = LeagueResponse["items"][number];
export type DatasetScoreRow = z.infer<typeof DatasetScoreRowSchema>;
export type ObjectionStatus = ObjectionView["status"];
export type ObjectionScope = "mine" | "department" | "all";

/** The five quality dimensions (GB/T 36344), in display order. */
export const DIMENSIONS: Dimension[] = ["completeness", "validity", "uniqueness", "consistency", "timeliness"];

export interface UploadResponse {
  job: JobView;
  datasetId: string;
}

export interface RaiseObjectionInput {
  datasetId: string;
  /** The record by its key values, or by the preview's row reference (RowsPage.refs): exactly one. */
  recordKey?: Record<string, string>;
  rowRef?: string;
  column?: string;
  proposedValue?: string | null;
  reason: string;
  evidence?: string;
  attachment?: { name: string; type: string; dataBase64: string };
}

export interface PgSourceInput {
  kind?: "postgres";
  url: string;
  table?: string;
  query?: string;
  incrementalColumn?: string;
  enabled?: boolean;
}

export interface AuthSourceInput {
  concept: string;
  datasetId: string;
  column: string;
  keyColumn: string;
  note?: string;
}

export type Role = "platform_admin" | "data_officer" | "dept_user" | "operator" | "customer" | "price_authority" | "regulator";

export interface User {
  id: string;
  username: string;
  displayName: string;
  org: { id: string; name: string } | null;
  roles: Role[];
}

export interface Org {
  id: string;
  name: string;
  shortName?: string | null;
  code?: string | null;
  kind?: string;
  parentId?: string | null;
}

export interface Vocab {
  shareTypes: string[];
  shareMethods: string[];
  shareMethodTypes: string[];
  openTypes: string[];
  updateCycles: string[];
  grades: string[];
  categories: string[];
  baseThemes: string[];
  subjectThemes: string[];
  domains: string[];
  formatCategories: string[];
  itemTypes: string[];
}

export interface SearchParams {
  q?: string;
  provider?: string;
  theme?: string;
  shareType?: string;
  openType?: string;
  grade?: string;
  format?: string;
  updateCycle?: string;
  domain?: string;
  status?: EntryStatus;
  mine?: boolean;
  sort?: "relevance" | "published_desc" | "published_asc" | "name_asc" | "updated_desc";
  page?: number;
  pageSize?: number;
  facets?: boolean;
}

export interface SearchResult {
  total: number;
  /** More entries matched than were counted: show "total+". */
  totalIsLowerBound?: boolean;
  page: number;
  pageSize: number;
  tookMs: number;
  items: EntrySummaryView[];
  facets?: Partial<Record<FacetField, FacetBucket[]>>;
}

export interface EntryResponse {
  entry: EntryView;
  canEdit?: boolean;
  canSubmit?: boolean;
  canReview?: boolean;
  canWithdraw?: boolean;
}

export interface Stats {
  published: number;
  departments: number;
  byShareType: Record<string, number>;
  byOpenType: Record<string, number>;
  byGrade: Record<string, number>;
  byDomain?: Record<string, number>;
}

export interface ImportRowError {
  row: number;
  sheet?: string;
  column?: string;
  field?: string;
  message: string;
  messageEn?: string;
}

export interface ImportResult {
  imported: number;
  ids?: string[];
  /** Number of bad rows skipped. */
  skipped?: number;
  errors?: ImportRowError[];
  format?: string;
  encoding?: string | null;
}

export interface LedgerKeys {
  [k: string]: unknown;
}

/** A failed API call, carrying the server's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly field?: string;
  readonly details?: unknown;
  constructor(status: number, body: { code?: string; message?: string; messageEn?: string; field?: string; details?: unknown }) {
    super(body.messageEn || body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? (status === 401 ? "unauthenticated" : "error");
    this.messageZh = body.message || body.messageEn || `请求失败（HTTP ${status}）`;
    this.messageEn = body.messageEn || body.message || `Request failed (HTTP ${status})`;
    this.field = body.field;
    this.details = body.details;
  }
  /** Shape accepted by I18n.msg. */
  get text(): { message: string; messageEn: string } {
    return { message: this.messageZh, messageEn: this.messageEn };
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function toQueryString(q: Query | undefined): string {
  if (!q) return "";
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : "";
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  as?: "json" | "text";
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: opts.as === "text" ? "text/plain, */*" : "application/json", ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path + toQueryString(opts.query), { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, { code: "network", message: "无法连接服务器", messageEn: "Cannot reach the server" });
  }
  const ct = res.headers.get("content-type") ?? "";
  if (!res.ok) {
    let err: Record<string, unknown> = {};
    if (ct.includes("json")) {
      const j = (await res.json().catch(() => ({}))) as { error?: Record<string, unknown> };
      err = j.error ?? {};
    }
    throw new ApiError(res.status, err as ConstructorParameters<typeof ApiError>[1]);
  }
  if (opts.as === "text") return (await res.text()) as T;
  if (res.status === 204 || !ct.includes("json")) return undefined as T;
  return (await res.json()) as T;
}

const enc = encodeURIComponent;

export const api = {
  auth: {
    login: (username: string, password: string) => request<{ user: User }>("POST", "/api/auth/login", { body: { username, password } }),
    logout: () => request<void>("POST", "/api/auth/logout", { body: {} }),
    me: () => request<{ user: User | null }>("GET", "/api/auth/me"),
    /** Self-registration of the public: an individual, or an enterprise with its 统一社会信用代码. */
    register: (body: RegisterInput) => request<{ user: User }>("POST", "/api/auth/register", { body }),
  },
  tokens: {
    list: () => request<{ items: TokenView[] }>("GET", "/api/tokens"),
    /** The answer carries the secret, once. */
    create: (body: { name: string; expiresInDays?: number }) => request<{ token: TokenView }>("POST", "/api/tokens", { body }),
    revoke: (id: string) => request<{ ok: true }>("DELETE", `/api/tokens/${enc(id)}`),
    usage: (id: string) => request<{ usage: TokenUsageView }>("GET", `/api/tokens/${enc(id)}/usage`),
  },
  open: {
    home: () => request<OpenHome>("GET", "/api/open/home"),
    search: (q: OpenSearchQuery) => request<OpenSearchResult>("GET", "/api/open/datasets", { query: { ...q } }),
    dataset: (id: string) => request<OpenDatasetPage>("GET", `/api/open/datasets/${enc(id)}`),
    sample: (id: string) => request<OpenSample>("GET", `/api/open/datasets/${enc(id)}/sample`),
    apply: (id: string, body: OpenApplyInput) => request<{ application: OpenApplicationView }>("POST", `/api/open/datasets/${enc(id)}/applications`, { body }),
    applications: (q: { status?: OpenApplicationView["status"]; limit?: number } = {}) => request<{ items: OpenApplicationView[] }>("GET", "/api/open/applications", { query: q }),
    /** 数据需求: filed by signed-in users, routed by the data administration, answered in public by the department. */
    demands: (q: OpenDemandsQuery = {}) => request<Paged<OpenRequestView>>("GET", "/api/open/demands", { query: { ...q } }),
    demand: (id: string) => request<{ demand: OpenRequestView }>("GET", `/api/open/demands/${enc(id)}`),
    createDemand: (body: OpenDemandInput) => request<{ demand: OpenRequestView }>("POST", "/api/open/demands", { body }),
    assignDemand: (id: string, body: OpenAssignInput) => request<{ demand: OpenRequestView }>("POST", `/api/open/demands/${enc(id)}/assign`, { body }),
    answerDemand: (id: string, body: OpenDemandAnswerInput) => request<{ demand: OpenRequestView }>("POST", `/api/open/demands/${enc(id)}/answer`, { body }),
    /** 错误报告 on open datasets (anonymous allowed), answered by the provider. */
    reports: (q: OpenReportsQuery = {}) => request<Paged<OpenRequestView>>("GET", "/api/open/reports", { query: { ...q } }),
    report: (id: string) => request<{ report: OpenRequestView }>("GET", `/api/open/reports/${enc(id)}`),
    createReport: (body: OpenReportInput) => request<{ report: OpenRequestView }>("POST", "/api/open/reports", { body }),
    answerReport: (id: string, body: OpenReportAnswerInput) => request<{ report: OpenRequestView }>("POST", `/api/open/reports/${enc(id)}/answer`, { body }),
    /** 接诉即办 figures over the last 30, 90 or 365 days. */
    feedbackStats: (q: { days: 30 | 90 | 365; org?: string }) => request<OpenFeedbackStats>("GET", "/api/open/feedback/stats", { query: { days: String(q.days), org: q.org } }),
    /** 利用成果: applications built on open data. */
    showcase: (q: OpenShowcaseQuery = {}) => request<Paged<OpenShowcaseView>>("GET", "/api/open/showcase", { query: { ...q } }),
    showcaseItem: (id: string) => request<{ application: OpenShowcaseView }>("GET", `/api/open/showcase/${enc(id)}`),
    submitShowcase: (body: OpenShowcaseInput) => request<{ application: OpenShowcaseView }>("POST", "/api/open/showcase", { body }),
    reviewShowcase: (id: string, body: OpenShowcaseReviewInput) => request<{ application: OpenShowcaseView }>("POST", `/api/open/showcase/${enc(id)}/review`, { body }),
    datasetShowcase: (id: string, q: { page?: number; pageSize?: number } = {}) => request<Paged<OpenShowcaseView>>("GET", `/api/open/datasets/${enc(id)}/showcase`, { query: q }),
  },
  orgs: {
    list: () => request<{ items: Org[] }>("GET", "/api/orgs"),
  },
  catalog: {
    vocab: () => request<Partial<Vocab>>("GET", "/api/catalog/vocab"),
    stats: () => request<Stats>("GET", "/api/catalog/stats"),
    search: (p: SearchParams) =>
      request<SearchResult>("GET", "/api/catalog/entries", {
        query: { ...p, mine: p.mine ? "true" : undefined, facets: p.facets === undefined ? undefined : String(p.facets) },
      }),
    get: (id: string) => request<EntryResponse>("GET", `/api/catalog/entries/${enc(id)}`),
    create: (content: EntryContent, seq?: string) => request<{ entry: EntryView }>("POST", "/api/catalog/entries", { body: seq ? { content, seq } : { content } }),
    update: (id: string, content: EntryContent, reason?: string) =>
      request<{ entry: EntryView }>("PUT", `/api/catalog/entries/${enc(id)}`, { body: reason ? { content, reason } : { content } }),
    submit: (id: string) => request<{ entry: EntryView }>("POST", `/api/catalog/entries/${enc(id)}/submit`, { body: {} }),
    review: (id: string, decision: "approve" | "return", reason?: string) =>
      request<{ entry: EntryView }>("POST", `/api/catalog/entries/${enc(id)}/review`, { body: reason ? { decision, reason } : { decision } }),
    withdraw: (id: string, reason: string) => request<{ entry: EntryView }>("POST", `/api/catalog/entries/${enc(id)}/withdraw`, { body: { reason } }),
    versions: (id: string) => request<{ items: VersionView[] }>("GET", `/api/catalog/entries/${enc(id)}/versions`),
    version: (id: string, v: number) => request<{ version: number; content: EntryContent }>("GET", `/api/catalog/entries/${enc(id)}/versions/${v}`),
    diff: (id: string, from: number, to: number) => request<{ changes: FieldChange[] }>("GET", `/api/catalog/entries/${enc(id)}/diff`, { query: { from, to } }),
    reviewQueue: () => request<{ items: EntrySummaryView[] }>("GET", "/api/catalog/review-queue"),
    importFile: (file: File, opts: { skipBadRows: boolean; submit: boolean }) =>
      request<ImportResult>("POST", "/api/catalog/import", {
        query: { skipBadRows: String(opts.skipBadRows), submit: String(opts.submit) },
        rawBody: file,
        headers: { "content-type": "application/octet-stream", "x-filename": enc(file.name) },
      }),
    list: (kind: "responsibility" | "negative") => request<{ items: Record<string, unknown>[]; columns?: { key: string; label: string; labelEn?: string }[] }>("GET", `/api/catalog/lists/${kind}`),
  },
  datasets: {
    list: (q: { provider?: string; entry?: string } = {}) => request<{ items: Dataset[] }>("GET", "/api/datasets", { query: q }),
    get: (id: string) => request<{ dataset: Dataset }>("GET", `/api/datasets/${enc(id)}`),
    create: (entryId: string) => request<{ dataset: Dataset }>("POST", "/api/datasets", { body: { entryId } }),
    /** Streams the file as the request body; answers 202 with the load job. */
    upload: (entryId: string, file: File, mode: LoadMode) =>
      request<UploadResponse>("POST", "/api/datasets/upload", {
        query: { entry: entryId, mode },
        rawBody: file,
        headers: { "content-type": "application/octet-stream", "x-filename": enc(file.name) },
      }),
    versions: (id: string) => request<{ dataset: Dataset; items: DatasetVersionView[] }>("GET", `/api/datasets/${enc(id)}/versions`),
    rollback: (id: string, version: number, reason?: string) =>
      request<{ dataset: Dataset }>("POST", `/api/datasets/${enc(id)}/rollback`, { body: reason ? { version, reason } : { version } }),
    diff: (id: string, from: number, to: number, limit = 20) => request<DiffResult>("GET", `/api/datasets/${enc(id)}/diff`, { query: { from, to, limit } }),
    rows: (id: string, q: { version?: number; page: number; pageSize: number }) => request<RowsPage>("GET", `/api/datasets/${enc(id)}/rows`, { query: { ...q } }),
    loadReport: (jobId: string) => request<{ job: JobView; report: ValidationReport | null }>("GET", `/api/datasets/loads/${enc(jobId)}/report`),
    source: (id: string) => request<{ source: PgSourceView }>("GET", `/api/datasets/${enc(id)}/source`),
    setSource: (id: string, body: PgSourceInput) => request<{ source: PgSourceView }>("PUT", `/api/datasets/${enc(id)}/source`, { body }),
    deleteSource: (id: string) => request<void>("DELETE", `/api/datasets/${enc(id)}/source`),
    runSource: (id: string) => request<{ job: JobView }>("POST", `/api/datasets/${enc(id)}/source/run`, { body: {} }),
  },
  jobs: {
    get: (id: string) => request<{ job: JobView }>("GET", `/api/jobs/${enc(id)}`),
    mine: (limit = 50) => request<{ items: JobView[] }>("GET", "/api/jobs", { query: { limit } }),
  },
  quality: {
    datasets: (providerOrgId?: string) => request<{ items: DatasetScoreRow[] }>("GET", "/api/quality/datasets", { query: { providerOrgId } }),
    report: (datasetId: string, version?: number) => request<ReportResponse>("GET", `/api/quality/datasets/${enc(datasetId)}/report`, { query: { version } }),
    rules: (datasetId: string) => request<{ datasetId: string; items: ItemRulesView[] }>("GET", `/api/quality/datasets/${enc(datasetId)}/rules`),
    putRules: (datasetId: string, column: string, rules: RuleSpec[]) =>
      request<{ datasetId: string; items: ItemRulesView[] }>("PUT", `/api/quality/datasets/${enc(datasetId)}/rules/${enc(column)}`, { body: { rules } }),
    resetRules: (datasetId: string, column: string) => request<{ datasetId: string; items: ItemRulesView[] }>("DELETE", `/api/quality/datasets/${enc(datasetId)}/rules/${enc(column)}`),
    rescore: (datasetId: string) => request<RunView>("POST", `/api/quality/datasets/${enc(datasetId)}/score`, { body: {} }),
    league: () => request<LeagueResponse>("GET", "/api/quality/league"),
    sources: () => request<{ items: AuthSourceView[] }>("GET", "/api/quality/sources"),
    registerSource: (body: AuthSourceInput) => request<AuthSourceView>("POST", "/api/quality/sources", { body }),
    updateSource: (id: string, body: AuthSourceInput) => request<AuthSourceView>("PUT", `/api/quality/sources/${enc(id)}`, { body }),
    addCopy: (id: string, body: { datasetId: string; column: string; keyColumn: string }) => request<AuthSourceView>("POST", `/api/quality/sources/${enc(id)}/copies`, { body }),
    removeCopy: (id: string, datasetId: string) => request<AuthSourceView>("DELETE", `/api/quality/sources/${enc(id)}/copies/${enc(datasetId)}`),
    crosscheck: (id: string) => request<CrosscheckResponse>("POST", `/api/quality/sources/${enc(id)}/crosscheck`, { body: {} }),
    conflicts: (q: { status?: ConflictView["status"]; sourceId?: string; limit?: number } = {}) => request<{ items: ConflictView[] }>("GET", "/api/quality/conflicts", { query: q }),
    resolveConflict: (id: string, note: string) => request<ConflictView>("POST", `/api/quality/conflicts/${enc(id)}/resolve`, { body: { note } }),
    conflictToObjection: (id: string, reason?: string) => request<ObjectionDetail>("POST", `/api/quality/conflicts/${enc(id)}/objection`, { body: reason ? { reason } : {} }),
  },
  objections: {
    raise: (body: RaiseObjectionInput) => request<ObjectionDetail>("POST", "/api/objections", { body }),
    list: (q: { scope: ObjectionScope; status?: ObjectionStatus; datasetId?: string; limit?: number }) => request<{ items: ObjectionView[] }>("GET", "/api/objections", { query: q }),
    get: (id: string) => request<ObjectionDetail>("GET", `/api/objections/${enc(id)}`),
    accept: (id: string, note?: string) => request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/accept`, { body: note ? { note } : {} }),
    correct: (id: string, note: string, changes?: { key?: Record<string, string>; column: string; value: string | null }[]) =>
      request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/correct`, { body: changes ? { note, changes } : { note } }),
    reject: (id: string, reason: string) => request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/reject`, { body: { reason } }),
    confirm: (id: string, note?: string) => request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/confirm`, { body: note ? { note } : {} }),
    dispute: (id: string, reason: string) => request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/dispute`, { body: { reason } }),
    decide: (id: string, decision: "uphold" | "reopen", note: string) => request<ObjectionDetail>("POST", `/api/objections/${enc(id)}/decide`, { body: { decision, note } }),
  },
  notifications: {
    list: (q: { unread?: boolean; limit?: number } = {}) =>
      request<{ items: NotificationView[]; unread: number }>("GET", "/api/notifications", { query: { unread: q.unread ? "true" : undefined, limit: q.limit } }),
    read: (id: string) => request<{ ok: true }>("POST", `/api/notifications/${enc(id)}/read`, { body: {} }),
    readAll: () => request<{ marked: number }>("POST", "/api/notifications/read-all", { body: {} }),
  },
  sharing: {
    settings: () => request<SharingSettings>("GET", "/api/sharing/settings"),
    demands: (q: { status?: ShareDemandView["status"]; mine?: boolean } = {}) =>
      request<{ items: ShareDemandView[] }>("GET", "/api/sharing/demands", { query: { status: q.status, mine: q.mine ? "true" : undefined } }),
    createDemand: (body: { title: string; description: string; duty: string }) => request<ShareDemandView>("POST", "/api/sharing/demands", { body }),
    matchDemand: (id: string, body: { entryId: string; note?: string }) => request<ShareDemandView>("POST", `/api/sharing/demands/${enc(id)}/match`, { body }),
    responsibility: () => request<{ items: ShareResponsibilityRow[] }>("GET", "/api/sharing/responsibility"),
    apply: (body: ShareApplicationInput) => request<ShareApplicationView>("POST", "/api/sharing/applications", { body }),
    applications: (q: { role?: "applicant" | "provider"; status?: ShareApplicationStatus } = {}) => request<{ items: ShareApplicationView[] }>("GET", "/api/sharing/applications", { query: q }),
    application: (id: string) => request<ShareApplicationView>("GET", `/api/sharing/applications/${enc(id)}`),
    decide: (id: string, body: { decision: "approve" | "refuse"; reason?: string; conditions?: string }) =>
      request<ShareApplicationView>("POST", `/api/sharing/applications/${enc(id)}/decision`, { body }),
    withdraw: (id: string) => request<ShareApplicationView>("POST", `/api/sharing/applications/${enc(id)}/withdraw`, { body: {} }),
    grants: (q: { role?: "grantee" | "provider" } = {}) => request<{ items: ShareGrantView[] }>("GET", "/api/sharing/grants", { query: q }),
    grant: (id: string) => request<ShareGrantView>("GET", `/api/sharing/grants/${enc(id)}`),
    revoke: (id: string, reason: string) => request<ShareGrantView>("POST", `/api/sharing/grants/${enc(id)}/revoke`, { body: { reason } }),
    usage: (id: string) => request<ShareUsageView>("GET", `/api/sharing/grants/${enc(id)}/usage`),
    query: (id: string, body: ShareQueryInput) => request<ShareQueryResult>("POST", `/api/sharing/grants/${enc(id)}/query`, { body }),
    /** The same query as CSV (UTF-8 with BOM), metered and recorded like any delivery. */
    queryCsv: (id: string, body: ShareQueryInput) => request<string>("POST", `/api/sharing/grants/${enc(id)}/query`, { query: { format: "csv" }, body, as: "text" }),
  },
  ledger: {
    checkpoint: () => request<string>("GET", "/api/ledger/checkpoint", { as: "text" }),
    keys: () => request<LedgerKeys>("GET", "/api/ledger/keys"),
  },
};

/** Links (downloads) that the browser opens directly. */
export const links = {
  apiDocs: "/api/docs",
  template: "/api/catalog/template.xlsx",
  ledgerBundle: "/api/catalog/ledger-bundle",
  list: (kind: "responsibility" | "negative", format: "xlsx" | "csv") => `/api/catalog/lists/${kind}?format=${format}`,
  objectionAttachment: (id: string) => `/api/objections/${enc(id)}/attachment`,
  /** A download of an open dataset made from its current snapshot (masked; in the ledger). */
  openDownload: (id: string, format: OpenDownloadFormat) => `/api/open/datasets/${enc(id)}/download?format=${format}`,
  exportEntries: (format: "xlsx" | "csv", q: Query = {}) => `/api/catalog/export${toQueryString({ ...q, format })}`,
};

/** Field names from a server error path: "content.items.2.type" → ["items", 2, "type"]. */
export function fieldPathOf(field: string | undefined): (string | number)[] | null {
  if (!field) return null;
  const parts = field
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean);
  if (parts[0] === "content" || parts[0] === "body") parts.shift();
  if (!parts.length) return null;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
