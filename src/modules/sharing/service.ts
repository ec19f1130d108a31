import { sql } from "kysely";
import type { Db, Tx } from "../../core/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, RateLimitedError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { TokenBuckets } from "../../core/limits.ts";
import { addWorkingDays, shanghaiDay, shanghaiDayEnd as dayEnd, shanghaiDayStart as dayStart } from "../../core/workdays.ts";
import type { RowFilter, RowValue, SnapshotColumn } from "../ingest/index.ts";
import { assertCan, can, type Actor } from "../policy/index.ts";
import type { ApplicationRef } from "./policies.ts";
import {
  DEFAULT_SETTINGS, SharingSettings, type ApplicationBody, type ApplicationView, type DemandView, type GrantView, type QueryBody, type QueryResult, type UsageView,
} from "./schema.ts";
import { json, parsed, sharingDb, type SharingTables } from "./store.ts";
import "./policies.ts";

/**
 * 共享 (RULES.md §6.1): the demand list (需求清单) and who must supply it (责任清单); applications
 * (无条件 granted at once, 有条件 answered by the provider within a working-day deadline, overdue ones
 * escalated to the data administration, 不予共享 refused at the door); grants scoped by data items,
 * row filter, period and rate; and delivery, the one data access end to end: grant scope → ingest
 * selection → masking by grade → metering → ledger (who, what, why, how much, digest of the result).
 */

