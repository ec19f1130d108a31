/**
 * The deliberate dirt of the demo datasets, known before generation: every dirty row has exactly one kind
 * of dirt, chosen by a seeded permutation of the rows, so the counts below are exact for any seed.
 */
import { DEFAULT_CITY, DEFAULT_SEED } from "../generator.ts";
import type { DemoDatasetKey } from "./entries.ts";

export type DirtKind = "badCheckDigit" | "missingRequired" | "outOfCodeList" | "futureDate" | "badMobile" | "duplicateKey";

export interface ExpectedDirt {
  kind: DirtKind;
  /** The column (data item name) that holds the dirt. */
  column: string;
  /**
   * Rows with this dirt. For duplicateKey: the rows whose key repeats an earlier key (each repeats a different
   * clean row once), i.e. rowCount − distinct keys.
   */
  rows: number;
}

/** A deliberate cross-source conflict (多源校核): same key, different value in `column` of the two datasets. */
export interface ExpectedConflict {
  dataset: DemoDatasetKey;
  against: DemoDatasetKey;
  key: string;
  column: string;
  rows: number;
}

export interface DemoDataOptions {
  seed?: number;
  /** 人口基础信息 rows (default 1,000,000). */
  population?: number;
  /** 法人基础信息 rows (default 50,000). */
  legalEntities?: number;
  /** Days of 公交客流 (default 90). */
  busDays?: number;
  /** Days of hourly 空气质量 (default 60). */
  airDays?: number;
  /** The data's "today": the last day of the time series; no clean date is after it (default 2026-11-20). */
  asOf?: string;
  cityName?: string;
}
export type ResolvedDemoDataOptions = Required<DemoDataOptions>;

export const DEMO_DATA_DEFAULTS: ResolvedDemoDataOptions = {
  seed: DEFAULT_SEED, population: 1_000_000, legalEntities: 50_000, busDays: 90, airDays: 60, asOf: "2026-11-20", cityName: DEFAULT_CITY,
};

export function resolveOptions(o: DemoDataOptions = {}): ResolvedDemoDataOptions {
  const r = { ...DEMO_DATA_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as ResolvedDemoDataOptions;
  if (!Number.isSafeInteger(r.seed) || r.seed < 0 || r.seed > 0x7fffffff) throw new Error("seed must be an integer in 0..2^31-1");
  if (!Number.isInteger(r.population) || r.population < 1000 || r.population > 20_000_000) throw new Error("population must be 1,000..20,000,000");
  if (!Number.isInteger(r.legalEntities) || r.legalEntities < 1000 || r.legalEntities > 5_000_000) throw new Error("legalEntities must be 1,000..5,000,000");
  if (!Number.isInteger(r.busDays) || r.busDays < 1 || r.busDays > 3660) throw new Error("busDays must be 1..3660");
  if (!Number.isInteger(r.airDays) || r.airDays < 1 || r.airDays > 3660) throw new Error("airDays must be 1..3660");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.asOf) || Number.isNaN(Date.parse(r.asOf)) || r.asOf >= "2050-01-01") throw new Error("asOf must be a date YYYY-MM-DD before 2050");
  return r;
}

/** Exact count for a rate: at least one when there are rows. */
export const dirtCount = (rows: number, rate: number): number => (rows <= 0 ? 0 : Math.max(1, Math.round(rows * rate)));

/** Future dates are put in 2052–2061 (a typo-like year, far after any run of the demo). */
export const FUTURE_FROM = "2052-01-01";

interface DirtRate { kind: DirtKind; column: string; rate: number }

