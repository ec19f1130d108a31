import type { FastifyRequest } from "fastify";
import type { Db } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError, UnauthenticatedError, ForbiddenError } from "../../core/errors.ts";
import { newId, randomSecret, sha256Hex } from "../../core/ids.ts";
import { ANONYMOUS, type Actor, type Role } from "../policy/index.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import type { CreateOrgBody, CreateUserBody, OrgView, TokenView, UserView } from "./schema.ts";
import { identityDb, orgStore, sessionStore, tokenStore, userStore, type OrgRow, type UserRow } from "./store.ts";

export const SESSION_COOKIE = "gongshu_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
}

function presentOrg(o: OrgRow): OrgView {
  return { id: o.id, name: o.name, shortName: o.short_name, code: o.code, kind: o.kind as OrgView["kind"], parentId: o.parent_id };
}

function toActor(u: UserRow, via: "session" | "token"): Actor {
  return { kind: "user", userId: u.id, username: u.username, displayName: u.display_name, orgId: u.org_id, roles: u.roles as Role[], via };
}

export interface IdentityService {
  createOrg(body: CreateOrgBody & { id?: string }): Promise<OrgView>;
  listOrgs(): Promise<OrgView[]>;
  getOrg(id: string): Promise<OrgView>;
  orgMap(): Promise<Map<string, OrgView>>;
  createUser(body: CreateUserBody | (Omit<CreateUserBody, "password"> & { password: string })): Promise<UserView>;
  listUsers(orgId?: string): Promise<UserView[]>;
  setPassword(username: string, password: string): Promise<void>;
  login(username: string, password: string, hours: number): Promise<{ sessionId: string; user: UserView; expiresAt: Date }>;
  logout(sessionId: string): Promise<void>;
  authenticate(req: FastifyRequest): Promise<Actor>;
  createToken(actor: Actor, name: string, expiresInDays?: number): Promise<TokenView>;
  listTokens(actor: Actor): Promise<TokenView[]>;
  revokeToken(actor: Actor, id: string): Promise<void>;
  me(actor: Actor): Promise<UserView | null>;
  counts(): Promise<{ orgs: number; users: number }>;
}

