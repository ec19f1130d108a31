/**
 * A seeded, reproducible demo city: organisations with valid 统一社会信用代码, users, and catalog entries that
 * satisfy `EntryContent` and the catalog rules of RULES.md §2 and §5. Pure functions, no database, no clock,
 * no Math.random: the same seed gives byte-identical output.
 */
import { mulberry32 } from "../core/random.ts";
import type { EntryContentInput } from "../modules/catalog/index.ts";
import { BASE_THEMES, CATEGORY_DIGIT, DOMAINS, SUBJECT_THEMES } from "../modules/catalog/index.ts";
import {
  AREA_CODE,
  CITY_DEPTS,
  CITY_REGION,
  DISTRICT_DEPT,
  DISTRICTS,
  DOMAIN_USES,
  GENERIC_DEPT,
  GIVEN_CHARS,
  NOT_OPEN_BASIS,
  NOT_SHARE_BASIS_BY_DEPT,
  NOT_SHARE_BASIS_GENERIC,
  OPEN_CONDITIONS,
  SHARE_CONDITIONS,
  SURNAMES,
  THEME_DOMAIN,
  itemDef,
  type DeptSpec,
} from "./data.ts";

// ---------------------------------------------------------------------------------------------------------
// Public types

export type DemoRole = "platform_admin" | "data_officer" | "dept_user" | "operator" | "customer" | "price_authority" | "regulator";

export interface DemoOrg {
  key: string;
  name: string;
  shortName: string;
  /** Valid 统一社会信用代码 (GB 32100 check character, GB 11714 organisation-code check digit). */
  code: string;
  /**
   * "enterprise" is used only for the operator and the customer (运营机构, 数商): they are companies, not
   * government organs, so they sit outside the city → district → department tree (parentKey null).
   */
  kind: "city" | "district" | "department" | "enterprise";
  parentKey: string | null;
}

export interface DemoUser {
  username: string;
  displayName: string;
  orgKey: string;
  roles: DemoRole[];
}

export interface DemoEntry {
  orgKey: string;
  /** Zero-padded 6-digit sequence, unique per classCode. */
  seq: string;
  content: EntryContentInput;
  state: "published" | "submitted" | "draft";
}

export interface DemoCity {
  cityName: string;
  orgs: DemoOrg[];
  users: DemoUser[];
  entries: DemoEntry[];
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_ENTRIES = 2000;
export const DEFAULT_CITY = "江城市";

// ---------------------------------------------------------------------------------------------------------
// PRNG

/** The seeded PRNG (one implementation, in core). */
export { mulberry32 };

/** FNV-1a over UTF-16 code units; used to derive stable sub-seeds from keys. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T extends { w: number }>(xs: readonly T[], total: number): T {
    let r = this.next() * total;
    for (const x of xs) {
      r -= x.w;
      if (r < 0) return x;
    }
    return xs[xs.length - 1];
  }
  /** k distinct elements, in their original order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    if (k >= xs.length) return [...xs];
    const idx = new Set<number>();
    while (idx.size < k) idx.add(this.int(xs.length));
    return [...idx].sort((a, b) => a - b).map((i) => xs[i]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714)

const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function orgCharValue(c: string): number {
  if (/^[0-9]$/.test(c)) return c.charCodeAt(0) - 48;
  if (/^[A-Z]$/.test(c)) return c.charCodeAt(0) - 55; // A = 10 … Z = 35
  throw new Error(`组织机构代码含非法字符: ${c}`);
}

/** GB 11714 check digit of an 8-character organisation code body. */
export function orgCodeCheck(body8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body8)) throw new Error(`组织机构代码本体应为 8 位数字或大写字母: ${body8}`);
  let s = 0;
  for (let i = 0; i < 8; i++) s += orgCharValue(body8[i]) * ORG_WEIGHTS[i];
  const r = 11 - (s % 11);
  return r === 10 ? "X" : r === 11 ? "0" : String(r);
}