/** Dirt per dataset, in the order the row classes are laid out. */
export const DIRT_RATES: Record<DemoDatasetKey, DirtRate[]> = {
  population: [
    { kind: "badCheckDigit", column: "公民身份号码", rate: 0.005 },
    { kind: "missingRequired", column: "姓名", rate: 0.002 },
    { kind: "outOfCodeList", column: "性别", rate: 0.0005 },
    { kind: "futureDate", column: "登记日期", rate: 0.0005 },
    { kind: "badMobile", column: "手机号码", rate: 0.001 },
    { kind: "duplicateKey", column: "公民身份号码", rate: 0.0005 },
  ],
  social_insurance: [
    { kind: "badCheckDigit", column: "公民身份号码", rate: 0.001 },
    { kind: "missingRequired", column: "参保险种", rate: 0.001 },
    { kind: "outOfCodeList", column: "参保状态", rate: 0.0005 },
    { kind: "futureDate", column: "参保日期", rate: 0.0005 },
  ],
  legal_entities: [
    { kind: "badCheckDigit", column: "统一社会信用代码", rate: 0.005 },
    { kind: "missingRequired", column: "机构名称", rate: 0.002 },
    { kind: "outOfCodeList", column: "经营状态", rate: 0.001 },
    { kind: "futureDate", column: "成立日期", rate: 0.0005 },
    { kind: "duplicateKey", column: "统一社会信用代码", rate: 0.0005 },
  ],
  market_entities: [
    { kind: "missingRequired", column: "登记机关", rate: 0.001 },
    { kind: "outOfCodeList", column: "登记状态", rate: 0.001 },
    { kind: "futureDate", column: "核准日期", rate: 0.0005 },
  ],
  bus_ridership: [
    { kind: "missingRequired", column: "上车人次", rate: 0.0005 },
    { kind: "outOfCodeList", column: "所属区县", rate: 0.0003 },
    { kind: "futureDate", column: "统计日期", rate: 0.0003 },
    { kind: "duplicateKey", column: "统计日期+线路编号+站点编号", rate: 0.0003 },
  ],
  air_quality: [
    { kind: "missingRequired", column: "空气质量指数", rate: 0.001 },
    { kind: "outOfCodeList", column: "空气质量级别", rate: 0.0005 },
    { kind: "futureDate", column: "监测时间", rate: 0.0005 },
    { kind: "duplicateKey", column: "监测站点编号+监测时间", rate: 0.0005 },
  ],
};

/** Rows of 社会保险参保信息: 30% of the population, all of them clean people of the 人口库. */
export const insuranceRows = (population: number): number => Math.round(population * 0.3);
/** Conflict rates of the overlapping datasets (each ~0.5%, 1% of the overlap in all). */
export const CONFLICT_RATE = 0.005;

/**
 * The rows each dirt kind covers for a dataset of `rows` base rows (the population count for 人口, the number of
 * legal entities for 法人 and 市场主体 — their dirt is proportional to the 法人库 size).
 */
export function dirtFor(key: DemoDatasetKey, baseRows: number): ExpectedDirt[] {
  return DIRT_RATES[key].map((d) => ({ kind: d.kind, column: d.column, rows: dirtCount(baseRows, d.rate) }));
}

export function expectedConflicts(o: ResolvedDemoDataOptions): ExpectedConflict[] {
  const si = insuranceRows(o.population);
  return [
    { dataset: "social_insurance", against: "population", key: "公民身份号码", column: "户籍地址", rows: dirtCount(si, CONFLICT_RATE) },
    { dataset: "social_insurance", against: "population", key: "公民身份号码", column: "手机号码", rows: dirtCount(si, CONFLICT_RATE) },
    { dataset: "legal_entities", against: "market_entities", key: "统一社会信用代码", column: "住所", rows: dirtCount(o.legalEntities, CONFLICT_RATE) },
    { dataset: "legal_entities", against: "market_entities", key: "统一社会信用代码", column: "法定代表人", rows: dirtCount(o.legalEntities, CONFLICT_RATE) },
  ];
}

/** 一数一源: the authoritative dataset for each shared data item (the conflicts go to its department). */
export const DEMO_AUTHORITATIVE_SOURCES: { item: string; key: string; authoritative: DemoDatasetKey; others: DemoDatasetKey[] }[] = [
  { item: "户籍地址", key: "公民身份号码", authoritative: "population", others: ["social_insurance"] },
  { item: "手机号码", key: "公民身份号码", authoritative: "population", others: ["social_insurance"] },
  { item: "住所", key: "统一社会信用代码", authoritative: "market_entities", others: ["legal_entities"] },
  { item: "法定代表人", key: "统一社会信用代码", authoritative: "market_entities", others: ["legal_entities"] },
];
