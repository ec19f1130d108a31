import fs from "node:fs";
import type { FastifyRequest } from "fastify";
import type { App } from "../../core/http.ts";
import { RateLimitedError } from "../../core/errors.ts";
import { TokenBuckets } from "../../core/limits.ts";
import {
  ApplicationParams, ApplicationsQuery, ApplyBody, DatasetParams, DecisionBody, DownloadQuery, PortalSearchQuery, RowsQuery, parseSort,
} from "./schema.ts";
import type { AccessContext, OpeningService } from "./service.ts";
import { feedbackRoutes } from "./feedback-routes.ts";

export interface OpeningRouteDeps {
  opening: OpeningService;
}

/** The access context of a request: who, through which key, on which channel. */
export const contextOf = (req: FastifyRequest, channel: AccessContext["channel"]): AccessContext => ({ actor: req.actor, tokenId: req.apiTokenId, channel });

/**
 * Anonymous visitors of the open paths are limited per client IP (keys have their own limits and
 * quotas, applied by identity when the key is checked).
 */
export function anonymousLimiter(opening: OpeningService) {
  const buckets = new TokenBuckets();
  return async (req: FastifyRequest) => {
    if (req.actor?.kind !== "anonymous") return;
    const rate = opening.settings.anonymousRatePerSec;
    if (!rate) return;
    const wait = buckets.take(`ip:${req.ip}`, rate, Math.ceil(rate * 2));
    if (wait)
      throw new RateLimitedError({
        message: `访问过于频繁，请 ${wait} 秒后重试（注册并使用 API 密钥可获得更高限额）`,
        messageEn: `Too many requests from your address; retry in ${wait} s (register for an API key for higher limits)`,
        details: { limit: "ip", ratePerSec: rate, retryAfterSeconds: wait }, retryAfter: wait,
      });
  };
}

export async function openingRoutes(app: App, deps: OpeningRouteDeps) {
  const { opening } = deps;
  const tags = ["opening"];

  await app.register(async (sub: App) => {
    sub.addHook("onRequest", anonymousLimiter(opening));

    sub.get("/api/open/home", { config: { policy: "open.portal.read" }, schema: { tags, summary: "开放门户首页：开放数据集、数据量、下载与调用次数" } }, async () => opening.home());

    sub.get("/api/open/datasets", { config: { policy: "open.portal.read" }, schema: { tags, summary: "开放目录检索（主题、部门、格式、开放类型分面；不予开放不列出）", querystring: PortalSearchQuery } }, async (req) =>
      opening.search(req.query),
    );

    sub.get("/api/open/datasets/:id", { config: { policy: "open.portal.read" }, schema: { tags, summary: "开放数据集详情：元数据、数据项、质量评分、更新历史", params: DatasetParams } }, async (req) =>
      opening.dataset(req.actor, req.params.id),
    );

    sub.get("/api/open/datasets/:id/sample", { config: { policy: "open.data.sample" }, schema: { tags, summary: "样例数据（前 20 行，按分级脱敏；记入账本）", params: DatasetParams } }, async (req) =>
      opening.sample(contextOf(req, "portal"), req.params.id),
    );

    sub.get("/api/open/datasets/:id/rows", {
      config: { policy: "open.data.read" },
      schema: { tags, summary: "数据查询接口：filters（JSON）、columns、q、sort（列 desc）、limit ≤ 1000、offset；脱敏、计量、记入账本", params: DatasetParams, querystring: RowsQuery },
    }, async (req) => {
      const q = req.query;
      return opening.query(contextOf(req, "api"), req.params.id, { columns: q.columns, filters: q.filters, q: q.q, sort: parseSort(q.sort), limit: q.limit, offset: q.offset });
    });

    sub.get("/api/open/datasets/:id/download", {
      config: { policy: "open.data.read" },
      schema: { tags, summary: "下载当前版本（CSV UTF-8 BOM、XLSX、JSON、Parquet；脱敏；记入账本）", params: DatasetParams, querystring: DownloadQuery },
    }, async (req, reply) => {
      const d = await opening.download(contextOf(req, req.apiTokenId ? "api" : "portal"), req.params.id, req.query);
      const stream = fs.createReadStream(d.file);
      stream.on("close", () => void d.cleanup());
      reply
        .header("content-type", d.contentType)
        .header("content-length", String(d.bytes))
        .header("content-disposition", `attachment; filename="dataset.${req.query.format}"; filename*=UTF-8''${encodeURIComponent(d.filename)}`)
        .header("x-gongshu-digest", d.digest)
        .header("x-gongshu-ledger-index", String(d.ledgerIndex));
      return reply.send(stream);
    });

    sub.post("/api/open/datasets/:id/applications", { config: { policy: "open.application.create" }, schema: { tags, summary: "申请使用有条件开放数据（用途、场景、安全承诺）", params: DatasetParams, body: ApplyBody } }, async (req, reply) => {
      reply.status(201);
      return { application: await opening.apply(contextOf(req, "portal"), req.params.id, req.body) };
    });

    // 数据需求, 错误报告, 接诉即办 figures, 利用成果 (under the same anonymous IP limit).
    await feedbackRoutes(sub, { opening });
  });

  app.get("/api/open/applications", { config: { policy: "open.application.create" }, schema: { tags, summary: "我的开放数据申请；view=review：待本部门审核的申请", querystring: ApplicationsQuery } }, async (req) =>
    opening.applications(req.actor, req.query),
  );
  app.get("/api/open/applications/:id", { config: { policy: "open.application.read" }, schema: { tags, summary: "开放数据申请详情", params: ApplicationParams } }, async (req) => ({
    application: await opening.application(req.actor, req.params.id),
  }));
  app.post("/api/open/applications/:id/decision", { config: { policy: "open.application.review" }, schema: { tags, summary: "提供部门审核：批准或拒绝（须说明理由）", params: ApplicationParams, body: DecisionBody } }, async (req) => ({
    application: await opening.decide(req.actor, req.params.id, req.body),
  }));
  app.post("/api/open/index/refresh", { config: { policy: "open.index.refresh" }, schema: { tags, summary: "立即刷新开放目录索引" } }, async () => {
    await opening.refreshIndex(true);
    return { ok: true };
  });
}
