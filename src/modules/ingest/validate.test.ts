import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { ERR_COLUMN, planColumns, validatedSelect } from "./validate.ts";

/**
 * The typing and checking SQL of the load pass, on DuckDB itself: the boolean spellings (the usual ones
 * by equality, the rest through lower()) and code lists of any length (list_contains), NULLs passing.
 */

let instance: DuckDBInstance;
let c: DuckDBConnection;
before(async () => {
  instance = await DuckDBInstance.create(":memory:");
  c = await instance.connect();
});
after(() => {
  c.closeSync();
  instance.closeSync();
});

const lit = (v: string | null) => (v === null ? "NULL" : `'${v.replaceAll("'", "''")}'`);

/** Rows of the pass over a VALUES source of one VARCHAR column named like the item. */
async function pass(item: Record<string, unknown>, values: (string | null)[]) {
  const plan = planColumns(["x"], [{ name: "x", nameEn: "x", type: "字符型", sensitive: false, required: false, key: false, ...item } as never], "t.csv");
  const source = `(SELECT * FROM (VALUES ${values.map((v) => `(${lit(v)}::VARCHAR)`).join(", ")}) v(x))`;
  const r = await c.runAndReadAll(validatedSelect(plan, source, undefined, { emptyIsNull: true }));
  return r.getRowObjectsJson().map((o) => ({ value: o.x, err: o[ERR_COLUMN] === null ? null : String(o[ERR_COLUMN]).split("\u001f")[1] }));
}

describe("load pass SQL", () => {
  test("布尔型: 是/否, true/false, 1/0 in any case, t/f, y/n, yes/no, 真/假; anything else is a type error", async () => {
    const trues = ["是", "1", "true", "TRUE", "True", "t", "T", "y", "Yes", "YES", "真"];
    const falses = ["否", "0", "false", "FALSE", "f", "F", "n", "No", "no", "假"];
    const bad = ["也许", "2", "yes!", "ok", "是的", "on"];
    const rows = await pass({ type: "布尔型" }, [...trues, ...falses, ...bad, null]);
    assert.deepEqual(rows.map((r) => r.value), [...trues.map(() => true), ...falses.map(() => false), ...bad.map(() => null), null]);
    assert.deepEqual(rows.map((r) => r.err), [...trues.map(() => null), ...falses.map(() => null), ...bad.map(() => "type"), null]);
  });

  test("code lists, short and long (six or more codes): values outside are code_list errors, NULL is not", async () => {
    for (const codeList of [["男", "女"], ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]]) {
      const inside = codeList.slice(0, 2);
      const rows = await pass({ codeList }, [...inside, "99", codeList[0] + " ", null]);
      assert.deepEqual(rows.map((r) => r.err), [null, null, "code_list", "code_list", null], JSON.stringify(codeList));
    }
  });
});
