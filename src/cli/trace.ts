/**
 * `gongshu trace FILE`: which recipient a leaked extract was delivered to. Reads the file (CSV in
 * UTF-8/UTF-16/GBK, XLSX — every worksheet —, JSON, NDJSON, Parquet), takes as candidates every
 * recipient recorded in the ledger by a delivery (`data.watermark = { recipient, label }`), and runs
 * the protection module's `detectWatermark`. Prints zh-CN then English (or one JSON object with
 * --json). Exit code: 0 = a recipient named, 1 = none, 2 = bad input (unreadable file, no key).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { isUtf8 } from "node:buffer";
import type { Command } from "commander";
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import { DuckDBInstance } from "@duckdb/node-api";
import { createPlatform, type Platform } from "../app.ts";
import type { Config } from "../core/config.ts";
import { detectWatermark, watermarkKey, WatermarkLedgerData, type CandidateEvidence, type DetectWatermarkResult, type WatermarkCandidate } from "../modules/protection/index.ts";
import type { LedgerService } from "../modules/ledger/index.ts";

export type TraceFormat = "csv" | "xlsx" | "json" | "ndjson" | "parquet";

export interface TracedTable {
  format: TraceFormat;
  encoding?: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

/** A candidate as found in the ledger: the label of its latest delivery and how many deliveries it had. */
export interface LedgerCandidate extends WatermarkCandidate {
  label: string;
  deliveries: number;
  lastDeliveredAt?: string;
}

export interface RunTraceOptions {
  file: string;
  /** An open platform (tests, or a caller that has one); else one is opened from dataDir / databaseUrl. */
  platform?: Platform;
  dataDir?: string;
  databaseUrl?: string;
  /** The watermark key; default `watermarkKey(platform.config.dataDir)` (env GONGSHU_WATERMARK_KEY first). */
  key?: Buffer;
  /** More recipients to test besides the ledger's (e.g. a grant whose delivery entry is missing). */
  extraCandidates?: string[];
  json?: boolean;
  /** Where the report goes (default stdout). */
  write?: (text: string) => void;
}

export interface TraceReport {
  file: string;
  format?: TraceFormat;
  encoding?: string;
  rows?: number;
  candidates?: number;
  verdict?: DetectWatermarkResult["verdict"];
  named?: TraceCandidate[];
  /** The best few candidates, best first. */
  top?: TraceCandidate[];
  cellsScanned?: number;
  markedCells?: number;
  markedValues?: number;
  examined?: number;
  gbkDamagedCells?: number;
  statistic?: string;
  error?: string;
}

type TraceCandidate = CandidateEvidence & { deliveries?: number; lastDeliveredAt?: string };

class BadInput extends Error {}

// ------------------------------------------------------------------------------------------ reading files

async function detectFormat(file: string, buf: Buffer): Promise<TraceFormat> {
  const name = file.toLowerCase();
  if (buf.length === 0) throw new BadInput("文件为空 / the file is empty");
  if (buf.subarray(0, 4).toString("latin1") === "PAR1") return "parquet";
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return "xlsx";
  if (buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0) throw new BadInput("不支持旧版 .xls，请另存为 .xlsx / legacy .xls is not supported; save as .xlsx");
  if (name.endsWith(".xlsx") || name.endsWith(".parquet")) throw new BadInput(`文件已损坏或格式不符 / ${path.basename(file)} is damaged or not what its name says`);
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  const text = buf.subarray(0, 4096).toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("[")) return "json";
  if (text.startsWith("{")) return name.endsWith(".json") && !/}\s*\r?\n\s*{/.test(text) ? "json" : "ndjson";
  return "csv";
}

/** Text of a CSV: BOM first, then valid UTF-8, else GB18030 (a superset of GBK). */
function decodeText(buf: Buffer): { text: string; encoding: string } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString("utf8"), encoding: "utf-8" };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(buf.subarray(2)), encoding: "utf-16le" };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(buf.subarray(2)), encoding: "utf-16be" };
  if (isUtf8(buf)) return { text: buf.toString("utf8"), encoding: "utf-8" };
  try {
    return { text: new TextDecoder("gb18030", { fatal: true }).decode(buf), encoding: "gb18030" };
  } catch {
    throw new BadInput("编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）/ unknown encoding (neither UTF-8 nor GBK/GB18030)");
  }
}

