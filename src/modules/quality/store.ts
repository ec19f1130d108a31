import type { Kysely } from "kysely";
import type { Db } from "../../core/db.ts";

/** The quality module's tables. Only the quality module touches them. jsonb columns are written as JSON text. */
export interface QualityTables {
  quality_settings: { key: string; value: unknown; updated_by: string | null; updated_at: Date };
  quality_rules: { dataset_id: string; column_name: string; rules: unknown; updated_by: string | null; updated_at: Date };
  quality_runs: {
    dataset_id: string; version: number; entry_id: string; provider_org_id: string; status: "running" | "done" | "failed"; error: string | null;
    row_count: number; dims: unknown; columns: unknown; snapshot_created_at: Date; started_at: Date; finished_at: Date | null;
  };
  quality_rule_results: {
    dataset_id: string; version: number; rule_id: string; column_name: string; kind: string; dimension: string; params: unknown;
    evaluated: number; failed: number; ratio: number | null; samples: unknown;
  };
  quality_sources: {
    id: string; concept: string; dataset_id: string; column_name: string; key_column: string; provider_org_id: string; note: string | null;
    created_by: string | null; created_at: Date; updated_at: Date;
  };
  quality_source_copies: { source_id: string; dataset_id: string; column_name: string; key_column: string; provider_org_id: string };
  quality_crosschecks: { id: string; source_id: string; compared: unknown; keys_compared: number; conflict_count: number; created_by: string | null; created_at: Date; ledger_index: number | null };
  quality_conflicts: {
    id: string; crosscheck_id: string; source_id: string; authoritative_org_id: string; key_value: string; key_masked: string; values: unknown;
    status: "open" | "resolved" | "objected"; resolution_note: string | null; objection_id: string | null; resolved_by: string | null; resolved_at: Date | null; created_at: Date;
  };
  quality_objections: {
    id: string; dataset_id: string; entry_id: string; provider_org_id: string; version: number | null; record_key: unknown; column_name: string | null;
    proposed_value: string | null; reason: string; evidence: string | null; attachment: Buffer | null; attachment_name: string | null; attachment_type: string | null;
    status: ObjectionStatus; resolution: "corrected" | "rejected" | null; resolution_note: string | null; correction_version: number | null; conflict_id: string | null;
    raised_by: string; raised_org_id: string; due_at: Date | null; overdue_stage: string | null; reminded_stage: string | null; escalated_at: Date | null;
    created_at: Date; updated_at: Date; closed_at: Date | null;
  };
  quality_objection_events: { id: string; objection_id: string; step: string; actor: string | null; note: string | null; data: unknown; ledger_index: number; at: Date };
}
export type ObjectionStatus = "submitted" | "verifying" | "replied" | "escalated" | "closed";
export type QualityDb = Kysely<QualityTables>;
export const qualityDb = (db: Db) => db as unknown as QualityDb;
export const json = (v: unknown) => JSON.stringify(v);
