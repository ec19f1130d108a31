import { anyUser, defineAction, hasRole, roles, type Actor } from "../policy/index.ts";

/** What a quality policy needs to know of a dataset: its provider and its entry's share/open types. */
export interface DataRef {
  providerOrgId: string;
  shareType?: string | null;
  openType?: string | null;
}
/** What an objection policy needs to know of an objection. */
export interface ObjectionRef {
  providerOrgId: string;
  raisedBy: string;
}

type U = Extract<Actor, { kind: "user" }>;

/**
 * Who can see a dataset's data (and so its quality findings, and raise 数据异议 on it). The one place
 * to extend when sharing grants access to other departments: the provider's users, admins,
 * regulators, and any signed-in user for 无条件开放 or 无条件共享 entries.
 */
export function seesData(a: Actor, d?: DataRef): boolean {
  if (a.kind !== "user") return false;
  if (!d) return true;
  return a.orgId === d.providerOrgId || hasRole(a, "platform_admin", "regulator") || d.openType === "无条件开放" || d.shareType === "无条件共享";
}
const officerOf = (a: U, orgId?: string) => hasRole(a, "data_officer") && !!orgId && a.orgId === orgId;
const admin = (a: U) => hasRole(a, "platform_admin");

defineAction<DataRef>("quality.report.read", { rule: (a, d) => seesData(a, d) });
defineAction("quality.list", { rule: anyUser });
defineAction<DataRef>("quality.rules.edit", { rule: (a, d) => admin(a) || (d ? officerOf(a, d.providerOrgId) : hasRole(a, "data_officer")) });
defineAction("quality.settings.read", { rule: anyUser });
defineAction("quality.settings.edit", { rule: roles("platform_admin") });
defineAction("quality.sources.read", { rule: anyUser });
defineAction("quality.sources.manage", { rule: roles("platform_admin") });
/** 多源校核: admins, and the authoritative department's data officers. */
defineAction<{ authoritativeOrgId: string }>("quality.crosscheck.run", { rule: (a, s) => admin(a) || (s ? officerOf(a, s.authoritativeOrgId) : hasRole(a, "data_officer")) });
defineAction("quality.conflicts.read", { rule: anyUser });
defineAction<{ authoritativeOrgId: string }>("quality.conflicts.resolve", { rule: (a, s) => admin(a) || (s ? officerOf(a, s.authoritativeOrgId) : hasRole(a, "data_officer")) });
defineAction<DataRef>("quality.objection.raise", { rule: (a, d) => seesData(a, d) });
defineAction("quality.objection.list", { rule: anyUser });
defineAction<ObjectionRef>("quality.objection.read", { rule: (a, o) => !o || a.userId === o.raisedBy || a.orgId === o.providerOrgId || hasRole(a, "platform_admin", "regulator") });
/** 受理, 核实, 更正, 驳回: the source department's data officers. */
defineAction<ObjectionRef>("quality.objection.handle", { rule: (a, o) => (o ? officerOf(a, o.providerOrgId) : hasRole(a, "data_officer")) });
/** 反馈: the objector confirms or disputes the answer. */
defineAction<ObjectionRef>("quality.objection.respond", { rule: (a, o) => !o || a.userId === o.raisedBy });
/** Escalated objections are decided by the data administration. */
defineAction("quality.objection.decide", { rule: roles("platform_admin") });
defineAction("quality.objection.sweep", { rule: roles("platform_admin") });
