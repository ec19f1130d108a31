/**
 * SQL building blocks for the DuckDB generators: literals, seeded hash macros, and the GB 11643 / GB 32100 /
 * GB 11714 check characters computed in SQL.
 */

export const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const ID_CHECK_CHARS = "10X98765432";
export const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export const str = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const list = (xs: readonly string[]): string => `[${xs.map(str).join(", ")}]`;
export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * Macros of one generation run. `h(i, k)` is the seeded 64-bit hash of row i under salt k (independent across salts), `u(i, k)` a uniform
 * float in [0, 1), `pick(xs, i, k)` an element of a list. DuckDB's hash() is deterministic for a given version.
 */
export function baseMacros(seed: number): string[] {
  const idSum = ID_WEIGHTS.map((w, k) => `((b // ${10n ** BigInt(16 - k)}) % 10) * ${w}`).join(" + ");
  const usccSum = USCC_WEIGHTS.map((w, k) => `(instr('${USCC_CHARSET}', substr(x, ${k + 1}, 1)) - 1) * ${w}`).join(" + ");
  const orgSum = ORG_WEIGHTS.map((w, k) => `(CASE WHEN substr(x, ${k + 1}, 1) < 'A' THEN ascii(substr(x, ${k + 1}, 1)) - 48 ELSE ascii(substr(x, ${k + 1}, 1)) - 55 END) * ${w}`).join(" + ");
  return [
    // DuckDB combines the hashes of several arguments by multiply-and-XOR, so hash(s, i, k1) and hash(s, i, k2)
    // differ by a constant XOR (correlated draws). Re-hashing the XOR of the row hash and the salt hash mixes them.
    `CREATE OR REPLACE MACRO h(i, k) AS hash(xor(hash(${seed}, i), hash(k)))`,
    `CREATE OR REPLACE MACRO u(i, k) AS (h(i, k) % 16777216)::DOUBLE / 16777216.0`,
    `CREATE OR REPLACE MACRO hn(i, k, n) AS (h(i, k) % (n)::UBIGINT)::BIGINT`,
    `CREATE OR REPLACE MACRO pick(xs, i, k) AS xs[1 + (h(i, k) % len(xs)::UBIGINT)::BIGINT]`,
    /** Index (0..10) into '10X98765432' of the GB 11643 check character of a 17-digit body given as BIGINT. */
    `CREATE OR REPLACE MACRO id_check_idx(b) AS ((${idSum}) % 11)`,
    `CREATE OR REPLACE MACRO uscc_check(x) AS substr('${USCC_CHARSET}', ((31 - ((${usccSum}) % 31)) % 31) + 1, 1)`,
    `CREATE OR REPLACE MACRO org_check(x) AS CASE 11 - ((${orgSum}) % 11) WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE (11 - ((${orgSum}) % 11))::VARCHAR END`,
    /** A six-character base-31 string (USCC charset) of v in [0, 31^6). */
    `CREATE OR REPLACE MACRO b31(v) AS ${[5, 4, 3, 2, 1, 0].map((k) => `substr('${USCC_CHARSET}', ((v // ${31 ** k}) % 31)::INTEGER + 1, 1)`).join(" || ")}`,
  ];
}

/** The CASE expression giving the row class of rank `j` for consecutive ranges of the given sizes. */
export function classCase(j: string, classes: [string, number][], otherwise = "clean"): { sql: string; start: Record<string, number>; total: number } {
  let at = 0;
  const start: Record<string, number> = {};
  const whens = classes.map(([name, n]) => {
    start[name] = at;
    at += n;
    return `WHEN ${j} < ${at} THEN '${name}'`;
  });
  return { sql: `CASE ${whens.join(" ")} ELSE '${otherwise}' END`, start, total: at };
}

/** HJ 633-2012 IAQI breakpoints (hourly values; PM uses the 24-hour table as is common for hourly AQI). */
const IAQI = [0, 50, 100, 150, 200, 300, 400, 500];
export const AQI_BREAKPOINTS: Record<string, number[]> = {
  "PM2.5": [0, 35, 75, 115, 150, 250, 350, 500],
  PM10: [0, 50, 150, 250, 350, 420, 500, 600],
  SO2: [0, 150, 500, 650, 800, 1600, 2100, 2620],
  NO2: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  O3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  CO: [0, 5, 10, 35, 60, 90, 120, 150],
};
/** SQL of the IAQI of concentration expression `c` for a pollutant. */
export function iaqiSql(pollutant: string, c: string): string {
  const bp = AQI_BREAKPOINTS[pollutant];
  const parts: string[] = [];
  for (let k = 1; k < bp.length; k++) {
    parts.push(`WHEN ${c} <= ${bp[k]} THEN ${(IAQI[k] - IAQI[k - 1]) / (bp[k] - bp[k - 1])} * (${c} - ${bp[k - 1]}) + ${IAQI[k - 1]}`);
  }
  return `(CASE ${parts.join(" ")} ELSE 500 END)`;
}
