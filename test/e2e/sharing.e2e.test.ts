/**
 * Browser test of 共享 (sharing between departments), against the real server on a fresh platform and
 * the built web app. Set up through the HTTP API: a city with its data administration (admin), 人社局
 * with a data officer, 公安局 with a department user, and a published 有条件共享 entry of person data
 * (PERSON_ITEMS, loaded from a generated CSV). Then in the browser: the 公安局 user opens the entry and
 * applies for four items (待审核); the 人社局 officer finds it under 待我审核 and approves it; the 公安局
 * user opens the grant, runs a query and sees 公民身份号码 and 姓名 masked, with 已脱敏 tags, downloads
 * the page as CSV; the grant page once more in English. Screenshots of every step go to
 * test-results/screenshots/ (40-…).
 *
 * Run: node --import tsx --test test/e2e/sharing.e2e.test.ts
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startFreshServer, type FreshServer, apiSession, type ApiClient } from "./server.ts";
import { launchBrowser, login as loginAs, logout as logoutOf, openPage, shot as shotOf } from "./browser.ts";
import { PERSON_ITEMS, writePersonCsv } from "../../src/modules/ingest/fixtures.ts";
import { detectWatermark, stripWatermark, watermarkKey } from "../../src/modules/protection/index.ts";
import { sampleContent } from "../helpers.ts";

const PASSWORD = "Sharing-e2e-2026";
const ENTRY_NAME = "参保人员信息";
const ITEMS = ["公民身份号码", "姓名", "性别", "参保金额"];
const USERS = { admin: "city_admin", officer: "hr_officer", police: "police_user" };

let server: FreshServer;
let base = "";
let browser: Browser;
let context: BrowserContext;
let page: Page;
let entryId = "";
let applicationId = "";
let grantId = "";
let tmp = "";

type Api = ApiClient;

/** A client with a session cookie, for the setup. */
const session = (username: string): Promise<Api> => apiSession(base, username, PASSWORD);

