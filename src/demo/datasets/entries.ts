/**
 * Catalog entries (EntryContent) of the demo datasets: national core metadata, data items with type, length,
 * required, key, code list and sensitivity, and grade / share / open attributes consistent with RULES.md §5.5.
 */
import { BASE_THEMES, CATEGORY_DIGIT, EntryContent, SUBJECT_THEMES, type EntryContentInput } from "../../modules/catalog/index.ts";
import { AREA_CODE, CITY_DEPTS, DISTRICTS, NOT_OPEN_BASIS } from "../data.ts";
import { DEFAULT_CITY, generateOrgs, generateUsers } from "../generator.ts";
import {
  AQI_LEVELS, ENTITY_STATUSES, ETHNIC_GROUPS, INSURANCE_STATUSES, INSURANCE_TYPES, INDUSTRY_SECTIONS, MARITAL_STATUSES,
  MARKET_KINDS, ORG_KINDS, POLLUTANTS, SEXES,
} from "./vocab.ts";

export type DemoDatasetKey = "population" | "legal_entities" | "social_insurance" | "market_entities" | "bus_ridership" | "air_quality";
export const DEMO_DATASET_KEYS: readonly DemoDatasetKey[] = ["population", "legal_entities", "social_insurance", "market_entities", "bus_ridership", "air_quality"];

type Item = NonNullable<EntryContentInput["items"]>[number];
const C = (name: string, length: number, o: Partial<Item> = {}): Item => ({ name, type: "字符型", length, sensitive: false, required: false, key: false, ...o });
const D = (name: string, o: Partial<Item> = {}): Item => ({ name, type: "日期型", sensitive: false, required: false, key: false, ...o });
const T = (name: string, o: Partial<Item> = {}): Item => ({ name, type: "日期时间型", sensitive: false, required: false, key: false, ...o });
const I = (name: string, o: Partial<Item> = {}): Item => ({ name, type: "整数型", length: 10, sensitive: false, required: false, key: false, ...o });
const N = (name: string, o: Partial<Item> = {}): Item => ({ name, type: "数值型", length: 18, sensitive: false, required: false, key: false, ...o });

const districtNames = DISTRICTS.map((d) => d.name);

/** 分类码 as the demo generator builds it: 类 + 项 (theme number) + 目 (department number). */
function classCode(category: "基础" | "主题", theme: string, orgKey: string): string {
  const themes: readonly string[] = category === "基础" ? BASE_THEMES : SUBJECT_THEMES;
  const xiang = themes.indexOf(theme) + 1;
  const dept = CITY_DEPTS.findIndex((d) => d.key === orgKey) + 1;
  if (xiang < 1 || dept < 1) throw new Error(`classCode: unknown theme ${theme} or org ${orgKey}`);
  return CATEGORY_DIGIT[category] + String(xiang).padStart(2, "0") + String(dept).padStart(3, "0");
}

/** The department's data officer (the demo users) as the entry contact. */
function contact(orgKey: string, cityName: string): { name: string; phone: string } {
  const users = generateUsers(generateOrgs(cityName));
  const officer = users.find((u) => u.orgKey === orgKey && u.roles.includes("data_officer"));
  const n = CITY_DEPTS.findIndex((d) => d.key === orgKey) + 1;
  return { name: officer?.displayName ?? "数据管理员", phone: `${AREA_CODE}-${8_860_000 + n * 113}` };
}

function shortOf(orgKey: string): string {
  const d = CITY_DEPTS.find((x) => x.key === orgKey)!;
  return d.shortName ?? `市${d.name}`;
}

const SHARE_CHECK = "优先以核验方式提供（返回“一致/不一致”），确需明细数据的，经{dept}审核后按最小必要原则提供字段级共享";

