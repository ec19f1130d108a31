import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import pg from "pg";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { PERSON_ITEMS, personRow, rng } from "./fixtures.ts";

/**
 * The PostgreSQL source connector end to end through the HTTP API: a real source database (a scratch
 * database on the test server), a full load, an incremental load that merges by key, and a source
 * that stops answering. Runs in the PostgreSQL pass only (it needs a server to be the source).
 */
const adminUrl = process.env.GONGSHU_TEST_PG_URL;
const enabled = TEST_ENGINE === "postgres" && !!adminUrl;

describe("ingest: PostgreSQL source connector through the API (postgres)", { skip: enabled ? false : "needs GONGSHU_TEST_DB=postgres and GONGSHU_TEST_PG_URL" }, () => {
  let t: TestPlatform;
  let officer: string;
  let entryId: string;
  let datasetId: string;
  const srcName = `gs_src_${crypto.randomBytes(5).toString("hex")}`;
  let srcUrl: string;
  let src: pg.Client;
  const r = rng(99);
  const rows = Array.from({ length: 40 }, (_, i) => personRow(i, r, false, null));

  async function insert(from: number, to: number, at: string) {
    for (const row of rows.slice(from, to)) {
      await src.query("insert into persons values ($1,$2,$3,$4,$5,$6,$7,$8)", [...row.slice(0, 7), at]);
    }
  }

  before(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${srcName}`);
    await admin.end();
    const u = new URL(adminUrl!);
    u.pathname = `/${srcName}`;
    srcUrl = u.toString();
    src = new pg.Client({ connectionString: srcUrl });
    src.on("error", () => {}); // terminated on purpose in the last test
    await src.connect();
    await src.query(`create table persons (id_number text primary key, name text, gender text, birth_date text, amount text, household_size text, employed text, registered_at timestamptz not null)`);
    await insert(0, 30, "2026-01-01T00:00:00Z");

    t = await createTestPlatform();
    const city = await makeOrg(t.platform, "数据局", "city");
    const dept = await makeOrg(t.platform, "人社局", "department", city.id);
    await makeUser(t.platform, "admin1", city.id, ["platform_admin"]);
    await makeUser(t.platform, "officer1", dept.id, ["data_officer"]);
    const admin1 = await login(t.app, "admin1");
    officer = await login(t.app, "officer1");
    const content = sampleContent({ name: "参保人员信息", items: PERSON_ITEMS, shareType: "无条件共享", shareConditions: undefined });
    const e = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content } });
    assert.equal(e.statusCode, 201, e.body);
    entryId = e.json().entry.id;
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${entryId}/submit`, cookie: officer });
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${entryId}/review`, cookie: admin1, body: { decision: "approve" } });
    const d = await call(t.app, { method: "POST", url: "/api/datasets", cookie: officer, body: { entryId } });
    assert.ok(d.statusCode === 201 || d.statusCode === 200, d.body);
    datasetId = d.json().dataset.id;
  });

  after(async () => {
    await src?.end().catch(() => {});
    await t?.close();
    if (adminUrl) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${srcName} with (force)`);
      await c.end();
    }
  });

  const run = async () => {
    const res = await call(t.app, { method: "POST", url: `/api/datasets/${datasetId}/source/run?wait=true`, cookie: officer });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().job;
  };

  test("a full load, then an incremental one that merges new and changed rows by key", async () => {
    const put = await call(t.app, { method: "PUT", url: `/api/datasets/${datasetId}/source`, cookie: officer, body: { url: srcUrl, table: "persons", incrementalColumn: "registered_at" } });
    assert.equal(put.statusCode, 200, put.body);
    const j1 = await run();
    assert.equal(j1.status, "succeeded", JSON.stringify(j1.error));
    let snap = await t.platform.services.ingest.current(datasetId);
    assert.equal(snap?.version, 1);
    assert.equal(snap?.rowCount, 30);

    // Ten new people and one changed name, all stamped later: the next run reads only those 11 rows.
    await insert(30, 40, "2026-02-01T00:00:00Z");
    await src.query("update persons set name = '改名者', registered_at = '2026-02-02T00:00:00Z' where id_number = $1", [rows[0][0]]);
    const j2 = await run();
    assert.equal(j2.status, "succeeded", JSON.stringify(j2.error));
    assert.equal(j2.result.extracted, 11);
    snap = await t.platform.services.ingest.current(datasetId);
    assert.equal(snap?.version, 2);
    assert.equal(snap?.rowCount, 40);
    const diff = await call(t.app, { url: `/api/datasets/${datasetId}/diff?from=1&to=2`, cookie: officer });
    assert.equal(diff.statusCode, 200, diff.body);
    assert.equal(diff.json().added, 10);
    assert.equal(diff.json().removed, 0);
    assert.equal(diff.json().changed, 1);

    // Nothing new: no new version.
    const j3 = await run();
    assert.equal(j3.status, "succeeded");
    assert.equal((await t.platform.services.ingest.current(datasetId))?.version, 2);
  });

  test("a source that no longer accepts connections fails the job with a clear error and loses nothing (a connection cut mid-extract: connectors/postgres.test.ts)", async () => {
    const before = await t.platform.services.ingest.current(datasetId);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`alter database ${srcName} allow_connections false`);
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [srcName]);
    await src.end().catch(() => {});
    await src.query("update persons set registered_at = now()").catch(() => {});
    try {
      const j = await run();
      assert.equal(j.status, "failed");
      assert.ok(j.error?.message, "the job names what went wrong");
      assert.ok(!JSON.stringify(j).includes("password"));
      const after = await t.platform.services.ingest.current(datasetId);
      assert.equal(after?.version, before?.version);
      assert.equal(after?.path, before?.path);
    } finally {
      await admin.query(`alter database ${srcName} allow_connections true`);
      await admin.end();
    }
  });
});
