import { ConflictError, InvalidError, NotFoundError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { assertCan, can, hasRole, type Actor } from "../policy/index.ts";
import type { Masker, QualityDeps, SnapshotLike } from "./ports.ts";
import { qid, qlit } from "./rules.ts";
import type { ConflictView, CopyBody, SourceBody, SourceView } from "./schema.ts";
import type { ObjectionService } from "./objections.ts";
import type { ScoringService } from "./service.ts";
import { json, qualityDb, type QualityTables } from "./store.ts";

type SourceRow = QualityTables["quality_sources"];
type ConflictRow = QualityTables["quality_conflicts"];
interface StoredValue { datasetId: string; datasetName: string; version: number; providerOrgId: string; value: string | null; masked: string | null; authoritative: boolean }
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
/** Conflicts kept per check (the count is exact; the list is capped). */
const MAX_CONFLICTS = 5000;

/** 一数一源 register and 多源校核 (RULES §3.4). */
export function createSourceService(deps: QualityDeps, scoring: ScoringService, objections: ObjectionService) {
  const db = qualityDb(deps.db);
  const now = deps.now ?? (() => new Date());
  const userOf = (a: Actor) => (a.kind === "user" ? a.userId : null);

  async function column(datasetId: string, names: string[], field: string) {
    const ds = await deps.ingest.getDataset(datasetId).catch(() => {
      throw new InvalidError({ field: `${field}datasetId`, message: "数据集不存在", messageEn: "Dataset not found" });
    });
    const snap = await deps.ingest.current(ds.id);
    if (!snap) throw new ConflictError({ field: `${field}datasetId`, message: `数据集「${ds.name}」尚无数据`, messageEn: `Dataset '${ds.name}' has no data yet` });
    for (const n of names) if (!snap.columns.some((c) => c.name === n)) throw new InvalidError({ field: `${field}column`, message: `数据集「${ds.name}」没有数据项「${n}」`, messageEn: `Dataset '${ds.name}' has no item '${n}'` });
    return { ds, snap };
  }

  async function present(s: SourceRow): Promise<SourceView> {
    const copies = await db.selectFrom("quality_source_copies").selectAll().where("source_id", "=", s.id).orderBy("dataset_id").execute();
    const name = async (id: string) => (await deps.ingest.getDataset(id).catch(() => ({ name: id }))).name;
    return {
      id: s.id, concept: s.concept, dataset: { id: s.dataset_id, name: await name(s.dataset_id) }, column: s.column_name, keyColumn: s.key_column, providerOrgId: s.provider_org_id, note: s.note,
      copies: await Promise.all(copies.map(async (c) => ({ dataset: { id: c.dataset_id, name: await name(c.dataset_id) }, column: c.column_name, keyColumn: c.key_column, providerOrgId: c.provider_org_id }))),
      updatedAt: iso(s.updated_at)!,
    };
  }

  async function loadSource(id: string) {
    const s = await db.selectFrom("quality_sources").selectAll().where("id", "=", id).executeTakeFirst();
    if (!s) throw new NotFoundError({ field: "id", message: "一数一源登记不存在", messageEn: "Source register entry not found" });
    return s;
  }

  function presentConflict(actor: Actor, c: ConflictRow, concept: string): ConflictView {
    const raw = hasRole(actor, "platform_admin") || (actor.kind === "user" && actor.orgId === c.authoritative_org_id);
    return {
      id: c.id, crosscheckId: c.crosscheck_id, sourceId: c.source_id, concept, authoritativeOrgId: c.authoritative_org_id, key: raw ? c.key_value : c.key_masked,
      values: parse<StoredValue[]>(c.values).map((v) => ({ datasetId: v.datasetId, datasetName: v.datasetName, version: v.version, providerOrgId: v.providerOrgId, value: raw ? v.value : v.masked, authoritative: v.authoritative })),
      status: c.status, resolutionNote: c.resolution_note, objectionId: c.objection_id, createdAt: iso(c.created_at)!,
    };
  }

  async function maskerOf(snap: SnapshotLike, col: string): Promise<Masker> {
    const c = snap.columns.find((x) => x.name === col)!;
    return scoring.maskers(await deps.catalog.entryMeta(snap.entryId), [c]).get(col) ?? ((v) => v);
  }

  const side = (snap: SnapshotLike, key: string, col: string) =>
    `SELECT CAST(${qid(key)} AS VARCHAR) AS k, first(nullif(trim(CAST(${qid(col)} AS VARCHAR)), '')) AS v FROM ${snap.sql} WHERE ${qid(key)} IS NOT NULL GROUP BY 1`;

  return {
    async list() {
      const rows = await db.selectFrom("quality_sources").selectAll().orderBy("concept").execute();
      return { items: await Promise.all(rows.map(present)) };
    },

    async register(actor: Actor, body: SourceBody) {
      assertCan(actor, "quality.sources.manage");
      const { ds } = await column(body.datasetId, [body.column, body.keyColumn], "");
      if (await db.selectFrom("quality_sources").select("id").where("concept", "=", body.concept).executeTakeFirst())
        throw new ConflictError({ field: "concept", message: `「${body.concept}」已登记权威来源（一数一源）`, messageEn: `'${body.concept}' already has an authoritative source` });
      const id = newId("qsrc");
      await deps.db.transaction().execute(async (tx) => {
        const at = now();
        await qualityDb(tx).insertInto("quality_sources").values({ id, concept: body.concept, dataset_id: ds.id, column_name: body.column, key_column: body.keyColumn, provider_org_id: ds.providerOrgId, note: body.note ?? null, created_by: userOf(actor), created_at: at, updated_at: at }).execute();
        await deps.ledger.append(tx, { kind: "quality.source.registered", subject: `source:${body.concept}`, actor: userOf(actor), digest: deps.ledger.digest({ concept: body.concept, datasetId: ds.id, column: body.column, keyColumn: body.keyColumn }), data: { sourceId: id, datasetId: ds.id, column: body.column } });
      });
      return present(await loadSource(id));
    },

    async update(actor: Actor, id: string, body: SourceBody) {
      assertCan(actor, "quality.sources.manage");
      const s = await loadSource(id);
      const { ds } = await column(body.datasetId, [body.column, body.keyColumn], "");
      const other = await db.selectFrom("quality_sources").select("id").where("concept", "=", body.concept).where("id", "<>", id).executeTakeFirst();
      if (other) throw new ConflictError({ field: "concept", message: `「${body.concept}」已登记权威来源（一数一源）`, messageEn: `'${body.concept}' already has an authoritative source` });
      await deps.db.transaction().execute(async (tx) => {
        await qualityDb(tx).updateTable("quality_sources").set({ concept: body.concept, dataset_id: ds.id, column_name: body.column, key_column: body.keyColumn, provider_org_id: ds.providerOrgId, note: body.note ?? null, updated_at: now() }).where("id", "=", id).execute();
        await qualityDb(tx).deleteFrom("quality_source_copies").where("source_id", "=", id).where("dataset_id", "=", ds.id).execute();
        await deps.ledger.append(tx, { kind: "quality.source.changed", subject: `source:${body.concept}`, actor: userOf(actor), digest: deps.ledger.digest({ concept: body.concept, datasetId: ds.id, column: body.column, keyColumn: body.keyColumn, previous: { datasetId: s.dataset_id, column: s.column_name } }), data: { sourceId: id, datasetId: ds.id, column: body.column } });
      });
      return present(await loadSource(id));
    },

    async addCopy(actor: Actor, id: string, body: CopyBody) {
      assertCan(actor, "quality.sources.manage");
      const s = await loadSource(id);
      if (body.datasetId === s.dataset_id) throw new InvalidError({ field: "datasetId", message: "副本不能是权威来源本身", messageEn: "A copy cannot be the authoritative source itself" });
      const { ds } = await column(body.datasetId, [body.column, body.keyColumn], "");
      await db.insertInto("quality_source_copies").values({ source_id: id, dataset_id: ds.id, column_name: body.column, key_column: body.keyColumn, provider_org_id: ds.providerOrgId })
        .onConflict((oc) => oc.columns(["source_id", "dataset_id"]).doUpdateSet({ column_name: body.column, key_column: body.keyColumn })).execute();
      return present(s);
    },

    async removeCopy(actor: Actor, id: string, datasetId: string) {
      assertCan(actor, "quality.sources.manage");
      const s = await loadSource(id);
      await db.deleteFrom("quality_source_copies").where("source_id", "=", id).where("dataset_id", "=", datasetId).execute();
      return present(s);
    },

    /** 多源校核: compare the item across the authoritative source and its copies by key; store and send the conflicts. */
    async crosscheck(actor: Actor, id: string) {
      const s = await loadSource(id);
      assertCan(actor, "quality.crosscheck.run", { authoritativeOrgId: s.provider_org_id });
      const copies = await db.selectFrom("quality_source_copies").selectAll().where("source_id", "=", id).execute();
      if (!copies.length) throw new ConflictError({ field: "copies", message: "尚未登记副本数据集，无法校核", messageEn: "No copies registered to compare" });
      const authDs = await deps.ingest.getDataset(s.dataset_id);
      const auth = await deps.ingest.current(s.dataset_id);
      if (!auth) throw new ConflictError({ field: "datasetId", message: "权威来源尚无数据", messageEn: "The authoritative source has no data" });
      const authMask = await maskerOf(auth, s.column_name);
      const keyMask = await maskerOf(auth, s.key_column);
      const byKey = new Map<string, StoredValue[]>();
      const compared: { datasetId: string; version: number; keysCompared: number; conflicts: number }[] = [];
      for (const c of copies) {
        const snap = await deps.ingest.current(c.dataset_id);
        if (!snap || !snap.columns.some((x) => x.name === c.column_name) || !snap.columns.some((x) => x.name === c.key_column)) continue;
        const ds = await deps.ingest.getDataset(c.dataset_id);
        const mask = await maskerOf(snap, c.column_name);
        const base = `WITH a AS (${side(auth, s.key_column, s.column_name)}), b AS (${side(snap, c.key_column, c.column_name)})`;
        const { counts, rows } = await deps.lake.run(async (conn) => ({
          counts: (await conn.runAndReadAll(`${base} SELECT count(*) AS n, count(*) FILTER (WHERE a.v IS DISTINCT FROM b.v) AS x FROM a JOIN b USING (k)`)).getRowObjectsJson()[0] as { n: string; x: string },
          rows: (await conn.runAndReadAll(`${base} SELECT a.k, a.v AS va, b.v AS vb FROM a JOIN b USING (k) WHERE a.v IS DISTINCT FROM b.v ORDER BY a.k LIMIT ${MAX_CONFLICTS}`)).getRowObjectsJson() as { k: string; va: string | null; vb: string | null }[],
        }));
        compared.push({ datasetId: c.dataset_id, version: snap.version, keysCompared: Number(counts.n), conflicts: Number(counts.x) });
        for (const r of rows) {
          let list = byKey.get(r.k);
          if (!list) {
            list = [{ datasetId: s.dataset_id, datasetName: authDs.name, version: auth.version, providerOrgId: s.provider_org_id, value: r.va, masked: authMask(r.va), authoritative: true }];
            byKey.set(r.k, list);
          }
          list.push({ datasetId: c.dataset_id, datasetName: ds.name, version: snap.version, providerOrgId: c.provider_org_id, value: r.vb, masked: mask(r.vb), authoritative: false });
        }
      }
      const checkId = newId("qchk");
      const at = now();
      const keysCompared = compared.reduce((a, c) => a + c.keysCompared, 0);
      const conflictCount = compared.reduce((a, c) => a + c.conflicts, 0);
      const ledgerIndex = await deps.db.transaction().execute(async (tx) => {
        const t = qualityDb(tx);
        const { index } = await deps.ledger.append(tx, {
          kind: "quality.crosscheck.completed", subject: `source:${s.concept}`, actor: userOf(actor),
          digest: deps.ledger.digest({ sourceId: id, compared, conflicts: [...byKey].map(([k, v]) => [k, v.map((x) => x.value)]) }),
          data: { crosscheckId: checkId, sourceId: id, keysCompared, conflicts: conflictCount },
        });
        await t.insertInto("quality_crosschecks").values({ id: checkId, source_id: id, compared: json(compared), keys_compared: keysCompared, conflict_count: conflictCount, created_by: userOf(actor), created_at: at, ledger_index: index }).execute();
        const open = new Map((await t.selectFrom("quality_conflicts").selectAll().where("source_id", "=", id).where("status", "=", "open").execute()).map((c) => [c.key_value, c]));
        const fresh = [];
        for (const [k, values] of byKey) {
          const prior = open.get(k);
          if (prior) {
            await t.updateTable("quality_conflicts").set({ crosscheck_id: checkId, values: json(values) }).where("id", "=", prior.id).execute();
            open.delete(k);
          } else fresh.push({ id: newId("qcf"), crosscheck_id: checkId, source_id: id, authoritative_org_id: s.provider_org_id, key_value: k, key_masked: keyMask(k) ?? "", values: json(values), status: "open" as const, resolution_note: null, objection_id: null, resolved_by: null, resolved_at: null, created_at: at });
        }
        for (let i = 0; i < fresh.length; i += 500) await t.insertInto("quality_conflicts").values(fresh.slice(i, i + 500)).execute();
        for (const c of open.values())
          await t.updateTable("quality_conflicts").set({ status: "resolved", resolution_note: "复核时各来源已一致", resolved_at: at }).where("id", "=", c.id).execute();
        if (byKey.size)
          await deps.notify.notify(tx, { orgId: s.provider_org_id, role: "data_officer", kind: "conflict", title: `多源校核：「${s.concept}」发现 ${conflictCount} 处冲突`, body: `权威来源「${authDs.name}」与 ${compared.length} 个副本比对 ${keysCompared} 个键，请核实处理。`, link: `/quality/conflicts?sourceId=${id}` });
        return index;
      });
      const conflicts = await db.selectFrom("quality_conflicts").selectAll().where("crosscheck_id", "=", checkId).orderBy("key_value").limit(200).execute();
      return {
        crosscheck: { id: checkId, sourceId: id, keysCompared, conflictCount, compared, createdAt: at.toISOString(), ledgerIndex },
        conflicts: conflicts.map((c) => presentConflict(actor, c, s.concept)),
      };
    },

    /** The task list: conflicts sent to the actor's department (admins and regulators see all). */
    async conflicts(actor: Actor, q: { status?: "open" | "resolved" | "objected"; sourceId?: string; limit: number }) {
      let sel = db.selectFrom("quality_conflicts as c").innerJoin("quality_sources as s", "s.id", "c.source_id").selectAll("c").select("s.concept");
      if (!hasRole(actor, "platform_admin", "regulator")) sel = sel.where("c.authoritative_org_id", "=", actor.kind === "user" ? actor.orgId : "-");
      if (q.status) sel = sel.where("c.status", "=", q.status);
      if (q.sourceId) sel = sel.where("c.source_id", "=", q.sourceId);
      const rows = await sel.orderBy("c.created_at", "desc").orderBy("c.key_value").limit(q.limit).execute();
      return { items: rows.map((r) => presentConflict(actor, r, r.concept)) };
    },

    async resolve(actor: Actor, conflictId: string, note: string) {
      const c = await db.selectFrom("quality_conflicts as c").innerJoin("quality_sources as s", "s.id", "c.source_id").selectAll("c").select("s.concept").where("c.id", "=", conflictId).executeTakeFirst();
      if (!c) throw new NotFoundError({ field: "id", message: "冲突不存在", messageEn: "Conflict not found" });
      assertCan(actor, "quality.conflicts.resolve", { authoritativeOrgId: c.authoritative_org_id });
      if (c.status !== "open") throw new ConflictError({ field: "status", message: "该冲突已处理", messageEn: "The conflict is already handled" });
      await db.updateTable("quality_conflicts").set({ status: "resolved", resolution_note: note, resolved_by: userOf(actor), resolved_at: now() }).where("id", "=", conflictId).execute();
      return presentConflict(actor, { ...c, status: "resolved", resolution_note: note }, c.concept);
    },

    /** An unresolved conflict becomes a 数据异议 on the authoritative record. */
    async toObjection(actor: Actor, conflictId: string, reason?: string) {
      const c = await db.selectFrom("quality_conflicts").selectAll().where("id", "=", conflictId).executeTakeFirst();
      if (!c) throw new NotFoundError({ field: "id", message: "冲突不存在", messageEn: "Conflict not found" });
      if (c.status !== "open") throw new ConflictError({ field: "status", message: "只有未处理的冲突可以转为数据异议", messageEn: "Only an open conflict can become an objection" });
      const s = await loadSource(c.source_id);
      const values = parse<StoredValue[]>(c.values);
      const others = values.filter((v) => !v.authoritative);
      const evidence = values.map((v) => `${v.datasetName} v${v.version}${v.authoritative ? "（权威）" : ""}：${v.masked ?? "（空）"}`).join("\n");
      const d = await objections.raise(actor, {
        datasetId: s.dataset_id, recordKey: { [s.key_column]: c.key_value }, column: s.column_name,
        proposedValue: others.length === 1 ? others[0].value : undefined,
        reason: reason ?? `多源校核冲突未解决：「${s.concept}」在 ${values.length} 个来源中不一致`, evidence,
      }, { conflictId });
      await db.updateTable("quality_conflicts").set({ status: "objected", objection_id: d.objection.id }).where("id", "=", conflictId).execute();
      return d;
    },

    async openCountsByOrg(): Promise<Map<string, number>> {
      const rows = await db.selectFrom("quality_conflicts").select(["authoritative_org_id", (eb) => eb.fn.countAll<number>().as("n")]).where("status", "=", "open").groupBy("authoritative_org_id").execute();
      return new Map(rows.map((r) => [r.authoritative_org_id, Number(r.n)]));
    },

    canRun: (actor: Actor, s: { providerOrgId: string }) => can(actor, "quality.crosscheck.run", { authoritativeOrgId: s.providerOrgId }),
    scoring,
  };
}

export type SourceService = ReturnType<typeof createSourceService>;
