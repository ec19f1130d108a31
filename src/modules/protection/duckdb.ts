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
 * Speed: gs_idcard_valid is the hot one (quality scoring of a population table). It validates the
 * shape, region and date ranges with one RE2 match, parses the 18 characters once as an integer
 * (an X is encoded above 10^18) and computes the MOD 11-2 sum arithmetically: with q_k = m // 10^k,
 * Σ d_j·2^j = m − Σ_k 2^(k+2)·q_k, so 18 integer divisions replace 17 character extractions. Upper-
 * casing and trimming run only for values that fail the plain match. macros.bench.ts measures it:
 * 10 million generated IDs in about 2.5 s wall (5 s CPU) with 2 threads. Tried and slower: a
 * list_transform/list_reduce over the characters (≈ 2×), 17 unrolled ascii(substr()) terms (≈ 1.5×),
 * lookup tables in lists (a constant list inside a lambda is rebuilt per row: ≈ 10×), hex parsing.
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

/** Today in China (UTC+8, no daylight saving) as a YYYYMMDD integer, by arithmetic on the epoch: no ICU time-zone lookup. */
const TODAY = "CAST(strftime(DATE '1970-01-01' + CAST((epoch_ms(now()) + 28800000) // 86400000 AS INTEGER), '%Y%m%d') AS INTEGER)";

/** Σ d_j·2^j (mod 11, positive) over the decimal digits of m, by the identity above. */
function mod11WeightedSum(m: string, digits: number): string {
  const terms = [m];
  for (let k = 1; k < digits; k++) {
    const coef = (11 - pow2mod11(k + 2)) % 11;
    if (coef) terms.push(`(${m} // ${TEN(k)}) * ${coef}`);
  }
  return terms.join(" + ");
}

/** d = YYYYMMDD (regex already bounds month 01–12 and day 01–31): not after today, and the day exists in its month. */
function dateOk(d: string): string {
  const y = `(${d} // 10000)`;
  const mo = `((${d} // 100) % 100)`;
  const leap = `CASE WHEN ${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0) THEN 1 ELSE 0 END`;
  const dim = `CASE ${mo} WHEN 2 THEN 28 + ${leap} ELSE 30 + ((${mo} + ${mo} // 8) % 2) END`;
  return `(${d} <= ${TODAY} AND (${d} % 100 <= 28 OR ${d} % 100 <= ${dim}))`;
}

function idcardMacros(): [string, string][] {
  const re = sqlStr(IDCARD_RE_SRC);
  // Digits-only IDs parse as m (< 9·10^17). An X-ended ID is encoded m = 10^18 + 10·first17 + 1: the
  // extra digit 1 at 10^18 adds 2^18 ≡ 3 and the last digit counts 1 instead of X = 10, so X rows add 9 − 3.
  const xOffset = (9 - pow2mod11(18) + 11) % 11;
  const m = `coalesce(TRY_CAST(t AS BIGINT), ${TEN(18)} + 10 * TRY_CAST(substr(t, 1, 17) AS BIGINT) + 1)`;
  const ok =
    `list_transform([${m}], lambda m: ${dateOk(`((m // 10000) % 100000000)`)} ` +
    `AND ((${mod11WeightedSum("m", 19)}) + CASE WHEN m >= ${TEN(18)} THEN ${xOffset} ELSE 0 END) % 11 = 1)[1]`;
  // Sanity: the JS weights are the powers of 2 this identity assumes.
  for (let i = 0; i < 17; i++) if (IDCARD_WEIGHTS[i] !== pow2mod11(17 - i)) throw new Error("IDCARD_WEIGHTS are not 2^(17-i) mod 11");
  const norm = `upper(trim(x, ${WS}))`;
  return [
    ["gs__idcard_ok(t)", ok],
    [
      "gs_idcard_valid(x)",
      `CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(x, ${re}) THEN gs__idcard_ok(x) ` +
        `WHEN regexp_full_match(${norm}, ${re}) THEN gs__idcard_ok(${norm}) ELSE false END`,
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
