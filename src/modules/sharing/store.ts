import type { Kysely } from "kysely";
import type { Db } from "../../core/db.ts";

/** The sharing module's tables. Only the sharing module touches them. jsonb columns are written as JSON text. */
export interface SharingTables {
  sharing_settings: { key: string; value: unknown; updated_by: string | null; updated_at: Date };
  sharing_demands: {
    id: string; org_id: string; user_id: string; title: string; description: string; duty: string; entry_id: string | null; provider_org_id: string | null;
    status: "open" | "matched" | "closed"; note: string | null; matched_by: string | null; created_at: Date; updated_at: Date;
  };
  sharing_applications: {
    id: string; entry_id: string; entry_code: string; entry_name: string; share_type: string; provider_org_id: string; applicant_org_id: string; applicant_user_id: string;
    demand_id: string | null; items: unknown; row_filter: unknown; purpose: string; legal_basis: string; matter: string | null; period_from: Date; period_to: Date;
    expected_volume: number | string; rate_per_minute: number; status: ApplicationStatus; decision_reason: string | null; conditions: string | null; decided_by: string | null;
    decided_at: Date | null; due_at: Date | null; escalated_at: Date | null; grant_id: string | null; created_at: Date; updated_at: Date;
  };
  sharing_grants: {
    id: string; application_id: string; entry_id: string; provider_org_id: string; grantee_org_id: string; items: unknown; row_filter: unknown; purpose: string;
    valid_from: Date; valid_to: Date; rate_per_minute: number; status: "active" | "revoked"; revoked_reason: string | null; revoked_by: string | null; revoked_at: Date | null;
    ledger_index: number | string | null; created_at: Date;
  };
  sharing_usage: { grant_id: string; day: string; requests: number | string; rows: number | string };
}
export type ApplicationStatus = "pending" | "granted" | "refused" | "withdrawn";
export type SharingDb = Kysely<SharingTables>;
export const sharingDb = (db: Db) => db as unknown as SharingDb;
export const json = (v: unknown) => JSON.stringify(v);
/** jsonb comes back parsed from pg, as text from some drivers. */
export const parsed = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));