/** GB 32100 check character of the first 17 characters. */
export function usccCheck(first17: string): string {
  if (first17.length !== 17) throw new Error("统一社会信用代码前 17 位长度错误");
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]);
    if (v < 0) throw new Error(`统一社会信用代码含非法字符: ${first17[i]}`);
    s += v * USCC_WEIGHTS[i];
  }
  return USCC_CHARSET[(31 - (s % 31)) % 31];
}

/** Builds a valid USCC: 登记管理部门码+机构类别码 (2) + 行政区划码 (6) + 组织机构代码 (8 + GB 11714 check) + check. */
export function uscc(prefix2: string, region6: string, orgCode8: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(prefix2)) throw new Error(`登记管理部门码和机构类别码无效: ${prefix2}`);
  if (!/^\d{6}$/.test(region6)) throw new Error(`行政区划码应为 6 位数字: ${region6}`);
  const body = orgCode8 + orgCodeCheck(orgCode8);
  const first17 = prefix2 + region6 + body;
  return first17 + usccCheck(first17);
}

/** Whether a string is a valid USCC (charset, GB 32100 check character and embedded GB 11714 check digit). */
export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  if (usccCheck(code.slice(0, 17)) !== code[17]) return false;
  try {
    return orgCodeCheck(code.slice(8, 16)) === code[16];
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Organisations and users (independent of the seed: stable logins for the README)

function govOrgCode(n: number): string {
  // Government organ codes are usually all digits with a leading zero.
  return "0" + String(1_203_517 + n * 40_127).padStart(7, "0").slice(-7);
}

function fill(template: string, city: string): string {
  return template.replace("{city}", city);
}

export function generateOrgs(cityName: string = DEFAULT_CITY): DemoOrg[] {
  const cityShort = cityName.replace(/市$/, "");
  const orgs: DemoOrg[] = [];
  let n = 0;
  orgs.push({ key: "city", name: `${cityName}人民政府办公室`, shortName: "市政府办公室", code: uscc("11", CITY_REGION, govOrgCode(n++)), kind: "city", parentKey: null });
  for (const d of CITY_DEPTS) {
    orgs.push({
      key: d.key,
      name: d.fullName ? fill(d.fullName, cityName) : `${cityName}${d.name}`,
      shortName: d.shortName ?? `市${d.name}`,
      code: uscc(d.uscc ?? "11", CITY_REGION, govOrgCode(n++)),
      kind: "department",
      parentKey: "city",
    });
  }
  for (const dist of DISTRICTS) {
    orgs.push({ key: dist.key, name: fill(dist.fullName, cityName), shortName: dist.name, code: uscc("11", dist.region, govOrgCode(n++)), kind: "district", parentKey: "city" });
    orgs.push({
      key: `${dist.key}_sjj`,
      name: `${cityName}${dist.name}数据局`,
      shortName: `${dist.name}数据局`,
      code: uscc("11", dist.region, govOrgCode(n++)),
      kind: "department",
      parentKey: dist.key,
    });
  }
  orgs.push({ key: "op", name: `${cityShort}数据运营有限公司`, shortName: `${cityShort}数据运营`, code: uscc("91", CITY_REGION, "MA01B2K7"), kind: "enterprise", parentKey: null });
  orgs.push({ key: "cust", name: `${cityShort}智算科技有限公司`, shortName: `${cityShort}智算`, code: uscc("91", CITY_REGION, "MA02C3L8"), kind: "enterprise", parentKey: null });
  return orgs;
}

function chineseName(rng: Rng): string {
  const given = rng.chance(0.35) ? rng.pick([...GIVEN_CHARS]) : rng.pick([...GIVEN_CHARS]) + rng.pick([...GIVEN_CHARS]);
  return rng.pick([...SURNAMES]) + given;
}

/** Two staff names per organisation, stable for a key (the officer first). */
function staffNames(key: string): [string, string] {
  const rng = new Rng(hash32(`staff:${key}`));
  const a = chineseName(rng);
  let b = chineseName(rng);
  while (b === a) b = chineseName(rng);
  return [a, b];
}

export function generateUsers(orgs: DemoOrg[]): DemoUser[] {
  const users: DemoUser[] = [];
  const has = (k: string) => orgs.some((o) => o.key === k);
  if (has("sjj")) users.push({ username: "admin", displayName: staffNames("sjj:admin")[0], orgKey: "sjj", roles: ["platform_admin"] });
  for (const o of orgs) {
    if (o.kind !== "department") continue;
    users.push({ username: `officer_${o.key}`, displayName: staffNames(o.key)[0], orgKey: o.key, roles: ["data_officer"] });
  }
  for (const k of ["mzj", "rsj", "ybj", "scjgj", "jdq_sjj"]) {
    if (has(k)) users.push({ username: `user_${k}`, displayName: staffNames(`user:${k}`)[0], orgKey: k, roles: ["dept_user"] });
  }
  if (has("op")) users.push({ username: "operator", displayName: staffNames("op")[0], orgKey: "op", roles: ["operator"] });
  if (has("cust")) users.push({ username: "customer", displayName: staffNames("cust")[0], orgKey: "cust", roles: ["customer"] });
  if (has("fgw")) users.push({ username: "price", displayName: staffNames("fgw:price")[0], orgKey: "fgw", roles: ["price_authority"] });
  if (has("wxb")) users.push({ username: "regulator", displayName: staffNames("wxb:regulator")[0], orgKey: "wxb", roles: ["regulator"] });
  if (has("shenjj")) users.push({ username: "auditor", displayName: staffNames("shenjj:auditor")[0], orgKey: "shenjj", roles: ["regulator"] });
  return users;
}

// ---------------------------------------------------------------------------------------------------------
// Resource templates

type Cycle = EntryContentInput["updateCycle"];
type Fmt = "db" | "sheet" | "api" | "doc" | "gis";

interface Template {
  name: string;
  base: string[];
  subject: string[];
  items: string[];
  cycle: Cycle;
  fmt: Fmt;
  system: number;
  crit: boolean;
  /** Confidential business or statistical data (commercial secrets, 统计调查对象资料, 涉税信息). */
  sec: boolean;
  /** Holds personal information (any sensitive item). */
  personal: boolean;
  /** Holds highly sensitive personal information (一般数据4级). */
  high: boolean;
  /** Already an aggregate (no statistics variant derived from it). */
  stat: boolean;
}

const CYCLES: Record<string, Cycle> = { 实: "实时", 日: "每日", 周: "每周", 月: "每月", 季: "每季度", 半: "每半年", 年: "每年", 不: "不定期" };

function parseTemplates(spec: DeptSpec): Template[] {
  const out: Template[] = [];
  for (const raw of spec.res.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const [name, themes, items, flags] = line.split("|");
    const base: string[] = [];
    const subject: string[] = [];
    for (const t of themes.split(/\s+/).filter(Boolean)) {
      const theme = t.slice(1);
      if (t[0] === "b" && (BASE_THEMES as readonly string[]).includes(theme)) base.push(theme);
      else if (t[0] === "s" && (SUBJECT_THEMES as readonly string[]).includes(theme)) subject.push(theme);
      else throw new Error(`${spec.key}/${name}: unknown theme ${t}`);
    }
    const f = flags.split(/\s+/);
    const cycle = CYCLES[f[0]];
    if (!cycle) throw new Error(`${spec.key}/${name}: bad cycle ${f[0]}`);
    const list = items.split("、").map((s) => s.trim());
    const defs = list.map(itemDef);
    out.push({
      name,
      base,
      subject,
      items: list,
      cycle,
      fmt: f[1] as Fmt,
      system: Number(f[2] ?? 0),
      crit: f.includes("crit"),
      sec: f.includes("sec"),
      personal: defs.some((d) => d.sensitive),
      high: defs.some((d) => d.high),
      stat: /(统计|指数)$/.test(name),
    });
  }
  return out;
}

interface DeptRuntime {
  org: DemoOrg;
  spec: DeptSpec;
  area: string;
  /** 1-based number among the departments: the 目 of its class codes. */
  num: number;
  templates: Template[];
  district: string | null;
  contacts: [string, string];
  phone: string;
}

const SPEC_BY_KEY = new Map(CITY_DEPTS.map((d) => [d.key, d]));
const TEMPLATE_CACHE = new Map<DeptSpec, Template[]>();
function templatesOf(spec: DeptSpec): Template[] {
  let t = TEMPLATE_CACHE.get(spec);
  if (!t) TEMPLATE_CACHE.set(spec, (t = parseTemplates(spec)));
  return t;
}

/** 部门 category themes (business areas) in a fixed order: the 项 of 部门 class codes. */
const AREAS: string[] = [...CITY_DEPTS.map((d) => d.area)].filter((a, i, xs) => xs.indexOf(a) === i);

// ---------------------------------------------------------------------------------------------------------
// Attribute profiles: joint (grade, share, open) chosen so the marginals match the target distribution
//   share 无条件 45 / 有条件 45 / 不予 10; open 无条件 25 / 有条件 25 / 不予 50; grade 一般 85 / 重要 13 / 核心 2.
// personal: which templates may back the profile — "none" (no personal detail data: non-personal templates or
// aggregates), "l3" (also personal data without highly sensitive items), "any", "prefer" (personal or crit first).

type Grade = EntryContentInput["grade"];
type Share = EntryContentInput["shareType"];
type Open = EntryContentInput["openType"];
interface Profile {
  w: number;
  grade: Grade;
  level?: 1 | 2 | 3 | 4;
  share: Share;
  open: Open;
  personal: "none" | "l3" | "any" | "prefer";
  /** Backed only by templates flagged crit (and departments that have one). */
  crit?: boolean;
  /** Backed only by templates flagged sec or crit. */
  secret?: boolean;
}

const PROFILES: Profile[] = [
  { w: 10, grade: "一般", level: 1, share: "无条件共享", open: "无条件开放", personal: "none" },
  { w: 15, grade: "一般", level: 2, share: "无条件共享", open: "无条件开放", personal: "none" },
  { w: 10, grade: "一般", level: 2, share: "无条件共享", open: "有条件开放", personal: "none" },
  { w: 10, grade: "一般", level: 2, share: "无条件共享", open: "不予开放", personal: "none" },
  { w: 12, grade: "一般", level: 3, share: "有条件共享", open: "有条件开放", personal: "l3" },
  { w: 3, grade: "一般", level: 2, share: "有条件共享", open: "有条件开放", personal: "none" },
  { w: 10, grade: "一般", level: 3, share: "有条件共享", open: "不予开放", personal: "any" },
  { w: 10, grade: "一般", level: 4, share: "有条件共享", open: "不予开放", personal: "any" },
  { w: 10, grade: "重要", share: "有条件共享", open: "不予开放", personal: "prefer" },
  { w: 5, grade: "一般", level: 3, share: "不予共享", open: "不予开放", personal: "none", secret: true },
  { w: 3, grade: "重要", share: "不予共享", open: "不予开放", personal: "none", crit: true },
  { w: 2, grade: "核心", share: "不予共享", open: "不予开放", personal: "none", crit: true },
];
const PROFILE_TOTAL = PROFILES.reduce((s, p) => s + p.w, 0);

const STATES: { w: number; s: DemoEntry["state"] }[] = [
  { w: 92, s: "published" },
  { w: 5, s: "submitted" },
  { w: 3, s: "draft" },
];

const FORMATS: Record<Fmt, { category: EntryContentInput["formatCategory"]; choices: string[][] }> = {
  db: { category: "数据库", choices: [] }, // the department's own database product
  sheet: { category: "电子表格", choices: [["xlsx"], ["xlsx"], ["xls"], ["csv"], ["xlsx", "csv"], ["et"]] },
  api: { category: "自描述格式", choices: [["json"], ["json"], ["json", "xml"], ["xml"]] },
  doc: { category: "电子文件", choices: [["pdf"], ["ofd"], ["docx", "pdf"]] },
  gis: { category: "图形图像", choices: [["shp"], ["shp", "tif"], ["gdb"]] },
};

/** Formats allowed per format category (used by the generator and checked by the tests). */
export const FORMATS_BY_CATEGORY: Record<string, string[]> = {
  数据库: ["KingbaseES", "Dm", "Oracle", "MySQL", "PostgreSQL", "GaussDB"],
  电子表格: ["xlsx", "xls", "csv", "et"],
  自描述格式: ["json", "xml"],
  电子文件: ["pdf", "ofd", "docx"],
  图形图像: ["shp", "tif", "gdb"],
};

const EXTRA_ITEMS = ["数据来源单位", "所属区县", "行政区划代码", "数据更新时间", "记录标识", "备注"];
const STAT_MEASURES = ["记录总数", "本期新增数", "本期注销数", "累计数", "同比增长率", "环比增长率", "占全市比重"];
const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025];
const CYCLE_TEXT: Record<Cycle, string> = {
  实时: "数据实时更新", 每日: "数据每日更新", 每周: "数据每周更新", 每月: "数据按月更新", 每季度: "数据按季度更新",
  每半年: "数据每半年更新一次", 每年: "数据按年度更新", 不定期: "数据不定期更新",
};

