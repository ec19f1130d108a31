/**
 * Test doubles of the quality module: identifier generators (valid check digits) (valid check characters).
 */
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function idCard(region: string, birth: string, seq: number): string {
  const body = `${region}${birth}${String(seq).padStart(3, "0")}`;
  const s = [...body].reduce((a, ch, i) => a + Number(ch) * ID_W[i], 0);
  return body + "10X98765432"[s % 11];
}
const USCC_CS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function uscc(body17: string): string {
  const s = [...body17].reduce((a, ch, i) => a + USCC_CS.indexOf(ch) * USCC_W[i], 0);
  return body17 + USCC_CS[(31 - (s % 31)) % 31];
}
/** Break the check character of a valid identifier. */
export const corrupt = (v: string) => v.slice(0, 17) + (v[17] === "1" ? "2" : "1");

