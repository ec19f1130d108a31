import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { openFixture, registeredKey, uploadVersion, type OpenFixture } from "../../../test/opening-fixtures.ts";
import { percentileCont, redactContacts, workingHoursBetween } from "./index.ts";

/** An instant given as Asia/Shanghai wall time. */
const sh = (s: string) => new Date(`${s}+08:00`);

/** The ledger entries (kind) recorded for a subject, searched among the newest `n`. */
async function ledgerKinds(t: TestPlatform, subject: string, n = 80): Promise<{ kind: string; actor: string | null; data: Record<string, any> }[]> {
  const size = await t.platform.services.ledger.size();
  const out = [];
  for (let i = Math.max(0, size - n); i < size; i++) {
    const leaf = JSON.parse((await t.platform.services.ledger.entry(i)).leaf);
    if (leaf.subject === subject) out.push(leaf);
  }
  return out;
}
async function inbox(t: TestPlatform, cookie: string) {
  const r = await call(t.app, { url: "/api/notifications?limit=200", cookie });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items as { kind: string; title: string; body: string; link: string | null }[];
}

describe(`opening: 数据需求, 错误报告, 接诉即办 figures, 利用成果 (${TEST_ENGINE})`, () => {
  let f: OpenFixture;
  let clock = sh("2026-12-07T10:00:00");
  let pub: Awaited<ReturnType<typeof registeredKey>>;
  before(async () => {
    f = await openFixture();
    f.t.platform.services.opening.feedback.configure({ now: () => clock });
    pub = await registeredKey(f.t, "citizen");
  });
  after(() => f?.t.close());

  test("helpers: working hours skip weekends and holidays; percentile_cont; contact data is masked in public text", () => {
    assert.equal(workingHoursBetween(sh("2026-12-04T09:00:00"), sh("2026-12-07T09:00:00"), {}), 24, "Fri 09:00 → Mon 09:00: 15 h Friday + 9 h Monday");
    assert.equal(workingHoursBetween(sh("2026-12-07T09:00:00"), sh("2026-12-08T09:00:00"), { holidays: ["2026-12-07"] }), 9);
    assert.equal(workingHoursBetween(sh("2026-12-05T09:00:00"), sh("2026-12-06T09:00:00"), { extraWorkdays: ["2026-12-06"] }), 9);
    assert.equal(percentileCont([6, 72, 216], 0.5), 72);
    assert.ok(Math.abs(percentileCont([6, 72, 216], 0.9) - 187.2) < 1e-9);
    assert.equal(redactContacts("请联系13800138000或zhang.san@example.com，身份证350102199001011234"), "请联系138****8000或z****@example.com，身份证3***************34");
  });

  test("数据需求: filed by a signed-in user, assigned by the administration, answered in public by the department; ledger and notifications at every step", async () => {
    const t = f.t;
    clock = sh("2026-12-07T10:00:00"); // a Monday
    const body = { title: "开放历年参保人员身份信息统计", description: "希望按街道开放参保人数统计，联系电话13800138000", intendedUse: "研究社保覆盖率", entryId: f.entries.closed };
    // Anonymous visitors cannot file; bad input names the field.
    assert.equal((await call(t.app, { method: "POST", url: "/api/open/demands", body })).statusCode, 401);
    for (const [bad, field] of [
      [{ ...body, title: "" }, "title"], [{ ...body, intendedUse: undefined }, "intendedUse"], [{ ...body, orgId: "org_nope" }, "orgId"],
      [{ ...body, entryId: "ent_nope" }, "entryId"], [{ ...body, phone: "x" }, "phone"], [{ ...body, title: "x".repeat(201) }, "title"],
    ] as const) {
      const r = await call(t.app, { method: "POST", url: "/api/open/demands", cookie: pub.cookie, body: bad });
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json().error.field, field);
    }
    const c = await call(t.app, { method: "POST", url: "/api/open/demands", cookie: pub.cookie, body });
    assert.equal(c.statusCode, 201, c.body);
    const d = c.json().demand;
    assert.equal(d.status, "submitted");
    assert.equal(d.entry.id, f.entries.closed);
    assert.equal(d.requestedOrg.id, f.providerOrgId, "the entry's provider is the department it concerns");
    assert.equal(d.department, null, "not routed yet");
    assert.equal(d.dueAt, "2026-12-14T15:59:59.999Z", "5 working days: the end of the next Monday (Shanghai)");
    assert.equal(d.overdue, false);
    assert.equal(d.private.submitter.userId, pub.userId, "the requester sees their own request in full");
    // The public view: no requester, contact data masked.
    const p = await call(t.app, { url: `/api/open/demands/${d.id}` });
    assert.equal(p.statusCode, 200);
    assert.equal(p.json().demand.private, undefined);
    assert.ok(!p.body.includes("13800138000") && !p.body.includes(pub.userId) && !p.body.includes("citizen"), "no personal data in public");
    assert.match(p.json().demand.description, /138\*\*\*\*8000/);
    assert.ok((await inbox(t, f.admin)).some((n) => n.kind === "open.demand" && n.title.includes(body.title)), "the administration is told");

    // Only the administration routes; a department answers only once it is its own.
    assert.equal((await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/assign`, cookie: pub.cookie, body: { orgId: f.providerOrgId } })).statusCode, 403);
    assert.equal((await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/answer`, cookie: f.officer, body: { outcome: "declined", reason: "x" } })).statusCode, 403);
    const badOrg = await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/assign`, cookie: f.admin, body: { orgId: "org_nope" } });
    assert.equal(badOrg.statusCode, 400);
    assert.equal(badOrg.json().error.field, "orgId");
    clock = sh("2026-12-07T15:00:00");
    const a = await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/assign`, cookie: f.admin, body: { orgId: f.providerOrgId, note: "请人社局研究" } });
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(a.json().demand.status, "assigned");
    assert.equal(a.json().demand.department.name, "开放市人社局");
    assert.ok((await inbox(t, f.officer)).some((n) => n.kind === "open.demand" && n.title.includes("待答复")), "the department's officers are told");
    assert.ok(!(await inbox(t, f.otherOfficer)).some((n) => n.kind === "open.demand"), "another department is not");
    assert.ok((await inbox(t, pub.cookie)).some((n) => n.title.includes("已转交开放市人社局")));
    const queue = (await call(t.app, { url: "/api/open/demands?view=queue", cookie: f.officer })).json();
    assert.deepEqual(queue.items.map((x: any) => x.id), [d.id]);
    assert.equal(queue.items[0].private.assignNote, "请人社局研究", "the department sees the private part");
    assert.equal((await call(t.app, { url: "/api/open/demands?view=queue", cookie: f.otherOfficer })).json().total, 0);
    assert.equal((await call(t.app, { url: "/api/open/demands?view=queue", cookie: pub.cookie })).statusCode, 403);

    // Answers: each outcome needs its own field.
    const ans = (cookie: string, b: unknown) => call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/answer`, cookie, body: b });
    assert.equal((await ans(f.otherOfficer, { outcome: "declined", reason: "不是我们的" })).statusCode, 403);
    assert.equal((await ans(pub.cookie, { outcome: "declined", reason: "x" })).statusCode, 403);
    for (const [b, field] of [
      [{ outcome: "accepted", plan: "脱敏后按街道汇总开放" }, "plannedDate"], [{ outcome: "accepted", plannedDate: "2027-03-01" }, "plan"],
      [{ outcome: "available" }, "url"], [{ outcome: "available", url: "javascript:alert(1)" }, "url"], [{ outcome: "declined" }, "reason"],
      [{ outcome: "maybe" }, "outcome"], [{ outcome: "accepted", plan: "x", plannedDate: "2026-12-01" }, "plannedDate"],
    ] as const) {
      const r = await ans(f.officer, b);
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json().error.field, field);
    }
    clock = sh("2026-12-09T11:00:00");
    const ok = await ans(f.officer, { outcome: "accepted", plan: "脱敏后按街道汇总开放", plannedDate: "2027-03-01" });
    assert.equal(ok.statusCode, 200, ok.body);
    const answered = ok.json().demand;
    assert.equal(answered.status, "answered");
    assert.equal(answered.answeredOnTime, true);
    assert.deepEqual({ ...answered.answer, answeredAt: undefined }, {
      outcome: "accepted", plan: "脱敏后按街道汇总开放", plannedDate: "2027-03-01", url: null, reason: null, note: null, fixedVersion: null, answeredAt: undefined, fulfilledAt: null,
      by: { orgId: f.providerOrgId, name: "开放市人社局" },
    });
    assert.equal(answered.answer.answeredAt, "2026-12-09T03:00:00.000Z");
    assert.ok((await inbox(t, pub.cookie)).some((n) => n.title.startsWith("你的数据需求已答复")));
    // An accepted demand may later be made available (fulfilled); no other change.
    assert.equal((await ans(f.officer, { outcome: "declined", reason: "改主意" })).statusCode, 409);
    clock = sh("2027-03-01T09:00:00");
    const done = await ans(f.officer, { outcome: "available", url: `/open/datasets/${f.entries.free}`, note: "已按街道汇总开放" });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().demand.answer.outcome, "available");
    assert.equal(done.json().demand.answer.plannedDate, "2027-03-01", "the plan stays on record");
    assert.equal(done.json().demand.answer.answeredAt, "2026-12-09T03:00:00.000Z", "the first answer stays the answer time");
    assert.equal(done.json().demand.answer.fulfilledAt, "2027-03-01T01:00:00.000Z");
    assert.equal((await ans(f.officer, { outcome: "available", url: "https://example.org" })).statusCode, 409);
    assert.deepEqual((await ledgerKinds(t, d.id)).map((l) => l.kind), ["open.demand.submitted", "open.demand.assigned", "open.demand.answered", "open.demand.fulfilled"]);
    const leaves = await ledgerKinds(t, d.id);
    assert.equal(leaves[0].actor, pub.userId);
    assert.equal(leaves[2].data.onTime, true);
    assert.ok(!JSON.stringify(leaves).includes("13800138000"), "no contact data in the ledger");
    // Public list, paged, filterable.
    const list = await call(t.app, { url: "/api/open/demands?status=answered&pageSize=10" });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().total, 1);
    assert.equal(list.json().items[0].private, undefined);
    assert.equal((await call(t.app, { url: "/api/open/demands?pageSize=1000" })).json().error.field, "pageSize");
    assert.equal((await call(t.app, { url: "/api/open/demands?view=mine", cookie: pub.cookie })).json().total, 1);
    assert.equal((await call(t.app, { url: "/api/open/demands?view=mine" })).statusCode, 401);
  });

  test("the administration may answer a demand itself; the answer names the data administration", async () => {
    const t = f.t;
    clock = sh("2026-12-10T10:00:00");
    const d = (await call(t.app, { method: "POST", url: "/api/open/demands", cookie: pub.cookie, body: { title: "公交线路数据", description: "开放公交线路与站点", intendedUse: "出行 App" } })).json().demand;
    assert.equal(d.requestedOrg, null);
    const noReason = await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/answer`, cookie: f.admin, body: { outcome: "declined" } });
    assert.equal(noReason.json().error.field, "reason");
    const r = await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/answer`, cookie: f.admin, body: { outcome: "declined", reason: "该数据不属于公共数据" } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().demand.answer.by.name, "开放市数据局");
    assert.equal(r.json().demand.department, null);
    assert.equal((await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/assign`, cookie: f.admin, body: { orgId: f.providerOrgId } })).statusCode, 409, "answered ones are not routed");
  });

  test("deadlines in working days with configured holidays; overdue ones are flagged, swept once (ledger + notifications) and answered late", async () => {
    const t = f.t;
    assert.deepEqual((await call(t.app, { url: "/api/open/feedback/settings" })).json(), { demandDays: 5, reportDays: 10, holidays: [], extraWorkdays: [] });
    assert.equal((await call(t.app, { method: "PUT", url: "/api/open/feedback/settings", cookie: f.officer, body: { demandDays: 3, reportDays: 10, holidays: [], extraWorkdays: [] } })).statusCode, 403);
    const bad = await call(t.app, { method: "PUT", url: "/api/open/feedback/settings", cookie: f.admin, body: { demandDays: 0, reportDays: 10, holidays: [], extraWorkdays: [] } });
    assert.equal(bad.json().error.field, "demandDays");
    const badDay = await call(t.app, { method: "PUT", url: "/api/open/feedback/settings", cookie: f.admin, body: { demandDays: 3, reportDays: 10, holidays: ["12/09"], extraWorkdays: [] } });
    assert.equal(badDay.json().error.field, "holidays.0");
    const put = await call(t.app, { method: "PUT", url: "/api/open/feedback/settings", cookie: f.admin, body: { demandDays: 3, reportDays: 10, holidays: ["2026-12-16"], extraWorkdays: [] } });
    assert.equal(put.statusCode, 200, put.body);
    try {
      clock = sh("2026-12-15T10:00:00"); // a Tuesday; Wednesday 16th is a holiday
      const d = (await call(t.app, { method: "POST", url: "/api/open/demands", cookie: pub.cookie, body: { title: "停车场实时泊位", description: "开放停车场泊位", intendedUse: "停车导航" } })).json().demand;
      assert.equal(d.dueAt, "2026-12-21T15:59:59.999Z", "3 working days skipping the holiday: Thu 17, Fri 18, Mon 21");
      clock = sh("2026-12-21T23:00:00");
      assert.equal((await call(t.app, { url: `/api/open/demands/${d.id}` })).json().demand.overdue, false);
      assert.deepEqual((await t.platform.services.opening.feedback.requests.sweep()).flagged, []);
      clock = sh("2026-12-22T00:30:00");
      assert.equal((await call(t.app, { url: `/api/open/demands/${d.id}` })).json().demand.overdue, true);
      const overdue = (await call(t.app, { url: "/api/open/demands?overdue=true" })).json();
      assert.ok(overdue.items.some((x: any) => x.id === d.id));
      assert.ok(!(await call(t.app, { url: "/api/open/demands?overdue=false" })).json().items.some((x: any) => x.id === d.id));
      // The sweep flags it once: a ledger entry, and the administration is told (not routed yet).
      assert.equal((await call(t.app, { method: "POST", url: "/api/open/feedback/sweep", cookie: pub.cookie })).statusCode, 403);
      const s1 = await call(t.app, { method: "POST", url: "/api/open/feedback/sweep", cookie: f.admin });
      assert.equal(s1.statusCode, 200, s1.body);
      assert.ok(s1.json().flagged.includes(d.id));
      assert.ok(!(await call(t.app, { method: "POST", url: "/api/open/feedback/sweep", cookie: f.admin })).json().flagged.includes(d.id), "flagged once");
      assert.ok((await inbox(t, f.admin)).some((n) => n.kind === "open.demand.overdue" && n.title.includes("停车场实时泊位")));
      assert.ok((await ledgerKinds(t, d.id)).some((l) => l.kind === "open.demand.overdue" && l.data.dueAt === "2026-12-21T15:59:59.999Z"));
      // Answered late: no longer overdue, not on time.
      clock = sh("2026-12-22T09:00:00");
      const late = await call(t.app, { method: "POST", url: `/api/open/demands/${d.id}/answer`, cookie: f.admin, body: { outcome: "available", url: "https://example.org/parking" } });
      assert.equal(late.json().demand.overdue, false);
      assert.equal(late.json().demand.answeredOnTime, false);
      assert.equal((await ledgerKinds(t, d.id)).find((l) => l.kind === "open.demand.answered")!.data.onTime, false);
    } finally {
      await call(t.app, { method: "PUT", url: "/api/open/feedback/settings", cookie: f.admin, body: { demandDays: 5, reportDays: 10, holidays: [], extraWorkdays: [] } });
    }
  });

  test("错误报告: anyone reports (anonymous too, rate limited per address); the provider's officers are told and answer in public; contact data stays private", async () => {
    const t = f.t;
    clock = sh("2026-12-22T10:00:00"); // a Tuesday
    const name = (await call(t.app, { url: `/api/open/datasets/${f.entries.free}` })).json().dataset.name;
    const body = { dataset: name, item: "性别", rowRef: "第 3 行", description: "性别一栏填写了数字", contact: "13900139000" };
    for (const [bad, field] of [
      [{ ...body, dataset: f.entries.closed }, "dataset"], [{ ...body, dataset: "nope" }, "dataset"], [{ ...body, item: "血型" }, "item"],
      [{ ...body, contact: "call me" }, "contact"], [{ ...body, description: undefined }, "description"], [{ ...body, extra: 1 }, "extra"],
    ] as const) {
      const r = await call(t.app, { method: "POST", url: "/api/open/reports", body: bad });
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json().error.field, field);
    }
    const c = await call(t.app, { method: "POST", url: "/api/open/reports", body });
    assert.equal(c.statusCode, 201, c.body);
    const rep = c.json().report;
    assert.equal(rep.kind, "report");
    assert.equal(rep.entry.id, f.entries.free);
    assert.equal(rep.department.id, f.providerOrgId, "routed to the provider at once");
    assert.equal(rep.dataVersion, 1);
    assert.equal(rep.item, "性别");
    assert.equal(rep.dueAt, "2027-01-05T15:59:59.999Z", "10 working days");
    assert.equal(rep.private, undefined);
    assert.ok(!c.body.includes("13900139000"));
    const pubView = await call(t.app, { url: `/api/open/reports/${rep.id}` });
    assert.ok(!pubView.body.includes("13900139000"), "the contact is never public");
    const officerView = (await call(t.app, { url: `/api/open/reports/${rep.id}`, cookie: f.officer })).json().report;
    assert.equal(officerView.private.contact, "13900139000");
    assert.equal(officerView.private.submitter, null, "anonymous");
    assert.equal((await call(t.app, { url: `/api/open/reports/${rep.id}`, cookie: f.otherOfficer })).json().report.private, undefined);
    assert.ok((await inbox(t, f.officer)).some((n) => n.kind === "open.report" && n.link === `/open/reports/${rep.id}`), "the provider's officers are told");
    assert.ok(!(await inbox(t, f.otherOfficer)).some((n) => n.kind === "open.report"));
    const leaf = (await ledgerKinds(t, rep.id))[0];
    assert.equal(leaf.kind, "open.report.submitted");
    assert.equal(leaf.actor, null);
    assert.equal(leaf.data.anonymous, true);

    // A signed-in report; answers.
    const mine = (await call(t.app, { method: "POST", url: "/api/open/reports", cookie: pub.cookie, body: { dataset: f.entries.cond, description: "缴费金额出现负数" } })).json().report;
    assert.equal(mine.private.submitter.userId, pub.userId);
    const ans = (id: string, cookie: string, b: unknown) => call(t.app, { method: "POST", url: `/api/open/reports/${id}/answer`, cookie, body: b });
    assert.equal((await ans(rep.id, f.otherOfficer, { outcome: "fixed" })).statusCode, 403);
    assert.equal((await ans(rep.id, pub.cookie, { outcome: "fixed" })).statusCode, 403);
    assert.equal((await ans(rep.id, f.officer, { outcome: "not_error" })).json().error.field, "reason");
    assert.equal((await ans(rep.id, f.officer, { outcome: "fixed", version: 1 })).json().error.field, "version", "the reported version is not a fix");
    assert.equal((await ans(rep.id, f.officer, { outcome: "fixed", version: 2 })).json().error.field, "version", "no such version yet");
    await uploadVersion(f, "free");
    clock = sh("2026-12-23T16:00:00");
    const fixed = await ans(rep.id, f.officer, { outcome: "fixed", version: 2, note: "已更正性别编码" });
    assert.equal(fixed.statusCode, 200, fixed.body);
    assert.equal(fixed.json().report.answer.outcome, "fixed");
    assert.equal(fixed.json().report.answer.fixedVersion, 2);
    assert.equal(fixed.json().report.answer.url, `/open/datasets/${f.entries.free}?version=2`);
    assert.equal(fixed.json().report.answeredOnTime, true);
    assert.equal((await ans(rep.id, f.officer, { outcome: "not_error", reason: "x" })).statusCode, 409);
    const notErr = await ans(mine.id, f.admin, { outcome: "not_error", reason: "退费记录按规定记为负数" });
    assert.equal(notErr.statusCode, 200, notErr.body);
    assert.ok((await inbox(t, pub.cookie)).some((n) => n.kind === "open.report" && n.body === "经核实不是错误"));
    assert.deepEqual((await ledgerKinds(t, rep.id)).map((l) => l.kind), ["open.report.submitted", "open.report.answered"]);
    // Public lists by dataset.
    const byDs = await call(t.app, { url: `/api/open/reports?dataset=${name}` });
    assert.deepEqual(byDs.json().items.map((x: any) => x.id), [rep.id]);
    assert.equal((await call(t.app, { url: "/api/open/reports?outcome=not_error" })).json().items[0].answer.reason, "退费记录按规定记为负数");

    // Anonymous reports are limited per address; signed-in users are not.
    t.platform.services.opening.feedback.configure({ anonymousReportsPerHour: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await call(t.app, { method: "POST", url: "/api/open/reports", body: { dataset: f.entries.free, description: `问题 ${i}` } })).statusCode);
      assert.deepEqual(codes, [201, 201, 429]);
      const limited = await call(t.app, { method: "POST", url: "/api/open/reports", body: { dataset: f.entries.free, description: "再来" } });
      assert.equal(limited.json().error.code, "rate_limited");
      assert.match(limited.json().error.message, /匿名提交错误报告过于频繁/);
      assert.equal((await call(t.app, { method: "POST", url: "/api/open/reports", cookie: pub.cookie, body: { dataset: f.entries.free, description: "登录后提交" } })).statusCode, 201);
    } finally {
      t.platform.services.opening.feedback.configure({ anonymousReportsPerHour: 10 });
    }
  });

  test("接诉即办 figures: exact counts, on-time answers, median and p90 hours (calendar and working), open overdue; city and per department", async () => {
    const t = f.t;
    // A seeded set in May 2027, far from the requests of the other tests (December 2026).
    const post = async (url: string, cookie: string | undefined, body: unknown, at: string) => {
      clock = sh(at);
      const r = await call(t.app, { method: "POST", url, cookie, body });
      assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
      return r.json();
    };
    const demand = (title: string, at: string) => post("/api/open/demands", pub.cookie, { title, description: "d", intendedUse: "u" }, at).then((j) => j.demand.id as string);
    const report = (at: string) => post("/api/open/reports", pub.cookie, { dataset: f.entries.free, description: "r" }, at).then((j) => j.report.id as string);
    // Reports to the provider: 6 h (Mon 09→15) and 72 h (Fri 09 → Mon 09; 24 working hours).
    const r1 = await report("2027-05-03T09:00:00");
    await post(`/api/open/reports/${r1}/answer`, f.officer, { outcome: "fixed" }, "2027-05-03T15:00:00");
    const r2 = await report("2027-05-07T09:00:00");
    await post(`/api/open/reports/${r2}/answer`, f.officer, { outcome: "not_error", reason: "r" }, "2027-05-10T09:00:00");
    // Demands routed to the provider: one answered late after 216 h (168 working hours), one never answered (overdue).
    const d1 = await demand("d1", "2027-05-03T10:00:00");
    await post(`/api/open/demands/${d1}/assign`, f.admin, { orgId: f.providerOrgId }, "2027-05-03T11:00:00");
    await post(`/api/open/demands/${d1}/answer`, f.officer, { outcome: "declined", reason: "r" }, "2027-05-12T10:00:00");
    const d2 = await demand("d2", "2027-05-03T11:00:00");
    await post(`/api/open/demands/${d2}/assign`, f.admin, { orgId: f.providerOrgId }, "2027-05-03T12:00:00");
    // Held by the administration: one answered in 2 h, one open and not yet due.
    const d4 = await demand("d4", "2027-05-04T10:00:00");
    await post(`/api/open/demands/${d4}/answer`, f.admin, { outcome: "available", url: "https://example.org" }, "2027-05-04T12:00:00");
    await demand("d3", "2027-05-21T10:00:00");
    clock = sh("2027-05-23T12:00:00");

    const fig = (received: number, answered: number, onTime: number, open: number, openOverdue: number, hours: [number, number] | null, working: [number, number] | null) => ({
      received, answered, answeredOnTime: onTime, open, openOverdue,
      answerRate: received ? Math.round((answered / received) * 1e4) / 1e4 : null, onTimeRate: received ? Math.round((onTime / received) * 1e4) / 1e4 : null,
      hoursToAnswer: hours && { median: hours[0], p90: hours[1] }, workingHoursToAnswer: working && { median: working[0], p90: working[1] },
    });
    const deptA = {
      org: { id: f.providerOrgId, name: "开放市人社局" },
      demands: fig(2, 1, 0, 1, 1, [216, 216], [168, 168]),
      reports: fig(2, 2, 2, 0, 0, [39, 65.4], [15, 22.2]),
      all: fig(4, 3, 2, 1, 1, [72, 187.2], [24, 139.2]),
    };
    const admin = {
      org: { id: null, name: "数据管理部门（未分派）" },
      demands: fig(2, 1, 1, 1, 0, [2, 2], [2, 2]),
      reports: fig(0, 0, 0, 0, 0, null, null),
      all: fig(2, 1, 1, 1, 0, [2, 2], [2, 2]),
    };
    const total = { demands: fig(4, 2, 1, 2, 1, [109, 194.6], [85, 151.4]), reports: deptA.reports, all: fig(6, 4, 3, 2, 1, [39, 172.8], [15, 124.8]) };
    for (const days of [30, 90]) {
      const s = await call(t.app, { url: `/api/open/feedback/stats?days=${days}` });
      assert.equal(s.statusCode, 200, s.body);
      const j = s.json();
      assert.deepEqual(j.window, { days, from: new Date(clock.getTime() - days * 86_400_000).toISOString(), to: clock.toISOString() });
      assert.deepEqual(j.deadlines, { demandDays: 5, reportDays: 10, unit: "working days" });
      assert.deepEqual(j.total, total, `city, ${days} days`);
      assert.deepEqual(j.departments, [deptA, admin]);
    }
    const one = (await call(t.app, { url: `/api/open/feedback/stats?days=30&org=${f.providerOrgId}` })).json();
    assert.deepEqual(one.org, { id: f.providerOrgId, name: "开放市人社局" });
    assert.deepEqual(one.total, { demands: deptA.demands, reports: deptA.reports, all: deptA.all });
    assert.deepEqual(one.departments, [deptA]);
    const year = (await call(t.app, { url: "/api/open/feedback/stats?days=365" })).json();
    assert.ok(year.total.all.received > total.all.received, "a year holds the December requests too");
    const bad = await call(t.app, { url: "/api/open/feedback/stats?days=7" });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, "days");
  });

  test("利用成果: registered users submit, the administration approves before it is public; filterable by dataset; listed on the dataset page", async () => {
    const t = f.t;
    clock = sh("2027-06-01T10:00:00");
    const ent = await registeredKey(t, "acme", { accountType: "enterprise", orgName: "福州数据服务有限公司", uscc: "91350100M000100Y43", displayName: "王经理" });
    const freeName = (await call(t.app, { url: `/api/open/datasets/${f.entries.free}` })).json().dataset.name;
    const body = { name: "社保通", description: "查询参保政策与网点的小程序", url: "https://example.com/shebao", datasets: [freeName, f.entries.cond, f.entries.free] };
    assert.equal((await call(t.app, { method: "POST", url: "/api/open/showcase", body })).statusCode, 401);
    for (const [bad, field] of [
      [{ ...body, url: "ftp://example.com" }, "url"], [{ ...body, datasets: [] }, "datasets"], [{ ...body, datasets: ["nope"] }, "datasets.0"],
      [{ ...body, datasets: [f.entries.free, f.entries.closed] }, "datasets.1"], [{ ...body, name: undefined }, "name"],
    ] as const) {
      const r = await call(t.app, { method: "POST", url: "/api/open/showcase", cookie: ent.cookie, body: bad });
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json().error.field, field);
    }
    const c = await call(t.app, { method: "POST", url: "/api/open/showcase", cookie: ent.cookie, body });
    assert.equal(c.statusCode, 201, c.body);
    const app = c.json().application;
    assert.equal(app.organisation, "福州数据服务有限公司");
    assert.deepEqual(app.datasets.map((d: any) => d.id), [f.entries.free, f.entries.cond], "named twice, kept once");
    assert.equal(app.datasets[0].title, "参保人员名录");
    assert.equal(app.review.status, "submitted");
    assert.equal(app.approvedAt, null);
    // Not public before approval.
    assert.equal((await call(t.app, { url: "/api/open/showcase" })).json().total, 0);
    assert.equal((await call(t.app, { url: `/api/open/showcase/${app.id}` })).statusCode, 404);
    assert.equal((await call(t.app, { url: `/api/open/showcase/${app.id}`, cookie: pub.cookie })).statusCode, 404);
    assert.equal((await call(t.app, { url: `/api/open/showcase/${app.id}`, cookie: ent.cookie })).statusCode, 200);
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.entries.free}` })).json().showcase.total, 0);
    assert.equal((await call(t.app, { url: "/api/open/showcase?view=review", cookie: pub.cookie })).statusCode, 403);
    assert.deepEqual((await call(t.app, { url: "/api/open/showcase?view=review", cookie: f.admin })).json().items.map((x: any) => x.id), [app.id]);
    assert.ok((await inbox(t, f.admin)).some((n) => n.kind === "open.showcase" && n.title.includes("社保通")));
    // Review: rejection needs a reason; a rejected one may be approved on a second look.
    const rv = (b: unknown, cookie = f.admin) => call(t.app, { method: "POST", url: `/api/open/showcase/${app.id}/review`, cookie, body: b });
    assert.equal((await rv({ decision: "approve" }, ent.cookie)).statusCode, 403);
    assert.equal((await rv({ decision: "approve" }, f.officer)).statusCode, 403);
    assert.equal((await rv({ decision: "reject" })).json().error.field, "reason");
    const rej = await rv({ decision: "reject", reason: "请补充数据使用说明" });
    assert.equal(rej.json().application.review.status, "rejected");
    assert.ok((await inbox(t, ent.cookie)).some((n) => n.title.includes("未通过审核") && n.body === "请补充数据使用说明"));
    assert.equal((await call(t.app, { url: "/api/open/showcase" })).json().total, 0);
    clock = sh("2027-06-02T10:00:00");
    const ok = await rv({ decision: "approve" });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().application.approvedAt, "2027-06-02T02:00:00.000Z");
    assert.equal((await rv({ decision: "reject", reason: "x" })).statusCode, 409);
    assert.deepEqual((await ledgerKinds(t, app.id)).map((l) => l.kind), ["open.showcase.submitted", "open.showcase.rejected", "open.showcase.approved"]);
    // A second one, using only the conditional dataset.
    clock = sh("2027-06-03T10:00:00");
    const two = (await call(t.app, { method: "POST", url: "/api/open/showcase", cookie: pub.cookie, body: { name: "缴费分析", description: "研究", url: "http://example.org/a", datasets: [f.entries.cond] } })).json().application;
    assert.equal(two.organisation, null, "individuals' 公众用户 is not shown as a builder");
    await call(t.app, { method: "POST", url: `/api/open/showcase/${two.id}/review`, cookie: f.admin, body: { decision: "approve" } });
    // Public: approved only, newest approval first, paged, filtered by dataset; no reviewer data, no submitter.
    const all = await call(t.app, { url: "/api/open/showcase" });
    assert.deepEqual(all.json().items.map((x: any) => x.id), [two.id, app.id]);
    assert.equal(all.json().items[0].review, undefined);
    assert.ok(!all.body.includes(ent.userId) && !all.body.includes("王经理"));
    const page2 = (await call(t.app, { url: "/api/open/showcase?pageSize=1&page=2" })).json();
    assert.deepEqual([page2.total, page2.items.map((x: any) => x.id)], [2, [app.id]]);
    assert.deepEqual((await call(t.app, { url: `/api/open/showcase?dataset=${freeName}` })).json().items.map((x: any) => x.id), [app.id]);
    assert.equal((await call(t.app, { url: `/api/open/showcase?dataset=${f.entries.cond}` })).json().total, 2);
    assert.equal((await call(t.app, { url: "/api/open/showcase?q=社保" })).json().total, 1);
    const unknown = await call(t.app, { url: "/api/open/showcase?dataset=nope" });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.field, "dataset");
    // The dataset page lists the applications that use it.
    const page = (await call(t.app, { url: `/api/open/datasets/${f.entries.free}` })).json();
    assert.equal(page.showcase.total, 1);
    assert.equal(page.showcase.items[0].name, "社保通");
    const dsList = (await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/showcase?pageSize=1` })).json();
    assert.equal(dsList.total, 2);
    assert.equal(dsList.items.length, 1);
    assert.equal((await call(t.app, { url: "/api/open/showcase?view=mine", cookie: ent.cookie })).json().items[0].review.status, "approved");
  });
});
