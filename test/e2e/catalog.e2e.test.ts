/**
 * Browser test of the catalog's main path, against the real server and the built web app:
 * a data officer creates an entry with three data items and submits it; the admin approves it from the
 * review queue; anyone finds it by a Chinese keyword and opens it. Screenshots of every step go to
 * test-results/screenshots/.
 *
 * Run: node --import tsx --test test/e2e/catalog.e2e.test.ts
 * (GONGSHU_E2E_URL + GONGSHU_E2E_ADMIN/OFFICER/PASSWORD reuse a running server instead.)
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type TestServer } from "./server.ts";
import { launchBrowser, login as loginAs, logout as logoutOf, openPage, shot as shotOf } from "./browser.ts";

const ENTRY_NAME = "江城市新能源汽车充电桩运营信息";
const KEYWORD = "充电桩";

let server: TestServer | undefined;
let base = "";
let creds = { admin: "", officer: "", password: "" };
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  if (process.env.GONGSHU_E2E_URL) {
    base = process.env.GONGSHU_E2E_URL.replace(/\/$/, "");
    creds = { admin: process.env.GONGSHU_E2E_ADMIN ?? "admin", officer: process.env.GONGSHU_E2E_OFFICER ?? "", password: process.env.GONGSHU_E2E_PASSWORD ?? "" };
  } else {
    server = await startServer();
    base = server.url;
    creds = { admin: server.admin, officer: server.officer.username, password: server.password };
  }
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser));
}, { timeout: 180_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close();
});

const shot = (name: string, fullPage = true) => shotOf(page, name, fullPage);

/** Pick an option of the antd Select whose form item has this label. */
async function choose(label: string | RegExp, option: string, scope = page.locator("body")): Promise<void> {
  await scope.getByLabel(label, { exact: typeof label === "string" }).first().click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: option }).first().click();
}

const login = (username: string, password: string) => loginAs(page, base, username, password);
const logout = () => logoutOf(page);

let entryUrl = "";

