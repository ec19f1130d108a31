import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "./helpers.ts";
import { runVerify } from "../src/cli/verify.ts";
import { verifyBundle } from "../src/modules/ledger/index.ts";

/** `gongshu verify` over the published catalog: passes, then fails once a stored entry is changed behind the log's back. */
describe(`gongshu verify detects tampering (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let url: string;
  let dir: string;
  let tamperedId: string;
  const quiet = async <T>(fn: () => Promise<T>): Promise<T> => {
    const w = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      return await fn();
    } finally {
      process.stdout.write = w;
    }
  };

  before(async () => {
    t = await createTestPlatform();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gs-verify-"));
    const city = await makeOrg(t.platform, "验证市数据局", "city");
    const dept = await makeOrg(t.platform, "验证市统计局", "department", city.id);
    await makeUser(t.platform, "adm", city.id, ["platform_admin"]);
    await makeUser(t.platform, "off", dept.id, ["data_officer"]);
    const [admin, officer] = [await login(t.app, "adm"), await login(t.app, "off")];
    for (const name of ["人口普查汇总数据", "规模以上工业企业产值", "居民消费价格指数"]) {
      const e = (await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content: sampleContent({ name }) } })).json().entry;
      await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
      const r = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "approve" } });
      assert.equal(r.statusCode, 200, r.body);
      tamperedId = e.id;
    }
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  after(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the published catalog verifies, online and offline with pinned keys", async () => {
    assert.equal(await quiet(() => runVerify({ url })), 0);
    const bundle = (await call(t.app, { url: "/api/catalog/ledger-bundle" })).json();
    assert.equal(bundle.items.length, 3);
    const bf = path.join(dir, "bundle.json");
    fs.writeFileSync(bf, JSON.stringify(bundle));
    const kf = path.join(dir, "keys.vkey");
    fs.writeFileSync(kf, (await call(t.app, { url: "/api/ledger/keys" })).json().vkeys.join("\n"));
    fs.writeFileSync(path.join(dir, "checkpoint.txt"), bundle.checkpoint);
    assert.equal(await quiet(() => runVerify({ bundleFile: bf, vkeyFiles: [kf] })), 0);
  });

  test("changing a stored entry behind the log's back makes verification fail, naming the entry", async () => {
    await sql`update catalog_versions set content = jsonb_set(content, '{summary}', '"已被篡改的摘要"') where entry_id = ${tamperedId}`.execute(t.platform.database.db);
    const bundle = (await call(t.app, { url: "/api/catalog/ledger-bundle" })).json();
    const r = verifyBundle(bundle);
    assert.equal(r.ok, false);
    assert.equal(r.failures.length, 1);
    const code = (await call(t.app, { url: `/api/catalog/entries/${tamperedId}` })).json().entry.code;
    assert.equal(r.failures[0].subject, `${code}@v1`);
    assert.equal(await quiet(() => runVerify({ url })), 1);
    // The log itself is untouched: the old checkpoint is still consistent with the new one.
    assert.equal(await quiet(() => runVerify({ url, previousCheckpointFile: path.join(dir, "checkpoint.txt") })), 1, "the tampered item still fails");
  });

  test("a forged checkpoint fails even if every item is intact", async () => {
    const bundle = (await call(t.app, { url: "/api/catalog/ledger-bundle" })).json();
    const forged = { ...bundle, checkpoint: bundle.checkpoint.replace(/\n(\d+)\n/, (_m: string, n: string) => `\n${Number(n) + 1}\n`) };
    assert.equal(verifyBundle(forged).ok, false);
  });
});
