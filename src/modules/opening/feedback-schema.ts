import { z } from "zod";

/**
 * 开放 — the public's side (RULES §6.2, §4): 数据需求 (demand requests for data not open yet), 错误报告
 * (error reports on open data), both answered in public within a working-day deadline, with
 * 接诉即办 figures per department; and 利用成果, the showcase of applications built on open data.
 * Limits here are shared with the web client.
 */

const Text = (max: number) => z.string().trim().min(1).max(max);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const Id = z.string().min(1).max(100);
/** An absolute http(s) address. */
const WebUrl = z.string().trim().max(500).regex(/^https?:\/\/[^\s/$.?#][^\s]*$/i, "http(s):// 地址");
/** A link in an answer: an absolute http(s) address or a path on this site (/open/datasets/…). */
const AnswerLink = z.string().trim().max(500).regex(/^(https?:\/\/[^\s/$.?#][^\s]*|\/[^\s]*)$/i, "http(s):// 地址或站内路径");
/** A contact an anonymous reporter may leave: a mobile number or an e-mail address (never shown in public). */
const Contact = z.string().trim().max(200).regex(/^(1[3-9]\d{9}|[^\s@]+@[^\s@]+\.[^\s@]+)$/, "手机号或电子邮箱");

export const MAX_FEEDBACK_PAGE = 100;
const Paging = {
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_FEEDBACK_PAGE).default(20),
};
export const FeedbackIdParams = z.object({ id: z.string().min(1).max(64) }).strict();

// ------------------------------------------------------------------ settings

export const FeedbackSettings = z
  .object({
    /** Working days to the first public answer of a 数据需求. */
    demandDays: z.number().int().min(1).max(30),
    /** Working days to the provider's answer of an 错误报告 (RULES §4: verification ≤ 10 wd). */
    reportDays: z.number().int().min(1).max(30),
    holidays: z.array(Day).max(400),
    extraWorkdays: z.array(Day).max(100),
  })
  .strict();
export type FeedbackSettings = z.infer<typeof FeedbackSettings>;
export const DEFAULT_FEEDBACK_SETTINGS: FeedbackSettings = { demandDays: 5, reportDays: 10, holidays: [], extraWorkdays: [] };

// ------------------------------------------------------------------ 数据需求

export const DemandBody = z
  .object({
    title: Text(200),
    description: Text(4000),
    /** 用途: what the data would be used for. */
    intendedUse: Text(2000),
    /** The department the request concerns (organisation id), if the requester knows it. */
    orgId: z.string().min(1).max(64).optional(),
    /** The catalog entry it concerns (an entry id), e.g. a 不予开放 or not yet open one. */
    entryId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type DemandBody = z.infer<typeof DemandBody>;

export const AssignBody = z.object({ orgId: z.string().min(1).max(64), note: z.string().trim().max(2000).optional() }).strict();
export type AssignBody = z.infer<typeof AssignBody>;

export const DEMAND_OUTCOMES = ["accepted", "available", "declined"] as const;
/**
 * The public answer to a demand: accepted (with a plan and a planned date), already available (with
 * a link), or declined (with a reason). An accepted demand may later be answered `available`.
 */
export const DemandAnswerBody = z
  .object({
    outcome: z.enum(DEMAND_OUTCOMES),
    plan: z.string().trim().max(2000).optional(),
    plannedDate: Day.optional(),
    url: AnswerLink.optional(),
    reason: z.string().trim().max(2000).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const need = (field: "plan" | "plannedDate" | "url" | "reason", message: string) => {
      if (!b[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (b.outcome === "accepted") {
      need("plan", "受理时须说明开放计划");
      need("plannedDate", "受理时须给出计划开放日期");
    } else if (b.outcome === "available") need("url", "已有数据时须给出链接");
    else need("reason", "不予开放时须说明理由");
  });
export type DemandAnswerBody = z.infer<typeof DemandAnswerBody>;

export const DEMAND_STATUSES = ["submitted", "assigned", "answered"] as const;
export const DemandsQuery = z
  .object({
    /** public: everyone's (public view); mine: my own; queue: those I must act on (my department's, or for admins every unanswered one). */
    view: z.enum(["public", "mine", "queue"]).default("public"),
    status: z.enum(DEMAND_STATUSES).optional(),
    outcome: z.enum(DEMAND_OUTCOMES).optional(),
    org: z.string().max(64).optional(),
    overdue: z.enum(["true", "false"]).optional(),
    ...Paging,
  })
  .strict();
export type DemandsQuery = z.infer<typeof DemandsQuery>;

// ------------------------------------------------------------------ 错误报告

export const ReportBody = z
  .object({
    /** The open dataset: entry id, CKAN name or dataset id. */
    dataset: Id,
    /** The data item (column) at fault, if one. */
    item: z.string().trim().min(1).max(100).optional(),
    /** Which row: a key value or a row number as the reporter sees it. */
    rowRef: z.string().trim().min(1).max(200).optional(),
    description: Text(4000),
    /** How to reach the reporter (optional; only the provider and the data administration see it). */
    contact: Contact.optional(),
  })
  .strict();
export type ReportBody = z.infer<typeof ReportBody>;

export const REPORT_OUTCOMES = ["fixed", "not_error"] as const;
export const ReportAnswerBody = z
  .object({
    outcome: z.enum(REPORT_OUTCOMES),
    /** What was corrected (fixed) or any remark. */
    note: z.string().trim().max(2000).optional(),
    /** The dataset version that carries the fix. */
    version: z.number().int().min(1).optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.outcome === "not_error" && !b.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "认定非错误时须说明理由" });
    if (b.outcome === "not_error" && b.version !== undefined) ctx.addIssue({ code: "custom", path: ["version"], message: "认定非错误时不能关联新版本" });
  });
export type ReportAnswerBody = z.infer<typeof ReportAnswerBody>;

export const ReportsQuery = z
  .object({
    view: z.enum(["public", "mine", "queue"]).default("public"),
    dataset: Id.optional(),
    status: z.enum(["submitted", "answered"]).optional(),
    outcome: z.enum(REPORT_OUTCOMES).optional(),
    org: z.string().max(64).optional(),
    overdue: z.enum(["true", "false"]).optional(),
    ...Paging,
  })
  .strict();
export type ReportsQuery = z.infer<typeof ReportsQuery>;

// ------------------------------------------------------------------ 接诉即办 figures

export const StatsQuery = z
  .object({
    days: z.enum(["30", "90", "365"]).default("30").transform(Number),
    /** One department (organisation id); without it, every department. */
    org: z.string().min(1).max(64).optional(),
  })
  .strict();
export type StatsQuery = z.infer<typeof StatsQuery>;

export interface Figures {
  received: number;
  answered: number;
  answeredOnTime: number;
  open: number;
  openOverdue: number;
  /** answered / received, answeredOnTime / received (4 decimals); null with nothing received. */
  answerRate: number | null;
  onTimeRate: number | null;
  /** Calendar hours from receipt to the first answer (percentile_cont; 1 decimal); null with no answer. */
  hoursToAnswer: { median: number; p90: number } | null;
  /** The same counting only the hours of working days (Asia/Shanghai calendar, configured holidays). */
  workingHoursToAnswer: { median: number; p90: number } | null;
}
export interface DepartmentFigures {
  org: { id: string | null; name: string };
  demands: Figures;
  reports: Figures;
  all: Figures;
}

// ------------------------------------------------------------------ 利用成果

export const ShowcaseBody = z
  .object({
    name: Text(100),
    description: Text(4000),
    url: WebUrl,
    /** The open datasets it uses (entry id, CKAN name or dataset id). */
    datasets: z.array(Id).min(1).max(20),
    /** The organisation that built it (default: the submitter's, for enterprise accounts). */
    organisation: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ShowcaseBody = z.infer<typeof ShowcaseBody>;

export const ShowcaseReviewBody = z
  .object({ decision: z.enum(["approve", "reject"]), reason: z.string().trim().max(2000).optional() })
  .strict()
  .refine((b) => b.decision === "approve" || !!b.reason, { message: "退回时须说明理由", path: ["reason"] });
export type ShowcaseReviewBody = z.infer<typeof ShowcaseReviewBody>;

export const ShowcaseQuery = z
  .object({
    /** public: approved ones; mine: my submissions; review: awaiting approval (admins). */
    view: z.enum(["public", "mine", "review"]).default("public"),
    /** Only those using this open dataset (entry id, CKAN name or dataset id). */
    dataset: Id.optional(),
    q: z.string().trim().max(100).optional(),
    ...Paging,
  })
  .strict();
export type ShowcaseQuery = z.infer<typeof ShowcaseQuery>;
export const DatasetShowcaseQuery = z.object(Paging).strict();

// ------------------------------------------------------------------ answers

export interface Paged<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface RequestAnswer {
  outcome: string;
  plan: string | null;
  plannedDate: string | null;
  url: string | null;
  reason: string | null;
  note: string | null;
  fixedVersion: number | null;
  answeredAt: string;
  fulfilledAt: string | null;
  /** The answering body: the department, or the data administration. */
  by: { orgId: string | null; name: string };
}
/** A demand or an error report as the public sees it (no requester, no contact). */
export interface RequestView {
  id: string;
  kind: "demand" | "report";
  title: string;
  description: string;
  intendedUse: string | null;
  entry: { id: string; code: string | null; name: string | null } | null;
  datasetId: string | null;
  dataVersion: number | null;
  item: string | null;
  rowRef: string | null;
  requestedOrg: { id: string; name: string | null } | null;
  department: { id: string; name: string | null } | null;
  status: string;
  dueAt: string;
  overdue: boolean;
  answeredOnTime: boolean | null;
  answer: RequestAnswer | null;
  createdAt: string;
  updatedAt: string;
  /** Only for the requester, the department and the data administration. */
  private?: { submitter: { userId: string | null; name: string | null; orgId: string | null } | null; contact: string | null; assignNote: string | null };
}

export interface ShowcaseView {
  id: string;
  name: string;
  description: string;
  url: string;
  organisation: string | null;
  datasets: { id: string; name: string | null; title: string; open: boolean }[];
  approvedAt: string | null;
  createdAt: string;
  /** Only for the submitter and the data administration. */
  review?: { status: "submitted" | "approved" | "rejected"; reason: string | null; reviewedAt: string | null; submitter: { userId: string; name: string | null } };
}
