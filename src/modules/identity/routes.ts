import { z } from "zod";
import type { App } from "../../core/http.ts";
import { CreateOrgBody, CreateTokenBody, CreateUserBody, LoginBody, RegisterBody, TokenLimitsBody } from "./schema.ts";
import { SESSION_COOKIE, type IdentityService } from "./service.ts";

export function identityRoutes(app: App, deps: { identity: IdentityService; sessionHours: number }) {
  const { identity } = deps;

  app.post("/api/auth/login", { config: { policy: "public" }, schema: { tags: ["identity"], summary: "密码登录", body: LoginBody } }, async (req, reply) => {
    const { sessionId, user, expiresAt } = await identity.login(req.body.username, req.body.password, deps.sessionHours);
    reply.setCookie(SESSION_COOKIE, sessionId, { path: "/", httpOnly: true, sameSite: "lax", secure: req.protocol === "https", expires: expiresAt });
    return { user };
  });

  app.post("/api/auth/logout", { config: { policy: "public" }, schema: { tags: ["identity"], summary: "退出登录" } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await identity.logout(sid);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { ok: true };
  });

  app.get("/api/auth/me", { config: { policy: "public" }, schema: { tags: ["identity"], summary: "当前用户（未登录时 user 为 null）" } }, async (req) => {
    return { user: await identity.me(req.actor) };
  });

  app.get("/api/orgs", { config: { policy: "identity.org.list" }, schema: { tags: ["identity"], summary: "单位列表（市—区—部门）" } }, async () => {
    return { items: await identity.listOrgs() };
  });

  app.post("/api/orgs", { config: { policy: "identity.org.manage" }, schema: { tags: ["identity"], summary: "新建单位", body: CreateOrgBody } }, async (req, reply) => {
    reply.status(201);
    return { org: await identity.createOrg(req.body) };
  });

  app.get("/api/users", { config: { policy: "identity.user.manage" }, schema: { tags: ["identity"], summary: "用户列表", querystring: z.object({ orgId: z.string().max(64).optional() }).strict() } }, async (req) => {
    return { items: await identity.listUsers(req.query.orgId) };
  });

  app.post("/api/users", { config: { policy: "identity.user.manage" }, schema: { tags: ["identity"], summary: "新建用户", body: CreateUserBody } }, async (req, reply) => {
    reply.status(201);
    return { user: await identity.createUser(req.body) };
  });

  app.get("/api/tokens", { config: { policy: "identity.token.manage" }, schema: { tags: ["identity"], summary: "我的 API 令牌" } }, async (req) => {
    return { items: await identity.listTokens(req.actor) };
  });

  app.post("/api/tokens", { config: { policy: "identity.token.manage" }, schema: { tags: ["identity"], summary: "新建 API 令牌（密钥只显示一次）", body: CreateTokenBody } }, async (req, reply) => {
    reply.status(201);
    return { token: await identity.createToken(req.actor, req.body.name, req.body.expiresInDays) };
  });

  app.delete("/api/tokens/:id", { config: { policy: "identity.token.manage" }, schema: { tags: ["identity"], summary: "撤销 API 令牌", params: z.object({ id: z.string().max(64) }) } }, async (req) => {
    await identity.revokeToken(req.actor, req.params.id);
    return { ok: true };
  });

  app.post("/api/auth/register", { config: { policy: "identity.register" }, schema: { tags: ["identity"], summary: "公众注册（个人加入「公众用户」；企业登记统一社会信用代码），角色为使用方", body: RegisterBody } }, async (req, reply) => {
    reply.status(201);
    return { user: await identity.register(req.body) };
  });

  app.get("/api/tokens/:id/usage", { config: { policy: "identity.token.manage" }, schema: { tags: ["identity"], summary: "API 密钥限额与近 30 日调用量", params: z.object({ id: z.string().max(64) }) } }, async (req) => {
    return { usage: await identity.tokenUsage(req.actor, req.params.id) };
  });

  app.put("/api/tokens/:id/limits", { config: { policy: "identity.token.limits" }, schema: { tags: ["identity"], summary: "设置 API 密钥的每秒请求数与每日配额（管理员）", params: z.object({ id: z.string().max(64) }), body: TokenLimitsBody } }, async (req) => {
    return { usage: await identity.setTokenLimits(req.actor, req.params.id, req.body) };
  });
}