function headerNames(cells: unknown[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = (c === null || c === undefined || String(c).trim() === "" ? `第${i + 1}列` : String(c).trim());
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

function recordsFrom(matrix: unknown[][]): { columns: string[]; rows: Record<string, unknown>[] } {
  if (matrix.length === 0) return { columns: [], rows: [] };
  const width = Math.max(...matrix.map((r) => r.length));
  const columns = headerNames(Array.from({ length: width }, (_, i) => matrix[0][i]));
  const rows = matrix.slice(1).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
  return { columns, rows };
}

function readCsv(buf: Buffer): TracedTable {
  const { text, encoding } = decodeText(buf);
  const first = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [",", "\t", ";", "|"].map((d) => ({ d, n: first.split(d).length })).sort((a, b) => b.n - a.n)[0].d;
  let matrix: string[][];
  try {
    matrix = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new BadInput(`CSV 无法解析 / cannot parse the CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { format: "csv", encoding, ...recordsFrom(matrix) };
}

function excelValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
  if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join("");
  if ("result" in o) return excelValue(o.result);
  if ("text" in o) return excelValue(o.text);
  if ("error" in o) return null;
  return String(v);
}

async function readXlsx(buf: Buffer): Promise<TracedTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (e) {
    throw new BadInput(`xlsx 文件已损坏 / the xlsx file is damaged: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Every worksheet: a leaker may have pasted the rows into another sheet. Columns are the first sheet's.
  let columns: string[] = [];
  const rows: Record<string, unknown>[] = [];
  wb.worksheets.forEach((ws, si) => {
    const matrix: unknown[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const vals = (row.values as unknown[]) ?? [];
      matrix.push(vals.slice(1).map(excelValue));
    });
    const t = recordsFrom(matrix);
    if (si === 0) columns = t.columns;
    rows.push(...t.rows);
  });
  return { format: "xlsx", columns, rows };
}

function jsonRows(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : { value: x }));
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const k of ["data", "rows", "records", "items", "result"]) if (k in o && (Array.isArray(o[k]) || (o[k] && typeof o[k] === "object"))) return jsonRows(o[k]);
    return [o];
  }
  return [{ value: v }];
}

function readJson(buf: Buffer, format: "json" | "ndjson"): TracedTable {
  const { text, encoding } = decodeText(buf);
  let rows: Record<string, unknown>[];
  try {
    rows = format === "json" ? jsonRows(JSON.parse(text)) : text.split(/\r?\n/).filter((l) => l.trim()).flatMap((l) => jsonRows(JSON.parse(l)));
  } catch (e) {
    throw new BadInput(`JSON 无法解析 / cannot parse the JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const columns = [...new Set(rows.slice(0, 100).flatMap((r) => Object.keys(r)))];
  return { format, encoding, columns, rows };
}

async function readParquet(file: string): Promise<TracedTable> {
  const inst = await DuckDBInstance.create(":memory:");
  const c = await inst.connect();
  try {
    const r = await c.runAndReadAll(`SELECT * FROM read_parquet('${path.resolve(file).replaceAll("'", "''")}')`);
    return { format: "parquet", columns: r.columnNames(), rows: r.getRowObjectsJson() as Record<string, unknown>[] };
  } catch (e) {
    throw new BadInput(`Parquet 无法读取 / cannot read the Parquet file: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

/** Read an extract in any delivered format into rows of cells. */
export async function readTableFile(file: string): Promise<TracedTable> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    throw new BadInput(`无法读取文件 / cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const format = await detectFormat(file, buf);
  if (format === "parquet") return readParquet(file);
  if (format === "xlsx") return readXlsx(buf);
  if (format === "json" || format === "ndjson") return readJson(buf, format);
  return readCsv(buf);
}

// ------------------------------------------------------------------------------------------ candidates

/** C2SP tlog-tiles index encoding: 1234067 → "x001/x234/067". */
function tileIndex(n: number): string {
  let s = String(n % 1000).padStart(3, "0");
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) s = `x${String(rest % 1000).padStart(3, "0")}/${s}`;
  return s;
}

/** C2SP tlog-tiles entry bundle: big-endian uint16 length + bytes, repeated. */
function entryBundle(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o + 2 <= bytes.length; ) {
    const n = bytes.readUInt16BE(o);
    out.push(bytes.subarray(o + 2, o + 2 + n));
    o += 2 + n;
  }
  return out;
}

/**
 * Every recipient a delivery recorded in the ledger (`data.watermark`), read through the public
 * entry tiles (256 entries per read), one candidate per recipient with its latest label.
 */
export async function watermarkCandidates(ledger: Pick<LedgerService, "size" | "tile">): Promise<LedgerCandidate[]> {
  const size = await ledger.size();
  const byRecipient = new Map<string, LedgerCandidate>();
  const needle = Buffer.from('"watermark"');
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256);
    const tile = await ledger.tile(`tile/entries/${tileIndex(n)}${width < 256 ? `.p/${width}` : ""}`);
    for (const leaf of entryBundle(tile.bytes)) {
      if (!leaf.includes(needle)) continue;
      let parsed: { data?: { watermark?: unknown } | null; at?: string };
      try {
        parsed = JSON.parse(leaf.toString("utf8"));
      } catch {
        continue;
      }
      const w = WatermarkLedgerData.safeParse(parsed.data?.watermark);
      if (!w.success) continue;
      const have = byRecipient.get(w.data.recipient);
      if (have) {
        have.deliveries++;
        have.label = w.data.label || have.label;
        have.lastDeliveredAt = parsed.at ?? have.lastDeliveredAt;
      } else byRecipient.set(w.data.recipient, { recipient: w.data.recipient, label: w.data.label, deliveries: 1, ...(parsed.at ? { lastDeliveredAt: parsed.at } : {}) });
    }
  }
  return [...byRecipient.values()];
}

