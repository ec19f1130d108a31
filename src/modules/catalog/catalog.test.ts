import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";

describe(`catalog lifecycle and rules over HTTP (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let officer: string, officer2: string, admin: string, deptUser: string;
  let orgA: string;

  before(async () => {
    t = await createTestPlatform();
    const p = t.platform;
    const city = await makeOrg(p, "测试市数据局", "city");
    const a = await makeOrg(p, "测试市公安局", "department", city.id);
    const b = await makeOrg(p, "测试市民政局", "department", city.id);
    orgA = a.id;
    await makeUser(p, "admin1", city.id, ["platform_admin"]);
    await makeUser(p, "officer_a", a.id, ["data_officer"]);
    await makeUser(p, "officer_b", b.id, ["data_officer"]);
    await makeUser(p, "user_b", b.id, ["dept_user"]);
    [admin, officer, officer2, deptUser] = await Promise.all([login(t.app, "admin1"), login(t.app, "officer_a"), login(t.app, "officer_b"), login(t.app, "user_b")]);
  });
  after(() => t?.close());

  const create = (cookie: string, content: object, seq?: string) =>
    call(t.app, { method: "POST", url: "/api/catalog/entries", cookie, body: { content, ...(seq ? { seq } : {}) } });

  test("draft → submitted → returned → resubmitted → approved → published, in the ledger", async () => {
    const r = await create(officer, sampleContent());
    assert.equal(r.statusCode, 201, r.body);
    const e = r.json().entry;
    assert.equal(e.status, "draft");
    assert.match(e.code, /^101001\/\d{6}$/);
    assert.equal(e.provider.id, orgA);

    // Drafts are invisible to the public and other departments.
    assert.equal((await call(t.app, { url: `/api/catalog/entries/${e.id}` })).statusCode, 404);
    assert.equal((await call(t.app, { url: `/api/catalog/entries/${e.id}`, cookie: officer2 })).statusCode, 404);

    const sub = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
    assert.equal(sub.statusCode, 200, sub.body);
    assert.equal(sub.json().entry.status, "submitted");

    // Cannot edit while under review.
    const busy = await call(t.app, { method: "PUT", url: `/api/catalog/entries/${e.id}`, cookie: officer, body: { content: sampleContent() } });
    assert.equal(busy.statusCode, 409);

    const queue = await call(t.app, { url: "/api/catalog/review-queue", cookie: admin });
    assert.ok(queue.json().items.some((x: any) => x.id === e.id));
    // Officers cannot review.
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: officer, body: { decision: "approve" } })).statusCode, 403);

    const noReason = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "return" } });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.field, "reason");
    const ret = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "return", reason: "摘要不够具体" } });
    assert.equal(ret.json().entry.status, "returned");
    assert.equal(ret.json().entry.openVersion.status, "returned"); // the reviewing admin sees the version under review
    const mine = await call(t.app, { url: `/api/catalog/entries/${e.id}`, cookie: officer });
    assert.equal(mine.json().entry.openVersion.reviewNote, "摘要不够具体");

    const upd = await call(t.app, { method: "PUT", url: `/api/catalog/entries/${e.id}`, cookie: officer, body: { content: sampleContent({ summary: "本市常住人口基本信息，含户籍地址，用于身份核验和人口统计。" }) } });
    assert.equal(upd.statusCode, 200, upd.body);
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
    const size0 = (await call(t.app, { url: "/api/health" })).json().ledgerSize;
    const ok = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "approve" } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().entry.status, "published");
    assert.equal(ok.json().entry.publishedVersion, 1);
    assert.equal((await call(t.app, { url: "/api/health" })).json().ledgerSize, size0 + 1);

    // Public now.
    const pub = await call(t.app, { url: `/api/catalog/entries/${e.id}` });
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.json().entry.content.summary, "本市常住人口基本信息，含户籍地址，用于身份核验和人口统计。");
    const versions = (await call(t.app, { url: `/api/catalog/entries/${e.id}/versions` })).json().items;
    assert.equal(versions.length, 1);
    assert.equal(typeof versions[0].ledgerIndex, "number");
  });

  test("editing a published entry makes a new version with a reason and field-level diffs; withdrawal is ledgered", async () => {
    const e = (await create(officer, sampleContent({ name: "户籍迁移登记信息" }))).json().entry;
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "approve" } });

    const changed = sampleContent({ name: "户籍迁移登记信息", shareType: "无条件共享", shareConditions: undefined, items: [...sampleContent().items as object[], { name: "迁入地址", type: "字符型", length: 200, sensitive: true }] });
    const noReason = await call(t.app, { method: "PUT", url: `/api/catalog/entries/${e.id}`, cookie: officer, body: { content: changed } });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.field, "reason");
    const v2 = await call(t.app, { method: "PUT", url: `/api/catalog/entries/${e.id}`, cookie: officer, body: { content: changed, reason: "新增迁入地址，调整为无条件共享" } });
    assert.equal(v2.statusCode, 200, v2.body);
    assert.equal(v2.json().entry.status, "published");
    assert.equal(v2.json().entry.openVersion.version, 2);
    // The public still sees version 1 until v2 is approved.
    assert.equal((await call(t.app, { url: `/api/catalog/entries/${e.id}` })).json().entry.content.shareType, "有条件共享");
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "approve" } });
    assert.equal((await call(t.app, { url: `/api/catalog/entries/${e.id}` })).json().entry.content.shareType, "无条件共享");

    const diff = (await call(t.app, { url: `/api/catalog/entries/${e.id}/diff?from=1&to=2` })).json().changes;
    const paths = diff.map((c: any) => c.path);
    assert.ok(paths.includes("shareType"), JSON.stringify(paths));
    assert.ok(paths.includes("shareConditions"));
    assert.ok(paths.includes("items[迁入地址]"));
    assert.deepEqual(diff.find((c: any) => c.path === "shareType"), { path: "shareType", before: "有条件共享", after: "无条件共享", kind: "changed" });
    const hist = (await call(t.app, { url: `/api/catalog/entries/${e.id}/versions` })).json().items;
    assert.deepEqual(hist.map((v: any) => [v.version, v.status]), [[2, "published"], [1, "superseded"]]);

    // Another department's officer may not withdraw it; the provider's officer may.
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/withdraw`, cookie: officer2, body: { reason: "x" } })).statusCode, 403);
    const size0 = (await call(t.app, { url: "/api/health" })).json().ledgerSize;
    const w = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/withdraw`, cookie: officer, body: { reason: "系统下线" } });
    assert.equal(w.json().entry.status, "withdrawn");
    assert.equal((await call(t.app, { url: "/api/health" })).json().ledgerSize, size0 + 1);
    const search = (await call(t.app, { url: `/api/catalog/entries?q=${encodeURIComponent("户籍迁移")}` })).json();
    assert.ok(!search.items.some((x: any) => x.id === e.id), "withdrawn entries leave the public search");
  });

  test("rules: each refused with a clear error naming the field", async () => {
    const cases: [object, string, RegExp][] = [
      [sampleContent({ shareType: "不予共享", shareConditions: undefined }), "content.notShareBasis", /不予共享依据/],
      [sampleContent({ grade: "核心", generalLevel: undefined, shareType: "无条件共享" }), "content.shareType", /核心数据不得无条件共享/],
      [sampleContent({ grade: "核心", generalLevel: undefined, openType: "有条件开放", openConditions: "x" }), "content.openType", /核心数据不得向社会开放/],
      [sampleContent({ shareConditions: undefined }), "content.shareConditions", /共享条件/],
      [sampleContent({ classCode: "201001" }), "content.classCode", /分类码首位/],
    ];
    for (const [content, field, msg] of cases) {
      const r = await create(officer, content);
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json().error.code, "invalid");
      assert.equal(r.json().error.field, field);
      assert.match(r.json().error.message, msg);
      assert.ok(r.json().error.messageEn.length > 0);
    }
    // No data items: may be saved as a draft, not submitted.
    const e = (await create(officer, sampleContent({ name: "无信息项的资源", items: [] }))).json().entry;
    const sub = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie: officer });
    assert.equal(sub.statusCode, 400);
    assert.equal(sub.json().error.field, "content.items");
    // Only the provider's own data officers edit; department users cannot create.
    assert.equal((await call(t.app, { method: "PUT", url: `/api/catalog/entries/${e.id}`, cookie: officer2, body: { content: sampleContent() } })).statusCode, 404);
    assert.equal((await create(deptUser, sampleContent())).statusCode, 403);
    assert.equal((await create("", sampleContent())).statusCode, 401);
  });

  test("resource codes are unique, well-formed and never reused", async () => {
    const a = await create(officer, sampleContent({ name: "代码测试一" }), "900001");
    assert.equal(a.statusCode, 201, a.body);
    assert.equal(a.json().entry.code, "101001/900001");
    const dup = await create(officer2, sampleContent({ name: "代码测试二" }), "900001");
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.field, "seq");
    const bad = await create(officer, sampleContent({ classCode: "10A001" }));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, "content.classCode");
    // A withdrawn entry keeps its code: the next automatic code is new.
    const next = await create(officer, sampleContent({ name: "代码测试三" }));
    assert.notEqual(next.json().entry.code, "101001/900001");
  });

  test("bad input: malformed JSON, unknown fields, wrong enums, oversized bodies", async () => {
    const bad = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: '{"content": {', headers: { "content-type": "application/json" } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(bad.json().error).sort(), ["code", "field", "message", "messageEn"]);
    assert.equal(bad.json().error.field, "body");

    const unknown = await create(officer, { ...sampleContent(), colour: "red" });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.field, "content.colour");
    assert.match(unknown.json().error.message, /不允许的字段/);

    const topUnknown = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content: sampleContent(), extra: 1 } });
    assert.equal(topUnknown.json().error.field, "extra");

    const wrongEnum = await create(officer, sampleContent({ shareType: "随便共享" }));
    assert.equal(wrongEnum.statusCode, 400);
    assert.equal(wrongEnum.json().error.field, "content.shareType");
    assert.match(wrongEnum.json().error.message, /无条件共享/);

    const itemEnum = await create(officer, sampleContent({ items: [{ name: "x", type: "文本" }] }));
    assert.equal(itemEnum.json().error.field, "content.items.0.type");

    const missing = await create(officer, { ...sampleContent(), name: undefined });
    assert.equal(missing.json().error.field, "content.name");

    const huge = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content: sampleContent({ summary: "很".repeat(600_000) }) } });
    assert.equal(huge.statusCode, 413);
    assert.equal(huge.json().error.code, "too_large");

    const badQuery = await call(t.app, { url: "/api/catalog/entries?pageSize=100000" });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json().error.field, "pageSize");
    const unknownRoute = await call(t.app, { url: "/api/nope" });
    assert.equal(unknownRoute.statusCode, 404);
    assert.equal(unknownRoute.json().error.code, "not_found");
  });
});