export function createIdentityService(db: Db): IdentityService {
  const idb = identityDb(db);
  const orgs = orgStore(idb), users = userStore(idb), sessions = sessionStore(idb), tokens = tokenStore(idb);

  async function presentUser(u: UserRow, orgName?: string): Promise<UserView> {
    const name = orgName ?? (await orgs.byId(u.org_id))?.name ?? "";
    return { id: u.id, username: u.username, displayName: u.display_name, org: { id: u.org_id, name }, roles: u.roles as Role[], disabled: u.disabled };
  }

  return {
    async createOrg(body) {
      if (body.parentId && !(await orgs.byId(body.parentId)))
        throw new InvalidError({ field: "parentId", message: "上级单位不存在", messageEn: "Parent organisation not found" });
      if (await orgs.byName(body.name))
        throw new ConflictError({ field: "name", message: `单位「${body.name}」已存在`, messageEn: `Organisation '${body.name}' already exists` });
      const row = { id: body.id ?? newId("org"), name: body.name, short_name: body.shortName ?? null, code: body.code ?? null, kind: body.kind, parent_id: body.parentId ?? null };
      await orgs.insert(row);
      return presentOrg({ ...row, created_at: new Date() });
    },
    async listOrgs() {
      return (await orgs.all()).map(presentOrg);
    },
    async getOrg(id) {
      const o = await orgs.byId(id);
      if (!o) throw new NotFoundError({ message: "单位不存在", messageEn: "Organisation not found", field: "orgId" });
      return presentOrg(o);
    },
    async orgMap() {
      return new Map((await orgs.all()).map((o) => [o.id, presentOrg(o)]));
    },
    async createUser(body) {
      const org = await orgs.byId(body.orgId);
      if (!org) throw new InvalidError({ field: "orgId", message: "所属单位不存在", messageEn: "Organisation not found" });
      if (await users.byUsername(body.username))
        throw new ConflictError({ field: "username", message: `用户名「${body.username}」已被使用`, messageEn: `Username '${body.username}' is taken` });
      const row = { id: newId("usr"), username: body.username, display_name: body.displayName, org_id: body.orgId, roles: body.roles, password_hash: await hashPassword(body.password) };
      await users.insert(row);
      return presentUser({ ...row, disabled: false, created_at: new Date() }, org.name);
    },
    async listUsers(orgId) {
      const map = await this.orgMap();
      return Promise.all((await users.list(orgId)).map((u) => presentUser(u, map.get(u.org_id)?.name)));
    },
    async setPassword(username, password) {
      const u = await users.byUsername(username);
      if (!u) throw new NotFoundError({ message: "用户不存在", messageEn: "User not found", field: "username" });
      await users.setPassword(u.id, await hashPassword(password));
    },
    async login(username, password, hours) {
      const u = await users.byUsername(username);
      // Same answer for unknown user and wrong password.
      const ok = u && !u.disabled && u.password_hash ? await verifyPassword(password, u.password_hash) : false;
      if (!u || !ok) throw new UnauthenticatedError({ message: "用户名或密码错误", messageEn: "Wrong username or password", field: "password" });
      const sessionId = randomSecret(32);
      const expiresAt = new Date(Date.now() + hours * 3600_000);
      await sessions.insert({ id_hash: sha256Hex(sessionId), user_id: u.id, expires_at: expiresAt });
      return { sessionId, user: await presentUser(u), expiresAt };
    },
    async logout(sessionId) {
      await sessions.delete(sha256Hex(sessionId));
    },
    async authenticate(req) {
      const auth = req.headers.authorization;
      if (auth) {
        const m = /^Bearer\s+(\S+)$/i.exec(auth);
        if (!m) throw new UnauthenticatedError({ message: "Authorization 头格式无效", messageEn: "Malformed Authorization header", field: "authorization" });
        const row = await tokens.lookup(sha256Hex(m[1]));
        if (!row || row.token_revoked_at || (row.token_expires_at && row.token_expires_at < new Date()))
          throw new UnauthenticatedError({ message: "API 令牌无效或已过期", messageEn: "Invalid or expired API token", field: "authorization" });
        void tokens.touch(row.token_id).catch(() => {});
        return toActor(row, "token");
      }
      const sid = req.cookies?.[SESSION_COOKIE];
      if (sid) {
        const u = await sessions.lookup(sha256Hex(sid));
        if (u) return toActor(u, "session");
      }
      return ANONYMOUS;
    },
    async createToken(actor, name, expiresInDays) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const id = newId("tok");
      const secret = `gs_${randomSecret(24)}`;
      const prefix = secret.slice(0, 10);
      const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86400_000) : null;
      await tokens.insert({ id, user_id: actor.userId, name, prefix, secret_hash: sha256Hex(secret), expires_at: expiresAt });
      return { id, name, prefix, createdAt: new Date().toISOString(), expiresAt: expiresAt?.toISOString() ?? null, lastUsedAt: null, revokedAt: null, secret };
    },
    async listTokens(actor) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      return (await tokens.listForUser(actor.userId)).map((t) => ({
        id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at.toISOString(), expiresAt: t.expires_at?.toISOString() ?? null,
        lastUsedAt: t.last_used_at?.toISOString() ?? null, revokedAt: t.revoked_at?.toISOString() ?? null,
      }));
    },
    async revokeToken(actor, id) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const t = await tokens.byId(id);
      if (!t) throw new NotFoundError({ message: "令牌不存在", messageEn: "Token not found", field: "id" });
      if (t.user_id !== actor.userId) throw new ForbiddenError({ message: "只能撤销自己的令牌", messageEn: "You can only revoke your own tokens" });
      await tokens.revoke(id);
    },
    async me(actor) {
      if (actor.kind !== "user") return null;
      const u = await users.byId(actor.userId);
      return u ? presentUser(u) : null;
    },
    async counts() {
      return { orgs: await orgs.count(), users: await users.count() };
    },
  };
}
