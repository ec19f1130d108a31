import type { Tx } from "../../core/db.ts";
import { ConflictError, DomainError, InvalidError, NotFoundError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { assertCan, can, type Actor } from "../policy/index.ts";
import type { ObjectionRef } from "./policies.ts";
import type { Masker, QualityDeps, SnapshotLike } from "./ports.ts";
import { qid, qlit } from "./rules.ts";
import {
  MAX_ATTACHMENT_BYTES, OBJECTION_STATUS_LABELS, OBJECTION_STEP_LABELS, type CorrectBody, type ObjectionDetail, type ObjectionView, type RaiseObjectionBody,
} from "./schema.ts";
import type { ScoringService } from "./service.ts";
import { json, qualityDb, type ObjectionStatus, type QualityTables } from "./store.ts";
import { addWorkingDays } from "../../core/workdays.ts";

type Row = QualityTables["quality_objections"];
type Patch = Partial<Omit<Row, "id">>;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
const link = (id: string) => `/objections/${id}`;
const refOf = (o: Row): ObjectionRef => ({ providerOrgId: o.provider_org_id, raisedBy: o.raised_by });
const notFound = () => new NotFoundError({ field: "id", message: "数据异议不存在", messageEn: "Objection not found" });

/** 数据异议 (RULES §4): 受理 → 核实 → 更正 | 驳回 → 反馈 → 关闭, deadlines in working days, every step in the ledger. */
export function createObjectionService(deps: QualityDeps, scoring: ScoringService) {
  const db = qualityDb(deps.db);
  const now = deps.now ?? (() => new Date());

  async function due(from: Date, stage: "accept" | "verify" | "reply") {
    const s = await scoring.settings();
    return addWorkingDays(from, s.deadlines[stage], { holidays: s.holidays, extraWorkdays: s.extraWorkdays });
  }

  async function datasetName(id: string) {
    try {
      return (await deps.ingest.getDataset(id)).name;
    } catch {
      return id;
    }
  }

  /**
   * The record key as the reader may see it: as stored for the provider department (which holds the
   * data), masked by the entry's grade for everyone else (the objector included), as the preview is.
   */
  type KeyMaskers = Map<string, Map<string, Masker>>;
  async function keyView(actor: Actor, o: Row, cache: KeyMaskers = new Map()): Promise<Record<string, string>> {
    const key = parse<Record<string, string>>(o.record_key);
    if (actor.kind === "user" && actor.orgId === o.provider_org_id) return key;
    let m = cache.get(o.dataset_id);
    if (!m) {
      const snap = await deps.ingest.current(o.dataset_id).catch(() => null);
      m = scoring.maskers(await deps.catalog.entryMeta(o.entry_id), snap?.columns ?? []);
      if (!snap) for (const k of Object.keys(key)) m.set(k, () => "***"); // columns unknown: show nothing
      cache.set(o.dataset_id, m);
    }
    return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, m.get(k)?.(v) ?? v]));
  }

  function present(o: Row, name: string, recordKey: Record<string, string>, at = now()): ObjectionView {
    return {
      id: o.id, dataset: { id: o.dataset_id, name }, providerOrgId: o.provider_org_id, version: o.version, recordKey,
      column: o.column_name, proposedValue: o.proposed_value, reason: o.reason, evidence: o.evidence,
      attachment: o.attachment_name ? { name: o.attachment_name, type: o.attachment_type ?? "application/octet-stream", size: o.attachment ? Buffer.from(o.attachment).length : 0 } : null,
      status: o.status, statusLabel: OBJECTION_STATUS_LABELS[o.status], resolution: o.resolution, resolutionNote: o.resolution_note, correctionVersion: o.correction_version,
      conflictId: o.conflict_id, raisedBy: o.raised_by, raisedOrgId: o.raised_org_id, dueAt: iso(o.due_at),
      overdue: o.status !== "closed" && o.status !== "escalated" && (o.overdue_stage === o.status || (!!o.due_at && new Date(o.due_at) < at)),
      escalatedAt: iso(o.escalated_at), createdAt: iso(o.created_at)!, updatedAt: iso(o.updated_at)!, closedAt: iso(o.closed_at),
    };
  }

  /**
   * One step: the ledger entry, the event row and the state change in ONE transaction, with the
   * notifications. The row is locked and its status checked first.
   */
  async function step(
    id: string,
    actor: Actor | null,
    s: { step: string; from: ObjectionStatus[]; note?: string | null; data?: Record<string, unknown>; patch: (o: Row) => Promise<Patch> | Patch; notify?: (o: Row, tx: Tx) => Promise<void> },
    insert?: Row,
  ): Promise<Row> {
    return deps.db.transaction().execute(async (tx) => {
      const t = qualityDb(tx);
      if (insert) await t.insertInto("quality_objections").values({ ...insert, record_key: json(insert.record_key) }).execute();
      const o = await t.selectFrom("quality_objections").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!o) throw notFound();
      if (!s.from.includes(o.status))
        throw new ConflictError({ field: "status", message: `数据异议当前为「${OBJECTION_STATUS_LABELS[o.status]}」，不能${OBJECTION_STEP_LABELS[s.step] ?? s.step}`, messageEn: `The objection is ${o.status}; '${s.step}' is not possible` });
      const at = now();
      const patch = { ...(await s.patch(o)), updated_at: at };
      const next = { ...o, ...patch } as Row;
      const actorId = actor?.kind === "user" ? actor.userId : null;
      const record = { type: "quality.objection", id, datasetId: o.dataset_id, recordKey: parse(o.record_key), column: o.column_name, step: s.step, status: next.status, resolution: next.resolution, note: s.note ?? null, data: s.data ?? null, at: at.toISOString() };
      const { index } = await deps.ledger.append(tx, {
        kind: `quality.objection.${s.step}`, subject: `objection:${id}`, actor: actorId, digest: deps.ledger.digest(record),
        data: { objectionId: id, datasetId: o.dataset_id, status: next.status, ...(s.data ?? {}) },
      });
      await t.insertInto("quality_objection_events").values({ id: newId("oev"), objection_id: id, step: s.step, actor: actorId, note: s.note ?? null, data: s.data ? json(s.data) : null, ledger_index: index, at }).execute();
      await t.updateTable("quality_objections").set(patch).where("id", "=", id).execute();
      await s.notify?.(next, tx);
      return next;
    });
  }

  const tellObjector = (title: string, body: string) => async (o: Row, tx: Tx) => {
    await deps.notify.notify(tx, { userId: o.raised_by, kind: "objection", title, body, link: link(o.id) });
  };
  const tellDepartment = (title: string, body: string) => async (o: Row, tx: Tx) => {
    await deps.notify.notify(tx, { orgId: o.provider_org_id, role: "data_officer", kind: "objection", title, body, link: link(o.id) });
  };

  async function load(actor: Actor, id: string, action = "quality.objection.read"): Promise<Row> {
    const o = await db.selectFrom("quality_objections").selectAll().where("id", "=", id).executeTakeFirst();
    if (!o || !can(actor, "quality.objection.read", refOf(o))) throw notFound();
    assertCan(actor, action, refOf(o));
    return o;
  }

  async function detail(actor: Actor, o: Row): Promise<ObjectionDetail> {
    const events = await db.selectFrom("quality_objection_events").selectAll().where("objection_id", "=", o.id).orderBy("at").orderBy("ledger_index").execute();
    const handle = can(actor, "quality.objection.handle", refOf(o));
    const respond = can(actor, "quality.objection.respond", refOf(o)) && actor.kind === "user" && actor.userId === o.raised_by;
    // The data items of the current version, for the department correcting a whole-record objection.
    const columns = handle && o.status === "verifying" ? ((await deps.ingest.current(o.dataset_id).catch(() => null))?.columns.map((c) => c.name) ?? []) : undefined;
    return {
      objection: present(o, await datasetName(o.dataset_id), await keyView(actor, o)),
      ...(columns ? { columns } : {}),
      events: events.map((e) => ({ step: e.step, label: OBJECTION_STEP_LABELS[e.step] ?? e.step, actor: e.actor, note: e.note, data: e.data === null ? null : parse(e.data), ledgerIndex: Number(e.ledger_index), at: iso(e.at)! })),
      can: {
        accept: handle && o.status === "submitted",
        correct: handle && o.status === "verifying",
        reject: handle && (o.status === "submitted" || o.status === "verifying"),
        confirm: respond && o.status === "replied",
        dispute: respond && o.status === "replied",
        decide: can(actor, "quality.objection.decide") && o.status === "escalated",
      },
    };
  }

  /** The authoritative source (一数一源 register) of a dataset's column when the column is a registered copy. */
  async function authorityOf(datasetId: string, column: string): Promise<{ concept: string; datasetId: string; datasetName: string; column: string; orgId: string } | null> {
    const r = await db.selectFrom("quality_source_copies as c").innerJoin("quality_sources as s", "s.id", "c.source_id")
      .select(["s.concept", "s.dataset_id", "s.column_name", "s.provider_org_id"]).where("c.dataset_id", "=", datasetId).where("c.column_name", "=", column).executeTakeFirst();
    if (!r) return null;
    return { concept: r.concept, datasetId: r.dataset_id, datasetName: await datasetName(r.dataset_id), column: r.column_name, orgId: r.provider_org_id };
  }

  /** The key values of the row a preview named ("v<version>.<position>"): only in the current version. */
  async function keyOfRow(snap: SnapshotLike, ref: string, keys: string[]): Promise<Record<string, string>> {
    const m = /^v(\d+)\.(\d+)$/.exec(ref)!;
    if (Number(m[1]) !== snap.version)
      throw new ConflictError({ field: "rowRef", message: "数据已更新为新版本，请刷新预览后再提出异议", messageEn: "The data has a newer version; reload the preview and raise the objection again" });
    if (!keys.length) throw new InvalidError({ field: "rowRef", message: "该数据集没有主键，无法指明记录", messageEn: "The dataset has no key items, so a record cannot be named" });
    const rows = await deps.lake.run(async (c) =>
      (await c.runAndReadAll(`SELECT ${keys.map((k) => `CAST(${qid(k)} AS VARCHAR) AS ${qid(k)}`).join(", ")} FROM ${snap.sqlRows} WHERE __rn = ${Number(m[2])}`)).getRowObjectsJson() as Record<string, string>[]);
    if (!rows.length) throw new InvalidError({ field: "rowRef", message: "当前版本中没有这条记录", messageEn: "No such record in the current version" });
    return rows[0];
  }

  async function checkRecord(relation: string, key: Record<string, string>, columns: string[]) {
    const where = Object.entries(key).map(([k, v]) => `CAST(${qid(k)} AS VARCHAR) = ${qlit(v)}`).join(" AND ");
    const n = await deps.lake.run(async (c) => Number(((await c.runAndReadAll(`SELECT count(*) AS n FROM ${relation} WHERE ${where}`)).getRowObjectsJson()[0] as { n: string }).n));
    if (n === 0) throw new InvalidError({ field: "recordKey", message: "当前版本中没有这条记录", messageEn: "No such record in the current version" });
    void columns;
  }

  return {
    async raise(actor: Actor, body: RaiseObjectionBody, opts: { conflictId?: string } = {}): Promise<ObjectionDetail> {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const ds = await deps.ingest.getDataset(body.datasetId).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === "not_found") throw new NotFoundError({ field: "datasetId", message: "数据集不存在", messageEn: "Dataset not found" });
        throw e;
      });
      const ref = await scoring.dataRef(ds);
      if (!can(actor, "quality.objection.raise", ref)) throw new NotFoundError({ field: "datasetId", message: "数据集不存在", messageEn: "Dataset not found" });
      const snap = await deps.ingest.current(ds.id);
      if (!snap) throw new ConflictError({ field: "datasetId", message: "数据集尚无数据", messageEn: "The dataset has no data yet" });
      const names = new Set(snap.columns.map((c) => c.name));
      const keys = snap.columns.filter((c) => c.key).map((c) => c.name);
      const recordKey = body.recordKey ?? (await keyOfRow(snap, body.rowRef!, keys));
      for (const k of Object.keys(recordKey)) if (!names.has(k)) throw new InvalidError({ field: `recordKey.${k}`, message: `数据项「${k}」不存在`, messageEn: `No data item '${k}'` });
      for (const k of keys) if (!(k in recordKey)) throw new InvalidError({ field: `recordKey.${k}`, message: `记录键须包含主键数据项「${k}」`, messageEn: `The record key must include key item '${k}'` });
      if (body.column && !names.has(body.column)) throw new InvalidError({ field: "column", message: `数据项「${body.column}」不存在`, messageEn: `No data item '${body.column}'` });
      if (body.recordKey) await checkRecord(snap.sql, recordKey, keys);
      let attachment: Buffer | null = null;
      if (body.attachment) {
        attachment = Buffer.from(body.attachment.dataBase64, "base64");
        if (attachment.length > MAX_ATTACHMENT_BYTES)
          throw new DomainError("too_large", 413, { field: "attachment", message: `附件过大（上限 ${MAX_ATTACHMENT_BYTES / 1024} KB）`, messageEn: `Attachment too large (limit ${MAX_ATTACHMENT_BYTES / 1024} KB)` });
      }
      const id = newId("obj");
      const at = now();
      const dueAt = await due(at, "accept");
      const row: Row = {
          id, dataset_id: ds.id, entry_id: ds.entryId, provider_org_id: ds.providerOrgId, version: snap.version, record_key: recordKey, column_name: body.column ?? null,
          proposed_value: body.proposedValue ?? null, reason: body.reason, evidence: body.evidence ?? null, attachment, attachment_name: body.attachment?.name ?? null,
          attachment_type: body.attachment?.type ?? null, status: "submitted", resolution: null, resolution_note: null, correction_version: null, conflict_id: opts.conflictId ?? null,
          raised_by: actor.userId, raised_org_id: actor.orgId, due_at: dueAt, overdue_stage: null, reminded_stage: null, escalated_at: null, created_at: at, updated_at: at, closed_at: null,
      };
      // 一数一源: when the field in doubt is a registered copy of another department's authoritative
      // source, that department is told too (the copy's holder handles the objection; the fix belongs at the source).
      const authority = body.column ? await authorityOf(ds.id, body.column) : null;
      const o = await step(id, actor, {
        step: "raised", from: ["submitted"], note: body.reason,
        data: { version: snap.version, column: body.column ?? null, dueAt: dueAt.toISOString(), conflictId: opts.conflictId ?? null, ...(authority ? { authority } : {}) },
        patch: () => ({}),
        notify: async (x, tx) => {
          await tellDepartment(`新的数据异议：${ds.name}`, `请在 ${dueAt.toISOString().slice(0, 10)} 前受理。理由：${body.reason}${authority ? `（该字段的权威来源为「${authority.datasetName}」，已同时告知其数源部门）` : ""}`)(x, tx);
          if (authority && authority.orgId !== x.provider_org_id)
            await deps.notify.notify(tx, { orgId: authority.orgId, role: "data_officer", kind: "objection", title: `一数一源：权威数据「${authority.concept}」收到异议`, body: `「${ds.name}」的「${body.column}」沿用贵部门的权威数据，收到异议：${body.reason}`, link: link(x.id) });
        },
      }, row);
      return detail(actor, o);
    },

    async list(actor: Actor, q: { scope: "mine" | "department" | "all"; status?: ObjectionStatus; datasetId?: string; limit: number }) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      let sel = db.selectFrom("quality_objections").selectAll();
      if (q.scope === "mine") sel = sel.where("raised_by", "=", actor.userId);
      else if (q.scope === "department") sel = sel.where("provider_org_id", "=", actor.orgId);
      else if (!can(actor, "quality.objection.decide") && !actor.roles.includes("regulator")) sel = sel.where((eb) => eb.or([eb("raised_by", "=", actor.userId), eb("provider_org_id", "=", actor.orgId)]));
      if (q.status) sel = sel.where("status", "=", q.status);
      if (q.datasetId) sel = sel.where("dataset_id", "=", q.datasetId);
      const rows = await sel.orderBy("created_at", "desc").limit(q.limit).execute();
      const names = new Map<string, string>();
      for (const r of rows) if (!names.has(r.dataset_id)) names.set(r.dataset_id, await datasetName(r.dataset_id));
      const cache: KeyMaskers = new Map();
      const items: ObjectionView[] = [];
      for (const r of rows) items.push(present(r, names.get(r.dataset_id)!, await keyView(actor, r, cache)));
      return { items };
    },

    async get(actor: Actor, id: string) {
      return detail(actor, await load(actor, id));
    },

    async attachment(actor: Actor, id: string) {
      const o = await load(actor, id);
      if (!o.attachment) throw new NotFoundError({ field: "attachment", message: "没有附件", messageEn: "No attachment" });
      return { name: o.attachment_name!, type: o.attachment_type ?? "application/octet-stream", data: Buffer.from(o.attachment) };
    },

    async accept(actor: Actor, id: string, note?: string) {
      const o0 = await load(actor, id, "quality.objection.handle");
      const dueAt = await due(now(), "verify");
      const o = await step(o0.id, actor, {
        step: "accepted", from: ["submitted"], note, data: { dueAt: dueAt.toISOString() },
        patch: () => ({ status: "verifying", due_at: dueAt, overdue_stage: null, reminded_stage: null }),
        notify: tellObjector("数据异议已受理", `源部门已受理，将在 ${dueAt.toISOString().slice(0, 10)} 前核实。${note ?? ""}`),
      });
      return detail(actor, o);
    },

    async correct(actor: Actor, id: string, body: CorrectBody) {
      const o0 = await load(actor, id, "quality.objection.handle");
      if (o0.status !== "verifying") throw new ConflictError({ field: "status", message: "只有受理后（核实中）的异议可以更正", messageEn: "Only an accepted objection (under verification) can be corrected" });
      const key = parse<Record<string, string>>(o0.record_key);
      const changes = body.changes?.map((c) => ({ key: c.key ?? key, column: c.column, value: c.value })) ??
        (o0.column_name ? [{ key, column: o0.column_name, value: o0.proposed_value }] : null);
      if (!changes) throw new InvalidError({ field: "changes", message: "针对整条记录的异议须给出要更正的数据项", messageEn: "Give the changes for an objection on a whole record" });
      // The correction makes a new snapshot (outside this module's transaction); the step records it.
      const snap = await deps.ingest.applyCorrections(actor, o0.dataset_id, { reason: body.note, ref: `objection:${id}`, changes });
      const dueAt = await due(now(), "reply");
      const o = await step(id, actor, {
        step: "corrected", from: ["verifying"], note: body.note, data: { version: snap.version, changes: changes.length, dueAt: dueAt.toISOString() },
        patch: () => ({ status: "replied", resolution: "corrected", resolution_note: body.note, correction_version: snap.version, due_at: dueAt, overdue_stage: null, reminded_stage: null }),
        notify: tellObjector("数据异议已更正", `已更正为新版本 v${snap.version}。请在 ${dueAt.toISOString().slice(0, 10)} 前确认或提出不同意见，逾期视为认可。${body.note}`),
      });
      return detail(actor, o);
    },

    async reject(actor: Actor, id: string, reason: string) {
      const o0 = await load(actor, id, "quality.objection.handle");
      const dueAt = await due(now(), "reply");
      const o = await step(o0.id, actor, {
        step: "rejected", from: ["submitted", "verifying"], note: reason, data: { dueAt: dueAt.toISOString() },
        patch: () => ({ status: "replied", resolution: "rejected", resolution_note: reason, due_at: dueAt, overdue_stage: null, reminded_stage: null }),
        notify: tellObjector("数据异议被驳回", `理由：${reason}。请在 ${dueAt.toISOString().slice(0, 10)} 前确认或提出不同意见，逾期视为认可。`),
      });
      return detail(actor, o);
    },

    async confirm(actor: Actor, id: string, note?: string) {
      const o0 = await load(actor, id, "quality.objection.respond");
      const o = await step(o0.id, actor, {
        step: "confirmed", from: ["replied"], note,
        patch: () => ({ status: "closed", closed_at: now(), due_at: null }),
        notify: tellDepartment("数据异议已关闭", `异议人已确认答复。${note ?? ""}`),
      });
      return detail(actor, o);
    },

    async dispute(actor: Actor, id: string, reason: string) {
      const o0 = await load(actor, id, "quality.objection.respond");
      const o = await step(o0.id, actor, {
        step: "disputed", from: ["replied"], note: reason,
        patch: () => ({ status: "escalated", escalated_at: now(), due_at: null }),
        notify: async (x, tx) => {
          await deps.notify.notify(tx, { role: "platform_admin", kind: "objection", title: "数据异议升级：异议人不认可答复", body: reason, link: link(x.id) });
          await tellDepartment("异议人不认可答复，已升级", reason)(x, tx);
        },
      });
      return detail(actor, o);
    },

    async decide(actor: Actor, id: string, decision: "uphold" | "reopen", note: string) {
      assertCan(actor, "quality.objection.decide");
      const o0 = await load(actor, id);
      const dueAt = decision === "reopen" ? await due(now(), "verify") : null;
      const o = await step(o0.id, actor, {
        step: decision === "reopen" ? "reopened" : "upheld", from: ["escalated"], note, data: dueAt ? { dueAt: dueAt.toISOString() } : undefined,
        patch: () => (decision === "reopen" ? { status: "verifying", resolution: null, due_at: dueAt, overdue_stage: null, reminded_stage: null } : { status: "closed", closed_at: now(), due_at: null }),
        notify: async (x, tx) => {
          const t = decision === "reopen" ? "数据管理部门裁决：重新核实" : "数据管理部门裁决：维持答复，异议关闭";
          await tellObjector(t, note)(x, tx);
          await tellDepartment(t, note)(x, tx);
        },
      });
      return detail(actor, o);
    },

    /**
     * Reminders and escalation (a timer in the server calls it; tests pass a clock): an open
     * objection within a day of its deadline reminds the department; past it, it is marked overdue,
     * the department is told and the data administration is alerted; a reply left unanswered past
     * its window closes.
     */
    async sweep(at: Date = now()) {
      const open = await db.selectFrom("quality_objections").selectAll().where("status", "in", ["submitted", "verifying", "replied"]).where("due_at", "is not", null)
        .where("due_at", "<", new Date(at.getTime() + 86_400_000)).execute();
      let reminded = 0, overdue = 0, closed = 0;
      for (const o of open) {
        const dueAt = new Date(o.due_at!);
        const stage = o.status;
        try {
          if (o.status === "replied" && dueAt < at) {
            await step(o.id, null, { step: "closed", from: ["replied"], note: "答复期满未提出不同意见，自动关闭", patch: () => ({ status: "closed", closed_at: at, due_at: null }), notify: async (x, tx) => {
              await tellObjector("数据异议已关闭", "答复期满未提出不同意见，自动关闭。")(x, tx);
              await tellDepartment("数据异议已关闭", "答复期满，自动关闭。")(x, tx);
            } });
            closed++;
          } else if (o.status !== "replied" && dueAt < at && o.overdue_stage !== stage) {
            await step(o.id, null, { step: "overdue", from: [stage], data: { stage, dueAt: dueAt.toISOString() }, patch: () => ({ overdue_stage: stage, escalated_at: at }), notify: async (x, tx) => {
              const what = stage === "submitted" ? "受理" : "核实";
              await tellDepartment(`数据异议${what}已逾期`, `期限 ${dueAt.toISOString().slice(0, 10)} 已过，已上报数据管理部门。`)(x, tx);
              await deps.notify.notify(tx, { role: "platform_admin", kind: "objection", title: `数据异议${what}逾期`, body: `源部门未在期限内${what}。`, link: link(x.id) });
            } });
            overdue++;
          } else if (o.status !== "replied" && dueAt >= at && o.reminded_stage !== stage) {
            await step(o.id, null, { step: "reminded", from: [stage], data: { stage, dueAt: dueAt.toISOString() }, patch: () => ({ reminded_stage: stage }), notify: tellDepartment("数据异议即将到期", `期限：${dueAt.toISOString().slice(0, 10)}`) });
            reminded++;
          }
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err; // changed meanwhile: the next sweep sees it
        }
      }
      return { reminded, overdue, closed };
    },

    /** Records under objection (异议中) of a dataset: flagged to consumers, still served. */
    async openKeys(actor: Actor, datasetId: string) {
      const rows = await db.selectFrom("quality_objections").selectAll().where("dataset_id", "=", datasetId).where("status", "<>", "closed").execute();
      const cache: KeyMaskers = new Map();
      const out: { objectionId: string; recordKey: Record<string, string>; column: string | null; status: string }[] = [];
      for (const r of rows) out.push({ objectionId: r.id, recordKey: await keyView(actor, r, cache), column: r.column_name, status: r.status });
      return out;
    },

    async openCountsByOrg(): Promise<Map<string, number>> {
      const rows = await db.selectFrom("quality_objections").select(["provider_org_id", (eb) => eb.fn.countAll<number>().as("n")]).where("status", "<>", "closed").groupBy("provider_org_id").execute();
      return new Map(rows.map((r) => [r.provider_org_id, Number(r.n)]));
    },
  };
}

export type ObjectionService = ReturnType<typeof createObjectionService>;
