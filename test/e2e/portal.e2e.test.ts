/**
 * Browser test of the public open data portal (开放), against the real server on a fresh platform and
 * the built web app. Set up through the HTTP API: a city data administration (admin), 人社局 with a
 * data officer, and three published entries: 参保人员名录 (无条件开放, person data loaded from a
 * generated CSV), 参保缴费明细 (有条件开放, with data) and 公共自行车站点 (无条件开放, no data yet).
 * Then in the browser, anonymously: the portal home with its figures, a search with a facet, the
 * dataset page with its masked preview (已脱敏) and API examples, a CSV download checked through
 * Playwright's download API, the 有条件开放 page asking to sign in; then registration as an
 * individual, an API key on /open/keys (the secret read from the page), calls with it to CKAN's
 * datastore_search and the query API (masked records), an application for the 有条件开放 data which
 * the provider approves, the key page's usage, and the portal home in English. The API documentation
 * page on the way. Screenshots 60–69 go to test-results/screenshots/.
 *
 * Run: node --import tsx --test test/e2e/portal.e2e.test.ts
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startFreshServer, type FreshServer, apiSession, type ApiClient } from "./server.ts";
import { launchBrowser, openPage, settle, shot as shotOf } from "./browser.ts";
import { PERSON_HEADER, PERSON_ITEMS, writePersonCsv } from "../../src/modules/ingest/fixtures.ts";
import { stripWatermark } from "../../src/modules/protection/index.ts";
import { sampleContent } from "../helpers.ts";

const PASSWORD = "Portal-e2e-2026";
const ROWS = 120;
const FREE = "参保人员名录";
const COND = "参保缴费明细";
const EMPTY = "公共自行车站点";
const VISITOR = { username: "zhang_wei", displayName: "张伟", password: "Visitor-pass-2026" };
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;
const MASKED_NAME = /^\p{Script=Han}\*+$/u;

let server: FreshServer;
let base = "";
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tmp = "";
const ids = { free: "", cond: "", empty: "" };
let officer: Api;
let apiKey = "";
let resourceId = "";

type Api = ApiClient;

/** A client with a session cookie, for the setup. */
const session = (username: string): Promise<Api> => apiSession(base, username, PASSWORD);

