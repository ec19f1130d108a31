import { InvalidError } from "../../../core/errors.ts";

/**
 * Checks on what a source definition may put into SQL sent to a department's database. Table and
 * column names are validated and quoted, never interpolated raw; a query must be one read-only
 * SELECT. The extraction also runs in a READ ONLY transaction through DECLARE CURSOR, which accepts
 * only a SELECT or VALUES without data-modifying WITH, so the server enforces the same rule.
 */

/** A plain identifier: a letter (any script) or _, then letters, digits, _ or $; at most 63 bytes (PostgreSQL's NAMEDATALEN − 1). */
const IDENT_RE = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

export function isPlainIdentifier(s: string): boolean {
  return typeof s === "string" && IDENT_RE.test(s) && Buffer.byteLength(s, "utf8") <= 63;
}

/** `"name"` — only ever called on a validated identifier. */
export function quoteIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** A table as `table` or `schema.table`, quoted: `"schema"."table"`. */
export function quoteTableName(table: string): string {
  const parts = typeof table === "string" ? table.split(".") : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every(isPlainIdentifier))
    throw new InvalidError({
      field: "table",
      message: `表名「${String(table).slice(0, 80)}」无效：应为 表名 或 模式.表名，只含字母、数字和下划线`,
      messageEn: "Invalid table name: use table or schema.table with letters, digits and underscores",
    });
  return parts.map(quoteIdent).join(".");
}

export function quoteColumnName(column: string, field: string): string {
  if (!isPlainIdentifier(column))
    throw new InvalidError({
      field,
      message: `列名「${String(column).slice(0, 80)}」无效：只能含字母、数字和下划线`,
      messageEn: "Invalid column name: letters, digits and underscores only",
    });
  return quoteIdent(column);
}

interface Scan {
  /** Upper-cased words outside strings, quoted identifiers and comments, in order. */
  words: string[];
  /** Positions in `stripped` of each ; outside strings and comments. */
  semicolons: number[];
  /** The text with each comment replaced by a space (strings and quoted identifiers kept). */
  stripped: string;
}

/** A small lexer for PostgreSQL: '…' (with ''), E'…' (with \'), $tag$…$tag$, "…", -- and nested /* … *\/ comments. */
function scan(sql: string): Scan {
  const words: string[] = [];
  const semicolons: number[] = [];
  let stripped = "";
  let i = 0;
  const n = sql.length;
  const bad = (what: string): never => {
    throw new InvalidError({ field: "query", message: `查询语句有未闭合的${what}`, messageEn: `The query has an unterminated ${what}` });
  };
  while (i < n) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      while (i < n && sql[i] !== "\n") i++;
      stripped += " ";
      continue;
    }
    if (ch === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") (depth++, (i += 2));
        else if (sql[i] === "*" && sql[i + 1] === "/") (depth--, (i += 2));
        else i++;
      }
      if (depth > 0) bad("注释");
      stripped += " ";
      continue;
    }
    if (ch === "'" || ((ch === "E" || ch === "e") && next === "'" && !/[\p{L}\p{N}_$]/u.test(sql[i - 1] ?? ""))) {
      const escapes = ch !== "'";
      const start = i;
      i += escapes ? 2 : 1;
      for (;;) {
        if (i >= n) bad("字符串");
        if (escapes && sql[i] === "\\") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      stripped += sql.slice(start, i);
      continue;
    }
    if (ch === '"') {
      const start = i++;
      for (;;) {
        if (i >= n) bad("引号标识符");
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
      stripped += sql.slice(start, i);
      continue;
    }
    if (ch === "$") {
      const m = /^\$([\p{L}_][\p{L}\p{N}_]*)?\$/u.exec(sql.slice(i));
      if (m && !/[\p{L}\p{N}_$]/u.test(sql[i - 1] ?? "")) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        if (end < 0) bad("美元符号引用字符串");
        stripped += sql.slice(i, end + tag.length);
        i = end + tag.length;
        continue;
      }
    }
    if (ch === ";") semicolons.push(stripped.length);
    const w = /^[\p{L}_][\p{L}\p{N}_$]*/u.exec(sql.slice(i, i + 200));
    if (w) {
      words.push(w[0].toUpperCase());
      stripped += w[0];
      i += w[0].length;
      continue;
    }
    stripped += ch;
    i++;
  }
  return { words, semicolons, stripped };
}

/**
 * Words that would make a statement write or run something other than a query (a column with such a
 * name can be written quoted, "update"). Utility statements need not be listed: they cannot follow
 * SELECT or WITH, and the server refuses anything but a read-only SELECT in the cursor anyway.
 */
const FORBIDDEN = new Set(["INSERT", "UPDATE", "DELETE", "MERGE", "INTO", "COPY", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "CALL"]);

/**
 * Check that a source query is a single read-only SELECT (or WITH … SELECT), and return it without a
 * trailing semicolon. Refuses several statements, writes (INSERT/UPDATE/DELETE/MERGE, SELECT INTO,
 * data-modifying WITH), row locks (FOR UPDATE/SHARE) and utility statements, each with a clear error.
 */
export function checkSelectQuery(query: string): string {
  const fail = (message: string, messageEn: string): never => {
    throw new InvalidError({ field: "query", message, messageEn });
  };
  if (typeof query !== "string" || query.trim() === "") fail("查询语句不能为空", "The query is empty");
  if (query.length > 100_000) fail("查询语句过长（最多 100000 个字符）", "The query is too long (100000 characters at most)");
  const { words, semicolons, stripped } = scan(query);
  const body = stripped.trimEnd();
  const lastSemi = semicolons.at(-1);
  const trailingOnly = semicolons.length === 1 && lastSemi !== undefined && body.slice(lastSemi + 1).trim() === "";
  if (semicolons.length > 1 || (semicolons.length === 1 && !trailingOnly)) fail("只能是一条 SELECT 查询，不能包含多条语句", "Only one SELECT statement is allowed");
  if (words[0] !== "SELECT" && words[0] !== "WITH") fail("查询必须以 SELECT 或 WITH 开头（只读查询）", "The query must be a SELECT (or WITH … SELECT)");
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w === "FOR" && ["UPDATE", "SHARE", "NO", "KEY"].includes(words[k + 1] ?? "")) fail("查询不能加行锁（FOR UPDATE/SHARE）", "The query must not lock rows (FOR UPDATE/SHARE)");
    if (FORBIDDEN.has(w)) fail(`查询只能读取数据，不能包含 ${w}`, `The query may only read data; ${w} is not allowed`);
  }
  // The query goes inside DECLARE … CURSOR FOR and, when incremental, SELECT * FROM (…): comments are
  // dropped (a trailing -- would swallow the closing parenthesis) and so is a trailing semicolon.
  const q = trailingOnly && lastSemi !== undefined ? body.slice(0, lastSemi) : body;
  return q.trim();
}
