import crypto from "node:crypto";
import pg from "pg";
import type { LightMyRequestResponse } from "fastify";
import { createPlatform, type Platform } from "../src/app.ts";
import type { App } from "../src/core/http.ts";
import type { Config } from "../src/core/config.ts";
import { openDatabase, type Database } from "../src/core/db.ts";
import type { Role } from "../src/modules/policy/index.ts";

/**
 * The engine under test: GONGSHU_TEST_DB=postgres with GONGSHU_TEST_PG_URL pointing at a server
 * (each test file gets a database of its own, dropped at the end), else in-memory PGlite.
 */
export const TEST_ENGINE: "pglite" | "postgres" = process.env.GONGSHU_TEST_DB === "postgres" ? "postgres" : "pglite";

export interface TestPlatform {
  platform: Platform;
  app: App;
  close(): Promise<void>;
}

/** A fresh PostgreSQL database on the test server (for GONGSHU_TEST_DB=postgres), dropped by `drop()`. */
async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.GONGSHU_TEST_PG_URL;
  if (!adminUrl) throw new Error("GONGSHU_TEST_DB=postgres needs GONGSHU_TEST_PG_URL");
  const name = `gs_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A bare database (no migrations) on the engine under test, for module tests below the platform. */
export async function openTestDatabase(): Promise<Database> {
  if (TEST_ENGINE === "pglite") return openDatabase({ pgliteDir: "memory://" });
  const fresh = await freshPgDatabase();
  const d = await openDatabase({ databaseUrl: fresh.url, poolSize: 10 });
  return { ...d, close: async () => { await d.close(); await fresh.drop(); } };
}

export async function createTestPlatform(overrides: Partial<Config> = {}): Promise<TestPlatform> {
  const fresh = TEST_ENGINE === "postgres" ? await freshPgDatabase() : undefined;
  const platform = await createPlatform({ dataDir: "memory://", logLevel: "silent", ...(fresh ? { databaseUrl: fresh.url } : {}), ...overrides });
  const app = await platform.http();
  await app.ready();
  return {
    platform,
    app,
    async close() {
      await app.close();
      await platform.close();
      await fresh?.drop();
    },
  };
}

export const TEST_PASSWORD = "Test-password-2026";

/** Factories: an organisation and a user in it, through the identity service. */
export async function makeOrg(p: Platform, name: string, kind: "city" | "district" | "department" = "department", parentId?: string) {
  return p.services.identity.createOrg({ name, kind, parentId });
}
export async function makeUser(p: Platform, username: string, orgId: string, roles: Role[]) {
  return p.services.identity.createUser({ username, displayName: username, orgId, roles, password: TEST_PASSWORD });
}

/** Log in through the HTTP API; returns the cookie header for later requests. */
export async function login(app: App, username: string, password = TEST_PASSWORD): Promise<string> {
  const r = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === "gongshu_session");
  if (!c) throw new Error("no session cookie");
  return `gongshu_session=${c.value}`;
}

export interface Call {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export async function call(app: App, c: Call): Promise<LightMyRequestResponse & { json: () => any }> {
  const r = await app.inject({
    method: c.method ?? "GET",
    url: c.url,
    headers: { ...(c.cookie ? { cookie: c.cookie } : {}), ...(c.headers ?? {}) },
    ...(c.body !== undefined ? (Buffer.isBuffer(c.body) || typeof c.body === "string" ? { payload: c.body } : { payload: c.body as object }) : {}),
  });
  return r as LightMyRequestResponse & { json: () => any };
}

/** A valid catalog entry content for tests; override what a test is about. */
export function sampleContent(over: Record<string, unknown> = {}) {
  return {
    name: "常住人口基本信息",
    summary: "本市常住人口的姓名、性别、出生日期、户籍地址等基本信息，用于政务服务身份核验。",
    category: "基础",
    classCode: "101001",
    theme: "人口",
    domains: ["城市治理"],
    keywords: ["人口", "户籍"],
    formatCategory: "数据库",
    formats: ["KingbaseES"],
    items: [
      { name: "姓名", type: "字符型", length: 50, sensitive: true, required: true },
      { name: "公民身份号码", type: "字符型", length: 18, sensitive: true, required: true },
      { name: "出生日期", type: "日期型", sensitive: false },
    ],
    shareType: "有条件共享",
    shareConditions: "仅限依法履职需要，经提供部门审核同意",
    shareMethod: "共享平台方式",
    shareMethodType: "接口",
    openType: "不予开放",
    notOpenBasis: "《中华人民共和国个人信息保护法》",
    updateCycle: "每日",
    sourceSystem: { name: "人口管理信息系统" },
    grade: "一般",
    generalLevel: 4,
    contact: { name: "张敏", phone: "0571-88880001" },
    ...over,
  };
}
