import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { corrupt, idCard, uscc } from "./testing/fixtures.ts";

/** Quality through the HTTP API: rules and scores, reports with masked samples, 数据异议, 一数一源 / 多源校核, league. */
describe(`quality (治理) through the HTTP API (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  const ck: Record<string, string> = {};
  const ids = { pop: "", corp: "", ss: "" };
  const org = { gov: "", police: "", market: "", hr: "" };
  const people = Array.from({ length: 8 }, (_, i) => idCard(["110105", "330106", "360426"][i % 3], `19${70 + i}0${(i % 9) + 1}15`, 10 + i));
  const badIds = [corrupt(idCard("330106", "19850101", 31)), corrupt(idCard("330106", "19860202", 32))];
  const api = (who: string, method: "GET" | "POST" | "PUT" | "DELETE", url: string, body?: unknown) => call(t.app, { method, url, cookie: ck[who], body });

  async function publish(who: string, content: Record<string, unknown>) {
    const c = await api(who, "POST", "/api/catalog/entries", { content });
    assert.equal(c.statusCode, 201, c.body);
    const id = c.json().entry.id;
    assert.equal((await api(who, "POST", `/api/catalog/entries/${id}/submit`)).statusCode, 200);
    const r = await api("admin", "POST", `/api/catalog/entries/${id}/review`, { decision: "approve" });
    assert.equal(r.statusCode, 200, r.body);
    return id;
  }
  async function upload(who: string, entryId: string, csv: string) {
    const r = await call(t.app, { method: "POST", url: `/api/datasets/upload?entry=${entryId}&wait=true`, cookie: ck[who], body: Buffer.from(csv, "utf8"), headers: { "content-type": "text/csv", "x-filename": "data.csv" } });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().datasetId as string;
  }

  before(async () => {
    t = await createTestPlatform();
    const p = t.platform;
    org.gov = (await makeOrg(p, "市数据局", "city")).id;
    org.police = (await makeOrg(p, "市公安局", "department", org.gov)).id;
    org.market = (await makeOrg(p, "市市场监管局", "department", org.gov)).id;
    org.hr = (await makeOrg(p, "市人社局", "department", org.gov)).id;
    await makeUser(p, "admin", org.gov, ["platform_admin"]);
    await makeUser(p, "police", org.police, ["data_officer"]);
    await makeUser(p, "market", org.market, ["data_officer"]);
    await makeUser(p, "hr", org.hr, ["data_officer"]);
    await makeUser(p, "clerk", org.hr, ["dept_user"]);
    for (const u of ["admin", "police", "market", "hr", "clerk"]) ck[u] = await login(t.app, u);

    const popItems = [
      { name: "公民身份号码", type: "字符型", length: 18, sensitive: true, required: true, key: true },
      { name: "姓名", type: "字符型", length: 50, sensitive: true, required: true },
      { name: "性别", type: "字符型", codeList: ["男", "女"] },
      { name: "出生日期", type: "日期型" },
      { name: "手机号码", type: "字符型", length: 20, sensitive: true },
      { name: "户籍地址", type: "字符型", length: 200 },
    ];
    const popId = await publish("police", sampleContent({ name: "常住人口基本信息", items: popItems, shareType: "无条件共享", shareConditions: undefined }));
    const rows = [
      ...people.map((id, i) => [id, `张${i}`, i % 2 ? "女" : "男", `19${70 + i}-0${(i % 9) + 1}-15`, i === 3 ? "12345678901" : `1381234567${i}`, `杭州市上城区${i}号`]),
      [badIds[0], "李甲", "男", "2999-01-01", "13900000001", "杭州市西湖区1号"],
      [badIds[1], "李乙", "女", "1986-02-02", "", ""],
    ];
    ids.pop = await upload("police", popId, ["公民身份号码,姓名,性别,出生日期,手机号码,户籍地址", ...rows.map((r) => r.join(","))].join("\n"));

    const corpId = await publish("market", sampleContent({
      name: "法人单位基本信息", theme: "法人单位", classCode: "102001", keywords: ["法人"],
      items: [
        { name: "统一社会信用代码", type: "字符型", length: 18, required: true, key: true },
        { name: "单位名称", type: "字符型", length: 200, required: true },
        { name: "成立日期", type: "日期型" },
        { name: "注销日期", type: "日期型" },
      ],
    }));
    const good = uscc("91330100MA2B3C4D5"), good2 = uscc("91110000600037341");
    ids.corp = await upload("market", corpId, ["统一社会信用代码,单位名称,成立日期,注销日期", `${good},甲公司,2010-01-01,`, `${good2},乙公司,2015-06-01,2012-01-01`, `${corrupt(uscc("91330100MA2B3C4D6"))},丙公司,2018-03-03,`].join("\n"));

    const ssId = await publish("hr", sampleContent({
      name: "社会保险参保信息", theme: "社会保障", classCode: "201001", category: "主题", keywords: ["社保"],
      items: [
        { name: "公民身份号码", type: "字符型", length: 18, sensitive: true, required: true, key: true },
        { name: "户籍地址", type: "字符型", length: 200 },
        { name: "参保日期", type: "日期型" },
      ],
    }));
    ids.ss = await upload("hr", ssId, ["公民身份号码,户籍地址,参保日期", ...people.slice(0, 5).map((id, i) => `${id},${i < 2 ? `杭州市拱墅区${i}号` : `杭州市上城区${i}号`},2020-01-0${i + 1}`)].join("\n"));
  });
  after(() => t?.close());

  test("each load is scored: bad 身份证 check digits, mobiles, future dates and empty required fields are found", async () => {
    const r = await api("police", "GET", `/api/quality/datasets/${ids.pop}/report`);
    assert.equal(r.statusCode, 200, r.body);
    const rep = r.json();
    assert.equal(rep.run.status, "done");
    assert.equal(rep.run.rowCount, 10);
    const rule = (col: string, kind: string) => rep.rules.find((x: any) => x.column === col && x.kind === kind);
    assert.deepEqual([rule("公民身份号码", "idcard").evaluated, rule("公民身份号码", "idcard").failed], [10, 2]);
    // The 身份证 check ran during the load (a check column of the snapshot) and scoring counted it; a
    // rescore on a later day, which cannot use it, checks the IDs again and finds the same two.
    const snap = (await t.platform.services.ingest.current(ids.pop))!;
    assert.ok(snap.columns.find((c) => c.name === "公民身份号码")!.checks?.idcard, "the load computed the 身份证 check");
    const flagged = await t.platform.lake.run(async (c) => Number((await c.runAndReadAll(`SELECT count(*) FILTER (WHERE NOT "${snap.columns.find((x) => x.name === "公民身份号码")!.checks!.idcard}") FROM ${snap.sqlRows}`)).getRows()[0][0]));
    assert.equal(flagged, 2);
    assert.deepEqual([rule("手机号码", "mobile").evaluated, rule("手机号码", "mobile").failed], [9, 1]);
    assert.equal(rule("出生日期", "date").failed, 1);
    assert.equal(rule("公民身份号码", "unique").failed, 0);
    assert.equal(rule("*", "timeliness").ratio, null, "first load: timeliness not assessable, not 0");
    assert.equal(rep.run.dimensions.timeliness, null);
    assert.ok(rep.run.score > 0.5 && rep.run.score < 1, String(rep.run.score));
    assert.equal(rep.trend.length, 1);
    assert.ok(rep.columns.find((c: any) => c.column === "公民身份号码").score < 1);
    // Samples: row numbers, and masked identifiers (never the raw ID).
    const s = rule("公民身份号码", "idcard").samples;
    assert.equal(s.length, 2);
    assert.deepEqual(s.map((x: any) => x.row), [9, 10]);
    for (const x of s) {
      assert.notEqual(x.values["公民身份号码"], badIds[x.row - 9]);
      assert.match(x.values["公民身份号码"], /\*/);
    }
    assert.ok(!r.body.includes(badIds[0]), "no raw ID in the report");
  });

  test("USCC check characters and in-table logic (成立 ≤ 注销)", async () => {
    const rep = (await api("market", "GET", `/api/quality/datasets/${ids.corp}/report`)).json();
    const rule = (col: string, kind: string) => rep.rules.find((x: any) => x.column === col && x.kind === kind);
    assert.deepEqual([rule("统一社会信用代码", "uscc").evaluated, rule("统一社会信用代码", "uscc").failed], [3, 1]);
    assert.equal(rule("统一社会信用代码", "uscc").samples[0].row, 3);
    assert.deepEqual([rule("*", "compare").evaluated, rule("*", "compare").failed], [1, 1]);
    assert.equal(rep.run.dimensions.consistency, 0);
  });

  test("rules are edited per data item by the provider's officers; rescoring uses them", async () => {
    const g = await api("police", "GET", `/api/quality/datasets/${ids.pop}/rules`);
    assert.equal(g.statusCode, 200);
    const addr = g.json().items.find((i: any) => i.column === "户籍地址");
    assert.equal(addr.source, "default");
    assert.equal((await api("market", "PUT", `/api/quality/datasets/${ids.pop}/rules/户籍地址`.replace("户籍地址", encodeURIComponent("户籍地址")), { rules: [{ kind: "required" }] })).statusCode, 403);
    const bad = await api("police", "PUT", `/api/quality/datasets/${ids.pop}/rules/${encodeURIComponent("*")}`, { rules: [{ kind: "compare", left: "出生日期", op: "<=", right: "不存在" }] });
    assert.equal(bad.statusCode, 400);
    const p = await api("police", "PUT", `/api/quality/datasets/${ids.pop}/rules/${encodeURIComponent("户籍地址")}`, { rules: [{ kind: "required" }, { kind: "regex", pattern: "杭州市.+" }] });
    assert.equal(p.statusCode, 200, p.body);
    assert.equal(p.json().items.find((i: any) => i.column === "户籍地址").source, "custom");
    const rs = await api("police", "POST", `/api/quality/datasets/${ids.pop}/score`);
    assert.equal(rs.statusCode, 200, rs.body);
    const rep = (await api("police", "GET", `/api/quality/datasets/${ids.pop}/report`)).json();
    assert.equal(rep.rules.find((x: any) => x.column === "户籍地址" && x.kind === "required").failed, 1);
    assert.equal((await api("police", "DELETE", `/api/quality/datasets/${ids.pop}/rules/${encodeURIComponent("户籍地址")}`)).json().items.find((i: any) => i.column === "户籍地址").source, "default");
  });

  test("who sees a report: the provider, admins, and everyone for 无条件共享; others get 404", async () => {
    assert.equal((await api("clerk", "GET", `/api/quality/datasets/${ids.pop}/report`)).statusCode, 200, "无条件共享");
    assert.equal((await api("clerk", "GET", `/api/quality/datasets/${ids.corp}/report`)).statusCode, 403);
    assert.equal((await call(t.app, { url: `/api/quality/datasets/${ids.pop}/report` })).statusCode, 401);
  });

  test("数据异议 end to end: raise → 受理 → 更正 (new snapshot) → 确认 → 关闭, notified and in the ledger", async () => {
    const key = { 公民身份号码: people[0] };
    const r = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, recordKey: key, column: "户籍地址", proposedValue: "杭州市拱墅区0号", reason: "已迁出", evidence: "迁移证明", attachment: { name: "证明.txt", type: "text/plain", dataBase64: Buffer.from("迁移证明").toString("base64") } });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().objection.id;
    assert.equal(r.json().objection.status, "submitted");
    assert.ok(r.json().objection.dueAt);
    const inbox = (await api("police", "GET", "/api/notifications")).json();
    assert.ok(inbox.items.some((n: any) => n.link === `/objections/${id}`));
    assert.equal((await api("police", "GET", `/api/objections?scope=department`)).json().items.length, 1);
    assert.equal((await api("clerk", "POST", `/api/objections/${id}/accept`, {})).statusCode, 403, "only the source department handles it");
    assert.equal((await api("police", "POST", `/api/objections/${id}/accept`, { note: "已受理" })).json().objection.status, "verifying");
    const c = await api("police", "POST", `/api/objections/${id}/correct`, { note: "核实属实，已更正" });
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().objection.status, "replied");
    assert.equal(c.json().objection.resolution, "corrected");
    assert.equal(c.json().objection.correctionVersion, 2);
    // The correction made version 2 and it was scored.
    const rep = (await api("police", "GET", `/api/quality/datasets/${ids.pop}/report`)).json();
    assert.equal(rep.run.version, 2);
    assert.equal(rep.trend.length, 2);
    const mine = (await api("clerk", "GET", "/api/notifications")).json();
    assert.ok(mine.items.filter((n: any) => n.link === `/objections/${id}`).length >= 2, "told at each step");
    assert.equal((await api("police", "POST", `/api/objections/${id}/confirm`, {})).statusCode, 403);
    const done = await api("clerk", "POST", `/api/objections/${id}/confirm`, { note: "认可" });
    assert.equal(done.json().objection.status, "closed");
    assert.deepEqual(done.json().events.map((e: any) => e.step), ["raised", "accepted", "corrected", "confirmed"]);
    const ledger = await t.platform.services.ledger.entriesBySubject(`objection:${id}`);
    assert.equal(ledger.length, 4);
    const att = await api("police", "GET", `/api/objections/${id}/attachment`);
    assert.equal(att.body, "迁移证明");
    assert.equal((await api("market", "GET", `/api/objections/${id}`)).statusCode, 404);
    // Record check: an objection on a record that does not exist is refused.
    assert.equal((await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, recordKey: { 公民身份号码: "000000000000000000" }, reason: "x" })).statusCode, 400);
  });

  test("deadlines in working days: reminders, overdue escalation to the admin, auto-close after the reply window", async () => {
    const r = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, recordKey: { 公民身份号码: people[1] }, column: "姓名", reason: "姓名有误" });
    const id = r.json().objection.id;
    const due = new Date(r.json().objection.dueAt);
    const q = t.platform.services.quality;
    assert.deepEqual(await q.sweep(new Date(due.getTime() - 3_600_000)), { reminded: 1, overdue: 0, closed: 0 });
    assert.deepEqual(await q.sweep(new Date(due.getTime() + 60_000)), { reminded: 0, overdue: 1, closed: 0 });
    assert.deepEqual(await q.sweep(new Date(due.getTime() + 120_000)), { reminded: 0, overdue: 0, closed: 0 }, "once per stage");
    const admin = (await api("admin", "GET", "/api/notifications?unread=true")).json();
    assert.ok(admin.items.some((n: any) => n.link === `/objections/${id}` && n.title.includes("逾期")));
    const d = (await api("police", "GET", `/api/objections/${id}`)).json();
    assert.equal(d.objection.overdue, true);
    assert.ok(d.objection.escalatedAt);
    const rej = await api("police", "POST", `/api/objections/${id}/reject`, { reason: "经核实无误" });
    assert.equal(rej.json().objection.status, "replied");
    const replyDue = new Date(rej.json().objection.dueAt);
    assert.ok(replyDue.getTime() - Date.now() >= 5 * 86_400_000, "5 working days ≥ 5 calendar days");
    assert.deepEqual(await q.sweep(new Date(replyDue.getTime() + 1000)), { reminded: 0, overdue: 0, closed: 1 });
    const closed = (await api("clerk", "GET", `/api/objections/${id}`)).json();
    assert.equal(closed.objection.status, "closed");
    assert.deepEqual(closed.events.map((e: any) => e.step), ["raised", "reminded", "overdue", "rejected", "closed"]);
    assert.equal((await t.platform.services.ledger.entriesBySubject(`objection:${id}`)).length, 5);
    // mark read
    const n = (await api("admin", "GET", "/api/notifications")).json();
    assert.equal((await api("admin", "POST", `/api/notifications/${n.items[0].id}/read`)).statusCode, 200);
    assert.equal((await api("admin", "GET", "/api/notifications")).json().unread, n.unread - 1);
  });

  test("a disputed answer escalates; the admin reopens it", async () => {
    const id = (await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, recordKey: { 公民身份号码: people[2] }, column: "性别", reason: "性别有误" })).json().objection.id;
    await api("police", "POST", `/api/objections/${id}/reject`, { reason: "无误" });
    assert.equal((await api("clerk", "POST", `/api/objections/${id}/dispute`, { reason: "有出生证明" })).json().objection.status, "escalated");
    assert.equal((await api("police", "POST", `/api/objections/${id}/decide`, { decision: "reopen", note: "x" })).statusCode, 403);
    const d = await api("admin", "POST", `/api/objections/${id}/decide`, { decision: "reopen", note: "请重新核实" });
    assert.equal(d.json().objection.status, "verifying");
  });

  test("一数一源 and 多源校核: conflicts by key go to the authoritative department and can become an objection", async () => {
    const body = { concept: "户籍地址", datasetId: ids.pop, column: "户籍地址", keyColumn: "公民身份号码" };
    assert.equal((await api("police", "POST", "/api/quality/sources", body)).statusCode, 403);
    const s = await api("admin", "POST", "/api/quality/sources", body);
    assert.equal(s.statusCode, 201, s.body);
    assert.equal((await api("admin", "POST", "/api/quality/sources", { ...body, datasetId: ids.ss })).statusCode, 409, "one source per concept");
    const sid = s.json().id;
    assert.equal((await api("admin", "POST", `/api/quality/sources/${sid}/copies`, { datasetId: ids.ss, column: "户籍地址", keyColumn: "公民身份号码" })).json().copies.length, 1);
    const cc = await api("police", "POST", `/api/quality/sources/${sid}/crosscheck`);
    assert.equal(cc.statusCode, 200, cc.body);
    const res = cc.json();
    assert.equal(res.crosscheck.keysCompared, 5);
    // people[0] was corrected to 拱墅区0号 (now agrees); people[1] differs.
    assert.equal(res.crosscheck.conflictCount, 1);
    const conflict = res.conflicts[0];
    assert.equal(conflict.key, people[1]);
    assert.deepEqual(conflict.values.map((v: any) => [v.authoritative, v.value]), [[true, "杭州市上城区1号"], [false, "杭州市拱墅区1号"]]);
    const tasks = (await api("police", "GET", "/api/quality/conflicts?status=open")).json();
    assert.equal(tasks.items.length, 1);
    assert.equal((await api("hr", "GET", "/api/quality/conflicts")).json().items.length, 0);
    assert.ok((await api("police", "GET", "/api/notifications")).json().items.some((n: any) => n.kind === "conflict"));
    const o = await api("admin", "POST", `/api/quality/conflicts/${conflict.id}/objection`, {});
    assert.equal(o.statusCode, 201, o.body);
    assert.equal(o.json().objection.conflictId, conflict.id);
    assert.equal((await api("police", "GET", "/api/quality/conflicts?status=objected")).json().items[0].objectionId, o.json().objection.id);
    // An objection to the copy's field (社保's 户籍地址, held by 人社) also tells the authoritative department (公安).
    const copyObj = await api("clerk", "POST", "/api/objections", { datasetId: ids.ss, recordKey: { 公民身份号码: people[3] }, column: "户籍地址", reason: "地址已变更" });
    assert.equal(copyObj.statusCode, 201, copyObj.body);
    assert.equal(copyObj.json().objection.providerOrgId, org.hr, "the holder of the copy handles it");
    assert.deepEqual(copyObj.json().events[0].data.authority.datasetId, ids.pop);
    const told = (await api("police", "GET", "/api/notifications")).json().items;
    assert.ok(told.some((n: any) => n.link === `/objections/${copyObj.json().objection.id}` && n.title.includes("一数一源")), "the authoritative department is told");
    await api("hr", "POST", `/api/objections/${copyObj.json().objection.id}/reject`, { reason: "以公安数据为准" });
  });

  test("league table of departments and dataset scores", async () => {
    const l = await api("clerk", "GET", "/api/quality/league");
    assert.equal(l.statusCode, 200, l.body);
    const items = l.json().items;
    assert.deepEqual(items.map((i: any) => i.rank), [1, 2, 3]);
    const police = items.find((i: any) => i.org.name === "市公安局");
    assert.ok(police.openObjections >= 1);
    assert.ok(items[0].score >= items[2].score);
    const ds = (await api("clerk", "GET", "/api/quality/datasets")).json().items;
    assert.ok(ds.some((d: any) => d.datasetId === ids.pop));
    assert.ok(!ds.some((d: any) => d.datasetId === ids.corp), "only datasets the user may see");
    const put = await api("admin", "PUT", "/api/quality/settings", { weights: { completeness: 1, validity: 0, uniqueness: 0, consistency: 0, timeliness: 0 } });
    assert.equal(put.statusCode, 200, put.body);
    const rep = (await api("market", "GET", `/api/quality/datasets/${ids.corp}/report`)).json();
    assert.equal(rep.run.score, rep.run.dimensions.completeness);
  });
  test("an outsider objects to a row the preview shows masked (by its row reference); the key stays masked for them, whole for the provider", async () => {
    const pv = await api("clerk", "GET", `/api/datasets/${ids.pop}/rows?pageSize=5`);
    assert.equal(pv.statusCode, 200, pv.body);
    const shown = String(pv.json().rows[2]["公民身份号码"]);
    assert.match(shown, /\*/, "the preview masks the key for another department");
    const ref = pv.json().refs[2];
    assert.match(ref, /^v\d+\.\d+$/);
    const r = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, rowRef: ref, column: "姓名", reason: "姓名有误" });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().objection.recordKey["公民身份号码"], shown, "the objector sees the key as the preview showed it");
    const id = r.json().objection.id;
    const raw = (await api("police", "GET", `/api/objections/${id}`)).json().objection.recordKey["公民身份号码"];
    assert.ok(people.includes(raw), "the provider sees the whole key");
    assert.equal(`${raw.slice(0, 6)}${"*".repeat(8)}${raw.slice(14)}`, shown);
    const listed = (await api("clerk", "GET", "/api/objections?scope=mine")).json().items.find((o: any) => o.id === id);
    assert.equal(listed.recordKey["公民身份号码"], shown);
    // A reference into an older version, or both ways of naming the record, are refused naming the field.
    const stale = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, rowRef: "v999.0", reason: "x" });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().error.field, "rowRef");
    const both = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, rowRef: ref, recordKey: { 公民身份号码: raw }, reason: "x" });
    assert.equal(both.statusCode, 400, both.body);
    await api("police", "POST", `/api/objections/${id}/reject`, { reason: "经核实无误" });
  });
  test("a whole-record objection is corrected by naming the item at correction", async () => {
    const r = await api("clerk", "POST", "/api/objections", { datasetId: ids.pop, recordKey: { 公民身份号码: people[4] }, reason: "这条记录有误" });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().objection.id;
    await api("police", "POST", `/api/objections/${id}/accept`, {});
    const d = (await api("police", "GET", `/api/objections/${id}`)).json();
    assert.equal(d.can.correct, true, "a record objection can be corrected, not only rejected");
    assert.ok(d.columns.includes("姓名"), "the handler gets the items to choose from");
    assert.equal((await api("clerk", "GET", `/api/objections/${id}`)).json().columns, undefined, "only the handler");
    const none = await api("police", "POST", `/api/objections/${id}/correct`, { note: "已核实" });
    assert.equal(none.statusCode, 400, none.body);
    assert.equal(none.json().error.field, "changes");
    const before = (await t.platform.services.ingest.current(ids.pop))!.version;
    const ok = await api("police", "POST", `/api/objections/${id}/correct`, { note: "姓名更正", changes: [{ column: "姓名", value: "张四十" }] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().objection.resolution, "corrected");
    const snap = (await t.platform.services.ingest.current(ids.pop))!;
    assert.equal(snap.version, before + 1);
    const name = await t.platform.lake.run(async (c) => (await c.runAndReadAll(`SELECT "姓名" AS n FROM ${snap.sql} WHERE "公民身份号码" = '${people[4]}'`)).getRowObjectsJson()[0].n);
    assert.equal(name, "张四十");
  });
});
