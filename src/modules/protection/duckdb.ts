import { COMPOUND_SURNAMES, EMAIL_RE_SRC, IDCARD_RE_SRC, IDCARD_WEIGHTS, MOBILE_RE_SRC, ADDRESS_PREFIX_RE_SRC, TRIM_CHARS, USCC_CHARSET, USCC_RE_SRC, USCC_WEIGHTS } from "./identifiers.ts";

/**
 * The protection rules as DuckDB (1.5) SQL macros, for quality checks and masking over lake
 * snapshots of millions of rows without leaving SQL. Each macro agrees with its JS function on
 * every value (duckdb.test.ts proves it on the RULES vectors and thousands of generated values):
 *
 * | macro | JS |
 * |---|---|
 * | gs_idcard_valid(x)   | isValidIdCard  |
 * | gs_uscc_valid(x)     | isValidUscc    |
 * | gs_luhn_valid(x)     | isValidLuhn    |
 * | gs_bankcard_valid(x) | isBankCard     |
 * | gs_mobile_valid(x)   | isMobile       |
 * | gs_email_valid(x)    | isEmail        |
 * | gs_mask_idcard(x), gs_mask_mobile(x), gs_mask_name(x), gs_mask_address(x), gs_mask_bankcard(x) | maskIdCard … |
 *
 * NULL in, NULL out; no input makes them raise an error (casts are try_casts behind a regex).
 * Helpers are named gs__*. Positions use substr/length, which count code points as JS Array.from
 * does (DuckDB's left/right count grapheme clusters, so they are not used).
 *
 * Speed: gs_idcard_valid is the hot one (quality scoring of a population table). macros.bench.ts
 * measures it on 10 million generated IDs with 2 threads: 0.89–0.95 s wall (1.8–1.9 s CPU), from
 * 2.5 s wall (5.0 s CPU) for the previous version on the same machine. How:
 * - One RE2 match does all the validation that needs no arithmetic: the shape, the province, and the
 *   calendar date (days per month, 29 February only in leap years: 1800–2099 are leap iff YY % 4 = 0,
 *   except 1800 and 1900). A bigger pattern costs nothing per value (RE2 runs a DFA). The same match
 *   accepts the blanks and the lower-case x the JS tolerates, so trim() runs only for padded values and
 *   upper() never: a value that fails costs one match, not two.
 * - The 18 characters are parsed once (TRY_CAST of the whole string) and bound to a lambda parameter
 *   (list_transform([m], lambda m: …)[1]: the only way to reuse a value under CASE, where DuckDB's
 *   common-subexpression elimination does not look). An X (or x) is encoded as m = 8·10^18 + 10·first17:
 *   the 8 in front adds 10 to the sum below, standing for X = 10, at no extra operation.
 * - "Not after today": m % 10^12 = YYYYMMDD·10^4 + the last four digits, compared with today's
 *   YYYYMMDD9999 (China time by epoch arithmetic, no ICU; a constant, evaluated once per vector).
 * - MOD 11-2 by 17 integer divisions: with q_k = m // 10^k, Σ d_j·2^j = m − Σ_k 2^(k+2)·q_k, and
 *   modulo 11 each 2^(k+2) is ±2^a (a = (k+2) mod 5, since 2^5 ≡ −1), so the q_k fall into five groups
 *   combined as G0 + 2·G1 + 4·G2 + 8·G3 + 16·G4 (mod11Offset: exact coefficients 8 and 16 for q_1 and
 *   q_2 keep every partial value in BIGINT range; the remainder is never negative).
 * - DuckDB builds a lambda's expression executor anew for every vector, at a cost that grows with the
 *   body's nodes and depth (perf: volatility walks over the tree), so the body is a balanced tree with
 *   as few nodes as possible (the shorter "today" alone saved 4%) and no constant lists.
 * Where the time goes now (perf): RE2 about a third, the divisions and the overflow-checked additions
 * (one function call per element inside a lambda) about a quarter, the parse, the lambda's per-vector
 * setup and allocations most of the rest.
 * Tried and slower or no better: a list_transform/list_reduce over the characters (≈ 2×), 17 unrolled
 * ascii(substr()) terms (substr alone costs ≈ 22 ns a value, so does x[i]), lookup tables in lists
 * (≈ 10×), BCD by hex parsing ('0x' || substr(…) costs ≈ 60 ns before any arithmetic, and BLOB → BIT
 * casts more), two 32-bit halves (same number of operations, each ≈ 7% cheaper: not worth a second
 * binding), DOUBLE (inexact above 2^53; a floor division is two operations), the check character compared
 * as a character (substr again), list_sum over the quotients instead of additions (≈ 6×;
 * list_dot_product is DOUBLE), the date compared as a string (substr) or today passed in as
 * list_reduce's second parameter (no faster), a negative m for X rows (needs BETWEEN and IN: ≈ 10%
 * slower), Horner form (no faster, deeper), the weights as 10 groups with multiplications (≈ 8% slower),
 * the arithmetic outside a lambda relying on CSE (not applied under CASE, AND or OR, which is every real
 * use: the parse would run 20 times), and checking shape, province and date by arithmetic instead of
 * RE2 (more operations than the match costs).
 */

