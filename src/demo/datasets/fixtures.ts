/**
 * A small GBK CSV of 人口基础信息 with a known set of bad rows, for the ingest tests and the browser test.
 * Pure JS, no DuckDB; seeded, so the same arguments give the same bytes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { DISTRICTS } from "../data.ts";
import { DEFAULT_CITY, mulberry32 } from "../generator.ts";
import { ID_CHECK_CHARS, ID_WEIGHTS } from "./sql.ts";
import { COMPOUNDS, GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, ROADS, SURNAME_LIST } from "./vocab.ts";

/** The catalog entry the fixture belongs to (its columns are that entry's data items, in order). */
export const FIXTURE_DATASET = "population" as const;
const HEADER = ["公民身份号码", "姓名", "性别", "民族", "出生日期", "户籍地址", "现住址", "手机号码", "婚姻状况", "登记日期"];

export interface FixtureRowError {
  /** 1-based data row number (the header is not counted). */
  row: number;
  /** 1-based line of the file (the header is line 1, so line = row + 1). */
  line: number;
  column: string;
  kind: "badCheckDigit" | "missingRequired" | "badDate" | "outOfCodeList";
  /** The cell as written ("" when empty). */
  value: string;
  /**
   * "load": row validation against the data items (type, required, length, code list) refuses it;
   * "quality": the row loads but the 身份证 validity rule (GB 11643 check digit) fails.
   */
  stage: "load" | "quality";
}

export interface SmallCsvResult {
  path: string;
  rows: number;
  header: string[];
  /** One entry per bad row, in row order. */
  errors: FixtureRowError[];
  /** The cleanly loadable rows (rows − load-stage errors). */
  goodRows: number;
}

const KINDS: FixtureRowError["kind"][] = ["badCheckDigit", "missingRequired", "badDate", "outOfCodeList"];

function idCheck(body17: string): string {
  let s = 0;
  for (let k = 0; k < 17; k++) s += Number(body17[k]) * ID_WEIGHTS[k];
  return ID_CHECK_CHARS[s % 11];
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Writes `rows` data rows (default 40) of which `badRows` (default 4) are bad, one kind each in the order
 * 身份证校验位错误, 姓名缺失, 出生日期无效, 性别超出值域 (repeating), spread evenly over the file.
 * GBK, comma-separated, CRLF line ends, a header of the data item names.
 */
export function writeSmallGbkCsv(file: string, opts: { rows?: number; badRows?: number; seed?: number; cityName?: string } = {}): SmallCsvResult {
  const rows = opts.rows ?? 40;
  const badRows = opts.badRows ?? 4;
  if (!Number.isInteger(rows) || rows < 1 || rows > 100_000) throw new Error("rows must be 1..100000");
  if (!Number.isInteger(badRows) || badRows < 0 || badRows > rows) throw new Error("badRows must be 0..rows");
  const rnd = mulberry32(opts.seed ?? 20261123);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const city = opts.cityName ?? DEFAULT_CITY;
  const asOf = Date.UTC(2026, 10, 20);
  const day = 86_400_000;

  // Evenly spread, distinct (the spacing rows / badRows is at least 1).
  const badAt = new Map<number, FixtureRowError["kind"]>();
  for (let k = 0; k < badRows; k++) badAt.set(1 + Math.floor(((k + 0.5) * rows) / badRows), KINDS[k % KINDS.length]);

  const seen = new Set<string>();
  const lines = [HEADER.join(",")];
  const errors: FixtureRowError[] = [];
  for (let r = 1; r <= rows; r++) {
    const male = rnd() < 0.5;
    const birth = new Date(asOf - (365 * (18 + int(60)) + int(365)) * day);
    const region = pick(DISTRICTS).region;
    let body = "";
    do {
      const seq = 2 * (1 + int(480)) + (male ? 1 : 0);
      body = `${region}${iso(birth).replace(/-/g, "")}${String(seq).padStart(3, "0")}`;
    } while (seen.has(body));
    seen.add(body);
    const d = pick(DISTRICTS).name;
    const address = `${city}${d}${pick(ROADS)}${1 + int(300)}号${pick(COMPOUNDS)}${1 + int(20)}栋${1 + int(4)}单元${1 + int(30)}0${1 + int(4)}室`;
    const cells: Record<string, string> = {
      公民身份号码: body + idCheck(body),
      姓名: pick(SURNAME_LIST) + pick(male ? GIVEN_MALE : GIVEN_FEMALE) + (rnd() < 0.3 ? "" : pick(male ? GIVEN_MALE : GIVEN_FEMALE)),
      性别: male ? "男" : "女",
      民族: rnd() < 0.95 ? "汉族" : pick(["回族", "满族", "壮族"]),
      出生日期: iso(birth),
      户籍地址: address,
      现住址: rnd() < 0.8 ? address : `${city}${pick(DISTRICTS).name}${pick(ROADS)}${1 + int(300)}号`,
      手机号码: pick(MOBILE_PREFIXES) + String(int(100_000_000)).padStart(8, "0"),
      婚姻状况: pick(["未婚", "已婚", "已婚", "已婚", "离婚"]),
      登记日期: iso(new Date(birth.getTime() + int(Math.floor((asOf - birth.getTime()) / day)) * day)),
    };
    const kind = badAt.get(r);
    if (kind) {
      let column: string;
      let stage: FixtureRowError["stage"] = "load";
      if (kind === "badCheckDigit") {
        column = "公民身份号码";
        const right = ID_CHECK_CHARS.indexOf(cells[column][17]);
        cells[column] = body + ID_CHECK_CHARS[(right + 1 + int(10)) % 11];
        stage = "quality";
      } else if (kind === "missingRequired") {
        column = "姓名";
        cells[column] = "";
      } else if (kind === "badDate") {
        column = "出生日期";
        cells[column] = pick(["2023-02-30", "1990-13-01", "2001-04-31"]);
      } else {
        column = "性别";
        cells[column] = pick(["M", "未知", "1"]);
      }
      errors.push({ row: r, line: r + 1, column, kind, value: cells[column], stage });
    }
    lines.push(HEADER.map((h) => cells[h]).join(","));
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, iconv.encode(lines.join("\r\n") + "\r\n", "gbk"));
  return { path: file, rows, header: [...HEADER], errors, goodRows: rows - errors.filter((e) => e.stage === "load").length };
}
