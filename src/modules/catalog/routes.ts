import { z } from "zod";
import type { App } from "../../core/http.ts";
import { InvalidError } from "../../core/errors.ts";
import type { Actor } from "../policy/index.ts";
import {
  BASE_THEMES, CATEGORIES, CreateEntryBody, DOMAINS, FORMAT_CATEGORIES, GRADES, ITEM_TYPES, OPEN_TYPES, ReviewBody, SearchQuery,
  SHARE_METHOD_TYPES, SHARE_METHODS, SHARE_TYPES, SUBJECT_THEMES, UPDATE_CYCLES, UpdateEntryBody, WithdrawBody,
} from "./schema.ts";
import type { CatalogService } from "./service.ts";
import type { CatalogSearch } from "./search.ts";
import type { CatalogTransfer } from "./transfer.ts";

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const ListFormat = z.object({ format: z.enum(["json", "xlsx", "csv"]).default("json"), encoding: z.enum(["utf-8", "gbk"]).default("utf-8") }).strict();

export interface CatalogRouteDeps {
  catalog: CatalogService;
  search: CatalogSearch;
  transfer: CatalogTransfer;
  ledgerBundle(actor: Actor): Promise<unknown>;
}

function sendFile(reply: any, buf: Buffer, filename: string, type: string) {
  reply.header("content-type", type);
  reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return reply.send(buf);
}
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function catalogRoutes(app: App, deps: CatalogRouteDeps) {
  const { catalog, search, transfer } = deps;
  const tags = ["catalog"];

  app.get("/api/catalog/vocab", { config: { policy: "public" }, schema: { tags, summary: "目录枚举值" } }, async () => ({
    shareTypes: SHARE_TYPES, shareMethods: SHARE_METHODS, shareMethodTypes: SHARE_METHOD_TYPES, openTypes: OPEN_TYPES,
    updateCycles: UPDATE_CYCLES, grades: GRADES, categories: CATEGORIES, baseThemes: BASE_THEMES, subjectThemes: SUBJECT_THEMES,
    domains: DOMAINS, formatCategories: FORMAT_CATEGORIES, itemTypes: ITEM_TYPES,
  }));

  app.get("/api/catalog/entries", { config: { policy: "catalog.entry.search" }, schema: { tags, summary: "目录检索（中文全文、分面、排序、分页）", querystring: SearchQuery } }, async (req) => {
    return search.search(req.actor, req.query);
  });

  app.post("/api/catalog/entries", { config: { policy: "catalog.entry.create" }, schema: { tags, summary: "新建目录条目（草稿）", body: CreateEntryBody } }, async (req, reply) => {
    reply.status(201);
    return { entry: await catalog.create(req.actor, req.body) };
  });

  app.get("/api/catalog/entries/:id", { config: { policy: "catalog.entry.read" }, schema: { tags, summary: "目录条目详情", params: IdParams } }, async (req) => {
    return catalog.get(req.actor, req.params.id);
  });

  app.put("/api/catalog/entries/:id", { config: { policy: "catalog.entry.edit" }, schema: { tags, summary: "修改目录条目（已发布条目产生新版本）", params: IdParams, body: UpdateEntryBody } }, async (req) => {
    return { entry: await catalog.update(req.actor, req.params.id, req.body) };
  });

  app.post("/api/catalog/entries/:id/submit", { config: { policy: "catalog.entry.edit" }, schema: { tags, summary: "提交审核", params: IdParams } }, async (req) => {
    return { entry: await catalog.submit(req.actor, req.params.id) };
  });

  app.post("/api/catalog/entries/:id/review", { config: { policy: "catalog.entry.review" }, schema: { tags, summary: "审核：通过（发布并上链）或退回", params: IdParams, body: ReviewBody } }, async (req) => {
    return { entry: await catalog.review(req.actor, req.params.id, req.body) };
  });

  app.post("/api/catalog/entries/:id/withdraw", { config: { policy: "catalog.entry.withdraw" }, schema: { tags, summary: "撤销发布（上链）", params: IdParams, body: WithdrawBody } }, async (req) => {
    return { entry: await catalog.withdraw(req.actor, req.params.id, req.body.reason) };
  });

  app.get("/api/catalog/entries/:id/versions", { config: { policy: "catalog.entry.read" }, schema: { tags, summary: "版本历史", params: IdParams } }, async (req) => {
    return { items: await catalog.versions(req.actor, req.params.id) };
  });

  app.get("/api/catalog/entries/:id/versions/:v", { config: { policy: "catalog.entry.read" }, schema: { tags, summary: "某一版本的内容", params: z.object({ id: z.string().min(1).max(64), v: z.coerce.number().int().min(1) }).strict() } }, async (req) => {
    return catalog.version(req.actor, req.params.id, req.params.v);
  });

  app.get("/api/catalog/entries/:id/diff", { config: { policy: "catalog.entry.read" }, schema: { tags, summary: "两个版本的字段级差异", params: IdParams, querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }).strict() } }, async (req) => {
    return { changes: await catalog.diff(req.actor, req.params.id, req.query.from, req.query.to) };
  });

  app.get("/api/catalog/review-queue", { config: { policy: "catalog.entry.review" }, schema: { tags, summary: "待审核目录" } }, async () => {
    return { items: await search.reviewQueue() };
  });

  app.get("/api/catalog/stats", { config: { policy: "catalog.stats" }, schema: { tags, summary: "目录统计" } }, async () => search.stats());

  app.get("/api/catalog/lists/responsibility", { config: { policy: "catalog.lists.read" }, schema: { tags, summary: "责任清单（可导出 xlsx/csv）", querystring: ListFormat } }, async (req, reply) => {
    const rows = await search.responsibilityList();
    if (req.query.format === "json") return { items: rows };
    const f = await transfer.responsibilityFile(rows, req.query.format, req.query.encoding);
    return sendFile(reply, f.buf, f.filename, f.type);
  });

  app.get("/api/catalog/lists/negative", { config: { policy: "catalog.lists.read" }, schema: { tags, summary: "负面清单（可导出 xlsx/csv）", querystring: ListFormat } }, async (req, reply) => {
    const rows = await search.negativeList();
    if (req.query.format === "json") return { items: rows };
    const f = await transfer.negativeFile(rows, req.query.format, req.query.encoding);
    return sendFile(reply, f.buf, f.filename, f.type);
  });

  app.get("/api/catalog/template.xlsx", { config: { policy: "public" }, schema: { tags, summary: "目录导入模板（Excel）" } }, async (_req, reply) => {
    return sendFile(reply, await transfer.template(), "信息资源目录导入模板.xlsx", XLSX);
  });

  app.get("/api/catalog/export", { config: { policy: "catalog.export" }, schema: { tags, summary: "导出目录（xlsx 或 csv，UTF-8/GBK）", querystring: SearchQuery.omit({ page: true, pageSize: true, facets: true }).extend({ format: z.enum(["xlsx", "csv"]).default("xlsx"), encoding: z.enum(["utf-8", "gbk"]).default("utf-8") }).strict() } }, async (req, reply) => {
    const { format, encoding, ...q } = req.query;
    const f = await transfer.exportEntries(req.actor, q, format, encoding);
    return sendFile(reply, f.buf, f.filename, f.type);
  });

  // Raw uploads: the body is the file itself (xlsx or csv), up to the upload limit.
  app.post("/api/catalog/import", {
    config: { policy: "catalog.import" },
    bodyLimit: transfer.uploadLimit,
    schema: {
      tags, summary: "导入目录（Excel 模板或 CSV，UTF-8/GBK）；有错误时列出每个错误行，不导入任何条目，除非 skipBadRows=true",
      querystring: z.object({ skipBadRows: z.enum(["true", "false"]).default("false"), submit: z.enum(["true", "false"]).default("false") }).strict(),
      headers: z.object({ "x-filename": z.string().max(300).optional() }).passthrough(),
    },
  }, async (req, reply) => {
    const body = req.body;
    if (!Buffer.isBuffer(body)) throw new InvalidError({ field: "file", message: "请以 application/octet-stream 上传文件", messageEn: "Upload the file as application/octet-stream" });
    const filename = req.headers["x-filename"] ? decodeURIComponent(String(req.headers["x-filename"])) : undefined;
    const r = await transfer.importFile(req.actor, body, { filename, skipBadRows: req.query.skipBadRows === "true", submit: req.query.submit === "true" });
    reply.status(201);
    return r;
  });

  app.get("/api/catalog/ledger-bundle", { config: { policy: "public" }, schema: { tags: ["ledger"], summary: "已发布目录的账本证明包（供 gongshu verify 离线验证）" } }, async (req) => deps.ledgerBundle(req.actor));
}
