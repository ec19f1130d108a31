import { mulberry32 } from "../../core/random.ts";
import { idCardCheckChar, orgCodeCheckChar, todayYmd, USCC_CHARSET, usccCheckChar } from "./identifiers.ts";

/**
 * Seeded generators of synthetic identifiers with valid check characters, for tests and demo
 * data. They never produce a real person's data on purpose, but a generated ID can coincide with
 * a real one: use them only for synthetic datasets.
 */

export type Rng = () => number;

/** A seeded PRNG giving floats in [0, 1) (core's mulberry32). */
export const seededRng: (seed: number) => Rng = mulberry32;

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => String(int(rng, 0, 9))).join("");
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, 0, xs.length - 1)];

const PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"];

/** A valid 18-character 居民身份证号 born between 1930 and yesterday. */
export function syntheticIdCard(rng: Rng): string {
  const end = todayYmd(Date.now() - 86400_000);
  const endYear = +end.slice(0, 4);
  for (;;) {
    const y = int(rng, 1930, endYear);
    const m = int(rng, 1, 12);
    const d = int(rng, 1, new Date(Date.UTC(y, m, 0)).getUTCDate());
    const ymd = `${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
    if (ymd > end) continue;
    const first17 = `${pick(rng, PROVINCES)}${String(int(rng, 1, 99)).padStart(2, "0")}${String(int(rng, 1, 99)).padStart(2, "0")}${ymd}${digits(rng, 3)}`;
    return first17 + idCardCheckChar(first17);
  }
}

const USCC_PREFIXES = ["11", "12", "13", "51", "52", "53", "91", "92", "93"];
const ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A valid 统一社会信用代码 whose embedded 组织机构代码 is valid too. */
export function syntheticUscc(rng: Rng): string {
  for (;;) {
    const body8 = Array.from({ length: 8 }, (_, i) => (i === 0 && rng() < 0.3 ? "M" : pick(rng, Array.from(ORG_BODY)))).join("");
    const oc = orgCodeCheckChar(body8);
    if (!oc || !USCC_CHARSET.includes(oc)) continue;
    const first17 = `${pick(rng, USCC_PREFIXES)}${pick(rng, PROVINCES)}${digits(rng, 4)}${body8}${oc}`;
    return first17 + usccCheckChar(first17);
  }
}

/** A Luhn-valid card number of 16–19 digits starting 62 (银联) or 4. */
export function syntheticBankCard(rng: Rng): string {
  const len = int(rng, 16, 19);
  const body = (rng() < 0.7 ? "62" : "4") + "";
  const partial = body + digits(rng, len - body.length - 1);
  let sum = 0;
  for (let i = partial.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = partial.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

/** A mobile number 1[3-9]xxxxxxxxx. */
export function syntheticMobile(rng: Rng): string {
  return `1${int(rng, 3, 9)}${digits(rng, 9)}`;
}

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "欧阳", "司马", "诸葛"];
const GIVEN = Array.from("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红梅文博浩宇欣怡子涵");

/** A Chinese personal name (surname + 1–2 characters). */
export function syntheticName(rng: Rng): string {
  return pick(rng, SURNAMES) + Array.from({ length: int(rng, 1, 2) }, () => pick(rng, GIVEN)).join("");
}

const PLACES = [
  "北京市海淀区", "北京市朝阳区", "上海市浦东新区", "浙江省杭州市拱墅区", "浙江省杭州市西湖区", "广东省深圳市南山区",
  "广东省东莞市", "江苏省苏州市昆山市", "四川省成都市武侯区", "新疆维吾尔自治区乌鲁木齐市天山区", "吉林省延边朝鲜族自治州延吉市",
];
const STREETS = ["中关村大街", "米市巷", "解放路", "人民路", "建设路", "文一西路", "科技园南路", "河南街"];

/** An address: an administrative prefix down to county level, a street and a house number. */
export function syntheticAddress(rng: Rng): string {
  return `${pick(rng, PLACES)}${pick(rng, STREETS)}${int(rng, 1, 399)}号${rng() < 0.5 ? `${int(rng, 1, 30)}幢${int(rng, 1, 6)}单元${int(rng, 101, 2802)}室` : ""}`;
}
