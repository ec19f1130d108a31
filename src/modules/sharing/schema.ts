import { z } from "zod";
import { FILTER_OPS, MAX_PAGE_ROWS } from "../ingest/index.ts";

/** 共享 (RULES.md §6.1): demands, applications, grants, scoped delivery. */

const Text = (max: number) => z.string().trim().min(1).max(max);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

export const FilterValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.union([z.string().max(1000), z.number()])).max(1000)]);
export const RowFilter = z.object({ column: z.string().min(1).max(100), op: z.enum(FILTER_OPS), value: FilterValue }).strict();

export const SharingSettings = z.object({
  /** Working days the provider has to answer a 有条件共享 application. */
  reviewDays: z.number().int().min(1).max(30),
  holidays: z.array(Day).max(400),
  extraWorkdays: z.array(Day).max(100),
}).strict();
export type SharingSettings = z.infer<typeof SharingSettings>;
export const DEFAULT_SETTINGS: SharingSettings = { reviewDays: 5, holidays: [], extraWorkdays: [] };

export const DemandBody = z.object({ title: Text(200), description: Text(4000), duty: Text(1000) }).strict();
export const MatchBody = z.object({ entryId: z.string().min(1).max(64), note: z.string().trim().max(2000).optional() }).strict();
export const DemandView = z.object({
  id: z.string(), orgId: z.string(), orgName: z.string().nullable(), title: z.string(), description: z.string(), duty: z.string(), status: z.enum(["open", "matched", "closed"]),
  entryId: z.string().nullable(), providerOrgId: z.string().nullable(), providerName: z.string().nullable(), note: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
});
export type DemandView = z.infer<typeof DemandView>;

export const ApplicationBody = z.object({
  entryId: z.string().min(1).max(64),
  items: z.array(z.string().min(1).max(100)).min(1).max(500),
  purpose: Text(2000),
  legalBasis: Text(1000),
  /** The matter it serves, e.g. a 高效办成一件事 item. */
  matter: z.string().trim().max(500).optional(),
  periodFrom: Day,
  periodTo: Day,
  expectedVolume: z.number().int().min(1).max(1e12),
  /** Rows within scope (all must hold); empty: every row. */
  rowFilter: z.array(RowFilter).max(20).default([]),
  ratePerMinute: z.number().int().min(1).max(6000).default(60),
  demandId: z.string().min(1).max(64).optional(),
}).strict();
export type ApplicationBody = z.infer<typeof ApplicationBody>;

export const DecideBody = z.object({
  decision: z.enum(["approve", "refuse"]),
  /** Required to refuse (拒绝须说明理由). */
  reason: z.string().trim().max(2000).optional(),
  /** Conditions of use attached to an approval. */
  conditions: z.string().trim().max(2000).optional(),
}).strict();
export const RevokeBody = z.object({ reason: Text(2000) }).strict();

export const GrantView = z.object({
  entryCode: z.string().nullable(), entryName: z.string().nullable(), providerName: z.string().nullable(), granteeName: z.string().nullable(),
  legalBasis: z.string().nullable(), conditions: z.string().nullable(),
  id: z.string(), applicationId: z.string(), entryId: z.string(), providerOrgId: z.string(), granteeOrgId: z.string(), items: z.array(z.string()), rowFilter: z.array(RowFilter),
  purpose: z.string(), validFrom: z.string(), validTo: z.string(), ratePerMinute: z.number(), status: z.enum(["active", "revoked", "expired", "not_yet_valid"]),
  revokedReason: z.string().nullable(), revokedAt: z.string().nullable(), createdAt: z.string(),
});
export type GrantView = z.infer<typeof GrantView>;

export const ApplicationView = z.object({
  id: z.string(), entryId: z.string(), entryCode: z.string(), entryName: z.string(), shareType: z.string(), providerOrgId: z.string(), providerName: z.string().nullable(),
  applicantOrgId: z.string(), applicantName: z.string().nullable(), applicantUserId: z.string(), demandId: z.string().nullable(), items: z.array(z.string()), rowFilter: z.array(RowFilter),
  purpose: z.string(), legalBasis: z.string(), matter: z.string().nullable(), periodFrom: z.string(), periodTo: z.string(), expectedVolume: z.number(), ratePerMinute: z.number(),
  status: z.enum(["pending", "granted", "refused", "withdrawn"]), decisionReason: z.string().nullable(), conditions: z.string().nullable(), decidedAt: z.string().nullable(),
  dueAt: z.string().nullable(), overdue: z.boolean(), escalatedAt: z.string().nullable(), grantId: z.string().nullable(), createdAt: z.string(),
});
export type ApplicationView = z.infer<typeof ApplicationView>;

export const QueryBody = z.object({
  /** Data items to return (default: every granted item). */
  columns: z.array(z.string().min(1).max(100)).min(1).max(500).optional(),
  filters: z.array(RowFilter).max(50).default([]),
  q: z.string().max(200).optional(),
  sort: z.array(z.object({ column: z.string().min(1).max(100), desc: z.boolean().optional() }).strict()).max(5).default([]),
  limit: z.number().int().min(1).max(MAX_PAGE_ROWS).default(100),
  offset: z.number().int().min(0).max(1e12).default(0),
}).strict();
export type QueryBody = z.infer<typeof QueryBody>;

export const QueryResult = z.object({
  grantId: z.string(), datasetId: z.string(), version: z.number(), total: z.number(), limit: z.number(), offset: z.number(),
  columns: z.array(z.object({ name: z.string(), type: z.string(), masked: z.boolean() })),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  ledgerIndex: z.number(),
});
export type QueryResult = z.infer<typeof QueryResult>;

export const UsageView = z.object({
  grantId: z.string(), requests: z.number(), rows: z.number(),
  days: z.array(z.object({ day: z.string(), requests: z.number(), rows: z.number() })),
});
export type UsageView = z.infer<typeof UsageView>;

export const ResponsibilityRow = z.object({
  providerOrgId: z.string(), providerName: z.string().nullable(), matchedDemands: z.number(), pendingApplications: z.number(), overdueApplications: z.number(), activeGrants: z.number(),
});
