/**
 * Identifier validators (RULES.md §11): 居民身份证号 (GB 11643, ISO 7064 MOD 11-2), 统一社会信用代码
 * (GB 32100, with the embedded 组织机构代码 of GB 11714), bank cards (Luhn, ISO/IEC 7812), mobile and
 * landline numbers, e-mail, 机动车号牌, passports, and heuristics for Chinese names and addresses.
 *
 * Every validator takes any string and never throws. They tolerate what people type around a
 * value (surrounding blanks, a lower-case x, spaces or dashes inside a phone or card number, a
 * +86 prefix) but not what is wrong inside it: full-width digits, a bad check digit, an impossible
 * date. The pattern strings are shared with the DuckDB macros (duckdb.ts), which must agree with
 * these functions value for value.
 */

/** Characters trimmed from both ends (the same set as the SQL macros' `trim(x, …)`). */
export const TRIM_CHARS = " \t\n\r\u3000";

export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && TRIM_CHARS.includes(s[a])) a++;
  while (b > a && TRIM_CHARS.includes(s[b - 1])) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

const str = (s: unknown): string | null => (typeof s === "string" ? s : null);

/** Today in China (UTC+8) as YYYYMMDD: birth dates after it are impossible. */
export function todayYmd(now: number = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
}

/** Whether YYYYMMDD is a real calendar date. */
export function isRealDate(ymd: string): boolean {
  if (!/^[0-9]{8}$/.test(ymd)) return false;
  const y = +ymd.slice(0, 4);
  const m = +ymd.slice(4, 6);
  const d = +ymd.slice(6, 8);
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= dim;
}

// ---------------------------------------------------------------------------------------------
// 居民身份证号 — GB 11643-1999

/** Province-level codes (GB/T 2260 first two digits; 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证). */
const PROVINCES = "(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])";
/** 18-character ID: province, 4 more region digits, birth date 1800–2099, 3-digit sequence, check. */
export const IDCARD_RE_SRC = `${PROVINCES}[0-9]{4}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]`;
const IDCARD_RE = new RegExp(`^${IDCARD_RE_SRC}$`);
const IDCARD15_RE = new RegExp(`^${PROVINCES}[0-9]{4}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}$`);
/** ISO 7064 MOD 11-2 weights 2^(17−i) mod 11. */
export const IDCARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const IDCARD_CHECK = "10X98765432";

/** The check character of the first 17 digits of an ID number. */
export function idCardCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * IDCARD_WEIGHTS[i];
  return IDCARD_CHECK[s % 11];
}

/** The canonical form of an ID number: blanks trimmed, x upper-cased. */
export function normalizeIdCard(s: string): string {
  return trimWs(s).toUpperCase();
}

/**
 * 18-character 居民身份证号 (GB 11643-1999): a known province code, a real birth date not after
 * today (China time), and the MOD 11-2 check character. Vectors (RULES §11.1): 11010519491231002X,
 * 360426199101010071.
 */
export function isValidIdCard(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = normalizeIdCard(v);
  if (!IDCARD_RE.test(t)) return false;
  const ymd = t.slice(6, 14);
  return isRealDate(ymd) && ymd <= todayYmd() && idCardCheckChar(t) === t[17];
}

/** Old 15-digit ID (before 1999): province code, YYMMDD of 19YY, 3-digit sequence; no check digit. */
export function isValidIdCard15(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v);
  return IDCARD15_RE.test(t) && isRealDate(`19${t.slice(6, 12)}`);
}

/** Upgrade a valid 15-digit ID to its 18-character form (insert 19, add the check character). */
export function idCard15To18(s: string): string | null {
  if (!isValidIdCard15(s)) return null;
  const t = trimWs(s);
  const first17 = `${t.slice(0, 6)}19${t.slice(6)}`;
  return first17 + idCardCheckChar(first17);
}

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码 — GB 32100-2015, 组织机构代码 — GB 11714-1997

export const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weights 3^i mod 31. */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const UC = "[0-9A-HJ-NPQRTUWXY]";
/** 登记管理部门码 and 机构类别码 (digits, or letters of the charset such as Y), 6-digit region, 9-char body, check. */
export const USCC_RE_SRC = `${UC}{2}[0-9]{6}${UC}{10}`;
const USCC_RE = new RegExp(`^${USCC_RE_SRC}$`);

export function normalizeUscc(s: string): string {
  return trimWs(s).toUpperCase();
}

/** The check character of the first 17 characters of a USCC. */
export function usccCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (s % 31)) % 31];
}

