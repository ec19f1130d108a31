import { sql, type Insertable, type Selectable, type Updateable } from "kysely";
import type { OpeningDb, OpeningTables } from "./store.ts";

/** SQL for the public's requests (数据需求, 错误报告), the showcase (利用成果) and their settings. */

export type RequestRow = Selectable<OpeningTables["open_requests"]>;
export type ShowcaseRow = Selectable<OpeningTables["open_showcase"]>;
export const json = (v: unknown) => JSON.stringify(v);
/** jsonb comes back parsed from pg, as text from some drivers. */
export const parsed = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

export interface RequestFilter {
  kind: "demand" | "report";
  status?: string;
  outcome?: string;
  deptOrgId?: string;
  submitterUserId?: string;
  entryId?: string;
  /** Unanswered ones (the work queue). */
  open?: boolean;
  /** Unanswered and past the deadline at this instant (true), or not (false). */
  overdueAt?: { at: Date; overdue: boolean };
  /** Queue of a department: assigned to it; for admins (null) every unanswered one. */
  queueOrgId?: string | null;
}

export function feedbackStore(db: OpeningDb) {
  function requestQuery(f: RequestFilter) {
    let q = db.selectFrom("open_requests").where("kind", "=", f.kind);
    if (f.status) q = q.where("status", "=", f.status as RequestRow["status"]);
    if (f.outcome) q = q.where("outcome", "=", f.outcome);
    if (f.deptOrgId) q = q.where("dept_org_id", "=", f.deptOrgId);
    if (f.submitterUserId) q = q.where("submitter_user_id", "=", f.submitterUserId);
    if (f.entryId) q = q.where("entry_id", "=", f.entryId);
    if (f.open) q = q.where("status", "!=", "answered");
    if (f.queueOrgId) q = q.where("dept_org_id", "=", f.queueOrgId);
    if (f.overdueAt) {
      const { at, overdue } = f.overdueAt;
      q = overdue
        ? q.where("status", "!=", "answered").where("due_at", "<", at)
        : q.where((eb) => eb.or([eb("status", "=", "answered"), eb("due_at", ">=", at)]));
    }
    return q;
  }

  return {
    // ------------------------------------------------------------ settings
    setting: async (key: string) => (await db.selectFrom("open_settings").select("value").where("key", "=", key).executeTakeFirst())?.value,
    putSetting: (key: string, value: unknown, by: string, at: Date) =>
      db.insertInto("open_settings").values({ key, value: json(value), updated_by: by, updated_at: at })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: json(value), updated_by: by, updated_at: at })).execute(),

    // ------------------------------------------------------------ 数据需求 and 错误报告
    insertRequest: (row: Insertable<OpeningTables["open_requests"]>) => db.insertInto("open_requests").values(row).execute(),
    request: (id: string) => db.selectFrom("open_requests").selectAll().where("id", "=", id).executeTakeFirst(),
    /** Update when the row is still in one of `from` (optimistic): false if it changed meanwhile. */
    updateRequest: async (id: string, from: RequestRow["status"][], set: Updateable<OpeningTables["open_requests"]>) => {
      const r = await db.updateTable("open_requests").set(set).where("id", "=", id).where("status", "in", from).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    requests: async (f: RequestFilter, page: { page: number; pageSize: number }) => {
      const [rows, count] = await Promise.all([
        requestQuery(f).selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
        requestQuery(f).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    /** Unanswered, past the deadline, not flagged yet. */
    newlyOverdue: (at: Date) =>
      db.selectFrom("open_requests").selectAll().where("status", "!=", "answered").where("due_at", "<", at).where("overdue_notified_at", "is", null).orderBy("due_at").limit(500).execute(),
    /** What the 接诉即办 figures need of the requests received in [from, to]. */
    statsRows: (from: Date, to: Date, deptOrgId?: string) => {
      let q = db.selectFrom("open_requests").select(["kind", "dept_org_id", "status", "created_at", "due_at", "answered_at"]).where("created_at", ">=", from).where("created_at", "<=", to);
      if (deptOrgId) q = q.where("dept_org_id", "=", deptOrgId);
      return q.execute();
    },

    // ------------------------------------------------------------ 利用成果
    insertShowcase: (row: Insertable<OpeningTables["open_showcase"]>) => db.insertInto("open_showcase").values({ ...row, datasets: json(row.datasets) }).execute(),
    showcase: (id: string) => db.selectFrom("open_showcase").selectAll().where("id", "=", id).executeTakeFirst(),
    updateShowcase: async (id: string, from: ShowcaseRow["status"][], set: Updateable<OpeningTables["open_showcase"]>) => {
      const r = await db.updateTable("open_showcase").set(set).where("id", "=", id).where("status", "in", from).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    showcases: async (f: { status?: ShowcaseRow["status"]; submitterUserId?: string; entryId?: string; q?: string }, page: { page: number; pageSize: number }) => {
      let q = db.selectFrom("open_showcase");
      if (f.status) q = q.where("status", "=", f.status);
      if (f.submitterUserId) q = q.where("submitter_user_id", "=", f.submitterUserId);
      if (f.entryId) q = q.where(sql<boolean>`entry_ids @> array[${f.entryId}]::text[]`);
      if (f.q) {
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) => eb.or([eb("name", "ilike", like), eb("description", "ilike", like), eb("organisation", "ilike", like)]));
      }
      const order = f.status === "approved" ? "reviewed_at" : "created_at";
      const [rows, count] = await Promise.all([
        q.selectAll().orderBy(order, "desc").orderBy("id", "desc").limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
        q.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}
export type FeedbackStore = ReturnType<typeof feedbackStore>;