before(async () => {
  server = await startFreshServer();
  base = server.url;
  // The first administrator is seeded through the identity service (there is nobody yet to call the API as).
  const identity = server.platform.services.identity;
  const city = await identity.createOrg({ name: "江城市数据局", kind: "city" });
  await identity.createUser({ username: USERS.admin, displayName: "王数据", orgId: city.id, roles: ["platform_admin"], password: PASSWORD });
  // Everything else through the HTTP API, as the administrator and the departments would.
  const admin = await session(USERS.admin);
  const { org: hr } = await admin<{ org: { id: string } }>("POST", "/api/orgs", { name: "江城市人力资源和社会保障局", shortName: "人社局", kind: "department", parentId: city.id });
  const { org: police } = await admin<{ org: { id: string } }>("POST", "/api/orgs", { name: "江城市公安局", shortName: "公安局", kind: "department", parentId: city.id });
  await admin("POST", "/api/users", { username: USERS.officer, displayName: "李社保", orgId: hr.id, roles: ["data_officer"], password: PASSWORD });
  await admin("POST", "/api/users", { username: USERS.police, displayName: "赵警官", orgId: police.id, roles: ["dept_user"], password: PASSWORD });
  const officer = await session(USERS.officer);
  const content = sampleContent({
    name: ENTRY_NAME,
    summary: "本市参加社会保险人员的身份、性别、参保金额等信息，用于社会保险待遇资格认证与依法履职核查。",
    items: PERSON_ITEMS.map((i) => ({ ...i })),
    keywords: ["社保", "参保"],
    shareType: "有条件共享",
    shareConditions: "仅限依法履职需要，经人社局审核同意",
    sourceSystem: { name: "社会保险信息系统" },
    generalLevel: 3,
    contact: { name: "李社保", phone: "0571-88880002" },
  });
  const { entry } = await officer<{ entry: { id: string } }>("POST", "/api/catalog/entries", { content });
  entryId = entry.id;
  await officer("POST", `/api/catalog/entries/${entryId}/submit`, {});
  await admin("POST", `/api/catalog/entries/${entryId}/review`, { decision: "approve" });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-sharing-"));
  const csv = path.join(tmp, "参保人员.csv");
  await writePersonCsv(csv, { rows: 120, seed: 7 });
  const load = await officer<{ job: { status: string } }>("POST", `/api/datasets/upload?entry=${entryId}&wait=true`, fs.readFileSync(csv), {
    "content-type": "application/octet-stream",
    "x-filename": encodeURIComponent("参保人员.csv"),
  });
  assert.equal(load.job.status, "succeeded");
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, 20_000));
}, { timeout: 120_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const shot = (name: string, fullPage = true) => shotOf(page, name, fullPage);
const login = (username: string, next?: string) => loginAs(page, base, username, PASSWORD, next);
const logout = () => logoutOf(page);

/** Pick an option in the open antd Select dropdown. */
async function pickOption(text: string): Promise<void> {
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().click();
}

/** Header texts and cell texts of an antd table's body rows. */
async function tableOf(testId: string): Promise<{ head: string[]; rows: string[][] }> {
  const t = page.getByTestId(testId);
  const head = await t.locator("thead th").evaluateAll((ths) => ths.map((th) => (th.textContent ?? "").trim()));
  const rows = await t.locator("tbody tr.ant-table-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
  return { head, rows };
}

test("a department applies for a conditional share, the provider approves, the query returns masked fields", { timeout: 120_000 }, async (t) => {
  await t.test("the 公安局 user opens the published entry: 申请共享", async () => {
    await login(USERS.police, `/catalog/${entryId}`);
    await page.getByTestId("entry-name").filter({ hasText: ENTRY_NAME }).waitFor();
    await page.getByTestId("apply-share").waitFor();
    await shot("40-sharing-entry");
  });

  await t.test("the application form checks its fields, then takes four items, purpose, basis, matter and a row filter", async () => {
    await page.getByTestId("apply-share").click();
    await page.waitForURL(/\/sharing\/apply\?entry=/);
    await page.getByTestId("apply-form").waitFor();
    await page.getByText("有条件共享：提交后由提供部门审核").waitFor();
    // Nothing filled: the form names what is missing.
    await page.getByTestId("apply-submit").click();
    await page.getByText("请至少选择一个数据项").waitFor();
    await page.getByText("请填写用途").waitFor();
    await page.getByText("请填写依据").waitFor();
    await shot("41a-sharing-apply-validation");
    for (const item of ITEMS) await page.getByRole("checkbox", { name: new RegExp(`^${item}`) }).check();
    await page.getByLabel("用途").fill("核查涉案人员参保情况，办理社会保险欺诈案件");
    await page.getByLabel("依据").fill("《中华人民共和国社会保险法》第七十九条；《刑事诉讼法》第五十四条");
    await page.getByLabel("服务事项").fill("高效办成一件事 · 社保待遇资格认证");
    await page.getByLabel("预计数据量").fill("5000");
    await page.getByTestId("apply-row-filter-add").click();
    await page.getByTestId("apply-row-filter").getByLabel("数据项").click();
    await pickOption("性别");
    await page.getByTestId("apply-row-filter").getByLabel("值（“属于”用逗号分隔）").fill("女");
    await page.getByText("请至少选择一个数据项").waitFor({ state: "detached" });
    await shot("41-sharing-apply-form");
  });

  await t.test("submitted: the application page shows 待审核 with the answer deadline", async () => {
    await page.getByTestId("apply-submit").click();
    await page.waitForURL(/\/sharing\/applications\/sap_/);
    applicationId = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByTestId("application-status").filter({ hasText: "待审核" }).first().waitFor();
    const details = await page.getByTestId("application-details").innerText();
    for (const item of ITEMS) assert.match(details, new RegExp(item));
    assert.match(details, /性别 = 女/);
    assert.match(details, /高效办成一件事/);
    assert.match(await page.getByTestId("application-steps").innerText(), /前答复/);
    assert.equal(await page.getByTestId("decision").count(), 0, "the applicant does not decide");
    await shot("42-sharing-application-pending");
  });

  await t.test("the 人社局 officer finds it under 待我审核", async () => {
    await logout();
    await login(USERS.officer);
    await page.getByRole("menuitem", { name: "数据共享" }).click();
    await page.waitForURL(/\/sharing/);
    await page.getByRole("tab", { name: /待我审核/ }).click();
    await page.waitForURL(/\/sharing\/review/);
    const row = page.getByTestId("review-applications").locator("tr.ant-table-row", { hasText: ENTRY_NAME });
    await row.waitFor();
    assert.match(await row.innerText(), /江城市公安局/);
    assert.match(await row.innerText(), /待审核/);
    await shot("43-sharing-review-queue");
    await row.getByRole("link", { name: "审核" }).click();
    await page.waitForURL(new RegExp(`/sharing/applications/${applicationId}`));
  });

  await t.test("the officer approves with conditions: 已授权, and a grant", async () => {
    const decision = page.getByTestId("decision");
    await decision.waitFor();
    // A refusal needs a reason: the form says so before anything is sent.
    await page.getByTestId("decision-refuse").click();
    await page.getByTestId("decision-submit").click();
    await decision.getByText("不予批准须说明理由").waitFor();
    await page.getByTestId("decision-approve").click();
    await decision.getByLabel("使用条件").fill("仅用于案件核查，不得向第三方提供");
    await shot("44-sharing-decision");
    await page.getByTestId("decision-submit").click();
    await page.getByTestId("application-status").filter({ hasText: "已授权" }).first().waitFor();
    await page.getByTestId("granted").waitFor();
    await page.getByTestId("open-grant").waitFor();
    assert.equal(await page.getByTestId("decision").count(), 0, "answered once");
    await shot("45-sharing-approved");
  });

  await t.test("the 公安局 user sees the grant under 授权 and opens it", async () => {
    await logout();
    await login(USERS.police, "/sharing/grants");
    const row = page.getByTestId("grants").locator("tr.ant-table-row", { hasText: ENTRY_NAME });
    await row.waitFor();
    assert.match(await row.innerText(), /生效中/);
    await shot("46-sharing-grants");
    await row.getByRole("link", { name: ENTRY_NAME }).click();
    await page.waitForURL(/\/sharing\/grants\/grt_/);
    grantId = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByTestId("grant-title").filter({ hasText: ENTRY_NAME }).waitFor();
    const scope = await page.getByTestId("grant-scope").innerText();
    for (const item of ITEMS) assert.match(scope, new RegExp(item));
    assert.match(scope, /仅用于案件核查/);
  });

  await t.test("a filter value the server refuses is shown on its field", async () => {
    const filters = page.getByTestId("query-filters");
    await page.getByTestId("query-filters-add").click();
    await filters.getByLabel("数据项").click();
    await pickOption("参保金额");
    await filters.getByLabel("值（“属于”用逗号分隔）").fill("很多");
    await page.getByTestId("run-query").click();
    await filters.getByText("「参保金额」是数值，过滤值「很多」不是数字").waitFor();
    assert.equal(await page.getByTestId("query-rows").count(), 0, "no rows");
    await shot("47a-sharing-query-error", false);
    await filters.getByRole("button", { name: "删除条件" }).click();
  });

  await t.test("a query returns 公民身份号码 and 姓名 masked, with 已脱敏 tags, only rows in scope", async () => {
    await page.getByTestId("run-query").click();
    await page.getByTestId("query-rows").locator("tr.ant-table-row").first().waitFor();
    const { head, rows } = await tableOf("query-rows");
    assert.deepEqual(head.slice(1), ["公民身份号码已脱敏", "姓名已脱敏", "性别", "参保金额"]);
    assert.equal(await page.getByTestId("query-rows").locator("thead").getByTestId("masked-tag").count(), 2);
    assert.ok(rows.length > 0 && rows.length <= 20);
    for (const r of rows) {
      // Masked (330102********0001, 李*); the names also carry the grant's invisible watermark.
      assert.match(stripWatermark(r[1]), /^\d{6}\*{8}\d{3}[\dX]$/, `masked id: ${r[1]}`);
      assert.match(stripWatermark(r[2]), /^\p{Script=Han}\*+$/u, `masked name: ${r[2]}`);
      assert.equal(r[3], "女", "the grant's row filter holds");
    }
    assert.match(await page.getByTestId("query-total").innerText(), /共 \d+ 行/);
    await page.getByText(/已记入账本 #\d+/).waitFor();
    await page.getByTestId("usage-requests").getByText("1", { exact: true }).waitFor();
    await shot("47-sharing-grant-query");
  });

  await t.test("50 rows a page; the page downloads as CSV, masked the same way and watermarked for the grant", async () => {
    await page.getByTestId("query-panel").locator(".ant-pagination-options .ant-select").click();
    await pickOption("50");
    await page.getByTestId("query-rows").locator("tbody tr.ant-table-row").nth(20).waitFor();
    const shown = (await tableOf("query-rows")).rows.length;
    assert.ok(shown > 20 && shown <= 50, `${shown} rows on the page`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-csv").click()]);
    const file = path.join(tmp, "page.csv");
    await download.saveAs(file);
    const lines = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    assert.equal(lines[0], ITEMS.join(","));
    assert.equal(lines.length, shown + 1, "the page as shown");
    for (const line of lines.slice(1)) assert.match(stripWatermark(line), /^\d{6}\*{8}\d{3}[\dX],\p{Script=Han}\*+,女,/u);
    // gongshu trace would name this grant as the recipient of the file.
    const names = lines.slice(1).map((l) => ({ 姓名: l.split(",")[1] }));
    const traced = detectWatermark({ rows: names }, [{ recipient: grantId }, { recipient: "grt_someone_else" }], await watermarkKey(server.dataDir));
    assert.equal(traced.named[0]?.recipient, grantId, JSON.stringify(traced.verdict));
    await page.getByTestId("usage-requests").getByText("3", { exact: true }).waitFor();
    const usage = await tableOf("usage-days");
    assert.equal(usage.rows.length, 1);
    assert.equal(usage.rows[0][1], "3");
  });

  await t.test("the grant page in English", async () => {
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("run-query").filter({ hasText: "Run query" }).waitFor();
    // The page of results stays; its headers follow the language.
    await page.getByTestId("query-rows").locator("thead").getByTestId("masked-tag").filter({ hasText: "Masked" }).first().waitFor();
    await page.getByText("Active").first().waitFor();
    await shot("48-sharing-grant-english");
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("run-query").filter({ hasText: "查询" }).waitFor();
  });

  await t.test("需求清单 takes a new demand; 责任清单 shows the provider's active grant", async () => {
    await page.goto(`${base}/sharing/demands`);
    await page.getByTestId("new-demand").click();
    const dialog = page.getByRole("dialog", { name: "提出需求" });
    await dialog.waitFor();
    await dialog.getByLabel("需求名称").fill("机动车驾驶人信息");
    await dialog.getByLabel("需求说明").fill("核验交通事故当事人的驾驶资格");
    await dialog.getByLabel("履职依据").fill("《道路交通安全法》规定的事故处理职责");
    await dialog.getByRole("button", { name: "提交需求" }).click();
    const row = page.getByTestId("demands").locator("tr.ant-table-row", { hasText: "机动车驾驶人信息" });
    await row.waitFor();
    assert.match(await row.innerText(), /待匹配/);
    assert.match(await row.innerText(), /江城市公安局/);
    await shot("49-sharing-demands");
    await page.getByRole("tab", { name: "责任清单" }).click();
    const provider = page.getByTestId("responsibility").locator("tr.ant-table-row", { hasText: "江城市人力资源和社会保障局" });
    await provider.waitFor();
    assert.deepEqual((await provider.locator("td").allInnerTexts()).slice(1).map((x) => x.trim()), ["0", "0", "0", "1"]);
    await shot("49b-sharing-responsibility");
  });
});
