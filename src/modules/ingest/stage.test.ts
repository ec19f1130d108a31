import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { DomainError } from "../../core/errors.ts";
import { writePersonCsv } from "./fixtures.ts";
import { prepareCsv, type TranscodeOptions } from "./stage.ts";

/**
 * GB18030 → UTF-8 on worker threads (stage.ts transcodeParallel): the same bytes as one decoder over
 * the whole file, and the same error (the first undecodable byte of the file, by its line) whichever
 * part holds it; no work files left behind.
 */

let tmp: string;
let n = 0;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-stage-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Thread parts on a small file: no size threshold, small read steps so parts span many of them. */
const THREADS: TranscodeOptions = { parallelMinBytes: 0, parts: 3, chunkBytes: 4096 };

function reference(bytes: Buffer): Buffer {
  return Buffer.from(new TextDecoder("gb18030").decode(bytes), "utf8");
}

async function prepare(bytes: Buffer, opts?: TranscodeOptions) {
  const dir = path.join(tmp, `job${++n}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, "upload");
  fs.writeFileSync(file, bytes);
  try {
    const r = await prepareCsv(file, dir, "人员.csv", undefined, opts);
    return { r, out: fs.readFileSync(r.path), files: fs.readdirSync(dir).sort() };
  } catch (err) {
    return { err, files: fs.readdirSync(dir).sort() };
  }
}

/** The 1-based line of an encoding error, or fail. */
function errLine(x: { err?: unknown }): number {
  assert.ok(x.err instanceof DomainError, `expected an encoding error, got ${String(x.err)}`);
  return (x.err.details as { line: number }).line;
}

/** A line of a GBK file: its byte offset. */
function lineStart(bytes: Buffer, line: number): number {
  let pos = 0;
  for (let i = 1; i < line; i++) pos = bytes.indexOf(0x0a, pos) + 1;
  return pos;
}

describe("GB18030 transcoding on worker threads", () => {
  let gbk: Buffer;
  let lines: number;
  before(async () => {
    const file = path.join(tmp, "person.csv");
    await writePersonCsv(file, { rows: 20000, dirtyRatio: 0.01, seed: 7, encoding: "gbk" });
    // Characters outside GBK (4-byte GB18030, one astral), a quoted newline, a line without \r.
    const extra = iconv.encode('110101199001011234,"𠀀\n𝄞",男,1990-01-01,1.5,3,是,2024-01-01 08:00:00\n€,ĀÉ,女,,,,,\r\n', "gb18030");
    gbk = Buffer.concat([fs.readFileSync(file), extra]);
    lines = gbk.toString("latin1").split("\n").length;
  });

  test("the output is byte for byte the single decoder's, and only utf8.csv is left", async () => {
    const want = reference(gbk);
    for (const opts of [THREADS, { ...THREADS, parts: 2, chunkBytes: 1 << 20 }, { ...THREADS, parts: 4, chunkBytes: 37 }]) {
      const x = await prepare(gbk, opts);
      assert.ifError(x.err);
      assert.equal(x.r!.encoding, "gb18030");
      assert.equal(x.r!.header[0], "公民身份号码");
      assert.ok(x.out!.equals(want), `output differs (parts ${opts.parts}, chunk ${opts.chunkBytes})`);
      assert.deepEqual(x.files, ["upload", "utf8.csv"]);
    }
    const single = await prepare(gbk, { parts: 1 });
    assert.ok(single.out!.equals(want));
  });

  test("a file over the 32 MiB threshold goes through the threads with the default options", async () => {
    const block = gbk.subarray(lineStart(gbk, 2), lineStart(gbk, 2002));
    const big = Buffer.concat([gbk.subarray(0, lineStart(gbk, 2)), ...Array.from({ length: Math.ceil((33 << 20) / block.length) }, () => block)]);
    assert.ok(big.length > 32 << 20);
    const x = await prepare(big);
    assert.ifError(x.err);
    assert.ok(x.out!.equals(reference(big)));
    assert.deepEqual(x.files, ["upload", "utf8.csv"]);
  });

  test("a bad byte in a later part is named by its line in the whole file; nothing is left behind", async () => {
    for (const line of [2, Math.floor(lines * 0.4), lines - 5, lines - 1]) {
      const bad = Buffer.from(gbk);
      bad[lineStart(bad, line) + 3] = 0xff;
      const x = await prepare(bad, THREADS);
      assert.equal(errLine(x), line, `bad byte on line ${line}`);
      assert.deepEqual(x.files, ["upload"]);
      assert.equal(errLine(await prepare(bad, { parts: 1 })), line); // the single-threaded path agrees
    }
  });

  test("with bad bytes in several parts the earliest wins; a lead byte before \\n or at the end is an error too", async () => {
    const bad = Buffer.from(gbk);
    const late = Math.floor(lines * 0.9);
    const early = Math.floor(lines * 0.6);
    bad[lineStart(bad, late) + 1] = 0xff;
    bad[lineStart(bad, early) - 2] = 0x81; // replaces the \r: a lead byte followed by \n
    assert.equal(errLine(await prepare(bad, THREADS)), early - 1);
    assert.equal(errLine(await prepare(bad, { parts: 1 })), early - 1);

    const truncated = Buffer.concat([gbk, Buffer.from([0x81, 0x30])]);
    assert.equal(errLine(await prepare(truncated, THREADS)), lines);
    assert.equal(errLine(await prepare(truncated, { parts: 1 })), lines);
  });

  test("U+FFFD written in GB18030 is refused as before", async () => {
    const bad = Buffer.concat([gbk, iconv.encode("替换字符\ufffd,,,,,,,\r\n", "gb18030")]);
    const x = await prepare(bad, THREADS);
    assert.equal(errLine(x), lines);
    assert.deepEqual(x.files, ["upload"]);
  });
});