before(async () => {
  server = await startFreshServer();
  base = server.url;
  const identity = server.platform.services.identity;
  const city = await identity.createOrg({ name: "江城市数据局", kind: "city" });
  await identity.createUser({ username: "city_admin", displayName: "王数据", orgId: city.id, roles: ["platform_admin"], password: PASSWORD });
  const admin = await session("city_admin");
  const { org: hr } = await admin<{ org: { id: string } }>("POST", "/api/orgs", { name: "江城市人力资源和社会保障局", shortName: "人社局", kind: "department", parentId: city.id });
  await admin("POST", "/api/users", { username: "hr_officer", displayName: "李社保", orgId: hr.id, roles: ["data_officer"], password: PASSWORD });
  officer = await session("hr_officer");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-portal-"));

  const publish = async (over: Record<string, unknown>, seed: number | null) => {
    const content = sampleContent({
      items: PERSON_ITEMS.map((i) => ({ ...i })),
      theme: "社会保障",
      keywords: ["社保", "参保"],
      formatCategory: "电子表格",
      formats: ["CSV", "XLSX"],
      shareType: "无条件共享",
      shareConditions: undefined,
      notOpenBasis: undefined,
      sourceSystem: { name: "社会保险信息系统" },
      generalLevel: 3,
      contact: { name: "李社保", phone: "0571-88880002", email: "open@hrss.example.gov.cn" },
      ...over,
    });
    const { entry } = await officer<{ entry: { id: string } }>("POST", "/api/catalog/entries", { content });
    await officer("POST", `/api/catalog/entries/${entry.id}/submit`, {});
    await admin("POST", `/api/catalog/entries/${entry.id}/review`, { decision: "approve" });
    if (seed !== null) {
      const csv = path.join(tmp, `${seed}.csv`);
      await writePersonCsv(csv, { rows: ROWS, seed });
      const load = await officer<{ job: { status: string } }>("POST", `/api/datasets/upload?entry=${entry.id}&wait=true`, fs.readFileSync(csv), {
        "content-type": "application/octet-stream",
        "x-filename": encodeURIComponent(`${seed}.csv`),
      });
      assert.equal(load.job.status, "succeeded");
    }
    return entry.id;
  };
  ids.free = await publish({ name: FREE, summary: "本市参加社会保险人员名录：性别、出生年份、参保金额、家庭人数等，身份证号与姓名脱敏后开放。", openType: "无条件开放" }, 11);
  ids.cond = await publish({ name: COND, summary: "参保人员的缴费明细，用于科研与公益研究。", openType: "有条件开放", openConditions: "用于科研与公益，签署安全承诺" }, 12);
  ids.empty = await publish(
    { name: EMPTY, summary: "公共自行车站点位置与车桩数量。", theme: "公共服务", keywords: ["自行车", "交通"], formats: ["JSON"], openType: "无条件开放", items: [{ name: "站点名称", type: "字符型", length: 50, sensitive: false, required: true }] },
    null,
  );
  await admin("POST", "/api/open/index/refresh", {});

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

/** Header texts and cell texts of an antd table's body rows. */
async function tableOf(testId: string): Promise<{ head: string[]; rows: string[][] }> {
  const t = page.getByTestId(testId);
  const head = await t.locator("thead th").evaluateAll((ths) => ths.map((th) => (th.textContent ?? "").trim()));
  const rows = await t.locator("tbody tr.ant-table-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
  return { head, rows };
}

test("an anonymous visitor searches, previews and downloads; registers, gets an API key and calls the API", { timeout: 120_000 }, async (t) => {
  await t.test("the portal home shows the figures and the newest open data, with no login", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("menuitem", { name: "开放数据" }).click();
    await page.waitForURL(/\/open$/);
    await page.getByTestId("figure-datasets").getByText("3", { exact: true }).waitFor();
    assert.match(await page.getByTestId("figure-datasets").innerText(), /无条件开放 2 · 有条件开放 1 · 1 个部门/);
    assert.match(await page.getByTestId("figure-rows").innerText(), new RegExp(String(ROWS * 2)));
    const latest = await page.getByTestId("latest").getByTestId("dataset-item").allInnerTexts();
    assert.equal(latest.length, 3);
    assert.ok(latest.some((x) => x.includes(FREE)) && latest.some((x) => x.includes(COND)));
    await page.getByTestId("register-link").waitFor();
    assert.equal(await page.getByTestId("user-menu").count(), 0, "nobody is signed in");
    await shot("60-portal-home");
  });

  await t.test("a search finds the 社保 datasets; the 无条件开放 facet narrows them", async () => {
    const search = page.getByLabel(/^搜索开放数据/);
    await search.fill("参保");
    await search.press("Enter");
    await page.waitForURL(/\/open\/datasets\?q=/);
    await page.getByTestId("result-count").filter({ hasText: "共 2 个开放数据集" }).waitFor();
    const facets = await page.getByTestId("portal-facets").innerText();
    assert.match(facets, /江城市人力资源和社会保障局\s*2/);
    assert.match(facets, /无条件开放\s*1/);
    assert.match(facets, /有条件开放\s*1/);
    // The facet is a link in effect: the URL changes, the page reloads its results.
    await page.getByTestId("facet-openType").getByRole("checkbox", { name: /无条件开放/ }).click();
    await page.waitForURL(/openType=/);
    await page.getByTestId("result-count").filter({ hasText: "共 1 个开放数据集" }).waitFor();
    assert.ok(await page.getByTestId("facet-openType").getByRole("checkbox", { name: /无条件开放/ }).isChecked());
    const items = await page.getByTestId("results").getByTestId("dataset-item").allInnerTexts();
    assert.equal(items.length, 1);
    assert.match(items[0], new RegExp(FREE));
    await shot("61-portal-search");
  });

  await t.test("the dataset page: metadata, a preview of the first rows with 公民身份号码 and 姓名 masked (已脱敏), quality and history", async () => {
    await page.getByTestId("results").getByRole("link", { name: FREE }).click();
    await page.waitForURL(new RegExp(`/open/datasets/${ids.free}`));
    await page.getByTestId("dataset-title").filter({ hasText: FREE }).waitFor();
    await page.getByTestId("sample-rows").locator("tbody tr.ant-table-row").first().waitFor();
    const { head, rows } = await tableOf("sample-rows");
    assert.deepEqual(head.slice(1), ["公民身份号码已脱敏", "姓名已脱敏", "性别", "出生日期已脱敏", "参保金额", "家庭人数", "是否在职", "登记时间"]);
    assert.equal(rows.length, 20, "the first 20 rows");
    for (const r of rows) {
      assert.match(r[1], MASKED_ID, `masked id: ${r[1]}`);
      assert.match(r[2], MASKED_NAME, `masked name: ${r[2]}`);
    }
    assert.match(await page.getByTestId("sample-note").innerText(), new RegExp(`前 20 行（共 ${ROWS} 行`));
    await page.getByText(/已记入账本 #\d+/).waitFor();
    assert.match(await page.getByTestId("quality").innerText(), /完整性/);
    for (const f of ["csv", "xlsx", "json", "parquet"]) await page.getByTestId(`download-${f}`).waitFor();
    await shot("62-portal-dataset");
    await page.getByRole("tab", { name: /更新历史/ }).click();
    const history = await tableOf("history");
    assert.equal(history.rows.length, 1);
    assert.match(history.rows[0].join(" "), new RegExp(`v1 ${ROWS}.*当前版本`));
    await page.getByRole("tab", { name: /数据项/ }).click();
    assert.equal((await tableOf("items")).rows.length, PERSON_ITEMS.length);
  });

  await t.test("the API tab shows curl for the query API and CKAN's datastore_search with the Authorization header", async () => {
    await page.getByTestId("tab-api").click();
    const rowsExample = await page.getByTestId("example-rows").innerText();
    assert.match(rowsExample, new RegExp(`/api/open/datasets/${ids.free}/rows`));
    assert.match(rowsExample, /Authorization: Bearer \$GONGSHU_API_KEY/);
    const ckan = await page.getByTestId("example-ckan").innerText();
    assert.match(ckan, /\/api\/3\/action\/datastore_search/);
    assert.match(ckan, /-H "Authorization: \$GONGSHU_API_KEY"/);
    resourceId = /resource_id=(ds_\w+)/.exec(ckan)?.[1] ?? "";
    assert.ok(resourceId, ckan);
    await shot("63-portal-dataset-api");
  });

  await t.test("a CSV download made from the current snapshot: header and masked values", async () => {
    await page.getByRole("tab", { name: /数据预览/ }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-csv").click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const file = path.join(tmp, "download.csv");
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with BOM, for Excel");
    const lines = bytes.toString("utf8").slice(1).trim().split(/\r?\n/);
    assert.equal(lines[0], PERSON_HEADER.join(","));
    assert.equal(lines.length, ROWS + 1);
    for (const line of lines.slice(1)) {
      const [id, name] = line.split(",");
      assert.match(id, MASKED_ID, line);
      assert.match(name, MASKED_NAME, line);
    }
  });

  await t.test("the 有条件开放 dataset: the sample is public, downloads wait for an application; the page asks to sign in", async () => {
    await page.goto(`${base}/open/datasets?openType=${encodeURIComponent("有条件开放")}`);
    await page.getByTestId("results").getByRole("link", { name: COND }).click();
    await page.getByTestId("dataset-title").filter({ hasText: COND }).waitFor();
    await page.getByTestId("sample-rows").locator("tbody tr.ant-table-row").first().waitFor();
    assert.match(await page.getByTestId("sample-note").innerText(), /有条件开放/);
    await page.getByTestId("apply-login").waitFor();
    assert.match(await page.getByTestId("access").innerText(), /用于科研与公益，签署安全承诺/);
    assert.equal(await page.getByTestId("download-csv").count(), 0, "no download without an approved application");
    const anonymous = await fetch(`${base}/api/open/datasets/${ids.cond}/download?format=csv`);
    assert.equal(anonymous.status, 401);
    await shot("64-portal-conditional");
  });

  await t.test("the API documentation: the open API, the CKAN actions, DCAT, and the OpenAPI reference", async () => {
    await page.getByTestId("portal-nav").getByRole("link", { name: "API 文档" }).click();
    await page.waitForURL(/\/open\/api$/);
    await page.getByTestId("docs-title").waitFor();
    const open = await tableOf("docs-open-endpoints");
    assert.ok(open.rows.some((r) => r.join(" ").includes("/api/open/datasets/{id}/rows") && /limit ≤ 1000/.test(r.join(" "))));
    assert.ok(open.rows.some((r) => r.join(" ").includes("/api/open/datasets/{id}/download") && /csv \| xlsx \| json \| parquet/.test(r.join(" "))));
    const actions = (await tableOf("docs-ckan-actions")).rows.map((r) => r[0]);
    for (const a of ["package_search", "package_show", "datastore_search"]) assert.ok(actions.includes(`/api/3/action/${a}`), a);
    assert.match(await page.getByTestId("docs-example-ckan").innerText(), /Authorization: \$GONGSHU_API_KEY/);
    const swagger = await page.getByTestId("swagger-link").getAttribute("href");
    assert.equal(swagger, "/api/docs");
    assert.equal((await fetch(`${base}${swagger}`)).status, 200, "the OpenAPI reference is served");
    await shot("65-portal-api-docs");
  });

  await t.test("registration checks its fields (a bad 统一社会信用代码 for an enterprise), then signs the new individual in", async () => {
    await page.getByTestId("register-link").click();
    await page.waitForURL(/\/open\/register/);
    await page.getByTestId("type-enterprise").click();
    await page.getByLabel("统一社会信用代码").fill("91350100M000100Y44");
    await page.getByTestId("register-submit").click();
    await page.getByText("统一社会信用代码无效（请核对校验位）").waitFor();
    await page.getByText("请填写企业名称").waitFor();
    await page.getByTestId("type-individual").click();
    await page.getByLabel("统一社会信用代码").waitFor({ state: "detached" });
    await page.getByLabel("用户名").fill(VISITOR.username);
    await page.getByLabel("姓名").fill(VISITOR.displayName);
    await page.getByLabel("密码", { exact: true }).fill(VISITOR.password);
    await page.getByLabel("确认密码").fill("something-else-1");
    await page.getByLabel("手机号码").fill("13800138000");
    await page.getByTestId("register-submit").click();
    await page.getByText("两次输入的密码不一致").waitFor();
    await page.getByLabel("确认密码").fill(VISITOR.password);
    await page.getByText("两次输入的密码不一致").waitFor({ state: "detached" });
    await shot("66-portal-register");
    await page.getByTestId("register-submit").click();
    await page.waitForURL(/\/open\/keys$/);
    await page.getByTestId("user-menu").filter({ hasText: VISITOR.displayName }).waitFor();
  });

  await t.test("a new API key: the secret is shown once, with the key's rate limit and daily quota", async () => {
    await page.getByText("还没有 API 密钥").waitFor();
    await page.getByLabel("名称", { exact: true }).fill("数据分析脚本");
    await page.getByTestId("key-create").click();
    await page.getByTestId("key-created").waitFor();
    apiKey = ((await page.getByTestId("key-secret").textContent()) ?? "").trim();
    assert.match(apiKey, /^gs_[A-Za-z0-9_-]{20,}$/, apiKey);
    const { rows } = await tableOf("keys");
    assert.equal(rows.length, 1);
    const row = rows[0].join(" | ");
    assert.match(row, /数据分析脚本/);
    assert.match(row, new RegExp(`${apiKey.slice(0, 10)}…`), "the prefix, never the secret");
    assert.ok(!row.includes(apiKey));
    assert.match(row, /有效/);
    assert.match(row, /10 次\/秒/);
    assert.match(row, /10,000 次\/日/);
    await shot("67-portal-key-created");
  });

  await t.test("the key calls CKAN's datastore_search (Authorization: <key>) and the query API (Bearer): success and masked records", async () => {
    const ckan = await fetch(`${base}/api/3/action/datastore_search?resource_id=${resourceId}&limit=5`, { headers: { Authorization: apiKey } });
    assert.equal(ckan.status, 200, await ckan.clone().text());
    const body = (await ckan.json()) as { success: boolean; result: { total: number; records: Record<string, unknown>[]; fields: { id: string }[] } };
    assert.equal(body.success, true);
    assert.equal(body.result.total, ROWS);
    assert.equal(body.result.records.length, 5);
    for (const r of body.result.records) {
      assert.match(stripWatermark(String(r["公民身份号码"])), MASKED_ID);
      assert.match(stripWatermark(String(r["姓名"])), MASKED_NAME);
    }
    const rows = await fetch(`${base}/api/open/datasets/${ids.free}/rows?limit=10&filters=${encodeURIComponent(JSON.stringify({ 性别: "女" }))}`, { headers: { Authorization: `Bearer ${apiKey}` } });
    assert.equal(rows.status, 200, await rows.clone().text());
    const page1 = (await rows.json()) as { total: number; rows: Record<string, unknown>[]; columns: { name: string; masked: boolean }[] };
    assert.ok(page1.rows.length > 0 && page1.rows.every((r) => r["性别"] === "女"));
    assert.ok(page1.rows.every((r) => MASKED_ID.test(stripWatermark(String(r["公民身份号码"])))));
    assert.deepEqual(page1.columns.filter((c) => c.masked).map((c) => c.name).sort(), ["公民身份号码", "出生日期", "姓名"].sort());
    // A forged key is refused, and not counted.
    const forged = await fetch(`${base}/api/3/action/datastore_search?resource_id=${resourceId}`, { headers: { Authorization: `${apiKey.slice(0, -2)}xx` } });
    assert.equal(forged.status, 403, "CKAN's Authorization Error");
  });

  await t.test("signed in, the visitor applies for the 有条件开放 data with a purpose; the provider approves; the key reads it", async () => {
    await page.goto(`${base}/open/datasets/${ids.cond}`);
    await page.getByTestId("apply-open").click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await settle(page);
    await page.getByTestId("apply-submit").click();
    await dialog.getByText("请填写用途").waitFor();
    await dialog.getByText("请阅读并勾选安全承诺").waitFor();
    await dialog.getByLabel("用途", { exact: true }).fill("研究本市社会保障覆盖率的时空变化，形成公益研究报告");
    await dialog.getByLabel("应用场景").fill("高校科研");
    await page.getByTestId("apply-commitment").check();
    await shot("68a-portal-apply", false);
    await page.getByTestId("apply-submit").click();
    await page.getByTestId("application-pending").waitFor();
    assert.match(await page.getByTestId("application-pending").innerText(), /研究本市社会保障覆盖率/);
    const before = await fetch(`${base}/api/open/datasets/${ids.cond}/rows?limit=1`, { headers: { Authorization: `Bearer ${apiKey}` } });
    assert.equal(before.status, 403, "not before the provider approves");

    const queue = await officer<{ items: { id: string; entry: { id: string } }[] }>("GET", "/api/open/applications?view=review&status=submitted");
    const app = queue.items.find((a) => a.entry.id === ids.cond);
    assert.ok(app, "the provider sees the application");
    await officer("POST", `/api/open/applications/${app.id}/decision`, { decision: "approve" });
    await page.reload();
    await page.getByTestId("application-granted").waitFor();
    await page.getByTestId("download-csv").waitFor();
    const granted = await fetch(`${base}/api/open/datasets/${ids.cond}/rows?limit=3`, { headers: { Authorization: `Bearer ${apiKey}` } });
    assert.equal(granted.status, 200, await granted.clone().text());
    const g = (await granted.json()) as { rows: Record<string, unknown>[] };
    assert.ok(g.rows.every((r) => MASKED_ID.test(stripWatermark(String(r["公民身份号码"])))), "masked even with a grant");
    await shot("68b-portal-apply-approved");
  });

  await t.test("the key page shows today's usage and the approved application", async () => {
    await page.goto(`${base}/open/keys`);
    const usedCell = page.getByTestId("keys").getByTestId("key-used-today");
    // datastore_search, rows, the refused 有条件开放 read (counted: the key was valid) and the granted read.
    await usedCell.filter({ hasText: /^4$/ }).waitFor();
    await page.getByTestId("keys").getByRole("button", { name: /展开行|Expand row/ }).first().click();
    await page.getByTestId("usage-today").filter({ hasText: "4" }).waitFor();
    await page.getByTestId("usage-chart").waitFor();
    const apps = await tableOf("open-applications");
    assert.equal(apps.rows.length, 1);
    assert.match(apps.rows[0].join(" "), new RegExp(`${COND}.*已批准`));
    await shot("69a-portal-key-usage");
  });

  await t.test("the portal home in English, with the downloads and calls counted", async () => {
    await page.goto(`${base}/open`);
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("figure-datasets").getByText("Open datasets").waitFor();
    await page.getByText("Public data, open for everyone to use").waitFor();
    const downloads = Number((await page.getByTestId("figure-downloads").locator(".ant-statistic-content-value").innerText()).replace(/,/g, ""));
    const calls = Number((await page.getByTestId("figure-api").locator(".ant-statistic-content-value").innerText()).replace(/,/g, ""));
    assert.ok(downloads >= 1, `downloads ${downloads}`);
    assert.ok(calls >= 3, `API calls ${calls}`);
    await shot("69b-portal-home-english");
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("figure-datasets").getByText("开放数据集").waitFor();
  });
});
