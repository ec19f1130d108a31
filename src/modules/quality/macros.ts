import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * The identifier macros the rules call are the protection module's (installed by the lake on every
 * connection). Until that module is wired, this copy (same GB 11643 / GB 32100 arithmetic) is installed
 * when the macros are missing, so scoring never fails on a missing function.
 */
export const FALLBACK_MACROS = [
  `CREATE OR REPLACE MACRO gs_idcard_valid(x) AS (
    CASE WHEN x IS NULL THEN NULL
    WHEN NOT regexp_full_match(x, '\\d{17}[\\dXx]') THEN false
    WHEN try_strptime(substr(x, 7, 8), '%Y%m%d') IS NULL OR try_strptime(substr(x, 7, 8), '%Y%m%d') > now() THEN false
    ELSE substr('10X98765432', (list_sum(list_transform(range(17), i -> CAST(substr(x, i + 1, 1) AS INTEGER) * [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2][i + 1])) % 11)::INTEGER + 1, 1) = upper(substr(x, 18, 1)) END)`,
  `CREATE OR REPLACE MACRO gs_uscc_valid(x) AS (
    CASE WHEN x IS NULL THEN NULL
    WHEN NOT regexp_full_match(x, '[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}') THEN false
    ELSE substr('0123456789ABCDEFGHJKLMNPQRTUWXY', ((31 - list_sum(list_transform(range(17), i -> (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(x, i + 1, 1)) - 1) * [1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28][i + 1])) % 31) % 31)::INTEGER + 1, 1) = substr(x, 18, 1) END)`,
  `CREATE OR REPLACE MACRO gs_mobile_valid(x) AS (regexp_full_match(x, '1[3-9]\\d{9}'))`,
];

export async function ensureMacros(c: DuckDBConnection): Promise<void> {
  const r = (await c.runAndReadAll("SELECT count(*) AS n FROM duckdb_functions() WHERE function_name IN ('gs_idcard_valid', 'gs_uscc_valid', 'gs_mobile_valid')")).getRowObjectsJson()[0] as { n: string };
  if (Number(r.n) >= 3) return;
  for (const m of FALLBACK_MACROS) await c.run(m);
}
