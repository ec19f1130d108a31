import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { DuckDBInstance } from "@duckdb/node-api";
import { call, TEST_ENGINE } from "../../../test/helpers.ts";
import { ledgerLeaf, openFixture, registeredKey, type OpenFixture } from "../../../test/opening-fixtures.ts";

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe(`opening: registration, API keys, portal, downloads, conditional applications (${TEST_ENGINE})`, () => {
  let f: OpenFixture;
  before(async () => {
    f = await openFixture();
  });
  after(() => f?.t.close());

  test("the public registers as individuals (公众用户) or enterprises (checked 统一社会信用代码); bad input names the field", async () => {
    const t = f.t;
    const ind = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "individual", username: "zhangsan", displayName: "张三", password: "Public-password-2026", phone: "13800138000" } });
    assert.equal(ind.statusCode, 201, ind.body);
    assert.deepEqual(ind.json().user.roles, ["customer"]);
    assert.equal(ind.json().user.org.name, "公众用户");
    assert.equal(ind.json().user.accountType, "individual");
    const ind2 = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "individual", username: "lisi", displayName: "李四", password: "Public-password-2026" } });
    assert.equal(ind2.json().user.org.id, ind.json().user.org.id, "individuals share one organisation");
    const valid = "91350100M000100Y43";
    const ent2 = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "enterprise", username: "acme2", displayName: "王经理", password: "Public-password-2026", orgName: "福州数据服务有限公司", uscc: valid } });
    assert.equal(ent2.statusCode, 201, ent2.body);
    assert.equal(ent2.json().user.org.name, "福州数据服务有限公司");
    assert.equal(ent2.json().user.accountType, "enterprise");
    const dupOrg = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "enterprise", username: "acme3", displayName: "x", password: "Public-password-2026", orgName: "另一家公司", uscc: valid } });
    assert.equal(dupOrg.statusCode, 409);
    assert.equal(dupOrg.json().error.field, "uscc");
    const badCheck = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "enterprise", username: "acme4", displayName: "x", password: "Public-password-2026", orgName: "错码公司", uscc: "91350100M000100Y44" } });
    assert.equal(badCheck.statusCode, 400);
    assert.equal(badCheck.json().error.field, "uscc");
    const taken = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "individual", username: "zhangsan", displayName: "x", password: "Public-password-2026" } });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.field, "username");
    const weak = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "individual", username: "wangwu", displayName: "x", password: "short" } });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.field, "password");
    // A registered customer cannot reach staff functions.
    const cookie = (await registeredKey(t, "zhaoliu")).cookie;
    assert.equal((await call(t.app, { method: "POST", url: "/api/orgs", cookie, body: { name: "某局", kind: "department" } })).statusCode, 403);
  });

  test("API keys: rate limit (token bucket) and daily quota give 429 in zh/en; usage is counted per key per day; forged, revoked and expired keys give 401", async () => {
    const t = f.t;
    const { cookie, key, keyId } = await registeredKey(t, "keyuser");
    const mine = (await call(t.app, { url: "/api/tokens", cookie })).json().items[0];
    assert.equal(mine.ratePerSec, 10);
    assert.equal(mine.dailyQuota, 10_000);
    // Only admins change limits.
    assert.equal((await call(t.app, { method: "PUT", url: `/api/tokens/${keyId}/limits`, cookie, body: { ratePerSec: 1000, dailyQuota: null } })).statusCode, 403);
    const lim = await call(t.app, { method: "PUT", url: `/api/tokens/${keyId}/limits`, cookie: f.admin, body: { ratePerSec: 2, dailyQuota: null } });
    assert.equal(lim.statusCode, 200, lim.body);
    const url = `/api/open/datasets/${f.entries.free}/rows?limit=1`;
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await call(t.app, { url, headers: bearer(key) })).statusCode);
    assert.deepEqual(codes.slice(0, 2), [200, 200]);
    assert.ok(codes.includes(429), `rate limit reached: ${codes}`);
    const limited = await call(t.app, { url, headers: bearer(key) });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, "rate_limited");
    assert.match(limited.json().error.message, /请求过于频繁/);
    assert.match(limited.json().error.messageEn, /Too many requests/);
    // Daily quota.
    await call(t.app, { method: "PUT", url: `/api/tokens/${keyId}/limits`, cookie: f.admin, body: { ratePerSec: null, dailyQuota: 4 } });
    const used = (await call(t.app, { url: `/api/tokens/${keyId}/usage`, cookie })).json().usage.usedToday;
    const results: number[] = [];
    for (let i = used; i < 6; i++) results.push((await call(t.app, { url, headers: bearer(key) })).statusCode);
    const q = await call(t.app, { url, headers: bearer(key) });
    assert.equal(q.statusCode, 429);
    assert.match(q.json().error.message, /今日调用次数已用完/);
    assert.match(q.json().error.messageEn, /daily quota of 4 calls/);
    assert.equal(q.json().error.details.limit, "quota");
    const usage = (await call(t.app, { url: `/api/tokens/${keyId}/usage`, cookie })).json().usage;
    assert.equal(usage.usedToday, 4, "refused calls are not counted");
    assert.equal(usage.days.length, 1);
    // Forged, revoked, expired.
    const forged = await call(t.app, { url, headers: bearer(`${key.slice(0, -2)}xx`) });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().error.field, "authorization");
    const other = await call(t.app, { method: "POST", url: "/api/tokens", cookie, body: { name: "to-revoke" } });
    const k2 = other.json().token;
    assert.equal((await call(t.app, { url, headers: bearer(k2.secret) })).statusCode, 200);
    await call(t.app, { method: "DELETE", url: `/api/tokens/${k2.id}`, cookie });
    const revoked = await call(t.app, { url, headers: bearer(k2.secret) });
    assert.equal(revoked.statusCode, 401);
    assert.match(revoked.json().error.message, /无效、已撤销或已过期/);
    const k3 = (await call(t.app, { method: "POST", url: "/api/tokens", cookie, body: { name: "expiring", expiresInDays: 1 } })).json().token;
    await t.platform.database.db.updateTable("api_tokens").set({ expires_at: new Date(Date.now() - 1000) }).where("id", "=", k3.id).execute();
    assert.equal((await call(t.app, { url, headers: bearer(k3.secret) })).statusCode, 401);
  });

  test("anonymous portal reads are rate limited per IP", async () => {
    const t = f.t;
    t.platform.services.opening.configure({ anonymousRatePerSec: 1 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await call(t.app, { url: "/api/open/home" })).statusCode);
      assert.deepEqual(codes.slice(0, 2), [200, 200]);
      assert.equal(codes[3], 429);
      const r = await call(t.app, { url: "/api/open/datasets" });
      assert.equal(r.json().error.code, "rate_limited");
      assert.match(r.json().error.message, /访问过于频繁/);
    } finally {
      t.platform.services.opening.configure({ anonymousRatePerSec: 10_000 });
    }
  });

  test("open catalog search: 无条件 and 有条件开放 with facets; 不予开放 never appears; bad paging is refused", async () => {
    const t = f.t;
    const r = await call(t.app, { url: "/api/open/datasets" });
    assert.equal(r.statusCode, 200, r.body);
    const ids = r.json().items.map((i: any) => i.id);
    assert.ok(ids.includes(f.entries.free) && ids.includes(f.entries.cond));
    assert.ok(!ids.includes(f.entries.closed));
    assert.equal(r.json().total, 2);
    assert.deepEqual(r.json().facets.openType.map((b: any) => b.value).sort(), ["无条件开放", "有条件开放"]);
    assert.equal(r.json().facets.theme[0].value, "社会保障");
    assert.equal(r.json().facets.provider[0].label, "开放市人社局");
    const only = await call(t.app, { url: `/api/open/datasets?openType=${encodeURIComponent("有条件开放")}` });
    assert.deepEqual(only.json().items.map((i: any) => i.id), [f.entries.cond]);
    const text = await call(t.app, { url: `/api/open/datasets?q=${encodeURIComponent("身份信息")}` });
    assert.equal(text.json().total, 0, "the 不予开放 entry does not match either");
    const closedType = await call(t.app, { url: `/api/open/datasets?openType=${encodeURIComponent("不予开放")}` });
    assert.equal(closedType.statusCode, 400);
    assert.equal(closedType.json().error.field, "openType");
    const huge = await call(t.app, { url: "/api/open/datasets?pageSize=100000" });
    assert.equal(huge.statusCode, 400);
    assert.equal(huge.json().error.field, "pageSize");
    const paged = await call(t.app, { url: "/api/open/datasets?pageSize=1&page=2&sort=name_asc" });
    assert.equal(paged.json().items.length, 1);
    assert.equal(paged.json().total, 2);
  });

  test("dataset page: metadata, items, data state, update history; by id or CKAN name; 不予开放 is not found", async () => {
    const t = f.t;
    const r = await call(t.app, { url: `/api/open/datasets/${f.entries.free}` });
    assert.equal(r.statusCode, 200, r.body);
    const d = r.json();
    assert.equal(d.dataset.title, "参保人员名录");
    assert.equal(d.dataset.provider.name, "开放市人社局");
    assert.equal(d.dataset.items.length, 8);
    assert.equal(d.dataset.rows, 30);
    assert.deepEqual(d.dataset.downloadFormats, ["csv", "xlsx", "json", "parquet"]);
    assert.equal(d.history.length, 1);
    assert.equal(d.history[0].current, true);
    assert.equal(d.access.canDownload, true);
    const byName = await call(t.app, { url: `/api/open/datasets/${d.dataset.name}` });
    assert.equal(byName.json().dataset.id, f.entries.free);
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.entries.closed}` })).statusCode, 404);
    const cond = (await call(t.app, { url: `/api/open/datasets/${f.entries.cond}` })).json();
    assert.equal(cond.access.canDownload, false);
    assert.equal(cond.dataset.openConditions, "用于科研与公益，签署安全承诺");
  });

  test("样例数据 of 有条件开放 is public and masked; the full data needs an approved application; every read is in the ledger", async () => {
    const t = f.t;
    const s = await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/sample` });
    assert.equal(s.statusCode, 200, s.body);
    assert.equal(s.json().rows.length, 20);
    const idCol = s.json().columns.find((c: any) => c.name === "公民身份号码");
    assert.equal(idCol.masked, true);
    assert.ok(s.json().rows.every((r: any) => /\*/.test(r["公民身份号码"]) && /\*/.test(r["姓名"])), "identifiers and names are masked");
    const leaf = await ledgerLeaf(t, s.json().ledgerIndex);
    assert.equal(leaf.kind, "open.data.sample");
    assert.equal(leaf.data.anonymous, true);
    assert.deepEqual(leaf.data.masked.sort(), ["公民身份号码", "出生日期", "姓名"].sort(), "identifiers, names and birth dates (generalised) are masked");
    // Full data: anonymous 401, signed-in without grant 403, 不予开放 404 even for its sample.
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/rows` })).statusCode, 401);
    const u = await registeredKey(t, "applicant");
    const noGrant = await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/rows`, headers: bearer(u.key) });
    assert.equal(noGrant.statusCode, 403);
    assert.match(noGrant.json().error.message, /有条件开放/);
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.entries.closed}/sample` })).statusCode, 404);
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.datasets.closed}/rows` })).statusCode, 404);

    // Apply; bad input names the field.
    const bad = await call(t.app, { method: "POST", url: `/api/open/datasets/${f.entries.cond}/applications`, cookie: u.cookie, body: { purpose: "短", commitment: true } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, "purpose");
    const noCommit = await call(t.app, { method: "POST", url: `/api/open/datasets/${f.entries.cond}/applications`, cookie: u.cookie, body: { purpose: "研究本市社会保障覆盖率的时空变化", commitment: false } });
    assert.equal(noCommit.json().error.field, "commitment");
    const free = await call(t.app, { method: "POST", url: `/api/open/datasets/${f.entries.free}/applications`, cookie: u.cookie, body: { purpose: "研究本市社会保障覆盖率的时空变化", commitment: true } });
    assert.equal(free.statusCode, 409);
    const ap = await call(t.app, { method: "POST", url: `/api/open/datasets/${f.entries.cond}/applications`, cookie: u.cookie, body: { purpose: "研究本市社会保障覆盖率的时空变化", scenario: "高校科研", commitment: true, periodDays: 30 } });
    assert.equal(ap.statusCode, 201, ap.body);
    const appId = ap.json().application.id;
    assert.equal(ap.json().application.status, "submitted");
    // Another department cannot see or decide it; the provider refuses only with a reason.
    assert.equal((await call(t.app, { method: "POST", url: `/api/open/applications/${appId}/decision`, cookie: f.otherOfficer, body: { decision: "approve" } })).statusCode, 404);
    assert.equal((await call(t.app, { method: "POST", url: `/api/open/applications/${appId}/decision`, cookie: u.cookie, body: { decision: "approve" } })).statusCode, 403);
    const noReason = await call(t.app, { method: "POST", url: `/api/open/applications/${appId}/decision`, cookie: f.officer, body: { decision: "refuse" } });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.field, "reason");
    const queue = (await call(t.app, { url: "/api/open/applications?view=review&status=submitted", cookie: f.officer })).json().items;
    assert.deepEqual(queue.map((a: any) => a.id), [appId]);
    const ok = await call(t.app, { method: "POST", url: `/api/open/applications/${appId}/decision`, cookie: f.officer, body: { decision: "approve" } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().application.status, "approved");
    assert.ok(ok.json().application.expiresAt);
    const again = await call(t.app, { method: "POST", url: `/api/open/applications/${appId}/decision`, cookie: f.officer, body: { decision: "refuse", reason: "x" } });
    assert.equal(again.statusCode, 409);

    // Now the key reads the full data: masked, watermarked for the application, in the ledger with the purpose.
    const rows = await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/rows?limit=30`, headers: bearer(u.key) });
    assert.equal(rows.statusCode, 200, rows.body);
    assert.equal(rows.json().total, 30);
    assert.ok(rows.json().rows.every((r: any) => /\*/.test(r["公民身份号码"])));
    const l = await ledgerLeaf(t, rows.json().ledgerIndex);
    assert.equal(l.kind, "open.data.query");
    assert.equal(l.actor, u.userId);
    assert.equal(l.data.applicationId, appId);
    assert.equal(l.data.purpose, "研究本市社会保障覆盖率的时空变化");
    assert.equal(l.data.keyId, u.keyId);
    assert.deepEqual(l.data.watermark, { recipient: `application:${appId}`, label: l.data.watermark.label });
    assert.match(l.digest!, /^(sm3|sha256):[0-9a-f]{64}$/);
    // Another registered user still cannot.
    const v = await registeredKey(t, "bystander");
    assert.equal((await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/rows`, headers: bearer(v.key) })).statusCode, 403);
  });

  test("query API: filters are bound values (SQL in a value is just a value), unknown columns and huge pages are refused naming the field", async () => {
    const t = f.t;
    const base = `/api/open/datasets/${f.entries.free}/rows`;
    const all = await call(t.app, { url: `${base}?limit=100` });
    assert.equal(all.statusCode, 200, all.body);
    assert.equal(all.json().total, 30);
    const men = await call(t.app, { url: `${base}?filters=${encodeURIComponent(JSON.stringify({ 性别: "男" }))}&columns=${encodeURIComponent("性别,参保金额")}&sort=${encodeURIComponent("参保金额 desc")}` });
    assert.equal(men.statusCode, 200, men.body);
    assert.ok(men.json().rows.length > 0 && men.json().rows.every((r: any) => r["性别"] === "男" && Object.keys(r).length === 2));
    const amounts = men.json().rows.map((r: any) => r["参保金额"]).filter((x: any) => x != null);
    assert.deepEqual(amounts, [...amounts].sort((a: number, b: number) => b - a));
    const inj = await call(t.app, { url: `${base}?filters=${encodeURIComponent(JSON.stringify([{ column: "姓名", op: "eq", value: "x' OR '1'='1" }]))}` });
    assert.equal(inj.statusCode, 200, inj.body);
    assert.equal(inj.json().total, 0);
    const inj2 = await call(t.app, { url: `${base}?filters=${encodeURIComponent(JSON.stringify([{ column: "性别\" OR 1=1 --", op: "eq", value: "男" }]))}` });
    assert.equal(inj2.statusCode, 400);
    assert.equal(inj2.json().error.field, "filters.0.column");
    const huge = await call(t.app, { url: `${base}?limit=100000` });
    assert.equal(huge.statusCode, 400);
    assert.equal(huge.json().error.field, "limit");
    const badJson = await call(t.app, { url: `${base}?filters=${encodeURIComponent("{not json")}` });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.json().error.field, "filters");
    const badOp = await call(t.app, { url: `${base}?filters=${encodeURIComponent(JSON.stringify([{ column: "性别", op: "drop", value: "男" }]))}` });
    assert.equal(badOp.statusCode, 400);
    assert.match(badOp.json().error.field, /^filters/);
  });

  test("downloads in CSV (UTF-8 BOM), XLSX, JSON and Parquet: masked, digested into the ledger, counted on the home page", async () => {
    const t = f.t;
    const before = (await call(t.app, { url: "/api/open/home" })).json().figures;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "open-dl-"));
    try {
      const get = async (format: string) => {
        const r = await call(t.app, { url: `/api/open/datasets/${f.entries.free}/download?format=${format}` });
        assert.equal(r.statusCode, 200, `${format}: ${r.statusCode} ${r.body.slice(0, 300)}`);
        const leaf = await ledgerLeaf(t, Number(r.headers["x-gongshu-ledger-index"]));
        assert.equal(leaf.kind, "open.data.download");
        assert.equal(leaf.data.format, format);
        assert.equal(leaf.data.rows, 30);
        const body = r.rawPayload;
        const [alg, hex] = leaf.digest!.split(":");
        assert.equal(crypto.createHash(alg).update(body).digest("hex"), hex, "the ledger digest is the file's");
        assert.equal(r.headers["x-gongshu-digest"], leaf.digest);
        return { r, body };
      };
      const csv = await get("csv");
      assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = csv.body.toString("utf8").slice(1).trim().split(/\r?\n/);
      assert.equal(lines.length, 31);
      assert.match(lines[0], /^公民身份号码,姓名,性别/);
      assert.match(lines[1].split(",")[0], /\*/);
      assert.match(String(csv.r.headers["content-disposition"]), /filename\*=UTF-8''/);

      const xlsx = await get("xlsx");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      assert.equal(ws.rowCount, 31);
      assert.equal(ws.getRow(1).getCell(1).value, "公民身份号码");
      assert.match(String(ws.getRow(2).getCell(1).value), /\*/);

      const json = await get("json");
      const arr = JSON.parse(json.body.toString("utf8"));
      assert.equal(arr.length, 30);
      assert.match(arr[0]["姓名"], /\*/);

      const pq = await get("parquet");
      const file = path.join(dir, "x.parquet");
      fs.writeFileSync(file, pq.body);
      const inst = await DuckDBInstance.create(":memory:");
      const c = await inst.connect();
      const rows = (await c.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJson();
      c.closeSync();
      inst.closeSync();
      assert.equal(rows.length, 30);
      assert.match(String(rows[0]["公民身份号码"]), /\*/);

      const cond = await call(t.app, { url: `/api/open/datasets/${f.entries.cond}/download?format=csv` });
      assert.equal(cond.statusCode, 401, "有条件开放 is not downloadable without a grant");
      const badFmt = await call(t.app, { url: `/api/open/datasets/${f.entries.free}/download?format=exe` });
      assert.equal(badFmt.statusCode, 400);
      assert.equal(badFmt.json().error.field, "format");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const home = (await call(t.app, { url: "/api/open/home" })).json();
    assert.equal(home.figures.downloads, before.downloads + 4);
    assert.equal(home.figures.openDatasets, 2);
    assert.equal(home.figures.rows, 60);
    assert.ok(home.figures.apiCalls > 0);
    assert.equal(home.popular[0].id, f.entries.free);
  });

  test("a keyed download of 无条件开放 data carries the key's watermark in its ledger entry", async () => {
    const t = f.t;
    const u = await registeredKey(t, "dlkey");
    const r = await call(t.app, { url: `/api/open/datasets/${f.entries.free}/download?format=json`, headers: bearer(u.key) });
    assert.equal(r.statusCode, 200);
    const leaf = await ledgerLeaf(t, Number(r.headers["x-gongshu-ledger-index"]));
    assert.equal(leaf.data.watermark.recipient, `key:${u.keyId}`);
    assert.equal(leaf.data.keyId, u.keyId);
  });
});
