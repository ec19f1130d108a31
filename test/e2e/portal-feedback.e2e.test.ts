/**
 * Browser test of the public's side of the open portal (开放): 数据需求, 错误报告, 接诉即办 and 利用成果,
 * against the real server on a fresh platform and the built web app. Set up through the HTTP API: a
 * city data administration (admin), 人社局 with a data officer, one published 无条件开放 dataset with
 * data, and a registered individual. Then in the browser: an anonymous visitor reports an error on
 * the dataset; the registered user files a demand and submits an application built on the dataset;
 * the admin routes the demand to 人社局 and approves the application; the officer answers the demand
 * (accepted, with a plan and a date) and the error report (fixed); the public sees both answers, the
 * application in the gallery and on the dataset's page, and the 接诉即办 figures count them.
 * Screenshots 70–79 go to test-results/screenshots/.
 *
 * Run: node --import tsx --test test/e2e/portal-feedback.e2e.test.ts
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startFreshServer, type FreshServer, apiSession, type ApiClient } from "./server.ts";
import { launchBrowser, login, logout, openPage, settle, shot as shotOf } from "./browser.ts";
import { PERSON_ITEMS, writePersonCsv } from "../../src/modules/ingest/fixtures.ts";
import { sampleContent } from "../helpers.ts";

const PASSWORD = "Feedback-e2e-2026";
const FREE = "参保人员名录";
const HR = "江城市人力资源和社会保障局";
const USER = { username: "li_na", displayName: "李娜", password: "Citizen-pass-2026" };
const DEMAND = { title: "开放历年公交线路与站点数据", description: "希望开放全市公交线路、站点位置和首末班时间，按月更新，CSV 格式。", intendedUse: "开发无障碍出行小程序" };
const APP = { name: "社保通小程序", description: "查询参保政策、缴费档次和就近经办网点的微信小程序，使用开放的参保人员名录做统计展示。", url: "https://example.com/shebaotong" };

let server: FreshServer;
let base = "";
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tmp = "";
let datasetId = "";
let demandId = "";
let reportId = "";
let appId = "";

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
  const { org: hr } = await admin<{ org: { id: string } }>("POST", "/api/orgs", { name: HR, shortName: "人社局", kind: "department", parentId: city.id });
  await admin("POST", "/api/users", { username: "hr_officer", displayName: "李社保", orgId: hr.id, roles: ["data_officer"], password: PASSWORD });
  const officer = await session("hr_officer");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-feedback-"));
  const content = sampleContent({
    items: PERSON_ITEMS.map((i) => ({ ...i })), name: FREE, summary: "本市参加社会保险人员名录，身份证号与姓名脱敏后开放。", theme: "社会保障", keywords: ["社保", "参保"],
    formatCategory: "电子表格", formats: ["CSV"], shareType: "无条件共享", shareConditions: undefined, notOpenBasis: undefined, openType: "无条件开放",
    sourceSystem: { name: "社会保险信息系统" }, generalLevel: 3, contact: { name: "李社保", phone: "0571-88880002", email: "open@hrss.example.gov.cn" },
  });
  const { entry } = await officer<{ entry: { id: string } }>("POST", "/api/catalog/entries", { content });
  await officer("POST", `/api/catalog/entries/${entry.id}/submit`, {});
  await admin("POST", `/api/catalog/entries/${entry.id}/review`, { decision: "approve" });
  const csv = path.join(tmp, "people.csv");
  await writePersonCsv(csv, { rows: 40, seed: 21 });
  const load = await officer<{ job: { status: string } }>("POST", `/api/datasets/upload?entry=${entry.id}&wait=true`, fs.readFileSync(csv), {
    "content-type": "application/octet-stream", "x-filename": "people.csv",
  });
  assert.equal(load.job.status, "succeeded");
  datasetId = entry.id;
  await admin("POST", "/api/open/index/refresh", {});
  const reg = await fetch(`${base}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accountType: "individual", ...USER }) });
  assert.equal(reg.status, 201, await reg.clone().text());

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

/** Sign out from the portal home (pages with a sign-in prompt would show a second 登录 button as the session ends). */
async function signOut() {
  await page.goto(`${base}/open`);
  await logout(page);
}

/** Pick an option of an antd Select (the open dropdown's option with that text). */
async function pick(text: string | RegExp) {
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().click();
}

