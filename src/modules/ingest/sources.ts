import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../core/db.ts";
import { InvalidError, NotFoundError } from "../../core/errors.ts";
import type { JobContext, Jobs, JobView } from "../../core/jobs.ts";
import type { Lake } from "../../core/lake.ts";
import type { Actor } from "../policy/index.ts";
import { extractPostgres } from "./connectors/postgres.ts";
import { removeQuietly, stagingDir } from "./files.ts";
import { runPipeline } from "./pipeline.ts";
import type { LoadCheck } from "./validate.ts";
import type { SnapshotColumn, SnapshotInfo, SnapshotLayout, SourceBody, SourceView } from "./schema.ts";
import type { DatasetRow, SourceRow, ingestStore } from "./store.ts";
import type { EntryInfo } from "./service.ts";

/**
 * PostgreSQL source connectors: one per dataset, run by hand or by the scheduler (in the server
 * process) every update cycle of the entry, incremental by a key or timestamp column. The connection
 * URL holds the password: it is stored, never logged, never answered (redacted by `presentSource`).
 */

type ExtractPostgres = typeof extractPostgres;
async function connector(): Promise<ExtractPostgres> {
  return extractPostgres;
}

/** Hours between scheduled runs, by 更新周期; null = by hand only. 实时 is polled hourly. */
export const CYCLE_HOURS: Record<string, number | null> = { 实时: 1, 每日: 24, 每周: 168, 每月: 720, 每季度: 2160, 每半年: 4380, 每年: 8760, 不定期: null };

/**
 * An edit form shows the URL redacted ("***" for the password) and may send it back unchanged: then
 * the stored password is kept, so an officer changing the table need not retype it.
 */
export function withStoredPassword(url: string, stored: string | null): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (decodeURIComponent(u.password) !== "***") return url;
  const prev = stored ? new URL(stored) : null;
  if (!prev?.password)
    throw new InvalidError({ field: "url", message: "请填写数据库密码（“***”表示沿用已保存的密码，但还没有保存过）", messageEn: "Enter the database password (\"***\" keeps the stored one, but none is stored yet)" });
  u.password = prev.password;
  return u.toString();
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://***";
  }
}

export function presentSource(s: SourceRow): SourceView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    kind: s.kind, url: redactUrl(s.url), table: s.table_name, query: s.query, incrementalColumn: s.incremental_column, lastValue: s.last_value,
    enabled: s.enabled, intervalHours: s.interval_hours, nextRunAt: iso(s.next_run_at), lastRunAt: iso(s.last_run_at), lastJobId: s.last_job_id,
  };
}

export interface SourcesDeps {
  db: Db;
  lake: Lake;
  jobs: Jobs;
  store: ReturnType<typeof ingestStore>;
  log?: { warn(o: object, m: string): void; info(o: object, m: string): void };
  loadEntry(entryId: string): Promise<EntryInfo>;
  current(datasetId: string): Promise<SnapshotInfo | null>;
  serial<T>(datasetId: string, fn: () => Promise<T>): Promise<T>;
  track<T>(p: Promise<T>): Promise<T>;
  /** Load-time row checks for an entry's items (see IngestService.onValidate). */
  checks?(items: EntryInfo["items"]): LoadCheck[];
  commit(dsId: string, r: { parquet: string; layout?: SnapshotLayout; validated?: boolean; rowCount: number; columns: SnapshotColumn[]; source: string; jobId: string | null; actorUserId: string | null; kind: string; data?: Record<string, unknown> }, ctx?: JobContext): Promise<{ snap: SnapshotInfo; scored: boolean }>;
  assertManage(actor: Actor, datasetId: string): Promise<DatasetRow>;
}

