import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Db, Tx } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../../core/errors.ts";
import type { JobContext, Jobs, JobView } from "../../core/jobs.ts";
import { sqlIdent as ident, sqlString as str, type Lake } from "../../core/lake.ts";
import { assertCan, can, type Actor } from "../policy/index.ts";
import type { DataItem, Grade, ItemType } from "../catalog/index.ts";
import { datasetDir, durableRename, fileDigest, removeQuietly, snapshotFileName, stagingDir, stagingRoot } from "./files.ts";
import type { DatasetRef, JobRef } from "./policies.ts";
import { runPipeline, SNAPSHOT_PARQUET, type PipelineResult } from "./pipeline.ts";
import { receiveToFile } from "./stage.ts";
import { diffSnapshots, readRows, snapshotSql } from "./queries.ts";
import { createSources, presentSource } from "./sources.ts";
import { selectPage, streamSelection, type RowSelection, type RowValue } from "./select.ts";
import type { CorrectionsBody, Dataset, DiffResult, LoadMode, RowsPage, SnapshotColumn, SnapshotInfo, SnapshotLayout, ValidationReport, VersionView } from "./schema.ts";
import { ingestDb, ingestStore, type DatasetRow, type SourceRow, type VersionRow } from "./store.ts";
import { snapshotColumns, typedExpr, type LoadCheck } from "./validate.ts";

