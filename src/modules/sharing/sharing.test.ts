import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import type { Actor } from "../policy/index.ts";
import { PERSON_ITEMS, writePersonCsv } from "../ingest/fixtures.ts";
import { detectWatermark, stripWatermark, watermarkKey } from "../protection/index.ts";

/**
 * 共享 end to end through the HTTP API: demand and responsibility lists; applications (无条件 at once,
 * 有条件 by the provider, 不予共享 refused); deadlines and escalation; grants and their scope (items,
 * rows, period, rate); revocation; masking; metering; a ledger entry for every delivery; bad input.
 */
describe(`sharing: applications, grants, scoped delivery (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-sharing-"));
  const cookies: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

  const api = (who: string, method: "GET" | "POST" | "PUT", url: string, body?: unknown) => call(t.app, { method, url, cookie: cookies[who], ...(body !== undefined ? { body } : {}) });
  const application = (over: Record<string, unknown> = {}) => ({
    entryId: ids.conditional, items: ["公民身份号码", "姓名", "性别", "参保金额"], purpose: "办理社会保险待遇资格认证", legalBasis: "《社会保险法》第七十二条",
    matter: "社保待遇资格认证一件事", periodFrom: today, periodTo: inDays(30), expectedVolume: 10_000, rowFilter: [{ column: "性别", op: "eq", value: "女" }], ratePerMinute: 60, ...over,
  });

  before(async () => {
    t = await createTestPlatform();
    const p = t.platform;
    const city = await makeOrg(p, "数据局", "city");
    const hr = await makeOrg(p, "人社局", "department", city.id);
    const police = await makeOrg(p, "公安局", "department", city.id);
    const civil = await makeOrg(p, "民政局", "department", city.id);
    const users: [string, string, ("platform_admin" | "data_officer" | "dept_user")[]][] = [
      ["admin", city.id, ["platform_admin"]], ["hr", hr.id, ["data_officer"]], ["police", police.id, ["dept_user"]], ["civil", civil.id, ["dept_user", "data_officer"]],
    ];
    const actors: Record<string, Actor> = {};
    for (const [name, org, roles] of users) {
      const u = await makeUser(p, name, org, roles);
      actors[name] = { kind: "user", userId: u.id, username: name, displayName: name, orgId: org, roles, via: "token" };
      cookies[name] = await login(t.app, name);
    }
    ids.hrOrg = hr.id;
    ids.policeOrg = police.id;
    const file = path.join(tmp, "persons.csv");
    await writePersonCsv(file, { rows: 300, seed: 7 });
    const entry = async (name: string, shareType: string) => {
      const e = await p.services.catalog.create(actors.hr, { content: sampleContent({ name, items: PERSON_ITEMS, shareType, shareConditions: shareType === "有条件共享" ? "依法履职" : undefined, notShareBasis: shareType === "不予共享" ? "《个人信息保护法》" : undefined, generalLevel: 3 }) as never });
      await p.services.catalog.submit(actors.hr, e.id);
      await p.services.catalog.review(actors.admin, e.id, { decision: "approve" });
      const r = await p.services.ingest.loadFile(actors.hr, { entryId: e.id, path: file, filename: "persons.csv", mode: "all-or-nothing", wait: true });
      assert.equal(r.job.status, "succeeded", JSON.stringify(r.job.error));
      return e.id;
    };
    ids.conditional = await entry("参保人员信息", "有条件共享");
    ids.unconditional = await entry("参保单位名录", "无条件共享");
    ids.closed = await entry("社保卡银行账户", "不予共享");
  });
  after(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("需求清单 → matched by the data administration → 责任清单 of the provider", async () => {
    const d = await api("police", "POST", "/api/sharing/demands", { title: "参保人员信息", description: "核查涉案人员参保情况", duty: "《刑事诉讼法》规定的侦查职责" });
    assert.equal(d.statusCode, 201, d.body);
    assert.equal((await api("police", "POST", `/api/sharing/demands/${d.json().id}/match`, { entryId: ids.conditional })).statusCode, 403, "only the data administration matches");
    const m = await api("admin", "POST", `/api/sharing/demands/${d.json().id}/match`, { entryId: ids.conditional, note: "由人社局提供" });
    assert.equal(m.statusCode, 200, m.body);
    assert.equal(m.json().status, "matched");
    assert.equal(m.json().providerOrgId, ids.hrOrg);
    const resp = (await api("hr", "GET", "/api/sharing/responsibility")).json().items;
    assert.equal(resp.find((r: { providerOrgId: string }) => r.providerOrgId === ids.hrOrg).matchedDemands, 1);
    ids.demand = d.json().id;
  });

  test("不予共享 cannot be applied for; 无条件共享 is granted at once; bad applications name the field", async () => {
    const closed = await api("police", "POST", "/api/sharing/applications", application({ entryId: ids.closed }));
    assert.equal(closed.statusCode, 400);
    assert.equal(closed.json().error.field, "entryId");
    for (const [over, field] of [
      [{ items: ["公民身份号码", "口令"] }, "items.1"], [{ periodTo: inDays(-40), periodFrom: inDays(-50) }, "periodTo"], [{ periodFrom: inDays(5), periodTo: inDays(1) }, "periodTo"],
      [{ rowFilter: [{ column: "口令", op: "eq", value: "x" }] }, "rowFilter.0.column"], [{ rowFilter: [{ column: "参保金额", op: "gte", value: "很多" }] }, "rowFilter.0.value"],
      [{ purpose: "" }, "purpose"], [{ expectedVolume: -1 }, "expectedVolume"],
    ] as [Record<string, unknown>, string][]) {
      const r = await api("police", "POST", "/api/sharing/applications", application(over));
      assert.equal(r.statusCode, 400, `${JSON.stringify(over)}: ${r.body}`);
      assert.equal(r.json().error.field, field, JSON.stringify(over));
    }
    const own = await api("hr", "POST", "/api/sharing/applications", application());
    assert.equal(own.statusCode, 400, "a department does not apply for its own data");
    assert.equal(own.json().error.field, "entryId");
    const u = await api("police", "POST", "/api/sharing/applications", application({ entryId: ids.unconditional, items: ["姓名", "性别"], rowFilter: [], ratePerMinute: 2 }));
    assert.equal(u.statusCode, 201, u.body);
    assert.equal(u.json().status, "granted");
    assert.ok(u.json().grantId);
    ids.freeGrant = u.json().grantId;
    const entries = await t.platform.services.ledger.entriesBySubject(u.json().grantId);
    assert.deepEqual(entries.map((e) => e.kind), ["sharing.grant.created"]);
  });

  test("有条件共享: the provider answers within the deadline; a refusal needs a reason; then the grant", async () => {
    const a = await api("police", "POST", "/api/sharing/applications", application({ demandId: ids.demand }));
    assert.equal(a.statusCode, 201, a.body);
    const app = a.json();
    assert.equal(app.status, "pending");
    assert.ok(app.dueAt && Date.parse(app.dueAt) > Date.now() + 4 * 86_400_000, "five working days");
    const inbox = (await api("hr", "GET", "/api/notifications")).json().items;
    assert.ok(inbox.some((n: { kind: string; link: string }) => n.kind === "sharing.review" && n.link.endsWith(app.id)), "the provider is told");
    assert.equal((await api("civil", "POST", `/api/sharing/applications/${app.id}/decision`, { decision: "approve" })).statusCode, 404, "another department does not even see it");
    assert.equal((await api("admin", "POST", `/api/sharing/applications/${app.id}/decision`, { decision: "approve" })).statusCode, 403, "the administration decides only escalated ones");
    const noReason = await api("hr", "POST", `/api/sharing/applications/${app.id}/decision`, { decision: "refuse" });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.field, "reason");
    const ok = await api("hr", "POST", `/api/sharing/applications/${app.id}/decision`, { decision: "approve", conditions: "仅用于资格认证，不得向第三方提供" });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, "granted");
    ids.grant = ok.json().grantId;
    const g = (await api("police", "GET", `/api/sharing/grants/${ids.grant}`)).json();
    assert.deepEqual([g.entryName, g.providerName, g.granteeName, g.conditions], ["参保人员信息", "人社局", "公安局", "仅用于资格认证，不得向第三方提供"]);
    assert.equal((await api("hr", "POST", `/api/sharing/applications/${app.id}/decision`, { decision: "refuse", reason: "x" })).statusCode, 409, "answered once");
    const mine = (await api("police", "GET", "/api/notifications")).json().items;
    assert.ok(mine.some((n: { kind: string }) => n.kind === "sharing.decision"));
  });

  test("overdue applications are escalated to the data administration, which may then decide", async () => {
    const a = (await api("civil", "POST", "/api/sharing/applications", application())).json();
    assert.equal(a.status, "pending");
    const none = await t.platform.services.sharing.sweep(new Date(Date.now() + 86_400_000));
    assert.ok(!none.escalated.includes(a.id), "not overdue after one day");
    const late = await t.platform.services.sharing.sweep(new Date(Date.parse(a.dueAt) + 1000));
    assert.deepEqual(late.escalated.filter((x) => x === a.id), [a.id]);
    assert.deepEqual((await t.platform.services.sharing.sweep(new Date(Date.parse(a.dueAt) + 2000))).escalated.filter((x) => x === a.id), [], "once");
    const admin = (await api("admin", "GET", "/api/notifications")).json().items;
    assert.ok(admin.some((n: { kind: string; link: string }) => n.kind === "sharing.escalated" && n.link.endsWith(a.id)));
    const d = await api("admin", "POST", `/api/sharing/applications/${a.id}/decision`, { decision: "refuse", reason: "申请用途与民政职责不符" });
    assert.equal(d.statusCode, 200, d.body);
    assert.equal(d.json().status, "refused");
    const kinds = (await t.platform.services.ledger.entriesBySubject(a.id)).map((e) => e.kind).reverse();
    assert.deepEqual(kinds, ["sharing.application.submitted", "sharing.application.escalated", "sharing.application.refused"]);
  });

  test("delivery: only granted items and rows, masked by grade, metered, every read in the ledger", async () => {
    const q = (body: Record<string, unknown>, who = "police", grant = ids.grant, fmt = "") => api(who, "POST", `/api/sharing/grants/${grant}/query${fmt}`, body);
    const r = await q({ limit: 50 });
    assert.equal(r.statusCode, 200, r.body);
    const page = r.json();
    assert.ok(page.total > 0 && page.total < 300, "the grant's row filter applies");
    assert.ok(page.rows.every((x: Record<string, unknown>) => x["性别"] === "女"));
    assert.deepEqual(page.columns.map((c: { name: string }) => c.name), ["公民身份号码", "姓名", "性别", "参保金额"]);
    assert.deepEqual(page.columns.filter((c: { masked: boolean }) => c.masked).map((c: { name: string }) => c.name), ["公民身份号码", "姓名"]);
    assert.match(page.rows[0]["公民身份号码"], /^\d{6}\*+\d{3}[\dX]$/);
    assert.match(stripWatermark(page.rows[0]["姓名"]), /^.\*+$/u, "masked (and marked for its recipient)");
    // The request's own filters narrow further; they never widen.
    const narrow = await q({ filters: [{ column: "参保金额", op: "gte", value: 50000 }, { column: "性别", op: "eq", value: "男" }] });
    assert.equal(narrow.json().total, 0, "the grant says 女, the request cannot ask for 男");
    // Scope checks.
    for (const [body, status, field] of [
      [{ columns: ["出生日期"] }, 403, "columns.0"], [{ filters: [{ column: "出生日期", op: "lt", value: "1950-01-01" }] }, 403, "filters.0.column"],
      [{ sort: [{ column: "是否在职" }] }, 403, "sort.0.column"], [{ limit: 1_000_000 }, 400, "limit"],
      [{ filters: [{ column: "参保金额", op: "eq", value: "1; DROP TABLE sharing_grants" }] }, 400, "filters.0.value"],
    ] as [Record<string, unknown>, number, string][]) {
      const x = await q(body);
      assert.equal(x.statusCode, status, `${JSON.stringify(body)}: ${x.body}`);
      assert.equal(x.json().error.field, field);
    }
    const inj = await q({ filters: [{ column: "姓名", op: "eq", value: "' OR 1=1 --" }] });
    assert.equal(inj.json().total, 0, "SQL in a filter value is only a value");
    assert.equal((await q({ limit: 5 }, "civil")).statusCode, 404, "another department's grant id is not found");
    assert.equal((await q({ limit: 5 }, "hr")).statusCode, 404, "only the grantee department queries through a grant");
    const csv = await q({ limit: 40, columns: ["姓名", "性别"] }, "police", ids.grant, "?format=csv");
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(csv.headers["content-type"] as string, /text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    assert.equal(lines.length, 41);
    // The extract carries its grant's watermark (on the masked names), invisible once stripped.
    const names = lines.slice(1).map((l) => ({ 姓名: l.split(",")[0] }));
    assert.ok(names.every((r) => /^.\*+$/u.test(stripWatermark(r.姓名))));
    const traced = detectWatermark({ rows: names }, [{ recipient: ids.grant }, { recipient: ids.freeGrant }, { recipient: "grt_someone_else" }], await watermarkKey(t.platform.config.dataDir));
    assert.equal(traced.named[0]?.recipient, ids.grant, JSON.stringify(traced.verdict));
    // Parquet and XLSX extracts of a page: the same masked rows.
    const pq = await q({ limit: 5, columns: ["姓名", "参保金额"] }, "police", ids.grant, "?format=parquet");
    assert.equal(pq.statusCode, 200, pq.body);
    const pqFile = path.join(tmp, "page.parquet");
    fs.writeFileSync(pqFile, pq.rawPayload);
    const back = await t.platform.lake.run(async (c) => (await c.runAndReadAll(`SELECT * FROM read_parquet('${pqFile}')`)).getRowObjectsJson());
    assert.equal(back.length, 5);
    assert.match(stripWatermark(String(back[0]["姓名"])), /^.\*+$/u);
    assert.equal(typeof back[0]["参保金额"], "number");
    const xl = await q({ limit: 5 }, "police", ids.grant, "?format=xlsx");
    assert.equal(xl.statusCode, 200);
    assert.equal(xl.rawPayload.subarray(0, 2).toString(), "PK", "an xlsx (zip) file");
    // Every delivery is in the ledger with the grant and purpose; usage is counted for both sides.
    const deliveries = (await t.platform.services.ledger.entriesBySubject(ids.grant, 100)).filter((e) => e.kind === "sharing.delivery");
    assert.equal(deliveries.length, 6, "the six answered queries, not the refused ones");
    const last = JSON.parse(deliveries.find((d) => JSON.parse(d.leaf).data.rows === 40)!.leaf) as { data: Record<string, unknown>; digest?: string };
    assert.match(String(last.digest), /^sm3:|^[0-9a-f]{64}$/, "the result's digest is recorded");
    assert.equal(last.data.purpose, "办理社会保险待遇资格认证");
    assert.equal(last.data.rows, 40);
    assert.deepEqual(last.data.masked, ["姓名"]);
    assert.equal((last.data.watermark as { recipient: string }).recipient, ids.grant, "trace finds the grant in the ledger");
    const usage = await api("hr", "GET", `/api/sharing/grants/${ids.grant}/usage`);
    assert.equal(usage.statusCode, 200, usage.body);
    assert.equal(usage.json().requests, 6);
    assert.equal(usage.json().rows, Math.min(50, page.total) + 0 + 0 + 40 + 5 + 5);
    assert.equal((await api("police", "GET", `/api/sharing/grants/${ids.grant}/usage`)).json().requests, 6);
    assert.equal((await api("civil", "GET", `/api/sharing/grants/${ids.grant}/usage`)).statusCode, 404);
  });

  test("rate limits, expiry and revocation take effect on the next request", async () => {
    const q = (grant: string) => api("police", "POST", `/api/sharing/grants/${grant}/query`, { limit: 1 });
    assert.equal((await q(ids.freeGrant)).statusCode, 200);
    assert.equal((await q(ids.freeGrant)).statusCode, 200);
    const limited = await q(ids.freeGrant);
    assert.equal(limited.statusCode, 429, limited.body);
    assert.ok(Number(limited.headers["retry-after"]) > 0);
    // The period ends: the next request is refused.
    await sql`UPDATE sharing_grants SET valid_to = now() - interval '1 second' WHERE id = ${ids.freeGrant}`.execute(t.platform.database.db);
    const expired = await q(ids.freeGrant);
    assert.equal(expired.statusCode, 403);
    assert.match(expired.json().error.message, /过期/);
    assert.equal((await q(ids.grant)).statusCode, 200);
    assert.equal((await api("police", "POST", `/api/sharing/grants/${ids.grant}/revoke`, { reason: "x" })).statusCode, 403, "the grantee cannot revoke");
    const rv = await api("hr", "POST", `/api/sharing/grants/${ids.grant}/revoke`, { reason: "用途已完成" });
    assert.equal(rv.statusCode, 200, rv.body);
    assert.equal(rv.json().status, "revoked");
    const after = await q(ids.grant);
    assert.equal(after.statusCode, 403);
    assert.match(after.json().error.message, /撤销/);
    const kinds = (await t.platform.services.ledger.entriesBySubject(ids.grant, 100)).map((e) => e.kind);
    assert.equal(kinds[0], "sharing.grant.revoked");
  });
});
