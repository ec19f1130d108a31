import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * Recipient watermarks for extracts that leave the platform (RULES.md §12.4: a delivery must be
 * traceable to its recipient), and the statistics that trace a leaked file back to its recipient.
 *
 * ## What may carry a mark
 * The data must stay correct and usable, so a mark never changes what a value means or how it
 * parses. Untouched: key columns, identifiers of every kind (身份证号, 统一社会信用代码, phones, bank
 * cards, e-mail, plates, passports — by the column's `kind`, and in any case by the rules below),
 * numbers, booleans, dates and times, codes, pseudonyms, and categorical text (a column with fewer
 * distinct values than half its cells: 性别, 民族, 学历 …, which people filter and join on). Marked:
 * Chinese free text — names, addresses, organisation names, remarks — one cell at a time, when the
 * value (trimmed) holds at least two Han characters, no fewer Han characters than digits (so "100万元"
 * and "2024年1月5日" stay as they are), does not look like a date, ends with a Han character or CJK
 * punctuation, and fits the column's `length` after marking. Masked display values of Chinese text
 * (Han characters then the mask's asterisks: 张*, 欧阳**, 浙江省杭州市西湖区****) are marked too: after
 * masking by grade they are often the only Chinese text an extract of personal data still has.
 *
 * ## The carrier
 * Four invisible characters appended after the value's last visible character (before any
 * trailing blanks): U+2060 WORD JOINER as a start sentinel, then three symbols from
 * U+200B ZERO WIDTH SPACE = 0, U+200C ZERO WIDTH NON-JOINER = 1, U+200D ZERO WIDTH JOINER = 2,
 * U+2060 WORD JOINER = 3 — six bits. All four are Unicode default-ignorable: they render as
 * nothing, are not white space (JavaScript `trim`, Python `strip`, Excel `TRIM`/`CLEAN` and SQL
 * `trim` keep them), and Excel stores them in .xlsx unchanged. Being at the end, a value still
 * sorts, groups and matches "contains" and "starts with" filters as before (not "ends with"); equal values carry equal marks within one
 * extract, so group-bys and joins inside it still work. An exact comparison with outside data does
 * not: recipients remove the marks with `stripWatermark` (or the regex `\u2060[\u200B-\u200D\u2060]{3}`)
 * before joining or loading into length-limited fields (a mark adds 4 characters, 12 UTF-8 bytes).
 * A cell that already holds any of the four characters is never marked, so stripping restores
 * every original value exactly.
 *
 * Alternatives rejected: a zero-width character inside the value (breaks text search for names);
 * changing dates' separators, number formats or trailing zeros (breaks parsing or is lost in
 * Excel); full-/half-width punctuation variants (visible, and rare in names and addresses);
 * marking headers (breaks code that reads columns by name); choosing rows or row order (a grant
 * fixes the rows; re-sorting destroys order).
 *
 * ## Keying
 * Per-recipient material K_r = HMAC-SM3(K, "gongshu-wm-v1" ‖ 0 ‖ "recipient" ‖ 0 ‖ recipient) from the
 * platform key K (`watermarkKey`); a value v gets the six bits HMAC-SM3(K_r, norm(v))[0] mod 64,
 * where norm = NFKC, blanks collapsed, blanks and punctuation trimmed from the ends. Every mark is self-contained: it depends on its
 * own cell's value and the recipient only — not on the row, its position or the column name — so
 * re-sorting, dropping rows or columns, renaming columns and an Excel round trip leave the
 * remaining marks checkable.
 *
 * ## Detection statistic
 * Trials are the distinct normalised values that carry a mark (a value repeated in 50 rows is one
 * trial: counting cells would multiply chance agreement). For candidate c, trial v succeeds when
 * c's expected symbols are among those seen on v. Under H0 ("the marks are unrelated to c") each
 * success has probability p_v = (distinct symbol patterns seen on v)/64, independently across values
 * (HMAC-SM3 as a PRF). The p-value is bounded above by the Chernoff bound
 * P(X ≥ k) ≤ inf_t exp(−tk)·Π(1 − p_v + p_v·eᵗ) (= exp(−n·KL(k/n‖p)) when all p_v are equal, and Πp_v when
 * every trial succeeds), then Bonferroni-adjusted for the number of candidates (×N). With more than
 * 16 candidates each is first screened on 128 values spread evenly over the file; the best three
 * and any with a screen p < 0.01 are then scored on every value (at most 4096), and only a full
 * score can name a recipient.
 * `confidence` = 1 − adjusted p-value (an under-estimate; `log10PValue` keeps the exponent when it
 * rounds to 1). A candidate is named when its adjusted p < 1e-9 and every other candidate's is
 * ≥ 1e-3; two or more below 1e-9 means the file merges extracts of several recipients and all are
 * named; anything else names nobody. An unmarked file has no marks and names nobody.
 *
 * ## Limits (say them to users plainly)
 * The marks are documented and easy to strip on purpose; they trace careless and ordinary
 * re-sharing (the common leak), not a recipient who sets out to remove them — the ledger's record
 * of what was delivered to whom stays the primary evidence, and per-recipient pseudonyms (§12.4)
 * trace pseudonymised columns independently. Saving as a GBK ("ANSI") CSV turns the invisible
 * characters into "????" and destroys the marks (detection counts such cells and says so); deliveries
 * should therefore be xlsx or UTF-8 CSV with a BOM. Extracts without Chinese free text carry no mark
 * (`stats.markedCells` = 0); at least 5 distinct marked values are needed to reach 1e-9 for one
 * candidate, a few more for many candidates.
 */

