import { z } from "zod";
import type { App } from "../../core/http.ts";
import type { QualityService } from "./quality.ts";
import {
  ConflictView, CopyBody, CorrectBody, CrosscheckResponse, DatasetScoreRow, DecideBody, LeagueResponse, ListConflictsQuery, ListObjectionsQuery, NoteBody,
  ObjectionDetail, ObjectionView, PutRulesBody, PutSettingsBody, RaiseObjectionBody, ReasonBody, ReportResponse, RulesResponse, RunView, Settings, SourceBody,
  SourceView, SweepResponse, DIMENSION_LABELS, RULE_LABELS, RULE_KINDS, OBJECTION_STATUS_LABELS,
} from "./schema.ts";

const Id = z.string().min(1).max(64);
const IdParams = z.object({ id: Id }).strict();
const DatasetParams = z.object({ datasetId: Id }).strict();

export function qualityRoutes(app: App, deps: { quality: QualityService }) {
  const { quality } = deps;
  const { scoring, objections, sources } = quality;
  const tags = ["quality"];
  const otags = ["objections"];

  app.get("/api/quality/vocab", { config: { policy: "quality.list" }, schema: { tags, summary: "质量维度、规则类型与异议状态", response: { 200: z.object({ dimensions: z.record(z.string(), z.object({ zh: z.string(), en: z.string(), gbt36344: z.string() })), ruleKinds: z.array(z.object({ kind: z.string(), label: z.string() })), objectionStatuses: z.record(z.string(), z.string()) }) } } }, async () => ({
    dimensions: DIMENSION_LABELS, ruleKinds: RULE_KINDS.map((k) => ({ kind: k, label: RULE_LABELS[k] })), objectionStatuses: OBJECTION_STATUS_LABELS,
  }));

  // ---------------------------------------------------------------- settings, rules, scores
  app.get("/api/quality/settings", { config: { policy: "quality.settings.read" }, schema: { tags, summary: "评分权重与异议期限（工作日）", response: { 200: Settings } } }, async (req) => scoring.getSettings(req.actor));
  app.put("/api/quality/settings", { config: { policy: "quality.settings.edit" }, schema: { tags, summary: "修改评分权重与异议期限", body: PutSettingsBody, response: { 200: Settings } } }, async (req) => scoring.putSettings(req.actor, req.body));

  app.get("/api/quality/datasets", { config: { policy: "quality.list" }, schema: { tags, summary: "数据集最新质量评分", querystring: z.object({ providerOrgId: Id.optional() }).strict(), response: { 200: z.object({ items: z.array(DatasetScoreRow) }) } } }, async (req) => scoring.datasets(req.actor, req.query));

  app.get("/api/quality/datasets/:datasetId/rules", { config: { policy: "quality.report.read" }, schema: { tags, summary: "数据项质量规则（默认或自定义）", params: DatasetParams, response: { 200: RulesResponse } } }, async (req) => scoring.rules(req.actor, req.params.datasetId));
  app.put("/api/quality/datasets/:datasetId/rules/:column", { config: { policy: "quality.rules.edit" }, schema: { tags, summary: "设置一个数据项的规则（column 为 * 表示数据集级规则）", params: z.object({ datasetId: Id, column: z.string().min(1).max(100) }).strict(), body: PutRulesBody, response: { 200: RulesResponse } } }, async (req) =>
    scoring.putRules(req.actor, req.params.datasetId, req.params.column, req.body.rules));
  app.delete("/api/quality/datasets/:datasetId/rules/:column", { config: { policy: "quality.rules.edit" }, schema: { tags, summary: "恢复一个数据项的默认规则", params: z.object({ datasetId: Id, column: z.string().min(1).max(100) }).strict(), response: { 200: RulesResponse } } }, async (req) =>
    scoring.putRules(req.actor, req.params.datasetId, req.params.column, null));
  app.post("/api/quality/datasets/:datasetId/score", { config: { policy: "quality.rules.edit" }, schema: { tags, summary: "按当前规则重新评分当前版本", params: DatasetParams, response: { 200: RunView } } }, async (req) => scoring.rescore(req.actor, req.params.datasetId));
  app.get("/api/quality/datasets/:datasetId/report", { config: { policy: "quality.report.read" }, schema: { tags, summary: "质量报告：维度与数据项得分、规则结果、趋势、问题样例（已脱敏）", params: DatasetParams, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }).strict(), response: { 200: ReportResponse } } }, async (req) =>
    scoring.report(req.actor, req.params.datasetId, req.query.version));
  app.get("/api/quality/datasets/:datasetId/runs/:version", { config: { policy: "quality.report.read" }, schema: { tags, summary: "某版本的评分状态", params: z.object({ datasetId: Id, version: z.coerce.number().int().min(1) }).strict(), response: { 200: RunView } } }, async (req) =>
    scoring.run(req.actor, req.params.datasetId, req.params.version));
  app.get("/api/quality/datasets/:datasetId/objected-records", { config: { policy: "quality.report.read" }, schema: { tags, summary: "异议中的记录（照常提供，标注异议中）", params: DatasetParams, response: { 200: z.object({ items: z.array(z.object({ objectionId: z.string(), recordKey: z.record(z.string(), z.string()), column: z.string().nullable(), status: z.string() })) }) } } }, async (req) => {
    await scoring.visibleDataset(req.actor, req.params.datasetId);
    return { items: await quality.openObjectionKeys(req.actor, req.params.datasetId) };
  });
  app.get("/api/quality/league", { config: { policy: "quality.list" }, schema: { tags, summary: "部门数据质量排行榜", response: { 200: LeagueResponse } } }, async (req) => quality.league(req.actor));

  // ---------------------------------------------------------------- 一数一源, 多源校核
  app.get("/api/quality/sources", { config: { policy: "quality.sources.read" }, schema: { tags, summary: "一数一源登记", response: { 200: z.object({ items: z.array(SourceView) }) } } }, async () => sources.list());
  app.post("/api/quality/sources", { config: { policy: "quality.sources.manage" }, schema: { tags, summary: "登记数据项的权威来源", body: SourceBody, response: { 201: SourceView } } }, async (req, reply) => {
    reply.status(201);
    return sources.register(req.actor, req.body);
  });
  app.put("/api/quality/sources/:id", { config: { policy: "quality.sources.manage" }, schema: { tags, summary: "修改权威来源", params: IdParams, body: SourceBody, response: { 200: SourceView } } }, async (req) => sources.update(req.actor, req.params.id, req.body));
  app.post("/api/quality/sources/:id/copies", { config: { policy: "quality.sources.manage" }, schema: { tags, summary: "登记副本（指向权威来源）", params: IdParams, body: CopyBody, response: { 200: SourceView } } }, async (req) => sources.addCopy(req.actor, req.params.id, req.body));
  app.delete("/api/quality/sources/:id/copies/:datasetId", { config: { policy: "quality.sources.manage" }, schema: { tags, summary: "移除副本", params: z.object({ id: Id, datasetId: Id }).strict(), response: { 200: SourceView } } }, async (req) => sources.removeCopy(req.actor, req.params.id, req.params.datasetId));
  app.post("/api/quality/sources/:id/crosscheck", { config: { policy: "quality.crosscheck.run" }, schema: { tags, summary: "多源校核：按键比对各来源，冲突发送权威部门", params: IdParams, response: { 200: CrosscheckResponse } } }, async (req) => sources.crosscheck(req.actor, req.params.id));
  app.get("/api/quality/conflicts", { config: { policy: "quality.conflicts.read" }, schema: { tags, summary: "多源校核冲突（本部门待办）", querystring: ListConflictsQuery, response: { 200: z.object({ items: z.array(ConflictView) }) } } }, async (req) => sources.conflicts(req.actor, req.query));
  app.post("/api/quality/conflicts/:id/resolve", { config: { policy: "quality.conflicts.resolve" }, schema: { tags, summary: "标记冲突已处理", params: IdParams, body: z.object({ note: z.string().trim().min(1).max(2000) }).strict(), response: { 200: ConflictView } } }, async (req) => sources.resolve(req.actor, req.params.id, req.body.note));
  app.post("/api/quality/conflicts/:id/objection", { config: { policy: "quality.objection.raise" }, schema: { tags, summary: "未解决的冲突转为数据异议", params: IdParams, body: z.object({ reason: z.string().trim().min(1).max(2000).optional() }).strict(), response: { 201: ObjectionDetail } } }, async (req, reply) => {
    reply.status(201);
    return sources.toObjection(req.actor, req.params.id, req.body.reason);
  });

  // ---------------------------------------------------------------- 数据异议
  app.post("/api/objections", { config: { policy: "quality.objection.raise" }, schema: { tags: otags, summary: "提出数据异议（记录或字段，附理由与证据）", body: RaiseObjectionBody, response: { 201: ObjectionDetail } } }, async (req, reply) => {
    reply.status(201);
    return objections.raise(req.actor, req.body);
  });
  app.get("/api/objections", { config: { policy: "quality.objection.list" }, schema: { tags: otags, summary: "数据异议列表（我提出的 / 本部门待办 / 全部）", querystring: ListObjectionsQuery, response: { 200: z.object({ items: z.array(ObjectionView) }) } } }, async (req) => objections.list(req.actor, req.query));
  app.get("/api/objections/:id", { config: { policy: "quality.objection.read" }, schema: { tags: otags, summary: "数据异议详情与处理记录", params: IdParams, response: { 200: ObjectionDetail } } }, async (req) => objections.get(req.actor, req.params.id));
  app.get("/api/objections/:id/attachment", { config: { policy: "quality.objection.read" }, schema: { tags: otags, summary: "下载证据附件", params: IdParams } }, async (req, reply) => {
    const a = await objections.attachment(req.actor, req.params.id);
    reply.header("content-type", a.type);
    reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`);
    reply.header("x-content-type-options", "nosniff");
    return reply.send(a.data);
  });
  app.post("/api/objections/:id/accept", { config: { policy: "quality.objection.handle" }, schema: { tags: otags, summary: "受理", params: IdParams, body: NoteBody, response: { 200: ObjectionDetail } } }, async (req) => objections.accept(req.actor, req.params.id, req.body.note));
  app.post("/api/objections/:id/correct", { config: { policy: "quality.objection.handle" }, schema: { tags: otags, summary: "核实后更正（生成新快照版本）", params: IdParams, body: CorrectBody, response: { 200: ObjectionDetail } } }, async (req) => objections.correct(req.actor, req.params.id, req.body));
  app.post("/api/objections/:id/reject", { config: { policy: "quality.objection.handle" }, schema: { tags: otags, summary: "驳回（须说明理由）", params: IdParams, body: ReasonBody, response: { 200: ObjectionDetail } } }, async (req) => objections.reject(req.actor, req.params.id, req.body.reason));
  app.post("/api/objections/:id/confirm", { config: { policy: "quality.objection.respond" }, schema: { tags: otags, summary: "异议人确认答复（关闭）", params: IdParams, body: NoteBody, response: { 200: ObjectionDetail } } }, async (req) => objections.confirm(req.actor, req.params.id, req.body.note));
  app.post("/api/objections/:id/dispute", { config: { policy: "quality.objection.respond" }, schema: { tags: otags, summary: "异议人不认可答复（升级至数据管理部门）", params: IdParams, body: ReasonBody, response: { 200: ObjectionDetail } } }, async (req) => objections.dispute(req.actor, req.params.id, req.body.reason));
  app.post("/api/objections/:id/decide", { config: { policy: "quality.objection.decide" }, schema: { tags: otags, summary: "数据管理部门裁决升级的异议", params: IdParams, body: DecideBody, response: { 200: ObjectionDetail } } }, async (req) => objections.decide(req.actor, req.params.id, req.body.decision, req.body.note));
  app.post("/api/objections/sweep", { config: { policy: "quality.objection.sweep" }, schema: { tags: otags, summary: "立即执行到期提醒与逾期升级", response: { 200: SweepResponse } } }, async () => quality.sweep());
}
