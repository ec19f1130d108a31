import fs from "node:fs";
import os from "node:os";
import { isUtf8 } from "node:buffer";
import { Worker } from "node:worker_threads";
import { pipeline } from "node:stream/promises";
import { Transform, type Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parse as parseCsvSync } from "csv-parse/sync";
import { DomainError, InvalidError } from "../../core/errors.ts";

/**
 * Staging: the uploaded file is streamed to disk, its format and encoding detected, and turned into
 * something DuckDB reads directly (UTF-8 CSV, NDJSON, Parquet) — always as a stream, so a multi-GB
 * file never sits in memory. GBK/GB18030 and UTF-16 are transcoded to UTF-8 here because DuckDB
 * reads only UTF-8 without its (network-installed) encodings extension.
 *
 * Encoding detection follows the catalog importer's `decodeText` (catalog/io/tables.ts, not exported
 * through the catalog index): a BOM decides; else valid UTF-8 is UTF-8; else GB18030 (a superset of
 * GBK and GB2312) — here checked over the whole stream, and a file that is not valid GB18030 either
 * is refused naming the line.
 */

export type FileFormat = "csv" | "xlsx" | "json" | "ndjson" | "parquet";
export type TextEncoding = "utf-8" | "gb18030" | "utf-16le";

export function fileError(message: string, messageEn: string, details?: unknown): InvalidError {
  return new InvalidError({ message, messageEn, field: "file", ...(details !== undefined ? { details } : {}) });
}

export class TooLargeError extends DomainError {
  constructor(limit: number) {
    super("too_large", 413, { message: `文件超过上传上限 ${limit} 字节`, messageEn: `The file exceeds the upload limit of ${limit} bytes`, field: "file" });
  }
}

/** Stream a body to a file, refusing more than `limit` bytes. */
export async function receiveToFile(src: Readable, file: string, limit: number, onBytes?: (n: number) => void): Promise<number> {
  let n = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > limit) return cb(new TooLargeError(limit));
      onBytes?.(n);
      cb(null, chunk);
    },
  });
  const out = fs.createWriteStream(file, { flags: "wx" });
  await pipeline(src, counter, out);
  return n;
}