// --------------------------------------------------------------------------------------------- constants

export const WATERMARK_METHOD = "gongshu-wm-v1";
/** The four carrier characters and what they mean (published so recipients can remove them). */
export const WATERMARK_CHARS = {
  sentinel: "\u2060",
  symbols: ["\u200B", "\u200C", "\u200D", "\u2060"] as const,
} as const;
const SYMBOLS = WATERMARK_CHARS.symbols;
const SYMBOL_COUNT = 3;
const CODES = 4 ** SYMBOL_COUNT; // 64
const MARK_LEN = 1 + SYMBOL_COUNT;
/** One mark (global, for stripping and finding). */
const MARK_RE = /\u2060[\u200B\u200C\u200D\u2060]{3}/g;
const ANY_CARRIER = /[\u200B\u200C\u200D\u2060]/;
/** Adjusted p-value below which a candidate is named. */
export const NAME_P = 1e-9;
/** Adjusted p-value every other candidate must stay above for a single recipient to be named. */
export const CLEAR_P = 1e-3;
/** Detection checks at most this many distinct marked values (plenty: each carries 6 bits). */
const DEFAULT_MAX_VALUES = 4096;
/** With more than this many candidates, each is first screened on a sample of this many values … */
const SCREEN_MIN_CANDIDATES = 16;
const SCREEN_VALUES = 128;
/** … and scored in full when the screen gives p < 0.01, or it is among the best few. */
const SCREEN_LOG10P = -2;
const SCREEN_KEEP = 3;

// --------------------------------------------------------------------------------------------- types

export interface WatermarkColumn {
  name: string;
  /** Catalog type (字符型, 数值型, 日期型 …) or an English one (string, number, date …). */
  type?: string;
  key?: boolean;
  sensitive?: boolean;
  /** Protection kind of the column (idcard, mobile, name, address …), if known. */
  kind?: string | null;
  /** Maximum length in characters: cells that would exceed it stay unmarked. */
  length?: number | null;
}

export interface WatermarkTable {
  columns: WatermarkColumn[];
  rows: Record<string, unknown>[];
}

export interface EmbedWatermarkOptions {
  /** The platform watermark key (at least 16 bytes; see `watermarkKey`). */
  key: Buffer;
  /** Who the extract is for: a grant id or an API key id. Recorded in the ledger as `data.watermark.recipient`. */
  recipient: string;
  /** Only these columns may carry marks (the cell rules still apply); default: chosen by the rules above. */
  columns?: string[];
}

export interface EmbedWatermarkStats {
  method: typeof WATERMARK_METHOD;
  rows: number;
  /** Cells that carry a mark. */
  markedCells: number;
  /** Distinct values among them: the trials detection will have if every row survives. */
  markedValues: number;
  /** 6 × markedValues: −log2 of the chance that one other recipient matches them all. */
  evidenceBits: number;
  carrierColumns: string[];
  skippedColumns: { column: string; reason: "key" | "identifier" | "type" | "categorical" | "no-text" | "not-selected" }[];
}

export interface EmbedWatermarkResult {
  rows: Record<string, unknown>[];
  stats: EmbedWatermarkStats;
}

export interface WatermarkCandidate {
  recipient: string;
  label?: string;
}

