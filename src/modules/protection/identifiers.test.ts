import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  addressPrefix,
  idCard15To18,
  idCardCheckChar,
  isBankCard,
  isChineseName,
  isEmail,
  isLandline,
  isMobile,
  isPassport,
  isPlate,
  isValidIdCard,
  isValidIdCard15,
  isValidLuhn,
  isValidOrgCode,
  isValidUscc,
  isValidUsccStrict,
  looksLikeAddress,
  normalizeMobile,
  orgCodeCheckChar,
  usccCheckChar,
} from "./index.ts";
import { todayYmd } from "./identifiers.ts";

/** An ID with the given first 17 characters and its computed check character. */
const withCheck = (first17: string) => first17 + idCardCheckChar(first17);
const shanghaiDate = (offsetDays: number) => todayYmd(Date.now() + offsetDays * 86400_000);

describe("居民身份证号 (GB 11643, RULES §11.1)", () => {
  test("the published vectors pass", () => {
    assert.equal(isValidIdCard("11010519491231002X"), true);
    assert.equal(isValidIdCard("360426199101010071"), true);
    assert.equal(idCardCheckChar("11010519491231002"), "X");
    assert.equal(idCardCheckChar("36042619910101007"), "1");
  });
  test("every wrong check character fails", () => {
    for (const c of "0123456789X") {
      assert.equal(isValidIdCard(`11010519491231002${c}`), c === "X", c);
      assert.equal(isValidIdCard(`36042619910101007${c}`), c === "1", c);
    }
  });
  test("a transposition or one changed digit is caught", () => {
    assert.equal(isValidIdCard("110105194912310020"), false);
    assert.equal(isValidIdCard("11010519491231020X"), false); // 0 and 2 swapped
    assert.equal(isValidIdCard("11010519491231003X"), false);
  });
  test("blanks around it and a lower-case x are tolerated; full-width digits and inner blanks are not", () => {
    assert.equal(isValidIdCard(" 11010519491231002x\t"), true);
    assert.equal(isValidIdCard("\u300011010519491231002X"), true);
    assert.equal(isValidIdCard("１１０１０５１９４９１２３１００２Ｘ"), false);
    assert.equal(isValidIdCard("110105 19491231002X"), false);
  });
  test("the birth date must exist and not be in the future", () => {
    assert.equal(isValidIdCard(withCheck("11010520000229001")), true); // 2000 is a leap year
    assert.equal(isValidIdCard(withCheck("11010519000229001")), false); // 1900 is not
    assert.equal(isValidIdCard(withCheck("11010519490230001")), false);
    assert.equal(isValidIdCard(withCheck("11010519491131001")), false);
    assert.equal(isValidIdCard(withCheck("11010519491301001")), false);
    assert.equal(isValidIdCard(withCheck(`110105${shanghaiDate(0)}001`)), true);
    assert.equal(isValidIdCard(withCheck(`110105${shanghaiDate(2)}001`)), false);
    assert.equal(isValidIdCard(withCheck("11010517991231001")), false);
  });
  test("the province code must exist", () => {
    assert.equal(isValidIdCard(withCheck("99010519491231002")), false);
    assert.equal(isValidIdCard(withCheck("00010519491231002")), false);
    assert.equal(isValidIdCard(withCheck("81000019491231002")), true); // 香港居民居住证
  });
  test("wrong lengths and odd input fail without throwing", () => {
    for (const v of ["", "11010519491231002", "11010519491231002XX", "abc", "1101051949123100２X"]) assert.equal(isValidIdCard(v), false, v);
    assert.equal(isValidIdCard(null as unknown as string), false);
    assert.equal(isValidIdCard(110105 as unknown as string), false);
  });
  test("15-digit old IDs validate and upgrade to 18", () => {
    assert.equal(isValidIdCard15("110105491231002"), true);
    assert.equal(isValidIdCard15("110105490231002"), false);
    assert.equal(idCard15To18("110105491231002"), "11010519491231002X");
    assert.equal(idCard15To18("11010549123100"), null);
  });
});

describe("统一社会信用代码 (GB 32100, RULES §11.2)", () => {
  test("the published vectors pass, with their embedded organisation codes", () => {
    assert.equal(isValidUscc("91110000600037341L"), true);
    assert.equal(isValidUscc("91350100M000100Y43"), true);
    assert.equal(usccCheckChar("91110000600037341"), "L");
    assert.equal(isValidUsccStrict("91110000600037341L"), true);
    assert.equal(isValidUsccStrict("91350100M000100Y43"), true);
    assert.equal(isValidOrgCode("60003734-1"), true);
    assert.equal(orgCodeCheckChar("M000100Y"), "4");
  });
  test("any other check character fails", () => {
    for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") assert.equal(isValidUscc(`91110000600037341${c}`), c === "L", c);
  });
  test("letters outside the charset (I, O, S, V, Z) fail; lower case is tolerated", () => {
    assert.equal(isValidUscc("91110000600037341l"), true);
    assert.equal(isValidUscc("9111000060003734IL"), false);
    assert.equal(isValidUscc("91110000600O37341L"), false);
  });
  test("a good check character with a bad embedded organisation code passes only the plain check", () => {
    const first17 = "91110000600037351"; // org body 60003735 with check 1 (its real check is different)
    const code = first17 + usccCheckChar(first17);
    assert.equal(isValidUscc(code), true);
    assert.equal(isValidOrgCode("60003735-1"), false);
    assert.equal(isValidUsccStrict(code), false);
  });
  test("odd input", () => {
    for (const v of ["", "91110000600037341", "9111000060003734-1L", "ＡＢＣ"]) assert.equal(isValidUscc(v), false, v);
    assert.equal(isValidUscc(undefined as unknown as string), false);
  });
});