test("officer creates and submits, admin approves, the public finds it", { timeout: 300_000 }, async (t) => {
  await t.test("public home renders in Chinese", async () => {
    await page.goto(base + "/");
    await page.getByText("已发布目录").waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
    await shot("01-home");
  });

  await t.test("data officer logs in", async () => {
    await page.goto(`${base}/login?next=/mine`);
    await page.getByLabel("用户名").fill(creds.officer);
    await page.getByLabel("密码").fill(creds.password);
    await shot("02-login");
    await page.getByRole("button", { name: /登\s*录/ }).click();
    await page.waitForURL(/\/mine/);
    await page.getByRole("heading", { name: "我的目录" }).waitFor();
    await shot("03-my-catalog");
  });

  await t.test("officer creates an entry with three data items and submits it", async () => {
    await page.getByTestId("new-entry").click();
    await page.waitForURL(/\/catalog\/new/);
    await page.getByLabel("信息资源名称").fill(ENTRY_NAME);
    await page.getByLabel("关键词").fill("充电桩");
    await page.keyboard.press("Enter");
    await page.getByLabel("信息资源摘要").fill("全市公共充电桩的位置、运营单位、充电功率与实时可用状态，用于新能源汽车出行服务与城市充电设施规划。");
    await page.getByLabel("分类码").fill("302015");
    await page.getByLabel("主题", { exact: true }).fill("能源安全");
    await choose("应用领域", "交通运输");
    await page.keyboard.press("Escape");
    await page.getByLabel("共享条件").fill("仅限政务部门履职使用，不得转授第三方");
    await choose("开放类型", "有条件开放");
    await page.getByLabel("开放条件").fill("签署数据开放利用协议");
    await choose("更新周期", "实时");
    await page.getByLabel("来源系统名称").fill("江城市充电设施监管平台");
    await page.getByLabel("联系人姓名").fill("陈明");
    await page.getByLabel("联系电话").fill("0571-87001234");

    const items: { name: string; nameEn: string; type: string; length?: string; sensitive?: boolean; description: string }[] = [
      { name: "充电站编号", nameEn: "station_id", type: "字符型", length: "32", description: "充电站唯一编号" },
      { name: "充电功率", nameEn: "power_kw", type: "数值型", description: "额定功率（千瓦）" },
      { name: "运营单位联系电话", nameEn: "operator_phone", type: "字符型", length: "20", sensitive: true, description: "运营单位联系电话" },
    ];
    await page.getByTestId("add-item").click();
    await page.getByTestId("add-item").click();
    for (const [i, it] of items.entries()) {
      const n = i + 1;
      await page.getByLabel(`数据项名称 ${n}`, { exact: true }).fill(it.name);
      await page.getByLabel(`英文名称 ${n}`, { exact: true }).fill(it.nameEn);
      if (it.type !== "字符型") await choose(`数据类型 ${n}`, it.type);
      if (it.length) await page.getByLabel(`长度 ${n}`, { exact: true }).fill(it.length);
      if (it.sensitive) await page.getByLabel(`敏感 ${n}`, { exact: true }).check();
      await page.getByLabel(`描述 ${n}`, { exact: true }).fill(it.description);
    }
    await page.getByLabel("信息资源名称").click(); // close any open dropdown
    await shot("04-editor-filled");

    // A rule only the server knows (duplicate item names) comes back on the named field, content.items.2.name.
    await page.getByLabel("数据项名称 3", { exact: true }).fill("充电站编号");
    await page.getByTestId("save-draft").click();
    const fieldError = page.locator(".ant-form-item-explain-error", { hasText: "重复" });
    await fieldError.waitFor();
    assert.ok(new URL(page.url()).pathname.endsWith("/catalog/new"), "nothing was saved");
    await shot("04b-editor-server-error", false);
    await page.getByLabel("数据项名称 3", { exact: true }).fill(items[2].name);
    await fieldError.waitFor({ state: "detached" });

    await page.getByTestId("save-submit").click();
    await page.waitForURL((u) => /\/catalog\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith("/new"));
    entryUrl = page.url();
    await page.getByTestId("entry-name").filter({ hasText: ENTRY_NAME }).waitFor();
    await page.locator(".ant-tag", { hasText: "待审核" }).first().waitFor();
    await page.getByRole("tab", { name: /数据项/ }).click();
    const itemRows = page.getByRole("tabpanel").locator("tr[data-row-key]");
    await itemRows.first().waitFor();
    assert.equal(await itemRows.count(), 3);
    await shot("05-entry-submitted");
    await page.getByRole("tab", { name: "元数据" }).click();
  });

  await t.test("officer logs out; admin logs in and approves from the review queue", async () => {
    await logout();
    await login(creds.admin, creds.password);
    await page.getByRole("link", { name: "目录审核" }).click();
    await page.waitForURL(/\/review/);
    const row = page.locator("tr.ant-table-row", { hasText: ENTRY_NAME });
    await row.waitFor();
    await shot("06-review-queue");
    await row.getByRole("button", { name: /审核通过/ }).click();
    await page.locator(".ant-message", { hasText: "已审核通过并发布" }).waitFor();
    await row.waitFor({ state: "detached" });
    await shot("07-review-approved", false);
  });

  await t.test("search by a Chinese keyword finds the entry and opens it", async () => {
    await page.getByRole("link", { name: "目录检索" }).click();
    await page.waitForURL(/\/catalog/);
    const box = page.getByRole("searchbox").or(page.getByLabel("输入关键词检索目录（支持中文）")).first();
    await box.fill(KEYWORD);
    await box.press("Enter");
    await page.waitForURL((u) => u.searchParams.get("q") === KEYWORD);
    // The keyword is highlighted in the hit (this also waits for the searched list, not the one before).
    const hit = page.getByTestId("result-item").filter({ hasText: ENTRY_NAME }).filter({ has: page.locator("mark", { hasText: KEYWORD }) });
    await hit.first().waitFor();
    assert.equal(await hit.count(), 1);
    await shot("08-search-results");
    await hit.getByRole("link", { name: ENTRY_NAME }).click();
    await page.getByTestId("entry-name").filter({ hasText: ENTRY_NAME }).waitFor();
    assert.equal(new URL(page.url()).pathname, new URL(entryUrl).pathname);
    await page.locator(".ant-tag", { hasText: "已发布" }).first().waitFor();
    await shot("09-entry-published");
    await page.getByRole("tab", { name: "版本历史" }).click();
    await page.getByRole("tabpanel").locator("tr[data-row-key]").first().waitFor();
    await shot("10-entry-versions");
  });

  await t.test("the English switch translates the interface", async () => {
    await page.getByTestId("lang-switch").click();
    await page.getByRole("tab", { name: "Versions" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await page.getByRole("tab", { name: "Metadata" }).click();
    await shot("11-entry-english");
    await page.getByTestId("lang-switch").click();
    await page.getByRole("tab", { name: "版本历史" }).waitFor();
  });

  await t.test("ledger page shows the checkpoint", async () => {
    await page.getByRole("link", { name: "账本" }).click();
    await page.getByTestId("checkpoint").waitFor();
    assert.match(await page.getByTestId("checkpoint").innerText(), /gongshu/);
    await shot("12-ledger");
  });
});