/** 统一社会信用代码 with a valid GB 32100 check character. Vectors: 91110000600037341L, 91350100M000100Y43. */
export function isValidUscc(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = normalizeUscc(v);
  return USCC_RE.test(t) && usccCheckChar(t) === t[17];
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** GB 11714 check character of an 8-character organisation-code body (digits, A=10 … Z=35). */
export function orgCodeCheckChar(body8: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return null;
  let s = 0;
  for (let i = 0; i < 8; i++) s += parseInt(body8[i], 36) * ORG_WEIGHTS[i];
  const r = 11 - (s % 11);
  return r === 10 ? "X" : r === 11 ? "0" : String(r);
}

/** 组织机构代码 (GB 11714), written 60003734-1 or 600037341. */
export function isValidOrgCode(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v).toUpperCase().replace("-", "");
  return /^[0-9A-Z]{8}[0-9X]$/.test(t) && orgCodeCheckChar(t.slice(0, 8)) === t[8];
}

/** A USCC whose check character is right and whose embedded 组织机构代码 (characters 9–17) is valid too. */
export function isValidUsccStrict(s: string): boolean {
  return isValidUscc(s) && isValidOrgCode(normalizeUscc(s).slice(8, 17));
}

// ---------------------------------------------------------------------------------------------
// Bank cards — Luhn

/** Blanks trimmed, then inner spaces and dashes removed (how card and phone numbers are written). */
export function compactNumber(s: string): string {
  return trimWs(s).replace(/[ -]/g, "");
}

/** The Luhn check over a string of 2–19 digits (spaces and dashes between groups are ignored). */
export function isValidLuhn(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = compactNumber(v);
  if (!/^[0-9]{2,19}$/.test(t)) return false;
  let sum = 0;
  for (let i = t.length - 1, odd = false; i >= 0; i--, odd = !odd) {
    let d = t.charCodeAt(i) - 48;
    if (odd) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A bank card number (PAN): 16–19 digits, not starting with 0, passing Luhn (RULES §11.3). */
export function isBankCard(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  return /^[1-9][0-9]{15,18}$/.test(compactNumber(v)) && isValidLuhn(v);
}

// ---------------------------------------------------------------------------------------------
// Phones, e-mail

export const MOBILE_RE_SRC = "(?:\\+86|0086|86)?1[3-9][0-9]{9}";
const MOBILE_RE = new RegExp(`^${MOBILE_RE_SRC}$`);

/** The 11-digit mobile number inside a value (without +86, spaces, dashes), or null. */
export function normalizeMobile(s: string): string | null {
  const v = str(s);
  if (v === null) return null;
  const t = compactNumber(v);
  return MOBILE_RE.test(t) ? t.slice(-11) : null;
}

/** 中国大陆 mobile number `1[3-9]` + 9 digits (RULES §11.4), tolerating +86 / 0086, spaces and dashes. */
export function isMobile(s: string): boolean {
  return normalizeMobile(s) !== null;
}

/** Area code 0 + 2–3 digits (010, 021, 0571 …), optional parentheses, then a 7–8 digit local number and an optional extension. */
const LANDLINE_RE = /^(?:\+86-?|0086-?)?(?:\(0[1-9][0-9]{1,2}\)|0[1-9][0-9]{1,2})-?[2-9][0-9]{6,7}(?:(?:-|转|#|ext\.?)[0-9]{1,6})?$/i;

/** A fixed-line number with its area code, e.g. 010-12345678, (0571)8888 6666, 0915-1234567转123. */
export function isLandline(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  return LANDLINE_RE.test(trimWs(v).replace(/ /g, ""));
}

export const EMAIL_RE_SRC = "[A-Za-z0-9_%+-]+(?:\\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z]{2,}";
const EMAIL_RE = new RegExp(`^${EMAIL_RE_SRC}$`);

/** A practical e-mail address (ASCII local part and domain, a dot in the domain, at most 254 characters). */
export function isEmail(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v);
  return t.length <= 254 && EMAIL_RE.test(t);
}

// ---------------------------------------------------------------------------------------------
// 机动车号牌, passports

const PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const PL = "[A-HJ-NP-Z0-9]"; // no I or O on plates
const PLATE_RE = new RegExp(
  `^[${PLATE_PROVINCES}][A-HJ-NP-Z](?:${PL}{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF]${PL}[0-9]{4}|[0-9]{5}[DF])$`,
);

/**
 * 机动车号牌 (GA 36): province + issuing-office letter + 5 characters (7 in all; 挂/学/警/港/澳 last),
 * or a new-energy plate of 8: 小型 D/F + 5, 大型 5 digits + D/F. A separator (·, space, dash) is ignored.
 */
export function isPlate(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  return PLATE_RE.test(trimWs(v).toUpperCase().replace(/[·•・ -]/g, ""));
}

/** Chinese passports: ordinary E + 8 (or E + letter + 7), older G + 8, official D/S/P (+E) + 7. */
const CN_PASSPORT_RE = /^(?:E[0-9A-HJ-NP-Z][0-9]{7}|G[0-9]{8}|[DSP]E?[0-9]{7})$/;
/** ICAO 9303 document number: a letter then 5–8 letters or digits, at least one digit. */
const GENERIC_PASSPORT_RE = /^(?=[A-Z0-9]*[0-9])[A-Z][A-Z0-9]{5,8}$/;

/** A passport number: Chinese formats, or with `generic` any ICAO-style number (only trust that beside a 护照 column name). */
export function isPassport(s: string, opts: { generic?: boolean } = {}): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v).toUpperCase();
  return CN_PASSPORT_RE.test(t) || (!!opts.generic && GENERIC_PASSPORT_RE.test(t));
}

// ---------------------------------------------------------------------------------------------
// Names and addresses (heuristics)

/** Compound surnames (复姓): masking keeps both characters. */
export const COMPOUND_SURNAMES = [
  "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯", "令狐",
  "端木", "轩辕", "呼延", "独孤", "南宫", "西门", "百里", "东郭", "公羊", "澹台", "赫连", "万俟", "闻人", "濮阳", "太史",
  "申屠", "钟离", "拓跋", "左丘", "第五", "梁丘", "谷梁", "宗政", "公冶", "太叔", "仲孙", "鲜于", "闾丘", "子车", "亓官",
  "司寇", "巫马", "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正", "宰父", "夹谷", "段干", "羊舌", "微生", "即墨", "达奚",
  "褚师", "东门", "南门",
] as const;
const COMPOUND = new Set<string>(COMPOUND_SURNAMES);

/** About 400 common single-character surnames, for the name heuristic. */
const SURNAMES = new Set(
  Array.from(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由",
  ),
);

const CJK = "[\\u3400-\\u4dbf\\u4e00-\\u9fff]";
const HAN_NAME_RE = new RegExp(`^${CJK}{2,4}$`, "u");
/** Names of ethnic minorities and foreigners written with a middle dot: 阿依古丽·买买提. */
const DOTTED_NAME_RE = new RegExp(`^${CJK}{1,10}(?:[·•・]${CJK}{1,10}){1,3}$`, "u");
/** Words that end organisation or place names, not personal names. */
const NOT_NAME_END = new Set(Array.from("省市区县镇乡村街路号局厅院所部委会司队站校园店厂处科室中心馆场"));

/** Heuristic: a Chinese personal name (2–4 Han characters starting with a common or compound surname, or a dotted name). */
export function isChineseName(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v);
  if (DOTTED_NAME_RE.test(t)) return true;
  if (!HAN_NAME_RE.test(t)) return false;
  const chars = Array.from(t);
  if (NOT_NAME_END.has(chars[chars.length - 1])) return false;
  return SURNAMES.has(chars[0]) || (chars.length >= 3 && COMPOUND.has(chars[0] + chars[1]));
}

