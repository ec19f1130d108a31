import { ADDRESS_PREFIX_RE_SRC, COMPOUND_SURNAMES, compactNumber, isLandline, isMobile, trimWs } from "./identifiers.ts";
import { matchColumnName } from "./detect.ts";
import type { Masker, MaskableItem, PiiKind, ProtectionGrade } from "./schema.ts";

/**
 * Masking (屏蔽, RULES.md §12): one function per kind, and `maskerFor` which picks the function a
 * data item needs at a grade (§5.5, §12.4). Positions count Unicode code points, so full-width
 * digits, rare characters and emoji are never split; a value too short for its rule is masked
 * whole. Nothing here throws. The SQL macros gs_mask_* (duckdb.ts) give the same results.
 */

const STAR = "*";

/** Keep `head` and `tail` code points when the value has at least `min`, else mask every character. */
export function keepEnds(s: string, head: number, tail: number, min: number): string {
  const cps = Array.from(s);
  const n = cps.length;
  if (n >= min && n > head + tail) return cps.slice(0, head).join("") + STAR.repeat(n - head - tail) + cps.slice(n - tail).join("");
  return STAR.repeat(n);
}

/** 身份证号: first 6 (region) and last 4 kept: 110105********002X. Shorter than 15: all masked. */
export function maskIdCard(s: string): string {
  return keepEnds(trimWs(s), 6, 4, 15);
}

/** Mobile: 3 + 4 kept (138****5678); +86, spaces and dashes dropped. Shorter than 11: all masked. */
export function maskMobile(s: string): string {
  const t = compactNumber(s).replace(/^(?:\+86|0086|86)(1[0-9]{10})$/, "$1");
  return keepEnds(t, 3, 4, 11);
}

/** Landline: first 4 and last 2 kept: 0915*****79 (separators dropped). Shorter than 9: all masked. */
export function maskLandline(s: string): string {
  return keepEnds(trimWs(s).replace(/[ ()（）-]/g, ""), 4, 2, 9);
}

/** A phone column's value: the mobile rule for mobiles, the landline rule for landlines, else the mobile rule. */
export function maskPhone(s: string): string {
  return !isMobile(s) && isLandline(s) ? maskLandline(s) : maskMobile(s);
}

/** Bank card: first 6 (issuer) and last 4 kept: 622202*********0123. Shorter than 13: all masked. */
export function maskBankCard(s: string): string {
  return keepEnds(compactNumber(s), 6, 4, 13);
}

/** 统一社会信用代码: registration authority, type and region (first 8) and the check character kept. */
export function maskUscc(s: string): string {
  return keepEnds(trimWs(s), 8, 1, 15);
}

const COMPOUND = new Set<string>(COMPOUND_SURNAMES);
/** Separators kept inside names (阿依古丽·买买提 → 阿***·***, John Smith → J*** *****). */
const NAME_KEEP = /[^·•・. ]/gu;

/** Name: the surname kept (张** ; 欧阳** for a compound surname when the name has 3+ characters); one character is left as it is. */
export function maskName(s: string): string {
  const t = trimWs(s);
  const cps = Array.from(t);
  if (cps.length <= 1) return t;
  const k = cps.length >= 3 && COMPOUND.has(cps[0] + cps[1]) ? 2 : 1;
  return cps.slice(0, k).join("") + cps.slice(k).join("").replace(NAME_KEEP, STAR);
}

const ADDRESS_PREFIX = new RegExp(`^${ADDRESS_PREFIX_RE_SRC}`, "u");

/** Address: kept down to county level (区/县, RULES §12.4), the rest masked: 北京市海淀区********. */
export function maskAddress(s: string): string {
  const t = trimWs(s);
  const p = ADDRESS_PREFIX.exec(t)?.[0] ?? "";
  return p + STAR.repeat(Array.from(t).length - Array.from(p).length);
}

/** E-mail: first character of the local part and the domain kept: d*****@example.com. */
export function maskEmail(s: string): string {
  const t = trimWs(s);
  const at = t.lastIndexOf("@");
  if (at <= 0) return STAR.repeat(Array.from(t).length);
  const local = Array.from(t.slice(0, at));
  const head = local.length > 1 ? local[0] : "";
  return head + STAR.repeat(local.length - head.length) + t.slice(at);
}

/** 号牌: province, office letter and first character kept, and the last: 苏D4***0, 京AD****5. */
export function maskPlate(s: string): string {
  return keepEnds(trimWs(s), 3, 1, 6);
}

/** Passport: first letter and last 3 kept: E*****678. */
export function maskPassport(s: string): string {
  return keepEnds(trimWs(s), 1, 3, 7);
}

/** Any other sensitive value: first and last character kept from 6 characters up, else all masked. */
export function maskGeneric(s: string): string {
  return keepEnds(trimWs(s), 1, 1, 6);
}

/** A birth date generalised to its year (RULES §12.4): 1949-12-31 → 1949; unreadable → all masked. */
export function generalizeBirthDate(s: string): string {
  const t = trimWs(s);
  const m = /^((?:18|19|20)[0-9]{2})(?:[-/.年]?[0-9]{1,2}(?:[-/.月]?[0-9]{1,2}日?)?)?(?:[ T].*)?$/.exec(t);
  return m ? m[1] : STAR.repeat(Array.from(t).length);
}

const MASKERS: Record<PiiKind, (s: string) => string> = {
  idcard: maskIdCard,
  mobile: maskMobile,
  landline: maskLandline,
  bankcard: maskBankCard,
  uscc: maskUscc,
  name: maskName,
  address: maskAddress,
  email: maskEmail,
  plate: maskPlate,
  passport: maskPassport,
};

/** Mask a value by the rule of its kind. Never throws: null or undefined give "", other non-strings are stringified. */
export function mask(kind: PiiKind, value: string): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? value : String(value);
  const f = MASKERS[kind] ?? maskGeneric;
  return f(s);
}

const lift = (f: (s: string) => string): Masker => (v) => (v === null || v === undefined ? null : f(typeof v === "string" ? v : String(v)));

const BIRTH_NAME = /出生|生日|birth|^csrq$|^dob$/i;
const DATE_TYPES = new Set(["日期型", "日期时间型", "字符型"]);

/**
 * The masker a data item needs on display or delivery at a grade (RULES §5.5, §12.4), or null when
 * no masking applies.
 * - 核心 / 重要: every identifier (including 统一社会信用代码), birth dates generalised to the year,
 *   and any other item marked sensitive.
 * - 一般 3–4级: personal identifiers (身份证, phones, bank cards, names, addresses, e-mail, plates,
 *   passports), birth dates, and items marked sensitive. A 一般 entry without a sub-grade counts
 *   as 4级 (就高从严).
 * - 一般 1–2级: none.
 * The kind comes from the item's name (身份证号, 联系电话, 姓名 …), so it works before any data is seen.
 */
export function maskerFor(grade: ProtectionGrade, subLevel: number | null | undefined, item: MaskableItem): Masker | null {
  const strict = grade === "核心" || grade === "重要";
  const level = subLevel ?? 4;
  if (!strict && level <= 2) return null;
  const { kind } = matchColumnName(item.name);
  if (kind === "phone") return lift(maskPhone);
  if (kind && (strict || kind !== "uscc")) return lift(MASKERS[kind]);
  if (BIRTH_NAME.test(item.name.replace(/[\s_.-]/g, "")) && DATE_TYPES.has(item.type)) return lift(generalizeBirthDate);
  if (item.sensitive) return lift(maskGeneric);
  return null;
}
