import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ColumnDetection,
  DetectionReport,
  detectColumn,
  detectColumns,
  kindFromColumnName,
  seededRng,
  syntheticAddress,
  syntheticBankCard,
  syntheticIdCard,
  syntheticMobile,
  syntheticName,
  syntheticUscc,
} from "./index.ts";

const rng = seededRng(20261123);
const many = (n: number, f: () => string) => Array.from({ length: n }, f);
const randomDigits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rng() * 10))).join("");

describe("detection by values, confirmed by checksums", () => {
  test("valid 身份证 numbers are found without a telling column name", () => {
    const d = detectColumn({ name: "col3", samples: many(200, () => syntheticIdCard(rng)) });
    assert.equal(d.kind, "idcard");
    assert.equal(d.matched, 200);
    assert.equal(d.sampled, 200);
    assert.equal(d.sensitive, true);
    assert.equal(d.suggestedSubLevel, 4);
    assert.ok(d.confidence >= 0.95);
    assert.equal(d.byName, false);
    ColumnDetection.parse(d);
  });
  test("a column of random 18-digit strings is not 身份证 (nor a bank card)", () => {
    const d = detectColumn({ name: "流水号", samples: many(500, () => randomDigits(18)) });
    assert.equal(d.kind, null, d.reason);
    assert.equal(d.sensitive, false);
    assert.equal(d.suggestedSubLevel, 2);
  });
  test("random 16–19 digit strings are not bank cards; Luhn-valid ones are", () => {
    assert.equal(detectColumn({ name: "c", samples: many(500, () => `62${randomDigits(14)}`) }).kind, null);
    const d = detectColumn({ name: "c", samples: many(300, () => syntheticBankCard(rng)) });
    assert.equal(d.kind, "bankcard");
    assert.equal(d.suggestedSubLevel, 4);
  });
  test("USCC columns are organisation data: not sensitive, 2级", () => {
    const d = detectColumn({ name: "code", samples: many(100, () => syntheticUscc(rng)) });
    assert.equal(d.kind, "uscc");
    assert.equal(d.sensitive, false);
    assert.equal(d.suggestedSubLevel, 2);
  });
  test("mobiles, e-mail, plates and names by their values", () => {
    assert.equal(detectColumn({ name: "x1", samples: many(100, () => syntheticMobile(rng)) }).kind, "mobile");
    assert.equal(detectColumn({ name: "x2", samples: ["a@b.cn", "zhang@example.com", "li.si@gov.cn", null, ""] }).kind, "email");
    assert.equal(detectColumn({ name: "x3", samples: ["苏D40000", "京AD12345", "粤B12345D", "浙A8Q123"] }).kind, "plate");
    const names = detectColumn({ name: "x4", samples: many(100, () => syntheticName(rng)) });
    assert.equal(names.kind, "name");
    assert.equal(names.suggestedSubLevel, 3);
    assert.ok(names.confidence <= 0.7, "names by values alone are a weaker signal");
    assert.equal(detectColumn({ name: "x5", samples: many(100, () => syntheticAddress(rng)) }).kind, "address");
  });
});

describe("detection by column name", () => {
  test("Chinese, pinyin and English names", () => {
    const cases: [string, string | null][] = [
      ["身份证号", "idcard"], ["公民身份号码", "idcard"], ["证件号码", "idcard"], ["sfzh", "idcard"], ["ID_CARD", "idcard"],
      ["手机", "mobile"], ["联系电话", "mobile"], ["mobile", "mobile"], ["phone", "mobile"], ["固定电话", "landline"],
      ["统一社会信用代码", "uscc"], ["USCC", "uscc"], ["银行卡号", "bankcard"], ["账号", "bankcard"],
      ["姓名", "name"], ["name", "name"], ["法定代表人", "name"], ["联系人电话", "mobile"], ["法定代表人身份证号", "idcard"],
      ["地址", "address"], ["住址", "address"], ["address", "address"], ["IP地址", null], ["邮箱地址", "email"],
      ["邮箱", "email"], ["E-mail", "email"], ["车牌号", "plate"], ["号牌号码", "plate"], ["号牌种类", null], ["护照号码", "passport"],
      ["企业名称", null], ["空气质量指数", null],
    ];
    for (const [n, k] of cases) assert.equal(kindFromColumnName(n), k, n);
  });
  test("a name with no samples decides alone, with lower confidence", () => {
    const d = detectColumn({ name: "身份证号", samples: [null, "", "  "] });
    assert.equal(d.kind, "idcard");
    assert.equal(d.byName, true);
    assert.equal(d.confidence, 0.6);
    assert.match(d.reason, /无样本值/);
  });
  test("name and valid values agree: high confidence", () => {
    const d = detectColumn({ name: "公民身份号码", samples: many(50, () => syntheticIdCard(rng)) });
    assert.equal(d.kind, "idcard");
    assert.equal(d.confidence, 1);
    assert.match(d.reason, /校验位/);
  });
  test("an ID-named column of ID-shaped values with bad check digits stays 身份证 (strict), and says so", () => {
    const d = detectColumn({ name: "身份证号", samples: many(100, () => randomDigits(18)) });
    assert.equal(d.kind, "idcard");
    assert.equal(d.confidence, 0.5);
    assert.match(d.reason, /通过校验/);
  });
  test("the values win against a misleading name: 证件号码 holding passports", () => {
    const d = detectColumn({ name: "证件号码", samples: ["E12345678", "EA7654321", "G23456789", "E87654321"] });
    assert.equal(d.kind, "passport");
  });
  test("a phone column of landlines is landline", () => {
    const d = detectColumn({ name: "联系电话", samples: ["010-62345678", "0571-88886666", "021-61234567"] });
    assert.equal(d.kind, "landline");
  });
  test("a name whose values are plainly something else is not flagged", () => {
    const d = detectColumn({ name: "用户账号", samples: many(20, () => `user${randomDigits(4)}`) });
    assert.equal(d.kind, null);
    assert.match(d.reason, /不像/);
  });
  test("birth date, sex and ethnicity are personal attributes (3级)", () => {
    for (const [n, a] of [["出生日期", "birthdate"], ["性别", "sex"], ["民族", "ethnicity"]] as const) {
      const d = detectColumn({ name: n, samples: ["1990-01-01"] });
      assert.equal(d.attribute, a, n);
      assert.equal(d.kind, null);
      assert.equal(d.sensitive, true);
      assert.equal(d.suggestedSubLevel, 3);
    }
  });
});

describe("detectColumns", () => {
  test("the entry's suggestion is the max over its columns (就高从严)", () => {
    const r = detectColumns([
      { name: "姓名", samples: many(20, () => syntheticName(rng)) },
      { name: "身份证号", samples: many(20, () => syntheticIdCard(rng)) },
      { name: "AQI", samples: ["35", "80", "120"] },
    ]);
    DetectionReport.parse(r);
    assert.equal(r.suggestedGrade, "一般");
    assert.equal(r.suggestedSubLevel, 4);
    assert.deepEqual(r.columns.map((c) => c.suggestedSubLevel), [3, 4, 2]);
    assert.match(r.reason, /身份证号/);
    assert.match(r.reason, /就高从严/);
  });
  test("no personal data: 2级", () => {
    const r = detectColumns([{ name: "站点", samples: ["西湖站", "拱墅站"] }, { name: "AQI", samples: ["35", "80"] }]);
    assert.equal(r.suggestedSubLevel, 2);
    assert.ok(r.columns.every((c) => c.kind === null && !c.sensitive));
  });
});