export interface SharingEntry {
  id: string;
  code: string;
  name: string;
  status: string;
  shareType: string;
  providerOrgId: string;
  grade: string;
  generalLevel: number | null;
  items: { name: string; type: string; sensitive: boolean; length?: number }[];
}
export interface SharingDeps {
  db: Db;
  ledger: {
    append(tx: Tx, e: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
    /** A standalone entry, group-committed (ledger.record): every delivery. */
    record(e: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
    digest(v: unknown): string;
  };
  notify: { notify(tx: Tx | Db, n: { userId?: string; orgId?: string; role?: string; kind: string; title: string; body: string; link?: string }): Promise<{ id: string }> };
  ingest: {
    datasetForEntry(entryId: string): Promise<{ id: string; currentVersion: number | null } | null>;
    selectRows(datasetId: string, q: { columns?: string[]; filters?: RowFilter[]; q?: string; sort?: { column: string; desc?: boolean }[]; limit: number; offset: number }): Promise<{ version: number; total: number; columns: SnapshotColumn[]; rows: Record<string, RowValue>[] }>;
  };
  entries: { get(entryId: string): Promise<SharingEntry | null> };
  orgNames(): Promise<Map<string, string>>;
  /** An extract file of delivered rows (XLSX or Parquet), made by the platform's writers. */
  extract?: (format: "xlsx" | "parquet", columns: { name: string; duckType: string; masked: boolean }[], rows: Record<string, RowValue>[]) => Promise<Buffer>;
  /** Recipient watermarks (protection.embedWatermark with the platform key): every delivery is marked with its grant. */
  watermark?: (rows: Record<string, RowValue>[], columns: { name: string; type: string; key?: boolean; sensitive?: boolean; length?: number }[], recipient: string) => Promise<{ rows: Record<string, RowValue>[]; markedCells: number }>;
  maskerFor(grade: string, subLevel: number | null, item: { name: string; type: string; sensitive: boolean }): ((v: string | null) => string | null) | null;
  now?: () => Date;
}

type AppRow = SharingTables["sharing_applications"];
type GrantRow = SharingTables["sharing_grants"];
type U = Extract<Actor, { kind: "user" }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const user = (a: Actor): U => {
  if (a.kind !== "user") throw new UnauthenticatedError();
  return a;
};
const notFoundApp = () => new NotFoundError({ field: "id", message: "共享申请不存在", messageEn: "Share application not found" });
const notFoundGrant = () => new NotFoundError({ field: "grantId", message: "共享授权不存在", messageEn: "Share grant not found" });

export function createSharingService(deps: SharingDeps) {
  const db = sharingDb(deps.db);
  const now = deps.now ?? (() => new Date());
  const ledger = deps.ledger;

  // ------------------------------------------------------------------ settings
  async function settings(): Promise<SharingSettings> {
    const row = await db.selectFrom("sharing_settings").select("value").where("key", "=", "settings").executeTakeFirst();
    return row ? SharingSettings.parse(parsed(row.value)) : DEFAULT_SETTINGS;
  }

  // ------------------------------------------------------------------ views
  async function demandView(r: SharingTables["sharing_demands"]): Promise<DemandView> {
    const names = await deps.orgNames();
    return {
      id: r.id, orgId: r.org_id, orgName: names.get(r.org_id) ?? null, title: r.title, description: r.description, duty: r.duty, status: r.status,
      entryId: r.entry_id, providerOrgId: r.provider_org_id, providerName: r.provider_org_id ? (names.get(r.provider_org_id) ?? null) : null, note: r.note,
      createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    };
  }
  async function appView(r: AppRow): Promise<ApplicationView> {
    const names = await deps.orgNames();
    return {
      id: r.id, entryId: r.entry_id, entryCode: r.entry_code, entryName: r.entry_name, shareType: r.share_type, providerOrgId: r.provider_org_id, providerName: names.get(r.provider_org_id) ?? null,
      applicantOrgId: r.applicant_org_id, applicantName: names.get(r.applicant_org_id) ?? null, applicantUserId: r.applicant_user_id, demandId: r.demand_id,
      items: parsed<string[]>(r.items), rowFilter: parsed<RowFilter[]>(r.row_filter), purpose: r.purpose, legalBasis: r.legal_basis, matter: r.matter,
      periodFrom: shanghaiDay(r.period_from), periodTo: shanghaiDay(r.period_to), expectedVolume: Number(r.expected_volume), ratePerMinute: r.rate_per_minute,
      status: r.status, decisionReason: r.decision_reason, conditions: r.conditions, decidedAt: iso(r.decided_at), dueAt: iso(r.due_at),
      overdue: r.status === "pending" && !!r.due_at && r.due_at.getTime() < now().getTime(), escalatedAt: iso(r.escalated_at), grantId: r.grant_id, createdAt: r.created_at.toISOString(),
    };
  }
  function grantState(g: GrantRow, at = now()): GrantView["status"] {
    if (g.status === "revoked") return "revoked";
    if (at.getTime() > g.valid_to.getTime()) return "expired";
    if (at.getTime() < g.valid_from.getTime()) return "not_yet_valid";
    return "active";
  }
  /** Grants as shown: with the entry, both departments' names and the application's basis and conditions. */
  async function grantViews(rows: GrantRow[]): Promise<GrantView[]> {
    const names = await deps.orgNames();
    const apps = rows.length ? await db.selectFrom("sharing_applications").select(["id", "entry_code", "entry_name", "legal_basis", "conditions"]).where("id", "in", rows.map((g) => g.application_id)).execute() : [];
    const byId = new Map(apps.map((a) => [a.id, a]));
    return rows.map((g) => {
      const a = byId.get(g.application_id);
      return {
        id: g.id, applicationId: g.application_id, entryId: g.entry_id, entryCode: a?.entry_code ?? null, entryName: a?.entry_name ?? null,
        providerOrgId: g.provider_org_id, providerName: names.get(g.provider_org_id) ?? null, granteeOrgId: g.grantee_org_id, granteeName: names.get(g.grantee_org_id) ?? null,
        items: parsed<string[]>(g.items), rowFilter: parsed<RowFilter[]>(g.row_filter), purpose: g.purpose, legalBasis: a?.legal_basis ?? null, conditions: a?.conditions ?? null,
        validFrom: g.valid_from.toISOString(), validTo: g.valid_to.toISOString(), ratePerMinute: g.rate_per_minute,
        status: grantState(g), revokedReason: g.revoked_reason, revokedAt: iso(g.revoked_at), createdAt: g.created_at.toISOString(),
      };
    });
  }
  const refOf = (r: AppRow): ApplicationRef & { escalated: boolean } => ({ providerOrgId: r.provider_org_id, applicantOrgId: r.applicant_org_id, escalated: !!r.escalated_at });

  async function loadApp(actor: Actor, id: string): Promise<AppRow> {
    const r = await db.selectFrom("sharing_applications").selectAll().where("id", "=", id).executeTakeFirst();
    if (!r || !can(actor, "sharing.application.read", refOf(r))) throw notFoundApp();
    return r;
  }

  /** Grant rows inside a transaction, approved or automatic: the scope the deliveries are checked against. */
  async function createGrant(tx: Tx, r: AppRow, actorUserId: string | null, auto: boolean): Promise<{ grantId: string; index: number }> {
    const id = newId("grt");
    const at = now();
    const { index } = await ledger.append(tx, {
      kind: "sharing.grant.created", subject: id, actor: actorUserId,
      data: {
        grantId: id, applicationId: r.id, entryId: r.entry_id, entryCode: r.entry_code, providerOrgId: r.provider_org_id, granteeOrgId: r.applicant_org_id, items: parsed(r.items),
        rowFilter: parsed(r.row_filter), purpose: r.purpose, legalBasis: r.legal_basis, validFrom: r.period_from.toISOString(), validTo: r.period_to.toISOString(), ratePerMinute: r.rate_per_minute, automatic: auto,
      },
    });
    await sharingDb(tx as unknown as Db).insertInto("sharing_grants").values({
      id, application_id: r.id, entry_id: r.entry_id, provider_org_id: r.provider_org_id, grantee_org_id: r.applicant_org_id, items: json(parsed(r.items)), row_filter: json(parsed(r.row_filter)),
      purpose: r.purpose, valid_from: r.period_from, valid_to: r.period_to, rate_per_minute: r.rate_per_minute, status: "active", revoked_reason: null, revoked_by: null, revoked_at: null,
      ledger_index: index, created_at: at,
    }).execute();
    return { grantId: id, index };
  }

  // Rate limits per grant, in this process (requests per minute, a minute's worth of burst).
  const buckets = new TokenBuckets(() => now().getTime());
  function take(g: GrantRow): void {
    const cap = g.rate_per_minute;
    const wait = buckets.take(g.id, cap / 60, cap);
    if (wait) throw new RateLimitedError({ field: "grantId", message: `超过授权的调用频率（每分钟 ${cap} 次）`, messageEn: `Over the grant's rate (${cap} requests per minute)`, retryAfter: wait });
  }

  const service = {
    settings,
    async putSettings(actor: Actor, s: SharingSettings): Promise<SharingSettings> {
      assertCan(actor, "sharing.settings.edit");
      const v = SharingSettings.parse(s);
      await db.insertInto("sharing_settings").values({ key: "settings", value: json(v), updated_by: user(actor).userId, updated_at: now() })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: json(v), updated_by: user(actor).userId, updated_at: now() })).execute();
      return v;
    },