const sqlStr = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** The trim set as a SQL expression (folded to a constant by DuckDB). */
const WS = Array.from(TRIM_CHARS)
  .map((c) => (c === " " ? "' '" : `chr(${c.codePointAt(0)})`))
  .join(" || ");
const pow2mod11 = (e: number) => {
  let r = 1;
  for (let i = 0; i < e; i++) r = (r * 2) % 11;
  return r;
};
const TEN = (k: number) => (10n ** BigInt(k)).toString();
/** a + b + … as a balanced tree (a lambda body's setup cost grows with its depth). */
const balanced = (xs: string[], op: string): string =>
  xs.length === 1 ? xs[0] : `(${balanced(xs.slice(0, xs.length >> 1), op)} ${op} ${balanced(xs.slice(xs.length >> 1), op)})`;

/**
 * Today in China (UTC+8, no daylight saving) as the integer YYYYMMDD9999, the largest m % 10^12 of an ID born
 * today. By arithmetic on the epoch (epoch_ms of a BIGINT is a TIMESTAMP without time zone): no ICU lookup, the
 * session's TimeZone does not matter. Few nodes on purpose: it is evaluated inside the lambda.
 */
const TODAY_9999 = "CAST(strftime(epoch_ms(epoch_ms(now()) + 28800000), '%Y%m%d9999') AS BIGINT)";

/** The birth-date part of IDCARD_RE_SRC (month 01–12, day 01–31), replaced below by a real-calendar-date pattern. */
const IDCARD_DATE_SHAPE = "(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])";
/**
 * YYYYMMDD, 1800–2099, a real date: any month has days 01–28, all but February 29 and 30, the long
 * months 31; 29 February in leap years (YY % 4 = 0 except 1800 and 1900; 2000 is one).
 */
const IDCARD_DATE_RE =
  "(?:(?:18|19|20)[0-9]{2}(?:(?:0[1-9]|1[0-2])(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])(?:29|30)|(?:0[13578]|1[02])31)" +
  "|(?:(?:18|19|20)(?:0[48]|[2468][048]|[13579][26])|2000)0229)";

/**
 * U = Σ_{k=1..17} μ_k·q_k with q_k = m // 10^k and μ_k ≡ 2^(k+2) (mod 11), so that (m − U) ≡ Σ d_j·2^j.
 * μ_k = ±2^a with a = (k+2) mod 5 (2^5 ≡ −1), grouped by a: U = G0 + 2·G1 + 4·G2 + 8·G3 + 16·G4. For
 * k = 1, 2 that is exactly 2^(k+2), so U ≤ m and every partial value fits BIGINT even for an X row
 * (m < 8.84·10^18); for k ≥ 3 |μ_k| < 2^(k+2), so m − U ≥ Σ d_j·2^j ≥ 0 and % 11 needs no sign fix.
 * G3 and G4 are never negative (q_1 ≥ q_6, q_11 ≥ q_16, …) and are shifted; G1 and G2 may be, and are multiplied.
 */
function mod11Offset(m: string): string {
  const pos: string[][] = [[], [], [], [], []];
  const neg: string[][] = [[], [], [], [], []];
  for (let k = 1; k <= 17; k++) {
    const e = k + 2;
    (Math.floor(e / 5) % 2 ? neg : pos)[e % 5].push(`${m} // ${TEN(k)}`);
  }
  const g = (a: number) => (neg[a].length ? `(${balanced(pos[a], "+")} - ${balanced(neg[a], "+")})` : balanced(pos[a], "+"));
  return `((${g(0)} + ${g(1)} * 2) + (${g(2)} * 4 + ((${g(3)} << 3) + (${g(4)} << 4))))`;
}

