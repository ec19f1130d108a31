import crypto from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import path from "node:path";
import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { sqlIdent, sqlString, type Lake } from "../../core/lake.ts";
import type { RowValue, SnapshotColumn } from "../ingest/index.ts";
import { embedWatermark, kindFromColumnName, type EmbedWatermarkStats } from "../protection/index.ts";
import type { DownloadFormat } from "./schema.ts";

/**
 * Extract files of the open portal: masked rows written to a temporary file in one of four
 * formats, batch by batch (bounded memory), then digested for the ledger and streamed out.
 */

export const CONTENT_TYPES: Record<DownloadFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

export interface ExtractWriter {
  write(rows: Record<string, RowValue>[]): Promise<void>;
  /** Close the file (Parquet: convert the staged rows). */
  finish(): Promise<void>;
}

/** A column as written: masked columns are text whatever their catalog type. */
export interface OutColumn {
  name: string;
  duckType: string;
  masked: boolean;
}

async function writeChunk(out: fs.WriteStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, "drain");
}
async function endStream(out: fs.WriteStream): Promise<void> {
  out.end();
  await once(out, "finish");
}

/** Open a writer of `format` at `file`. */
export async function openWriter(format: DownloadFormat, file: string, columns: OutColumn[], lake: Lake): Promise<ExtractWriter> {
  const names = columns.map((c) => c.name);
  if (format === "csv") {
    const out = fs.createWriteStream(file);
    // UTF-8 with a BOM: Excel on Chinese Windows opens it as UTF-8, not GBK.
    await writeChunk(out, `\uFEFF${stringify([names])}`);
    return {
      async write(rows) {
        await writeChunk(out, stringify(rows.map((r) => names.map((n) => (r[n] == null ? "" : r[n]))), { cast: { boolean: (b) => (b ? "true" : "false") } }));
      },
      finish: () => endStream(out),
    };
  }
  if (format === "json") {
    const out = fs.createWriteStream(file);
    await writeChunk(out, "[");
    let first = true;
    return {
      async write(rows) {
        let s = "";
        for (const r of rows) {
          s += `${first ? "\n" : ",\n"}${JSON.stringify(r)}`;
          first = false;
        }
        if (s) await writeChunk(out, s);
      },
      async finish() {
        await writeChunk(out, "\n]\n");
        await endStream(out);
      },
    };
  }
  if (format === "xlsx") {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const sheet = wb.addWorksheet("数据");
    sheet.addRow(names).commit();
    return {
      async write(rows) {
        for (const r of rows) sheet.addRow(names.map((n) => r[n] ?? null)).commit();
      },
      async finish() {
        sheet.commit();
        await wb.commit();
      },
    };
  }
  // Parquet: stage the rows as NDJSON, then let DuckDB type and write them (masked columns as text).
  const staged = `${file}.ndjson`;
  const out = fs.createWriteStream(staged);
  return {
    async write(rows) {
      let s = "";
      for (const r of rows) s += `${JSON.stringify(r)}\n`;
      if (s) await writeChunk(out, s);
    },
    async finish() {
      await endStream(out);
      const spec = columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.masked || c.duckType === "BLOB" ? "VARCHAR" : c.duckType)}`).join(", ");
      const sel = columns.map((c) => sqlIdent(c.name)).join(", ");
      try {
        await lake.run((c) =>
          c.run(`COPY (SELECT ${sel} FROM read_json(${sqlString(staged)}, format = 'newline_delimited', columns = {${spec}})) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`),
        );
      } finally {
        await fs.promises.rm(staged, { force: true });
      }
    },
  };
}

/** The ledger's digest of a file: `sm3:<hex>` or `sha256:<hex>`. */
export async function fileDigest(file: string, hash: "sm3" | "sha256"): Promise<string> {
  const h = crypto.createHash(hash);
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return `${hash}:${h.digest("hex")}`;
}

export function tempExtractPath(dir: string, format: DownloadFormat): string {
  return path.join(dir, `extract-${crypto.randomBytes(8).toString("hex")}.${format}`);
}

export interface ExtractMark {
  /** Who the extract is for: `key:<tokenId>` or `application:<id>`. */
  recipient: string;
  /** Human-readable name of the recipient, for the ledger. */
  label: string;
}

/**
 * The watermark step of DESIGN.md's data access: an extract for a known recipient (an API key or an
 * approved application) gets the recipient's invisible marks (protection's `embedWatermark`, after
 * masking); anonymous extracts are not marked (the ledger still records them). Returns the rows to
 * write and the marking statistics (summed over batches by the caller).
 */
export function markExtract(
  rows: Record<string, RowValue>[],
  columns: SnapshotColumn[],
  mark: ExtractMark | null,
  key: Buffer | null,
): { rows: Record<string, RowValue>[]; stats: EmbedWatermarkStats | null } {
  if (!mark || !key || !rows.length) return { rows, stats: null };
  const r = embedWatermark(
    { columns: columns.map((c) => ({ name: c.name, type: c.type, key: c.key, sensitive: c.sensitive, kind: kindFromColumnName(c.name), length: c.length ?? null })), rows },
    { key, recipient: mark.recipient },
  );
  return { rows: r.rows as Record<string, RowValue>[], stats: r.stats };
}
