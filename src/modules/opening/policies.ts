import { anyUser, defineAction, hasRole, type Actor } from "../policy/index.ts";

/** What an opening policy needs to know of an open dataset (its catalog entry) and of the asker's grant. */
export interface OpenDataRef {
  openType: string;
  providerOrgId: string;
  /** The asker holds an approved, unexpired application for it (有条件开放). */
  granted?: boolean;
}
/** What a policy needs to know of a conditional-open application. */
export interface ApplicationRef {
  providerOrgId: string;
  applicantUserId: string;
}

type U = Extract<Actor, { kind: "user" }>;
const OPEN = new Set(["无条件开放", "有条件开放"]);
const staffOf = (a: U, orgId: string) => a.orgId === orgId || hasRole(a, "platform_admin", "regulator");

/** The portal's metadata (home figures, search, dataset pages, CKAN package metadata): anyone. */
defineAction("open.portal.read", { anonymous: true, rule: anyUser });
/** 样例数据 (the first rows, masked): anyone, for 无条件 and 有条件开放 datasets. */
defineAction<OpenDataRef>("open.data.sample", {
  anonymous: (d?: OpenDataRef) => !d || OPEN.has(d.openType),
  rule: (_a, d) => !d || OPEN.has(d.openType),
});
/**
 * The data itself (query API, CKAN datastore_search, downloads), masked by grade: anyone for
 * 无条件开放; for 有条件开放 the holders of an approved application, the provider and admins.
 * 不予开放 data never leaves through the open paths.
 */
defineAction<OpenDataRef>("open.data.read", {
  anonymous: (d?: OpenDataRef) => !d || d.openType === "无条件开放",
  rule: (a, d) => !d || d.openType === "无条件开放" || (d.openType === "有条件开放" && (!!d.granted || staffOf(a, d.providerOrgId))),
});
/** Apply for a 有条件开放 dataset: registered users. */
defineAction("open.application.create", { rule: anyUser });
/** Read an application: its applicant, the provider's users, admins and regulators. */
defineAction<ApplicationRef>("open.application.read", {
  rule: (a, r) => !r || a.userId === r.applicantUserId || staffOf(a, r.providerOrgId),
});
/** Approve or refuse: the provider department's data officers (as a share application), and admins. */
defineAction<ApplicationRef>("open.application.review", {
  rule: (a, r) => hasRole(a, "platform_admin") || (hasRole(a, "data_officer") && (!r || a.orgId === r.providerOrgId)),
});
/** Refresh the open-catalog index by hand. */
defineAction("open.index.refresh", { rule: (a) => hasRole(a, "platform_admin") });

// ------------------------------------------------------------------ 数据需求, 错误报告, 利用成果

/** What a policy needs to know of a demand or an error report. */
export interface RequestRef {
  /** The responsible department: assigned (demand) or the provider of the data (report); null before assignment. */
  deptOrgId: string | null;
  submitterUserId: string | null;
}
/** What a policy needs to know of a showcase submission. */
export interface ShowcaseRef {
  status: string;
  submitterUserId: string;
}
const deptOfficer = (a: U, r?: RequestRef) => hasRole(a, "data_officer") && (!r || (!!r.deptOrgId && a.orgId === r.deptOrgId));

/** The public list and pages of demands and error reports (public answers, no personal data), and the 接诉即办 figures: anyone. */
defineAction("open.feedback.read", { anonymous: true, rule: anyUser });
/** The private part of a demand or report (requester, contact): the requester, the responsible department, admins and regulators. */
defineAction<RequestRef>("open.feedback.private", {
  rule: (a, r) => !r || (!!r.submitterUserId && a.userId === r.submitterUserId) || (!!r.deptOrgId && a.orgId === r.deptOrgId) || hasRole(a, "platform_admin", "regulator"),
});
/** The work queue (demands and reports to answer): data officers (their department's) and admins. */
defineAction("open.feedback.queue", { rule: (a) => hasRole(a, "platform_admin", "data_officer") });
/** Deadlines and holidays: read by anyone (they are public commitments), set by the data administration. */
defineAction("open.feedback.settings.read", { anonymous: true, rule: anyUser });
defineAction("open.feedback.settings.edit", { rule: (a) => hasRole(a, "platform_admin") });
/** Flag overdue requests and notify (a timer in the server; admins by hand). */
defineAction("open.feedback.sweep", { rule: (a) => hasRole(a, "platform_admin") });

/** File a 数据需求: signed-in users (registered public users too). */
defineAction("open.demand.create", { rule: anyUser });
/** Route a demand to a department: the data administration. */
defineAction("open.demand.assign", { rule: (a) => hasRole(a, "platform_admin") });
/** Answer a demand: the data administration, or the data officers of the department it is assigned to. */
defineAction<RequestRef>("open.demand.answer", { rule: (a, r) => hasRole(a, "platform_admin") || deptOfficer(a, r) });

/** Report an error in open data: anyone, anonymous too (rate limited per address). */
defineAction("open.report.create", { anonymous: true, rule: anyUser });
/** Answer an error report: the provider department's data officers, and admins. */
defineAction<RequestRef>("open.report.answer", { rule: (a, r) => hasRole(a, "platform_admin") || deptOfficer(a, r) });

/** 利用成果: approved applications are public; a pending or rejected one only for its submitter and admins. */
defineAction<ShowcaseRef>("open.showcase.read", {
  anonymous: (s?: ShowcaseRef) => !s || s.status === "approved",
  rule: (a, s) => !s || s.status === "approved" || a.userId === s.submitterUserId || hasRole(a, "platform_admin", "regulator"),
});
/** Submit an application built on open data: registered users. */
defineAction("open.showcase.create", { rule: anyUser });
/** Approve (publish) or reject a submission: the data administration. */
defineAction("open.showcase.review", { rule: (a) => hasRole(a, "platform_admin") });
