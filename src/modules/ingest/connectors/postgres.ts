import fs from "node:fs";
import pg from "pg";
import { DomainError, InvalidError } from "../../../core/errors.ts";
import { checkSelectQuery, quoteColumnName, quoteTableName } from "./sqlguard.ts";

/**
 * PostgreSQL source connector: streams a table or a query from a department's database to NDJSON,
 * one JSON object per row, every value a string or null.
 *
 * - A server-side cursor (DECLARE … NO SCROLL CURSOR, FETCH n) inside a READ ONLY, REPEATABLE READ
 *   transaction: a consistent snapshot, memory bounded by one batch, and the server itself refuses
 *   anything but a read-only SELECT. (pg-cursor would do the same over the extended protocol; plain
 *   SQL cursors need no extra dependency and are as fast for batches of thousands.)
 * - Values as text: numerics keep their scale (1.50), dates are ISO (2024-01-02), timestamps ISO with
 *   T (2024-01-02T03:04:05.123456), timestamptz with the offset in China time (…+08:00), booleans
 *   true/false, bytea \x-hex, intervals ISO 8601 (P1DT2H), arrays and JSON as PostgreSQL prints them.
 * - Incremental: with `incrementalColumn`, rows `WHERE col > since ORDER BY col`; `maxIncremental`
 *   is the largest value extracted (null when none), to be stored as the next `since`.
 * - Table and column names are validated and quoted; a query must be a single SELECT (sqlguard.ts).
 * - A source that fails or goes away mid-extract rejects with a SourceExtractError (an InvalidError)
 *   naming host:port/db, never the password; `partialFile` and `rowsWritten` say what was left
 *   behind, and the caller deletes the file. An abort (signal) closes the connection and rejects
 *   with the signal's reason (an AbortError).
 */

export interface PgSourceSpec {
  /** postgres://user:password@host:port/db (query parameters such as sslmode are passed to pg). */
  url: string;
  /** `table` or `schema.table`; exactly one of table and query. */
  table?: string;
  /** One SELECT (or WITH … SELECT). */
  query?: string;
  /** A key or timestamp column to extract incrementally by. */
  incrementalColumn?: string;
  /** Only rows with incrementalColumn > since (in the column's own type); null or absent = all rows. */
  since?: string | null;
  /** Rows per FETCH (default 2000, 1–50000). */
  batchSize?: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  /** Called after each batch with the rows written so far. */
  onProgress?(rows: number): void;
}

export interface ExtractResult {
  rows: number;
  columns: string[];
  maxIncremental: string | null;
}

/** The details of a failed extraction (DomainError.details, safe to show: no path, no password). */
export interface ExtractFailure {
  source: string;
  rowsWritten: number;
  partial: boolean;
  pgCode?: string;
}

/**
 * A failed extraction (an InvalidError, so it maps to 400 with its field like any other). The caller
 * deletes `partialFile`; the path is a property, not in `details`, so it never reaches an HTTP body.
 */
export class SourceExtractError extends InvalidError {
  readonly partialFile: string;
  readonly rowsWritten: number;
  constructor(d: { field: string; message: string; messageEn: string; details: ExtractFailure }, partialFile: string) {
    super(d);
    this.partialFile = partialFile;
    this.rowsWritten = d.details.rowsWritten;
  }
}

const DEFAULT_BATCH = 2000;
const TIME_ZONE = "Asia/Shanghai";
const APP_NAME = "gongshu-extract";

