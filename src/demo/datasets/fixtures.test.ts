import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import iconv from "iconv-lite";
import { DEMO_DATASETS, FIXTURE_DATASET, writeSmallGbkCsv } from "./index.ts";

function idCardValid(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...s.slice(0, 17)].reduce((acc, ch, i) => acc + Number(ch) * w[i], 0);
  return "10X98765432"[sum % 11] === s[17];
}
const realDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

describe("writeSmallGbkCsv", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gongshu-fixture-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a GBK CSV whose only problems are the exported row errors", () => {
    const r = writeSmallGbkCsv(path.join(dir, "people.csv"), { rows: 40, badRows: 4 });
    const buf = readFileSync(r.path);
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(buf), "not valid UTF-8: really GBK");
    const text = iconv.decode(buf, "gbk");
    assert.ok(text.includes("\r\n"));
    const lines = text.split("\r\n").filter(Boolean);
    const entry = DEMO_DATASETS.find((d) => d.key === FIXTURE_DATASET)!.content;
    assert.deepEqual(lines[0].split(","), entry.items.map((i) => i.name));
    assert.deepEqual(r.header, entry.items.map((i) => i.name));
    assert.equal(lines.length - 1, 40);
    assert.deepEqual(r.errors.map((e) => e.kind), ["badCheckDigit", "missingRequired", "badDate", "outOfCodeList"]);
    assert.equal(r.goodRows, 37);

    const found: { row: number; column: string }[] = [];
    lines.slice(1).forEach((line, k) => {
      const cells = Object.fromEntries(line.split(",").map((v, c) => [r.header[c], v]));
      assert.equal(line.split(",").length, r.header.length);
      for (const it of entry.items) {
        const v = cells[it.name];
        if (it.required && v === "") found.push({ row: k + 1, column: it.name });
        else if (v !== "" && it.type === "日期型" && !realDate(v)) found.push({ row: k + 1, column: it.name });
        else if (v !== "" && it.codeList && !it.codeList.includes(v)) found.push({ row: k + 1, column: it.name });
        else if (it.name === "公民身份号码" && !idCardValid(v)) found.push({ row: k + 1, column: it.name });
      }
    });
    assert.deepEqual(found, r.errors.map((e) => ({ row: e.row, column: e.column })));
    for (const e of r.errors) {
      assert.equal(e.line, e.row + 1);
      assert.equal(lines[e.line - 1].split(",")[r.header.indexOf(e.column)], e.value);
    }
    assert.equal(new Set(lines.slice(1).map((l) => l.split(",")[0].slice(0, 17))).size, 40, "unique keys");
  });

  it("is deterministic and scales the bad rows", () => {
    const a = writeSmallGbkCsv(path.join(dir, "a.csv"), { rows: 200, badRows: 10 });
    const b = writeSmallGbkCsv(path.join(dir, "b.csv"), { rows: 200, badRows: 10 });
    assert.deepEqual(readFileSync(a.path), readFileSync(b.path));
    assert.equal(a.errors.length, 10);
    assert.equal(new Set(a.errors.map((e) => e.row)).size, 10);
    const none = writeSmallGbkCsv(path.join(dir, "c.csv"), { rows: 5, badRows: 0 });
    assert.deepEqual(none.errors, []);
    const all = writeSmallGbkCsv(path.join(dir, "d.csv"), { rows: 4, badRows: 4 });
    assert.deepEqual(all.errors.map((e) => e.row), [1, 2, 3, 4]);
  });
});