// ------------------------------------------------------------------------------------------ report

/** "99.9999%" without ever rounding up; "> 99.9999999999%" beyond twelve nines. */
export function formatConfidence(log10AdjustedP: number): string {
  const nines = Math.floor(-log10AdjustedP);
  if (nines >= 12) return "> 99.9999999999%";
  const decimals = Math.max(1, nines - 2);
  const c = (1 - 10 ** log10AdjustedP) * 100;
  const f = 10 ** decimals;
  return `${(Math.floor(c * f) / f).toFixed(decimals)}%`;
}

const pText = (log10: number): string => (log10 > -4 ? (10 ** log10).toPrecision(2) : `1e${Math.ceil(log10)}`);

function who(e: TraceCandidate): string {
  return e.label ? `${e.recipient}（${e.label}）` : e.recipient;
}

function evidenceLine(e: TraceCandidate): string {
  return `置信度 ${formatConfidence(e.log10AdjustedPValue)}（匹配 ${e.matchedCells}/${e.markedCells} 个标记单元格，${e.matches}/${e.examined} 个不同值；p ≤ ${pText(e.log10AdjustedPValue)}）`;
}

function printText(r: TraceReport, write: (s: string) => void): void {
  const lines: string[] = [];
  lines.push(`水印溯源 / watermark trace — ${r.file}`);
  if (r.error) {
    lines.push(`错误 / error: ${r.error}`);
    write(`${lines.join("\n")}\n`);
    return;
  }
  lines.push(`文件 / file: ${r.format}${r.encoding ? ` (${r.encoding})` : ""}，${r.rows} 行 rows，候选接收方 ${r.candidates} 个 candidates`);
  const named = r.named ?? [];
  if (r.verdict === "match") {
    const e = named[0];
    lines.push(`溯源结果：${who(e)} ${evidenceLine(e)}`);
    lines.push(`Result: issued to ${e.recipient}${e.label ? ` (${e.label})` : ""}, confidence ${formatConfidence(e.log10AdjustedPValue)} (${e.matchedCells}/${e.markedCells} marked cells match, ${e.matches}/${e.examined} distinct values)`);
    if (e.deliveries) lines.push(`  账本中向其交付 ${e.deliveries} 次，最近 ${e.lastDeliveredAt ?? "?"} / ${e.deliveries} deliveries in the ledger, latest ${e.lastDeliveredAt ?? "?"}`);
  } else if (r.verdict === "several") {
    lines.push(`溯源结果：文件混合了 ${named.length} 个接收方的数据 / the file mixes extracts of ${named.length} recipients:`);
    for (const e of named) lines.push(`  ${who(e)} ${evidenceLine(e)}`);
  } else if (r.verdict === "none") {
    lines.push("未发现水印 / no watermark found");
    if ((r.gbkDamagedCells ?? 0) > 0) lines.push(`注意：${r.gbkDamagedCells} 个单元格以「????」结尾，水印可能在另存为 GBK（ANSI）CSV 时被破坏 / ${r.gbkDamagedCells} cells end in "????": marks may have been destroyed by a GBK (ANSI) re-save`);
  } else {
    lines.push(
      r.verdict === "inconclusive"
        ? `发现 ${r.markedCells} 个水印标记，但证据不足以认定接收方 / ${r.markedCells} marks found, but the evidence names no recipient`
        : `发现 ${r.markedCells} 个水印标记，但与账本中的接收方均不匹配（密钥不同或交付未登记）/ ${r.markedCells} marks found, matching no recipient in the ledger (another key, or an unrecorded delivery)`,
    );
    lines.push("未认定接收方 / no recipient named");
  }
  const others = (r.top ?? []).filter((e) => !e.named).slice(0, 3);
  if (others.length && r.verdict !== "none") {
    lines.push("其他候选 / other candidates:");
    for (const e of others) lines.push(`  ${who(e)}: ${e.matches}/${e.examined}，p ≤ ${pText(e.log10AdjustedPValue)}`);
  }
  write(`${lines.join("\n")}\n`);
}