describe("bank cards (Luhn, RULES §11.3)", () => {
  test("Luhn vectors", () => {
    assert.equal(isValidLuhn("79927398713"), true);
    for (const d of "0124456789") if (d !== "3") assert.equal(isValidLuhn(`7992739871${d}`), false, d);
    assert.equal(isValidLuhn("4111 1111 1111 1111"), true);
    assert.equal(isValidLuhn("4111-1111-1111-1112"), false);
    assert.equal(isValidLuhn("1"), false);
    assert.equal(isValidLuhn("41111111111111111111"), false); // 20 digits
  });
  test("a bank card is 16–19 digits passing Luhn", () => {
    assert.equal(isBankCard("4111111111111111"), true);
    assert.equal(isBankCard("6222 0200 0000 0000 008"), isValidLuhn("6222020000000000008"));
    assert.equal(isBankCard("378282246310005"), false); // 15-digit Amex: Luhn ok, too short for a PAN here
    assert.equal(isValidLuhn("378282246310005"), true);
    assert.equal(isBankCard("0111111111111111"), false);
  });
});

describe("phones and e-mail", () => {
  test("mobile: 1[3-9] + 9 digits, tolerating +86, spaces and dashes (RULES §11.4)", () => {
    for (const v of ["13812345678", "+86 138-1234-5678", "008613812345678", "8613812345678", " 199 0000 0000 "]) assert.equal(isMobile(v), true, v);
    for (const v of ["12812345678", "1381234567", "138123456789", "+1 13812345678", "１３８１２３４５６７８"]) assert.equal(isMobile(v), false, v);
    assert.equal(normalizeMobile("+86 138-1234-5678"), "13812345678");
  });
  test("landline: area code and 7–8 digit local number", () => {
    for (const v of ["010-62345678", "0571-88886666", "(0571)8888 6666", "09151234579", "0915-3234567转123", "021 6123 4567"]) assert.equal(isLandline(v), true, v);
    for (const v of ["12345678", "010-0234567", "13812345678", "0571-888"]) assert.equal(isLandline(v), false, v);
  });
  test("e-mail", () => {
    for (const v of ["a@b.cn", "zhang.san+x@mail.example.com.cn", "d_1@x-y.org"]) assert.equal(isEmail(v), true, v);
    for (const v of ["a@b", "@b.cn", "a..b@c.cn", "a@-b.cn", "张三@例子.中国", "a b@c.cn"]) assert.equal(isEmail(v), false, v);
  });
});

describe("plates and passports", () => {
  test("机动车号牌, including new-energy plates", () => {
    for (const v of ["苏D40000", "京A·12345", "粤BD12345", "粤B12345D", "沪AF1234", "浙A1234学"]) assert.equal(isPlate(v), true, v);
    for (const v of ["京AI2345", "AB12345", "京A1234", "粤BD123456", "京A123456"]) assert.equal(isPlate(v), false, v);
  });
  test("passports", () => {
    for (const v of ["E12345678", "EA1234567", "G12345678", "P1234567"]) assert.equal(isPassport(v), true, v);
    assert.equal(isPassport("X1234567"), false);
    assert.equal(isPassport("X1234567", { generic: true }), true);
    assert.equal(isPassport("ABCDEFG", { generic: true }), false);
  });
});

describe("names and addresses (heuristics)", () => {
  test("Chinese names", () => {
    for (const v of ["张三", "欧阳娜娜", "司马懿", "阿依古丽·买买提", "王小明"]) assert.equal(isChineseName(v), true, v);
    for (const v of ["北京市", "公安局", "abc", "张", "张三丰李四王五", "成都市"]) assert.equal(isChineseName(v), false, v);
  });
  test("addresses", () => {
    assert.equal(looksLikeAddress("北京市海淀区中关村大街27号"), true);
    assert.equal(looksLikeAddress("浙江省杭州市拱墅区米市巷街道1幢"), true);
    assert.equal(looksLikeAddress("张三"), false);
    assert.equal(looksLikeAddress("海淀区"), false);
  });
  test("the kept prefix of an address stops at county level", () => {
    const cases: [string, string][] = [
      ["北京市海淀区中关村大街27号", "北京市海淀区"],
      ["浙江省杭州市拱墅区米市巷街道", "浙江省杭州市拱墅区"],
      ["广东省东莞市南城街道新基社区", "广东省东莞市"],
      ["新疆维吾尔自治区乌鲁木齐市天山区解放北路1号", "新疆维吾尔自治区乌鲁木齐市天山区"],
      ["吉林省延边朝鲜族自治州延吉市河南街", "吉林省延边朝鲜族自治州延吉市"],
      ["内蒙古自治区呼伦贝尔市鄂伦春自治旗阿里河镇", "内蒙古自治区呼伦贝尔市鄂伦春自治旗"],
      ["江苏省苏州市昆山市玉山镇", "江苏省苏州市昆山市"],
      ["上海市浦东新区张江路88号", "上海市浦东新区"],
      ["杭州市拱墅区米市巷", "杭州市拱墅区"],
      ["拱墅区米市巷8号", "拱墅区"],
      ["深圳市万科城B区5栋", "深圳市"],
      ["中关村大街27号", ""],
    ];
    for (const [a, p] of cases) assert.equal(addressPrefix(a), p, a);
  });
});
