import type { FastifyRequest } from "fastify";
import type { App } from "../../core/http.ts";
import { RateLimitedError } from "../../core/errors.ts";
import { TokenBuckets } from "../../core/limits.ts";
import {
  AssignBody, DatasetShowcaseQuery, DemandAnswerBody, DemandBody, DemandsQuery, FeedbackIdParams, FeedbackSettings, ReportAnswerBody, ReportBody, ReportsQuery, ShowcaseBody,
  ShowcaseQuery, ShowcaseReviewBody, StatsQuery,
} from "./feedback-schema.ts";
import { DatasetParams } from "./schema.ts";
import type { OpeningService } from "./service.ts";

/**
 * Routes of the public's side of the portal: 数据需求, 错误报告, 接诉即办 figures, 利用成果. Registered
 * by openingRoutes inside its anonymous-IP-limited scope; error reports from anonymous addresses
 * have a write limit of their own (per hour).
 */
export async function feedbackRoutes(app: App, deps: { opening: OpeningService }) {
  const { feedback } = deps.opening;
  const { requests, showcase } = feedback;
  const tags = ["opening"];

  const reportBuckets = new TokenBuckets();
  const reportLimit = async (req: FastifyRequest) => {
    if (req.actor?.kind !== "anonymous") return;
    const perHour = feedback.settings.anonymousReportsPerHour;
    if (!perHour) return;
    const wait = reportBuckets.take(`ip:${req.ip}`, perHour / 3600, perHour);
    if (wait)
      throw new RateLimitedError({
        message: `匿名提交错误报告过于频繁，请 ${Math.ceil(wait / 60)} 分钟后重试（登录后不受此限）`,
        messageEn: `Too many anonymous error reports from your address; retry in ${Math.ceil(wait / 60)} min (signed-in users are not limited)`,
        details: { limit: "anonymous_reports", perHour, retryAfterSeconds: wait }, retryAfter: wait,
      });
  };

  // ---------------------------------------------------------------- settings, figures, sweep
  app.get("/api/open/feedback/settings", { config: { policy: "open.feedback.settings.read" }, schema: { tags, summary: "数据需求与错误报告的答复期限（工作日）与节假日" } }, async () => requests.settings());
  app.put("/api/open/feedback/settings", { config: { policy: "open.feedback.settings.edit" }, schema: { tags, summary: "修改答复期限与节假日（数据管理部门）", body: FeedbackSettings } }, async (req) =>
    requests.putSettings(req.actor, req.body),
  );
  app.get("/api/open/feedback/stats", {
    config: { policy: "open.feedback.read" },
    schema: { tags, summary: "接诉即办：近 30/90/365 天各部门数据需求与错误报告的受理、答复、按期答复、答复用时（中位数、90 分位）与逾期未答复数；org= 只看一个部门", querystring: StatsQuery },
  }, async (req) => requests.stats(req.query));
  app.post("/api/open/feedback/sweep", { config: { policy: "open.feedback.sweep" }, schema: { tags, summary: "标记逾期未答复的需求与报告并通知（服务器定时执行）" } }, async () => requests.sweep());

  // ---------------------------------------------------------------- 数据需求
  app.post("/api/open/demands", { config: { policy: "open.demand.create" }, schema: { tags, summary: "提出数据需求（尚未开放的数据；登录用户）", body: DemandBody } }, async (req, reply) => {
    reply.status(201);
    return { demand: await requests.createDemand(req.actor, req.body) };
  });
  app.get("/api/open/demands", {
    config: { policy: "open.feedback.read" },
    schema: { tags, summary: "数据需求及公开答复（view=mine 我提出的；view=queue 待本部门处理的）", querystring: DemandsQuery },
  }, async (req) => requests.demands(req.actor, req.query));
  app.get("/api/open/demands/:id", { config: { policy: "open.feedback.read" }, schema: { tags, summary: "数据需求详情与公开答复", params: FeedbackIdParams } }, async (req) => ({
    demand: await requests.get(req.actor, "demand", req.params.id),
  }));
  app.post("/api/open/demands/:id/assign", { config: { policy: "open.demand.assign" }, schema: { tags, summary: "数据管理部门将需求分派到部门", params: FeedbackIdParams, body: AssignBody } }, async (req) => ({
    demand: await requests.assignDemand(req.actor, req.params.id, req.body),
  }));
  app.post("/api/open/demands/:id/answer", {
    config: { policy: "open.feedback.queue" },
    schema: { tags, summary: "公开答复：受理（计划与日期）、已可获取（链接）或暂不开放（理由）", params: FeedbackIdParams, body: DemandAnswerBody },
  }, async (req) => ({ demand: await requests.answerDemand(req.actor, req.params.id, req.body) }));

  // ---------------------------------------------------------------- 错误报告
  app.post("/api/open/reports", {
    config: { policy: "open.report.create" }, preHandler: reportLimit,
    schema: { tags, summary: "报告开放数据的错误（可匿名；转提供部门核实并公开答复）", body: ReportBody },
  }, async (req, reply) => {
    reply.status(201);
    return { report: await requests.createReport(req.actor, req.body) };
  });
  app.get("/api/open/reports", {
    config: { policy: "open.feedback.read" },
    schema: { tags, summary: "数据错误报告及公开答复（dataset= 某数据集；view=mine / queue）", querystring: ReportsQuery },
  }, async (req) => requests.reports(req.actor, req.query));
  app.get("/api/open/reports/:id", { config: { policy: "open.feedback.read" }, schema: { tags, summary: "错误报告详情与公开答复", params: FeedbackIdParams } }, async (req) => ({
    report: await requests.get(req.actor, "report", req.params.id),
  }));
  app.post("/api/open/reports/:id/answer", {
    config: { policy: "open.feedback.queue" },
    schema: { tags, summary: "提供部门答复：已更正（可关联新版本）或非错误（理由）", params: FeedbackIdParams, body: ReportAnswerBody },
  }, async (req) => ({ report: await requests.answerReport(req.actor, req.params.id, req.body) }));

  // ---------------------------------------------------------------- 利用成果
  app.post("/api/open/showcase", { config: { policy: "open.showcase.create" }, schema: { tags, summary: "提交基于开放数据的应用成果（经数据管理部门审核后公开）", body: ShowcaseBody } }, async (req, reply) => {
    reply.status(201);
    return { application: await showcase.submit(req.actor, req.body) };
  });
  app.get("/api/open/showcase", {
    config: { policy: "open.showcase.read" },
    schema: { tags, summary: "利用成果（已公开的；dataset= 使用某数据集的；view=mine 我提交的；view=review 待审核）", querystring: ShowcaseQuery },
  }, async (req) => showcase.list(req.actor, req.query));
  app.get("/api/open/showcase/:id", { config: { policy: "open.showcase.read" }, schema: { tags, summary: "利用成果详情", params: FeedbackIdParams } }, async (req) => ({
    application: await showcase.get(req.actor, req.params.id),
  }));
  app.post("/api/open/showcase/:id/review", { config: { policy: "open.showcase.review" }, schema: { tags, summary: "审核利用成果：通过（公开）或退回（须说明理由）", params: FeedbackIdParams, body: ShowcaseReviewBody } }, async (req) => ({
    application: await showcase.review(req.actor, req.params.id, req.body),
  }));
  app.get("/api/open/datasets/:id/showcase", {
    config: { policy: "open.showcase.read" },
    schema: { tags, summary: "使用该数据集的利用成果", params: DatasetParams, querystring: DatasetShowcaseQuery },
  }, async (req) => {
    const e = await deps.opening.resolve(req.params.id);
    return showcase.forEntry(req.actor, e.id, req.query);
  });
}