// ------------------------------------------------------------------------------------------ run

async function openPlatform(o: RunTraceOptions): Promise<Platform> {
  const over: Partial<Config> = { logLevel: "warn" };
  if (o.dataDir) over.dataDir = path.resolve(o.dataDir);
  if (o.databaseUrl) over.databaseUrl = o.databaseUrl;
  return createPlatform(over);
}

/** Trace one file; prints the report and returns it with the exit code (0 named, 1 none, 2 bad input). */
export async function runTrace(o: RunTraceOptions): Promise<{ exitCode: number; report: TraceReport }> {
  const write = o.write ?? ((s: string) => void process.stdout.write(s));
  const report: TraceReport = { file: o.file };
  const finish = (exitCode: number) => {
    if (o.json) write(`${JSON.stringify({ exitCode, ...report })}\n`);
    else printText(report, write);
    return { exitCode, report };
  };
  let table: TracedTable;
  try {
    table = await readTableFile(o.file);
  } catch (e) {
    if (!(e instanceof BadInput)) throw e;
    report.error = e.message;
    return finish(2);
  }
  report.format = table.format;
  if (table.encoding) report.encoding = table.encoding;
  report.rows = table.rows.length;

  const platform = o.platform ?? (await openPlatform(o));
  try {
    let key: Buffer;
    try {
      key = o.key ?? (await watermarkKey(platform.config.dataDir, { create: false }));
    } catch (e) {
      report.error = `未找到水印密钥 / ${e instanceof Error ? e.message : String(e)}`;
      return finish(2);
    }
    const fromLedger = await watermarkCandidates(platform.services.ledger);
    const byId = new Map<string, WatermarkCandidate & Partial<LedgerCandidate>>(fromLedger.map((c) => [c.recipient, c]));
    for (const r of o.extraCandidates ?? []) if (!byId.has(r)) byId.set(r, { recipient: r });
    const result = detectWatermark(table, [...byId.values()], key);
    const withLedger = (e: CandidateEvidence): TraceCandidate => {
      const c = byId.get(e.recipient);
      return { ...e, ...(c?.deliveries ? { deliveries: c.deliveries } : {}), ...(c?.lastDeliveredAt ? { lastDeliveredAt: c.lastDeliveredAt } : {}) };
    };
    Object.assign(report, {
      candidates: byId.size,
      verdict: result.verdict,
      named: result.named.map(withLedger),
      top: result.candidates.slice(0, 5).map(withLedger),
      cellsScanned: result.cellsScanned,
      markedCells: result.markedCells,
      markedValues: result.markedValues,
      examined: result.examined,
      gbkDamagedCells: result.gbkDamagedCells,
      statistic: result.statistic,
    });
    return finish(result.verdict === "match" || result.verdict === "several" ? 0 : 1);
  } finally {
    if (!o.platform) await platform.close();
  }
}

export function registerTraceCommand(program: Command): void {
  program
    .command("trace <file>")
    .description("水印溯源：指出泄露文件交付给了哪个共享授权或开放 API 密钥 / name the grant or API key a leaked extract was delivered to")
    .option("--data-dir <dir>", "data folder (PGlite, lake, keys); env GONGSHU_DATA_DIR")
    .option("--database-url <url>", "PostgreSQL server instead of embedded PGlite; env DATABASE_URL")
    .option("--candidate <recipient...>", "also test these recipients (grant or key ids) besides the ledger's")
    .option("--json", "print one JSON object")
    .action(async (file: string, o: { dataDir?: string; databaseUrl?: string; candidate?: string[]; json?: boolean }) => {
      const { exitCode } = await runTrace({ file, dataDir: o.dataDir, databaseUrl: o.databaseUrl, extraCandidates: o.candidate, json: o.json });
      process.exitCode = exitCode;
    });
}
