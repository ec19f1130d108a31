import {
  isBankCard,
  isChineseName,
  isEmail,
  isLandline,
  isMobile,
  isPassport,
  isPlate,
  isValidIdCard,
  isValidIdCard15,
  isValidUscc,
  looksLikeAddress,
  trimWs,
} from "./identifiers.ts";
import {
  ATTRIBUTE_LABELS,
  PII_LABELS,
  type ColumnDetection,
  type ColumnSample,
  type DetectionReport,
  type PersonalAttribute,
  type PiiKind,
  type SubLevel,
} from "./schema.ts";

/**
 * Detection of personal data in a column, by its name and by its values (pattern + checksum), with
 * the 一般数据 sub-grade it suggests (RULES.md §5.4): identity numbers, phones, addresses, bank cards
 * → 4级; names, birth dates, sex, ethnicity → 3级; no personal data → 2级 (internal business data;
 * only the provider knows whether it is already public, 1级). Checksums keep random digit strings
 * out: a column of random 18-digit numbers is not 身份证 (about 1 in 11 passes MOD 11-2 alone, and
 * the birth date and region code reject most of those).
 */

type NameKind = PiiKind | "phone";

/** Column-name patterns, tried in order (so 联系人电话 is a phone, 法定代表人身份证号 an ID). Names are lower-cased with blanks, _ - . removed. */
const NAME_RULES: [NameKind | PersonalAttribute, RegExp][] = [
  ["uscc", /统一社会信用代码|社会信用代码|信用代码|uscc|tyshxydm|shxydm|creditcode/],
  ["idcard", /身份证|公民身份号码|身份号码|证件号|sfzh|sfzjhm|^sfz|idcard|idno$|idnumber|identitycard|identityno|citizenid|^zjhm$/],
  ["passport", /护照|passport|^hzhm$|^hzh$/],
  ["bankcard", /银行卡|银行账号|银行帐号|银行账户|卡号|账号|帐号|bankcard|bankaccount|cardno|cardnumber|accountno|^yhkh$|^yhzh$/],
  ["email", /邮箱|电子邮件|电子信箱|email|^mail$/],
  ["mobile", /手机|移动电话|mobile|cellphone|^sjhm$|^sjh$/],
  ["landline", /固定电话|固话|座机|办公电话|landline|^gddh$/],
  ["phone", /电话|联系方式|phone|^tel|tel$|^lxdh$/],
  ["plate", /^(?!.*(种类|类型|颜色|type|color)).*(车牌|号牌|车辆号码|plate|^hphm$|^cph$)/],
  ["address", /^(?!.*(ip|mac|网址|网站|url|邮箱|email)).*(地址|住址|住所|居住地|户籍地|现住|address|addr$|^dz$|^zz$|^jzd$|^hjdz$)/],
  ["birthdate", /出生日期|出生年月|出生时间|生日|birthday|birthdate|dateofbirth|^csrq$|^dob$/],
  ["sex", /^性别$|^sex$|^gender$|^xb$/],
  ["ethnicity", /^民族$|ethnicity|^mz$/],
  ["name", /姓名|^联系人$|^法定代表人$|^法人代表$|^负责人$|^户主$|^申请人$|^当事人$|^name$|^fullname$|^realname$|^personname$|^contactname$|^xm$|^xingming$/],
];

function normName(name: string): string {
  return trimWs(name).toLowerCase().replace(/[\s_.\-()（）]/g, "");
}

/** What a column name says: an identifier kind ("phone" = mobile or landline), a personal attribute, or nothing. */
export function matchColumnName(name: string): { kind: NameKind | null; attribute: PersonalAttribute | null } {
  const n = normName(name);
  for (const [k, re] of NAME_RULES) {
    if (!re.test(n)) continue;
    if (k === "birthdate" || k === "sex" || k === "ethnicity") return { kind: null, attribute: k };
    return { kind: k, attribute: null };
  }
  return { kind: null, attribute: null };
}

/** The identifier kind a column name points at (a plain 电话 counts as mobile), or null. */
export function kindFromColumnName(name: string): PiiKind | null {
  const k = matchColumnName(name).kind;
  return k === "phone" ? "mobile" : k;
}

/** Value tests per kind: pattern and checksum where one exists. */
const VALUE_TESTS: Record<PiiKind, (v: string) => boolean> = {
  idcard: (v) => isValidIdCard(v) || isValidIdCard15(v),
  uscc: isValidUscc,
  bankcard: isBankCard,
  mobile: isMobile,
  landline: isLandline,
  email: isEmail,
  plate: isPlate,
  passport: (v) => isPassport(v),
  address: looksLikeAddress,
  name: isChineseName,
};
/** Shape without checksum, to tell "an ID column with wrong check digits" from "not IDs at all". */
const SHAPES: Partial<Record<PiiKind, RegExp>> = {
  idcard: /^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$/,
  uscc: /^[0-9A-Za-z]{18}$/,
  bankcard: /^[0-9]{16,19}$/,
  passport: /^[A-Za-z][A-Za-z0-9]{5,8}$/,
};
/** Order of preference when two kinds fit equally (the checksummed, more specific first). */
const VALUE_ORDER: PiiKind[] = ["idcard", "uscc", "bankcard", "mobile", "email", "plate", "passport", "landline", "address", "name"];
const WEAK: ReadonlySet<PiiKind> = new Set(["name", "address"]);

