import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BASE_THEMES, CATEGORY_DIGIT, EntryContent, SUBJECT_THEMES, type EntryContentInput } from "../modules/catalog/schema.ts";
import {
  FORMATS_BY_CATEGORY,
  generateDemoCity,
  generateEntries,
  generateOrgs,
  isValidUscc,
  orgCodeCheck,
  uscc,
  type DemoEntry,
} from "./generator.ts";

const sha256 = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex");

/** The catalog rules of RULES.md §2.3/§5.5 as the demo must honour them; returns the violations. */
function ruleViolations(e: DemoEntry): string[] {
  const c = e.content;
  const bad: string[] = [];
  const has = (s: string | undefined) => typeof s === "string" && s.trim().length > 0;
  if (c.shareType === "不予共享" && !has(c.notShareBasis)) bad.push("不予共享 without notShareBasis");
  if (c.shareType === "有条件共享" && !has(c.shareConditions)) bad.push("有条件共享 without shareConditions");
  if (c.openType === "有条件开放" && !has(c.openConditions)) bad.push("有条件开放 without openConditions");
  if (c.openType === "不予开放" && !has(c.notOpenBasis)) bad.push("不予开放 without notOpenBasis");
  if (c.grade === "核心" && (c.shareType === "无条件共享" || c.openType !== "不予开放")) bad.push("核心 shared unconditionally or opened");
  if (c.grade === "重要" && c.openType !== "不予开放") bad.push("重要 opened");
  if (c.openType === "无条件开放" && c.shareType !== "无条件共享") bad.push("opened unconditionally but not shared unconditionally");
  if (c.grade === "一般" ? c.generalLevel === undefined : c.generalLevel !== undefined) bad.push("generalLevel only and always for 一般");
  const items = c.items ?? [];
  if (items.length < 3 || items.length > 30) bad.push(`items ${items.length}`);
  if (new Set(items.map((i) => i.name)).size !== items.length) bad.push("duplicate item names");
  if (items.some((i) => i.sensitive)) {
    if (!(c.grade === "重要" || (c.grade === "一般" && (c.generalLevel ?? 0) >= 3))) bad.push("sensitive items with a low grade");
    if (c.shareType !== "有条件共享") bad.push("sensitive items not 有条件共享");
    if (c.openType !== "不予开放" && c.openType !== "有条件开放") bad.push("sensitive items opened unconditionally");
  }
  if (!/^[123]\d{5}$/.test(c.classCode)) bad.push(`classCode ${c.classCode}`);
  if (c.classCode[0] !== CATEGORY_DIGIT[c.category]) bad.push("classCode category digit");
  if (c.category === "基础" && !(BASE_THEMES as readonly string[]).includes(c.theme)) bad.push(`基础 theme ${c.theme}`);
  if (c.category === "主题" && !(SUBJECT_THEMES as readonly string[]).includes(c.theme)) bad.push(`主题 theme ${c.theme}`);
  if (!/^\d{6}$/.test(e.seq)) bad.push(`seq ${e.seq}`);
  const allowed = FORMATS_BY_CATEGORY[c.formatCategory] ?? [];
  if (!c.formats.every((f) => allowed.includes(f))) bad.push(`formats ${c.formats} vs ${c.formatCategory}`);
  if (c.shareMethodType === "文件" && c.formatCategory === "数据库") bad.push("database shared as 文件");
  if ((c.shareMethodType === "数据库" || c.shareMethodType === "接口") && !["数据库", "自描述格式"].includes(c.formatCategory)) bad.push("file shared as 数据库/接口");
  if (c.shareType === "不予共享" && c.shareMethodType) bad.push("不予共享 with a sharing method");
  if (!/^0\d{3}-\d{7}$/.test(c.contact.phone)) bad.push(`phone ${c.contact.phone}`);
  return bad;
}

function share(xs: DemoEntry[], f: (c: EntryContentInput) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of xs) out[f(e.content)] = (out[f(e.content)] ?? 0) + 1;
  for (const k of Object.keys(out)) out[k] = Math.round((out[k] / xs.length) * 1000) / 10;
  return out;
}

