import { ConflictError, NotFoundError } from "../../core/errors.ts";
import { assertCan, can, type Actor } from "../policy/index.ts";
import type { DataRef } from "./policies.ts";
import type { DatasetLike, EntryMeta, Masker, QualityDeps, SnapshotLike } from "./ports.ts";
import { bindRules, checkRules, compileDuplicateSamples, compileSamples, compileScan, DATASET, defaultRules, qlit, type BoundRule, type QColumn } from "./rules.ts";
import {
  DEFAULT_DEADLINES, DEFAULT_WEIGHTS, DIMENSIONS, RULE_LABELS, RuleSpec, Settings, type ColumnScore, type DimensionScores, type ItemRulesView,
  type ReportResponse, type RuleResult, type RunView, type SampleRow,
} from "./schema.ts";
import { dimensionScores, freshness, meanDimensions, overallScore, ratio, timeliness } from "./scoring.ts";
import { shanghaiDay as shanghaiDate } from "../../core/workdays.ts";
import { json, qualityDb, type QualityTables } from "./store.ts";

type RunRow = QualityTables["quality_runs"];
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const userOf = (a: Actor) => (a.kind === "user" ? a.userId : null);
const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/** Scoring, rules and reports. Objections and 一数一源 live in objections.ts and sources.ts. */
export function createScoringService(deps: QualityDeps) {
  const db = qualityDb(deps.db);
  const now = deps.now ?? (() => new Date());
  const samplesPerRule = deps.samplesPerRule ?? 20;

  async function settings(): Promise<Settings> {
    const rows = await db.selectFrom("quality_settings").selectAll().execute();
    const m = new Map(rows.map((r) => [r.key, parse<unknown>(r.value)]));
    return Settings.parse({ weights: m.get("weights") ?? DEFAULT_WEIGHTS, deadlines: m.get("deadlines") ?? DEFAULT_DEADLINES, holidays: m.get("holidays") ?? [], extraWorkdays: m.get("extraWorkdays") ?? [] });
  }

  async function dataRef(ds: DatasetLike): Promise<DataRef & { meta: EntryMeta | null }> {
    const meta = await deps.catalog.entryMeta(ds.entryId);
    return { providerOrgId: ds.providerOrgId, shareType: meta?.shareType ?? null, openType: meta?.openType ?? null, meta };
  }

  /** The dataset, when the actor may see its data; NotFound otherwise (never reveal existence). */
  async function visibleDataset(actor: Actor, id: string, action = "quality.report.read") {
    const ds = await deps.ingest.getDataset(id);
    const ref = await dataRef(ds);
    assertCan(actor, action, ref);
    return { ds, ref };
  }

  async function storedRules(datasetId: string): Promise<Map<string, RuleSpec[]>> {
    const rows = await db.selectFrom("quality_rules").select(["column_name", "rules"]).where("dataset_id", "=", datasetId).execute();
    return new Map(rows.map((r) => [r.column_name, parse<RuleSpec[]>(r.rules)]));
  }

  async function effectiveRules(datasetId: string, cols: QColumn[]): Promise<Map<string, RuleSpec[]>> {
    const defaults = defaultRules(cols);
    const stored = await storedRules(datasetId);
    const out = new Map<string, RuleSpec[]>();
    for (const [col, rules] of defaults) out.set(col, stored.get(col) ?? rules);
    return out;
  }

  /** The masker of each column that needs one at the entry's grade (protection.maskerFor), by column name. */
  function maskers(meta: EntryMeta | null, cols: Pick<QColumn, "name" | "type" | "sensitive">[]): Map<string, Masker> {
    const m = new Map<string, Masker>();
    for (const c of cols) {
      const f = deps.maskerFor(meta?.grade ?? "一般", meta?.grade === "一般" || !meta ? (meta?.generalLevel ?? 4) : undefined, { name: c.name, type: c.type, sensitive: c.sensitive });
      if (f) m.set(c.name, f);
    }
    return m;
  }

  /** One pass over the snapshot for the counts; one more for sample rows when anything failed. */
  async function evaluate(snap: SnapshotLike, rules: BoundRule[], meta: EntryMeta | null, progress: (m: string) => void) {
    const today = shanghaiDate(now());
    const srcRn = snap.sqlRows;
    // Load-time check columns hold for the day of the load ("not after today"); sqlRows carries them.
    const checks = shanghaiDate(new Date(snap.createdAt)) === today && snap.columns.some((c) => c.checks);
    const src = checks ? snap.sqlRows : snap.sql;
    const scan = compileScan(src, snap.columns, rules, today, { validated: snap.validated, checks });
    progress(`质量评分：扫描 ${snap.rowCount} 行，${rules.length} 条规则`);
    const { rowCount, counts } = await deps.lake.run(async (c) => {
      const res = scan.read(((await c.runAndReadAll(scan.sql)).getRowObjectsJson() as Record<string, unknown>[])[0]);
      // Exact distinct counts, only where the hashed count could not settle the rule (see compileScan).
      for (const f of scan.followUps(res.counts, res.rowCount)) {
        const d = Number(((await c.runAndReadAll(f.sql)).getRowObjectsJson()[0] as { d: unknown }).d);
        res.counts.set(f.id, { evaluated: f.evaluated, failed: f.evaluated - d });
      }
      return res;
    });
    const samples = new Map<string, SampleRow[]>();
    const mask = maskers(meta, snap.columns);
    const keys = snap.columns.filter((c) => c.key).map((c) => c.name);
    const shown = (name: string, v: unknown) => {
      const s = v === null || v === undefined ? null : String(v);
      const f = mask.get(name);
      return f ? f(s) : s;
    };
    const failingRowRules = rules.filter((r) => (counts.get(r.id)?.failed ?? 0) > 0 && r.spec.kind !== "unique" && r.spec.kind !== "duplicateRows");
    if (failingRowRules.length) {
      progress("质量评分：抽取问题样例");
      const s = compileSamples(srcRn, snap.columns, failingRowRules, today, samplesPerRule);
      if (s) {
        const rows = await deps.lake.run(async (c) => (await c.runAndReadAll(s.sql)).getRowObjectsJson() as Record<string, unknown>[]);
        for (const row of rows) {
          const r = failingRowRules[Number(row.__rule)];
          const cols = r.spec.kind === "compare" ? [r.spec.left, r.spec.right] : [r.column];
          const list = samples.get(r.id) ?? [];
          list.push({
            row: Number(row.__rn) + 1,
            key: Object.fromEntries(keys.map((k) => [k, shown(k, row[`c${s.columns.indexOf(k)}`])])),
            values: Object.fromEntries(cols.map((k) => [k, shown(k, row[`c${s.columns.indexOf(k)}`])])),
          });
          samples.set(r.id, list);
        }
      }
    }
    for (const r of rules) {
      if ((counts.get(r.id)?.failed ?? 0) <= 0) continue;
      const d = compileDuplicateSamples(srcRn, snap.columns, r, samplesPerRule);
      if (!d) continue;
      const rows = await deps.lake.run(async (c) => (await c.runAndReadAll(d.sql)).getRowObjectsJson() as Record<string, unknown>[]);
      samples.set(r.id, rows.map((row) => ({
        row: Number(row.__rn) + 1,
        key: Object.fromEntries(d.columns.map((k, i) => [k, shown(k, row[`c${i}`])])),
        values: { 重复次数: String(row.__n) },
      })));
    }
    return { rowCount, counts, samples };
  }

  /** Score one snapshot version (the ingest onCommitted listener, and re-scoring after rule edits). */
  async function scoreSnapshot(snap: SnapshotLike, ctx: { progress(message: string): void } = { progress: () => {} }): Promise<void> {
    const started = now();
    const base = { dataset_id: snap.datasetId, version: snap.version, entry_id: snap.entryId, provider_org_id: snap.providerOrgId, snapshot_created_at: new Date(snap.createdAt), started_at: started };
    await db.insertInto("quality_runs").values({ ...base, status: "running", error: null, row_count: snap.rowCount, dims: null, columns: null, finished_at: null })
      .onConflict((oc) => oc.columns(["dataset_id", "version"]).doUpdateSet({ status: "running", error: null, started_at: started, finished_at: null })).execute();
    try {
      const meta = await deps.catalog.entryMeta(snap.entryId);
      const rules = bindRules(await effectiveRules(snap.datasetId, snap.columns));
      const { rowCount, counts, samples } = await evaluate(snap, rules, meta, ctx.progress);
      const prev = await db.selectFrom("quality_runs").select("snapshot_created_at").where("dataset_id", "=", snap.datasetId).where("version", "<", snap.version).orderBy("version", "desc").limit(1).executeTakeFirst();
      const results: RuleResult[] = rules.map((r) => {
        const k = r.spec.kind === "timeliness" ? timeliness(meta?.updateCycle ?? null, prev ? new Date(prev.snapshot_created_at) : null, new Date(snap.createdAt)) : counts.get(r.id);
        const evaluated = k?.evaluated ?? 0, failed = Math.max(0, k?.failed ?? 0);
        const { kind, ...params } = r.spec as { kind: string } & Record<string, unknown>;
        return { ruleId: r.id, column: r.column, kind, label: r.label, dimension: r.dimension, params, evaluated, failed, ratio: k && "ratio" in k ? (k.ratio as number | null) : ratio(evaluated, failed), samples: samples.get(r.id) ?? [] };
      });
      const dims = dimensionScores(results);
      const columns: ColumnScore[] = snap.columns.map((c) => {
        const d = dimensionScores(results.filter((r) => r.column === c.name || (r.kind === "compare" && (r.params.left === c.name || r.params.right === c.name))));
        return { column: c.name, dimensions: d, score: null };
      });
      const { weights } = await settings();
      for (const c of columns) c.score = overallScore(c.dimensions, weights);
      await deps.db.transaction().execute(async (tx) => {
        const t = qualityDb(tx);
        await t.deleteFrom("quality_rule_results").where("dataset_id", "=", snap.datasetId).where("version", "=", snap.version).execute();
        if (results.length)
          await t.insertInto("quality_rule_results").values(results.map((r) => ({
            dataset_id: snap.datasetId, version: snap.version, rule_id: r.ruleId, column_name: r.column, kind: r.kind, dimension: r.dimension,
            params: json(r.params), evaluated: r.evaluated, failed: r.failed, ratio: r.ratio, samples: json(r.samples),
          }))).execute();
        await t.updateTable("quality_runs").set({ status: "done", row_count: rowCount, dims: json(dims), columns: json(columns), finished_at: now() })
          .where("dataset_id", "=", snap.datasetId).where("version", "=", snap.version).execute();
      });
      ctx.progress(`质量评分完成：${overallScore(dims, weights) ?? "不可评估"}`);
    } catch (err) {
      await db.updateTable("quality_runs").set({ status: "failed", error: String((err as Error)?.message ?? err).slice(0, 1000), finished_at: now() })
        .where("dataset_id", "=", snap.datasetId).where("version", "=", snap.version).execute();
      throw err;
    }
  }

  function presentRun(r: RunRow, weights: Settings["weights"]): RunView {
    const dims = (r.dims ? parse<DimensionScores>(r.dims) : Object.fromEntries(DIMENSIONS.map((d) => [d, null]))) as DimensionScores;
    return {
      datasetId: r.dataset_id, entryId: r.entry_id, providerOrgId: r.provider_org_id, version: r.version, status: r.status, error: r.error,
      rowCount: Number(r.row_count), score: r.status === "done" ? overallScore(dims, weights) : null, dimensions: dims,
      startedAt: iso(r.started_at)!, finishedAt: iso(r.finished_at),
    };
  }

  /** The latest finished run of each dataset (optionally of one provider). */
  async function latestRuns(providerOrgId?: string): Promise<RunRow[]> {
    let q = db.selectFrom("quality_runs as r").selectAll("r").where("r.status", "=", "done")
      .where(({ eb, selectFrom }) => eb("r.version", "=", selectFrom("quality_runs as x").select((e) => e.fn.max("x.version").as("v")).whereRef("x.dataset_id", "=", "r.dataset_id").where("x.status", "=", "done")));
    if (providerOrgId) q = q.where("r.provider_org_id", "=", providerOrgId);
    return q.execute();
  }

  return {
    settings,
    maskers,
    scoreSnapshot,
    effectiveRules,
    visibleDataset,
    dataRef,
    latestRuns,

    async getSettings(_actor: Actor) {
      return settings();
    },

    async putSettings(actor: Actor, body: Partial<Settings>) {
      assertCan(actor, "quality.settings.edit");
      await deps.db.transaction().execute(async (tx) => {
        for (const [key, value] of Object.entries(body)) {
          if (value === undefined) continue;
          await qualityDb(tx).insertInto("quality_settings").values({ key, value: json(value), updated_by: userOf(actor), updated_at: now() })
            .onConflict((oc) => oc.column("key").doUpdateSet({ value: json(value), updated_by: userOf(actor), updated_at: now() })).execute();
        }
      });
      return settings();
    },

    async rules(actor: Actor, datasetId: string): Promise<{ datasetId: string; items: ItemRulesView[] }> {
      const { ds } = await visibleDataset(actor, datasetId);
      const snap = await deps.ingest.current(ds.id);
      if (!snap) throw new ConflictError({ field: "datasetId", message: "数据集尚无数据，无法确定数据项规则", messageEn: "The dataset has no data yet" });
      const defaults = defaultRules(snap.columns);
      const stored = await storedRules(ds.id);
      return {
        datasetId: ds.id,
        items: [...defaults].map(([column, d]) => ({ column, source: stored.has(column) ? ("custom" as const) : ("default" as const), rules: stored.get(column) ?? d, defaults: d })),
      };
    },

    async putRules(actor: Actor, datasetId: string, column: string, rules: RuleSpec[] | null) {
      const ds = await deps.ingest.getDataset(datasetId);
      assertCan(actor, "quality.rules.edit", await dataRef(ds));
      const snap = await deps.ingest.current(ds.id);
      if (!snap) throw new ConflictError({ field: "datasetId", message: "数据集尚无数据，无法设置规则", messageEn: "The dataset has no data yet" });
      if (rules === null) {
        await db.deleteFrom("quality_rules").where("dataset_id", "=", ds.id).where("column_name", "=", column).execute();
      } else {
        checkRules(column, rules, snap.columns);
        await db.insertInto("quality_rules").values({ dataset_id: ds.id, column_name: column, rules: json(rules), updated_by: userOf(actor), updated_at: now() })
          .onConflict((oc) => oc.columns(["dataset_id", "column_name"]).doUpdateSet({ rules: json(rules), updated_by: userOf(actor), updated_at: now() })).execute();
      }
      return this.rules(actor, datasetId);
    },

    /** Score the current snapshot again (after rule edits). */
    async rescore(actor: Actor, datasetId: string) {
      const ds = await deps.ingest.getDataset(datasetId);
      assertCan(actor, "quality.rules.edit", await dataRef(ds));
      const snap = await deps.ingest.current(ds.id);
      if (!snap) throw new ConflictError({ field: "datasetId", message: "数据集尚无数据", messageEn: "The dataset has no data yet" });
      await scoreSnapshot(snap);
      return presentRun((await db.selectFrom("quality_runs").selectAll().where("dataset_id", "=", ds.id).where("version", "=", snap.version).executeTakeFirstOrThrow()), (await settings()).weights);
    },

    async report(actor: Actor, datasetId: string, version?: number): Promise<ReportResponse> {
      const { ds, ref } = await visibleDataset(actor, datasetId);
      const runs = await db.selectFrom("quality_runs").selectAll().where("dataset_id", "=", ds.id).orderBy("version", "asc").execute();
      const wanted = version ?? ds.currentVersion ?? runs.at(-1)?.version;
      const run = runs.find((r) => r.version === wanted);
      if (!run) throw new NotFoundError({ field: "version", message: "该版本尚无质量评分", messageEn: "No quality score for this version" });
      const { weights } = await settings();
      const rows = await db.selectFrom("quality_rule_results").selectAll().where("dataset_id", "=", ds.id).where("version", "=", run.version).execute();
      const order = new Map(rows.map((r) => [r.rule_id, Number(r.rule_id.split(":").at(-2))]));
      const cols = run.columns ? parse<ColumnScore[]>(run.columns) : [];
      for (const c of cols) c.score = overallScore(c.dimensions, weights);
      const last = new Date(run.snapshot_created_at);
      const f = freshness(ref.meta?.updateCycle ?? null, new Date(runs.at(-1)!.snapshot_created_at), now());
      return {
        dataset: { id: ds.id, name: ds.name, entryId: ds.entryId, providerOrgId: ds.providerOrgId, currentVersion: ds.currentVersion },
        run: presentRun(run, weights),
        weights,
        columns: cols,
        rules: rows
          .sort((a, b) => (a.column_name === DATASET ? 1 : 0) - (b.column_name === DATASET ? 1 : 0) || cols.findIndex((c) => c.column === a.column_name) - cols.findIndex((c) => c.column === b.column_name) || order.get(a.rule_id)! - order.get(b.rule_id)!)
          .map((r) => ({
            ruleId: r.rule_id, column: r.column_name, kind: r.kind, label: RULE_LABELS[r.kind as keyof typeof RULE_LABELS] ?? r.kind, dimension: r.dimension as RuleResult["dimension"],
            params: parse<Record<string, unknown>>(r.params), evaluated: Number(r.evaluated), failed: Number(r.failed), ratio: r.ratio === null ? null : Number(r.ratio), samples: parse<SampleRow[]>(r.samples),
          })),
        trend: runs.filter((r) => r.status === "done").map((r) => { const p = presentRun(r, weights); return { version: p.version, score: p.score, dimensions: p.dimensions, finishedAt: p.finishedAt }; }),
        freshness: { updateCycle: ref.meta?.updateCycle ?? null, lastLoadAt: last.toISOString(), dueAt: f.dueAt, overdue: f.overdue },
      };
    },

    /** Latest scores of the datasets the actor may see (optionally of one provider). */
    async datasets(actor: Actor, q: { providerOrgId?: string }) {
      const { weights } = await settings();
      const runs = await latestRuns(q.providerOrgId);
      const names = new Map((await deps.ingest.listDatasets(q.providerOrgId ? { providerOrgId: q.providerOrgId } : {})).map((d) => [d.id, d]));
      const out = [];
      for (const r of runs) {
        const ds = names.get(r.dataset_id);
        if (!ds) continue;
        const ref = await dataRef(ds);
        if (!can(actor, "quality.report.read", ref)) continue;
        const p = presentRun(r, weights);
        out.push({ datasetId: ds.id, name: ds.name, providerOrgId: ds.providerOrgId, version: p.version, score: p.score, dimensions: p.dimensions, rowCount: p.rowCount, finishedAt: p.finishedAt });
      }
      return { items: out.sort((a, b) => (b.score ?? -1) - (a.score ?? -1)) };
    },

    async run(actor: Actor, datasetId: string, version: number) {
      const { ds } = await visibleDataset(actor, datasetId);
      const r = await db.selectFrom("quality_runs").selectAll().where("dataset_id", "=", ds.id).where("version", "=", version).executeTakeFirst();
      if (!r) throw new NotFoundError({ field: "version", message: "该版本尚无质量评分", messageEn: "No quality score for this version" });
      return presentRun(r, (await settings()).weights);
    },

    /** The league table of departments: mean of their datasets' latest dimension scores, weighted overall. */
    async league(_actor: Actor, extra: { openObjections: Map<string, number>; openConflicts: Map<string, number> }) {
      const { weights } = await settings();
      const runs = await latestRuns();
      const names = await deps.orgs.orgNames();
      const byOrg = new Map<string, RunRow[]>();
      for (const r of runs) byOrg.set(r.provider_org_id, [...(byOrg.get(r.provider_org_id) ?? []), r]);
      const rows = [...byOrg].map(([orgId, rs]) => {
        const dims = meanDimensions(rs.map((r) => parse<DimensionScores>(r.dims)));
        return {
          rank: 0, org: { id: orgId, name: names.get(orgId) ?? orgId }, score: overallScore(dims, weights), dimensions: dims, datasets: rs.length,
          rows: rs.reduce((a, r) => a + Number(r.row_count), 0), openObjections: extra.openObjections.get(orgId) ?? 0, openConflicts: extra.openConflicts.get(orgId) ?? 0,
        };
      });
      rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.org.name.localeCompare(b.org.name, "zh"));
      rows.forEach((r, i) => (r.rank = i + 1));
      return { weights, items: rows };
    },
  };
}

export type ScoringService = ReturnType<typeof createScoringService>;