export const SUB_LEVEL: Record<PiiKind, SubLevel> = {
  idcard: 4, mobile: 4, landline: 4, bankcard: 4, address: 4, email: 4, passport: 4,
  name: 3, plate: 3,
  uscc: 2,
};
/** Kinds that are not personal information by themselves (a USCC names an organisation and is public). */
const NOT_PERSONAL: ReadonlySet<PiiKind> = new Set(["uscc"]);

const MAX_SAMPLES = 10_000;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Detect the kind of personal data in one column from its name and sample values. The column name
 * alone decides when there are no values; values decide against a misleading name (a 证件号码
 * column holding passports); a name whose values are plainly something else is not flagged.
 */
export function detectColumn(input: ColumnSample): ColumnDetection {
  const column = input.name;
  const values: string[] = [];
  for (const s of input.samples ?? []) {
    if (typeof s !== "string") continue;
    const t = trimWs(s);
    if (t !== "") values.push(t);
    if (values.length >= MAX_SAMPLES) break;
  }
  const sampled = values.length;
  const named = matchColumnName(column);

  const counts = {} as Record<PiiKind, number>;
  for (const k of VALUE_ORDER) counts[k] = 0;
  for (const v of values) for (const k of VALUE_ORDER) if (VALUE_TESTS[k](v)) counts[k]++;
  const ratio = (k: PiiKind) => (sampled ? counts[k] / sampled : 0);

  const result = (kind: PiiKind, confidence: number, byName: boolean, reason: string): ColumnDetection => ({
    column, kind, attribute: null, label: PII_LABELS[kind], confidence: round2(confidence), matched: counts[kind], sampled, byName,
    sensitive: !NOT_PERSONAL.has(kind), suggestedSubLevel: SUB_LEVEL[kind], reason,
  });
  const none = (reason: string): ColumnDetection => ({
    column, kind: null, attribute: null, label: null, confidence: 0, matched: 0, sampled, byName: false, sensitive: false, suggestedSubLevel: 2, reason,
  });

  // The best kind by values alone.
  let best: PiiKind | null = null;
  for (const k of VALUE_ORDER) {
    const need = WEAK.has(k) ? 0.7 : 0.6;
    if (ratio(k) >= need && (best === null || ratio(k) > ratio(best))) best = k;
  }

  if (named.attribute) {
    const a = named.attribute;
    if (best && !WEAK.has(best)) return result(best, ratio(best), false, `列名像${ATTRIBUTE_LABELS[a]}，但 ${pct(ratio(best))} 的取值是${PII_LABELS[best]}`);
    return {
      column, kind: null, attribute: a, label: ATTRIBUTE_LABELS[a], confidence: 0.8, matched: 0, sampled, byName: true, sensitive: true, suggestedSubLevel: 3,
      reason: `列名为${ATTRIBUTE_LABELS[a]}，属个人信息（一般数据3级）`,
    };
  }

  if (named.kind) {
    // A phone column holds mobiles or landlines: the values choose.
    const nk: PiiKind = named.kind === "phone" ? (counts.landline > counts.mobile ? "landline" : "mobile") : named.kind;
    const label = PII_LABELS[nk];
    const support = named.kind === "phone" ? ratio("mobile") + ratio("landline") : ratio(nk);
    if (sampled === 0) return result(nk, 0.6, true, `列名为${label}（无样本值可核对）`);
    if (support >= 0.5) return result(nk, Math.min(1, 0.7 + 0.3 * support), true, `列名为${label}，${pct(support)} 的样本值符合${label}格式${SHAPES[nk] ? "及校验位" : ""}`);
    if (best && best !== nk) return result(best, 0.6 * ratio(best), false, `列名像${label}，但 ${pct(ratio(best))} 的样本值是${PII_LABELS[best]}`);
    const shape = SHAPES[nk];
    const shaped = shape ? values.filter((v) => shape.test(v)).length / sampled : 0;
    if (shaped >= 0.5)
      return result(nk, 0.5, true, `列名为${label}，取值形如${label}，但只有 ${pct(support)} 通过校验（可能有错误数据）；按${label}从严处理`);
    if (sampled >= 10 && support < 0.2) return none(`列名像${label}，但样本值不像（${pct(support)} 符合），未识别为个人信息`);
    return result(nk, 0.3, true, `列名为${label}，样本值只有 ${pct(support)} 符合；按${label}从严处理`);
  }

  if (best) {
    const r = ratio(best);
    const conf = WEAK.has(best) ? 0.7 * r : r;
    const how = SHAPES[best] || best === "mobile" || best === "email" || best === "plate" ? "格式及校验" : "启发式规则";
    return result(best, conf, false, `${pct(r)} 的样本值符合${PII_LABELS[best]}（${how}）`);
  }
  return none(sampled ? "未发现个人信息；一般数据默认2级（已公开的数据可定为1级）" : "无样本值，列名也不指向个人信息");
}

/** Detect every column and suggest the entry's grade: 一般, sub-grade the max over its columns (就高从严). */
export function detectColumns(cols: ColumnSample[]): DetectionReport {
  const columns = cols.map(detectColumn);
  let level: SubLevel = 2;
  for (const c of columns) if (c.suggestedSubLevel > level) level = c.suggestedSubLevel;
  const top = columns.filter((c) => c.suggestedSubLevel === level && c.label);
  const reason = top.length
    ? `含${top.map((c) => `「${c.column}」(${c.label})`).join("、")}，按就高从严建议一般数据${level}级`
    : "未发现个人信息，建议一般数据2级；是否需定为重要或核心数据，须按 GB/T 43697 的影响对象和程度判断";
  return { columns, suggestedGrade: "一般", suggestedSubLevel: level, reason };
}
