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
