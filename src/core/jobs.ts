import os from "node:os";
import { sql, type Generated, type Kysely } from "kysely";
import type { Db } from "./db.ts";
import { DomainError } from "./errors.ts";
import { newId } from "./ids.ts";
import type { ModuleMigrations } from "./migrate.ts";

/**
 * Background jobs of the server process (long loads, connector runs): a row per job with its status,
 * phase and progress, so the CLI, the web UI and `GET /api/jobs/:id` can follow it. A job runs in
 * the process that created it; the row records that process (host + pid). A job left "running" or
 * "queued" by a process that no longer exists (kill -9, crash) is marked failed at the next start.
 */
export const JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobError {
  code: string;
  message: string;
  messageEn: string;
  field?: string;
  details?: unknown;
}

export interface JobView {
  id: string;
  kind: string;
  /** What it works on (e.g. a dataset id). */
  subject: string | null;
  ownerUserId: string | null;
  ownerOrgId: string | null;
  status: JobStatus;
  phase: string | null;
  progress: { done: number; total: number | null; unit: "rows" | "bytes" | "percent" | null };
  message: string | null;
  result: Record<string, unknown> | null;
  error: JobError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface JobsTables {
  jobs: {
    id: string;
    kind: string;
    subject: string | null;
    owner_user_id: string | null;
    owner_org_id: string | null;
    status: JobStatus;
    phase: string | null;
    done: Generated<number>;
    total: number | null;
    unit: string | null;
    message: string | null;
    result: unknown;
    error: unknown;
    host: string | null;
    pid: number | null;
    created_at: Generated<Date>;
    started_at: Date | null;
    finished_at: Date | null;
    updated_at: Generated<Date>;
  };
}

export const jobsMigrations: ModuleMigrations = {
  "20261125_0050_jobs_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject", "text")
        .addColumn("owner_user_id", "text")
        .addColumn("owner_org_id", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('queued','running','succeeded','failed')`))
        .addColumn("phase", "text")
        .addColumn("done", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("total", "bigint")
        .addColumn("unit", "text")
        .addColumn("message", "text")
        .addColumn("result", "jsonb")
        .addColumn("error", "jsonb")
        .addColumn("host", "text")
        .addColumn("pid", "integer")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn("started_at", "timestamptz")
        .addColumn("finished_at", "timestamptz")
        .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`create index jobs_owner_idx on jobs (owner_user_id, created_at desc)`.execute(db);
      await sql`create index jobs_active_idx on jobs (status) where status in ('queued','running')`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("jobs").execute();
    },
  },
};

export interface JobProgress {
  phase?: string;
  done?: number;
  total?: number | null;
  unit?: "rows" | "bytes" | "percent";
  message?: string;
}

/** What a running job's work function gets. */
export interface JobContext {
  id: string;
  /** Record progress; writes are throttled (a phase change is written at once). */
  progress(p: JobProgress): void;
  /** Flush the last progress now. */
  flush(): Promise<void>;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
/** This process: host name, pid and a random instance id (pids are reused, e.g. pid 1 in containers). */
const HOSTNAME = os.hostname();
const HOST = `${HOSTNAME}/${newId("proc")}`;

/** A process is alive on this host (signal 0). EPERM means it exists but is not ours. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Is the process that owns a queued/running job still there? This process's own jobs are; another
 * process of this host is if its pid is alive (and is not ours: then it is an earlier process whose
 * pid was reused). Jobs of other hosts (several servers on one PostgreSQL) are left to their host.
 */
function isLive(r: { host: string | null; pid: number | null }): boolean {
  if (!r.host || r.pid == null) return false;
  if (r.host === HOST) return true;
  if (r.host.split("/")[0] !== HOSTNAME) return true;
  return r.pid !== process.pid && alive(r.pid);
}

export function toJobError(err: unknown): JobError {
  if (err instanceof DomainError)
    return { code: err.code, message: err.messageZh, messageEn: err.messageEn, ...(err.field ? { field: err.field } : {}), ...(err.details !== undefined ? { details: err.details } : {}) };
  return { code: "internal", message: "任务执行失败（内部错误）", messageEn: "The job failed (internal error)" };
}

export function createJobs(dbAny: Db, opts: { throttleMs?: number; onInternalError?: (err: unknown, job: string) => void } = {}) {
  const db = dbAny as unknown as Kysely<JobsTables>;
  const throttleMs = opts.throttleMs ?? 300;

  function present(r: any): JobView {
    return {
      id: r.id, kind: r.kind, subject: r.subject, ownerUserId: r.owner_user_id, ownerOrgId: r.owner_org_id, status: r.status, phase: r.phase,
      progress: { done: Number(r.done), total: r.total == null ? null : Number(r.total), unit: r.unit },
      message: r.message, result: r.result ?? null, error: r.error ?? null,
      createdAt: iso(r.created_at)!, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at), updatedAt: iso(r.updated_at)!,
    };
  }

  const jobs = {
    async create(input: { kind: string; subject?: string | null; ownerUserId?: string | null; ownerOrgId?: string | null; message?: string }): Promise<JobView> {
      const id = newId("job");
      await db.insertInto("jobs").values({
        id, kind: input.kind, subject: input.subject ?? null, owner_user_id: input.ownerUserId ?? null, owner_org_id: input.ownerOrgId ?? null,
        status: "queued", phase: "queued", total: null, unit: null, message: input.message ?? null, result: null, error: null,
        host: HOST, pid: process.pid, started_at: null, finished_at: null,
      }).execute();
      return (await jobs.get(id))!;
    },

    async get(id: string): Promise<JobView | null> {
      const r = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? present(r) : null;
    },

    async list(q: { ownerUserId?: string; ownerOrgId?: string; kind?: string; subject?: string; limit?: number }): Promise<JobView[]> {
      let s = db.selectFrom("jobs").selectAll();
      if (q.ownerUserId) s = s.where("owner_user_id", "=", q.ownerUserId);
      if (q.ownerOrgId) s = s.where("owner_org_id", "=", q.ownerOrgId);
      if (q.kind) s = s.where("kind", "=", q.kind);
      if (q.subject) s = s.where("subject", "=", q.subject);
      return (await s.orderBy("created_at", "desc").orderBy("id").limit(q.limit ?? 50).execute()).map(present);
    },

    /**
     * Run `work` as the job, in this process, without waiting for it: status running → succeeded
     * (result) or failed (error). Returns a promise that settles when the job has finished
     * (never rejects), for callers that want to wait.
     */
    run(id: string, work: (ctx: JobContext) => Promise<Record<string, unknown>>): Promise<JobView> {
      let pending: JobProgress | null = null;
      let lastWrite = 0;
      let lastPhase: string | undefined;
      let writing: Promise<unknown> = Promise.resolve();
      let finished = false;
      const write = (p: JobProgress) => {
        const set: Record<string, unknown> = { updated_at: new Date() };
        if (p.phase !== undefined) set.phase = p.phase;
        if (p.done !== undefined) set.done = Math.round(p.done);
        if (p.total !== undefined) set.total = p.total == null ? null : Math.round(p.total);
        if (p.unit !== undefined) set.unit = p.unit;
        if (p.message !== undefined) set.message = p.message;
        writing = writing
          .then(() => (finished ? undefined : db.updateTable("jobs").set(set).where("id", "=", id).where("status", "=", "running").execute()))
          .catch(() => undefined);
        return writing;
      };
      const ctx: JobContext = {
        id,
        progress(p) {
          pending = { ...(pending ?? {}), ...p };
          const now = Date.now();
          if ((p.phase !== undefined && p.phase !== lastPhase) || now - lastWrite >= throttleMs) {
            if (p.phase !== undefined) lastPhase = p.phase;
            lastWrite = now;
            const w = pending;
            pending = null;
            void write(w);
          }
        },
        async flush() {
          if (pending) {
            const w = pending;
            pending = null;
            await write(w);
          } else await writing;
        },
      };
      return (async () => {
        await db.updateTable("jobs").set({ status: "running", phase: "running", started_at: new Date(), updated_at: new Date(), host: HOST, pid: process.pid }).where("id", "=", id).execute();
        try {
          const result = await work(ctx);
          await ctx.flush();
          finished = true;
          await db.updateTable("jobs").set({ status: "succeeded", phase: "done", result: JSON.stringify(result), finished_at: new Date(), updated_at: new Date() }).where("id", "=", id).execute();
        } catch (err) {
          await ctx.flush().catch(() => undefined);
          finished = true;
          if (!(err instanceof DomainError)) opts.onInternalError?.(err, id);
          const e = toJobError(err);
          const result = err instanceof DomainError && err.details && typeof err.details === "object" ? { details: err.details } : null;
          await db.updateTable("jobs").set({ status: "failed", phase: "failed", error: JSON.stringify(e), result: result ? JSON.stringify(result) : null, message: e.message, finished_at: new Date(), updated_at: new Date() }).where("id", "=", id).execute();
        }
        return (await jobs.get(id))!;
      })();
    },

    /**
     * At start-up: jobs left queued or running by a process of this host that no longer exists are
     * marked failed with the reason. Returns their ids (so their owners can clean up their leftovers).
     */
    async failInterrupted(reason = { message: "任务被中断（进程意外退出），请重新执行", messageEn: "The job was interrupted (the process ended unexpectedly); run it again" }): Promise<JobView[]> {
      const open = await db.selectFrom("jobs").selectAll().where("status", "in", ["queued", "running"]).execute();
      const dead = open.filter((r) => !isLive(r));
      for (const r of dead) {
        await db.updateTable("jobs")
          .set({ status: "failed", phase: "failed", message: reason.message, error: JSON.stringify({ code: "interrupted", ...reason }), finished_at: new Date(), updated_at: new Date() })
          .where("id", "=", r.id).where("status", "in", ["queued", "running"]).execute();
      }
      return dead.map(present);
    },

    /** Jobs still running in a live process of this host (their staging work must be left alone). */
    async liveJobIds(): Promise<Set<string>> {
      const open = await db.selectFrom("jobs").select(["id", "host", "pid"]).where("status", "in", ["queued", "running"]).execute();
      return new Set(open.filter(isLive).map((r) => r.id));
    },
  };
  return jobs;
}

export type Jobs = ReturnType<typeof createJobs>;
