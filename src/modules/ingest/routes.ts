import type { Readable } from "node:stream";
import { z } from "zod";
import type { App } from "../../core/http.ts";
import { InvalidError } from "../../core/errors.ts";
import {
  CreateDatasetBody, DatasetIdParams, DiffQuery, ListDatasetsQuery, RollbackBody, RowsQuery, SourceBody, UpdateDatasetBody, UploadQuery,
} from "./schema.ts";
import type { IngestService } from "./service.ts";

export interface IngestRouteDeps {
  ingest: IngestService;
  /** Largest upload in bytes (GONGSHU_INGEST_UPLOAD_LIMIT). */
  uploadLimit: number;
}

const UPLOAD_TYPES = [
  "application/octet-stream", "text/csv", "text/plain", "application/json", "application/x-ndjson",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.apache.parquet",
];
const JobParams = z.object({ id: z.string().min(1).max(64) }).strict();

export async function ingestRoutes(app: App, deps: IngestRouteDeps) {
  const { ingest } = deps;
  const tags = ["ingest"];

  // Uploads: the body is the file, streamed to the staging folder (never buffered whole). Content-type
  // parsers are scoped to this plugin, so the app's buffering parsers (catalog import) stay as they are.
  await app.register(async (sub: App) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
    sub.post("/api/datasets/upload", {
      config: { policy: "ingest.dataset.load" },
      schema: {
        tags,
        summary: "上传数据文件（CSV UTF-8/GBK、XLSX、JSON/NDJSON、Parquet）装载为新版本；默认 202 返回任务，wait=true 时等待完成",
        querystring: UploadQuery,
        headers: z.object({ "x-filename": z.string().max(600).optional() }).passthrough(),
      },
    }, async (req, reply) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== "function")
        throw new InvalidError({ field: "file", message: "请以 application/octet-stream 上传文件", messageEn: "Upload the file as application/octet-stream" });
      const q = req.query;
      const filename = q.filename ?? (req.headers["x-filename"] ? decodeURIComponent(String(req.headers["x-filename"])) : undefined);
      const mode = q.skipBadRows === "true" ? "skipBadRows" : q.mode;
      const r = await ingest.upload(req.actor, { entryId: q.entry, body, filename, mode, wait: q.wait === "true" });
      if (q.wait === "true") {
        if (r.job.status === "failed") {
          const e = r.job.error!;
          const status = e.code === "invalid" ? 400 : e.code === "conflict" ? 409 : e.code === "too_large" ? 413 : e.code === "not_found" ? 404 : 500;
          return reply.status(status).send({ error: { ...e, details: { ...(typeof e.details === "object" && e.details ? e.details : {}), jobId: r.job.id, datasetId: r.datasetId } } });
        }
        reply.status(201);
        return { job: r.job, datasetId: r.datasetId };
      }
      reply.status(202);
      return { job: r.job, datasetId: r.datasetId };
    });
  });

  app.get("/api/datasets", { config: { policy: "ingest.dataset.list" }, schema: { tags, summary: "数据集列表", querystring: ListDatasetsQuery } }, async (req) => {
    return { items: await ingest.list(req.actor, req.query) };
  });

  app.post("/api/datasets", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "为已发布目录条目建立数据集（首次装载时也会自动建立）", body: CreateDatasetBody } }, async (req, reply) => {
    reply.status(201);
    return { dataset: await ingest.createDataset(req.actor, req.body) };
  });

  app.get("/api/datasets/:id", { config: { policy: "ingest.dataset.read" }, schema: { tags, summary: "数据集详情", params: DatasetIdParams } }, async (req) => {
    return { dataset: await ingest.read(req.actor, req.params.id) };
  });

  app.put("/api/datasets/:id", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "修改保留版本数", params: DatasetIdParams, body: UpdateDatasetBody } }, async (req) => {
    return { dataset: await ingest.update(req.actor, req.params.id, req.body) };
  });

  app.get("/api/datasets/:id/versions", { config: { policy: "ingest.dataset.read" }, schema: { tags, summary: "版本列表", params: DatasetIdParams } }, async (req) => {
    return ingest.versions(req.actor, req.params.id);
  });

  app.post("/api/datasets/:id/rollback", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "回滚到保留的旧版本（原子切换，上链）", params: DatasetIdParams, body: RollbackBody } }, async (req) => {
    return { dataset: await ingest.rollback(req.actor, req.params.id, req.body.version, req.body.reason) };
  });

  app.get("/api/datasets/:id/diff", { config: { policy: "ingest.dataset.read" }, schema: { tags, summary: "两个版本按主键比较：新增、删除、变更的行", params: DatasetIdParams, querystring: DiffQuery } }, async (req) => {
    return ingest.diff(req.actor, req.params.id, req.query.from, req.query.to, req.query.limit);
  });

  app.get("/api/datasets/:id/rows", { config: { policy: "ingest.dataset.preview" }, schema: { tags, summary: "预览当前版本的数据（分页；提供部门以外脱敏；记入账本）", params: DatasetIdParams, querystring: RowsQuery } }, async (req) => {
    return ingest.rows(req.actor, req.params.id, req.query);
  });

  app.get("/api/datasets/loads/:id/report", { config: { policy: "job.read" }, schema: { tags, summary: "一次装载的校验报告", params: JobParams } }, async (req) => {
    return ingest.report(req.actor, req.params.id);
  });

  app.get("/api/datasets/:id/source", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "数据源配置（不返回密码）", params: DatasetIdParams } }, async (req) => {
    return { source: await ingest.getSource(req.actor, req.params.id) };
  });
  app.put("/api/datasets/:id/source", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "配置 PostgreSQL 数据源（按目录更新周期定时装载）", params: DatasetIdParams, body: SourceBody } }, async (req) => {
    return { source: await ingest.setSource(req.actor, req.params.id, req.body) };
  });
  app.delete("/api/datasets/:id/source", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "删除数据源配置", params: DatasetIdParams } }, async (req, reply) => {
    await ingest.deleteSource(req.actor, req.params.id);
    return reply.status(204).send();
  });
  app.post("/api/datasets/:id/source/run", { config: { policy: "ingest.dataset.manage" }, schema: { tags, summary: "立即从数据源装载（任务）", params: DatasetIdParams, querystring: z.object({ wait: z.enum(["true", "false"]).default("false") }).strict() } }, async (req, reply) => {
    const job = await ingest.runSource(req.actor, req.params.id, { wait: req.query.wait === "true" });
    reply.status(req.query.wait === "true" ? 200 : 202);
    return { job };
  });

  app.get("/api/jobs", { config: { policy: "job.read" }, schema: { tags: ["jobs"], summary: "我的任务", querystring: z.object({ mine: z.enum(["true", "false", ""]).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict() } }, async (req) => {
    return { items: await ingest.myJobs(req.actor, { limit: req.query.limit }) };
  });
  app.get("/api/jobs/:id", { config: { policy: "job.read" }, schema: { tags: ["jobs"], summary: "任务状态与进度", params: JobParams } }, async (req) => {
    return { job: await ingest.job(req.actor, req.params.id) };
  });
}