/** Cell texts of an antd table's body rows. */
async function rowsOf(testId: string): Promise<string[][]> {
  return page.getByTestId(testId).locator("tbody tr.ant-table-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
}

test("the public asks and reports, the administration and the department answer in public; the showcase and 接诉即办", { timeout: 120_000 }, async (t) => {
  await t.test("a guest sees the demands page with the way to sign in; the portal bar has the new sections", async () => {
    await page.goto(`${base}/open/demands`);
    await page.getByTestId("demand-login").waitFor();
    const nav = await page.getByTestId("portal-nav").innerText();
    for (const s of ["数据需求", "数据纠错", "接诉即办", "利用成果"]) assert.ok(nav.includes(s), s);
    assert.equal(await page.getByTestId("demand-new").count(), 0);
    await page.getByTestId("demands").getByText("暂无记录").waitFor();
    await shot("70-demands-guest");
  });

  await t.test("an anonymous visitor reports an error on the dataset page", async () => {
    await page.goto(`${base}/open/datasets/${datasetId}`);
    await page.getByTestId("dataset-title").filter({ hasText: FREE }).waitFor();
    await page.getByTestId("dataset-showcase").getByText("还没有使用该数据的成果").waitFor();
    await page.getByTestId("report-error").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("无需登录即可报告").waitFor();
    await page.getByTestId("report-submit").click();
    await dialog.getByText("请描述问题").waitFor();
    await page.getByTestId("report-item").click();
    await pick("性别");
    await dialog.getByLabel("所在行").fill("第 3 行");
    await dialog.getByLabel("问题描述").fill("性别一栏出现了代码 9，与国家标准 GB/T 2261.1 不一致。");
    await dialog.getByLabel("联系方式").fill("13900139000");
    await settle(page);
    await shot("71-report-form", false);
    await page.getByTestId("report-submit").click();
    await page.waitForURL(/\/open\/reports\/orp_/);
    reportId = page.url().split("/").pop()!;
    await page.getByTestId("request-title").filter({ hasText: `「${FREE}」数据项「性别」数据问题` }).waitFor();
    await page.getByTestId("answer-waiting").waitFor();
    assert.match(await page.getByTestId("request-meta").innerText(), new RegExp(HR));
    assert.equal(await page.getByTestId("request-private").count(), 0, "an anonymous visitor sees no private part");
    assert.ok(!(await page.content()).includes("13900139000"), "the contact is never shown in public");
  });

  await t.test("a registered user files a 数据需求", async () => {
    await login(page, base, USER.username, USER.password, "/open/demands");
    await page.getByTestId("demand-new").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("需求名称").fill(DEMAND.title);
    await dialog.getByLabel("需求描述").fill(DEMAND.description);
    await dialog.getByLabel("用途").fill(DEMAND.intendedUse);
    await settle(page);
    await shot("72a-demand-form", false);
    await page.getByTestId("demand-submit").click();
    await page.waitForURL(/\/open\/demands\/odm_/);
    demandId = page.url().split("/").pop()!;
    await page.getByTestId("request-title").filter({ hasText: DEMAND.title }).waitFor();
    await page.getByTestId("status-tag").filter({ hasText: "待分派" }).waitFor();
    assert.match(await page.getByTestId("request-private").innerText(), new RegExp(USER.displayName), "the requester sees the private part");
    assert.match(await page.getByTestId("timeline").innerText(), /公众提出数据需求[\s\S]*答复期限/);
    await shot("72b-demand-submitted");
  });

  await t.test("the user submits an application built on the dataset, picked from the open catalog search", async () => {
    await page.getByTestId("portal-nav").getByRole("link", { name: "利用成果" }).click();
    await page.waitForURL(/\/open\/showcase$/);
    await page.getByTestId("showcase-new").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("成果名称").fill(APP.name);
    await dialog.getByLabel("成果简介").fill(APP.description);
    await dialog.getByLabel("访问地址").fill("ftp://example.com");
    await page.getByTestId("showcase-datasets").click();
    await page.keyboard.type("参保");
    await pick(FREE);
    await page.keyboard.press("Escape").catch(() => {});
    await page.getByTestId("showcase-submit").click();
    await dialog.getByText("须为 http(s):// 地址").waitFor();
    await dialog.getByLabel("访问地址").fill(APP.url);
    await settle(page);
    await shot("73a-showcase-form", false);
    await page.getByTestId("showcase-submit").click();
    await page.waitForURL(/\/open\/showcase\/osc_/);
    appId = page.url().split("/").pop()!;
    await page.getByTestId("showcase-name").filter({ hasText: APP.name }).waitFor();
    await page.getByTestId("showcase-review").getByText("待审核").waitFor();
    assert.match(await page.getByTestId("showcase-datasets-used").innerText(), new RegExp(FREE));
    await shot("73b-showcase-submitted");
    await signOut();
  });

  await t.test("the admin's queue: the demand is routed to 人社局; the application is approved", async () => {
    await login(page, base, "city_admin", PASSWORD, "/open/demands?view=queue");
    await page.getByTestId("tab-queue").filter({ hasText: "待分派和答复" }).waitFor();
    await page.getByTestId("demands").getByRole("link", { name: DEMAND.title }).waitFor();
    await page.getByTestId(`assign-${demandId}`).click();
    const dialog = page.getByRole("dialog");
    await page.getByTestId("assign-org").click();
    await pick(HR);
    await dialog.getByLabel("分派说明").fill("请人社局会同交通部门研究");
    await settle(page);
    await shot("74a-admin-assign", false);
    await page.getByTestId("assign-submit").click();
    await dialog.waitFor({ state: "detached" });
    // Still in the administration's queue (unanswered), now with the department.
    const row = (await rowsOf("demands")).find((r) => r[0].includes(DEMAND.title));
    assert.ok(row, "still in the queue");
    assert.match(row.join(" | "), new RegExp(`${HR}.*部门办理中`));
    await shot("74b-admin-queue");

    await page.goto(`${base}/open/showcase?view=review`);
    await page.getByTestId("tab-review").waitFor();
    const card = page.getByTestId("showcase-card").filter({ hasText: APP.name });
    await card.getByText(`提交人：${USER.displayName}`).waitFor();
    await shot("75a-showcase-review");
    await page.getByTestId(`approve-${appId}`).click();
    await page.getByText("没有待审核的成果").waitFor();
    await signOut();
  });

  await t.test("the department officer answers the demand (accepted, with a plan and a date) and the error report (fixed)", async () => {
    await login(page, base, "hr_officer", PASSWORD, "/open/demands?view=queue");
    await page.getByTestId("tab-queue").filter({ hasText: "本部门待答复" }).waitFor();
    await page.getByTestId(`answer-${demandId}`).click();
    const dialog = page.getByRole("dialog");
    await page.getByTestId("answer-submit").click();
    await dialog.getByText("请选择答复结果").waitFor();
    await page.getByTestId("outcome-accepted").click();
    await page.getByTestId("answer-submit").click();
    await dialog.getByText("受理时须说明开放计划").waitFor();
    await dialog.getByLabel("开放计划").fill("会同交通运输局整理公交线路与站点数据，脱敏后按月开放。");
    const planned = new Date(Date.now() + 60 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const date = dialog.locator(".ant-picker input");
    await date.click();
    await date.fill(planned);
    await date.press("Enter");
    await settle(page);
    await shot("76a-officer-answer-demand", false);
    await page.getByTestId("answer-submit").click();
    await dialog.waitFor({ state: "detached" });
    await page.getByTestId("demands").getByText("没有待处理的事项").waitFor();

    await page.goto(`${base}/open/reports?view=queue`);
    await page.getByTestId(`answer-${reportId}`).click();
    await page.getByTestId("outcome-fixed").click();
    await page.getByRole("dialog").getByLabel("更正说明").fill("已将错误的性别代码 9 更正为 GB/T 2261.1 的代码，下次更新时发布。");
    await settle(page);
    await shot("76b-officer-answer-report", false);
    await page.getByTestId("answer-submit").click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByTestId("reports").getByText("没有待处理的事项").waitFor();
    await page.goto(`${base}/open/reports/${reportId}`);
    assert.match(await page.getByTestId("request-private").innerText(), /13900139000/, "the department sees the reporter's contact");
    await signOut();
  });

  await t.test("the public sees the answers: the demand's plan and date with its timeline, the report fixed", async () => {
    await page.goto(`${base}/open/demands`);
    await page.getByTestId("demands").getByRole("link", { name: DEMAND.title }).waitFor();
    const row = (await rowsOf("demands")).find((r) => r[0].includes(DEMAND.title));
    assert.ok(row);
    assert.match(row.join(" | "), new RegExp(`${HR}.*已受理，计划开放`));
    await page.getByTestId("demands").getByRole("link", { name: DEMAND.title }).click();
    await page.waitForURL(new RegExp(`/open/demands/${demandId}$`));
    const answer = await page.getByTestId("answer").innerText();
    assert.match(answer, /已受理，计划开放/);
    assert.match(answer, /会同交通运输局整理公交线路与站点数据/);
    assert.match(answer, new RegExp(`计划开放日期\\s*${(new Date(Date.now() + 60 * 86_400_000 + 8 * 3_600_000)).toISOString().slice(0, 10)}`));
    assert.match(answer, new RegExp(`答复部门\\s*${HR}`));
    const timeline = await page.getByTestId("timeline").innerText();
    assert.match(timeline, new RegExp(`数据管理部门分派至${HR}`));
    assert.match(timeline, /公开答复 · 按期答复/);
    assert.equal(await page.getByTestId("request-private").count(), 0);
    assert.ok(!(await page.content()).includes(USER.displayName), "the requester is not named in public");
    await shot("77a-demand-public-answer");

    await page.goto(`${base}/open/reports?dataset=${datasetId}`);
    await page.getByTestId("report-dataset-filter").getByText(FREE).waitFor();
    await page.getByTestId("reports").locator("tbody tr.ant-table-row").first().waitFor();
    const reports = await rowsOf("reports");
    assert.equal(reports.length, 1);
    assert.match(reports[0].join(" | "), /已更正/);
    await page.getByTestId("reports").getByRole("link").first().click();
    await page.waitForURL(new RegExp(`/open/reports/${reportId}$`));
    assert.match(await page.getByTestId("answer").innerText(), /已更正[\s\S]*已将错误的性别代码 9 更正/);
    await shot("77b-report-public-answer");
  });

  await t.test("the approved application is in the gallery, filtered by the dataset, and on the dataset's page", async () => {
    await page.goto(`${base}/open/showcase`);
    await page.getByTestId("showcase-count").filter({ hasText: "共 1 项成果" }).waitFor();
    const card = page.getByTestId("showcase-card").filter({ hasText: APP.name });
    assert.match(await card.innerText(), new RegExp(`个人开发者[\\s\\S]*${FREE}`));
    await shot("78a-showcase-gallery");
    await page.goto(`${base}/open/showcase?dataset=${datasetId}`);
    await page.getByTestId("showcase-dataset-filter").getByText(FREE).waitFor();
    await page.getByTestId("showcase-count").filter({ hasText: "共 1 项成果" }).waitFor();
    await card.getByRole("link", { name: FREE }).click();
    await page.waitForURL(new RegExp(`/open/datasets/${datasetId}$`));
    const onPage = page.getByTestId("dataset-showcase");
    await onPage.getByRole("link", { name: APP.name }).waitFor();
    assert.match(await onPage.innerText(), /利用成果（1）/);
    await shot("78b-dataset-with-showcase");
  });

  await t.test("接诉即办: the city and 人社局 received 2 and answered 2, on time", async () => {
    await page.getByTestId("portal-nav").getByRole("link", { name: "接诉即办" }).click();
    await page.waitForURL(/\/open\/responsiveness$/);
    await page.getByTestId("fig-received").getByText("2", { exact: true }).waitFor();
    assert.match(await page.getByTestId("fig-received").innerText(), /需求 1 · 纠错 1/);
    assert.match(await page.getByTestId("fig-answered").innerText(), /2[\s\S]*答复率 100\.0%/);
    assert.match(await page.getByTestId("fig-ontime").innerText(), /100\.0%/);
    assert.match(await page.getByTestId("fig-overdue").innerText(), /^逾期未答复\s*0/);
    const rows = await rowsOf("dept-figures");
    assert.equal(rows.length, 1);
    assert.equal(rows[0][0], HR);
    assert.match(rows[0][1], /^2需求 1 · 纠错 1$/);
    assert.equal(rows[0][2], "2");
    assert.equal(rows[0][3], "100.0%");
    assert.equal(rows[0][6], "0");
    await page.getByTestId("resp-chart").waitFor();
    await shot("79a-responsiveness");
    await page.getByTestId("days-365").click();
    await page.waitForURL(/days=365/);
    await page.getByTestId("fig-received").getByText("2", { exact: true }).waitFor();
    await page.getByTestId("lang-switch").click();
    await page.getByRole("heading", { name: "Responsiveness" }).waitFor();
    assert.match(await page.getByTestId("fig-received").innerText(), /Requests 1 · reports 1/);
    await shot("79b-responsiveness-english");
    await page.getByTestId("lang-switch").click();
  });
});