/** "常住人口基本信息" → "常住人口"; "交通违法处理信息" → "交通违法处理". */
function coreName(name: string): string {
  const c = name.replace(/(基本信息|登记信息|信息|数据|名录|名单)$/, "");
  return c.length >= 2 ? c : name;
}

function makeItem(name: string, required: boolean) {
  const d = itemDef(name);
  return {
    name,
    type: d.type,
    ...(d.length !== undefined ? { length: d.length } : {}),
    sensitive: d.sensitive,
    required,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Entries

function buildDepartments(orgs: DemoOrg[]): DeptRuntime[] {
  const byKey = new Map(orgs.map((o) => [o.key, o]));
  const depts: DeptRuntime[] = [];
  for (const org of orgs) {
    if (org.kind !== "department") continue;
    const known = SPEC_BY_KEY.get(org.key);
    const spec = known ?? (/_sjj$/.test(org.key) ? DISTRICT_DEPT : GENERIC_DEPT);
    const parent = org.parentKey ? byKey.get(org.parentKey) : undefined;
    const district = parent?.kind === "district" ? parent.shortName : null;
    const area = spec === GENERIC_DEPT ? org.shortName.replace(/^市/, "").replace(/(局|委员会|委|办公室|办|中心)$/, "") || "综合" : spec.area;
    const num = depts.length + 1;
    depts.push({
      org,
      spec,
      area,
      num,
      templates: templatesOf(spec),
      district,
      contacts: staffNames(org.key),
      phone: `${AREA_CODE}-${String(8_610_000 + num * 1_173 + (hash32(org.key) % 1000)).slice(0, 7)}`,
    });
  }
  if (depts.length === 0) throw new Error("generateEntries: no organisation of kind department");
  return depts;
}

/**
 * Streams `count` entries over the departments in `orgs`. Memory is bounded by the number of class codes
 * (one counter each), not by `count`.
 */
export function* generateEntries(opts: { seed: number; count: number; orgs: DemoOrg[] }): Generator<DemoEntry> {
  const rng = new Rng(opts.seed);
  const depts = buildDepartments(opts.orgs);
  const critDepts = depts.filter((d) => d.templates.some((t) => t.crit));
  const secretDepts = depts.filter((d) => d.templates.some((t) => (t.crit || t.sec) && !t.personal));
  if (critDepts.length === 0) critDepts.push(...depts);
  if (secretDepts.length === 0) secretDepts.push(...depts);
  const areaIndex = new Map(AREAS.map((a, i) => [a, i + 1]));
  const counters = new Map<string, number>();
  const load = new Map<DeptRuntime, number>();

  for (let i = 0; i < opts.count; i++) {
    const profile = rng.weighted(PROFILES, PROFILE_TOTAL);
    // Two random choices, keep the less loaded: departments stay close to count / departments.
    const pool = profile.crit ? critDepts : profile.secret ? secretDepts : depts;
    const d1 = rng.pick(pool);
    const d2 = rng.pick(pool);
    const dept = (load.get(d2) ?? 0) < (load.get(d1) ?? 0) ? d2 : d1;
    load.set(dept, (load.get(dept) ?? 0) + 1);

    // Template and variant (detail rows or an aggregate without personal data).
    let candidates: Template[];
    // Infrastructure and confidential data never back an opened or low-grade unconditionally shared entry.
    const restricted = profile.open === "不予开放" && (profile.grade !== "一般" || (profile.level ?? 0) >= 3 || profile.share !== "无条件共享");
    const usable = restricted ? dept.templates : dept.templates.filter((t) => !t.crit && !t.sec);
    const personalTpls = usable.filter((t) => t.personal);
    if (profile.crit) candidates = dept.templates.filter((t) => t.crit);
    else if (profile.secret) candidates = dept.templates.filter((t) => (t.crit || t.sec) && !t.personal);
    else if (profile.personal === "prefer") candidates = rng.chance(0.7) && personalTpls.length > 0 ? personalTpls : usable.filter((t) => t.personal || t.crit);
    else if (profile.personal === "any") candidates = rng.chance(0.85) ? personalTpls : usable;
    else if (profile.personal === "l3" && rng.chance(0.8)) candidates = usable.filter((t) => !t.high);
    else if (profile.personal === "none" && rng.chance(0.8)) candidates = usable.filter((t) => !t.personal);
    else candidates = usable;
    if (candidates.length === 0) candidates = usable.length > 0 ? usable : dept.templates;
    const tpl = rng.pick(candidates);
    const personalAllowed = profile.personal === "any" || profile.personal === "prefer" || (profile.personal === "l3" && !tpl.high);
    let asStat: boolean;
    if (tpl.stat) asStat = false; // already an aggregate; keep its own items
    else if (tpl.personal && !personalAllowed) asStat = true;
    else asStat = profile.share !== "不予共享" && tpl.fmt !== "api" && rng.chance(0.12);
    const personal = tpl.personal && !asStat;

    const grade = profile.grade;
    let level = profile.level;
    if (personal && grade === "一般") level = tpl.high ? 4 : Math.max(level ?? 3, 3) as 3 | 4;

    // Name, items, cycle.
    const districts = DISTRICTS.map((d) => d.name);
    const dname = dept.district;
    const core = coreName(tpl.name);
    let name: string;
    let cycle: Cycle = tpl.cycle;
    let itemNames: string[];
    let qualifier = "";
    let fmt: Fmt = tpl.fmt;
    if (asStat) {
      const year = rng.pick(YEARS);
      const v = rng.int(5);
      const byDistrict = v === 1 || rng.chance(0.5);
      const monthly = v === 3 || (v !== 2 && v !== 4 && rng.chance(0.4));
      name = [`${core}统计`, `${core}分区县统计`, `${year}年${core}统计`, `${core}月度统计`, `${core}年度汇总`][v];
      if (dname && v !== 1) name = dname + name;
      qualifier = v === 2 ? `${year}年` : v === 1 ? "分区县" : "统计";
      cycle = monthly ? "每月" : v === 2 ? "每年" : rng.pick(["每季度", "每年"] as Cycle[]);
      itemNames = [cycle === "每月" ? "统计月份" : cycle === "每季度" ? "统计季度" : "统计年度"];
      if (byDistrict) itemNames.push("行政区划代码", "区县名称");
      itemNames.push(...rng.sample(STAT_MEASURES, 2 + rng.int(4)));
      fmt = "sheet";
    } else {
      const r = rng.next();
      if (dname && r < 0.5) {
        name = dname + tpl.name;
        qualifier = dname;
      } else if (r < 0.55) {
        name = tpl.name;
      } else if (r < 0.7 && !dname) {
        const d = rng.pick(districts);
        name = d + tpl.name;
        qualifier = d;
      } else if (r < 0.82 && tpl.cycle !== "实时") {
        const year = rng.pick(YEARS);
        name = `${year}年${tpl.name}`;
        qualifier = `${year}年`;
        cycle = year === 2025 ? tpl.cycle : "不定期";
      } else if (r < 0.88 && !tpl.stat) {
        name = `${tpl.name}（历史数据）`;
        qualifier = "历史数据";
        cycle = "不定期";
      } else if (r < 0.94 && !tpl.stat) {
        name = `${core}明细`;
        qualifier = "明细";
      } else {
        name = tpl.name;
      }
      itemNames = [...tpl.items];
      // Vary the items a little: drop one optional trailing item, add common administrative ones.
      if (itemNames.length > 6 && rng.chance(0.3)) itemNames.splice(3 + rng.int(itemNames.length - 3), 1);
      const extras = rng.sample(EXTRA_ITEMS.filter((x) => !itemNames.includes(x)), rng.int(4));
      itemNames.push(...extras);
      if (fmt === "db" && rng.chance(0.15)) fmt = "sheet";
    }
    itemNames = itemNames.slice(0, 30);
    const items = itemNames.map((n, k) => makeItem(n, k === 0 || (k === 1 && /(代码|编号|号码)$/.test(n))));

    // Category, theme and class code (类 + 项 by theme + 目 by department).
    const r = rng.next();
    let category: EntryContentInput["category"];
    let theme: string;
    const hasBase = tpl.base.length > 0;
    const hasSubject = tpl.subject.length > 0;
    if (hasBase && r < (hasSubject ? 0.5 : 0.7)) {
      category = "基础";
      theme = rng.pick(tpl.base);
    } else if (hasSubject && r < (hasBase ? 0.8 : 0.65)) {
      category = "主题";
      theme = rng.pick(tpl.subject);
    } else {
      category = "部门";
      theme = dept.area;
    }
    let xiang: number;
    if (category === "基础") xiang = (BASE_THEMES as readonly string[]).indexOf(theme) + 1;
    else if (category === "主题") xiang = (SUBJECT_THEMES as readonly string[]).indexOf(theme) + 1;
    else {
      let k = areaIndex.get(theme);
      if (k === undefined) {
        k = 90 + ((areaIndex.size - AREAS.length) % 10);
        areaIndex.set(theme, k);
      }
      xiang = k;
    }
    const classCode = CATEGORY_DIGIT[category] + String(xiang).padStart(2, "0") + String(dept.num % 1000).padStart(3, "0");
    const seqN = (counters.get(classCode) ?? 0) + 1;
    counters.set(classCode, seqN);

    // Domains: the theme's natural domain plus one of the department's.
    const domains: string[] = [];
    const td = THEME_DOMAIN[theme];
    if (td && (dept.spec.domains.includes(td) || rng.chance(0.5))) domains.push(td);
    const dd = rng.pick(dept.spec.domains);
    if (!domains.includes(dd) && (domains.length === 0 || rng.chance(0.5))) domains.push(dd);
    const validDomains = domains.filter((d) => (DOMAINS as readonly string[]).includes(d)) as NonNullable<EntryContentInput["domains"]>;

    // Format and sharing method.
    const fcat = FORMATS[fmt];
    const formats = fmt === "db" ? [dept.spec.db] : [...rng.pick(fcat.choices)];
    let shareMethod: EntryContentInput["shareMethod"];
    let shareMethodType: EntryContentInput["shareMethodType"];
    if (profile.share !== "不予共享") {
      const m = rng.next();
      shareMethod = fmt === "gis" && m < 0.3 ? "介质方式" : m < 0.02 && !personal && grade === "一般" ? "邮件方式" : "共享平台方式";
      if (shareMethod === "共享平台方式") {
        shareMethodType = fmt === "api" ? "接口" : fmt === "db" ? (cycle === "实时" || rng.chance(0.5) ? "接口" : "数据库") : "文件";
      }
    }

    // Conditions and legal bases.
    const fillDept = (s: string) => s.replace("{dept}", dept.org.shortName);
    const shareConditions = profile.share === "有条件共享" ? fillDept(rng.pick(SHARE_CONDITIONS)) : undefined;
    const notShareBasis =
      profile.share === "不予共享"
        ? NOT_SHARE_BASIS_BY_DEPT[dept.org.key] && (tpl.crit || /^(sswj|tjj)$/.test(dept.org.key)) && rng.chance(0.8)
          ? NOT_SHARE_BASIS_BY_DEPT[dept.org.key]
          : grade !== "一般" || tpl.crit
            ? rng.pick(NOT_SHARE_BASIS_GENERIC.graded)
            : rng.pick(NOT_SHARE_BASIS_GENERIC.general)
        : undefined;
    const openConditions = profile.open === "有条件开放" ? rng.pick(OPEN_CONDITIONS) : undefined;
    const notOpenBasis =
      profile.open === "不予开放"
        ? personal
          ? NOT_OPEN_BASIS.personal
          : grade !== "一般"
            ? NOT_OPEN_BASIS.graded.replace("{grade}", grade)
            : rng.pick(NOT_OPEN_BASIS.generic)
        : undefined;

    // Summary and keywords.
    const shown = itemNames.slice(0, 3).join("、");
    const use = DOMAIN_USES[validDomains[0] ?? "城市治理"];
    const system = `${dept.org.shortName}${dept.spec.systems[tpl.system] ?? dept.spec.systems[0]}`;
    let summary: string;
    if (asStat) {
      summary = `基于${system}中的${tpl.name}，按${itemNames[0] === "统计月份" ? "月" : itemNames[0] === "统计季度" ? "季度" : "年度"}${itemNames.includes("区县名称") ? "分区县" : ""}汇总形成的统计数据，包括${itemNames.filter((n) => !/^统计|区县|行政区划/.test(n)).join("、")}等指标，不含个人明细信息。`;
    } else {
      const opener = rng.pick([
        `${dept.org.shortName}在履行职责过程中产生的${name}`,
        `${dept.org.shortName}依托${dept.spec.systems[tpl.system] ?? dept.spec.systems[0]}采集管理的${name}`,
        `本资源为${dept.org.shortName}${name}`,
      ]);
      summary = `${opener}，包括${shown}等${itemNames.length}项信息。`;
    }
    if (rng.chance(0.75)) summary += `${CYCLE_TEXT[cycle]}，可用于${use}等场景。`;
    const keywords = [core, theme, dept.area, qualifier].filter((k, idx, xs) => k && k.length <= 30 && xs.indexOf(k) === idx);

    const contactName = rng.chance(0.8) ? dept.contacts[0] : dept.contacts[1];

    const content: EntryContentInput = {
      name,
      summary,
      category,
      classCode,
      theme,
      domains: validDomains,
      keywords,
      formatCategory: fcat.category,
      formats,
      items,
      shareType: profile.share,
      ...(shareConditions ? { shareConditions } : {}),
      ...(shareMethod ? { shareMethod } : {}),
      ...(shareMethodType ? { shareMethodType } : {}),
      ...(notShareBasis ? { notShareBasis } : {}),
      openType: profile.open,
      ...(openConditions ? { openConditions } : {}),
      ...(notOpenBasis ? { notOpenBasis } : {}),
      updateCycle: cycle,
      sourceSystem: { name: system },
      grade,
      ...(grade === "一般" && level ? { generalLevel: level } : {}),
      contact: { name: contactName, phone: dept.phone },
    };
    yield {
      orgKey: dept.org.key,
      seq: String(seqN).padStart(6, "0"),
      content,
      state: rng.weighted(STATES, 100).s,
    };
  }
}

/** The whole demo city: organisations, users and `entries` catalog entries (default 2000). */
export function generateDemoCity(opts: { seed?: number; entries?: number; cityName?: string } = {}): DemoCity {
  const seed = opts.seed ?? DEFAULT_SEED;
  const count = opts.entries ?? DEFAULT_ENTRIES;
  const cityName = opts.cityName ?? DEFAULT_CITY;
  const orgs = generateOrgs(cityName);
  const users = generateUsers(orgs);
  const entries = [...generateEntries({ seed, count, orgs })];
  return { cityName, orgs, users, entries };
}
