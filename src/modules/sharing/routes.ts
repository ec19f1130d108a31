import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { App } from "../../core/http.ts";
import type { SharingService } from "./service.ts";
import { ApplicationBody, ApplicationView, DecideBody, DemandBody, DemandView, GrantView, MatchBody, QueryBody, QueryResult, ResponsibilityRow, RevokeBody, SharingSettings, UsageView } from "./schema.ts";

const Id = z.string().min(1).max(64);
const IdParams = z.object({ id: Id }).strict();

export function sharingRoutes(app: App, deps: { sharing: SharingService }) {
  const { sharing } = deps;
  const tags = ["sharing"];

  app.get("/api/sharing/settings", { config: { policy: "sharing.settings.read" }, schema: { tags, summary: "共享申请答复期限（工作日）与节假日", response: { 200: SharingSettings } } }, async () => sharing.settings());
  app.put("/api/sharing/settings", { config: { policy: "sharing.settings.edit" }, schema: { tags, summary: "修改共享设置", body: SharingSettings, response: { 200: SharingSettings } } }, async (req) => sharing.putSettings(req.actor, req.body));

  // 需求清单 / 责任清单
  app.post("/api/sharing/demands", { config: { policy: "sharing.demand.create" }, schema: { tags, summary: "提出共享需求（需求清单）", body: DemandBody, response: { 201: DemandView } } }, async (req, reply) => {
    reply.status(201);
    return sharing.createDemand(req.actor, req.body);
  });
  app.get("/api/sharing/demands", { config: { policy: "sharing.demand.list" }, schema: { tags, summary: "需求清单", querystring: z.object({ status: z.enum(["open", "matched", "closed"]).optional(), mine: z.enum(["true", "false"]).optional() }).strict(), response: { 200: z.object({ items: z.array(DemandView) }) } } }, async (req) => ({
    items: await sharing.listDemands(req.actor, { status: req.query.status, mine: req.query.mine === "true" }),
  }));
  app.post("/api/sharing/demands/:id/match", { config: { policy: "sharing.demand.match" }, schema: { tags, summary: "将需求匹配到目录条目（形成责任清单）", params: IdParams, body: MatchBody, response: { 200: DemandView } } }, async (req) => sharing.matchDemand(req.actor, req.params.id, req.body));
  app.get("/api/sharing/responsibility", { config: { policy: "sharing.responsibility.read" }, schema: { tags, summary: "责任清单：各提供部门应供给的需求、待答复与逾期申请、有效授权", response: { 200: z.object({ items: z.array(ResponsibilityRow) }) } } }, async (req) => ({ items: await sharing.responsibility(req.actor) }));

  // Applications
  app.post("/api/sharing/applications", { config: { policy: "sharing.application.create" }, schema: { tags, summary: "提出共享申请（无条件共享即时授权，有条件共享由提供部门审核）", body: ApplicationBody, response: { 201: ApplicationView } } }, async (req, reply) => {
    reply.status(201);
    return sharing.apply(req.actor, req.body);
  });
  app.get("/api/sharing/applications", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "共享申请（本部门提出的或待本部门答复的）", querystring: z.object({ role: z.enum(["applicant", "provider"]).optional(), status: z.enum(["pending", "granted", "refused", "withdrawn"]).optional() }).strict(), response: { 200: z.object({ items: z.array(ApplicationView) }) } } }, async (req) => ({
    items: await sharing.listApplications(req.actor, req.query),
  }));
  app.get("/api/sharing/applications/:id", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "共享申请详情", params: IdParams, response: { 200: ApplicationView } } }, async (req) => sharing.getApplication(req.actor, req.params.id));
  app.post("/api/sharing/applications/:id/decision", { config: { policy: "sharing.application.decide" }, schema: { tags, summary: "提供部门审核：批准（生成授权）或拒绝（须说明理由）", params: IdParams, body: DecideBody, response: { 200: ApplicationView } } }, async (req) => sharing.decide(req.actor, req.params.id, req.body));
  app.post("/api/sharing/applications/:id/withdraw", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "撤回待审核的申请", params: IdParams, response: { 200: ApplicationView } } }, async (req) => sharing.withdraw(req.actor, req.params.id));
  app.post("/api/sharing/sweep", { config: { policy: "sharing.sweep" }, schema: { tags, summary: "逾期申请提请数据管理部门协调（服务器定时执行）", response: { 200: z.object({ escalated: z.array(z.string()) }) } } }, async () => sharing.sweep());

  // Grants and delivery
  app.get("/api/sharing/grants", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "共享授权", querystring: z.object({ role: z.enum(["grantee", "provider"]).optional() }).strict(), response: { 200: z.object({ items: z.array(GrantView) }) } } }, async (req) => ({ items: await sharing.listGrants(req.actor, req.query) }));
  app.get("/api/sharing/grants/:id", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "共享授权详情", params: IdParams, response: { 200: GrantView } } }, async (req) => sharing.getGrant(req.actor, req.params.id));
  app.post("/api/sharing/grants/:id/revoke", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "撤销授权（下一次调用起生效）", params: IdParams, body: RevokeBody, response: { 200: GrantView } } }, async (req) => sharing.revoke(req.actor, req.params.id, req.body.reason));
  app.get("/api/sharing/grants/:id/usage", { config: { policy: "sharing.application.list" }, schema: { tags, summary: "授权的调用量（按日）", params: IdParams, response: { 200: UsageView } } }, async (req) => sharing.usage(req.actor, req.params.id));
  app.post("/api/sharing/grants/:id/query", {
    config: { policy: "sharing.data.query" },
    schema: {
      tags, summary: "按授权查询数据：限授权数据项与行范围，分页，按分级脱敏，计量并记入存证账本（format=csv|xlsx|parquet 返回文件）", params: IdParams, body: QueryBody,
      querystring: z.object({ format: z.enum(["json", "csv", "xlsx", "parquet"]).default("json") }).strict(),
    },
  }, async (req, reply) => {
    const r = await sharing.query(req.actor, req.params.id, req.body);
    const fmt = req.query.format;
    if (fmt === "xlsx" || fmt === "parquet") {
      const file = await sharing.extractOf(r, fmt);
      reply.header("content-type", fmt === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/vnd.apache.parquet")
        .header("content-disposition", `attachment; filename="${r.grantId}-v${r.version}-${r.offset}.${fmt}"`).header("x-gongshu-ledger-index", String(r.ledgerIndex));
      return reply.send(file);
    }
    if (fmt === "csv") {
      reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${r.grantId}-v${r.version}-${r.offset}.csv"`).header("x-gongshu-ledger-index", String(r.ledgerIndex));
      const names = r.columns.map((c) => c.name);
      return `\uFEFF${stringify([names, ...r.rows.map((row) => names.map((n) => row[n]))])}`;
    }
    const { duckTypes: _types, ...json } = r;
    return QueryResult.parse(json);
  });
}