/** A published catalog entry as ingest needs it (its published content). */
export interface EntryInfo {
  id: string;
  code: string;
  name: string;
  status: string;
  providerOrgId: string;
  items: DataItem[];
  grade: Grade;
  generalLevel?: number;
  updateCycle: string;
  shareType: string;
}
export interface EntryPort {
  /** The entry with its published content; NotFound when missing. */
  get(entryId: string): Promise<EntryInfo>;
}
export interface LedgerPort {
  append(tx: Tx, entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  hash: "sm3" | "sha256";
}
export type MaskerFor = (grade: Grade, subLevel: 1 | 2 | 3 | 4, item: { name: string; type: ItemType; sensitive: boolean }) => ((v: string | null) => string | null) | null;
export type CommittedListener = (snap: SnapshotInfo, ctx: { progress(message: string): void }) => Promise<void>;
/** Row checks another module wants computed during the load pass (kept as internal columns of the file). */
export type CheckProvider = (columns: SnapshotColumn[]) => LoadCheck[];

export interface IngestDeps {
  db: Db;
  lake: Lake;
  jobs: Jobs;
  ledger: LedgerPort;
  entries: EntryPort;
  /** protection.maskerFor: masks previews for users outside the provider. */
  maskerFor?: MaskerFor;
  uploadLimit: number;
  log?: { warn(o: object, m: string): void; info(o: object, m: string): void; error(o: object, m: string): void };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const userOf = (a: Actor) => (a.kind === "user" ? a.userId : null);
const notFound = () => new NotFoundError({ message: "数据集不存在", messageEn: "Dataset not found", field: "id" });
const subjectOf = (ds: { id: string; entry_code: string }, version: number) => `${ds.entry_code}#${ds.id}@v${version}`;

export function createIngestService(deps: IngestDeps) {
  const { db, lake, jobs, ledger, entries } = deps;
  const store = ingestStore(ingestDb(db));
  const listeners: CommittedListener[] = [];
  const checkProviders: CheckProvider[] = [];
  const loadChecks = (items: DataItem[]) => checkProviders.flatMap((f) => f(snapshotColumns(items)));
  const active = new Set<Promise<unknown>>();
  const chains = new Map<string, Promise<unknown>>();
  const shareTypes = new Map<string, string>();

  /** Run `fn` after the dataset's previous load/commit in this process (one writer per dataset). */
  function serial<T>(datasetId: string, fn: () => Promise<T>): Promise<T> {
    const prev = chains.get(datasetId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    chains.set(datasetId, next.catch(() => undefined));
    return next;
  }
  function track<T>(p: Promise<T>): Promise<T> {
    active.add(p);
    void p.finally(() => active.delete(p)).catch(() => undefined);
    return p;
  }

  async function refOf(ds: DatasetRow): Promise<DatasetRef> {
    let shareType = shareTypes.get(ds.entry_id);
    if (shareType === undefined) {
      shareType = await entries.get(ds.entry_id).then((e) => e.shareType, () => "");
      shareTypes.set(ds.entry_id, shareType);
    }
    return { providerOrgId: ds.provider_org_id, shareType };
  }
  async function load(id: string): Promise<DatasetRow> {
    const ds = await store.dataset(id);
    if (!ds) throw notFound();
    return ds;
  }
  async function readable(actor: Actor, id: string, action = "ingest.dataset.read"): Promise<DatasetRow> {
    const ds = await load(id);
    if (!can(actor, action, await refOf(ds))) {
      if (can(actor, "ingest.dataset.read", await refOf(ds))) assertCan(actor, action, await refOf(ds));
      throw notFound();
    }
    return ds;
  }

  /**
   * The current snapshot of each dataset served to deliveries, kept for a second: an API page then costs
   * no metadata query. A switch in this process (commit, rollback) drops it at once; one made by
   * another process (the CLI) is seen within the second.
   */
  const served = new Map<string, { at: number; snap: SnapshotInfo }>();
  const SERVED_TTL_MS = 1000;
  /** The version to serve: the given one, or the current one (NotFound when the dataset has no data). */
  async function servedSnapshot(datasetId: string, version?: number): Promise<SnapshotInfo> {
    if (version !== undefined) return service.snapshot(datasetId, version);
    const hit = served.get(datasetId);
    if (hit && Date.now() - hit.at < SERVED_TTL_MS) return hit.snap;
    const cur = await service.current(datasetId);
    if (!cur) throw new NotFoundError({ field: "version", message: "数据集还没有数据", messageEn: "The dataset has no data yet" });
    served.set(datasetId, { at: Date.now(), snap: cur });
    return cur;
  }

  function presentDataset(ds: DatasetRow, src?: SourceRow): Dataset {
    return {
      id: ds.id, entryId: ds.entry_id, entryCode: ds.entry_code, providerOrgId: ds.provider_org_id, name: ds.name,
      currentVersion: ds.current_version, keepVersions: ds.keep_versions, source: src ? presentSource(src) : null,
      createdAt: iso(ds.created_at)!, updatedAt: iso(ds.updated_at)!,
    };
  }
  function presentVersion(ds: DatasetRow, v: VersionRow): VersionView {
    return {
      version: v.version, current: ds.current_version === v.version, rowCount: Number(v.row_count), bytes: Number(v.bytes), digest: v.digest, source: v.source,
      kept: v.deleted_at == null, createdBy: v.created_by, jobId: v.job_id, createdAt: iso(v.created_at)!, ledgerIndex: v.ledger_index == null ? null : Number(v.ledger_index),
    };
  }
  function snapshotOf(ds: DatasetRow, v: VersionRow): SnapshotInfo {
    const file = path.join(lake.dir, v.file);
    const layout: SnapshotLayout = { errColumn: !!v.err_column, deletes: v.deletes_file ? path.join(lake.dir, v.deletes_file) : null };
    return {
      datasetId: ds.id, entryId: ds.entry_id, providerOrgId: ds.provider_org_id, version: v.version, path: file,
      sql: snapshotSql(file, v.columns, layout, false), sqlRows: snapshotSql(file, v.columns, layout, true), layout, validated: !!v.validated,
      rowCount: Number(v.row_count), columns: v.columns, createdAt: iso(v.created_at)!, source: v.source, current: ds.current_version === v.version,
    };
  }

  async function publishedEntry(entryId: string): Promise<EntryInfo> {
    const e = await entries.get(entryId);
    shareTypes.set(e.id, e.shareType);
    if (e.status !== "published")
      throw new ConflictError({ field: "entry", message: "只有已发布的目录条目才能装载数据", messageEn: "Only published catalog entries take data" });
    return e;
  }

  async function ensureDataset(actor: Actor, entryId: string, action: string, keepVersions?: number): Promise<{ ds: DatasetRow; entry: EntryInfo }> {
    const entry = await publishedEntry(entryId);
    assertCan(actor, action, { providerOrgId: entry.providerOrgId, shareType: entry.shareType });
    const existing = await store.datasetByEntry(entry.id);
    if (existing) return { ds: existing, entry };
    const ds = await store.insertDataset({ id: `ds_${entry.id.replace(/^ent_/, "")}`, entry_id: entry.id, entry_code: entry.code, provider_org_id: entry.providerOrgId, name: entry.name, current_version: null, keep_versions: keepVersions ?? 5 });
    return { ds, entry };
  }

  /**
   * Make a staged Parquet file (and its deletes file, if any) the dataset's new current version:
   * digest, fsync + rename into the lake, then ONE transaction inserts the version row, switches the
   * pointer and appends the ledger entry. Retention and the committed listeners run after.
   */
  async function commit(dsId: string, r: { parquet: string; digest?: Promise<string>; layout?: SnapshotLayout; validated?: boolean; rowCount: number; columns: SnapshotColumn[]; source: string; jobId: string | null; actorUserId: string | null; kind: string; data?: Record<string, unknown> }, ctx?: JobContext): Promise<{ snap: SnapshotInfo; scored: boolean }> {
    ctx?.progress({ phase: "committing", message: "生成摘要并切换当前版本" });
    const digestValue = r.digest ? await r.digest : await fileDigest(r.parquet, ledger.hash);
    const deletesDigest = r.layout?.deletes ? await fileDigest(r.layout.deletes, ledger.hash) : null;
    const bytes = (await fs.promises.stat(r.parquet)).size;
    const before = (await load(dsId));
    const version = (await store.maxVersion(dsId)) + 1;
    const rel = path.join("datasets", dsId, snapshotFileName(version, r.jobId ?? `x_${Date.now().toString(36)}`));
    const relDeletes = r.layout?.deletes ? rel.replace(/\.parquet$/, ".deletes.parquet") : null;
    const dest = path.join(lake.dir, rel);
    try {
      // The deletes file first: a crash in between leaves only unreferenced files, removed at the next start.
      if (relDeletes) await durableRename(r.layout!.deletes!, path.join(lake.dir, relDeletes));
      await durableRename(r.parquet, dest);
      await db.transaction().execute(async (tx) => {
        const s = ingestStore(ingestDb(tx));
        const cur = (await s.dataset(dsId, true))!;
        if ((await s.maxVersion(dsId)) !== version - 1)
          throw new ConflictError({ field: "version", message: "同一数据集有另一次装载刚刚完成，请重试", messageEn: "Another load of this dataset has just committed; retry" });
        const { index } = await ledger.append(tx, {
          kind: r.kind,
          subject: subjectOf(cur, version),
          actor: r.actorUserId,
          digest: digestValue,
          data: {
            datasetId: dsId, entryId: cur.entry_id, version, previousVersion: cur.current_version, rows: r.rowCount, bytes, source: r.source,
            ...(deletesDigest ? { deletesDigest } : {}), ...(r.jobId ? { jobId: r.jobId } : {}), ...(r.data ?? {}),
          },
        });
        await s.insertVersion({
          dataset_id: dsId, version, file: rel, row_count: r.rowCount, bytes, digest: digestValue, columns: r.columns, source: r.source, job_id: r.jobId,
          created_by: r.actorUserId, ledger_index: index, deleted_at: null, err_column: !!r.layout?.errColumn, deletes_file: relDeletes, validated: !!r.validated,
        });
        await s.updateDataset(dsId, { current_version: version });
        served.delete(dsId);
      });
    } catch (err) {
      await removeQuietly(dest);
      if (relDeletes) await removeQuietly(path.join(lake.dir, relDeletes));
      throw err;
    }
    void before;
    await applyRetention(dsId).catch((err) => deps.log?.warn({ err: String(err), datasetId: dsId }, "retention failed; the next start removes the files"));
    const ds = await load(dsId);
    const snap = snapshotOf(ds, (await store.version(dsId, version))!);
    let scored = false;
    if (listeners.length) {
      ctx?.progress({ phase: "scoring", message: "质量评分" });
      for (const l of listeners) {
        try {
          await l(snap, { progress: (m) => ctx?.progress({ phase: "scoring", message: m }) });
          scored = true;
        } catch (err) {
          deps.log?.error({ err: String(err), datasetId: dsId, version }, "a committed-snapshot listener failed");
        }
      }
    }
    return { snap, scored };
  }

  /** Keep the newest `keep_versions` versions and the current one; remove the other files (row first, then file). */
  async function applyRetention(dsId: string) {
    const ds = await load(dsId);
    const live = (await store.versions(dsId)).filter((v) => v.deleted_at == null);
    const keep = new Set(live.slice(0, ds.keep_versions).map((v) => v.version));
    if (ds.current_version != null) keep.add(ds.current_version);
    for (const v of live) {
      if (keep.has(v.version)) continue;
      await store.markVersionDeleted(dsId, v.version);
      await removeQuietly(path.join(lake.dir, v.file));
      if (v.deletes_file) await removeQuietly(path.join(lake.dir, v.deletes_file));
    }
  }

  async function jobRef(actor: Actor, jobId: string): Promise<JobView> {
    const job = await jobs.get(jobId);
    const ref: JobRef | undefined = job ? { ownerUserId: job.ownerUserId, ownerOrgId: job.ownerOrgId } : undefined;
    if (!job || !can(actor, "job.read", ref)) throw new NotFoundError({ message: "任务不存在", messageEn: "Job not found", field: "id" });
    return job;
  }

  /** Start a load job on a staged file; the job removes its staging folder when it ends. */
  function launchLoad(job: JobView, ds: DatasetRow, entry: EntryInfo, input: { file: string; filename: string; mode: LoadMode; actorUserId: string | null; source: string }) {
    const dir = stagingDir(lake.dir, job.id);
    return track(serial(ds.id, () =>
      jobs.run(job.id, async (ctx) => {
        try {
          const r: PipelineResult = await runPipeline({ lake, dir, file: input.file, filename: input.filename, items: entry.items, mode: input.mode, progress: (p) => ctx.progress(p), digest: (f) => fileDigest(f, ledger.hash), checks: loadChecks(entry.items) });
          const { snap, scored } = await commit(ds.id, { parquet: r.parquet, digest: r.digest, layout: r.layout, validated: r.validated, rowCount: r.rowCount, columns: r.columns, source: input.source, jobId: job.id, actorUserId: input.actorUserId, kind: "ingest.snapshot.committed", data: { file: input.filename, mode: input.mode, badRows: r.report.badRows } }, ctx);
          return { datasetId: ds.id, version: snap.version, rowCount: snap.rowCount, report: r.report, scored, scoring: listeners.length ? "ran" : "no listener registered" };
        } finally {
          await removeQuietly(dir);
        }
      }),
    ));
  }

  const sources = createSources({
    db, lake, jobs, store, log: deps.log,
    loadEntry: (entryId) => publishedEntry(entryId),
    checks: (items) => loadChecks(items),
    current: async (dsId) => {
      const ds = await load(dsId);
      if (ds.current_version == null) return null;
      return snapshotOf(ds, (await store.version(dsId, ds.current_version))!);
    },
    serial, track, commit,
    assertManage: async (actor, dsId) => {
      const ds = await readable(actor, dsId);
      assertCan(actor, "ingest.dataset.manage", await refOf(ds));
      return ds;
    },
  });

  const service = {
    // ---------------------------------------------------------------- the contract (trusted callers)
    async datasetForEntry(entryId: string): Promise<Dataset | null> {
      const ds = await store.datasetByEntry(entryId);
      return ds ? presentDataset(ds, await store.source(ds.id)) : null;
    },
    async getDataset(id: string): Promise<Dataset> {
      const ds = await load(id);
      return presentDataset(ds, await store.source(ds.id));
    },
    async listDatasets(q: { providerOrgId?: string; entryId?: string } = {}): Promise<Dataset[]> {
      const rows = await store.datasets(q);
      const srcs = new Map((await store.sourcesOf(rows.map((r) => r.id))).map((s) => [s.dataset_id, s]));
      return rows.map((r) => presentDataset(r, srcs.get(r.id)));
    },
    async current(datasetId: string): Promise<SnapshotInfo | null> {
      const ds = await load(datasetId);
      if (ds.current_version == null) return null;
      return snapshotOf(ds, (await store.version(datasetId, ds.current_version))!);
    },
    async snapshot(datasetId: string, version: number): Promise<SnapshotInfo> {
      const ds = await load(datasetId);
      const v = await store.version(datasetId, version);
      if (!v || v.deleted_at) throw new NotFoundError({ message: `版本 v${version} 不存在或已按保留策略删除`, messageEn: `Version ${version} does not exist or was removed by retention`, field: "version" });
      return snapshotOf(ds, v);
    },
    /**
     * A page of selected rows of the current (or a kept) version, for the paths by which data leaves
     * (select.ts). No authorization, masking or ledger entry here: the calling module does those.
     */
    async selectRows(datasetId: string, q: RowSelection & { limit: number; offset: number }): Promise<{ version: number; total: number; columns: SnapshotColumn[]; rows: Record<string, RowValue>[] }> {
      const snap = await servedSnapshot(datasetId, q.version);
      const page = await lake.run((c) => selectPage(c, snap, q));
      return { version: snap.version, ...page };
    },
    /** Every selected row (up to `limit`) in batches, streamed from DuckDB (same contract as selectRows). */
    async streamRows(datasetId: string, q: RowSelection & { limit?: number }, onBatch: (rows: Record<string, RowValue>[], columns: SnapshotColumn[]) => Promise<void>): Promise<{ version: number; rows: number; columns: SnapshotColumn[] }> {
      const snap = await servedSnapshot(datasetId, q.version);
      const r = await lake.run((c) => streamSelection(c, snap, q, onBatch));
      return { version: snap.version, ...r };
    },
    onCommitted(listener: CommittedListener): void {
      listeners.push(listener);
    },
    /** Register row checks to compute while loading (quality: the 身份证 check, so scoring need not read the column again). */
    onValidate(provider: CheckProvider): void {
      checkProviders.push(provider);
    },
    get scoringListeners() {
      return listeners.length;
    },

    // ---------------------------------------------------------------- datasets
    async createDataset(actor: Actor, body: { entryId: string; keepVersions?: number }): Promise<Dataset> {
      const { ds } = await ensureDataset(actor, body.entryId, "ingest.dataset.manage", body.keepVersions);
      return presentDataset(ds, await store.source(ds.id));
    },
    async read(actor: Actor, id: string): Promise<Dataset> {
      const ds = await readable(actor, id);
      return presentDataset(ds, await store.source(ds.id));
    },
    async list(actor: Actor, q: { provider?: string; entry?: string }): Promise<Dataset[]> {
      const all = await service.listDatasets({ providerOrgId: q.provider, entryId: q.entry });
      const out: Dataset[] = [];
      for (const d of all) if (can(actor, "ingest.dataset.read", { providerOrgId: d.providerOrgId, shareType: shareTypes.get(d.entryId) ?? (await refOf((await store.dataset(d.id))!)).shareType })) out.push(d);
      return out;
    },
    async update(actor: Actor, id: string, body: { keepVersions: number }): Promise<Dataset> {
      const ds = await readable(actor, id);
      assertCan(actor, "ingest.dataset.manage", await refOf(ds));
      await store.updateDataset(id, { keep_versions: body.keepVersions });
      await applyRetention(id);
      return service.getDataset(id);
    },

    // ---------------------------------------------------------------- loads
    /**
     * Stream an upload to the staging folder, then load it as a job. Answers once the body is on
     * disk: the job runs on (or, with `wait`, is awaited).
     */
    async upload(actor: Actor, input: { entryId: string; body: Readable; filename?: string; mode: LoadMode; wait?: boolean }): Promise<{ job: JobView; datasetId: string }> {
      const { ds, entry } = await ensureDataset(actor, input.entryId, "ingest.dataset.load");
      const filename = (input.filename ?? "upload").slice(0, 300);
      const job = await jobs.create({ kind: "ingest.load", subject: ds.id, ownerUserId: userOf(actor), ownerOrgId: actor.kind === "user" ? actor.orgId : null, message: filename });
      const dir = stagingDir(lake.dir, job.id);
      await fs.promises.mkdir(dir, { recursive: true });
      const file = path.join(dir, "upload");
      try {
        await receiveToFile(input.body, file, deps.uploadLimit);
      } catch (err) {
        input.body.resume?.();
        await removeQuietly(dir);
        await jobs.run(job.id, async () => {
          throw err;
        });
        throw err;
      }
      const done = launchLoad(job, ds, entry, { file, filename, mode: input.mode, actorUserId: userOf(actor), source: `upload:${filename}` });
      const view = input.wait ? await done : (await jobs.get(job.id))!;
      return { job: view, datasetId: ds.id };
    },

    /**
     * Load a file of the server's own file system in place (the CLI `gongshu ingest load`, the demo
     * seed, bench/ingest): the same job and pipeline as an upload, without copying the file to staging
     * first (work files still go to the job's staging folder; the file itself is only read).
     */
    async loadFile(actor: Actor, input: { entryId: string; path: string; filename?: string; mode: LoadMode; wait?: boolean }): Promise<{ job: JobView; datasetId: string }> {
      const { ds, entry } = await ensureDataset(actor, input.entryId, "ingest.dataset.load");
      const file = path.resolve(input.path);
      const filename = (input.filename ?? path.basename(file)).slice(0, 300);
      const st = await fs.promises.stat(file).catch(() => null);
      if (!st?.isFile()) throw new NotFoundError({ field: "path", message: `文件「${filename}」不存在或不是普通文件`, messageEn: `The file "${filename}" does not exist or is not a regular file` });
      const job = await jobs.create({ kind: "ingest.load", subject: ds.id, ownerUserId: userOf(actor), ownerOrgId: actor.kind === "user" ? actor.orgId : null, message: filename });
      await fs.promises.mkdir(stagingDir(lake.dir, job.id), { recursive: true });
      const done = launchLoad(job, ds, entry, { file, filename, mode: input.mode, actorUserId: userOf(actor), source: `file:${filename}` });
      const view = input.wait ? await done : (await jobs.get(job.id))!;
      return { job: view, datasetId: ds.id };
    },

    async job(actor: Actor, jobId: string): Promise<JobView> {
      return jobRef(actor, jobId);
    },
    async myJobs(actor: Actor, q: { limit?: number } = {}): Promise<JobView[]> {
      if (actor.kind !== "user") return [];
      return jobs.list({ ownerUserId: actor.userId, limit: q.limit ?? 50 });
    },
    /** The validation report of a load job (succeeded or refused). */
    async report(actor: Actor, jobId: string): Promise<{ job: JobView; report: ValidationReport | null }> {
      const job = await jobRef(actor, jobId);
      const res = (job.result ?? {}) as { report?: ValidationReport; details?: { report?: ValidationReport } };
      return { job, report: res.report ?? res.details?.report ?? null };
    },

    // ---------------------------------------------------------------- versions
    async versions(actor: Actor, id: string): Promise<{ dataset: Dataset; items: VersionView[] }> {
      const ds = await readable(actor, id);
      return { dataset: presentDataset(ds, await store.source(ds.id)), items: (await store.versions(id)).map((v) => presentVersion(ds, v)) };
    },

    /** Make an older kept version current again: one atomic switch of the pointer, with its ledger entry. */
    async rollback(actor: Actor, id: string, version: number, reason?: string): Promise<Dataset> {
      const ds0 = await readable(actor, id);
      assertCan(actor, "ingest.dataset.manage", await refOf(ds0));
      return serial(id, async () => {
        await db.transaction().execute(async (tx) => {
          const s = ingestStore(ingestDb(tx));
          const ds = (await s.dataset(id, true))!;
          const v = await s.version(id, version);
          if (!v || v.deleted_at || !fs.existsSync(path.join(lake.dir, v.file)))
            throw new NotFoundError({ field: "version", message: `版本 v${version} 不存在或已按保留策略删除，无法回滚`, messageEn: `Version ${version} does not exist or was removed by retention; cannot roll back to it` });
          if (ds.current_version === version) throw new ConflictError({ field: "version", message: `v${version} 已是当前版本`, messageEn: `Version ${version} is already current` });
          await ledger.append(tx, {
            kind: "ingest.snapshot.rolledback", subject: subjectOf(ds, version), actor: userOf(actor), digest: v.digest,
            data: { datasetId: id, entryId: ds.entry_id, version, previousVersion: ds.current_version, rows: Number(v.row_count), ...(reason ? { reason } : {}) },
          });
          await s.updateDataset(id, { current_version: version });
          served.delete(id);
        });
        return service.getDataset(id);
      });
    },

    async diff(actor: Actor, id: string, from: number, to: number, limit = 20): Promise<DiffResult> {
      const ds = await readable(actor, id);
      const a = await service.snapshot(ds.id, from);
      const b = await service.snapshot(ds.id, to);
      return lake.run((c) => diffSnapshots(c, a, b, limit));
    },

    /** A page of rows of the current (or a kept) version; masked outside the provider; recorded in the ledger. */
    async rows(actor: Actor, id: string, q: { version?: number; page: number; pageSize: number }): Promise<RowsPage> {
      const ds = await readable(actor, id, "ingest.dataset.preview");
      const version = q.version ?? ds.current_version;
      if (version == null) throw new NotFoundError({ field: "version", message: "数据集还没有数据", messageEn: "The dataset has no data yet" });
      const snap = await service.snapshot(id, version);
      const outside = actor.kind !== "user" || actor.orgId !== ds.provider_org_id;
      const entry = outside ? await entries.get(ds.entry_id) : null;
      const maskers = snap.columns.map((col) => {
        if (!outside) return null;
        if (!deps.maskerFor) return col.sensitive ? () => "***" : null;
        return deps.maskerFor(entry!.grade, ((entry!.generalLevel ?? 1) as 1 | 2 | 3 | 4), { name: col.name, type: col.type, sensitive: col.sensitive });
      });
      const page = await lake.run((c) => readRows(c, snap, q.page, q.pageSize));
      const rows = page.map((r) => {
        const o: RowsPage["rows"][number] = {};
        snap.columns.forEach((col, i) => {
          const v = r[col.name] as string | number | boolean | null;
          const m = maskers[i];
          o[col.name] = m ? m(v == null ? null : String(v)) : v;
        });
        return o;
      });
      await db.transaction().execute(async (tx) => {
        await ledger.append(tx, {
          kind: "ingest.preview.read", subject: subjectOf(ds, version), actor: userOf(actor),
          data: { datasetId: id, version, rows: rows.length, page: q.page, pageSize: q.pageSize, masked: maskers.some(Boolean), orgId: actor.kind === "user" ? actor.orgId : null },
        });
      });
      return {
        datasetId: id, version, total: snap.rowCount, page: q.page, pageSize: q.pageSize, masked: maskers.some(Boolean),
        columns: snap.columns.map((col, i) => ({ name: col.name, type: col.type, masked: !!maskers[i] })), rows,
        refs: page.map((r) => `v${version}.${Number(r.__rn)}`),
      };
    },

    /** 数据异议 更正: the current snapshot with the given cells changed, as a new current version. */
    async applyCorrections(actor: Actor, datasetId: string, input: CorrectionsBody): Promise<SnapshotInfo> {
      const ds0 = await load(datasetId);
      assertCan(actor, "ingest.dataset.manage", await refOf(ds0));
      return serial(datasetId, async () => {
        const cur = await service.current(datasetId);
        if (!cur) throw new NotFoundError({ field: "id", message: "数据集还没有数据，无法更正", messageEn: "The dataset has no data to correct" });
        const keys = cur.columns.filter((c) => c.key);
        if (!keys.length) throw new InvalidError({ field: "changes", message: "更正需要在目录信息项中标明主键", messageEn: "Corrections need key data items" });
        const tmpDir = stagingDir(lake.dir, `cor_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
        await fs.promises.mkdir(tmpDir, { recursive: true });
        try {
          const out = path.join(tmpDir, "snapshot.parquet");
          await lake.run(async (c) => {
            await c.run(`CREATE OR REPLACE TEMP TABLE cor AS SELECT * FROM ${cur.sql}`);
            for (const [n, ch] of input.changes.entries()) {
              const col = cur.columns.find((x) => x.name === ch.column);
              if (!col) throw new InvalidError({ field: `changes.${n}.column`, message: `没有名为「${ch.column}」的列`, messageEn: `No column "${ch.column}"` });
              const missingKey = keys.find((k) => ch.key[k.name] === undefined);
              if (missingKey) throw new InvalidError({ field: `changes.${n}.key`, message: `缺少主键「${missingKey.name}」`, messageEn: `Key "${missingKey.name}" is missing` });
              const value = ch.value == null || ch.value.trim() === "" ? null : ch.value.trim();
              if (value == null && col.required) throw new InvalidError({ field: `changes.${n}.value`, message: `「${col.name}」为必填项`, messageEn: `"${col.name}" is required` });
              const typed = value == null ? "NULL" : typedExpr(col, str(value));
              if (value != null) {
                const ok = (await c.runAndReadAll(`SELECT ${typed} IS NOT NULL`)).getRows()[0][0];
                if (!ok) throw new InvalidError({ field: `changes.${n}.value`, message: `「${value}」不是有效的${col.type}值`, messageEn: `"${value}" is not a valid ${col.type} value` });
              }
              const where = keys.map((k) => `CAST(${ident(k.name)} AS VARCHAR) = ${str(ch.key[k.name])}`).join(" AND ");
              const hit = Number((await c.runAndReadAll(`SELECT count(*) FROM cor WHERE ${where}`)).getRows()[0][0]);
              if (hit !== 1) throw new NotFoundError({ field: `changes.${n}.key`, message: "按主键找不到要更正的记录", messageEn: "No record with that key" });
              await c.run(`UPDATE cor SET ${ident(col.name)} = ${typed} WHERE ${where}`);
            }
            await c.run(`COPY cor TO ${str(out)} (${SNAPSHOT_PARQUET})`);
            await c.run("DROP TABLE cor");
          });
          const { snap } = await commit(datasetId, {
            parquet: out, rowCount: cur.rowCount, columns: cur.columns.map(({ checks: _checks, ...col }) => col), source: `correction:${input.ref}`, jobId: null, actorUserId: userOf(actor),
            kind: "ingest.snapshot.corrected", data: { reason: input.reason, ref: input.ref, changes: input.changes.length, basedOn: cur.version },
          });
          return snap;
        } finally {
          await removeQuietly(tmpDir);
        }
      });
    },

    // ---------------------------------------------------------------- sources (PostgreSQL connector)
    getSource: sources.get,
    setSource: sources.set,
    deleteSource: sources.remove,
    runSource: sources.run,
    runDueSources: sources.runDue,
    startScheduler: sources.startScheduler,
    stopScheduler: sources.stopScheduler,

    // ---------------------------------------------------------------- start-up and shutdown
    /**
     * After a crash: jobs left running by a dead process are marked failed; staging folders of jobs
     * that are not running, and snapshot files no version row points at, are removed.
     */
    async recover(): Promise<{ failedJobs: string[]; removedStaging: string[]; removedFiles: string[] }> {
      const failed = await jobs.failInterrupted();
      const live = await jobs.liveJobIds();
      const removedStaging: string[] = [];
      for (const name of await fs.promises.readdir(stagingRoot(lake.dir)).catch(() => [] as string[])) {
        if (live.has(name)) continue;
        await removeQuietly(path.join(stagingRoot(lake.dir), name));
        removedStaging.push(name);
      }
      const files = await store.liveFiles();
      const removedFiles: string[] = [];
      const root = path.join(lake.dir, "datasets");
      for (const dsName of await fs.promises.readdir(root).catch(() => [] as string[])) {
        for (const f of await fs.promises.readdir(path.join(root, dsName)).catch(() => [] as string[])) {
          const rel = path.join("datasets", dsName, f);
          if (files.has(rel)) continue;
          const m = /^v\d+-([^.]+)(?:\.deletes)?\.parquet$/.exec(f);
          if (m && live.has(`job_${m[1]}`)) continue;
          await removeQuietly(path.join(root, dsName, f));
          removedFiles.push(rel);
        }
      }
      // DuckDB spill files of a killed process (only when no other live process may be spilling there).
      if (live.size === 0) {
        for (const f of await fs.promises.readdir(path.join(lake.dir, "tmp")).catch(() => [] as string[])) await removeQuietly(path.join(lake.dir, "tmp", f));
      }
      return { failedJobs: failed.map((j) => j.id), removedStaging, removedFiles };
    },
    /** Wait for the jobs running in this process (shutdown, tests). */
    async drain(): Promise<void> {
      while (active.size) await Promise.allSettled([...active]);
    },
  };
  return service;
}

export type IngestService = ReturnType<typeof createIngestService>;
