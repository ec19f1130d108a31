/**
 * What the browser tests share: Debian's Chromium launched headless through playwright-core, a
 * zh-CN page of the desktop size, waiting for the page to settle, screenshots into
 * test-results/screenshots/, and logging in and out through the UI.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const SHOTS = path.resolve("test-results", "screenshots");

/** Chromium (CHROMIUM_PATH, default Debian's /usr/bin/chromium) with a fresh temporary profile of its own. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A new context and page: 1440×900, zh-CN, Asia/Shanghai; browser errors go to the test's output. */
export async function openPage(browser: Browser, timeoutMs = 15_000): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai", deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on("pageerror", (e) => console.error("[browser error]", e.message));
  return { context, page };
}

/** Wait until the network is quiet, no spinner shows and every animation has finished. */
export async function settle(p: Page): Promise<void> {
  await p.waitForLoadState("networkidle").catch(() => {});
  await p.waitForFunction(() => !document.querySelector(".ant-spin-spinning, .ant-skeleton-active, .ant-btn-loading"), null, { timeout: 10_000 }).catch(() => {});
  await p.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity), null, { timeout: 5_000 }).catch(() => {});
  // Let toasts go, so they do not cover the header in screenshots.
  await p.waitForFunction(() => !document.querySelector(".ant-message-notice"), null, { timeout: 6_000 }).catch(() => {});
  await p.waitForTimeout(250);
}

/** A settled screenshot named `name`.png (a full-page capture starts from the top: a scrolled page draws the sticky header mid-page). */
export async function shot(p: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await p.evaluate(() => window.scrollTo(0, 0));
  await settle(p);
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Log in through the login page (then at `next`, default the home page). */
export async function login(p: Page, base: string, username: string, password: string, next?: string): Promise<void> {
  await p.goto(`${base}/login${next ? `?next=${next}` : ""}`);
  await p.getByLabel("用户名").fill(username);
  await p.getByLabel("密码").fill(password);
  await p.getByRole("button", { name: /登\s*录/ }).click();
  await p.waitForURL((u) => !u.pathname.startsWith("/login"));
  await p.getByTestId("user-menu").waitFor();
}

/**
 * Log out through the user menu. The menu opens on hover; on a loaded CI machine it can close again
 * before the click lands, so hover and click are retried until the login page shows (seen once in CI).
 */
export async function logout(p: Page): Promise<void> {
  const loginButton = p.getByRole("button", { name: /登\s*录/ });
  for (let attempt = 1; ; attempt++) {
    try {
      await p.getByTestId("user-menu").hover({ timeout: 5_000 });
      await p.getByRole("menuitem", { name: "退出登录" }).click({ timeout: 5_000 });
      await loginButton.waitFor({ timeout: 10_000 });
      return;
    } catch (err) {
      if (await loginButton.isVisible()) return;
      if (attempt >= 3) throw err;
    }
  }
}
