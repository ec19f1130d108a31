import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";

describe(`catalog search (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let officerA: string, officerB: string, admin: string;
  let orgA: string;
  const q = (s: string) => call(t.app, { url: `/api/catalog/entries?${s}` }).then((r) => {
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  });

  before(async () => {
    t = await createTestPlatform();
    const p = t.platform;
    const city = await makeOrg(p, "检索市数据局", "city");
    const a = await makeOrg(p, "检索市交通运输局", "department", city.id);
    const b = await makeOrg(p, "检索市生态环境局", "department", city.id);
    orgA = a.id;
    await makeUser(p, "admin1", city.id, ["platform_admin"]);
    await makeUser(p, "officer_a", a.id, ["data_officer"]);
    await makeUser(p, "officer_b", b.id, ["data_officer"]);
    [admin, officerA, officerB] = await Promise.all([login(t.app, "admin1"), login(t.app, "officer_a"), login(t.app, "officer_b")]);
    const publish = async (cookie: string, content: object) => {
      const e = (await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie, body: { content } })).json().entry;
      await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/submit`, cookie });
      const r = await call(t.app, { method: "POST", url: `/api/catalog/entries/${e.id}/review`, cookie: admin, body: { decision: "approve" } });
      assert.equal(r.statusCode, 200, r.body);
    };
    const open = { shareType: "无条件共享", shareConditions: undefined, openType: "无条件开放", notOpenBasis: undefined, grade: "一般", generalLevel: 1 };
    await publish(officerA, sampleContent({ ...open, name: "公交车辆实时位置信息", classCode: "202001", category: "主题", theme: "公共服务", summary: "全市公交车辆的实时 GPS 位置和线路信息。", formats: ["json"], formatCategory: "自描述格式", updateCycle: "实时", items: [{ name: "车牌号", type: "字符型" }, { name: "经度", type: "数值型" }, { name: "纬度", type: "数值型" }] }));
    await publish(officerA, sampleContent({ name: "道路运输经营许可信息", classCode: "301001", category: "部门", theme: "交通运输", summary: "道路运输经营许可证的发放与变更信息。", formats: ["xlsx"], formatCategory: "电子表格", items: [{ name: "许可证号", type: "字符型" }, { name: "经营范围", type: "字符型" }] }));
    await publish(officerB, sampleContent({ ...open, name: "空气质量逐小时监测数据", classCode: "212001", category: "主题", theme: "生态环保", summary: "各国控站点逐小时 AQI、PM2.5 浓度。", formats: ["csv", "json"], formatCategory: "电子表格", updateCycle: "每日", items: [{ name: "站点名称", type: "字符型" }, { name: "PM2.5浓度", type: "数值型" }] }));
    // A draft never appears in public search.
    await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officerB, body: { content: sampleContent({ name: "公交线路草稿资源" }) } });
  });
  after(() => t?.close());

  test("a user typing part of a Chinese name finds it: 1, 2 and 3+ characters", async () => {
    for (const term of ["公交车辆实时", "公交", "许可", "空气质量", "质", "逐小时"]) {
      const r = await q(`q=${encodeURIComponent(term)}`);
      assert.ok(r.total >= 1, `${term} found nothing`);
      for (const it of r.items) assert.ok(it.status === "published");
    }
    const bus = await q(`q=${encodeURIComponent("公交")}`);
    assert.deepEqual(bus.items.map((x: any) => x.name), ["公交车辆实时位置信息"]);
    assert.match(bus.items[0].highlight, /<em>公交<\/em>/);
    // contiguity: both characters present but not adjacent do not match a 2-char query
    assert.equal((await q(`q=${encodeURIComponent("公许")}`)).total, 0);
    // data item names and summaries are searched too
    assert.equal((await q(`q=${encodeURIComponent("经营范围")}`)).items[0].name, "道路运输经营许可信息");
    assert.equal((await q(`q=pm2.5`)).items[0].name, "空气质量逐小时监测数据");
    // several terms are ANDed
    assert.equal((await q(`q=${encodeURIComponent("公交 GPS")}`)).total, 1);
    assert.equal((await q(`q=${encodeURIComponent("公交 许可证")}`)).total, 0);
  });

  test("facets, filters, sorting and paging", async () => {
    const all = await q("facets=true");
    assert.equal(all.total, 3);
    const prov = Object.fromEntries(all.facets.provider.map((b: any) => [b.label, b.count]));
    assert.deepEqual(prov, { 检索市交通运输局: 2, 检索市生态环境局: 1 });
    assert.deepEqual(Object.fromEntries(all.facets.shareType.map((b: any) => [b.value, b.count])), { 无条件共享: 2, 有条件共享: 1 });
    assert.deepEqual(Object.fromEntries(all.facets.format.map((b: any) => [b.value, b.count])), { json: 2, csv: 1, xlsx: 1 });
    const filtered = await q(`provider=${orgA}&openType=${encodeURIComponent("无条件开放")}`);
    assert.deepEqual(filtered.items.map((x: any) => x.name), ["公交车辆实时位置信息"]);
    assert.equal((await q(`format=csv&facets=false`)).total, 1);
    assert.equal((await q(`format=csv&facets=false`)).facets, undefined);
    const byName = await q("sort=name_asc&pageSize=2&page=1");
    const byName2 = await q("sort=name_asc&pageSize=2&page=2");
    assert.equal(byName.items.length, 2);
    assert.equal(byName2.items.length, 1);
    const names = [...byName.items, ...byName2.items].map((x: any) => x.name);
    assert.deepEqual(names, [...names].sort());
    const bad = await call(t.app, { url: "/api/catalog/entries?shareType=xx" });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, "shareType");
  });

  test("officers see their own drafts; others do not", async () => {
    const mine = (await call(t.app, { url: "/api/catalog/entries?mine=true", cookie: officerB })).json();
    assert.ok(mine.items.some((x: any) => x.status === "draft"));
    const drafts = (await call(t.app, { url: "/api/catalog/entries?status=draft", cookie: officerA })).json();
    assert.equal(drafts.total, 0);
    const anon = await call(t.app, { url: "/api/catalog/entries?status=draft" });
    assert.equal(anon.json().total, 0);
  });

  test("stats and the responsibility and negative lists", async () => {
    const s = (await call(t.app, { url: "/api/catalog/stats" })).json();
    assert.equal(s.published, 3);
    assert.equal(s.departments, 2);
    const resp = await call(t.app, { url: "/api/catalog/lists/responsibility", cookie: officerA });
    assert.equal(resp.json().items.length, 3);
    const neg = (await call(t.app, { url: "/api/catalog/lists/negative", cookie: officerA })).json().items;
    assert.deepEqual(neg.map((x: any) => x.name), ["道路运输经营许可信息"]);
    assert.equal(neg[0].openType, "不予开放");
    assert.equal((await call(t.app, { url: "/api/catalog/lists/negative" })).statusCode, 401);
    const x = await call(t.app, { url: "/api/catalog/lists/responsibility?format=xlsx", cookie: officerA });
    assert.equal(x.statusCode, 200);
    assert.equal(x.rawPayload.subarray(0, 2).toString(), "PK");
    const c = await call(t.app, { url: "/api/catalog/lists/negative?format=csv&encoding=gbk", cookie: officerA });
    assert.equal(c.statusCode, 200);
    const iconv = (await import("iconv-lite")).default;
    assert.match(iconv.decode(c.rawPayload, "gb18030"), /道路运输经营许可信息/);
  });
});