export interface CandidateEvidence {
  recipient: string;
  label?: string;
  /** Distinct marked values whose mark is this candidate's. */
  matches: number;
  /** Distinct marked values examined (the trials). */
  examined: number;
  /** Marked cells whose mark is this candidate's, of `markedCells`. */
  matchedCells: number;
  markedCells: number;
  /** matches / examined. */
  matchRate: number;
  /** Chernoff upper bound of P(≥ matches | H0), not adjusted (log10, to keep tiny values). */
  log10PValue: number;
  /** Bonferroni-adjusted over the candidates: min(1, N·p). */
  adjustedPValue: number;
  log10AdjustedPValue: number;
  /** 1 − adjustedPValue. */
  confidence: number;
  named: boolean;
}

export type WatermarkVerdict = "match" | "several" | "inconclusive" | "unknown" | "none";

export interface DetectWatermarkResult {
  method: typeof WATERMARK_METHOD;
  /**
   * match: one recipient named; several: the file mixes extracts of several named recipients;
   * inconclusive: some evidence but below the thresholds; unknown: marks found that match no
   * candidate; none: no marks at all.
   */
  verdict: WatermarkVerdict;
  named: CandidateEvidence[];
  /** Every candidate, best first. */
  candidates: CandidateEvidence[];
  cellsScanned: number;
  markedCells: number;
  /** Distinct marked values found (before the `maxValues` cap). */
  markedValues: number;
  examined: number;
  /** Cells ending in Han + "????": marks likely destroyed by a GBK ("ANSI") re-save. */
  gbkDamagedCells: number;
  statistic: string;
}

/** What a delivery records in its ledger entry as `data.watermark`; `gongshu trace` reads it back. */
export const WatermarkLedgerData = z.object({ recipient: z.string().min(1), label: z.string() }).strict();
export type WatermarkLedgerData = z.infer<typeof WatermarkLedgerData>;

// --------------------------------------------------------------------------------------------- keying

function requireKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length < 16) throw new RangeError(`${what}: the key must be a Buffer of at least 16 bytes`);
}

/** K_r: the recipient's watermark material. */
function recipientKey(key: Buffer, recipient: string): Buffer {
  return createHmac("sm3", key).update(`${WATERMARK_METHOD}\0recipient\0`).update(recipient, "utf8").digest();
}

/**
 * The form a value is keyed in: NFKC (full-width folded), blanks collapsed, and blanks,
 * punctuation and symbols trimmed from both ends (so "王伟" keeps its mark when a leaker joins
 * cells into "王伟，人民路5号").
 */
export function normalizeForWatermark(value: string): string {
  return value.normalize("NFKC").replace(/\s+/gu, " ").replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "");
}

function codeFor(rkey: Buffer, normalized: string): number {
  return createHmac("sm3", rkey).update(normalized, "utf8").digest()[0] % CODES;
}

function markOf(code: number): string {
  let s = WATERMARK_CHARS.sentinel;
  for (let i = SYMBOL_COUNT - 1; i >= 0; i--) s += SYMBOLS[(code >> (2 * i)) & 3];
  return s;
}

function codeOfMark(mark: string): number {
  let c = 0;
  for (let i = 1; i < MARK_LEN; i++) c = (c << 2) | SYMBOLS.indexOf(mark[i] as (typeof SYMBOLS)[number]);
  return c;
}

// --------------------------------------------------------------------------------------------- eligibility

const HAN = /\p{Script=Han}/gu;
const DIGIT = /[0-9０-９]/g;
const END_OK = /[\p{Script=Han}\u3001-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]$/u;
/** Dates and times written with Han units: 2024年1月5日, 5月3日 14时30分, 二〇二四年. */
const DATE_LIKE = /^[\s0-9０-９〇零一二三四五六七八九十年月日号時时分秒点:：\-/.]+$/u;
const TEXT_TYPES = new Set(["字符型", "文本型", "string", "text", "varchar", "char"]);
const IDENTIFIER_KINDS = new Set(["idcard", "mobile", "landline", "bankcard", "uscc", "email", "plate", "passport"]);
/** Columns longer than this are free text for sure; shorter ones are checked for being categorical. */
const CATEGORICAL_MIN_CELLS = 8;

/** A masked display value of Chinese text: Han characters (and the name dot), then the mask's asterisks. */
const MASKED_TEXT = /^[\p{Script=Han}·]+\*+$/u;

