import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, TEST_ENGINE, TEST_PASSWORD, type TestPlatform } from "../../../test/helpers.ts";

describe(`identity: login, sessions, API tokens, roles (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let cityId: string;
  before(async () => {
    t = await createTestPlatform();
    const city = await makeOrg(t.platform, "身份市", "city");
    cityId = city.id;
    const district = await makeOrg(t.platform, "身份市江东区", "district", city.id);
    const dept = await makeOrg(t.platform, "江东区数据局", "department", district.id);
    await makeUser(t.platform, "boss", city.id, ["platform_admin"]);
    await makeUser(t.platform, "clerk", dept.id, ["dept_user"]);
  });
  after(() => t?.close());

  test("login with a wrong password is refused without saying which part was wrong", async () => {
    for (const [u, pw] of [["boss", "wrong-password"], ["nobody", TEST_PASSWORD]]) {
      const r = await call(t.app, { method: "POST", url: "/api/auth/login", body: { username: u, password: pw } });
      assert.equal(r.statusCode, 401);
      assert.equal(r.json().error.message, "用户名或密码错误");
    }
  });

  test("session cookie identifies the user; logout ends it", async () => {
    const cookie = await login(t.app, "clerk");
    const me = (await call(t.app, { url: "/api/auth/me", cookie })).json().user;
    assert.equal(me.username, "clerk");
    assert.deepEqual(me.roles, ["dept_user"]);
    await call(t.app, { method: "POST", url: "/api/auth/logout", cookie });
    assert.equal((await call(t.app, { url: "/api/auth/me", cookie })).json().user, null);
  });

  test("API tokens: shown once, work as Bearer, revocable; forged tokens are refused", async () => {
    const cookie = await login(t.app, "clerk");
    const r = await call(t.app, { method: "POST", url: "/api/tokens", cookie, body: { name: "etl" } });
    assert.equal(r.statusCode, 201);
    const secret = r.json().token.secret;
    assert.match(secret, /^gs_/);
    const list = (await call(t.app, { url: "/api/tokens", cookie })).json().items;
    assert.equal(list[0].secret, undefined);
    const me = await call(t.app, { url: "/api/auth/me", headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.json().user.username, "clerk");
    const forged = await call(t.app, { url: "/api/auth/me", headers: { authorization: `Bearer ${secret}x` } });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().error.field, "authorization");
    await call(t.app, { method: "DELETE", url: `/api/tokens/${r.json().token.id}`, cookie });
    assert.equal((await call(t.app, { url: "/api/auth/me", headers: { authorization: `Bearer ${secret}` } })).statusCode, 401);
  });

  test("only admins manage users and organisations; the org tree is city → district → department", async () => {
    const clerk = await login(t.app, "clerk");
    const boss = await login(t.app, "boss");
    assert.equal((await call(t.app, { method: "POST", url: "/api/orgs", cookie: clerk, body: { name: "新部门", kind: "department" } })).statusCode, 403);
    const o = await call(t.app, { method: "POST", url: "/api/orgs", cookie: boss, body: { name: "身份市新部门", kind: "department", parentId: cityId } });
    assert.equal(o.statusCode, 201, o.body);
    const weak = await call(t.app, { method: "POST", url: "/api/users", cookie: boss, body: { username: "neo", displayName: "N", orgId: cityId, roles: ["data_officer"], password: "short" } });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.field, "password");
    const badRole = await call(t.app, { method: "POST", url: "/api/users", cookie: boss, body: { username: "neo", displayName: "N", orgId: cityId, roles: ["king"], password: "long-enough-pw" } });
    assert.equal(badRole.json().error.field, "roles.0");
    const orgs = (await call(t.app, { url: "/api/orgs" })).json().items;
    const byName = new Map(orgs.map((x: any) => [x.name, x]));
    const dept: any = byName.get("江东区数据局");
    assert.equal((byName.get("身份市江东区") as any).id, dept.parentId);
  });
});
