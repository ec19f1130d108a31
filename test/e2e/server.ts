/**
 * Start the real Gongshu server in-process for browser tests: a fresh temp data dir, the demo city
 * (a small one, for speed), the built web app (web/dist, built here if missing), a free port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface TestServer {
  url: string;
  dataDir: string;
  password: string;
  admin: string;
  officer: { username: string; orgName: string };
  close(): Promise<void>;
}

/** Build web/dist unless it is there (set GONGSHU_E2E_REBUILD=1 to force). */
export function ensureWebBuilt(): void {
  const index = path.join(ROOT, "web", "dist", "index.html");
  if (fs.existsSync(index) && process.env.GONGSHU_E2E_REBUILD !== "1") return;
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

/**
 * `population`: rows of the demo 人口库 the seed loads (default 20,000, env GONGSHU_E2E_POPULATION: small for speed);
 * `datasets: false` skips the demo datasets.
 */
export async function startServer(opts: { entries?: number; population?: number; datasets?: boolean } = {}): Promise<TestServer> {
  ensureWebBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-"));
  const { createPlatform } = await import("../../src/app.ts");
  const { seedDemo, DEMO_PASSWORD } = await import("../../src/cli/seed.ts");
  const p = await createPlatform({ dataDir, port: 0, host: "127.0.0.1", demo: true, logLevel: "warn" });
  const population = opts.population ?? (Number(process.env.GONGSHU_E2E_POPULATION) || 20_000);
  await seedDemo(p, { entries: opts.entries ?? 60, progress: false, population, ...(opts.datasets === false ? { datasets: false } : {}) });
  const users = await p.services.identity.listUsers();
  const admin = users.find((u) => u.roles.includes("platform_admin"));
  const officer = users.find((u) => u.roles.includes("data_officer"));
  if (!admin || !officer) throw new Error("demo city lacks an admin or a data officer");
  const app = await p.http();
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    password: DEMO_PASSWORD,
    admin: admin.username,
    officer: { username: officer.username, orgName: officer.org?.name ?? "" },
    async close() {
      await app.close();
      await p.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FreshServer {
  url: string;
  dataDir: string;
  /** The platform behind the server, to seed through its services (the first admin, say) before the test drives the API. */
  platform: import("../../src/app.ts").Platform;
  close(): Promise<void>;
}

/** The real server on a fresh, empty platform (no demo city): a temp data dir, the built web app, a free port. */
export async function startFreshServer(): Promise<FreshServer> {
  ensureWebBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-e2e-fresh-"));
  const { createPlatform } = await import("../../src/app.ts");
  const p = await createPlatform({ dataDir, port: 0, host: "127.0.0.1", logLevel: "warn" });
  const app = await p.http();
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    platform: p,
    async close() {
      await app.close();
      await p.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An HTTP client for a test's setup: JSON in and out (a Buffer body is sent raw), throwing on a non-2xx answer. */
export type ApiClient = <T>(method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/** Log `username` in at `base` and return a client that sends its session cookie. */
export async function apiSession(base: string, username: string, password: string): Promise<ApiClient> {
  const res = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const raw = Buffer.isBuffer(body);
    const r = await fetch(base + url, {
      method,
      headers: { cookie, ...(body !== undefined && !raw ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : raw ? new Uint8Array(body as Buffer) : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${url} → ${r.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