export function createSources(deps: SourcesDeps) {
  const { store, jobs, lake } = deps;
  const running = new Set<string>();
  let timer: NodeJS.Timeout | null = null;

  function launch(ds: DatasetRow, src: SourceRow, owner: { userId: string | null; orgId: string | null }): { job: Promise<JobView>; created: Promise<JobView> } {
    const created = jobs.create({ kind: "ingest.connector", subject: ds.id, ownerUserId: owner.userId, ownerOrgId: owner.orgId, message: src.table_name ?? "query" });
    const job = created.then((j) => {
      running.add(ds.id);
      const dir = stagingDir(lake.dir, j.id);
      return deps.track(deps.serial(ds.id, () =>
        jobs.run(j.id, async (ctx) => {
          await fs.promises.mkdir(dir, { recursive: true });
          try {
            const entry = await deps.loadEntry(ds.entry_id);
            const extract = await connector();
            const out = path.join(dir, "source.ndjson");
            ctx.progress({ phase: "extracting", message: "从源数据库读取", done: 0, unit: "rows" });
            const base = src.incremental_column && src.last_value != null ? await deps.current(ds.id) : null;
            const ext = await extract(
              { url: src.url, ...(src.table_name ? { table: src.table_name } : {}), ...(src.query ? { query: src.query } : {}), ...(src.incremental_column ? { incrementalColumn: src.incremental_column, since: base ? src.last_value : null } : {}) },
              out,
              { onProgress: (n) => ctx.progress({ done: n }) },
            );
            if (ext.rows === 0 && base) {
              await store.updateSource(ds.id, { last_run_at: new Date(), last_job_id: j.id });
              return { datasetId: ds.id, version: base.version, rowCount: base.rowCount, extracted: 0, unchanged: true };
            }
            const filename = `postgres:${src.table_name ?? "query"}`;
            const r = await runPipeline({ lake, dir, file: out, filename, items: entry.items, mode: "all-or-nothing", format: "ndjson", progress: (p) => ctx.progress(p), checks: deps.checks?.(entry.items), ...(base ? { base: { sql: base.sql, columns: base.columns, validated: base.validated } } : {}) });
            const { snap, scored } = await deps.commit(ds.id, { parquet: r.parquet, layout: r.layout, validated: r.validated, rowCount: r.rowCount, columns: r.columns, source: filename, jobId: j.id, actorUserId: owner.userId, kind: "ingest.snapshot.committed", data: { connector: "postgres", incremental: !!base, extracted: ext.rows } }, ctx);
            await store.updateSource(ds.id, { last_run_at: new Date(), last_job_id: j.id, ...(ext.maxIncremental != null ? { last_value: ext.maxIncremental } : {}) });
            return { datasetId: ds.id, version: snap.version, rowCount: snap.rowCount, extracted: ext.rows, report: r.report, scored };
          } finally {
            await removeQuietly(dir);
          }
        }),
      )).finally(() => running.delete(ds.id));
    });
    return { job, created };
  }

  const sources = {
    async get(actor: Actor, datasetId: string): Promise<SourceView> {
      await deps.assertManage(actor, datasetId);
      const s = await store.source(datasetId);
      if (!s) throw new NotFoundError({ field: "source", message: "该数据集没有配置数据源", messageEn: "The dataset has no source configured" });
      return presentSource(s);
    },
    async set(actor: Actor, datasetId: string, body: SourceBody): Promise<SourceView> {
      const ds = await deps.assertManage(actor, datasetId);
      const entry = await deps.loadEntry(ds.entry_id);
      const hours = CYCLE_HOURS[entry.updateCycle] ?? null;
      const prev = await store.source(datasetId);
      const url = withStoredPassword(body.url, prev?.url ?? null);
      const sameQuery = prev && prev.table_name === (body.table ?? null) && prev.query === (body.query ?? null) && prev.incremental_column === (body.incrementalColumn ?? null);
      await store.upsertSource({
        dataset_id: datasetId, kind: "postgres", url, table_name: body.table ?? null, query: body.query ?? null, incremental_column: body.incrementalColumn ?? null,
        last_value: sameQuery ? prev!.last_value : null, enabled: body.enabled, interval_hours: hours, next_run_at: hours && body.enabled ? new Date(Date.now() + hours * 3600_000) : null,
        last_run_at: prev?.last_run_at ?? null, last_job_id: prev?.last_job_id ?? null, owner_user_id: actor.kind === "user" ? actor.userId : "system",
      });
      return presentSource((await store.source(datasetId))!);
    },
    async remove(actor: Actor, datasetId: string): Promise<void> {
      await deps.assertManage(actor, datasetId);
      await store.deleteSource(datasetId);
    },
    /** Run the dataset's connector now, as a job. */
    async run(actor: Actor, datasetId: string, opts: { wait?: boolean } = {}): Promise<JobView> {
      const ds = await deps.assertManage(actor, datasetId);
      const src = await store.source(datasetId);
      if (!src) throw new NotFoundError({ field: "source", message: "该数据集没有配置数据源", messageEn: "The dataset has no source configured" });
      const { job, created } = launch(ds, src, { userId: actor.kind === "user" ? actor.userId : null, orgId: actor.kind === "user" ? actor.orgId : null });
      return opts.wait ? job : created;
    },
    /** Start the due connector runs (the scheduler's tick). */
    async runDue(now = new Date()): Promise<string[]> {
      const started: string[] = [];
      for (const src of await store.dueSources(now)) {
        if (running.has(src.dataset_id)) continue;
        const ds = await store.dataset(src.dataset_id);
        if (!ds) continue;
        const hours = src.interval_hours ?? 24;
        await store.updateSource(src.dataset_id, { next_run_at: new Date(now.getTime() + hours * 3600_000) });
        const { created, job } = launch(ds, src, { userId: src.owner_user_id === "system" ? null : src.owner_user_id, orgId: ds.provider_org_id });
        void job.catch(() => undefined);
        started.push((await created).id);
        deps.log?.info({ datasetId: ds.id, table: src.table_name ?? "query" }, "scheduled connector run started");
      }
      return started;
    },
    startScheduler(everyMs = 60_000): void {
      if (timer) return;
      timer = setInterval(() => {
        sources.runDue().catch((err) => deps.log?.warn({ err: err instanceof Error ? err.message : String(err) }, "connector scheduler tick failed"));
      }, everyMs);
      timer.unref();
    },
    stopScheduler(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return sources;
}
