import fs from "node:fs";
import iconv from "iconv-lite";
import { mulberry32 } from "../../demo/generator.ts";

/**
 * Test doubles of the ingest module (tests, the crash test and bench/ingest): the data items of a
 * realistic person-level dataset, and a seeded generator of large CSV files in UTF-8 or GBK with
 * valid 身份证 check digits and a chosen share of dirty rows. Written in chunks: bounded memory.
 */

export const PERSON_ITEMS = [
  { name: "公民身份号码", nameEn: "id_number", type: "字符型", length: 18, sensitive: true, required: true, key: true },
  { name: "姓名", nameEn: "name", type: "字符型", length: 30, sensitive: true, required: true, key: false },
  { name: "性别", nameEn: "gender", type: "字符型", length: 2, sensitive: false, required: true, key: false, codeList: ["男", "女"] },
  { name: "出生日期", nameEn: "birth_date", type: "日期型", sensitive: false, required: false, key: false },
  { name: "参保金额", nameEn: "amount", type: "数值型", sensitive: false, required: false, key: false },
  { name: "家庭人数", nameEn: "household_size", type: "整数型", sensitive: false, required: false, key: false },
  { name: "是否在职", nameEn: "employed", type: "布尔型", sensitive: false, required: false, key: false },
  { name: "登记时间", nameEn: "registered_at", type: "日期时间型", sensitive: false, required: false, key: false },
] as const;

export const PERSON_HEADER = PERSON_ITEMS.map((i) => i.name);

/** Small deterministic PRNG (the demo generator's mulberry32). */
export const rng = mulberry32;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";
/** GB 11643 check character of the first 17 digits. */
export function idCheck(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * W[i];
  return CHECK[s % 11];
}

const AREAS = ["330102", "330105", "330106", "330108", "330109", "330110", "420102", "420106", "110101", "310104"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬飞鹏辉建国建华志强海燕晓东春梅小红子涵梓萱浩然宇轩欣怡";
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export interface PersonCsvOptions {
  rows: number;
  seed?: number;
  encoding?: "utf-8" | "gbk";
  /** Share of rows with one dirty cell (bad date, bad number, code not in list, empty name, duplicate id). */
  dirtyRatio?: number;
  /** First row's sequence (distinct ids between files). */
  offset?: number;
  delimiter?: string;
  /** Write a UTF-8 BOM (Excel's "CSV UTF-8"). */
  bom?: boolean;
}

/** One row of the person dataset, as CSV cells (dirty with probability dirtyRatio). */
export function personRow(i: number, r: () => number, dirty: boolean, prevId: string | null): string[] {
  // Distinct ids by construction: area = i mod 10, sequence = (i / 10) mod 1000, birth date from i / 10000
  // (a bijection onto 66 years of days), so no two rows share area + date + sequence.
  const j = Math.floor(i / 10);
  const dayOffset = (Math.floor(j / 1000) * 23) % 24090;
  const birthDate = new Date(Date.UTC(1940, 0, 1) + dayOffset * 86_400_000);
  const year = birthDate.getUTCFullYear();
  const month = birthDate.getUTCMonth() + 1;
  const day = birthDate.getUTCDate();
  const f17 = `${AREAS[i % AREAS.length]}${year}${pad(month)}${pad(day)}${pad(j % 1000, 3)}`;
  let id = `${f17}${idCheck(f17)}`;
  const name = SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)] + (r() < 0.5 ? GIVEN[Math.floor(r() * GIVEN.length)] : "");
  const gender = (f17.charCodeAt(16) - 48) % 2 === 1 ? "男" : "女";
  const dateForms = [`${year}-${pad(month)}-${pad(day)}`, `${year}/${month}/${day}`, `${year}${pad(month)}${pad(day)}`, `${year}年${month}月${day}日`];
  let birth = dateForms[i % 4];
  let amount = (Math.floor(r() * 10_000_000) / 100).toFixed(2);
  let size = String(1 + Math.floor(r() * 6));
  const employed = ["是", "否", "true", "false", "1", "0"][i % 6];
  const reg = `20${pad(10 + Math.floor(r() * 15))}-${pad(month)}-${pad(day)} ${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}:${pad(Math.floor(r() * 60))}`;
  let nm = name;
  let g = gender;
  if (dirty) {
    switch (i % 5) {
      case 0: birth = `${year}-13-45`; break;
      case 1: amount = "约100元"; break;
      case 2: g = "未知"; break;
      case 3: nm = ""; break;
      case 4: if (prevId) id = prevId; else size = "两人"; break;
    }
  }
  return [id, nm, g, birth, amount, size, employed, reg];
}

const csvCell = (s: string, d: string) => (s.includes(d) || s.includes('"') || s.includes("\n") ? `"${s.replaceAll('"', '""')}"` : s);

/** Write a person CSV of `rows` data rows; returns the number of dirty rows written. */
export async function writePersonCsv(file: string, o: PersonCsvOptions): Promise<{ dirtyRows: number; bytes: number }> {
  const r = rng(o.seed ?? 20261125);
  const d = o.delimiter ?? ",";
  const enc = o.encoding ?? "utf-8";
  const out = fs.createWriteStream(file);
  const write = async (s: string) => {
    const buf = enc === "gbk" ? iconv.encode(s, "gbk") : Buffer.from(s, "utf8");
    if (!out.write(buf)) await new Promise<void>((res) => out.once("drain", () => res()));
  };
  if (o.bom && enc === "utf-8") out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  await write(`${PERSON_HEADER.join(d)}\r\n`);
  let chunk = "";
  let dirtyRows = 0;
  let prevId: string | null = null;
  const ratio = o.dirtyRatio ?? 0;
  const base = o.offset ?? 0;
  for (let k = 0; k < o.rows; k++) {
    const dirty = ratio > 0 && r() < ratio;
    if (dirty) dirtyRows++;
    const cells = personRow(base + k, r, dirty, prevId);
    prevId = cells[0];
    chunk += `${cells.map((c) => csvCell(c, d)).join(d)}\r\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = "";
    }
  }
  if (chunk) await write(chunk);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return { dirtyRows, bytes: fs.statSync(file).size };
}