async function head(file: string, n: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The file's format, from its first bytes (the name only breaks ties and names damaged files). */
export async function detectFormat(file: string, filename = ""): Promise<FileFormat> {
  const size = (await fs.promises.stat(file)).size;
  if (size === 0) throw fileError("文件为空（0 字节）", "The file is empty (0 bytes)");
  const h = await head(file, 4096);
  const name = filename.toLowerCase();
  if (h.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) return "xlsx";
  if (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0)
    throw fileError("不支持旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx 或 CSV 后再上传", "Legacy .xls and encrypted workbooks are not supported; save as .xlsx or CSV and retry");
  if (name.endsWith(".xlsx") || name.endsWith(".xlsm"))
    throw fileError(`无法读取「${filename}」：文件已损坏或不是 Excel 工作簿`, `Cannot read "${filename}": it is damaged or not an Excel workbook`);
  if (name.endsWith(".parquet")) throw fileError(`无法读取「${filename}」：不是 Parquet 文件`, `Cannot read "${filename}": not a Parquet file`);
  let i = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? 3 : 0;
  while (i < h.length && (h[i] === 0x20 || h[i] === 0x09 || h[i] === 0x0a || h[i] === 0x0d)) i++;
  if (i >= h.length) throw fileError("文件没有内容（只有空白）", "The file has no content (only white space)");
  if (h[i] === 0x5b) return "json";
  if (h[i] === 0x7b) return "ndjson";
  return "csv";
}

/** Where a UTF-8 chunk can be cut without splitting a character. */
function utf8Cut(buf: Buffer): number {
  const end = buf.length;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const b = buf[end - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}

/**
 * Is the file UTF-8, judged from samples: the first MiB and the last 64 KiB (cut at character
 * boundaries). A bad byte further in is caught by DuckDB's own UTF-8 check while it reads the file
 * (see pipeline.ts: it becomes the same "wrong encoding" error), so no whole-file pass is needed.
 */
async function sampleUtf8(file: string, start: number): Promise<{ ok: true } | { ok: false; offset: number }> {
  const size = (await fs.promises.stat(file)).size;
  const fh = await fs.promises.open(file, "r");
  try {
    const headLen = Math.min(size - start, 1 << 20);
    const h = Buffer.alloc(Math.max(0, headLen));
    const { bytesRead } = await fh.read(h, 0, h.length, start);
    const hb = h.subarray(0, bytesRead);
    const cut = bytesRead < size - start ? utf8Cut(hb) : hb.length;
    if (!isUtf8(hb.subarray(0, cut))) return { ok: false, offset: start };
    const tailStart = Math.max(start + bytesRead, size - 65536);
    if (tailStart < size) {
      const t = Buffer.alloc(size - tailStart);
      const r = await fh.read(t, 0, t.length, tailStart);
      let i = 0;
      while (i < Math.min(3, r.bytesRead) && (t[i] & 0xc0) === 0x80) i++; // skip a split character's tail
      if (!isUtf8(t.subarray(i, r.bytesRead))) return { ok: false, offset: tailStart };
    }
    return { ok: true };
  } finally {
    await fh.close();
  }
}

/** The message of a file that is neither UTF-8 nor GBK/GB18030, naming the line when known. */
export function encodingError(filename: string, line?: number): InvalidError {
  const at = line ? `（第 ${line} 行有无法解码的字节）` : "";
  const atEn = line ? ` (undecodable bytes on line ${line})` : "";
  return fileError(
    `「${filename}」的编码无法识别：既不是有效的 UTF-8，也不是 GBK/GB18030${at}。请另存为 UTF-8 或 GBK 编码的 CSV 后再上传`,
    `Cannot tell the encoding of "${filename}": it is neither valid UTF-8 nor GBK/GB18030${atEn}; save it as UTF-8 or GBK CSV and retry`,
    line ? { line } : undefined,
  );
}

function looksBinary(h: Buffer): boolean {
  const s = h.subarray(0, 8192);
  let ctl = 0;
  for (const b of s) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) ctl++;
  }
  return ctl > Math.max(2, s.length * 0.01);
}

/**
 * Transcode a file to UTF-8 (streamed, 1 MiB chunks, so little garbage piles up before DuckDB takes its memory) with the runtime's WHATWG TextDecoder (ICU:
 * about 3× faster than iconv-lite). Fails on the first undecodable sequence, naming its line.
 */
