import type { DuckDBConnection } from "@duckdb/node-api";
import { InvalidError } from "../../core/errors.ts";
import { sqlIdent as id, sqlString as str } from "../../core/lake.ts";
import type { DiffResult, SnapshotColumn, SnapshotInfo, SnapshotLayout } from "./schema.ts";

/**
 * A snapshot as a SQL relation: its columns only, its rows only (rows marked bad at load and the
 * positions in the deletes file left out). `withRow` adds `__rn`, the row's 0-based position in the
 * file, and the load-time check columns.
 */
export function snapshotSql(file: string, columns: Pick<SnapshotColumn, "name" | "checks">[], layout: SnapshotLayout, withRow: boolean): string {
  const conds: string[] = [];
  if (layout.errColumn) conds.push("__gs_err IS NULL");
  if (layout.deletes) conds.push(`file_row_number NOT IN (SELECT r FROM read_parquet(${str(layout.deletes)}))`);
  const rn = withRow || !!layout.deletes;
  const checks = withRow ? columns.flatMap((c) => Object.values(c.checks ?? {})).map((x) => `, ${id(x)}`).join("") : "";
  return `(SELECT ${columns.map((c) => id(c.name)).join(", ")}${withRow ? ", file_row_number AS __rn" : ""}${checks} FROM read_parquet(${str(file)}${rn ? ", file_row_number = true" : ""})${conds.length ? ` WHERE ${conds.join(" AND ")}` : ""})`;
}

/** A page of a snapshot's rows, in file order, with `__rn` (values as JSON: BIGINT as text, dates as ISO text). */
export async function readRows(c: DuckDBConnection, snap: SnapshotInfo, page: number, pageSize: number): Promise<Record<string, unknown>[]> {
  const r = await c.runAndReadAll(`SELECT * FROM ${snap.sqlRows} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  return r.getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * Rows added, removed and changed between two snapshots, matched by their key columns, in DuckDB:
 * counts over all rows plus up to `limit` examples of each. Changed = same key, some common column differs.
 */
export async function diffSnapshots(c: DuckDBConnection, a: SnapshotInfo, b: SnapshotInfo, limit: number): Promise<DiffResult> {
  const keys = b.columns.filter((x) => x.key).map((x) => x.name);
  const aNames = new Set(a.columns.map((x) => x.name));
  if (!keys.length || keys.some((k) => !aNames.has(k)))
    throw new InvalidError({ field: "to", message: "两个版本需要有相同的主键列才能比较（请在目录信息项中标明主键）", messageEn: "Both versions need the same key columns to be compared (mark key data items in the catalog)" });
  const common = b.columns.filter((x) => aNames.has(x.name) && !x.key).map((x) => x.name);
  await c.run(`CREATE OR REPLACE TEMP VIEW da AS SELECT * FROM ${a.sql}`);
  await c.run(`CREATE OR REPLACE TEMP VIEW db AS SELECT * FROM ${b.sql}`);
  const on = keys.map((k) => `da.${id(k)} = db.${id(k)}`).join(" AND ");
  const differs = common.length ? common.map((k) => `da.${id(k)} IS DISTINCT FROM db.${id(k)}`).join(" OR ") : "false";
  const counts = (await c.runAndReadAll(`SELECT
      (SELECT count(*) FROM db WHERE NOT EXISTS (SELECT 1 FROM da WHERE ${on})) AS added,
      (SELECT count(*) FROM da WHERE NOT EXISTS (SELECT 1 FROM db WHERE ${on})) AS removed,
      (SELECT count(*) FILTER (WHERE ${differs}) FROM da JOIN db ON ${on}) AS changed,
      (SELECT count(*) FILTER (WHERE NOT (${differs})) FROM da JOIN db ON ${on}) AS unchanged`)).getRowObjectsJson()[0];
  const keyOrder = keys.map((k) => id(k)).join(", ");
  const added = limit ? (await c.runAndReadAll(`SELECT * FROM db WHERE NOT EXISTS (SELECT 1 FROM da WHERE ${on}) ORDER BY ${keyOrder} LIMIT ${limit}`)).getRowObjectsJson() : [];
  const removed = limit ? (await c.runAndReadAll(`SELECT * FROM da WHERE NOT EXISTS (SELECT 1 FROM db WHERE ${on}) ORDER BY ${keyOrder} LIMIT ${limit}`)).getRowObjectsJson() : [];
  const changed: DiffResult["examples"]["changed"] = [];
  if (limit && common.length) {
    const sel = [...keys.map((k) => `db.${id(k)} AS ${id(`k:${k}`)}`), ...common.flatMap((k) => [`da.${id(k)} AS ${id(`a:${k}`)}`, `db.${id(k)} AS ${id(`b:${k}`)}`])];
    const rows = (await c.runAndReadAll(`SELECT ${sel.join(", ")} FROM da JOIN db ON ${on} WHERE ${differs} ORDER BY ${keys.map((k) => `db.${id(k)}`).join(", ")} LIMIT ${limit}`)).getRowObjectsJson();
    for (const r of rows) {
      const key = Object.fromEntries(keys.map((k) => [k, r[`k:${k}`]]));
      const columns = common.filter((k) => JSON.stringify(r[`a:${k}`]) !== JSON.stringify(r[`b:${k}`])).map((k) => ({ column: k, before: r[`a:${k}`], after: r[`b:${k}`] }));
      changed.push({ key, columns });
    }
  }
  await c.run("DROP VIEW IF EXISTS da; DROP VIEW IF EXISTS db;");
  return {
    from: a.version, to: b.version, key: keys,
    added: Number(counts.added), removed: Number(counts.removed), changed: Number(counts.changed), unchanged: Number(counts.unchanged),
    examples: { added: added as Record<string, unknown>[], removed: removed as Record<string, unknown>[], changed },
  };
}
