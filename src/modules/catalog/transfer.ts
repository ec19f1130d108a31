import type { Actor } from "../policy/index.ts";
import { assertCan } from "../policy/index.ts";
import { InvalidError } from "../../core/errors.ts";
import { parseCatalogFile, writeCatalogCsv, writeCatalogXlsx, writeListCsv, writeListXlsx, writeTemplateXlsx, type ImportRowError } from "./io/index.ts";
import { checkContent } from "./rules.ts";
import type { SearchQuery } from "./schema.ts";
import type { CatalogSearch } from "./search.ts";
import type { CatalogService } from "./service.ts";
import { DomainError } from "../../core/errors.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const stamp = () => new Date().toISOString().slice(0, 10);

type Fmt = "xlsx" | "csv";
type Enc = "utf-8" | "gbk";

const RESP_COLUMNS = [
  { header: "提供单位", key: "provider", width: 24 },
  { header: "信息资源代码", key: "code", width: 16 },
  { header: "信息资源名称", key: "name", width: 36 },
  { header: "共享类型", key: "shareType", width: 12 },
  { header: "开放类型", key: "openType", width: 12 },
  { header: "更新周期", key: "updateCycle", width: 10 },
  { header: "数据分级", key: "grade", width: 10 },
  { header: "信息项数", key: "itemCount", width: 10 },
  { header: "发布日期", key: "publishedAt", width: 22 },
];
const NEG_COLUMNS = [
  { header: "提供单位", key: "provider", width: 24 },
  { header: "信息资源代码", key: "code", width: 16 },
  { header: "信息资源名称", key: "name", width: 36 },
  { header: "数据分级", key: "grade", width: 10 },
  { header: "共享类型", key: "shareType", width: 12 },
  { header: "不予共享依据", key: "notShareBasis", width: 40 },
  { header: "开放类型", key: "openType", width: 12 },
  { header: "不予开放依据", key: "notOpenBasis", width: 40 },
];

/** Catalog import and export: files in the departments' template, CSV in UTF-8 or GBK. */
export function createCatalogTransfer(deps: { catalog: CatalogService; search: CatalogSearch; uploadLimit: number; maxExport?: number }) {
  const { catalog, search } = deps;

  async function listFile(name: string, columns: typeof RESP_COLUMNS, rows: Record<string, unknown>[], format: Fmt, encoding: Enc) {
    if (format === "xlsx") return { buf: await writeListXlsx(name, columns, rows), filename: `${name}-${stamp()}.xlsx`, type: XLSX };
    return { buf: writeListCsv(columns, rows, { encoding }), filename: `${name}-${stamp()}.csv`, type: `text/csv; charset=${encoding === "gbk" ? "gbk" : "utf-8"}` };
  }

  return {
    uploadLimit: deps.uploadLimit,
    template: () => writeTemplateXlsx(),
    responsibilityFile: (rows: Record<string, unknown>[], format: Fmt, encoding: Enc) => listFile("责任清单", RESP_COLUMNS, rows, format, encoding),
    negativeFile: (rows: Record<string, unknown>[], format: Fmt, encoding: Enc) => listFile("负面清单", NEG_COLUMNS, rows, format, encoding),

    async exportEntries(actor: Actor, q: Omit<SearchQuery, "page" | "pageSize" | "facets">, format: Fmt, encoding: Enc) {
      const max = deps.maxExport ?? 20000;
      const out: { code: string; content: any; status: string; provider: string; publishedAt: string | null }[] = [];
      // Relevance ranks only a sample of huge match sets (search.ts); an export must list every match.
      const sort = q.sort === "relevance" ? "published_desc" : q.sort;
      for (let page = 1; out.length < max; page++) {
        const r = await search.search(actor, { ...q, sort, page, pageSize: 100, facets: "false" } as SearchQuery);
        const contents = await catalog.visibleContents(actor, r.items.map((it) => it.id));
        for (const it of r.items) {
          const content = contents.get(it.id);
          if (content) out.push({ code: it.code, content, status: it.status, provider: it.provider.name, publishedAt: it.publishedAt });
        }
        if (r.items.length < 100) break;
      }
      if (format === "xlsx") return { buf: await writeCatalogXlsx(out), filename: `信息资源目录-${stamp()}.xlsx`, type: XLSX };
      return { buf: writeCatalogCsv(out, { encoding: encoding === "gbk" ? "gbk" : "utf-8" }), filename: `信息资源目录-${stamp()}.csv`, type: `text/csv; charset=${encoding}` };
    },

    /**
     * Import a template file. Every bad row is reported with its row and column; nothing is
     * imported if any row is bad, unless skipBadRows. The good rows go in one transaction.
     */
    async importFile(actor: Actor, buf: Buffer, opts: { filename?: string; skipBadRows: boolean; submit: boolean }) {
      assertCan(actor, "catalog.import");
      const parsed = await parseCatalogFile(buf, { filename: opts.filename });
      const errors: ImportRowError[] = [...parsed.errors];
      const good: { content: any; code?: string; rowRef: string }[] = [];
      for (const e of parsed.entries) {
        try {
          checkContent(e.content, { forSubmit: opts.submit });
          good.push({ content: e.content, code: e.code, rowRef: e.rowRef });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          errors.push({ row: e.rowNumber, column: err.field ?? "", field: err.field, message: err.messageZh, messageEn: err.messageEn });
        }
      }
      const badRows = new Set(errors.map((e) => `${e.sheet ?? ""}:${e.row}`)).size;
      if (errors.length && (!opts.skipBadRows || good.length === 0))
        throw new InvalidError({
          field: "file",
          message: `文件有 ${badRows} 行错误，未导入任何条目${opts.skipBadRows ? "" : "（可选择跳过错误行）"}`,
          messageEn: `The file has ${badRows} bad row(s); nothing was imported${opts.skipBadRows ? "" : " (you may skip bad rows)"}`,
          details: { errors, totalRows: parsed.totalRows, badRows },
        });
      const ids = await catalog.createMany(actor, good, { submit: opts.submit });
      return { imported: ids.length, ids, skipped: badRows, errors, format: parsed.format, encoding: parsed.encoding ?? null };
    },
  };
}

export type CatalogTransfer = ReturnType<typeof createCatalogTransfer>;