describe("uscc", () => {
  it("verifies the GB 32100 vectors", () => {
    assert.equal(isValidUscc("91110000600037341L"), true);
    assert.equal(isValidUscc("91350100M000100Y43"), true);
    assert.equal(isValidUscc("91110000600037341M"), false);
    assert.equal(isValidUscc("91110000600037342L"), false);
  });
  it("builds the vectors from their parts, including the GB 11714 check digit", () => {
    assert.equal(orgCodeCheck("60003734"), "1");
    assert.equal(orgCodeCheck("M000100Y"), "4");
    assert.equal(uscc("91", "110000", "60003734"), "91110000600037341L");
    assert.equal(uscc("91", "350100", "M000100Y"), "91350100M000100Y43");
  });
  it("rejects malformed parts", () => {
    assert.throws(() => uscc("11", "34090", "01234567"));
    assert.throws(() => uscc("11", "340900", "0123456"));
    assert.throws(() => uscc("1I", "340900", "01234567"));
  });
});

describe("generateDemoCity", () => {
  const city = generateDemoCity({});

  it("is deterministic for a seed and differs across seeds", () => {
    assert.equal(sha256(generateDemoCity({})), sha256(city));
    assert.equal(sha256(generateDemoCity({ seed: 20261123, entries: 2000, cityName: "江城市" })), sha256(city));
    assert.notEqual(sha256(generateDemoCity({ seed: 7 }).entries), sha256(city.entries));
    // Organisations and users do not depend on the seed (stable logins).
    assert.equal(sha256(generateDemoCity({ seed: 7, entries: 5 }).users), sha256(city.users));
  });

  it("has the organisation tree city → district → department with valid, unique codes", () => {
    const { orgs } = city;
    const byKey = new Map(orgs.map((o) => [o.key, o]));
    assert.equal(byKey.size, orgs.length, "unique keys");
    assert.equal(new Set(orgs.map((o) => o.code)).size, orgs.length, "unique codes");
    for (const o of orgs) {
      assert.ok(isValidUscc(o.code), `${o.name} ${o.code}`);
      if (o.kind !== "enterprise") assert.match(o.code, /^1[12]340\d{3}/, o.name);
      if (o.parentKey) assert.ok(byKey.has(o.parentKey), `${o.key} parent`);
    }
    assert.equal(orgs.filter((o) => o.kind === "city").length, 1);
    assert.equal(orgs.find((o) => o.kind === "city")!.key, "city");
    const districts = orgs.filter((o) => o.kind === "district");
    assert.equal(districts.length, 4);
    for (const d of districts) assert.ok(orgs.some((o) => o.kind === "department" && o.parentKey === d.key), d.name);
    const depts = orgs.filter((o) => o.kind === "department");
    assert.ok(depts.length >= 38 && depts.length <= 42, `departments ${depts.length}`);
    assert.equal(byKey.get("gaj")!.name, "江城市公安局");
    assert.equal(byKey.get("gaj")!.code.slice(0, 2), "11");
    assert.equal(byKey.get("sjj")!.shortName, "市数据局");
    assert.equal(generateOrgs("河城市").find((o) => o.key === "gaj")!.name, "河城市公安局");
  });

  it("has the users the README documents", () => {
    const byName = new Map(city.users.map((u) => [u.username, u]));
    assert.equal(byName.size, city.users.length, "unique usernames");
    assert.deepEqual(byName.get("admin")?.roles, ["platform_admin"]);
    assert.equal(byName.get("admin")?.orgKey, "sjj");
    for (const o of city.orgs.filter((x) => x.kind === "department")) {
      assert.deepEqual(byName.get(`officer_${o.key}`)?.roles, ["data_officer"], o.key);
    }
    assert.equal(byName.get("officer_gaj")?.orgKey, "gaj");
    assert.equal(byName.get("price")?.orgKey, "fgw");
    assert.deepEqual(byName.get("price")?.roles, ["price_authority"]);
    assert.equal(byName.get("regulator")?.orgKey, "wxb");
    for (const r of ["dept_user", "operator", "customer", "regulator"] as const) {
      assert.ok(city.users.some((u) => u.roles.includes(r)), r);
    }
    const orgKeys = new Set(city.orgs.map((o) => o.key));
    for (const u of city.users) assert.ok(orgKeys.has(u.orgKey), u.username);
  });

  it("has 2000 entries, about 50 per department, each valid under the schema and the catalog rules", () => {
    assert.equal(city.entries.length, 2000);
    const perDept = new Map<string, number>();
    for (const e of city.entries) perDept.set(e.orgKey, (perDept.get(e.orgKey) ?? 0) + 1);
    const depts = city.orgs.filter((o) => o.kind === "department");
    assert.equal(perDept.size, depts.length, "every department has entries");
    for (const [k, n] of perDept) assert.ok(n >= 25 && n <= 90, `${k}: ${n}`);
    const seen = new Set<string>();
    const themeXiang = new Map<string, string>();
    for (const e of city.entries) {
      const parsed = EntryContent.safeParse(e.content);
      assert.ok(parsed.success, `${e.content.name}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues)}`);
      assert.deepEqual(ruleViolations(e), [], e.content.name);
      const key = `${e.content.classCode}/${e.seq}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      const tk = `${e.content.category}:${e.content.theme}`;
      const xiang = e.content.classCode.slice(0, 3);
      assert.equal(themeXiang.get(tk) ?? xiang, xiang, `theme ${tk} has one 项`);
      themeXiang.set(tk, xiang);
    }
  });

  it("roughly follows the target distributions", () => {
    const xs = city.entries;
    const s = share(xs, (c) => c.shareType);
    const o = share(xs, (c) => c.openType);
    const g = share(xs, (c) => c.grade);
    const st: Record<string, number> = {};
    for (const e of xs) st[e.state] = (st[e.state] ?? 0) + 1;
    const near = (v: number | undefined, t: number, tol: number, what: string) => assert.ok(Math.abs((v ?? 0) - t) <= tol, `${what}: ${v} vs ${t}`);
    near(s["无条件共享"], 45, 4, "无条件共享");
    near(s["有条件共享"], 45, 4, "有条件共享");
    near(s["不予共享"], 10, 3, "不予共享");
    near(o["无条件开放"], 25, 4, "无条件开放");
    near(o["有条件开放"], 25, 4, "有条件开放");
    near(o["不予开放"], 50, 4, "不予开放");
    near(g["一般"], 85, 4, "一般");
    near(g["重要"], 13, 3, "重要");
    near(g["核心"], 2, 1.5, "核心");
    near((st.published / xs.length) * 100, 92, 3, "published");
    near(((st.submitted ?? 0) / xs.length) * 100, 5, 2, "submitted");
    near(((st.draft ?? 0) / xs.length) * 100, 3, 2, "draft");
    const personal = xs.filter((e) => e.content.items!.some((i) => i.sensitive)).length;
    assert.ok(personal > 200, `entries with personal items: ${personal}`);
    for (const cat of ["基础", "主题", "部门"]) assert.ok(xs.some((e) => e.content.category === cat), cat);
    assert.ok(new Set(xs.flatMap((e) => e.content.domains ?? [])).size === 12, "all twelve domains appear");
  });
});

describe("generateEntries", () => {
  it("streams 100,000 entries quickly without duplicate (classCode, seq)", () => {
    const orgs = generateOrgs();
    const seen = new Set<string>();
    const t0 = performance.now();
    let n = 0;
    for (const e of generateEntries({ seed: 42, count: 100_000, orgs })) {
      const key = `${e.content.classCode}/${e.seq}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      if (n % 97 === 0) {
        assert.ok(EntryContent.safeParse(e.content).success, e.content.name);
        assert.deepEqual(ruleViolations(e), [], e.content.name);
      }
      n++;
    }
    const ms = performance.now() - t0;
    assert.equal(n, 100_000);
    assert.ok(ms < 20_000, `took ${ms} ms`);
  });

  it("works for a caller's own organisations (generic templates)", () => {
    const orgs = [
      { key: "x", name: "某市某局", shortName: "市某局", code: uscc("11", "340900", "01234567"), kind: "department" as const, parentKey: null },
    ];
    const xs = [...generateEntries({ seed: 1, count: 200, orgs })];
    assert.equal(xs.length, 200);
    for (const e of xs) {
      assert.ok(EntryContent.safeParse(e.content).success);
      assert.deepEqual(ruleViolations(e), []);
    }
  });
});