/** host:port/db of a connection URL, without user or password. */
export function describeSource(url: string): string {
  try {
    const u = new URL(url);
    const db = safeDecode(u.pathname.replace(/^\//, "")) || "postgres";
    return `${u.hostname || "localhost"}:${u.port || "5432"}/${db}`;
  } catch {
    return "(无效的连接地址)";
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function checkUrl(url: string): URL {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== "postgres:" && u.protocol !== "postgresql:"))
    throw new InvalidError({ field: "url", message: "数据源地址应为 postgres://用户:密码@主机:端口/数据库", messageEn: "The source URL must be postgres://user:password@host:port/database" });
  return u;
}

/** Converters from PostgreSQL's text output to the NDJSON strings, by type OID. */
const OID = { bool: 16, timestamp: 1114, timestamptz: 1184 } as const;
type Conv = (v: string) => string;
const identity: Conv = (v) => v;
const CONVERTERS: Record<number, Conv> = {
  [OID.bool]: (v) => (v === "t" ? "true" : v === "f" ? "false" : v),
  [OID.timestamp]: (v) => v.replace(" ", "T"),
  // "2024-01-02 03:04:05.5+08" → "2024-01-02T03:04:05.5+08:00" (also +05:30, and BC dates left as they are).
  [OID.timestamptz]: (v) => v.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00"),
};

/** pg gives every value as the server's text (no parsing: the NDJSON holds exactly what the source holds). */
const TEXT_TYPES = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

interface Plan {
  sql: string;
  values: string[];
}

function planQuery(spec: PgSourceSpec): Plan {
  const hasTable = typeof spec.table === "string" && spec.table.trim() !== "";
  const hasQuery = typeof spec.query === "string" && spec.query.trim() !== "";
  if (hasTable === hasQuery)
    throw new InvalidError({ field: "table", message: "请指定表名或查询语句之一（不能同时指定）", messageEn: "Give either a table or a query, not both" });
  const from = hasTable ? quoteTableName(spec.table!.trim()) : `(${checkSelectQuery(spec.query!)}) AS gs_source`;
  if (!spec.incrementalColumn) return { sql: hasTable ? `SELECT * FROM ${from}` : checkSelectQuery(spec.query!), values: [] };
  const col = quoteColumnName(spec.incrementalColumn, "incrementalColumn");
  if (spec.since === null || spec.since === undefined) return { sql: `SELECT * FROM ${from} ORDER BY ${col}`, values: [] };
  if (typeof spec.since !== "string")
    throw new InvalidError({ field: "since", message: "增量起点应为字符串", messageEn: "since must be a string" });
  return { sql: `SELECT * FROM ${from} WHERE ${col} > $1 ORDER BY ${col}`, values: [spec.since] };
}

function batchSizeOf(spec: PgSourceSpec): number {
  const b = spec.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(b) || b < 1 || b > 50_000)
    throw new InvalidError({ field: "batchSize", message: "每批行数应为 1–50000 的整数", messageEn: "batchSize must be an integer from 1 to 50000" });
  return b;
}

/** Connection-level failures: the source went away, refused or timed out. */
const CONNECTION_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);
const isConnectionLoss = (e: { code?: string; message?: string }) =>
  (!!e.code && (CONNECTION_CODES.has(e.code) || /^(08|57P)/.test(e.code))) || /Connection terminated|connection error|not queryable|connection.*(closed|ended)|timeout/i.test(e.message ?? "");

/** Turn a pg or I/O error into a DomainError naming the source, never its password. */
function toDomainError(err: unknown, ctx: { source: string; password: string; outFile: string; rows: number; connected: boolean }): DomainError {
  if (err instanceof DomainError) return err;
  const e = (err ?? {}) as { code?: string; message?: string; column?: string };
  const scrub = (s: string) => (ctx.password ? s.split(ctx.password).join("***") : s);
  const pgMsg = scrub(String(e.message ?? err)).slice(0, 300);
  const details: ExtractFailure = { source: ctx.source, rowsWritten: ctx.rows, partial: ctx.rows > 0, ...(e.code ? { pgCode: e.code } : {}) };
  const partial = ctx.rows > 0 ? `；已写出 ${ctx.rows} 行的不完整文件须丢弃` : "";
  const partialEn = ctx.rows > 0 ? `; the partial file of ${ctx.rows} rows must be discarded` : "";
  const mk = (field: string, message: string, messageEn: string) => new SourceExtractError({ field, message, messageEn, details }, ctx.outFile);
  if (isConnectionLoss(e))
    return ctx.connected
      ? mk("source", `源数据库 ${ctx.source} 在抽取过程中断开连接（${pgMsg}）${partial}`, `The source database ${ctx.source} went away during the extract (${pgMsg})${partialEn}`)
      : mk("url", `无法连接源数据库 ${ctx.source}（${pgMsg}）`, `Cannot connect to the source database ${ctx.source} (${pgMsg})`);
  switch (e.code) {
    case "28P01":
    case "28000":
      return mk("url", `无法登录源数据库 ${ctx.source}：用户名或密码错误，或不允许从本平台登录`, `Cannot log in to the source database ${ctx.source}`);
    case "3D000":
      return mk("url", `源数据库 ${ctx.source} 不存在`, `The source database ${ctx.source} does not exist`);
    case "42P01":
      return mk("table", `源数据库 ${ctx.source} 中没有这张表（${pgMsg}）`, `No such table in ${ctx.source} (${pgMsg})`);
    case "42703":
      return mk("incrementalColumn", `源数据库 ${ctx.source} 中没有这一列（${pgMsg}）`, `No such column in ${ctx.source} (${pgMsg})`);
    case "42501":
      return mk("url", `源数据库 ${ctx.source} 的账号无权读取（${pgMsg}）`, `The account may not read this data in ${ctx.source} (${pgMsg})`);
    case "25006":
    case "0A000":
      return mk("query", `查询必须是只读的 SELECT（${pgMsg}）`, `The query must be a read-only SELECT (${pgMsg})`);
    case "22P02":
    case "22007":
    case "22008":
      return mk("since", `增量起点与增量列的类型不符（${pgMsg}）`, `since does not match the incremental column's type (${pgMsg})`);
  }
  if (e.code && /^42/.test(e.code)) return mk("query", `查询语句有误（${pgMsg}）`, `The query is wrong (${pgMsg})`);
  return mk("source", `从源数据库 ${ctx.source} 抽取失败（${pgMsg}）${partial}`, `Extract from ${ctx.source} failed (${pgMsg})${partialEn}`);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The extract was aborted", "AbortError");
}

