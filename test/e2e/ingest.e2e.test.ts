/**
 * Browser test of 数据归集 and 治理, against the real server and the built web app: a data officer opens
 * the dataset page of a published entry of their department (人口基础信息, created through the HTTP API
 * when the demo city lacks it), uploads a GBK CSV with bad rows, sees the row errors, loads only the
 * good rows, sees the new version and opens the quality report with its charts. Screenshots of every
 * step go to test-results/screenshots/.
 *
 * Run: node --import tsx --test test/e2e/ingest.e2e.test.ts
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startServer, type TestServer } from "./server.ts";
import { launchBrowser, login, openPage, shot as shotOf } from "./browser.ts";
import { demoEntryContents, writeSmallGbkCsv, type SmallCsvResult } from "../../src/demo/datasets/index.ts";

const OFFICER = "officer_gaj";
const ENTRY_NAME = demoEntryContents().population.content.name;

let server: TestServer;
let base = "";
let browser: Browser;
let context: BrowserContext;
let page: Page;
let entryId = "";
let tmp = "";
let csv: SmallCsvResult;
/** The version the upload makes: the demo seed may already have loaded the dataset. */
let nextVersion = 1;
/** The objection the admin raises on a masked row (handled by the officer next). */
let objectionPath = "";

/** A tiny HTTP client with a session cookie, for the test setup. */
async function session(username: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  assert.equal(res.status, 200, `login ${username}: ${await res.clone().text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(base + url, { method, headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url} → ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** The published 人口基础信息 entry of the officer's department: found, or created, submitted and approved. */
async function ensurePopulationEntry(): Promise<string> {
  const officer = await session(OFFICER, server.password);
  const found = await officer<{ items: { id: string; name: string; status: string }[] }>("GET", `/api/catalog/entries?mine=true&status=published&pageSize=100&q=${encodeURIComponent(ENTRY_NAME)}`);
  const hit = found.items.find((e) => e.name === ENTRY_NAME);
  if (hit) return hit.id;
  const { entry } = await officer<{ entry: { id: string } }>("POST", "/api/catalog/entries", { content: demoEntryContents().population.content });
  await officer("POST", `/api/catalog/entries/${entry.id}/submit`, {});
  const admin = await session(server.admin, server.password);
  await admin("POST", `/api/catalog/entries/${entry.id}/review`, { decision: "approve" });
  return entry.id;
}

before(async () => {
  server = await startServer();
  base = server.url;
  entryId = await ensurePopulationEntry();
  const officer = await session(OFFICER, server.password);
  const existing = await officer<{ items: { currentVersion: number | null }[] }>("GET", `/api/datasets?entry=${entryId}`);
  nextVersion = (existing.items[0]?.currentVersion ?? 0) + 1;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-ingest-"));
  csv = writeSmallGbkCsv(path.join(tmp, "人口基础信息.csv"), { rows: 40, badRows: 4 });
  browser = await launchBrowser();
  ({ context, page } = await openPage(browser, 20_000));
}, { timeout: 240_000 });

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const shot = (name: string, fullPage = true) => shotOf(page, name, fullPage);

/** The texts of the cells of a table's body rows. */
async function tableRows(testId: string): Promise<string[][]> {
  return page.getByTestId(testId).locator("tbody tr.ant-table-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
}

test("officer loads a GBK CSV with bad rows, loads the good rows and opens the quality report", { timeout: 300_000 }, async (t) => {
  const loadErrors = csv.errors.filter((e) => e.stage === "load");
  assert.ok(loadErrors.length >= 3, "the fixture has load-stage errors");

  await t.test("officer logs in and sees 我的数据集", async () => {
    await login(page, base, OFFICER, server.password, "/data");
    await page.waitForURL(/\/data$/);
    await page.getByRole("heading", { name: "我的数据集" }).waitFor();
    const row = page.getByTestId("my-datasets").locator("tr.ant-table-row", { hasText: ENTRY_NAME });
    await row.waitFor();
    if (nextVersion > 1) await row.getByText(`v${nextVersion - 1}`).waitFor();
    await page.getByTestId("notify-bell").waitFor();
    await shot("20-my-datasets");
  });

  await t.test("opens the dataset page of the entry", async () => {
    await page.getByTestId("my-datasets").getByRole("link", { name: ENTRY_NAME }).click();
    await page.waitForURL(new RegExp(`/data/${entryId}`));
    await page.getByTestId("dataset-name").filter({ hasText: ENTRY_NAME }).waitFor();
    await page.getByRole("tab", { name: "装载" }).waitFor();
    await shot("21-dataset-load-tab");
  });

  await t.test("uploads the GBK CSV (reject on errors): the load is refused with the exact row errors", async () => {
    assert.equal(await page.getByLabel("有错误时拒绝整批").isChecked(), true);
    await page.locator("input[type=file]").first().setInputFiles(csv.path);
    await page.getByTestId("load-failed").waitFor({ timeout: 60_000 });
    await page.getByTestId("validation-report").waitFor();
    assert.equal(await page.getByTestId("report-total").innerText(), String(csv.rows));
    assert.equal(await page.getByTestId("report-good").innerText(), String(csv.goodRows));
    assert.match(await page.getByTestId("report-bad").innerText(), new RegExp(`错误 ${loadErrors.length} 行`));
    const rows = await tableRows("row-errors");
    // 行号 is the line of the file (the header is line 1); 列 is the data item.
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      loadErrors.map((e) => [String(e.line), e.column]),
    );
    const reasons = rows.map((r) => r[3]);
    assert.ok(reasons.every((x) => x.length > 0), "every error has a reason");
    assert.match(await page.getByTestId("load-failed").innerText(), /未装载任何数据/);
    await shot("22-load-refused-row-errors");
  });

  await t.test("chooses 只装载正确的行: the same file loads as a new version with the good rows", async () => {
    await page.getByTestId("load-good-rows").click();
    const ok = page.getByTestId("load-success");
    await ok.waitFor({ timeout: 60_000 });
    assert.match(await ok.innerText(), new RegExp(`v${nextVersion}，共 ${csv.goodRows} 行`));
    await page.getByTestId("current-version").filter({ hasText: `v${nextVersion}` }).waitFor();
    await shot("23-load-good-rows");
  });

  await t.test("版本 shows the new current version with the right row count", async () => {
    await page.getByRole("tab", { name: "版本" }).click();
    await page.getByTestId("dataset-versions").locator("tr.ant-table-row").first().waitFor();
    const rows = await tableRows("dataset-versions");
    assert.equal(rows.length, nextVersion);
    const mine = rows.find((r) => r[0].startsWith(`v${nextVersion}`));
    assert.ok(mine, "the new version is listed");
    assert.match(mine[0], /当前/);
    assert.equal(mine[1], String(csv.goodRows));
    assert.match(mine[2], /人口基础信息\.csv/);
    assert.equal(rows.filter((r) => r[0].includes("当前")).length, 1, "one current version");
    await shot("24-dataset-versions");
  });

  await t.test("预览 shows the rows of the current version", async () => {
    await page.getByRole("tab", { name: "预览" }).click();
    await page.getByTestId("preview-rows").locator("tr.ant-table-row").first().waitFor();
    assert.equal(await page.getByTestId("preview-rows").locator("tr.ant-table-row").count(), 20);
    await shot("25-dataset-preview");
  });

  await t.test("质量 shows the report: the score and the charts", async () => {
    await page.getByRole("tab", { name: "质量" }).click();
    const score = page.getByTestId("quality-score");
    await score.waitFor();
    const api = await (await page.request.get(`${base}/api/datasets?entry=${entryId}`)).json();
    const datasetId = api.items[0].id as string;
    const report = await (await page.request.get(`${base}/api/quality/datasets/${datasetId}/report`)).json();
    assert.equal(report.run.version, nextVersion);
    assert.equal(report.run.rowCount, csv.goodRows);
    assert.ok(typeof report.run.score === "number" && report.run.score > 0 && report.run.score < 1, "the dirty row lowers the score below 100");
    const expected = (Math.round(report.run.score * 1000) / 10).toFixed(1);
    assert.equal(await score.getAttribute("data-score"), expected);
    assert.match(await score.innerText(), new RegExp(expected.replace(".", "\\.")));
    // The 身份证 check digit rule finds the row the loader let through.
    const idRule = report.rules.find((r: { column: string; kind: string }) => r.column === "公民身份号码" && r.kind === "idcard");
    assert.equal(idRule?.failed, csv.errors.filter((e) => e.stage === "quality").length);
    // ECharts drew on a canvas of real size.
    for (const id of ["quality-radar", "quality-trend"]) {
      const canvas = page.getByTestId(id).locator("canvas").first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} canvas has a size`);
    }
    await page.getByTestId("quality-rules").locator("tr.ant-table-row", { hasText: "居民身份证号码" }).first().waitFor();
    await page.waitForTimeout(800); // chart animation
    await shot("26-quality-report");
  });

  await t.test("the quality league lists the department", async () => {
    await page.goto(`${base}/quality`);
    await page.getByTestId("league").locator("tr.ant-table-row").first().waitFor();
    await page.getByTestId("league-chart").locator("canvas").first().waitFor();
    await page.waitForTimeout(800);
    await shot("27-quality-league");
  });

  await t.test("an admin outside the department sees the preview masked and objects to a row by its reference", async () => {
    const { context: other, page: p } = await openPage(browser, 20_000);
    try {
      await login(p, base, server.admin, server.password, `/data/${entryId}?tab=preview`);
      await p.getByText("部门外用户看到的是脱敏数据").waitFor();
      const first = p.getByTestId("preview-rows").locator("tr.ant-table-row").first();
      await first.waitFor();
      assert.match(await first.innerText(), /\*{4,}/, "the key and names are masked");
      await first.getByRole("button", { name: /提出异议/ }).click();
      const dialog = p.getByRole("dialog", { name: "提出数据异议" });
      await dialog.waitFor();
      const shownKey = await dialog.locator("input[disabled]").first().inputValue();
      assert.match(shownKey, /\*/, "the form shows the key as masked, read-only");
      await dialog.getByLabel("异议理由").fill("该记录的出生日期与户籍登记不一致");
      await shotOf(p, "28a-objection-masked-row", false);
      await dialog.getByRole("button", { name: "提交异议" }).click();
      await dialog.getByText("异议已提交，已通知数源部门").waitFor();
      await dialog.getByRole("link", { name: /查看异议/ }).click();
      await p.waitForURL(/\/objections\/obj_/);
      objectionPath = new URL(p.url()).pathname;
      await p.getByText(shownKey).first().waitFor(); // the objection names the record as the reader saw it
      await shotOf(p, "28b-objection-detail-masked-key");
    } finally {
      await other.close();
    }
  });

  await t.test("the officer accepts the whole-record objection and corrects it by choosing the item: a new version", async () => {
    assert.ok(objectionPath, "the previous step raised an objection");
    await page.goto(base + objectionPath);
    await page.getByTestId("objection-accept").click();
    await page.getByRole("dialog").getByRole("button", { name: /确\s*定/ }).click();
    await page.getByTestId("objection-correct").waitFor();
    await page.getByTestId("objection-correct").click();
    const dialog = page.getByRole("dialog", { name: "核实并更正" });
    await dialog.waitFor();
    await dialog.getByTestId("correct-column").click();
    await page.locator(".ant-select-dropdown .ant-select-item-option", { hasText: "出生日期" }).first().click();
    await dialog.getByLabel("更正后的值").fill("1980-05-06");
    await dialog.getByLabel("处理说明").fill("经核实，出生日期以户籍登记为准");
    await shot("28c-objection-correct-whole-record", false);
    await dialog.getByRole("button", { name: /确\s*定/ }).click();
    await page.getByText("已更正").first().waitFor();
    await shot("28d-objection-corrected");
    const api = await (await page.request.get(`${base}/api/datasets?entry=${entryId}`)).json();
    assert.equal(api.items[0].currentVersion, nextVersion + 1, "the correction made a new version");
  });

  await t.test("English switch translates the dataset page", async () => {
    await page.goto(`${base}/data/${entryId}?tab=quality`);
    await page.getByTestId("lang-switch").click();
    await page.getByRole("tab", { name: "Quality" }).waitFor();
    await page.getByText("Overall quality score").waitFor();
    await page.waitForTimeout(800);
    await shot("28-quality-report-english");
    await page.getByTestId("lang-switch").click();
    await page.getByRole("tab", { name: "质量" }).waitFor();
  });
});
