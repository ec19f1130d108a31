/** Shared value formatting for the writers. */

const SHANGHAI = "Asia/Shanghai";

/** A date (Date or ISO text) as Beijing local time "YYYY-MM-DD HH:mm:ss", or only the day. */
export function beijingTime(v: Date | string, dayOnly = false): string {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const s = d.toLocaleString("sv-SE", { timeZone: SHANGHAI, hour12: false });
  return dayOnly ? s.slice(0, 10) : s;
}

/** Any value as cell text: lists joined with 、, booleans as 是/否, dates in Beijing time. */
export function displayValue(v: unknown): string | number {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? v : "";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "是" : "否";
  if (v instanceof Date) return beijingTime(v);
  if (Array.isArray(v)) return v.map((x) => String(displayValue(x))).join("、");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Excel's limits on sheet names: at most 31 characters, none of \ / ? * [ ] :. */
export function sheetName(name: string): string {
  const s = name.replace(/[\\/?*[\]:]/g, "_").trim().slice(0, 31);
  return s || "Sheet1";
}
