import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { sm3 } from "sm-crypto-v2";
import { normalizeForPseudonym, pseudonymize } from "./index.ts";
import { base32 } from "./pseudonym.ts";

const key = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
const key2 = Buffer.from("fedcba9876543210fedcba9876543210", "hex");

test("node:crypto's SM3 matches the GB/T 32905 vector, and its HMAC-SM3 an independent implementation", () => {
  assert.equal(createHash("sm3").update("abc").digest("hex"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  const mac = createHmac("sm3", key).update("11010519491231002X").digest("hex");
  assert.equal(mac, sm3("11010519491231002X", { key: key.toString("hex") }));
});

test("base32 follows RFC 4648 (lower case, no padding)", () => {
  const cases: [string, string][] = [["", ""], ["f", "my"], ["fo", "mzxq"], ["foo", "mzxw6"], ["foob", "mzxw6yq"], ["fooba", "mzxw6ytb"], ["foobar", "mzxw6ytboi"]];
  for (const [i, o] of cases) assert.equal(base32(Buffer.from(i)), o, i);
});

test("a token is ps_ + 26 base32 characters of the first 16 bytes of the HMAC", () => {
  const t = pseudonymize(key, "11010519491231002X");
  assert.match(t, /^ps_[a-z2-7]{26}$/);
  const mac = createHmac("sm3", key).update("gongshu-ps-v1:0:").update(Buffer.alloc(0)).update(":").update("11010519491231002X").digest();
  assert.equal(t, `ps_${base32(mac.subarray(0, 16))}`);
});

test("the same person gets the same token however the identifier is written", () => {
  const id = pseudonymize(key, "11010519491231002X");
  for (const v of ["11010519491231002x", " 11010519491231002X ", "１１０１０５１９４９１２３１００２Ｘ"]) assert.equal(pseudonymize(key, v), id, v);
  const m = pseudonymize(key, "13812345678");
  for (const v of ["+86 138-1234-5678", "008613812345678", "138 1234 5678", "１３８１２３４５６７８"]) assert.equal(pseudonymize(key, v), m, v);
  assert.equal(pseudonymize(key, "6222 0212 3456 7890"), pseudonymize(key, "6222021234567890"));
  assert.equal(pseudonymize(key, "Zhang.San@Example.com"), pseudonymize(key, "zhang.san@example.com"));
  assert.equal(pseudonymize(key, "张三"), pseudonymize(key, " 张三 "));
  assert.notEqual(pseudonymize(key, "张三"), pseudonymize(key, "张四"));
  assert.equal(normalizeForPseudonym("91110000600037341l"), "91110000600037341L");
});

test("a different key or context gives a different token; contexts cannot be forged by concatenation", () => {
  const v = "11010519491231002X";
  const base = pseudonymize(key, v);
  assert.notEqual(pseudonymize(key2, v), base);
  assert.notEqual(pseudonymize(key, v, "sharing:org-a"), base);
  assert.notEqual(pseudonymize(key, v, "sharing:org-a"), pseudonymize(key, v, "sharing:org-b"));
  assert.equal(pseudonymize(key, v, "sharing:org-a"), pseudonymize(key, v, "sharing:org-a"));
  assert.notEqual(pseudonymize(key, "b:c", "a"), pseudonymize(key, "c", "a:b"));
});

test("a short or missing key is refused", () => {
  assert.throws(() => pseudonymize(Buffer.from("short"), "x"), RangeError);
  assert.throws(() => pseudonymize("0123456789abcdef0123" as unknown as Buffer, "x"), RangeError);
});
