import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { DomainError, InvalidError } from "../../../core/errors.ts";
import { extractPostgres, SourceExtractError, type ExtractFailure } from "./postgres.ts";

/**
 * Runs against a real PostgreSQL: GONGSHU_TEST_PG_URL is the admin URL (CI sets it; locally
 * postgres://postgres@127.0.0.1:55432/postgres). Each run makes and drops a scratch database.
 * In `npm test`'s PGlite pass it is skipped (it runs in the PostgreSQL pass).
 */
const adminUrl = process.env.GONGSHU_TEST_PG_URL;
const skip = !adminUrl
  ? "GONGSHU_TEST_PG_URL is not set: the PostgreSQL connector tests need a PostgreSQL server"
  : process.env.GONGSHU_TEST_DB === "pglite"
    ? "runs in the PostgreSQL pass (GONGSHU_TEST_DB=postgres)"
    : false;

const ROWS = 30_000;
const BIG = 200_000;
const PASSWORD = "s3cret-Pw";

describe("PostgreSQL source connector", { skip }, () => {
  const dbName = `gs_conn_${crypto.randomBytes(5).toString("hex")}`;
  let url: string;
  let admin: pg.Client;
  let dir: string;
  const out = (name: string) => path.join(dir, name);
  const readLines = (f: string) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, string | null>);

  before(async () => {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(adminUrl!);
    u.pathname = `/${dbName}`;
    u.password = PASSWORD; // trust auth ignores it; it must never show in an error
    if (!u.username) u.username = "postgres";
    url = u.toString();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gs-pg-extract-"));
    const c = new pg.Client({ connectionString: adminUrl!.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`) });
    await c.connect();
    await c.query(`
      CREATE TABLE people (
        id bigint PRIMARY KEY, 姓名 text, born date, updated_at timestamptz, seen timestamp, score numeric(10,2),
        active boolean, photo bytea, note text, tags text[], meta jsonb, dur interval, ratio double precision);
      INSERT INTO people
      SELECT g, '张' || g, DATE '1990-01-01' + (g % 9000), TIMESTAMPTZ '2024-01-01 00:00:00+08' + g * INTERVAL '1 minute',
             TIMESTAMP '2024-01-01 08:00:00.5' + g * INTERVAL '1 second', (g % 1000) / 100.0 + 0.5, g % 2 = 0,
             CASE WHEN g % 7 = 0 THEN NULL ELSE '\\x0102ff'::bytea END,
             CASE WHEN g % 5 = 0 THEN NULL WHEN g = 3 THEN E'line1\\nline2 "quoted" \\\\ 引号' ELSE 'n' || g END,
             ARRAY['a', 'b,c'], jsonb_build_object('k', g), INTERVAL '1 day 2 hours', g / 3.0
      FROM generate_series(1, ${ROWS}) g;
      CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, ${BIG}) g;
      CREATE SEQUENCE s;`);
    await c.end();
  });

  after(async () => {
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a table streams to NDJSON, every value a string or null, in ISO and textual forms", async () => {
    const progress: number[] = [];
    const f = out("people.ndjson");
    const r = await extractPostgres({ url, table: "public.people", batchSize: 1000 }, f, { onProgress: (n) => progress.push(n) });
    assert.equal(r.rows, ROWS);
    assert.deepEqual(r.columns, ["id", "姓名", "born", "updated_at", "seen", "score", "active", "photo", "note", "tags", "meta", "dur", "ratio"]);
    assert.equal(r.maxIncremental, null);
    assert.equal(progress.length, ROWS / 1000);
    assert.equal(progress.at(-1), ROWS);
    const lines = readLines(f);
    assert.equal(lines.length, ROWS);
    for (const l of lines) for (const v of Object.values(l)) assert.ok(v === null || typeof v === "string");
    const byId = new Map(lines.map((l) => [l.id, l]));
    assert.deepEqual(byId.get("3"), {
      id: "3", 姓名: "张3", born: "1990-01-04", updated_at: "2024-01-01T00:03:00+08:00", seen: "2024-01-01T08:00:03.5", score: "0.53",
      active: "false", photo: "\\x0102ff", note: 'line1\nline2 "quoted" \\ 引号', tags: '{a,"b,c"}', meta: '{"k": 3}', dur: "P1DT2H", ratio: "1",
    });
    assert.equal(byId.get("14")!.photo, null);
    assert.equal(byId.get("10")!.note, null);
    assert.equal(byId.get("2")!.active, "true");
  });

  test("incremental by a key: only rows above since, ordered, with the new maximum", async () => {
    const f = out("inc.ndjson");
    const r = await extractPostgres({ url, table: "people", incrementalColumn: "id", since: String(ROWS - 10) }, f);
    assert.equal(r.rows, 10);
    assert.equal(r.maxIncremental, String(ROWS));
    assert.deepEqual(readLines(f).map((l) => l.id), Array.from({ length: 10 }, (_, i) => String(ROWS - 9 + i)));
    const none = await extractPostgres({ url, table: "people", incrementalColumn: "id", since: String(ROWS) }, out("none.ndjson"));
    assert.deepEqual(none, { rows: 0, columns: ["id", "姓名", "born", "updated_at", "seen", "score", "active", "photo", "note", "tags", "meta", "dur", "ratio"], maxIncremental: null });
    assert.equal(fs.readFileSync(out("none.ndjson"), "utf8"), "");
    const all = await extractPostgres({ url, table: "people", incrementalColumn: "id", since: null }, out("all.ndjson"));
    assert.equal(all.rows, ROWS);
    assert.equal(all.maxIncremental, String(ROWS));
  });

  test("incremental by a timestamp: the returned maximum is accepted back as since", async () => {
    const first = await extractPostgres({ url, query: "select id, updated_at from people where id <= 100", incrementalColumn: "updated_at" }, out("ts1.ndjson"));
    assert.equal(first.rows, 100);
    assert.equal(first.maxIncremental, "2024-01-01T01:40:00+08:00");
    const next = await extractPostgres({ url, query: "select id, updated_at from people where id <= 105", incrementalColumn: "updated_at", since: first.maxIncremental }, out("ts2.ndjson"));
    assert.deepEqual(readLines(out("ts2.ndjson")).map((l) => l.id), ["101", "102", "103", "104", "105"]);
    assert.equal(next.maxIncremental, "2024-01-01T01:45:00+08:00");
  });

  test("a query: its columns and rows; a trailing semicolon and comments are fine", async () => {
    const r = await extractPostgres({ url, query: "-- adults\nselect id, 姓名 as name from people where id <= 250 order by id;" }, out("q.ndjson"));
    assert.equal(r.rows, 250);
    assert.deepEqual(r.columns, ["id", "name"]);
    assert.deepEqual(readLines(out("q.ndjson"))[0], { id: "1", name: "张1" });
  });

  test("unsafe or wrong definitions are refused before anything runs", async () => {
    const bad = async (spec: object, field: string, re: RegExp) => {
      await assert.rejects(extractPostgres({ url, ...spec }, out("x.ndjson")), (e: unknown) => e instanceof InvalidError && e.field === field && re.test(e.messageZh));
    };
    await bad({ query: "delete from people" }, "query", /SELECT/);
    await bad({ query: "select 1; drop table people" }, "query", /多条语句/);
    await bad({ table: "people; drop table people" }, "table", /表名/);
    await bad({ table: "people", incrementalColumn: "id > 0 --" }, "incrementalColumn", /列名/);
    await bad({ table: "people", query: "select 1" }, "table", /之一/);
    await bad({}, "table", /之一/);
    await bad({ url: "mysql://x@y/z", table: "people" }, "url", /postgres:\/\//);
    await bad({ table: "people", batchSize: 0 }, "batchSize", /1–50000/);
    // Still there.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    assert.equal((await c.query("select count(*)::int n from people")).rows[0].n, ROWS);
    await c.end();
  });

  test("the server refuses writes a query might hide (read-only transaction)", async () => {
    await assert.rejects(extractPostgres({ url, query: "select nextval('s')" }, out("w.ndjson")), (e: unknown) => e instanceof InvalidError && e.field === "query" && /只读/.test(e.messageZh));
  });

  test("source errors name the source without the password", async () => {
    await assert.rejects(extractPostgres({ url, table: "no_such_table" }, out("e1.ndjson")), (e: unknown) => {
      assert.ok(e instanceof InvalidError);
      assert.equal(e.field, "table");
      assert.match(e.messageZh, new RegExp(`${dbName}`));
      return true;
    });
    await assert.rejects(extractPostgres({ url, query: "select 1 as a, 2 as a" }, out("e2.ndjson")), (e: unknown) => e instanceof InvalidError && /重名/.test(e.messageZh));
    await assert.rejects(extractPostgres({ url, table: "people", incrementalColumn: "id", since: "not a number" }, out("e3.ndjson")), (e: unknown) => e instanceof InvalidError && e.field === "since");
    const down = `postgres://postgres:${PASSWORD}@127.0.0.1:1/${dbName}`;
    await assert.rejects(extractPostgres({ url: down, table: "people" }, out("e4.ndjson")), (e: unknown) => {
      assert.ok(e instanceof InvalidError);
      assert.match(e.messageZh, new RegExp(`无法连接源数据库 127\\.0\\.0\\.1:1/${dbName}`));
      assert.ok(!JSON.stringify(e.toBody()).includes(PASSWORD));
      return true;
    });
  });

  test("a source that goes away mid-extract rejects naming the source, and reports the partial file", async () => {
    const f = out("killed.ndjson");
    let killed: Promise<unknown> | null = null;
    const started = Date.now();
    const err = await extractPostgres({ url, table: "big", batchSize: 200 }, f, {
      onProgress: () => {
        killed ??= admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'gongshu-extract'", [dbName]);
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    await killed;
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.ok(err instanceof SourceExtractError);
    assert.equal(err.field, "source");
    assert.match(err.messageZh, new RegExp(`源数据库 127\\.0\\.0\\.1:\\d+/${dbName} 在抽取过程中断开连接`));
    assert.ok(!JSON.stringify(err.toBody()).includes(PASSWORD));
    const d = err.details as ExtractFailure;
    assert.equal(err.partialFile, f);
    assert.ok(!JSON.stringify(err.toBody()).includes(dir), "the file's path stays out of the HTTP body");
    assert.ok(d.partial && d.rowsWritten === err.rowsWritten);
    assert.ok(d.rowsWritten > 0 && d.rowsWritten < BIG, `rows written ${d.rowsWritten}`);
    assert.equal(readLines(f).length, d.rowsWritten, "the partial file holds exactly the rows reported");
    assert.ok(Date.now() - started < 30_000);
  });

  test("an abort stops the extract and closes the source connection", async () => {
    const ac = new AbortController();
    const f = out("aborted.ndjson");
    await assert.rejects(
      extractPostgres({ url, table: "big", batchSize: 500 }, f, { signal: ac.signal, onProgress: (n) => n >= 1000 && ac.abort() }),
      (e: unknown) => (e as Error).name === "AbortError",
    );
    let left = 1;
    for (let i = 0; i < 50 && left > 0; i++) {
      left = (await admin.query("select count(*)::int n from pg_stat_activity where datname = $1 and application_name = 'gongshu-extract'", [dbName])).rows[0].n;
      if (left) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(left, 0);
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(extractPostgres({ url, table: "big" }, out("pre.ndjson"), { signal: pre.signal }), (e: unknown) => (e as Error).name === "AbortError");
  });
});
