import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pino from "pino";
import { buildHttp } from "./http.ts";
import { knownActions } from "../modules/policy/index.ts";
import { call, createTestPlatform, TEST_ENGINE, type TestPlatform } from "../../test/helpers.ts";

describe(`every API route is decided by a policy (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  before(async () => {
    t = await createTestPlatform();
  });
  after(() => t?.close());

  test("each /api route names a known policy action", () => {
    const api = t.app.routePolicies.filter((r) => r.url.startsWith("/api/") && !r.url.startsWith("/api/docs"));
    assert.ok(api.length > 20, `only ${api.length} routes`);
    const known = knownActions();
    for (const r of api) {
      assert.ok(r.policy, `${r.method} ${r.url} has no policy decision`);
      assert.ok(r.policy === "public" || known.has(r.policy), `${r.method} ${r.url} names unknown action ${r.policy}`);
    }
  });

  test("a route without a policy decision cannot even start", async () => {
    const app = await buildHttp({ logger: pino({ level: "silent" }), bodyLimit: 1000, knownActions: knownActions(), authenticate: async () => {}, authorize: async () => {} });
    assert.throws(() => app.get("/api/forgotten", async () => ({})), /has no policy decision/);
    assert.throws(() => app.get("/api/typo", { config: { policy: "catalog.entry.raed" } }, async () => ({})), /unknown policy action/);
    await app.close();
  });

  test("health, OpenAPI 3.1 and docs", async () => {
    const h = await call(t.app, { url: "/api/health" });
    assert.equal(h.json().status, "ok");
    assert.equal(h.json().database, TEST_ENGINE);
    const o = await call(t.app, { url: "/api/openapi.json" });
    assert.equal(o.statusCode, 200);
    assert.equal(o.json().openapi, "3.1.0");
    assert.ok(o.json().paths["/api/catalog/entries"].get);
    const d = await call(t.app, { url: "/api/docs" });
    assert.ok([200, 302].includes(d.statusCode));
  });
});
