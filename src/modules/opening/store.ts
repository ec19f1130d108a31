import { sql, type Generated, type Insertable, type Kysely, type Selectable } from "kysely";
import type { Db } from "../../core/db.ts";

/** The opening module's tables. Only this file (and feedback-store.ts, for the public's requests and the showcase) touches them. */
export interface OpeningTables {
  open_entries: {
    entry_id: string; code: string; name: string; title: string; notes: string; provider_org_id: string; theme: string; tags: string[]; formats: string[];
    open_type: string; update_cycle: string; content: unknown; search_text: string; published_at: Date | null; updated_at: Date; synced_at: Generated<Date>;
  };
  open_applications: {
    id: string; entry_id: string; entry_code: string; entry_name: string; provider_org_id: string; applicant_user_id: string; applicant_org_id: string; token_id: string | null;
    purpose: string; scenario: string | null; period_days: number; status: string; reason: string | null; decided_by: string | null; decided_at: Date | null;
    expires_at: Date | null; created_at: Generated<Date>; ledger_index: number | null;
  };
  open_stats_daily: { day: string; entry_id: string; downloads: Generated<number>; api_calls: Generated<number>; rows: Generated<number> };
  // 数据需求, 错误报告 and 利用成果: their SQL is in feedback-store.ts.
  open_settings: { key: string; value: unknown; updated_by: string | null; updated_at: Date };
  open_requests: {
    id: string; kind: "demand" | "report"; title: string; description: string; intended_use: string | null; entry_id: string | null; entry_code: string | null; entry_name: string | null;
    dataset_id: string | null; data_version: number | null; item: string | null; row_ref: string | null; target_org_id: string | null; dept_org_id: string | null;
    submitter_user_id: string | null; submitter_org_id: string | null; submitter_name: string | null; contact: string | null; status: "submitted" | "assigned" | "answered";
    outcome: string | null; plan: string | null; planned_date: string | null; answer_url: string | null; reason: string | null; note: string | null; fixed_version: number | null;
    answered_by: string | null; answered_org_id: string | null; answered_at: Date | null; fulfilled_at: Date | null; assigned_by: string | null; assigned_at: Date | null; assign_note: string | null;
    due_at: Date; overdue_notified_at: Date | null; created_at: Date; updated_at: Date; ledger_index: number | string | null;
  };
  open_showcase: {
    id: string; name: string; description: string; url: string; organisation: string | null; datasets: unknown; entry_ids: string[]; submitter_user_id: string; submitter_org_id: string;
    submitter_name: string | null; status: "submitted" | "approved" | "rejected"; reason: string | null; reviewed_by: string | null; reviewed_at: Date | null; created_at: Date; updated_at: Date;
    ledger_index: number | string | null;
  };
}
export type OpeningDb = Kysely<OpeningTables>;
export const openingDb = (db: Db) => db as unknown as OpeningDb;
export type OpenEntryRow = Selectable<OpeningTables["open_entries"]>;
export type ApplicationRow = Selectable<OpeningTables["open_applications"]>;

