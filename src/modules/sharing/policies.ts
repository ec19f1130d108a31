import { anyUser, defineAction, hasRole, roles, type Actor } from "../policy/index.ts";

/** Who may do what in 共享. Record-level checks (own organisation, provider) are passed the record. */
type U = Extract<Actor, { kind: "user" }>;
export interface ApplicationRef {
  providerOrgId: string;
  applicantOrgId: string;
}
const govUser = (a: U) => hasRole(a, "dept_user", "data_officer", "platform_admin");
const admin = (a: U) => hasRole(a, "platform_admin");

defineAction("sharing.demand.create", { rule: govUser });
defineAction("sharing.demand.list", { rule: anyUser });
defineAction("sharing.demand.match", { rule: roles("platform_admin") });
defineAction("sharing.application.create", { rule: (a) => hasRole(a, "dept_user", "data_officer") });
defineAction("sharing.application.list", { rule: anyUser });
defineAction<ApplicationRef>("sharing.application.read", {
  rule: (a, r) => !r || a.orgId === r.applicantOrgId || a.orgId === r.providerOrgId || hasRole(a, "platform_admin", "regulator"),
});
/** The provider's data officers answer; the data administration decides escalated (overdue) ones. */
defineAction<ApplicationRef & { escalated?: boolean }>("sharing.application.decide", {
  rule: (a, r) => (r ? (hasRole(a, "data_officer") && a.orgId === r.providerOrgId) || (admin(a) && !!r.escalated) : hasRole(a, "data_officer", "platform_admin")),
});
defineAction<ApplicationRef>("sharing.application.withdraw", { rule: (a, r) => !r || a.orgId === r.applicantOrgId });
defineAction<ApplicationRef>("sharing.grant.revoke", { rule: (a, r) => !r || admin(a) || (hasRole(a, "data_officer") && a.orgId === r.providerOrgId) });
/** Delivery: users of the grantee department only. */
defineAction<{ granteeOrgId: string }>("sharing.data.query", { rule: (a, g) => hasRole(a, "dept_user", "data_officer") && (!g || a.orgId === g.granteeOrgId) });
defineAction("sharing.responsibility.read", { rule: anyUser });
defineAction("sharing.settings.read", { rule: anyUser });
defineAction("sharing.settings.edit", { rule: roles("platform_admin") });
defineAction("sharing.sweep", { rule: roles("platform_admin") });