/** Serialise one row: `{"col":"v",…}` with keys pre-encoded. */
function rowWriter(names: string[], convs: Conv[], incIndex: number) {
  const keys = names.map((n) => `${JSON.stringify(n)}:`);
  let maxInc: string | null = null;
  return {
    line(row: (string | null)[]): string {
      let s = "{";
      for (let i = 0; i < keys.length; i++) {
        const raw = row[i];
        const v = raw === null || raw === undefined ? null : convs[i](raw);
        if (i === incIndex && v !== null) maxInc = v; // rows come ordered by the column: the last non-null is the max
        s += (i ? "," : "") + keys[i] + (v === null ? "null" : JSON.stringify(v));
      }
      return `${s}}\n`;
    },
    maxIncremental: () => maxInc,
  };
}

/**
 * Extract a table or query from a PostgreSQL source into `outFile` (NDJSON). See the module comment
 * for formats, incremental extraction and errors.
 */
export async function extractPostgres(spec: PgSourceSpec, outFile: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  const url = checkUrl(spec?.url);
  const plan = planQuery(spec);
  const batch = batchSizeOf(spec);
  const source = describeSource(spec.url);
  const password = safeDecode(url.password);

  const client = new pg.Client({ connectionString: spec.url, types: TEXT_TYPES, application_name: APP_NAME, connectionTimeoutMillis: 15_000, keepAlive: true });
  // A connection that drops emits 'error' on the client as well as failing the running query: without
  // a listener that event would crash the process.
  let lost: Error | null = null;
  client.on("error", (e) => {
    lost = e;
  });
  const out = fs.createWriteStream(outFile, { flags: "w" });
  let outError: Error | null = null;
  out.on("error", (e) => {
    outError = e;
  });
  let rows = 0;
  let connected = false;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    // Closing the socket fails the FETCH in flight at once; the server rolls the transaction back.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  const write = async (chunk: string) => {
    if (outError) throw outError;
    if (!out.write(chunk)) await new Promise<void>((resolve, reject) => {
      const done = () => (out.off("drain", done), out.off("error", fail), resolve());
      const fail = (e: Error) => (out.off("drain", done), out.off("error", fail), reject(e));
      out.on("drain", done);
      out.on("error", fail);
    });
  };
  const closeOut = () =>
    new Promise<void>((resolve) => {
      if (out.destroyed || out.closed) return resolve();
      out.once("close", () => resolve());
      out.end();
    });

  try {
    await client.connect();
    connected = true;
    if (signal?.aborted) throw abortReason(signal);
    await client.query(`SET TIME ZONE '${TIME_ZONE}'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 1`);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await client.query({ text: `DECLARE gs_extract NO SCROLL CURSOR FOR ${plan.sql}`, values: plan.values });

    let writer: ReturnType<typeof rowWriter> | null = null;
    let columns: string[] = [];
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const res = await client.query<(string | null)[]>({ text: `FETCH FORWARD ${batch} FROM gs_extract`, rowMode: "array" });
      if (!writer) {
        columns = res.fields.map((f) => f.name);
        const dup = columns.find((c, i) => columns.indexOf(c) !== i);
        if (dup !== undefined)
          throw new InvalidError({ field: "query", message: `查询结果有重名的列「${dup}」，请用 AS 起不同的列名`, messageEn: `The query returns two columns named '${dup}'; rename one with AS` });
        const incIndex = spec.incrementalColumn ? columns.indexOf(spec.incrementalColumn) : -1;
        if (spec.incrementalColumn && incIndex < 0)
          throw new InvalidError({ field: "incrementalColumn", message: `查询结果中没有增量列「${spec.incrementalColumn}」`, messageEn: `The result has no column '${spec.incrementalColumn}'` });
        writer = rowWriter(columns, res.fields.map((f) => CONVERTERS[f.dataTypeID] ?? identity), incIndex);
      }
      if (res.rows.length) {
        let chunk = "";
        for (const r of res.rows) chunk += writer.line(r);
        await write(chunk);
        rows += res.rows.length;
        onProgress?.(rows);
      }
      if (res.rows.length < batch) break;
    }
    await client.query("CLOSE gs_extract");
    await client.query("COMMIT");
    await closeOut();
    if (outError) throw outError;
    return { rows, columns, maxIncremental: writer?.maxIncremental() ?? null };
  } catch (err) {
    await closeOut();
    if (aborted && signal) throw abortReason(signal);
    // After the connection dropped, the next query fails with "not queryable": the dropped
    // connection's own error (e.g. 57P01 terminating connection) says what happened.
    throw toDomainError(err instanceof DomainError ? err : (lost ?? err), { source, password, outFile, rows, connected });
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // end() on a connection the server already dropped can wait for nothing: bound it.
    await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
