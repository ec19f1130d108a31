import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pg from "pg";
import { createPlatform, type Platform } from "../../src/app.ts";
import type { Actor } from "../../src/modules/policy/index.ts";
import { PERSON_ITEMS, writePersonCsv } from "../../src/modules/ingest/fixtures.ts";
import { sampleContent, TEST_ENGINE, TEST_PASSWORD } from "../helpers.ts";

/**
 * kill -9 in the middle of a load (issue 3): a child process loads a large generated CSV; it is
 * SIGKILLed once its job shows the phase under test; the platform restarted on the same data folder
 * (PGlite) or database (PostgreSQL) has the previous version current, readable and identical (same
 * digest, same rows), the interrupted job marked failed, and no leftovers (staging, orphan files).
 */
// Large enough that the validating pass lasts well over the child's 50 ms polling (≈ 0.5 s on 2 cores).
const ROWS = Number(process.env.GONGSHU_CRASH_ROWS ?? 1_000_000);
const root = path.resolve(import.meta.dirname, "../..");

describe(`crash: SIGKILL during a load leaves the previous version whole (${TEST_ENGINE})`, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-crash-"));
  const dataDir = path.join(tmp, "data");
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let entryId: string;
  let actor: Actor;
  let bigFile: string;

  const open = () => createPlatform({ dataDir, logLevel: "silent", ...(databaseUrl ? { databaseUrl } : {}) });
  const rowsHash = async (p: Platform, relation: string) =>
    p.lake.run(async (c) => String((await c.runAndReadAll(`SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY "公民身份号码")) FROM ${relation} t`)).getRows()[0][0]));
  const fileDigest = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

  before(async () => {
    if (TEST_ENGINE === "postgres") {
      const admin = process.env.GONGSHU_TEST_PG_URL!;
      const name = `gs_crash_${crypto.randomBytes(5).toString("hex")}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`create database ${name}`);
      await c.end();
      const u = new URL(admin);
      u.pathname = `/${name}`;
      databaseUrl = u.toString();
      dropDb = async () => {
        const d = new pg.Client({ connectionString: admin });
        await d.connect();
        await d.query(`drop database if exists ${name} with (force)`);
        await d.end();
      };
    }
    const p = await open();
    try {
      const ids = p.services.identity;
      const city = await ids.createOrg({ name: "数据局", kind: "city" });
      const dept = await ids.createOrg({ name: "人社局", kind: "department", parentId: city.id });
      const adminU = await ids.createUser({ username: "admin1", displayName: "a", orgId: city.id, roles: ["platform_admin"], password: TEST_PASSWORD });
      const off = await ids.createUser({ username: "officer1", displayName: "o", orgId: dept.id, roles: ["data_officer"], password: TEST_PASSWORD });
      actor = { kind: "user", userId: off.id, username: off.username, displayName: "o", orgId: dept.id, roles: ["data_officer"], via: "token" };
      const adminActor: Actor = { kind: "user", userId: adminU.id, username: "admin1", displayName: "a", orgId: city.id, roles: ["platform_admin"], via: "token" };
      const e = await p.services.catalog.create(actor, { content: sampleContent({ items: PERSON_ITEMS }) as never });
      entryId = e.id;
      await p.services.catalog.submit(actor, entryId);
      await p.services.catalog.review(adminActor, entryId, { decision: "approve" });
      const small = path.join(tmp, "v1.csv");
      await writePersonCsv(small, { rows: 2000, seed: 1 });
      const r = await p.services.ingest.upload(actor, { entryId, body: fs.createReadStream(small), filename: "v1.csv", mode: "all-or-nothing", wait: true });
      assert.equal(r.job.status, "succeeded", JSON.stringify(r.job.error));
    } finally {
      await p.close();
    }
    bigFile = path.join(tmp, "big.csv");
    await writePersonCsv(bigFile, { rows: ROWS, seed: 2, offset: 5_000_000 });
  });
  after(async () => {
    await dropDb?.();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // The validating pass writes the snapshot file as it goes: killed as soon as it starts, and once the
  // staged snapshot file has bytes on disk (a half-written file).
  const staged = (id: string) => path.join(dataDir, "lake", "staging", id, "snapshot.parquet");
  const cases: { name: string; phase: string; when: (jobId: string) => boolean }[] = [
    { name: "validating", phase: "validating", when: () => true },
    { name: "writing the snapshot", phase: "validating", when: (id) => (fs.statSync(staged(id), { throwIfNoEntry: false })?.size ?? 0) > 0 },
  ];
  for (const { name, phase, when } of cases) {
    test(`killed while ${name}: v1 stays current, readable and identical; no leftovers`, async () => {
      let p = await open();
      const before = (await p.services.ingest.current((await p.services.ingest.datasetForEntry(entryId))!.id))!;
      const beforeHash = await rowsHash(p, before.sql);
      const beforeFile = fileDigest(before.path);
      const beforeDigest = (await p.services.ingest.versions(actor, before.datasetId)).items.find((v) => v.current)!.digest;
      await p.close();

      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/crash/load-child.ts"), JSON.stringify({ dataDir, databaseUrl, entryId, file: bigFile, actor })], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
      const seen: string[] = [];
      let jobId = "";
      const killedAt = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).on("line", (line) => {
          const j = JSON.parse(line) as { id: string; status: string; phase: string };
          jobId = j.id;
          if (!seen.includes(j.phase)) seen.push(j.phase);
          if (j.status === "succeeded" || j.status === "failed") return reject(new Error(`the load ended before the kill: ${line} (phases ${seen.join(",")}); raise GONGSHU_CRASH_ROWS`));
          if (j.phase === phase && when(j.id)) {
            child.kill("SIGKILL");
            resolve(j.phase);
          }
        });
        child.on("exit", (code, sig) => (sig === "SIGKILL" ? undefined : reject(new Error(`child exited ${code} before the kill (phases ${seen.join(",")})`))));
      });
      await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once("exit", r)));
      assert.equal(killedAt, phase);
      assert.ok(fs.readdirSync(path.join(dataDir, "lake", "staging")).includes(jobId), "the killed load left its staging folder (so the cleanup is tested)");

      p = await open(); // the restart: recovery runs here
      try {
        const ds = (await p.services.ingest.datasetForEntry(entryId))!;
        assert.equal(ds.currentVersion, before.version);
        const cur = (await p.services.ingest.current(ds.id))!;
        assert.equal(cur.path, before.path);
        assert.equal(cur.rowCount, before.rowCount);
        assert.equal(fileDigest(cur.path), beforeFile);
        assert.equal((await p.services.ingest.versions(actor, ds.id)).items.find((v) => v.current)!.digest, beforeDigest);
        assert.equal(await rowsHash(p, cur.sql), beforeHash);
        const job = (await p.services.jobs.get(jobId))!;
        assert.equal(job.status, "failed");
        assert.equal(job.error?.code, "interrupted");
        assert.deepEqual(fs.readdirSync(path.join(dataDir, "lake", "staging")), []);
        const live = (await p.services.ingest.versions(actor, ds.id)).items.filter((v) => v.kept).length;
        assert.equal(fs.readdirSync(path.join(dataDir, "lake", "datasets", ds.id)).length, live);
        assert.deepEqual(fs.readdirSync(path.join(dataDir, "lake", "tmp")).filter((f) => !f.startsWith(".")), []);
      } finally {
        await p.close();
      }
    });
  }
});