    // ---------------------------------------------------------------- 需求清单
    async createDemand(actor: Actor, body: { title: string; description: string; duty: string }): Promise<DemandView> {
      assertCan(actor, "sharing.demand.create");
      const u = user(actor);
      const at = now();
      const row = { id: newId("dmd"), org_id: u.orgId, user_id: u.userId, title: body.title, description: body.description, duty: body.duty, entry_id: null, provider_org_id: null, status: "open" as const, note: null, matched_by: null, created_at: at, updated_at: at };
      await deps.db.transaction().execute(async (tx) => {
        await sharingDb(tx as unknown as Db).insertInto("sharing_demands").values(row).execute();
        await ledger.append(tx, { kind: "sharing.demand.created", subject: row.id, actor: u.userId, data: { demandId: row.id, orgId: u.orgId, title: body.title, duty: body.duty } });
        await deps.notify.notify(tx, { role: "platform_admin", kind: "sharing.demand", title: `新的共享需求：${body.title}`, body: body.duty, link: `/sharing/demands` });
      });
      return demandView(row);
    },
    async listDemands(actor: Actor, q: { status?: "open" | "matched" | "closed"; mine?: boolean } = {}): Promise<DemandView[]> {
      assertCan(actor, "sharing.demand.list");
      const u = user(actor);
      let s = db.selectFrom("sharing_demands").selectAll().orderBy("created_at", "desc").limit(500);
      if (q.status) s = s.where("status", "=", q.status);
      if (q.mine) s = s.where("org_id", "=", u.orgId);
      return Promise.all((await s.execute()).map(demandView));
    },
    /** The data administration matches a demand to a catalog entry: the provider must supply it (责任清单). */
    async matchDemand(actor: Actor, id: string, body: { entryId: string; note?: string }): Promise<DemandView> {
      assertCan(actor, "sharing.demand.match");
      const d = await db.selectFrom("sharing_demands").selectAll().where("id", "=", id).executeTakeFirst();
      if (!d) throw new NotFoundError({ field: "id", message: "共享需求不存在", messageEn: "Demand not found" });
      const e = await deps.entries.get(body.entryId);
      if (!e || e.status !== "published") throw new InvalidError({ field: "entryId", message: "只能匹配已发布的目录条目", messageEn: "Only published catalog entries can be matched" });
      const at = now();
      await deps.db.transaction().execute(async (tx) => {
        await sharingDb(tx as unknown as Db).updateTable("sharing_demands").set({ entry_id: e.id, provider_org_id: e.providerOrgId, status: "matched", note: body.note ?? null, matched_by: user(actor).userId, updated_at: at }).where("id", "=", id).execute();
        await ledger.append(tx, { kind: "sharing.demand.matched", subject: id, actor: user(actor).userId, data: { demandId: id, entryId: e.id, entryCode: e.code, providerOrgId: e.providerOrgId } });
        await deps.notify.notify(tx, { orgId: d.org_id, kind: "sharing.demand", title: `共享需求「${d.title}」已匹配目录「${e.name}」`, body: "可据此提出共享申请。", link: `/sharing/demands` });
        await deps.notify.notify(tx, { orgId: e.providerOrgId, kind: "sharing.responsibility", title: `责任清单新增：「${e.name}」`, body: `需求：${d.title}`, link: `/sharing/responsibility` });
      });
      return demandView((await db.selectFrom("sharing_demands").selectAll().where("id", "=", id).executeTakeFirstOrThrow()));
    },
    /** 责任清单: per providing department, the matched demands and the applications it must answer. */
    async responsibility(actor: Actor) {
      assertCan(actor, "sharing.responsibility.read");
      const names = await deps.orgNames();
      const at = now();
      const demands = await db.selectFrom("sharing_demands").select(["provider_org_id", sql<number>`count(*)`.as("n")]).where("status", "=", "matched").groupBy("provider_org_id").execute();
      const apps = await db.selectFrom("sharing_applications").select(["provider_org_id", "due_at"]).where("status", "=", "pending").execute();
      const grants = await db.selectFrom("sharing_grants").select(["provider_org_id", sql<number>`count(*)`.as("n")]).where("status", "=", "active").where("valid_to", ">=", at).groupBy("provider_org_id").execute();
      const orgs = new Set<string>([...demands.map((d) => d.provider_org_id!), ...apps.map((a) => a.provider_org_id), ...grants.map((g) => g.provider_org_id)].filter(Boolean));
      return [...orgs].sort().map((o) => ({
        providerOrgId: o, providerName: names.get(o) ?? null,
        matchedDemands: Number(demands.find((d) => d.provider_org_id === o)?.n ?? 0),
        pendingApplications: apps.filter((a) => a.provider_org_id === o).length,
        overdueApplications: apps.filter((a) => a.provider_org_id === o && a.due_at && a.due_at.getTime() < at.getTime()).length,
        activeGrants: Number(grants.find((g) => g.provider_org_id === o)?.n ?? 0),
      }));
    },