async function transcode(file: string, out: string, encoding: "gb18030" | "utf-16le", skip: number, filename: string): Promise<void> {
  const dec = new TextDecoder(encoding);
  // A file handle, each write awaited: nothing is left in flight when a bad byte stops the loop.
  const fh = await fs.promises.open(out, "wx");
  let line = 1;
  const put = async (s: string) => {
    const bad = s.indexOf("\ufffd");
    if (bad >= 0) throw encodingError(filename, line + countNewlines(s, bad));
    line += countNewlines(s, s.length);
    const buf = Buffer.from(s, "utf8");
    for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
  };
  try {
    for await (const chunk of fs.createReadStream(file, { start: skip, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) await put(dec.decode(chunk, { stream: true }));
    await put(dec.decode());
  } catch (err) {
    await fh.close();
    await fs.promises.rm(out, { force: true });
    throw err;
  }
  await fh.close();
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0 && i < end; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

// ------------------------------------------------------------------ GB18030 on several threads

/** Tuning of the GB18030 → UTF-8 transcoding (tests lower the threshold to exercise the threads on a small file). */
export interface TranscodeOptions {
  /** Files of at least this many bytes are transcoded by worker threads, in parts (default 32 MiB; below it, start-up costs more than it saves). */
  parallelMinBytes?: number;
  /** How many parts, one worker thread each (default min(os.availableParallelism(), 4); 1 = single-threaded). */
  parts?: number;
  /** Bytes read per step (default 1 MiB). */
  chunkBytes?: number;
}

const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * One part of a GB18030 file, decoded in a worker thread: bytes [start, end) of `file` (cut just
 * after a '\n', so the decoder starts and ends between characters) → UTF-8 into `out` (created empty
 * beforehand). Answers { bytes } or, at the first U+FFFD, { bad: { at, newlines } }: the byte offset
 * where the step holding it began and the '\n's of that step's text before it. Plain JavaScript run
 * with `eval` (a worker does not inherit the tsx loader, and needs none of the project's code); it
 * stops, closing its files, when the main thread sets its flag in `stop`.
 */
const PART_WORKER = `
const { parentPort, workerData: w } = require("node:worker_threads");
const fs = require("node:fs");
const stop = new Int32Array(w.stop);
// A later part keeps a U+FEFF it starts with, as the whole-file decoder would (ICU drops a leading
// one only for the UTF encodings; this makes sure).
const dec = new TextDecoder("gb18030", { ignoreBOM: w.index > 0 });
const input = Buffer.allocUnsafe(w.chunk);
const output = Buffer.allocUnsafe(3 * w.chunk + 16); // a UTF-16 unit is at most 3 UTF-8 bytes
let fdIn = -1, fdOut = -1, bytes = 0;
const newlines = (s, end) => { let n = 0; for (let i = s.indexOf("\\n"); i >= 0 && i < end; i = s.indexOf("\\n", i + 1)) n++; return n; };
const put = (s, at) => {
  const bad = s.indexOf("\\ufffd");
  if (bad >= 0) return { bad: { at, newlines: newlines(s, bad) } };
  const n = output.write(s, 0, "utf8");
  for (let off = 0; off < n; ) off += fs.writeSync(fdOut, output, off, n - off);
  bytes += n;
  return null;
};
let result = null;
try {
  fdIn = fs.openSync(w.file, "r");
  fdOut = fs.openSync(w.out, "r+");
  let pos = w.start;
  while (pos < w.end && !result) {
    if (Atomics.load(stop, w.index)) { result = { stopped: true }; break; }
    const n = fs.readSync(fdIn, input, 0, Math.min(w.chunk, w.end - pos), pos);
    if (n <= 0) throw new Error("the file got shorter while it was being transcoded");
    result = put(dec.decode(input.subarray(0, n), { stream: true }), pos);
    pos += n;
  }
  if (!result) result = put(dec.decode(), w.end) || { bytes };
} finally {
  if (fdIn >= 0) fs.closeSync(fdIn);
  if (fdOut >= 0) fs.closeSync(fdOut);
}
parentPort.postMessage(result);
`;

type PartResult = { bytes: number } | { bad: { at: number; newlines: number } } | { stopped: true };

/** Up to n parts of the file as byte offsets [0, c1, …, size], each cut just after a '\n' (fewer when lines are long). */
async function lineCuts(file: string, size: number, n: number): Promise<number[]> {
  const cuts = [0];
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    for (let i = 1; i < n; i++) {
      let pos = Math.max(Math.floor((size * i) / n), cuts[cuts.length - 1]);
      let cut = -1;
      while (cut < 0 && pos < size) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead <= 0) break;
        const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
        if (nl >= 0) cut = pos + nl + 1;
        else pos += bytesRead;
      }
      if (cut < 0 || cut >= size) break;
      cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  return cuts;
}

/** The '\n' bytes of [start, end) of a file (to name the line of a bad byte found by a worker). */
async function newlinesIn(file: string, start: number, end: number): Promise<number> {
  let n = 0;
  if (end <= start) return 0;
  for await (const chunk of fs.createReadStream(file, { start, end: end - 1, highWaterMark: 8 << 20 }) as AsyncIterable<Buffer>)
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Run one worker per part; settles once the outcome is known: every part transcoded, or the earliest part with a bad byte. */
function runParts(file: string, targets: string[], cuts: number[], chunk: number): { outcome: Promise<PartResult[]>; ended: Promise<void> } {
  const k = targets.length;
  const stop = new Int32Array(new SharedArrayBuffer(4 * k));
  const results: (PartResult | undefined)[] = new Array(k);
  const exits: Promise<void>[] = [];
  let settle!: { resolve: (r: PartResult[]) => void; reject: (e: unknown) => void };
  let settled = false;
  const outcome = new Promise<PartResult[]>((resolve, reject) => (settle = { resolve, reject }));
  const stopFrom = (first: number) => {
    for (let j = first; j < k; j++) Atomics.store(stop, j, 1);
  };
  const fail = (err: unknown) => {
    stopFrom(0);
    if (!settled) (settled = true), settle.reject(err);
  };
  const decide = () => {
    if (settled) return;
    for (let i = 0; i < k; i++) {
      const r = results[i];
      if (!r) return;
      if ("bad" in r) {
        stopFrom(0);
        settled = true;
        return settle.resolve(results.slice(0, i + 1) as PartResult[]);
      }
      if ("stopped" in r) return fail(new Error("transcoding stopped unexpectedly"));
    }
    settled = true;
    settle.resolve(results as PartResult[]);
  };
  const workers: Worker[] = [];
  for (let i = 0; i < k; i++) {
    let w: Worker;
    try {
      w = new Worker(PART_WORKER, { eval: true, execArgv: [], workerData: { file, out: targets[i], start: cuts[i], end: cuts[i + 1], index: i, chunk, stop: stop.buffer } });
    } catch (err) {
      fail(err);
      break;
    }
    workers.push(w);
    let answered = false;
    w.on("message", (m: PartResult) => {
      answered = true;
      results[i] = m;
      if ("bad" in m) stopFrom(i + 1); // later parts cannot matter; earlier ones may hold an earlier bad byte
      decide();
    });
    w.on("error", fail);
    exits.push(
      new Promise<void>((resolve) =>
        w.once("exit", (code) => {
          if (!answered) fail(new Error(`a transcoding worker exited (code ${code}) without an answer`));
          resolve();
        }),
      ),
    );
  }
  // Every worker gone (a stopped one closes its files first; one that does not stop within 5 s is terminated).
  const ended = (async () => {
    await outcome.catch(() => undefined);
    const all = Promise.all(exits).then(() => true);
    if (!(await Promise.race([all, new Promise<false>((r) => setTimeout(() => r(false), 5000).unref())]))) {
      await Promise.all(workers.map((w) => w.terminate()));
      await all;
    }
  })();
  return { outcome, ended };
}

/** Append `src` to the end of the file `out` (streamed, 8 MiB at a time). */
async function appendFile(out: fs.promises.FileHandle, at: number, src: string): Promise<number> {
  const fh = await fs.promises.open(src, "r");
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    let pos = at;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead <= 0) return pos;
      for (let off = 0; off < bytesRead; ) off += (await out.write(buf, off, bytesRead - off, pos + off)).bytesWritten;
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * GB18030 → UTF-8 on several threads: the file is cut into parts at line ends (0x0A never occurs
 * inside a GB18030 character: trail bytes are ≥ 0x30), each decoded by a worker thread into its own
 * file (the first straight into `out`), then the others appended in order. The result is byte for
 * byte that of `transcode`; so is the error: the first U+FFFD over the whole file, named by its line.
 * The workers count no lines on the way (that pass cost as much as a tenth of the time): the text
 * before the first bad byte is valid, and in valid GB18030 each 0x0A byte is one '\n' (a partial
 * character a step leaves to the next holds none), so the line is 1 + the 0x0A bytes of the file
 * before the step holding the U+FFFD + the '\n's of that step's text before it. A part with a bad
 * byte stops the later ones; the earlier ones run on, as they may hold an earlier one.
 * Part files are removed whatever happens, and so is `out` on failure.
 */
async function transcodeParallel(file: string, out: string, filename: string, cuts: number[], chunk: number): Promise<void> {
  const parts = cuts.length - 1;
  const targets = [out, ...Array.from({ length: parts - 1 }, (_, i) => `${out}.part${i + 1}`)];
  const created: string[] = [];
  let ok = false;
  try {
    for (const t of targets) {
      await (await fs.promises.open(t, "wx")).close();
      created.push(t);
    }
    const run = runParts(file, targets, cuts, chunk);
    let results: PartResult[];
    try {
      results = await run.outcome;
    } finally {
      await run.ended;
    }
    const last = results[results.length - 1];
    if ("bad" in last) throw encodingError(filename, 1 + (await newlinesIn(file, 0, last.bad.at)) + last.bad.newlines);
    const fh = await fs.promises.open(out, "r+");
    try {
      let size = (results[0] as { bytes: number }).bytes;
      for (let i = 1; i < parts; i++) {
        size = await appendFile(fh, size, targets[i]);
        await fs.promises.rm(targets[i], { force: true });
      }
    } finally {
      await fh.close();
    }
    ok = true;
  } finally {
    for (const t of created) if (!ok || t !== out) await fs.promises.rm(t, { force: true });
  }
}

/** GB18030 → UTF-8: on several threads for a large file, else on this one. */
async function transcodeGb18030(file: string, out: string, filename: string, opts: TranscodeOptions): Promise<void> {
  const size = (await fs.promises.stat(file)).size;
  const parts = Math.max(1, Math.floor(opts.parts ?? Math.min(os.availableParallelism(), 4)));
  const cuts = parts > 1 && size >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) ? await lineCuts(file, size, parts) : [0, size];
  if (cuts.length < 3) return transcode(file, out, "gb18030", 0, filename);
  return transcodeParallel(file, out, filename, cuts, Math.max(16, Math.floor(opts.chunkBytes ?? 1 << 20)));
}

/** The delimiter of the header line: the most frequent of , ; tab | outside quotes. */
function detectDelimiter(firstLine: string): string {
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  const counts = [",", "\t", ";", "|"].map((d) => ({ d, n: unquoted.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0].n > 0 ? counts[0].d : ",";
}

export interface PreparedCsv {
  /** A UTF-8 CSV DuckDB can read (the upload itself when it was UTF-8 already). */
  path: string;
  encoding: TextEncoding;
  delimiter: string;
  /** Header names (unique; empty ones named 第N列), read here so DuckDB need not sniff a ragged file. */
  header: string[];
}

function headerCells(line: string, delimiter: string): string[] {
  let cells: string[];
  try {
    cells = (parseCsvSync(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    cells = line.split(delimiter);
  }
  const seen = new Set<string>();
  return cells.map((c, i) => {
    let name = c.trim() || `第${i + 1}列`;
    while (seen.has(name)) name = `${name}_${i + 1}`;
    seen.add(name);
    return name;
  });
}

/** Detect the encoding (transcoding to UTF-8 when needed) and the delimiter of a CSV upload. */
export async function prepareCsv(file: string, stagingDir: string, filename: string, onPhase?: (m: string) => void, opts: TranscodeOptions = {}): Promise<PreparedCsv> {
  const h = await head(file, 65536);
  let encoding: TextEncoding;
  let src = file;
  if (h[0] === 0xff && h[1] === 0xfe) {
    encoding = "utf-16le";
    onPhase?.("transcoding");
    src = `${stagingDir}/utf8.csv`;
    await transcode(file, src, "utf-16le", 2, filename);
  } else {
    if (looksBinary(h))
      throw fileError(`无法读取「${filename}」：不是 CSV 文本文件，也不是 xlsx、JSON 或 Parquet 文件`, `Cannot read "${filename}": it is not a CSV text file, nor xlsx, JSON or Parquet`);
    const bom = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf;
    const utf8 = await sampleUtf8(file, bom ? 3 : 0);
    if (utf8.ok) encoding = "utf-8";
    else {
      if (bom) {
        throw fileError(`「${filename}」标明为 UTF-8 编码（有 BOM），但含有无效的 UTF-8 字节（约第 ${utf8.offset} 字节处）`, `"${filename}" is marked UTF-8 (BOM) but holds invalid UTF-8 bytes (near byte ${utf8.offset})`, { byte: utf8.offset });
      }
      encoding = "gb18030";
      onPhase?.("transcoding");
      src = `${stagingDir}/utf8.csv`;
      await transcodeGb18030(file, src, filename, opts);
    }
  }
  const first = (await head(src, 65536)).toString("utf8").replace(/^\ufeff/, "").split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const delimiter = detectDelimiter(first);
  return { path: src, encoding, delimiter, header: headerCells(first, delimiter) };
}

// ------------------------------------------------------------------ xlsx → NDJSON

const pad = (n: number) => String(n).padStart(2, "0");
function excelText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const t = v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds();
    return t ? `${date} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}` : date;
  }
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? "").join("");
  if ("error" in o) return null;
  if ("formula" in o || "sharedFormula" in o) return excelText(o.result);
  if ("text" in o) return excelText(o.text);
  return String(v);
}

/**
 * The first worksheet of an xlsx, streamed (exceljs WorkbookReader) into NDJSON: one object per
 * non-empty row, the header row's texts as keys, "__row" = the Excel row number.
 */
export async function xlsxToNdjson(file: string, out: string, filename: string, onRows?: (n: number) => void): Promise<{ rows: number; headers: string[] }> {
  const ws = fs.createWriteStream(out, { flags: "wx" });
  let headers: string[] | null = null;
  let rows = 0;
  let buf = "";
  const flush = async () => {
    if (!buf) return;
    const b = buf;
    buf = "";
    if (!ws.write(b)) await new Promise<void>((r) => ws.once("drain", () => r()));
  };
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: "cache", hyperlinks: "ignore", styles: "cache", worksheets: "emit", entries: "emit" });
    let sheetSeen = false;
    for await (const sheet of reader) {
      if (sheetSeen) continue; // only the first worksheet; drain the rest
      sheetSeen = true;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]) ?? [];
        const cells: (string | null)[] = [];
        for (let i = 1; i < values.length; i++) cells.push(excelText(values[i]));
        if (!cells.some((c) => c !== null && c.trim() !== "")) continue;
        if (!headers) {
          headers = cells.map((c, i) => (c ?? "").trim() || `第${i + 1}列`);
          continue;
        }
        const obj: Record<string, string | number | null> = { __row: row.number };
        headers.forEach((h, i) => {
          obj[h] = cells[i] ?? null;
        });
        for (let i = headers.length; i < cells.length; i++) if (cells[i] !== null && cells[i]!.trim() !== "") obj[`第${i + 1}列`] = cells[i];
        buf += `${JSON.stringify(obj)}\n`;
        rows++;
        if (buf.length > 1 << 20) {
          await flush();
          onRows?.(rows);
        }
      }
    }
    await flush();
  } catch (err) {
    ws.destroy();
    if (err instanceof DomainError) throw err;
    throw fileError(`无法读取「${filename}」：xlsx 文件已损坏或不完整（${rows ? `读到第 ${rows} 行后出错` : "无法打开"}）`, `Cannot read "${filename}": the xlsx file is damaged or truncated (${rows ? `failed after ${rows} rows` : "cannot open it"})`, { rowsRead: rows });
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (!headers) throw fileError(`「${filename}」的第一个工作表没有内容`, `The first worksheet of "${filename}" is empty`);
  return { rows, headers };
}