function idcardMacros(): [string, string][] {
  // Sanity: the JS weights are the powers of 2 the arithmetic assumes.
  for (let i = 0; i < 17; i++) if (IDCARD_WEIGHTS[i] !== pow2mod11(17 - i)) throw new Error("IDCARD_WEIGHTS are not 2^(17-i) mod 11");
  // The JS pattern with a real-date check, blanks around it and a lower-case x: what isValidIdCard accepts
  // after trimWs and toUpperCase (no other character upper-cases to a digit or X).
  const ws = `[${Array.from(TRIM_CHARS, (c) => `\\x{${c.codePointAt(0)!.toString(16)}}`).join("")}]*`;
  const core = IDCARD_RE_SRC.replace(IDCARD_DATE_SHAPE, IDCARD_DATE_RE).replace(/\[0-9X\]$/, "[0-9Xx]");
  if (!core.includes(IDCARD_DATE_RE) || !core.endsWith("[0-9Xx]")) throw new Error("IDCARD_RE_SRC changed: update the date pattern in duckdb.ts");
  const re = sqlStr(`${ws}${core}${ws}`);
  // X rows: 8·10^18 + 10·first17. Modulo 11 the 8 at 10^18 adds 8·(1 − Σ_k μ_k·(−1)^k) ≡ 10, the value of X.
  const parse = (v: string) => `coalesce(TRY_CAST(${v} AS BIGINT), 8000000000000000000 + 10 * TRY_CAST(substr(${v}, 1, 17) AS BIGINT))`;
  const m = parse("t");
  const ok =
    `list_transform([${m}], lambda m: m % 1000000000000 <= ${TODAY_9999} ` +
    `AND (m - ${mod11Offset("m")}) % 11 = 1)[1]`;
  return [
    // t: 18 characters matching the pattern (blanks trimmed; the last one may be x).
    ["gs__idcard_ok(t)", ok],
    [
      "gs_idcard_valid(x)",
      `CASE WHEN NOT regexp_full_match(x, ${re}) THEN false WHEN strlen(x) = 18 THEN gs__idcard_ok(x) ` +
        `WHEN x IS NOT NULL THEN gs__idcard_ok(trim(x, ${WS})) END`,
    ],
    // The same check in two steps for a scan that can project a column first (quality's scoring):
    // m = gs_idcard_num(x) computed once per row in a subquery, then gs_idcard_valid_num(x, m) needs
    // no lambda to bind m (~25% less CPU on 10M IDs). Same result as gs_idcard_valid(x) for every x.
    ["gs_idcard_num(x)", parse("x")],
    ["gs__idcard_ok_num(m)", `m % 1000000000000 <= ${TODAY_9999} AND (m - ${mod11Offset("m")}) % 11 = 1`],
    [
      "gs_idcard_valid_num(x, m)",
      `CASE WHEN NOT regexp_full_match(x, ${re}) THEN false WHEN strlen(x) = 18 THEN gs__idcard_ok_num(m) ` +
        `WHEN x IS NOT NULL THEN gs__idcard_ok(trim(x, ${WS})) END`,
    ],
  ];
}

function usccMacros(): [string, string][] {
  const re = sqlStr(USCC_RE_SRC);
  const cs = sqlStr(USCC_CHARSET);
  const w = [...USCC_WEIGHTS, 1];
  const sum = w.map((wi, i) => `(strpos(${cs}, substr(t, ${i + 1}, 1)) - 1) * ${wi}`).join(" + ");
  const norm = `upper(trim(x, ${WS}))`;
  return [
    ["gs__uscc_ok(t)", `(${sum}) % 31 = 0`],
    [
      "gs_uscc_valid(x)",
      `CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(x, ${re}) THEN gs__uscc_ok(x) ` +
        `WHEN regexp_full_match(${norm}, ${re}) THEN gs__uscc_ok(${norm}) ELSE false END`,
    ],
  ];
}

function luhnMacros(): [string, string][] {
  const U = (k: number) => `${TEN(k)}::UBIGINT`;
  const terms: string[] = [];
  for (let j = 0; j < 19; j++) {
    const digit = `(n // ${U(j)}) % 10::UBIGINT`;
    // Doubled digit: 2d, minus 9 when d ≥ 5 (d ≥ 5 ⇔ (n // (5·10^j)) is odd).
    terms.push(j % 2 === 0 ? `(${digit})` : `(2::UBIGINT * (${digit}) - 9::UBIGINT * ((n // ${(5n * 10n ** BigInt(j)).toString()}::UBIGINT) % 2::UBIGINT))`);
  }
  const compact = `regexp_replace(trim(x, ${WS}), '[ -]', '', 'g')`;
  return [
    ["gs__luhn_ok(n)", `(${terms.join(" + ")}) % 10::UBIGINT = 0`],
    ["gs_luhn_valid(x)", `list_transform([${compact}], lambda t: CASE WHEN t IS NULL THEN NULL WHEN regexp_full_match(t, '[0-9]{2,19}') THEN gs__luhn_ok(TRY_CAST(t AS UBIGINT)) ELSE false END)[1]`],
    ["gs_bankcard_valid(x)", `list_transform([${compact}], lambda t: CASE WHEN t IS NULL THEN NULL WHEN regexp_full_match(t, '[1-9][0-9]{15,18}') THEN gs__luhn_ok(TRY_CAST(t AS UBIGINT)) ELSE false END)[1]`],
  ];
}

