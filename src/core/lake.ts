import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/**
 * The data plane: one DuckDB instance (in memory, spilling to `<lake>/tmp`) over the Parquet files
 * of the lake folder. Snapshot files live under `<lake>/datasets/<datasetId>/`; loads stage their
 * work under `<lake>/staging/<jobId>/` (removed when the load ends, and at the next start after a crash).
 *
 * Memory: DuckDB's `memory_limit` bounds its buffer pool (it spills to tmp beyond it), so a
 * multi-GB load stays within a fixed footprint; `threads` bounds its CPU use.
 */
export interface Lake {
  dir: string;
  /** A new connection with the setup statements (e.g. the protection macros) run on it. Close it with `closeSync()`. */
  connect(): Promise<DuckDBConnection>;
  /**
   * Run `fn` on a connection of the pool (set up once, reused: a new connection with its setup
   * statements costs ~12 ms, more than a typical API query). `fn` must leave no session state behind
   * (temp objects dropped or CREATE OR REPLACE'd, no SET); a connection whose `fn` threw is closed,
   * not reused. Long jobs that change settings take their own with `connect()`.
   */
  run<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenLakeOptions {
  /** The lake folder; "memory://" (or a "memory://…" data dir) makes a temp folder removed on close. */
  dir: string;
  threads?: number;
  /** DuckDB memory_limit, e.g. "1GB". */
  memoryLimit?: string;
  /** SQL statements run on every connection handed out (CREATE OR REPLACE MACRO …). */
  setup?: string[];
}

/** Quote a SQL string literal. */
export const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** Quote a SQL identifier. */
export const sqlIdent = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Idle connections kept for `run` (more are opened under load and closed when returned). */
const POOL_SIZE = 8;

export async function openLake(opts: OpenLakeOptions): Promise<Lake> {
  const temp = opts.dir.startsWith("memory://");
  const dir = temp ? fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-lake-")) : path.resolve(opts.dir);
  for (const sub of ["datasets", "staging", "tmp"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const instance = await DuckDBInstance.create(":memory:", {
    threads: String(opts.threads ?? Math.max(1, Math.min(4, os.availableParallelism()))),
    memory_limit: opts.memoryLimit ?? "1GB",
    temp_directory: path.join(dir, "tmp"),
    preserve_insertion_order: "true",
  });
  const setup = opts.setup ?? [];
  let closed = false;
  const open = new Set<DuckDBConnection>();
  const idle: DuckDBConnection[] = [];
  const connect = async () => {
    if (closed) throw new Error("lake is closed");
    const c = await instance.connect();
    for (const s of setup) await c.run(s);
    open.add(c);
    const close = c.closeSync.bind(c);
    c.closeSync = () => {
      open.delete(c);
      close();
    };
    return c;
  };
  return {
    dir,
    connect,
    async run(fn) {
      const c = idle.pop() ?? (await connect());
      let ok = false;
      try {
        const r = await fn(c);
        ok = true;
        return r;
      } finally {
        if (ok && !closed && idle.length < POOL_SIZE) idle.push(c);
        else c.closeSync();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const c of [...open]) {
        try {
          c.interrupt();
          c.closeSync();
        } catch {
          /* already closed */
        }
      }
      instance.closeSync();
      if (temp) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