/** Whether a cell may carry a mark (column rules aside). */
function eligible(v: unknown, maxLength?: number | null): v is string {
  if (typeof v !== "string" || v.length < 2 || v.length > 10_000) return false;
  if (ANY_CARRIER.test(v)) return false;
  const t = v.trimEnd();
  if (MASKED_TEXT.test(t)) return !(maxLength && [...v].length + MARK_LEN > maxLength);
  if (!END_OK.test(t)) return false;
  const han = t.match(HAN)?.length ?? 0;
  if (han < 2 || han < (t.match(DIGIT)?.length ?? 0)) return false;
  if (DATE_LIKE.test(t)) return false;
  if (maxLength && [...v].length + MARK_LEN > maxLength) return false;
  return true;
}

function withMark(v: string, mark: string): string {
  const t = v.trimEnd();
  return t + mark + v.slice(t.length);
}

// --------------------------------------------------------------------------------------------- embed

/**
 * Mark an extract for one recipient. Returns new row objects (the input is not changed) with a
 * mark appended to every eligible cell of the carrier columns, and what was marked. Call it after
 * masking and before serialising (CSV, XLSX, JSON, Parquet all keep the marks), and record
 * `{ recipient, label }` as the delivery's ledger `data.watermark`.
 */
export function embedWatermark(table: WatermarkTable, opts: EmbedWatermarkOptions): EmbedWatermarkResult {
  requireKey(opts.key, "embedWatermark");
  if (typeof opts.recipient !== "string" || !opts.recipient) throw new RangeError("embedWatermark: recipient must be a non-empty string");
  const rkey = recipientKey(opts.key, opts.recipient);
  const only = opts.columns ? new Set(opts.columns) : null;
  const carriers: WatermarkColumn[] = [];
  const skipped: EmbedWatermarkStats["skippedColumns"] = [];
  for (const c of table.columns) {
    const type = (c.type ?? "").trim().toLowerCase();
    let reason: EmbedWatermarkStats["skippedColumns"][number]["reason"] | null = null;
    if (only && !only.has(c.name)) reason = "not-selected";
    else if (c.key) reason = "key";
    else if (c.kind && IDENTIFIER_KINDS.has(c.kind)) reason = "identifier";
    else if (type && !TEXT_TYPES.has(type)) reason = "type";
    else {
      let cells = 0;
      const distinct = new Set<string>();
      for (const r of table.rows) {
        const v = r[c.name];
        if (!eligible(v, c.length)) continue;
        cells++;
        distinct.add(normalizeForWatermark(v));
      }
      if (cells === 0) reason = "no-text";
      else if (!only && cells >= CATEGORICAL_MIN_CELLS && distinct.size * 2 < cells) reason = "categorical";
    }
    if (reason) skipped.push({ column: c.name, reason });
    else carriers.push(c);
  }

  const marks = new Map<string, string>();
  let markedCells = 0;
  const rows = table.rows.map((r) => {
    const out = { ...r };
    for (const c of carriers) {
      const v = r[c.name];
      if (!eligible(v, c.length)) continue;
      const n = normalizeForWatermark(v);
      let m = marks.get(n);
      if (m === undefined) {
        m = markOf(codeFor(rkey, n));
        marks.set(n, m);
      }
      out[c.name] = withMark(v, m);
      markedCells++;
    }
    return out;
  });
  return {
    rows,
    stats: {
      method: WATERMARK_METHOD,
      rows: rows.length,
      markedCells,
      markedValues: marks.size,
      evidenceBits: marks.size * Math.log2(CODES),
      carrierColumns: carriers.map((c) => c.name),
      skippedColumns: skipped,
    },
  };
}

/** Remove the watermark marks from a value (other values are returned as they are). */
export function stripWatermark<T>(value: T): T {
  return (typeof value === "string" ? value.replace(MARK_RE, "") : value) as T;
}

/** Remove the marks from every cell of some rows (new objects). */
export function stripWatermarkRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, stripWatermark(v)])));
}

/** Whether a value carries a mark. */
export function hasWatermark(value: unknown): boolean {
  return typeof value === "string" && value.search(MARK_RE) >= 0;
}

// --------------------------------------------------------------------------------------------- detect

/**
 * Upper bound of P(X ≥ k) for X a sum of independent Bernoulli(p_i) (natural log): the Chernoff
 * bound inf_t exp(−tk)·Π(1 − p_i + p_i·eᵗ), minimised over t > 0 by bisection on its derivative.
 */
