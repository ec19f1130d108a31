import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  generalizeBirthDate,
  mask,
  maskAddress,
  maskBankCard,
  maskEmail,
  maskerFor,
  maskIdCard,
  maskLandline,
  maskMobile,
  maskName,
  maskPassport,
  maskPlate,
  maskUscc,
  PII_KINDS,
} from "./index.ts";

describe("masking by kind (RULES §12)", () => {
  test("身份证 keeps the first 6 and the last 4", () => {
    assert.equal(maskIdCard("11010519491231002X"), "110105********002X");
    assert.equal(maskIdCard(" 11010519491231002x "), "110105********002x");
    assert.equal(maskIdCard("110105491231002"), "110105*****1002");
  });
  test("mobile keeps 3 + 4 and drops +86 and separators", () => {
    assert.equal(maskMobile("18012341999"), "180****1999");
    assert.equal(maskMobile("+86 180-1234-1999"), "180****1999");
    assert.equal(maskMobile("008618012341999"), "180****1999");
  });
  test("landline keeps the first 4 and the last 2 (RULES §12.3 example)", () => {
    assert.equal(maskLandline("09151234579"), "0915*****79");
    assert.equal(maskLandline("0915-1234579"), "0915*****79");
  });
  test("names keep the surname; compound surnames keep both characters", () => {
    assert.equal(maskName("段正淳"), "段**");
    assert.equal(maskName("张三"), "张*");
    assert.equal(maskName("欧阳娜娜"), "欧阳**");
    assert.equal(maskName("司马懿"), "司马*");
    assert.equal(maskName("诸葛亮"), "诸葛*");
    assert.equal(maskName("欧阳"), "欧*"); // two characters: surname 欧, given name 阳
    assert.equal(maskName("张"), "张");
    assert.equal(maskName("阿依古丽·买买提"), "阿***·***");
    assert.equal(maskName("John Smith"), "J*** *****");
  });
  test("addresses keep down to 区/县", () => {
    assert.equal(maskAddress("北京市海淀区马连洼街道1号"), "北京市海淀区*******");
    assert.equal(maskAddress("广东省东莞市南城街道新基社区"), "广东省东莞市********");
    assert.equal(maskAddress("中关村大街27号"), "********");
    assert.equal(maskAddress("北京市海淀区"), "北京市海淀区");
  });
  test("e-mail keeps the first character and the domain (RULES §12.3 example)", () => {
    assert.equal(maskEmail("duandazhi-jack@gmail.com.cn"), "d*************@gmail.com.cn");
    assert.equal(maskEmail("a@b.cn"), "*@b.cn");
    assert.equal(maskEmail("no-at-sign"), "**********");
  });
  test("bank card keeps the first 6 and the last 4", () => {
    assert.equal(maskBankCard("6222021234567890123"), "622202*********0123");
    assert.equal(maskBankCard("6222 0212 3456 7890"), "622202******7890");
  });
  test("plates hide the middle (RULES §12.3 example), passports and USCC", () => {
    assert.equal(maskPlate("苏D40000"), "苏D4***0");
    assert.equal(maskPlate("京AD12345"), "京AD****5");
    assert.equal(maskPassport("E12345678"), "E*****678");
    assert.equal(maskUscc("91110000600037341L"), "91110000*********L");
  });
  test("odd input never throws: short, empty, null, full-width, emoji", () => {
    for (const k of PII_KINDS) {
      for (const v of ["", "1", "12", "abc", "１２３４５６７８９０１", "👍🏽👍🏽👍🏽", "\u0000", "@", "·"]) {
        const out = mask(k, v);
        assert.equal(typeof out, "string", `${k} ${v}`);
      }
      assert.equal(mask(k, null as unknown as string), "");
      assert.equal(mask(k, undefined as unknown as string), "");
      assert.equal(typeof mask(k, 13812345678 as unknown as string), "string");
    }
    assert.equal(maskIdCard("123"), "***");
    assert.equal(maskMobile("12345"), "*****");
    assert.equal(maskIdCard("１１０１０５１９４９１２３１００２Ｘ"), "１１０１０５********００２Ｘ");
    assert.equal(maskMobile("１３８１２３４５６７８"), "１３８****５６７８");
    // Code points, not UTF-16 units: a rare character (CJK Ext. B) stays whole.
    assert.equal(maskName("𠀀三"), "𠀀*");
  });
  test("masked values never contain the hidden middle", () => {
    const id = "11010519491231002X";
    assert.ok(!mask("idcard", id).includes("19491231"));
    assert.ok(!mask("mobile", "13812345678").includes("1234"));
    assert.ok(!mask("bankcard", "6222021234567890123").includes("123456789"));
  });
});

describe("maskerFor (RULES §5.5, §12.4)", () => {
  const id = { name: "身份证号", type: "字符型", sensitive: true };
  test("一般1–2级: no masking", () => {
    assert.equal(maskerFor("一般", 1, id), null);
    assert.equal(maskerFor("一般", 2, id), null);
  });
  test("一般3–4级 mask identifiers; null stays null", () => {
    for (const level of [3, 4]) {
      const m = maskerFor("一般", level, id);
      assert.ok(m);
      assert.equal(m("11010519491231002X"), "110105********002X");
      assert.equal(m(null), null);
    }
    assert.equal(maskerFor("一般", 3, { name: "姓名", type: "字符型", sensitive: false })?.("欧阳娜娜"), "欧阳**");
    assert.equal(maskerFor("一般", 4, { name: "手机号码", type: "字符型", sensitive: false })?.("13812345678"), "138****5678");
  });
  test("a 一般 entry without a sub-grade counts as 4级", () => {
    assert.ok(maskerFor("一般", undefined, id));
    assert.ok(maskerFor("一般", null, id));
  });
  test("a phone column masks each value by what it is", () => {
    const m = maskerFor("一般", 4, { name: "联系电话", type: "字符型", sensitive: true });
    assert.equal(m?.("13812345678"), "138****5678");
    assert.equal(m?.("0915-3234579"), "0915*****79");
  });
  test("USCC is masked only for 重要/核心; other sensitive items get the generic mask; plain items none", () => {
    const uscc = { name: "统一社会信用代码", type: "字符型", sensitive: false };
    assert.equal(maskerFor("一般", 4, uscc), null);
    assert.equal(maskerFor("重要", null, uscc)?.("91110000600037341L"), "91110000*********L");
    assert.equal(maskerFor("核心", null, { name: "备注", type: "字符型", sensitive: true })?.("某某内部情况说明"), "某******明");
    assert.equal(maskerFor("核心", null, { name: "备注", type: "字符型", sensitive: false }), null);
    assert.equal(maskerFor("一般", 4, { name: "空气质量指数", type: "数值型", sensitive: false }), null);
  });
  test("birth dates are generalised to the year", () => {
    const m = maskerFor("一般", 3, { name: "出生日期", type: "日期型", sensitive: true });
    assert.equal(m?.("1949-12-31"), "1949");
    assert.equal(generalizeBirthDate("1949年12月31日"), "1949");
    assert.equal(generalizeBirthDate("19491231"), "1949");
    assert.equal(generalizeBirthDate("unknown"), "*******");
  });
});
