import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import {
  duckdbMacros,
  DUCKDB_MACROS,
  idCardCheckChar,
  isBankCard,
  isEmail,
  isMobile,
  isValidIdCard,
  isValidLuhn,
  isValidUscc,
  maskAddress,
  maskBankCard,
  maskIdCard,
  maskMobile,
  maskName,
  seededRng,
  syntheticAddress,
  syntheticBankCard,
  syntheticIdCard,
  syntheticMobile,
  syntheticName,
  syntheticUscc,
  usccCheckChar,
  type Rng,
} from "./index.ts";
import { todayYmd } from "./identifiers.ts";

/** Each macro and the JS function it must agree with. */
const PAIRS: [string, (v: string) => boolean | string][] = [
  ["gs_idcard_valid", isValidIdCard],
  ["gs_uscc_valid", isValidUscc],
  ["gs_luhn_valid", isValidLuhn],
  ["gs_bankcard_valid", isBankCard],
  ["gs_mobile_valid", isMobile],
  ["gs_email_valid", isEmail],
  ["gs_mask_idcard", maskIdCard],
  ["gs_mask_mobile", maskMobile],
  ["gs_mask_name", maskName],
  ["gs_mask_address", maskAddress],
  ["gs_mask_bankcard", maskBankCard],
];

const FULL = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const BLANKS = [" ", "\t", "\n", "\r", "\u3000", "\u00a0"];

/** Valid values of every kind and corruptions of them: one changed or swapped character, case, blanks, dates, lengths. */
function corpus(rng: Rng): (string | null)[] {
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)];
  const changeOne = (s: string) => {
    const cs = Array.from(s);
    const i = int(0, cs.length - 1);
    cs[i] = pick(Array.from("0123456789X"));
    return cs.join("");
  };
  const swap = (s: string) => {
    const i = int(0, s.length - 2);
    return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  };
  const wrap = (s: string) => pick(BLANKS) + s + pick(BLANKS);
  const mutate = (s: string): string => {
    switch (int(0, 9)) {
      case 0: return changeOne(s);
      case 1: return swap(s);
      case 2: return s.toLowerCase();
      case 3: return wrap(s);
      case 4: return s.slice(0, -1);
      case 5: return s + pick(["0", "X", "1"]);
      case 6: return FULL(s);
      case 7: return `${s.slice(0, 6)} ${s.slice(6)}`;
      case 8: return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
      default: return s;
    }
  };
  const withDate = (ymd: string) => {
    const first17 = `${pick(["11", "33", "44", "65", "81", "99"])}0105${ymd}${String(int(0, 999)).padStart(3, "0")}`;
    return first17 + idCardCheckChar(first17);
  };
  const ymdPlus = (days: number) => todayYmd(Date.now() + days * 86400_000);
  const out: (string | null)[] = [
    "11010519491231002X", "360426199101010071", "11010519491231002x", "110105194912310021", "91110000600037341L", "91350100M000100Y43",
    "79927398713", "4111 1111 1111 1111", "13812345678", "+86 138-1234-5678", "a@b.cn", "欧阳娜娜", "北京市海淀区中关村大街27号",
    null, "", " ", "\u3000", "X", "x", "0", "00", "·", "👍🏽👍🏽", "𠀀𠀁", "张", "欧阳", "司马懿", "阿依古丽·买买提", "John Smith", "O'Brien",
    withDate("20000229"), withDate("19000229"), withDate("19491231"), withDate(ymdPlus(0)), withDate(ymdPlus(-1)), withDate(ymdPlus(1)), withDate(ymdPlus(400)),
    withDate("18000101"), withDate("17991231"), withDate("20991231"), withDate("19490431"), withDate("19491301"), withDate("19490001"),
    "9999999999999999999", "18446744073709551615", "0000000000000000", "99999999999999999999",
  ];
  for (let i = 0; i < 1500; i++) {
    const id = syntheticIdCard(rng);
    out.push(id, mutate(id));
    if (i % 3 === 0) out.push(withDate(`${int(1795, 2105)}${String(int(0, 13)).padStart(2, "0")}${String(int(0, 32)).padStart(2, "0")}`));
  }
  for (let i = 0; i < 800; i++) {
    const u = syntheticUscc(rng);
    out.push(u, mutate(u));
    const f = `${pick(["Y1", "A1", "N2", "91"])}${String(int(0, 999999)).padStart(6, "0")}${Array.from({ length: 9 }, () => pick(Array.from("0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ"))).join("")}`;
    out.push(f + (rng() < 0.5 && /^[0-9A-Z]{17}$/.test(f) && !/[IOSVZ]/.test(f) ? usccCheckChar(f) : pick(Array.from("0123456789ABL"))));
  }
  for (let i = 0; i < 1000; i++) {
    const b = syntheticBankCard(rng);
    out.push(b, mutate(b), b.replace(/(\d{4})(?=\d)/g, "$1 "));
    out.push(Array.from({ length: int(1, 21) }, () => String(int(0, 9))).join(""));
  }
  for (let i = 0; i < 700; i++) {
    const m = syntheticMobile(rng);
    out.push(m, mutate(m), `${pick(["+86", "0086", "86", "+86 ", "+1"])}${m}`, `${m.slice(0, 3)} ${m.slice(3, 7)}-${m.slice(7)}`);
  }
  for (let i = 0; i < 500; i++) {
    const local = Array.from({ length: int(1, 12) }, () => pick(Array.from("abcxyz019._-+%"))).join("");
    const dom = pick(["example.com", "gov.cn", "mail.hz.gov.cn", "x-y.org", "-bad.com", "a..b", "b", "例子.中国", "c0m.c0"]);
    out.push(`${local}@${dom}`, wrap(`${local}@${dom}`));
  }
  for (let i = 0; i < 600; i++) {
    out.push(syntheticName(rng), wrap(syntheticName(rng)), syntheticAddress(rng), mutate(syntheticAddress(rng)));
  }
  // Random junk: any code points, including surrogates' partners, blanks and separators.
  const junk = Array.from("0123456789Xx -+@.·•・ \t\u3000市区县省路号欧阳张王ａ１👍🏽𠀀é");
  for (let i = 0; i < 800; i++) out.push(Array.from({ length: int(0, 24) }, () => pick(junk)).join(""));
  return out;
}

