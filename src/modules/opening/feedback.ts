import type { Db, Tx } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { addWorkingDays, shanghaiDay, type WorkCalendar } from "../../core/workdays.ts";
import { assertCan, can, hasRole, type Actor } from "../policy/index.ts";
import {
  DEFAULT_FEEDBACK_SETTINGS, FeedbackSettings, type AssignBody, type DemandAnswerBody, type DemandBody, type DemandsQuery, type Paged, type ReportAnswerBody, type ReportBody,
  type ReportsQuery, type RequestView, type StatsQuery,
} from "./feedback-schema.ts";
import { requestStats } from "./feedback-stats.ts";
import { feedbackStore, parsed, type RequestFilter, type RequestRow } from "./feedback-store.ts";
import type { RequestRef } from "./policies.ts";
import { openingDb } from "./store.ts";

/**
 * 数据需求 and 错误报告 (RULES §6.2 → §4), 接诉即办: the public asks, the data administration routes a
 * demand to a department (or answers it), the department answers in public within a working-day
 * deadline; an error report goes straight to the provider's data officers. Every state change is a
 * ledger entry in the same transaction as the change, with a notification to whoever must act next.
 * Times come from `clock` (tests move it).
 */

export interface NotifyPort {
  notify(tx: Tx | Db, n: { userId?: string; orgId?: string; role?: string; kind: string; title: string; body: string; link?: string }): Promise<{ id: string }>;
}
export interface FeedbackLedgerPort {
  append(tx: Tx, entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  digest(value: unknown): string;
}
/** What the requests need of the open catalog (the opening service gives it). */
export interface FeedbackDeps {
  db: Db;
  ledger: FeedbackLedgerPort;
  /** Absent: no notifications (a module booted alone). */
  notify?: NotifyPort;
  orgNames(): Promise<Map<string, string>>;
  /** One organisation's name, uncached; null: no such organisation. */
  orgName(id: string): Promise<string | null>;
  /** A published catalog entry of any open type (a demand may concern data that is not open yet). */
  catalogEntry(entryId: string): Promise<{ id: string; code: string; name: string; providerOrgId: string } | null>;
  /** An open dataset by entry id, CKAN name or dataset id (NotFound otherwise). */
  resolve(idOrName: string): Promise<{ id: string; code: string; name: string; providerOrgId: string; content: { name: string; items: { name: string }[] } }>;
  datasetForEntry(entryId: string): Promise<{ id: string; currentVersion: number | null } | null>;
  clock: { now(): Date };
}

type U = Extract<Actor, { kind: "user" }>;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const userOf = (a: Actor): U => {
  if (a.kind !== "user") throw new UnauthenticatedError();
  return a;
};
const refOf = (r: RequestRow): RequestRef => ({ deptOrgId: r.dept_org_id, submitterUserId: r.submitter_user_id });
const LABEL = { demand: "数据需求", report: "数据错误报告" } as const;
const link = (r: { kind: "demand" | "report"; id: string }) => `/open/${r.kind === "demand" ? "demands" : "reports"}/${r.id}`;
const notFound = (kind: "demand" | "report") =>
  new NotFoundError({ field: "id", message: `${LABEL[kind]}不存在`, messageEn: kind === "demand" ? "Demand request not found" : "Error report not found" });
/** A `dataset` query parameter → the open entry; NotFound naming the parameter. */
export async function datasetParam<T>(resolve: (idOrName: string) => Promise<T>, ref: string): Promise<T> {
  try {
    return await resolve(ref);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError({ field: "dataset", message: "开放数据集不存在", messageEn: "No such open dataset" });
    throw err;
  }
}

/** The name shown for answers given, and unassigned demands held, by the data administration. */
export const ADMINISTRATION = "数据管理部门";

/**
 * Contact data typed into public text (mobile numbers, 身份证号, e-mail addresses) is masked in public
 * views, as protection masks them (hutool's rules: 3+4 digits of a mobile, 1+2 of an ID number).
 */
export function redactContacts(s: string): string;
export function redactContacts(s: string | null): string | null;
export function redactContacts(s: string | null): string | null {
  if (!s) return s;
  return s
    .replace(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, (m) => `${m[0]}${"*".repeat(15)}${m.slice(-2)}`)
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`)
    .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, "$1****@$2");
}

export function createOpenRequests(deps: FeedbackDeps) {
  const { db, ledger } = deps;
  const store = feedbackStore(openingDb(db));
  const now = () => deps.clock.now();
  const notify = async (tx: Tx | Db, n: Parameters<NotifyPort["notify"]>[1]) => {
    await deps.notify?.notify(tx, n);
  };

  async function settings(): Promise<FeedbackSettings> {
    const v = await store.setting("feedback");
    return v ? FeedbackSettings.parse(parsed(v)) : DEFAULT_FEEDBACK_SETTINGS;
  }
  const calendar = (s: FeedbackSettings): WorkCalendar => ({ holidays: s.holidays, extraWorkdays: s.extraWorkdays });

  // ---------------------------------------------------------------- presenter
  async function present(r: RequestRow, actor: Actor, at = now()): Promise<RequestView> {
    const names = await deps.orgNames();
    const answered = r.status === "answered" && !!r.answered_at;
    const view: RequestView = {
      id: r.id, kind: r.kind, title: redactContacts(r.title), description: redactContacts(r.description), intendedUse: redactContacts(r.intended_use),
      entry: r.entry_id ? { id: r.entry_id, code: r.entry_code, name: r.entry_name } : null, datasetId: r.dataset_id, dataVersion: r.data_version,
      item: r.item, rowRef: redactContacts(r.row_ref),
      requestedOrg: r.target_org_id ? { id: r.target_org_id, name: names.get(r.target_org_id) ?? null } : null,
      department: r.dept_org_id ? { id: r.dept_org_id, name: names.get(r.dept_org_id) ?? null } : null,
      status: r.status, dueAt: iso(r.due_at)!,
      overdue: !answered && new Date(r.due_at).getTime() < at.getTime(),
      answeredOnTime: answered ? new Date(r.answered_at!).getTime() <= new Date(r.due_at).getTime() : null,
      answer: answered
        ? {
            outcome: r.outcome!, plan: redactContacts(r.plan), plannedDate: r.planned_date, url: r.answer_url, reason: redactContacts(r.reason), note: redactContacts(r.note),
            fixedVersion: r.fixed_version, answeredAt: iso(r.answered_at)!, fulfilledAt: iso(r.fulfilled_at),
            by: { orgId: r.answered_org_id, name: (r.answered_org_id ? names.get(r.answered_org_id) : null) ?? ADMINISTRATION },
          }
        : null,
      createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
    };
    if (actor.kind === "user" && can(actor, "open.feedback.private", refOf(r)))
      view.private = {
        submitter: r.submitter_user_id || r.submitter_org_id
          ? { userId: r.submitter_user_id, name: r.submitter_name, orgId: r.submitter_org_id }
          : null,
        contact: r.contact, assignNote: r.assign_note,
      };
    return view;
  }

  async function load(kind: "demand" | "report", id: string): Promise<RequestRow> {
    const r = await store.request(id);
    if (!r || r.kind !== kind) throw notFound(kind);
    return r;
  }

  /** One state change: the row update (only from `from`), its ledger entry and notifications, in one transaction. */
  async function step(r: RequestRow, from: RequestRow["status"][], set: Partial<RequestRow>, entry: { kind: string; actor: string | null; data: Record<string, unknown>; digest?: string }, notes: (tx: Tx) => Promise<unknown>) {
    await db.transaction().execute(async (tx) => {
      const ok = await feedbackStore(openingDb(tx)).updateRequest(r.id, from, set);
      if (!ok) throw new ConflictError({ field: "id", message: `${LABEL[r.kind]}刚被处理过，请刷新后再试`, messageEn: "It was just changed by someone else; reload and retry" });
      await ledger.append(tx, { kind: entry.kind, subject: r.id, actor: entry.actor, ...(entry.digest ? { digest: entry.digest } : {}), data: { id: r.id, ...entry.data } });
      await notes(tx);
    });
    return (await store.request(r.id))!;
  }

  async function insert(row: RequestRow, entry: { kind: string; data: Record<string, unknown> }, notes: (tx: Tx) => Promise<unknown>) {
    await db.transaction().execute(async (tx) => {
      const { index } = await ledger.append(tx, {
        kind: entry.kind, subject: row.id, actor: row.submitter_user_id,
        digest: ledger.digest({ title: row.title, description: row.description, intendedUse: row.intended_use, item: row.item, rowRef: row.row_ref }),
        data: { id: row.id, ...entry.data },
      });
      await feedbackStore(openingDb(tx)).insertRequest({ ...row, ledger_index: index });
      await notes(tx);
    });
  }

  function baseRow(kind: "demand" | "report", at: Date, due: Date, actor: Actor): RequestRow {
    const u = actor.kind === "user" ? actor : null;
    return {
      id: newId(kind === "demand" ? "odm" : "orp"), kind, title: "", description: "", intended_use: null, entry_id: null, entry_code: null, entry_name: null, dataset_id: null,
      data_version: null, item: null, row_ref: null, target_org_id: null, dept_org_id: null, submitter_user_id: u?.userId ?? null, submitter_org_id: u?.orgId ?? null,
      submitter_name: u?.displayName ?? null, contact: null, status: "submitted", outcome: null, plan: null, planned_date: null, answer_url: null, reason: null, note: null,
      fixed_version: null, answered_by: null, answered_org_id: null, answered_at: null, fulfilled_at: null, assigned_by: null, assigned_at: null, assign_note: null,
      due_at: due, overdue_notified_at: null, created_at: at, updated_at: at, ledger_index: null,
    };
  }

  async function list(actor: Actor, kind: "demand" | "report", q: DemandsQuery | ReportsQuery, entryId?: string): Promise<Paged<RequestView>> {
    const at = now();
    const f: RequestFilter = { kind, status: q.status, outcome: q.outcome, deptOrgId: q.org, entryId };
    if (q.overdue) f.overdueAt = { at, overdue: q.overdue === "true" };
    if (q.view === "mine") f.submitterUserId = userOf(actor).userId;
    if (q.view === "queue") {
      assertCan(actor, "open.feedback.queue");
      f.open = true;
      f.queueOrgId = hasRole(actor, "platform_admin") ? null : userOf(actor).orgId;
    }
    const { rows, total } = await store.requests(f, q);
    return { total, page: q.page, pageSize: q.pageSize, items: await Promise.all(rows.map((r) => present(r, actor, at))) };
  }

  const service = {
    settings,
    async putSettings(actor: Actor, s: FeedbackSettings): Promise<FeedbackSettings> {
      assertCan(actor, "open.feedback.settings.edit");
      const v = FeedbackSettings.parse(s);
      await store.putSetting("feedback", v, userOf(actor).userId, now());
      return v;
    },

    // ---------------------------------------------------------------- 数据需求
    async createDemand(actor: Actor, body: DemandBody): Promise<RequestView> {
      assertCan(actor, "open.demand.create");
      const u = userOf(actor);
      if (body.orgId && !(await deps.orgName(body.orgId))) throw new InvalidError({ field: "orgId", message: "部门不存在", messageEn: "No such department" });
      const entry = body.entryId ? await deps.catalogEntry(body.entryId) : null;
      if (body.entryId && !entry) throw new InvalidError({ field: "entryId", message: "目录条目不存在或未发布", messageEn: "No such published catalog entry" });
      const at = now();
      const s = await settings();
      const row: RequestRow = {
        ...baseRow("demand", at, addWorkingDays(at, s.demandDays, calendar(s)), u), title: body.title, description: body.description, intended_use: body.intendedUse,
        entry_id: entry?.id ?? null, entry_code: entry?.code ?? null, entry_name: entry?.name ?? null, target_org_id: body.orgId ?? entry?.providerOrgId ?? null,
      };
      await insert(row, { kind: "open.demand.submitted", data: { entryId: row.entry_id, targetOrgId: row.target_org_id, dueAt: iso(row.due_at) } }, (tx) =>
        notify(tx, { role: "platform_admin", kind: "open.demand", title: `新的数据需求：${body.title}`, body: `请于 ${shanghaiDay(row.due_at)} 前分派到部门或直接答复。${cut(body.description, 200)}`, link: link(row) }),
      );
      return present(row, actor, at);
    },

    /** The data administration routes a demand to the department that holds (or should open) the data. */
    async assignDemand(actor: Actor, id: string, body: AssignBody): Promise<RequestView> {
      assertCan(actor, "open.demand.assign");
      const u = userOf(actor);
      const r = await load("demand", id);
      if (r.status === "answered") throw new ConflictError({ field: "id", message: "该需求已答复，不能再分派", messageEn: "The demand is already answered" });
      if (r.dept_org_id === body.orgId) throw new ConflictError({ field: "orgId", message: "该需求已分派给该部门", messageEn: "Already assigned to that department" });
      const orgName = await deps.orgName(body.orgId);
      if (!orgName) throw new InvalidError({ field: "orgId", message: "部门不存在", messageEn: "No such department" });
      const at = now();
      const next = await step(r, ["submitted", "assigned"], { status: "assigned", dept_org_id: body.orgId, assigned_by: u.userId, assigned_at: at, assign_note: body.note ?? null, updated_at: at },
        { kind: "open.demand.assigned", actor: u.userId, data: { orgId: body.orgId, ...(r.dept_org_id ? { previousOrgId: r.dept_org_id } : {}) } },
        async (tx) => {
          await notify(tx, { orgId: body.orgId, role: "data_officer", kind: "open.demand", title: `待答复的数据需求：${r.title}`, body: `请于 ${shanghaiDay(r.due_at)} 前公开答复。${body.note ?? ""}`, link: link(r) });
          if (r.submitter_user_id)
            await notify(tx, { userId: r.submitter_user_id, kind: "open.demand", title: `你的数据需求已转交${orgName}`, body: r.title, link: link(r) });
        });
      return present(next, actor);
    },

    /** The public answer: accepted (plan, date), available (link) or declined (reason); an accepted one may later become available. */
    async answerDemand(actor: Actor, id: string, body: DemandAnswerBody): Promise<RequestView> {
      const u = userOf(actor);
      const r = await load("demand", id);
      assertCan(actor, "open.demand.answer", refOf(r));
      const fulfil = r.status === "answered";
      if (fulfil && !(r.outcome === "accepted" && body.outcome === "available"))
        throw new ConflictError({ field: "outcome", message: "该需求已答复；已受理的需求只能再答复为「已可获取」", messageEn: "Already answered; an accepted demand can only be answered 'available' later" });
      const at = now();
      if (body.outcome === "accepted" && body.plannedDate! < shanghaiDay(at))
        throw new InvalidError({ field: "plannedDate", message: "计划开放日期不能早于今天", messageEn: "The planned date is in the past" });
      const set: Partial<RequestRow> = {
        status: "answered", outcome: body.outcome, plan: body.plan ?? (fulfil ? r.plan : null), planned_date: body.plannedDate ?? (fulfil ? r.planned_date : null), answer_url: body.url ?? null,
        reason: body.reason ?? null, note: body.note ?? null, answered_by: u.userId, answered_org_id: u.orgId, updated_at: at,
        ...(fulfil ? { fulfilled_at: at } : { answered_at: at }),
      };
      const onTime = fulfil ? undefined : at.getTime() <= new Date(r.due_at).getTime();
      const next = await step(r, fulfil ? ["answered"] : ["submitted", "assigned"], set,
        {
          kind: fulfil ? "open.demand.fulfilled" : "open.demand.answered", actor: u.userId, digest: ledger.digest({ plan: set.plan, url: set.answer_url, reason: set.reason, note: set.note }),
          data: { outcome: body.outcome, ...(body.plannedDate ? { plannedDate: body.plannedDate } : {}), ...(onTime !== undefined ? { onTime } : {}), orgId: u.orgId },
        },
        async (tx) => {
          if (r.submitter_user_id)
            await notify(tx, { userId: r.submitter_user_id, kind: "open.demand", title: `你的数据需求已答复：${r.title}`, body: { accepted: "已受理，计划开放", available: "数据已可获取", declined: "暂不予开放" }[body.outcome], link: link(r) });
          if (r.dept_org_id && r.dept_org_id !== u.orgId)
            await notify(tx, { orgId: r.dept_org_id, role: "data_officer", kind: "open.demand", title: `数据需求已由${ADMINISTRATION}答复：${r.title}`, body: "无需再答复。", link: link(r) });
        });
      return present(next, actor);
    },

    // ---------------------------------------------------------------- 错误报告
    /** Anyone reports a problem in an open dataset; it goes to the provider's data officers. */
    async createReport(actor: Actor, body: ReportBody): Promise<RequestView> {
      assertCan(actor, "open.report.create");
      const e = await deps.resolve(body.dataset).catch((err) => {
        if (err instanceof NotFoundError) throw new InvalidError({ field: "dataset", message: "开放数据集不存在", messageEn: "No such open dataset" });
        throw err;
      });
      if (body.item && !e.content.items.some((i) => i.name === body.item))
        throw new InvalidError({ field: "item", message: `数据集没有数据项「${body.item}」`, messageEn: `The dataset has no data item '${body.item}'` });
      const ds = await deps.datasetForEntry(e.id);
      const at = now();
      const s = await settings();
      const row: RequestRow = {
        ...baseRow("report", at, addWorkingDays(at, s.reportDays, calendar(s)), actor), title: `「${e.content.name}」${body.item ? `数据项「${body.item}」` : ""}数据问题`,
        description: body.description, entry_id: e.id, entry_code: e.code, entry_name: e.content.name, dataset_id: ds?.id ?? null, data_version: ds?.currentVersion ?? null,
        item: body.item ?? null, row_ref: body.rowRef ?? null, dept_org_id: e.providerOrgId, contact: body.contact ?? null,
      };
      await insert(row, { kind: "open.report.submitted", data: { entryId: e.id, datasetId: row.dataset_id, version: row.data_version, item: row.item, anonymous: actor.kind !== "user", dueAt: iso(row.due_at) } }, (tx) =>
        notify(tx, { orgId: e.providerOrgId, role: "data_officer", kind: "open.report", title: `开放数据错误报告：「${e.content.name}」`, body: `请于 ${shanghaiDay(row.due_at)} 前核实并公开答复。${cut(body.description, 200)}`, link: link(row) }),
      );
      return present(row, actor, at);
    },

    /** The provider answers: fixed (optionally naming the version with the fix) or not an error (with a reason). */
    async answerReport(actor: Actor, id: string, body: ReportAnswerBody): Promise<RequestView> {
      const u = userOf(actor);
      const r = await load("report", id);
      assertCan(actor, "open.report.answer", refOf(r));
      if (r.status === "answered") throw new ConflictError({ field: "id", message: "该错误报告已答复", messageEn: "The report is already answered" });
      if (body.version !== undefined) {
        const ds = r.entry_id ? await deps.datasetForEntry(r.entry_id) : null;
        if (!ds || ds.currentVersion == null || body.version > ds.currentVersion || (r.data_version != null && body.version <= r.data_version))
          throw new InvalidError({ field: "version", message: `版本 ${body.version} 不是报告之后发布的版本`, messageEn: `Version ${body.version} is not a version published after the report` });
      }
      const at = now();
      const onTime = at.getTime() <= new Date(r.due_at).getTime();
      const next = await step(r, ["submitted"], {
        status: "answered", outcome: body.outcome, note: body.note ?? null, reason: body.reason ?? null, fixed_version: body.version ?? null,
        answer_url: body.version !== undefined && r.entry_id ? `/open/datasets/${r.entry_id}?version=${body.version}` : null,
        answered_by: u.userId, answered_org_id: u.orgId, answered_at: at, updated_at: at,
      }, {
        kind: "open.report.answered", actor: u.userId, digest: ledger.digest({ note: body.note ?? null, reason: body.reason ?? null }),
        data: { outcome: body.outcome, entryId: r.entry_id, ...(body.version !== undefined ? { version: body.version } : {}), onTime, orgId: u.orgId },
      }, async (tx) => {
        if (r.submitter_user_id)
          await notify(tx, { userId: r.submitter_user_id, kind: "open.report", title: `你报告的数据问题已答复：「${r.entry_name}」`, body: body.outcome === "fixed" ? "已更正" : "经核实不是错误", link: link(r) });
      });
      return present(next, actor);
    },

    // ---------------------------------------------------------------- reads
    async get(actor: Actor, kind: "demand" | "report", id: string): Promise<RequestView> {
      assertCan(actor, "open.feedback.read");
      return present(await load(kind, id), actor);
    },
    demands: (actor: Actor, q: DemandsQuery) => list(actor, "demand", q),
    async reports(actor: Actor, q: ReportsQuery) {
      const entryId = q.dataset ? (await datasetParam(deps.resolve, q.dataset)).id : undefined;
      return list(actor, "report", q, entryId);
    },

    /** 接诉即办 figures over the last 30, 90 or 365 days, for the city and per department. */
    async stats(q: StatsQuery) {
      const at = now();
      const s = await settings();
      const from = new Date(at.getTime() - q.days * 86_400_000);
      const rows = await store.statsRows(from, at, q.org);
      return requestStats({ rows, at, calendar: calendar(s), names: await deps.orgNames(), days: q.days, from, org: q.org, deadlines: { demandDays: s.demandDays, reportDays: s.reportDays } });
    },

    /**
     * Flag what is past its deadline and still unanswered: a ledger entry and a notification to the
     * department (or, for an unassigned demand, the data administration) and to the administration
     * (escalation). Each request is flagged once.
     */
    async sweep(at: Date = now()): Promise<{ flagged: string[] }> {
      const flagged: string[] = [];
      for (const r of await store.newlyOverdue(at)) {
        await db.transaction().execute(async (tx) => {
          const ok = await feedbackStore(openingDb(tx)).updateRequest(r.id, [r.status], { overdue_notified_at: at });
          if (!ok) return; // answered meanwhile
          await ledger.append(tx, { kind: `open.${r.kind}.overdue`, subject: r.id, actor: null, data: { id: r.id, dueAt: iso(r.due_at), deptOrgId: r.dept_org_id, status: r.status } });
          const title = `${LABEL[r.kind]}逾期未答复：${r.title}`;
          if (r.dept_org_id) await notify(tx, { orgId: r.dept_org_id, role: "data_officer", kind: `open.${r.kind}.overdue`, title, body: `答复期限 ${shanghaiDay(r.due_at)} 已过，请尽快公开答复。`, link: link(r) });
          await notify(tx, { role: "platform_admin", kind: `open.${r.kind}.overdue`, title, body: r.dept_org_id ? "已逾期，提请数据管理部门督办。" : "尚未分派，已逾期。", link: link(r) });
          flagged.push(r.id);
        });
      }
      return { flagged };
    },
    startSweeper(opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}): () => void {
      const t = setInterval(() => void service.sweep().catch((e) => opts.onError?.(e)), opts.intervalMs ?? 10 * 60_000);
      t.unref();
      return () => clearInterval(t);
    },
  };
  return service;
}
export type OpenRequests = ReturnType<typeof createOpenRequests>;
