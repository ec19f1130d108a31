import { defineAction, anyUser, hasRole, type Actor } from "../policy/index.ts";

/** What an ingest policy needs to know of a dataset (or of the entry a first load creates it for). */
export interface DatasetRef {
  providerOrgId: string;
  /** The entry's 共享属性: 无条件共享 data may be previewed (masked) by any signed-in user. */
  shareType?: string;
}

/** What a job policy needs to know of a job. */
export interface JobRef {
  ownerUserId: string | null;
  ownerOrgId: string | null;
}

type U = Extract<Actor, { kind: "user" }>;
const officerOf = (a: U, d?: DatasetRef) => hasRole(a, "data_officer") && !!d && a.orgId === d.providerOrgId;
const admin = (a: U) => hasRole(a, "platform_admin");

/** Dataset metadata (versions, reports): the provider's users, admins and regulators; others see 无条件共享 datasets. */
defineAction<DatasetRef>("ingest.dataset.read", {
  rule: (a, d) => !d || a.orgId === d.providerOrgId || hasRole(a, "platform_admin", "regulator") || d.shareType === "无条件共享",
});
/** Row preview: as read; users outside the provider see masked values, and every read is in the ledger. */
defineAction<DatasetRef>("ingest.dataset.preview", {
  rule: (a, d) => !d || a.orgId === d.providerOrgId || hasRole(a, "platform_admin", "regulator") || d.shareType === "无条件共享",
});
/** Load data (upload, connector run): only the provider's data officers, and admins. */
defineAction<DatasetRef>("ingest.dataset.load", { rule: (a, d) => admin(a) || (d ? officerOf(a, d) : hasRole(a, "data_officer")) });
/** Rollback, retention, source connector configuration: as load. */
defineAction<DatasetRef>("ingest.dataset.manage", { rule: (a, d) => admin(a) || (d ? officerOf(a, d) : hasRole(a, "data_officer")) });
defineAction("ingest.dataset.list", { rule: anyUser });

/** A job: its owner, the owner organisation's data officers, and admins. */
defineAction<JobRef>("job.read", {
  rule: (a, j) => !j || admin(a) || a.userId === j.ownerUserId || (hasRole(a, "data_officer") && !!j.ownerOrgId && a.orgId === j.ownerOrgId),
});