/** Per dataset: provider, suggested resource code, and the entry content (already parsed by `EntryContent`). */
export function demoEntryContents(cityName: string = DEFAULT_CITY): Record<DemoDatasetKey, { orgKey: string; code: string; content: EntryContent }> {
  const make = (orgKey: string, seq: string, c: Omit<EntryContentInput, "contact" | "classCode"> & { classCode: string }) => ({
    orgKey,
    code: `${c.classCode}/${seq}`,
    content: EntryContent.parse({ ...c, contact: contact(orgKey, cityName) }),
  });
  return {
    population: make("gaj", "900001", {
      name: "人口基础信息",
      summary: `${shortOf("gaj")}依托人口管理信息系统汇聚的${cityName}户籍人口和常住人口基础信息（人口库），包括公民身份号码、姓名、性别、民族、出生日期、户籍地址、现住址和联系方式等。数据每日更新，是户籍地址等人口信息项的权威来源。`,
      category: "基础", classCode: classCode("基础", "人口", "gaj"), theme: "人口",
      domains: ["城市治理", "医疗健康"], keywords: ["人口库", "人口", "户籍", "身份证"],
      formatCategory: "数据库", formats: ["KingbaseES"],
      items: [
        C("公民身份号码", 18, { sensitive: true, required: true, key: true, description: "GB 11643 居民身份号码，18 位，末位为校验码" }),
        C("姓名", 50, { sensitive: true, required: true }),
        C("性别", 2, { sensitive: true, required: true, codeList: [...SEXES] }),
        C("民族", 20, { sensitive: true, codeList: [...ETHNIC_GROUPS] }),
        D("出生日期", { sensitive: true, required: true }),
        C("户籍地址", 200, { sensitive: true, required: true }),
        C("现住址", 200, { sensitive: true }),
        C("手机号码", 11, { sensitive: true, description: "本人或监护人的手机号码" }),
        C("婚姻状况", 10, { sensitive: true, codeList: [...MARITAL_STATUSES] }),
        D("登记日期", { description: "户籍登记日期" }),
      ],
      shareType: "有条件共享", shareConditions: SHARE_CHECK.replace("{dept}", shortOf("gaj")),
      shareMethod: "共享平台方式", shareMethodType: "接口",
      openType: "不予开放", notOpenBasis: NOT_OPEN_BASIS.personal,
      updateCycle: "每日", sourceSystem: { name: `${shortOf("gaj")}人口管理信息系统` },
      grade: "一般", generalLevel: 4,
    }),
    legal_entities: make("sjj", "900001", {
      name: "法人基础信息",
      summary: `${shortOf("sjj")}汇聚市场监管、民政、机构编制等部门登记信息形成的${cityName}法人基础信息（法人库），包括统一社会信用代码、机构名称、机构类型、法定代表人、注册资本、成立日期、住所和经营状态等。数据每日更新。`,
      category: "基础", classCode: classCode("基础", "法人单位", "sjj"), theme: "法人单位",
      domains: ["商贸流通", "金融服务"], keywords: ["法人库", "法人", "统一社会信用代码", "市场主体"],
      formatCategory: "数据库", formats: ["GaussDB"],
      items: [
        C("统一社会信用代码", 18, { required: true, key: true, description: "GB 32100 统一社会信用代码，18 位，末位为校验码" }),
        C("机构名称", 200, { required: true }),
        C("机构类型", 20, { required: true, codeList: [...ORG_KINDS] }),
        C("法定代表人", 50, { description: "法定代表人、负责人或经营者（依法公示信息）" }),
        N("注册资本", { description: "单位：万元人民币" }),
        D("成立日期", { required: true }),
        C("登记机关", 200),
        C("住所", 200),
        C("所属区县", 20, { codeList: districtNames }),
        C("行业门类", 50, { codeList: [...INDUSTRY_SECTIONS], description: "GB/T 4754-2017 国民经济行业分类门类" }),
        C("经营状态", 10, { required: true, codeList: [...ENTITY_STATUSES] }),
      ],
      shareType: "无条件共享", shareMethod: "共享平台方式", shareMethodType: "接口",
      openType: "有条件开放", openConditions: "通过开放接口按调用频次限额开放，申请人须通过平台审核",
      updateCycle: "每日", sourceSystem: { name: `${shortOf("sjj")}法人基础信息库` },
      grade: "一般", generalLevel: 2,
    }),
    social_insurance: make("rsj", "900001", {
      name: "社会保险参保信息",
      summary: `${shortOf("rsj")}社会保险信息系统中的${cityName}参保人员信息，包括公民身份号码、姓名、户籍地址、手机号码、参保险种、参保单位、参保状态、参保日期和缴费基数。数据按月更新，可用于社会保障政策精准服务。`,
      category: "主题", classCode: classCode("主题", "社会保障", "rsj"), theme: "社会保障",
      domains: ["城市治理", "金融服务"], keywords: ["社保", "参保", "社会保障"],
      formatCategory: "数据库", formats: ["Oracle"],
      items: [
        C("公民身份号码", 18, { sensitive: true, required: true, key: true }),
        C("个人编号", 20, { sensitive: true, required: true }),
        C("姓名", 50, { sensitive: true, required: true }),
        C("性别", 2, { sensitive: true, codeList: [...SEXES] }),
        C("户籍地址", 200, { sensitive: true }),
        C("手机号码", 11, { sensitive: true }),
        C("参保险种", 20, { required: true, codeList: [...INSURANCE_TYPES] }),
        C("参保单位名称", 200),
        C("统一社会信用代码", 18, { description: "参保单位的统一社会信用代码" }),
        C("参保状态", 10, { required: true, codeList: [...INSURANCE_STATUSES] }),
        D("参保日期", { required: true }),
        N("缴费基数", { sensitive: true, description: "单位：元/月" }),
      ],
      shareType: "有条件共享", shareConditions: `仅限政务部门依法履行法定职责时使用，经${shortOf("rsj")}审核同意后通过共享平台获取`,
      shareMethod: "共享平台方式", shareMethodType: "接口",
      openType: "不予开放", notOpenBasis: NOT_OPEN_BASIS.personal,
      updateCycle: "每月", sourceSystem: { name: `${shortOf("rsj")}社会保险信息系统` },
      grade: "一般", generalLevel: 4,
    }),
    market_entities: make("scjgj", "900001", {
      name: "市场主体登记信息",
      summary: `${shortOf("scjgj")}企业登记注册系统中的${cityName}市场主体（企业、个体工商户、农民专业合作社）登记信息，包括统一社会信用代码、名称、类型、法定代表人、注册资本、成立日期、住所、经营范围和登记状态。是市场主体住所、法定代表人等信息项的权威来源。`,
      category: "基础", classCode: classCode("基础", "法人单位", "scjgj"), theme: "法人单位",
      domains: ["商贸流通", "金融服务"], keywords: ["营业执照", "市场主体", "企业登记"],
      formatCategory: "数据库", formats: ["Oracle"],
      items: [
        C("统一社会信用代码", 18, { required: true, key: true }),
        C("机构名称", 200, { required: true }),
        C("市场主体类型", 20, { required: true, codeList: [...MARKET_KINDS] }),
        C("法定代表人", 50, { required: true, description: "法定代表人或经营者（依法公示信息）" }),
        N("注册资本", { description: "单位：万元人民币" }),
        D("成立日期", { required: true }),
        D("营业期限至", { description: "空值表示长期" }),
        D("核准日期", { required: true }),
        C("登记机关", 200, { required: true }),
        C("住所", 200, { required: true }),
        C("经营范围", 2000),
        C("登记状态", 10, { required: true, codeList: [...ENTITY_STATUSES] }),
      ],
      shareType: "无条件共享", shareMethod: "共享平台方式", shareMethodType: "接口",
      openType: "无条件开放",
      updateCycle: "每日", sourceSystem: { name: `${shortOf("scjgj")}企业登记注册系统` },
      grade: "一般", generalLevel: 2,
    }),
    bus_ridership: make("jtj", "900001", {
      name: "公交客流统计",
      summary: `${shortOf("jtj")}公交智能调度系统按日统计的${cityName}各公交线路、各站点上下车人次，不含个人信息。数据每日更新，可用于出行服务和线网优化。`,
      category: "主题", classCode: classCode("主题", "公共服务", "jtj"), theme: "公共服务",
      domains: ["交通运输", "城市治理"], keywords: ["公交", "客流", "交通"],
      formatCategory: "电子表格", formats: ["csv"],
      items: [
        D("统计日期", { required: true, key: true }),
        C("线路编号", 10, { required: true, key: true }),
        C("线路名称", 50, { required: true }),
        C("站点编号", 10, { required: true, key: true }),
        C("站点名称", 50, { required: true }),
        I("站序", { required: true }),
        C("所属区县", 20, { codeList: districtNames }),
        I("上车人次", { required: true }),
        I("下车人次", { required: true }),
      ],
      shareType: "无条件共享", shareMethod: "共享平台方式", shareMethodType: "文件",
      openType: "无条件开放",
      updateCycle: "每日", sourceSystem: { name: `${shortOf("jtj")}公交智能调度系统` },
      grade: "一般", generalLevel: 1,
    }),
    air_quality: make("sthjj", "900001", {
      name: "空气质量小时监测数据",
      summary: `${shortOf("sthjj")}环境质量监测系统发布的${cityName}各国控、市控监测站点逐小时空气质量数据，包括六项污染物浓度、空气质量指数（AQI，HJ 633-2012）、级别和首要污染物。数据实时更新。`,
      category: "主题", classCode: classCode("主题", "生态环保", "sthjj"), theme: "生态环保",
      domains: ["绿色低碳", "气象服务"], keywords: ["空气质量", "AQI", "PM2.5", "环境监测"],
      formatCategory: "电子表格", formats: ["csv"],
      items: [
        C("监测站点编号", 12, { required: true, key: true }),
        C("监测站点名称", 50, { required: true }),
        C("所属区县", 20, { codeList: districtNames }),
        T("监测时间", { required: true, key: true }),
        N("PM2.5浓度", { description: "微克/立方米" }),
        N("PM10浓度", { description: "微克/立方米" }),
        N("二氧化硫浓度", { description: "微克/立方米" }),
        N("二氧化氮浓度", { description: "微克/立方米" }),
        N("臭氧浓度", { description: "微克/立方米（1小时平均）" }),
        N("一氧化碳浓度", { description: "毫克/立方米" }),
        I("空气质量指数", { required: true }),
        C("空气质量级别", 10, { required: true, codeList: [...AQI_LEVELS] }),
        C("首要污染物", 10, { codeList: [...POLLUTANTS], description: "AQI 不大于 50 时为空" }),
      ],
      shareType: "无条件共享", shareMethod: "共享平台方式", shareMethodType: "接口",
      openType: "无条件开放",
      updateCycle: "实时", sourceSystem: { name: `${shortOf("sthjj")}环境质量监测系统` },
      grade: "一般", generalLevel: 1,
    }),
  };
}
