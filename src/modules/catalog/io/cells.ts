import type { ColumnSpec } from "./columns.ts";

/** A cell as read from xlsx or CSV, before conversion. */
export type RawCell = string | number | boolean | Date | null | undefined;

/** The result of converting one cell for its column. */
export type Converted =
  | { ok: true; value: unknown }
  | { ok: false; zh: string; en: string };

const FULLWIDTH_DIGITS = /[０-９]/g;

/** Full-width digits and signs to ASCII. */
function asciiDigits(s: string): string {
  return s
    .replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/／/g, "/")
    .replace(/－/g, "-")
    .replace(/＋/g, "+")
    .replace(/．/g, ".");
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** A date cell as text: YYYY-MM-DD, with the time when it has one (Excel dates are UTC in exceljs). */
export function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  return h || m || s ? `${day} ${pad(h)}:${pad(m)}:${pad(s)}` : day;
}

/** Any cell as trimmed text ("" for empty). JS trim() also removes U+3000 and U+00A0. */
export function cellText(v: RawCell): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return dateText(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "是" : "否";
  return v.replace(/\r\n?/g, "\n").trim();
}

export function isEmptyCell(v: RawCell): boolean {
  return cellText(v) === "";
}

/** A code-like cell: no whitespace at all, ASCII digits and separators. */
export function codeText(v: RawCell): string {
  return asciiDigits(cellText(v)).replace(/[\s\u3000\u00a0]+/g, "");
}

const LIST_SPLIT = /[、，,;；\n]+/;

export function splitList(s: string): string[] {
  return s
    .split(LIST_SPLIT)
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

const TRUE_WORDS = new Set(["是", "y", "yes", "true", "1", "√", "✓", "✔", "有"]);
const FALSE_WORDS = new Set(["否", "n", "no", "false", "0", "×", "✗", "✘", "无"]);

function enumValue(col: ColumnSpec, s: string): string {
  const compact = s.replace(/[\s\u3000\u00a0]+/g, "");
  return col.aliases?.[compact] ?? compact;
}

/**
 * Convert a non-empty cell for its column. Enum values are normalised (spaces removed, aliases
 * mapped) but not checked: the schema does that and its message lists the allowed values.
 */
export function convertCell(col: ColumnSpec, v: RawCell): Converted {
  switch (col.kind) {
    case "text":
      return { ok: true, value: cellText(v) };
    case "code":
      return { ok: true, value: codeText(v) };
    case "enum":
      return { ok: true, value: enumValue(col, cellText(v)) };
    case "list": {
      const parts = splitList(cellText(v));
      return { ok: true, value: col.values ? parts.map((p) => enumValue(col, p)) : col.field === "relatedCodes" ? parts.map((p) => codeText(p)) : parts };
    }
    case "bool": {
      if (typeof v === "boolean") return { ok: true, value: v };
      const s = asciiDigits(cellText(v)).replace(/\s+/g, "").toLowerCase();
      if (TRUE_WORDS.has(s)) return { ok: true, value: true };
      if (FALSE_WORDS.has(s)) return { ok: true, value: false };
      return { ok: false, zh: `取值「${cellText(v)}」无效：应为 是 或 否`, en: `invalid value "${cellText(v)}": expected 是 (yes) or 否 (no)` };
    }
    case "int": {
      let n: number;
      if (typeof v === "number") n = v;
      else {
        const s = asciiDigits(cellText(v)).replace(/[\s,，]+/g, "").replace(/级$/, "");
        n = /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
      }
      if (!Number.isFinite(n)) return { ok: false, zh: `取值「${cellText(v)}」无效：应为数字`, en: `invalid value "${cellText(v)}": expected a number` };
      if (!Number.isInteger(n)) return { ok: false, zh: `取值「${cellText(v)}」无效：应为整数`, en: `invalid value "${cellText(v)}": expected a whole number` };
      return { ok: true, value: n };
    }
  }
}

/** Undo the CSV formula-injection guard written on export ('=…, '+…, '-…, '@…). */
export function unguardCsv(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

/** Guard a CSV cell against formula injection when a spreadsheet opens it. */
export function guardCsv(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