    // ---------------------------------------------------------------- applications
    async apply(actor: Actor, body: ApplicationBody): Promise<ApplicationView> {
      assertCan(actor, "sharing.application.create");
      const u = user(actor);
      const e = await deps.entries.get(body.entryId);
      if (!e || e.status !== "published") throw new InvalidError({ field: "entryId", message: "目录条目不存在或未发布", messageEn: "The catalog entry does not exist or is not published" });
      if (e.shareType === "不予共享") throw new InvalidError({ field: "entryId", message: `「${e.name}」属于不予共享，不能申请`, messageEn: `"${e.name}" is not shareable (不予共享); it cannot be applied for` });
      if (e.providerOrgId === u.orgId) throw new InvalidError({ field: "entryId", message: "本部门的数据无需申请共享", messageEn: "Your own department's data needs no share application" });
      const names = new Set(e.items.map((i) => i.name));
      body.items.forEach((it, i) => {
        if (!names.has(it)) throw new InvalidError({ field: `items.${i}`, message: `「${e.name}」没有数据项「${it}」`, messageEn: `"${e.name}" has no data item '${it}'` });
      });
      if (new Set(body.items).size !== body.items.length) throw new InvalidError({ field: "items", message: "数据项有重复", messageEn: "Duplicate data items" });
      body.rowFilter.forEach((f, i) => {
        if (!names.has(f.column)) throw new InvalidError({ field: `rowFilter.${i}.column`, message: `没有数据项「${f.column}」`, messageEn: `No data item '${f.column}'` });
      });
      if (body.periodTo < body.periodFrom) throw new InvalidError({ field: "periodTo", message: "使用期限的结束日期早于开始日期", messageEn: "The period ends before it starts" });
      if (Date.parse(body.periodTo) - Date.parse(body.periodFrom) > 3 * 366 * 86_400_000) throw new InvalidError({ field: "periodTo", message: "使用期限最长三年", messageEn: "The period is at most three years" });
      if (body.periodTo < shanghaiDay(now())) throw new InvalidError({ field: "periodTo", message: "使用期限已经结束", messageEn: "The period is already over" });
      if (body.demandId) {
        const d = await db.selectFrom("sharing_demands").select(["org_id"]).where("id", "=", body.demandId).executeTakeFirst();
        if (!d || d.org_id !== u.orgId) throw new InvalidError({ field: "demandId", message: "共享需求不存在或不属于本部门", messageEn: "The demand does not exist or is not your department's" });
      }
      // The row filter's values are checked against the data's types now, not at every query.
      const dsForCheck = await deps.ingest.datasetForEntry(e.id);
      if (body.rowFilter.length && dsForCheck?.currentVersion != null) {
        try {
          await deps.ingest.selectRows(dsForCheck.id, { filters: body.rowFilter, limit: 0, offset: 0 });
        } catch (err) {
          if (err instanceof InvalidError && err.field?.startsWith("filters.")) throw new InvalidError({ field: err.field.replace(/^filters\./, "rowFilter."), message: err.messageZh, messageEn: err.messageEn });
          throw err;
        }
      }
      const at = now();
      const cfg = await settings();
      const unconditional = e.shareType === "无条件共享";
      const row: AppRow = {
        id: newId("sap"), entry_id: e.id, entry_code: e.code, entry_name: e.name, share_type: e.shareType, provider_org_id: e.providerOrgId, applicant_org_id: u.orgId, applicant_user_id: u.userId,
        demand_id: body.demandId ?? null, items: json(body.items), row_filter: json(body.rowFilter), purpose: body.purpose, legal_basis: body.legalBasis, matter: body.matter ?? null,
        period_from: dayStart(body.periodFrom), period_to: dayEnd(body.periodTo), expected_volume: body.expectedVolume, rate_per_minute: body.ratePerMinute,
        status: unconditional ? "granted" : "pending", decision_reason: unconditional ? "无条件共享，自动授权" : null, conditions: null, decided_by: null, decided_at: unconditional ? at : null,
        due_at: unconditional ? null : addWorkingDays(at, cfg.reviewDays, cfg), escalated_at: null, grant_id: null, created_at: at, updated_at: at,
      };
      await deps.db.transaction().execute(async (tx) => {
        const s = sharingDb(tx as unknown as Db);
        await s.insertInto("sharing_applications").values(row).execute();
        await ledger.append(tx, {
          kind: "sharing.application.submitted", subject: row.id, actor: u.userId,
          data: { applicationId: row.id, entryId: e.id, entryCode: e.code, shareType: e.shareType, applicantOrgId: u.orgId, providerOrgId: e.providerOrgId, items: body.items, purpose: body.purpose, legalBasis: body.legalBasis, matter: body.matter ?? null, periodFrom: body.periodFrom, periodTo: body.periodTo, expectedVolume: body.expectedVolume },
        });
        if (unconditional) {
          const { grantId } = await createGrant(tx, row, null, true);
          row.grant_id = grantId;
          await s.updateTable("sharing_applications").set({ grant_id: grantId }).where("id", "=", row.id).execute();
          await deps.notify.notify(tx, { orgId: e.providerOrgId, kind: "sharing.granted", title: `「${e.name}」已按无条件共享授权`, body: `用途：${body.purpose}`, link: `/sharing/applications/${row.id}` });
        } else {
          await deps.notify.notify(tx, { orgId: e.providerOrgId, kind: "sharing.review", title: `待审核的共享申请：「${e.name}」`, body: `用途：${body.purpose}；请于 ${shanghaiDay(row.due_at!)} 前答复`, link: `/sharing/applications/${row.id}` });
        }
      });
      return appView(row);
    },
    async listApplications(actor: Actor, q: { role?: "applicant" | "provider"; status?: AppRow["status"] } = {}): Promise<ApplicationView[]> {
      assertCan(actor, "sharing.application.list");
      const u = user(actor);
      let s = db.selectFrom("sharing_applications").selectAll().orderBy("created_at", "desc").limit(500);
      if (q.status) s = s.where("status", "=", q.status);
      const all = u.roles.includes("platform_admin") || u.roles.includes("regulator");
      // Admins and regulators see every application unless they ask for their own side.
      if (q.role === "applicant") s = s.where("applicant_org_id", "=", u.orgId);
      else if (q.role === "provider") s = s.where("provider_org_id", "=", u.orgId);
      else if (!all) s = s.where((w) => w.or([w("applicant_org_id", "=", u.orgId), w("provider_org_id", "=", u.orgId)]));
      return Promise.all((await s.execute()).map(appView));
    },
    async getApplication(actor: Actor, id: string): Promise<ApplicationView> {
      return appView(await loadApp(actor, id));
    },
    /** The provider approves (a grant is made) or refuses with a reason. */
    async decide(actor: Actor, id: string, body: { decision: "approve" | "refuse"; reason?: string; conditions?: string }): Promise<ApplicationView> {
      const r = await loadApp(actor, id);
      assertCan(actor, "sharing.application.decide", refOf(r));
      const u = user(actor);
      if (r.status !== "pending") throw new ConflictError({ field: "status", message: "该申请已处理", messageEn: "The application has already been answered" });
      if (body.decision === "refuse" && !body.reason) throw new InvalidError({ field: "reason", message: "拒绝须说明理由", messageEn: "A refusal needs a reason" });
      const at = now();
      await deps.db.transaction().execute(async (tx) => {
        const s = sharingDb(tx as unknown as Db);
        const upd = await s.updateTable("sharing_applications")
          .set({ status: body.decision === "approve" ? "granted" : "refused", decision_reason: body.reason ?? null, conditions: body.conditions ?? null, decided_by: u.userId, decided_at: at, updated_at: at })
          .where("id", "=", id).where("status", "=", "pending").executeTakeFirst();
        if (Number(upd.numUpdatedRows) !== 1) throw new ConflictError({ field: "status", message: "该申请已处理", messageEn: "The application has already been answered" });
        await ledger.append(tx, { kind: `sharing.application.${body.decision === "approve" ? "approved" : "refused"}`, subject: id, actor: u.userId, data: { applicationId: id, entryId: r.entry_id, reason: body.reason ?? null, conditions: body.conditions ?? null, escalated: !!r.escalated_at } });
        if (body.decision === "approve") {
          const { grantId } = await createGrant(tx, r, u.userId, false);
          await s.updateTable("sharing_applications").set({ grant_id: grantId }).where("id", "=", id).execute();
        }
        await deps.notify.notify(tx, {
          userId: r.applicant_user_id, kind: "sharing.decision",
          title: body.decision === "approve" ? `共享申请已批准：「${r.entry_name}」` : `共享申请未获批准：「${r.entry_name}」`,
          body: body.decision === "approve" ? (body.conditions ? `使用条件：${body.conditions}` : "可在授权期限内按授权范围调用。") : `理由：${body.reason}`,
          link: `/sharing/applications/${id}`,
        });
      });
      return appView(await loadApp(actor, id));
    },
    async withdraw(actor: Actor, id: string): Promise<ApplicationView> {
      const r = await loadApp(actor, id);
      assertCan(actor, "sharing.application.withdraw", refOf(r));
      if (r.status !== "pending") throw new ConflictError({ field: "status", message: "只能撤回待审核的申请", messageEn: "Only pending applications can be withdrawn" });
      await deps.db.transaction().execute(async (tx) => {
        await sharingDb(tx as unknown as Db).updateTable("sharing_applications").set({ status: "withdrawn", updated_at: now() }).where("id", "=", id).execute();
        await ledger.append(tx, { kind: "sharing.application.withdrawn", subject: id, actor: user(actor).userId, data: { applicationId: id } });
      });
      return appView(await loadApp(actor, id));
    },
    /**
     * Overdue 有条件 applications are escalated to the data administration (once), which may then decide
     * them; the provider is reminded. Run by a timer in the server; tests pass a clock.
     */
    async sweep(at: Date = now()): Promise<{ escalated: string[] }> {
      const overdue = await db.selectFrom("sharing_applications").selectAll().where("status", "=", "pending").where("escalated_at", "is", null).where("due_at", "<", at).execute();
      const escalated: string[] = [];
      for (const r of overdue) {
        await deps.db.transaction().execute(async (tx) => {
          const upd = await sharingDb(tx as unknown as Db).updateTable("sharing_applications").set({ escalated_at: at, updated_at: at }).where("id", "=", r.id).where("escalated_at", "is", null).where("status", "=", "pending").executeTakeFirst();
          if (Number(upd.numUpdatedRows) !== 1) return;
          await ledger.append(tx, { kind: "sharing.application.escalated", subject: r.id, actor: null, data: { applicationId: r.id, providerOrgId: r.provider_org_id, dueAt: iso(r.due_at) } });
          await deps.notify.notify(tx, { role: "platform_admin", kind: "sharing.escalated", title: `共享申请逾期未答复：「${r.entry_name}」`, body: `提供部门应于 ${shanghaiDay(r.due_at!)} 前答复，现提请数据管理部门协调。`, link: `/sharing/applications/${r.id}` });
          await deps.notify.notify(tx, { orgId: r.provider_org_id, kind: "sharing.overdue", title: `共享申请已逾期：「${r.entry_name}」`, body: "已提请数据管理部门协调，请尽快答复。", link: `/sharing/applications/${r.id}` });
          escalated.push(r.id);
        });
      }
      return { escalated };
    },
    startSweeper(opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}): () => void {
      const t = setInterval(() => void service.sweep().catch((e) => opts.onError?.(e)), opts.intervalMs ?? 10 * 60_000);
      t.unref();
      return () => clearInterval(t);
    },

    // ---------------------------------------------------------------- grants
    async listGrants(actor: Actor, q: { role?: "grantee" | "provider" } = {}): Promise<GrantView[]> {
      const u = user(actor);
      let s = db.selectFrom("sharing_grants").selectAll().orderBy("created_at", "desc").limit(500);
      const all = u.roles.includes("platform_admin") || u.roles.includes("regulator");
      if (q.role === "grantee") s = s.where("grantee_org_id", "=", u.orgId);
      else if (q.role === "provider") s = s.where("provider_org_id", "=", u.orgId);
      else if (!all) s = s.where((w) => w.or([w("grantee_org_id", "=", u.orgId), w("provider_org_id", "=", u.orgId)]));
      return grantViews(await s.execute());
    },
    async getGrant(actor: Actor, id: string): Promise<GrantView> {
      return (await grantViews([await visibleGrant(actor, id)]))[0];
    },
    /** Revocation takes effect on the next request. */
    async revoke(actor: Actor, id: string, reason: string): Promise<GrantView> {
      const g = await visibleGrant(actor, id);
      assertCan(actor, "sharing.grant.revoke", { providerOrgId: g.provider_org_id, applicantOrgId: g.grantee_org_id });
      if (g.status === "revoked") throw new ConflictError({ field: "status", message: "该授权已撤销", messageEn: "The grant is already revoked" });
      const at = now();
      await deps.db.transaction().execute(async (tx) => {
        await sharingDb(tx as unknown as Db).updateTable("sharing_grants").set({ status: "revoked", revoked_reason: reason, revoked_by: user(actor).userId, revoked_at: at }).where("id", "=", id).execute();
        await ledger.append(tx, { kind: "sharing.grant.revoked", subject: id, actor: user(actor).userId, data: { grantId: id, applicationId: g.application_id, reason } });
        await deps.notify.notify(tx, { orgId: g.grantee_org_id, kind: "sharing.revoked", title: "共享授权已撤销", body: `理由：${reason}`, link: `/sharing/grants/${id}` });
      });
      return (await grantViews([await db.selectFrom("sharing_grants").selectAll().where("id", "=", id).executeTakeFirstOrThrow()]))[0];
    },
    /** Usage per grant (both sides see it): requests and rows per day. */
    async usage(actor: Actor, id: string): Promise<UsageView> {
      const g = await visibleGrant(actor, id);
      const days = await db.selectFrom("sharing_usage").selectAll().where("grant_id", "=", g.id).orderBy("day", "desc").limit(366).execute();
      const d = days.map((x) => ({ day: x.day, requests: Number(x.requests), rows: Number(x.rows) }));
      return { grantId: g.id, requests: d.reduce((s, x) => s + x.requests, 0), rows: d.reduce((s, x) => s + x.rows, 0), days: d };
    },

    // ---------------------------------------------------------------- delivery
    /**
     * A query under a grant: checked against its items, row filter, period and rate; run on the current
     * snapshot; masked by grade; metered; recorded in the ledger with the grant and purpose.
     */
    async query(actor: Actor, grantId: string, body: QueryBody): Promise<QueryResult & { duckTypes: string[] }> {
      const u = user(actor);
      const g = await db.selectFrom("sharing_grants").selectAll().where("id", "=", grantId).executeTakeFirst();
      // Another department's grant id is simply not found (its existence is not disclosed).
      if (!g || !can(actor, "sharing.data.query", { granteeOrgId: g.grantee_org_id })) throw notFoundGrant();
      const state = grantState(g);
      if (state === "revoked") throw new ForbiddenError({ field: "grantId", message: `该授权已撤销：${g.revoked_reason ?? ""}`, messageEn: "The grant has been revoked" });
      if (state === "expired") throw new ForbiddenError({ field: "grantId", message: "该授权已过期", messageEn: "The grant has expired" });
      if (state === "not_yet_valid") throw new ForbiddenError({ field: "grantId", message: "该授权尚未生效", messageEn: "The grant is not valid yet" });
      const items = parsed<string[]>(g.items);
      const allowed = new Set(items);
      const columns = body.columns ?? items;
      columns.forEach((c, i) => {
        if (!allowed.has(c)) throw new ForbiddenError({ field: `columns.${i}`, message: `数据项「${c}」不在授权范围内`, messageEn: `Data item '${c}' is outside the grant` });
      });
      body.filters.forEach((f, i) => {
        if (!allowed.has(f.column)) throw new ForbiddenError({ field: `filters.${i}.column`, message: `不能按授权范围外的数据项「${f.column}」过滤`, messageEn: `Cannot filter on '${f.column}', outside the grant` });
      });
      body.sort.forEach((s, i) => {
        if (!allowed.has(s.column)) throw new ForbiddenError({ field: `sort.${i}.column`, message: `不能按授权范围外的数据项「${s.column}」排序`, messageEn: `Cannot sort on '${s.column}', outside the grant` });
      });
      take(g);
      const entry = await deps.entries.get(g.entry_id);
      const ds = await deps.ingest.datasetForEntry(g.entry_id);
      if (!entry || !ds) throw new NotFoundError({ field: "grantId", message: "授权的数据集还没有数据", messageEn: "The granted dataset has no data yet" });
      // The grant's row filter always applies, whatever the request says (after the request's own, so
      // an error in those names their index).
      const page = await deps.ingest.selectRows(ds.id, { columns, filters: [...body.filters, ...parsed<RowFilter[]>(g.row_filter)], q: body.q, sort: body.sort, limit: body.limit, offset: body.offset });
      const itemOf = new Map(entry.items.map((i) => [i.name, i]));
      const maskers = page.columns.map((c) => deps.maskerFor(entry.grade, entry.generalLevel, { name: c.name, type: c.type, sensitive: itemOf.get(c.name)?.sensitive ?? c.sensitive }));
      const rows = page.rows.map((r) => {
        const o: Record<string, RowValue> = {};
        page.columns.forEach((c, i) => {
          const v = r[c.name];
          o[c.name] = maskers[i] ? maskers[i]!(v == null ? null : String(v)) : v;
        });
        return o;
      });
      // Mask → watermark (the grant is the recipient) → digest, meter and record.
      const marked = deps.watermark
        ? await deps.watermark(rows, page.columns.map((c) => ({ name: c.name, type: c.type, key: c.key, sensitive: itemOf.get(c.name)?.sensitive ?? c.sensitive, length: itemOf.get(c.name)?.length })), g.id)
        : { rows, markedCells: 0 };
      const grantee = (await deps.orgNames()).get(g.grantee_org_id) ?? g.grantee_org_id;
      const day = shanghaiDay(now());
      const resultDigest = ledger.digest({ columns: page.columns.map((c) => c.name), rows: marked.rows });
      // Metering and the ledger entry (group-committed with other reads) go together; the answer waits for both.
      const [, { index }] = await Promise.all([
        db.insertInto("sharing_usage").values({ grant_id: g.id, day, requests: 1, rows: rows.length })
          .onConflict((oc) => oc.columns(["grant_id", "day"]).doUpdateSet({ requests: sql`sharing_usage.requests + 1`, rows: sql`sharing_usage.rows + ${rows.length}` })).execute(),
        ledger.record({
          kind: "sharing.delivery", subject: g.id, actor: u.userId, digest: resultDigest,
          data: {
            grantId: g.id, applicationId: g.application_id, entryId: g.entry_id, datasetId: ds.id, version: page.version, purpose: g.purpose, granteeOrgId: g.grantee_org_id,
            providerOrgId: g.provider_org_id, columns: page.columns.map((c) => c.name), masked: page.columns.filter((_, i) => maskers[i]).map((c) => c.name),
            filters: body.filters.length, q: body.q ? true : false, offset: body.offset, limit: body.limit, rows: rows.length, total: page.total,
            ...(deps.watermark ? { watermark: { recipient: g.id, label: `共享授权 ${g.id}（${grantee}）` }, markedCells: marked.markedCells } : {}),
          },
        }),
      ]);
      return {
        grantId: g.id, datasetId: ds.id, version: page.version, total: page.total, limit: body.limit, offset: body.offset,
        columns: page.columns.map((c, i) => ({ name: c.name, type: c.type, masked: !!maskers[i] })), rows: marked.rows, ledgerIndex: index,
        duckTypes: page.columns.map((c) => c.duckType),
      };
    },
    /** A delivered page as an XLSX or Parquet file (masked columns as text); the rows are the recorded ones. */
    async extractOf(r: QueryResult & { duckTypes?: string[] }, format: "xlsx" | "parquet"): Promise<Buffer> {
      if (!deps.extract) throw new InvalidError({ field: "format", message: "此部署不支持该格式", messageEn: "This format is not available here" });
      return deps.extract(format, r.columns.map((c, i) => ({ name: c.name, duckType: r.duckTypes?.[i] ?? "VARCHAR", masked: c.masked })), r.rows);
    },
  };

  async function visibleGrant(actor: Actor, id: string): Promise<GrantRow> {
    const u = user(actor);
    const g = await db.selectFrom("sharing_grants").selectAll().where("id", "=", id).executeTakeFirst();
    if (!g || !(g.grantee_org_id === u.orgId || g.provider_org_id === u.orgId || u.roles.includes("platform_admin") || u.roles.includes("regulator"))) throw notFoundGrant();
    return g;
  }

  return service;
}
export type SharingService = ReturnType<typeof createSharingService>;
