import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";

describe(`notifications inbox (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  const ck: Record<string, string> = {};
  const u: Record<string, string> = {};
  const o: Record<string, string> = {};
  before(async () => {
    t = await createTestPlatform();
    o.a = (await makeOrg(t.platform, "甲局")).id;
    o.b = (await makeOrg(t.platform, "乙局")).id;
    u.officer = (await makeUser(t.platform, "officer", o.a, ["data_officer"])).id;
    u.user = (await makeUser(t.platform, "user", o.a, ["dept_user"])).id;
    u.admin = (await makeUser(t.platform, "admin", o.b, ["platform_admin"])).id;
    for (const n of ["officer", "user", "admin"]) ck[n] = await login(t.app, n);
  });
  after(() => t?.close());

  test("to a user, to an organisation's role, to a role; read marks are per user", async () => {
    const n = t.platform.services.notify;
    const db = t.platform.database.db;
    await n.notify(db, { userId: u.user, kind: "k", title: "给用户", body: "b", link: "/x" });
    await n.notify(db, { orgId: o.a, role: "data_officer", kind: "k", title: "给甲局数据专员", body: "b" });
    await n.notify(db, { orgId: o.a, kind: "k", title: "给甲局全体", body: "b" });
    await n.notify(db, { role: "platform_admin", kind: "k", title: "给管理员", body: "b" });
    await assert.rejects(n.notify(db, { kind: "k", title: "无人", body: "b" }), /needs a user/);
    const titles = async (who: string) => (await call(t.app, { url: "/api/notifications", cookie: ck[who] })).json().items.map((x: any) => x.title).sort();
    assert.deepEqual(await titles("user"), ["给用户", "给甲局全体"].sort());
    assert.deepEqual(await titles("officer"), ["给甲局数据专员", "给甲局全体"].sort());
    assert.deepEqual(await titles("admin"), ["给管理员"]);
    const all = await call(t.app, { method: "POST", url: "/api/notifications/read-all", cookie: ck.officer });
    assert.equal(all.json().marked, 2);
    assert.equal((await call(t.app, { url: "/api/notifications?unread=true", cookie: ck.officer })).json().items.length, 0);
    assert.equal((await call(t.app, { url: "/api/notifications", cookie: ck.user })).json().unread, 2, "the other user's marks are theirs");
    const adminItem = (await call(t.app, { url: "/api/notifications", cookie: ck.admin })).json().items[0];
    assert.equal((await call(t.app, { method: "POST", url: `/api/notifications/${adminItem.id}/read`, cookie: ck.user })).statusCode, 404, "not theirs");
    assert.equal((await call(t.app, { url: "/api/notifications" })).statusCode, 401);
  });
});