function maskMacros(): [string, string][] {
  const keep = `list_transform([t], lambda s: CASE WHEN length(s) >= minlen AND length(s) > head + tail ` +
    `THEN substr(s, 1, head) || repeat('*', length(s) - head - tail) || substr(s, length(s) - tail + 1) ELSE repeat('*', length(s)) END)[1]`;
  const compact = `regexp_replace(trim(x, ${WS}), '[ -]', '', 'g')`;
  const compound = COMPOUND_SURNAMES.map(sqlStr).join(", ");
  const notSep = sqlStr("[^·•・. ]");
  return [
    ["gs__keep(t, head, tail, minlen)", keep],
    ["gs_mask_idcard(x)", `gs__keep(trim(x, ${WS}), 6, 4, 15)`],
    ["gs_mask_mobile(x)", `gs__keep(regexp_replace(${compact}, '^(\\+86|0086|86)(1[0-9]{10})$', '\\2'), 3, 4, 11)`],
    ["gs_mask_bankcard(x)", `gs__keep(${compact}, 6, 4, 13)`],
    [
      "gs_mask_name(x)",
      `list_transform([trim(x, ${WS})], lambda t: CASE WHEN length(t) <= 1 THEN t ` +
        `WHEN length(t) >= 3 AND substr(t, 1, 2) IN (${compound}) THEN substr(t, 1, 2) || regexp_replace(substr(t, 3), ${notSep}, '*', 'g') ` +
        `ELSE substr(t, 1, 1) || regexp_replace(substr(t, 2), ${notSep}, '*', 'g') END)[1]`,
    ],
    [
      "gs_mask_address(x)",
      `list_transform([trim(x, ${WS})], lambda t: list_transform([regexp_extract(t, ${sqlStr(`^${ADDRESS_PREFIX_RE_SRC}`)}, 0)], lambda p: p || repeat('*', length(t) - length(p)))[1])[1]`,
    ],
  ];
}

function simpleMacros(): [string, string][] {
  return [
    ["gs_mobile_valid(x)", `regexp_full_match(regexp_replace(trim(x, ${WS}), '[ -]', '', 'g'), ${sqlStr(MOBILE_RE_SRC)})`],
    ["gs_email_valid(x)", `list_transform([trim(x, ${WS})], lambda t: length(t) <= 254 AND regexp_full_match(t, ${sqlStr(EMAIL_RE_SRC)}))[1]`],
  ];
}

export interface DuckdbMacroOptions {
  /** CREATE TEMP MACRO: only for this connection, nothing written to a database file. */
  temporary?: boolean;
}

/**
 * The `CREATE OR REPLACE MACRO` statements, in dependency order, to run on a DuckDB connection.
 * To install them on every connection of one instance (the lake), use `{ temporary: true }`:
 * connections creating the same persistent macros at the same time fail with "Catalog write-write
 * conflict" (duckdb.test.ts shows both). Without it, run them once per instance.
 */
export function duckdbMacros(opts: DuckdbMacroOptions = {}): string[] {
  const kw = opts.temporary ? "CREATE OR REPLACE TEMP MACRO" : "CREATE OR REPLACE MACRO";
  return [...idcardMacros(), ...usccMacros(), ...luhnMacros(), ...simpleMacros(), ...maskMacros()].map(([sig, body]) => `${kw} ${sig} AS ${body}`);
}

/** The names of the public macros (without the gs__ helpers). */
export const DUCKDB_MACROS = [
  "gs_idcard_valid", "gs_uscc_valid", "gs_luhn_valid", "gs_bankcard_valid", "gs_mobile_valid", "gs_email_valid",
  "gs_mask_idcard", "gs_mask_mobile", "gs_mask_name", "gs_mask_address", "gs_mask_bankcard",
] as const;