/**
 * The administrative prefix of an address down to county level (省/自治区/直辖市, 市/自治州/地区/盟,
 * 区/县/旗/县级市), kept when an address is masked. The county part may not hold street words
 * (街, 路, 号, 村, 镇, 乡, 社区, 小区, 园) or digits, so "东莞市南城街道新基社区" keeps only "东莞市".
 * A county whose own name holds one of those characters (路南区, 社旗县) is masked too: the rule errs
 * on the side of hiding.
 */
const NOT_ADMIN = "省市区县旗镇乡村街路号0-9A-Za-z";
export const ADDRESS_PREFIX_RE_SRC =
  `(?:北京市|天津市|上海市|重庆市|香港特别行政区|澳门特别行政区|[^${NOT_ADMIN}]{2,8}自治区|[^${NOT_ADMIN}]{2,7}省)?` +
  `(?:[^${NOT_ADMIN}]{1,8}(?:市|自治州|地区|盟))?` +
  `(?:[^${NOT_ADMIN}社园小]{1,10}(?:区|县|旗|市))?`;
const ADDRESS_PREFIX_RE = new RegExp(`^${ADDRESS_PREFIX_RE_SRC}`, "u");

/** The part of an address that masking keeps (may be empty). */
export function addressPrefix(s: string): string {
  return ADDRESS_PREFIX_RE.exec(s)?.[0] ?? "";
}

const ADMIN_MARK = /省|自治区|市|区|县|旗|镇|乡|街道/;
const DETAIL_MARK = /路|街|巷|弄|胡同|号|村|组|社区|小区|栋|幢|单元|室|楼|院|大厦|花园|公寓|广场/;

/** Heuristic: a postal or household address (an administrative unit and a street-level detail). */
export function looksLikeAddress(s: string): boolean {
  const v = str(s);
  if (v === null) return false;
  const t = trimWs(v);
  const n = Array.from(t).length;
  return n >= 6 && n <= 200 && ADMIN_MARK.test(t) && DETAIL_MARK.test(t);
}