export function openingStore(db: OpeningDb) {
  return {
    // ------------------------------------------------------------ open-catalog index
    upsertEntries: async (rows: Insertable<OpeningTables["open_entries"]>[]) => {
      if (!rows.length) return;
      await db.insertInto("open_entries").values(rows.map((r) => ({ ...r, content: JSON.stringify(r.content) }))).onConflict((oc) =>
        oc.column("entry_id").doUpdateSet((eb) => ({
          code: eb.ref("excluded.code"), name: eb.ref("excluded.name"), title: eb.ref("excluded.title"), notes: eb.ref("excluded.notes"),
          provider_org_id: eb.ref("excluded.provider_org_id"), theme: eb.ref("excluded.theme"), tags: eb.ref("excluded.tags"), formats: eb.ref("excluded.formats"),
          open_type: eb.ref("excluded.open_type"), update_cycle: eb.ref("excluded.update_cycle"), content: eb.ref("excluded.content"), search_text: eb.ref("excluded.search_text"),
          published_at: eb.ref("excluded.published_at"), updated_at: eb.ref("excluded.updated_at"), synced_at: sql`now()`,
        })),
      ).execute();
    },
    deleteEntries: async (ids: string[]) => {
      if (ids.length) await db.deleteFrom("open_entries").where("entry_id", "in", ids).execute();
    },
    entryCount: async () => Number((await db.selectFrom("open_entries").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n),
    maxUpdated: async () => (await db.selectFrom("open_entries").select((e) => e.fn.max("updated_at").as("m")).executeTakeFirst())?.m ?? null,
    entry: (idOrName: string) =>
      db.selectFrom("open_entries").selectAll().where((eb) => eb.or([eb("entry_id", "=", idOrName), eb("name", "=", idOrName)])).executeTakeFirst(),
    entriesByIds: (ids: string[]) => (ids.length ? db.selectFrom("open_entries").selectAll().where("entry_id", "in", ids).execute() : Promise.resolve([])),
    names: () => db.selectFrom("open_entries").select("name").orderBy("name").execute(),
    db,

    // ------------------------------------------------------------ applications
    insertApplication: (row: Insertable<OpeningTables["open_applications"]>) => db.insertInto("open_applications").values(row).execute(),
    application: (id: string) => db.selectFrom("open_applications").selectAll().where("id", "=", id).executeTakeFirst(),
    updateApplication: (id: string, set: Partial<Insertable<OpeningTables["open_applications"]>>) => db.updateTable("open_applications").set(set).where("id", "=", id).execute(),
    applications: (q: { applicantUserId?: string; providerOrgId?: string; status?: string; entryId?: string; limit: number }) => {
      let s = db.selectFrom("open_applications").selectAll().orderBy("created_at", "desc").orderBy("id").limit(q.limit);
      if (q.applicantUserId) s = s.where("applicant_user_id", "=", q.applicantUserId);
      if (q.providerOrgId) s = s.where("provider_org_id", "=", q.providerOrgId);
      if (q.status) s = s.where("status", "=", q.status);
      if (q.entryId) s = s.where("entry_id", "=", q.entryId);
      return s.execute();
    },
    /** The applicant's approved, unexpired grants on an entry. */
    activeGrants: (userId: string, entryId: string) =>
      db.selectFrom("open_applications").selectAll().where("applicant_user_id", "=", userId).where("entry_id", "=", entryId).where("status", "=", "approved")
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", new Date())])).orderBy("decided_at", "desc").execute(),
    pendingOf: (userId: string, entryId: string) =>
      db.selectFrom("open_applications").select("id").where("applicant_user_id", "=", userId).where("entry_id", "=", entryId).where("status", "=", "submitted").executeTakeFirst(),

    // ------------------------------------------------------------ figures
    addStats: async (rows: { day: string; entry_id: string; downloads: number; api_calls: number; rows: number }[]) => {
      if (!rows.length) return;
      await db.insertInto("open_stats_daily").values(rows).onConflict((oc) =>
        oc.columns(["day", "entry_id"]).doUpdateSet((eb) => ({
          downloads: eb("open_stats_daily.downloads", "+", eb.ref("excluded.downloads")),
          api_calls: eb("open_stats_daily.api_calls", "+", eb.ref("excluded.api_calls")),
          rows: eb("open_stats_daily.rows", "+", eb.ref("excluded.rows")),
        })),
      ).execute();
    },
    totals: async (entryId?: string) => {
      let q = db.selectFrom("open_stats_daily").select([sql<number>`coalesce(sum(downloads),0)::int`.as("downloads"), sql<number>`coalesce(sum(api_calls),0)::int`.as("apiCalls")]);
      if (entryId) q = q.where("entry_id", "=", entryId);
      const r = await q.executeTakeFirstOrThrow();
      return { downloads: Number(r.downloads), apiCalls: Number(r.apiCalls) };
    },
    popular: (limit: number) =>
      db.selectFrom("open_stats_daily").select(["entry_id", sql<number>`sum(downloads + api_calls)::int`.as("n")]).groupBy("entry_id").orderBy("n", "desc").limit(limit).execute(),
  };
}
export type OpeningStore = ReturnType<typeof openingStore>;