export function chernoffLogTail(k: number, ps: number[]): number {
  const n = ps.length;
  const mean = ps.reduce((a, p) => a + p, 0);
  if (k <= mean) return 0;
  if (k >= n) return ps.reduce((a, p) => a + Math.log(p), 0);
  // f(t) = t(n − k) + Σ log(p + (1 − p)e^{−t}); f'(t) = Σ p / (p + (1 − p)e^{−t}) − k, increasing.
  const f = (t: number) => t * (n - k) + ps.reduce((a, p) => a + Math.log(p + (1 - p) * Math.exp(-t)), 0);
  const df = (t: number) => ps.reduce((a, p) => a + p / (p + (1 - p) * Math.exp(-t)), 0) - k;
  let lo = 0;
  let hi = 1;
  while (df(hi) < 0 && hi < 1e4) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (df(mid) < 0) lo = mid;
    else hi = mid;
  }
  return Math.min(0, f((lo + hi) / 2));
}

interface Observed {
  codes: Map<number, number>; // code → cells
  cells: number;
}

function collectMarks(rows: Iterable<Record<string, unknown>>, out: Map<string, Observed>): { cells: number; marked: number; gbk: number } {
  let cells = 0;
  let marked = 0;
  let gbk = 0;
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      cells++;
      let prev = 0;
      for (const m of v.matchAll(MARK_RE)) {
        const idx = m.index ?? 0;
        const n = normalizeForWatermark(v.slice(prev, idx));
        prev = idx + MARK_LEN;
        if (!n) continue;
        marked++;
        let o = out.get(n);
        if (!o) out.set(n, (o = { codes: new Map(), cells: 0 }));
        const code = codeOfMark(m[0]);
        o.codes.set(code, (o.codes.get(code) ?? 0) + 1);
        o.cells++;
      }
      if (prev === 0 && /\p{Script=Han}\?{4}\s*$/u.test(v)) gbk++;
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object" && !(v instanceof Date) && !Buffer.isBuffer(v)) Object.values(v).forEach(visit);
  };
  for (const r of rows) visit(r);
  return { cells, marked, gbk };
}

export interface DetectWatermarkOptions {
  /** Examine at most this many distinct marked values (default 4096). */
  maxValues?: number;
}

/**
 * Which candidate a (possibly damaged) extract was marked for. Reads every string cell (columns and
 * their names do not matter; nested JSON values are read too), so re-sorted, cut, renamed or
 * re-saved files can be traced. See the file comment for the statistic and the thresholds.
 */
