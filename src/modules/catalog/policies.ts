import { defineAction, anyUser, roles, hasRole, type Actor } from "../policy/index.ts";

/** What a catalog policy needs to know of an entry. */
export interface EntryRef {
  providerOrgId: string;
  status: string;
}

type U = Extract<Actor, { kind: "user" }>;
const officerOf = (a: U, e?: EntryRef) => hasRole(a, "data_officer") && !!e && a.orgId === e.providerOrgId;

defineAction("catalog.entry.search", { anonymous: true, rule: anyUser });
/** Published and withdrawn entries are public; drafts only for the provider's users and admins. */
const isPublic = (e?: EntryRef) => !e || e.status === "published" || e.status === "withdrawn";
defineAction<EntryRef>("catalog.entry.read", {
  anonymous: isPublic,
  rule: (a, e) => isPublic(e) || (!!e && a.orgId === e.providerOrgId) || hasRole(a, "platform_admin", "regulator"),
});
defineAction("catalog.entry.create", { rule: roles("data_officer") });
/** Only the provider's own data officers edit or submit an entry. */
defineAction<EntryRef>("catalog.entry.edit", { rule: (a, e) => (e ? officerOf(a, e) : hasRole(a, "data_officer")) });
defineAction("catalog.entry.review", { rule: roles("platform_admin") });
defineAction<EntryRef>("catalog.entry.withdraw", { rule: (a, e) => hasRole(a, "platform_admin") || (e ? officerOf(a, e) : hasRole(a, "data_officer")) });
defineAction("catalog.import", { rule: roles("data_officer") });
defineAction("catalog.export", { anonymous: true, rule: anyUser });
defineAction("catalog.lists.read", { rule: anyUser });
defineAction("catalog.stats", { anonymous: true, rule: anyUser });
