import assert from "node:assert/strict";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, type TestPlatform } from "./helpers.ts";
import { PERSON_ITEMS, personRow, rng } from "../src/modules/ingest/fixtures.ts";

/**
 * Test doubles of the opening module: a platform with a provider department, its officer, an admin,
 * and three published entries with data — 无条件开放, 有条件开放 and 不予开放 — each holding
 * `rows` person rows (names and ID numbers, so masking shows).
 */
export interface OpenFixture {
  t: TestPlatform;
  admin: string;
  officer: string;
  otherOfficer: string;
  providerOrgId: string;
  entries: { free: string; cond: string; closed: string };
  datasets: { free: string; cond: string; closed: string };
  codes: { free: string; cond: string; closed: string };
}

const csvOf = (n: number, seed: number) => {
  const r = rng(seed);
  const rows = Array.from({ length: n }, (_, k) => personRow(k, r, false, null));
  return `${[PERSON_ITEMS.map((i) => i.name), ...rows].map((row) => row.map((c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",")).join("\r\n")}\r\n`;
};

export async function openFixture(opts: { rows?: number } = {}): Promise<OpenFixture> {
  const t = await createTestPlatform();
  t.platform.services.opening.configure({ anonymousRatePerSec: 10_000 });
  const city = await makeOrg(t.platform, "开放市数据局", "city");
  const dept = await makeOrg(t.platform, "开放市人社局", "department", city.id);
  const dept2 = await makeOrg(t.platform, "开放市公安局", "department", city.id);
  await makeUser(t.platform, "openadmin", city.id, ["platform_admin"]);
  await makeUser(t.platform, "openofficer", dept.id, ["data_officer"]);
  await makeUser(t.platform, "otherofficer", dept2.id, ["data_officer"]);
  const admin = await login(t.app, "openadmin");
  const officer = await login(t.app, "openofficer");
  const otherOfficer = await login(t.app, "otherofficer");
  const make = async (name: string, over: Record<string, unknown>, seed: number) => {
    const content = sampleContent({ name, items: PERSON_ITEMS, shareType: "无条件共享", shareConditions: undefined, notOpenBasis: undefined, keywords: ["社保", name.slice(0, 2)], generalLevel: 3, ...over });
    const e = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content } });
    assert.equal(e.statusCode, 201, e.body);
    const id = e.json().entry.id;
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${id}/submit`, cookie: officer })).statusCode, 200);
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${id}/review`, cookie: admin, body: { decision: "approve" } })).statusCode, 200);
    const up = await call(t.app, {
      method: "POST", url: `/api/datasets/upload?entry=${id}&wait=true`, cookie: officer, body: Buffer.from(csvOf(opts.rows ?? 30, seed)),
      headers: { "content-type": "application/octet-stream", "x-filename": "data.csv" },
    });
    assert.equal(up.statusCode, 201, up.body);
    return { id, code: e.json().entry.code as string, datasetId: up.json().datasetId as string };
  };
  const free = await make("参保人员名录", { openType: "无条件开放", theme: "社会保障" }, 1);
  const cond = await make("参保缴费明细", { openType: "有条件开放", openConditions: "用于科研与公益，签署安全承诺", theme: "社会保障" }, 2);
  const closed = await make("参保人员身份信息", { openType: "不予开放", notOpenBasis: "《个人信息保护法》", theme: "人口" }, 3);
  await t.platform.services.opening.refreshIndex(true);
  return {
    t, admin, officer, otherOfficer, providerOrgId: dept.id,
    entries: { free: free.id, cond: cond.id, closed: closed.id },
    datasets: { free: free.datasetId, cond: cond.datasetId, closed: closed.datasetId },
    codes: { free: free.code, cond: cond.code, closed: closed.code },
  };
}

/** Register a public user, log in, and create an API key; returns the cookie and the key. */
export async function registeredKey(t: TestPlatform, username: string, body: Record<string, unknown> = {}): Promise<{ cookie: string; key: string; keyId: string; userId: string }> {
  const r = await call(t.app, { method: "POST", url: "/api/auth/register", body: { accountType: "individual", username, displayName: username, password: "Public-password-2026", ...body } });
  assert.equal(r.statusCode, 201, r.body);
  const cookie = await login(t.app, username, "Public-password-2026");
  const k = await call(t.app, { method: "POST", url: "/api/tokens", cookie, body: { name: "open-api" } });
  assert.equal(k.statusCode, 201, k.body);
  return { cookie, key: k.json().token.secret, keyId: k.json().token.id, userId: r.json().user.id };
}

/** The parsed leaf of a ledger entry. */
export async function ledgerLeaf(t: TestPlatform, index: number): Promise<{ kind: string; subject: string; actor: string | null; digest: string | null; data: Record<string, any> }> {
  return JSON.parse((await t.platform.services.ledger.entry(index)).leaf);
}

/** Upload a new version of one of the fixture's datasets (e.g. a correction); the officer uploads it. */
export async function uploadVersion(f: OpenFixture, which: keyof OpenFixture["entries"], opts: { rows?: number; seed?: number } = {}): Promise<void> {
  const up = await call(f.t.app, {
    method: "POST", url: `/api/datasets/upload?entry=${f.entries[which]}&wait=true`, cookie: f.officer, body: Buffer.from(csvOf(opts.rows ?? 30, opts.seed ?? 9)),
    headers: { "content-type": "application/octet-stream", "x-filename": "data.csv" },
  });
  assert.equal(up.statusCode, 201, up.body);
}