export function detectWatermark(table: { columns?: unknown; rows: Iterable<Record<string, unknown>> }, candidates: WatermarkCandidate[], key: Buffer, opts: DetectWatermarkOptions = {}): DetectWatermarkResult {
  requireKey(key, "detectWatermark");
  const observed = new Map<string, Observed>();
  const scan = collectMarks(table.rows, observed);
  const values = [...observed.entries()].slice(0, opts.maxValues ?? DEFAULT_MAX_VALUES);

  const unique = new Map<string, WatermarkCandidate>();
  for (const c of candidates) if (c.recipient && !unique.has(c.recipient)) unique.set(c.recipient, c);
  const N = Math.max(1, unique.size);
  const score = (c: WatermarkCandidate, rkey: Buffer, vals: [string, Observed][]): CandidateEvidence => {
    let matches = 0;
    let matchedCells = 0;
    let cells = 0;
    const p: number[] = [];
    for (const [n, o] of vals) {
      cells += o.cells;
      p.push(Math.min(1, o.codes.size / CODES));
      const hit = o.codes.get(codeFor(rkey, n));
      if (hit !== undefined) {
        matches++;
        matchedCells += hit;
      }
    }
    const log10P = vals.length ? chernoffLogTail(matches, p) / Math.LN10 : 0;
    const log10Adj = Math.min(0, log10P + Math.log10(N));
    const adjusted = 10 ** log10Adj;
    return {
      recipient: c.recipient,
      ...(c.label !== undefined ? { label: c.label } : {}),
      matches,
      examined: vals.length,
      matchedCells,
      markedCells: cells,
      matchRate: vals.length ? matches / vals.length : 0,
      log10PValue: log10P,
      adjustedPValue: adjusted,
      log10AdjustedPValue: log10Adj,
      confidence: 1 - adjusted,
      named: false,
    };
  };
  // Many candidates: screen each on an evenly spread sample of values (a valid, if weaker, test on
  // its own), then score in full only those the screen cannot rule out, and the best few. A
  // candidate is named only on its full score, so screening never makes a naming easier.
  const list = [...unique.values()].map((c) => ({ c, rkey: recipientKey(key, c.recipient) }));
  let evidence: CandidateEvidence[];
  if (values.length > SCREEN_VALUES && list.length > SCREEN_MIN_CANDIDATES) {
    const step = values.length / SCREEN_VALUES;
    const sample = Array.from({ length: SCREEN_VALUES }, (_, i) => values[Math.floor(i * step)]);
    const screened = list.map((x) => ({ ...x, e: score(x.c, x.rkey, sample) })).sort((a, b) => a.e.log10PValue - b.e.log10PValue);
    evidence = screened.map((x, i) => (i < SCREEN_KEEP || x.e.log10PValue < SCREEN_LOG10P ? score(x.c, x.rkey, values) : x.e));
  } else evidence = list.map((x) => score(x.c, x.rkey, values));
  evidence.sort((a, b) => a.log10AdjustedPValue - b.log10AdjustedPValue || b.matches - a.matches || a.recipient.localeCompare(b.recipient));

  const significant = evidence.filter((e) => e.adjustedPValue < NAME_P);
  let verdict: WatermarkVerdict;
  if (scan.marked === 0) verdict = "none";
  else if (significant.length >= 2) verdict = "several";
  else if (significant.length === 1 && (evidence[1] === undefined || evidence[1].adjustedPValue >= CLEAR_P)) verdict = "match";
  else if (evidence.length && evidence[0].adjustedPValue < CLEAR_P) verdict = "inconclusive";
  else verdict = "unknown";
  if (verdict === "match" || verdict === "several") for (const e of significant) e.named = true;

  return {
    method: WATERMARK_METHOD,
    verdict,
    named: evidence.filter((e) => e.named),
    candidates: evidence,
    cellsScanned: scan.cells,
    markedCells: scan.marked,
    markedValues: observed.size,
    examined: values.length,
    gbkDamagedCells: scan.gbk,
    statistic: `Chernoff upper bound of the binomial tail over distinct marked values (p0 = patterns seen / ${CODES}), Bonferroni × ${N} candidates; named when adjusted p < ${NAME_P} and every other ≥ ${CLEAR_P}`,
  };
}

// --------------------------------------------------------------------------------------------- key

const memoryKeys = new Map<string, Buffer>();

export interface WatermarkKeyOptions {
  /** Create `<dataDir>/keys/watermark.key` when it is missing (default true; `gongshu trace` passes false). */
  create?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The platform watermark key: `GONGSHU_WATERMARK_KEY` (hex, at least 32 hex digits) when set —
 * every node of a multi-node installation must share it — else `<dataDir>/keys/watermark.key`
 * (32 random bytes, mode 0600, created atomically: written to a temporary file and linked into
 * place, so two processes starting together end up with the same key). With a `memory://` data
 * folder (tests) the key lives in this process only. The key never goes into logs or errors.
 */
export async function watermarkKey(dataDir: string, opts: WatermarkKeyOptions = {}): Promise<Buffer> {
  const env = opts.env ?? process.env;
  const hex = env.GONGSHU_WATERMARK_KEY?.trim();
  if (hex) {
    if (!/^(?:[0-9a-fA-F]{2}){16,}$/.test(hex)) throw new Error("GONGSHU_WATERMARK_KEY must be an even number of hex digits, at least 32");
    return Buffer.from(hex, "hex");
  }
  if (dataDir.startsWith("memory://")) {
    let k = memoryKeys.get(dataDir);
    if (!k) memoryKeys.set(dataDir, (k = randomBytes(32)));
    return k;
  }
  const dir = path.join(dataDir, "keys");
  const file = path.join(dir, "watermark.key");
  const read = async (): Promise<Buffer | null> => {
    try {
      const b = await fs.readFile(file);
      if (b.length < 16) throw new Error(`${file} is damaged (${b.length} bytes; a watermark key has 32)`);
      return b;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  };
  const have = await read();
  if (have) return have;
  if (opts.create === false) throw new Error(`no watermark key: set GONGSHU_WATERMARK_KEY or provide ${file}`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.watermark.key.${process.pid}.${randomBytes(6).toString("hex")}`);
  await fs.writeFile(tmp, randomBytes(32), { mode: 0o600, flag: "wx" });
  try {
    await fs.link(tmp, file); // fails with EEXIST if another process got there first: then use theirs
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  const k = await read();
  if (!k) throw new Error(`could not create ${file}`);
  return k;
}