describe("DuckDB macros agree with the JS functions", () => {
  let inst: DuckDBInstance;
  let c: DuckDBConnection;
  before(async () => {
    inst = await DuckDBInstance.create(":memory:", { threads: "1" });
    c = await inst.connect();
    for (const m of duckdbMacros()) await c.run(m);
  });
  after(() => {
    c?.closeSync();
    inst?.closeSync();
  });

  test("every public macro exists and NULL gives NULL", async () => {
    const cols = DUCKDB_MACROS.map((m) => `${m}(NULL::VARCHAR) AS ${m}`).join(", ");
    const row = (await c.runAndReadAll(`SELECT ${cols}`)).getRowObjectsJson()[0];
    for (const m of DUCKDB_MACROS) assert.equal(row[m], null, m);
  });

  test("the RULES §11 vectors", async () => {
    const r = (await c.runAndReadAll(
      `SELECT gs_idcard_valid('11010519491231002X') a, gs_idcard_valid('360426199101010071') b, gs_idcard_valid('11010519491231002Y') c,
              gs_uscc_valid('91110000600037341L') d, gs_uscc_valid('91350100M000100Y43') e, gs_uscc_valid('91110000600037341M') f,
              gs_luhn_valid('79927398713') g, gs_luhn_valid('79927398710') h, gs_mobile_valid('13812345678') i, gs_mobile_valid('12812345678') j,
              gs_mask_idcard('11010519491231002X') k, gs_mask_mobile('18012341999') l, gs_mask_name('欧阳娜娜') m, gs_mask_address('北京市海淀区中关村大街27号') n,
              gs_mask_bankcard('6222021234567890123') o`,
    )).getRowObjectsJson()[0];
    assert.deepEqual(r, {
      a: true, b: true, c: false, d: true, e: true, f: false, g: true, h: false, i: true, j: false,
      k: "110105********002X", l: "180****1999", m: "欧阳**", n: "北京市海淀区********", o: "622202*********0123",
    });
  });

  /** Table `name` (i INTEGER, x VARCHAR) holding the values in order (through an appender: any character, no quoting). */
  async function loadValues(name: string, values: (string | null)[]): Promise<void> {
    await c.run(`CREATE OR REPLACE TABLE ${name} (i INTEGER, x VARCHAR)`);
    const app = await c.createAppender(name);
    values.forEach((x, i) => {
      app.appendInteger(i);
      if (x === null) app.appendNull();
      else app.appendVarchar(x);
      app.endRow();
    });
    app.closeSync();
  }

  test("on ~30,000 generated valid and corrupted values, value for value", async () => {
    const values = corpus(seededRng(7));
    await loadValues("v", values);
    const sel = PAIRS.map(([m]) => `${m}(x) AS ${m}`).join(", ");
    const rows = (await c.runAndReadAll(`SELECT i, ${sel} FROM v ORDER BY i`)).getRowObjectsJson();
    assert.equal(rows.length, values.length);
    const mismatches: string[] = [];
    const positives: Record<string, number> = {};
    for (const row of rows) {
      const x = values[Number(row.i)];
      for (const [m, f] of PAIRS) {
        const want = x === null ? null : f(x);
        if (want === true) positives[m] = (positives[m] ?? 0) + 1;
        if (row[m] !== want && mismatches.length < 20) mismatches.push(`${m}(${JSON.stringify(x)}): sql ${JSON.stringify(row[m])} js ${JSON.stringify(want)}`);
      }
    }
    assert.deepEqual(mismatches, []);
    // The corpus really exercises both outcomes of each validator.
    for (const m of ["gs_idcard_valid", "gs_uscc_valid", "gs_luhn_valid", "gs_bankcard_valid", "gs_mobile_valid", "gs_email_valid"]) {
      assert.ok((positives[m] ?? 0) > 200, `${m}: ${positives[m]} valid values`);
      assert.ok((positives[m] ?? 0) < values.length - 1000, m);
    }
  });

  test("the two-step form (gs_idcard_num in a subquery, then gs_idcard_valid_num) agrees with gs_idcard_valid and the JS on the corpus", async () => {
    const values = corpus(seededRng(11));
    await loadValues("v2", values);
    const rows = (await c.runAndReadAll("SELECT i, gs_idcard_valid_num(x, m) AS a, gs_idcard_valid(x) AS b FROM (SELECT i, x, gs_idcard_num(x) AS m FROM v2) ORDER BY i")).getRowObjectsJson();
    const bad = rows.filter((r) => r.a !== r.b || r.a !== (values[Number(r.i)] === null ? null : isValidIdCard(values[Number(r.i)]!))).slice(0, 10);
    assert.deepEqual(bad, []);
    assert.ok(rows.filter((r) => r.a === true).length > 200, "valid IDs in the corpus");
  });

  /** gs_idcard_valid(x) for each value, in order (the values go through a table: no quoting, any character). */
  async function idcardValid(values: string[]): Promise<unknown[]> {
    await c.run("CREATE OR REPLACE TEMP TABLE idv (i INTEGER, x VARCHAR)");
    const app = await c.createAppender("idv");
    values.forEach((x, i) => {
      app.appendInteger(i);
      app.appendVarchar(x);
      app.endRow();
    });
    app.closeSync();
    return (await c.runAndReadAll("SELECT gs_idcard_valid(x) FROM idv ORDER BY i")).getRowsJson().map((r) => r[0]);
  }
  /** An ID born on ymd with the right check character; with a wrong one; lower-case; padded; ending in X whatever its check. */
  const idVariants = (region: string, ymd: string, seq: string) => {
    const first17 = region + ymd + seq;
    const check = idCardCheckChar(first17);
    const wrong = check === "X" ? "0" : check === "9" ? "X" : String(Number(check) + 1);
    return [first17 + check, first17 + wrong, (first17 + check).toLowerCase(), ` ${first17 + check}\u3000`, first17 + "X"];
  };

  test("ID birth dates on calendar edges: leap days, 31st of 30-day months, today and tomorrow", async () => {
    const addDays = (days: number) => todayYmd(Date.now() + days * 86400_000);
    const cases: [string, boolean][] = [
      ["20000229", true], ["19000229", false], ["18000229", false], ["20240229", true], ["20230229", false],
      ["18040229", true], ["19960229", true], ["20000230", false], ["19990228", true], ["19490230", false],
      ["19490431", false], ["19490631", false], ["19490931", false], ["19491131", false],
      ["19490131", true], ["19490331", true], ["19490531", true], ["19490731", true], ["19490831", true], ["19491031", true], ["19491231", true],
      ["19490430", true], ["19490001", false], ["19491301", false], ["19490100", false], ["17991231", false], ["18000101", true],
      [addDays(-1), true], [addDays(0), true], [addDays(1), false], [addDays(366), false],
    ];
    const values: string[] = [];
    for (const [ymd, valid] of cases) {
      // Sequences 000–019: some end in X, some in a digit.
      for (let s = 0; s < 20; s++) {
        const [good] = idVariants("330106", ymd, String(s).padStart(3, "0"));
        assert.equal(isValidIdCard(good), valid, `isValidIdCard(${good})`);
        values.push(...idVariants("330106", ymd, String(s).padStart(3, "0")));
      }
    }
    const got = await idcardValid(values);
    const mismatches = values.flatMap((x, i) => (got[i] === isValidIdCard(x) ? [] : [`${JSON.stringify(x)}: sql ${got[i]} js ${isValidIdCard(x)}`]));
    assert.deepEqual(mismatches.slice(0, 20), []);
  });

  test("every year 1795–2105 × month 00–13 × day 00–32, largest region and sequence too", async () => {
    const values: string[] = [];
    for (let y = 1795; y <= 2105; y++) {
      for (let mo = 0; mo <= 13; mo++) {
        for (let d = 0; d <= 32; d++) {
          const ymd = `${y}${String(mo).padStart(2, "0")}${String(d).padStart(2, "0")}`;
          // 839999 … 999X is the largest value the pattern lets through (the arithmetic's BIGINT bound).
          const [region, seq] = (y + mo + d) % 2 ? ["839999", "999"] : ["110105", String((y * 7 + d) % 1000).padStart(3, "0")];
          const [good, wrong, , , x] = idVariants(region, ymd, seq);
          values.push(good, wrong, x);
        }
      }
    }
    const got = await idcardValid(values);
    let valid = 0;
    const mismatches: string[] = [];
    values.forEach((x, i) => {
      const want = isValidIdCard(x);
      if (want) valid++;
      if (got[i] !== want && mismatches.length < 20) mismatches.push(`${x}: sql ${got[i]} js ${want}`);
    });
    assert.deepEqual(mismatches, []);
    assert.ok(valid > 80_000, `${valid} valid`);
  });

  test("TEMP macros for a connection that must not write to its database file", async () => {
    const c2 = await inst.connect();
    for (const m of duckdbMacros({ temporary: true })) await c2.run(m);
    const r = (await c2.runAndReadAll("SELECT gs_idcard_valid('11010519491231002X') ok")).getRowObjectsJson()[0];
    assert.equal(r.ok, true);
    c2.closeSync();
  });
});

describe("installing the macros on many connections of one instance", () => {
  // (Persistent macros created the same way fail with "Catalog write-write conflict", hence TEMP for the lake.)
  test("TEMP macros can be created by concurrent connections of one instance", async () => {
    const inst = await DuckDBInstance.create(":memory:", { threads: "1" });
    const install = async (temporary: boolean) => {
      // Every connection creates all macros at once.
      let failures = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const c = await inst.connect();
          for (const m of duckdbMacros({ temporary })) await c.run(m).catch(() => failures++);
          c.closeSync();
        }),
      );
      return failures;
    };
    assert.equal(await install(true), 0);
    inst.closeSync();
  });
});
