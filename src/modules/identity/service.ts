import type { FastifyRequest } from "fastify";
import type { Db } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError, UnauthenticatedError, ForbiddenError } from "../../core/errors.ts";
import { newId, randomSecret, sha256Hex } from "../../core/ids.ts";
import { ANONYMOUS, hasRole, type Actor, type Role } from "../policy/index.ts";
import { isValidUscc } from "../protection/index.ts";
import { secondsToShanghaiMidnight, shanghaiDay } from "../../core/workdays.ts";
import { RateLimitedError } from "../../core/errors.ts";
import { TokenBuckets } from "../../core/limits.ts";
import { DailyMeter } from "./limits.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import type { CreateOrgBody, CreateUserBody, OrgView, RegisterBody, TokenLimitsBody, TokenUsageView, TokenView, UserView } from "./schema.ts";
import { identityDb, orgStore, sessionStore, tokenStore, userStore, type OrgRow, type TokenRow, type UserRow } from "./store.ts";

export const SESSION_COOKIE = "gongshu_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
    /** The API key (token id) the request was authenticated with, if any: metering and watermarks name it. */
    apiTokenId?: string;
  }
}

/** The shared organisation of self-registered individuals (社会公众). */
export const PUBLIC_ORG = { id: "org_public", name: "公众用户" } as const;

export interface IdentityOptions {
  /** Limits given to new keys of registered public users (role customer); staff keys have none unless an admin sets them. */
  customerKeyLimits?: { ratePerSec: number | null; dailyQuota: number | null };
  /** How long a key lookup is cached (ms); revocation and limit changes in this process take effect at once. */
  keyCacheMs?: number;
  onError?: (err: unknown) => void;
}

type KeyRow = UserRow & { token_id: string; token_expires_at: Date | null; token_revoked_at: Date | null; token_rate_per_sec: number | null; token_daily_quota: number | null };

function presentOrg(o: OrgRow): OrgView {
  return { id: o.id, name: o.name, shortName: o.short_name, code: o.code, kind: o.kind as OrgView["kind"], parentId: o.parent_id };
}

/** Where a request carries an API key: `Authorization: Bearer <key>`, CKAN's raw `Authorization: <key>`, or legacy `X-CKAN-API-KEY`. */
function keyOf(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^(?:Bearer\s+)?(\S+)$/i.exec(auth.trim());
    if (!m || /^(bearer|basic)$/i.test(m[1])) throw new UnauthenticatedError({ message: "Authorization 头格式无效", messageEn: "Malformed Authorization header", field: "authorization" });
    return m[1];
  }
  const legacy = req.headers["x-ckan-api-key"];
  if (typeof legacy === "string" && legacy.trim()) return legacy.trim();
  return null;
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
  /** Self-registration of an individual or an enterprise (role customer). */
  register(body: RegisterBody): Promise<UserView>;
  /** A key's limits and its calls of the last 30 days (its owner, or an admin). */
  tokenUsage(actor: Actor, id: string): Promise<TokenUsageView>;
  /** An admin sets a key's rate limit and daily quota. */
  setTokenLimits(actor: Actor, id: string, body: TokenLimitsBody): Promise<TokenUsageView>;
  /** Write pending per-key call counts (shutdown, reports). */
  flushUsage(): Promise<void>;
  stopUsage(): void;
  me(actor: Actor): Promise<UserView | null>;
  counts(): Promise<{ orgs: number; users: number }>;
}

export function createIdentityService(db: Db, opts: IdentityOptions = {}): IdentityService {
  const idb = identityDb(db);
  const orgs = orgStore(idb), users = userStore(idb), sessions = sessionStore(idb), tokens = tokenStore(idb);
  const customerLimits = opts.customerKeyLimits ?? { ratePerSec: 10, dailyQuota: 10_000 };
  const cacheMs = opts.keyCacheMs ?? 5000;
  const keyCache = new Map<string, { row: KeyRow | null; at: number }>();
  const touched = new Map<string, number>();
  const buckets = new TokenBuckets();
  const meter = new DailyMeter(
    (id, day) => tokens.callsOn(id, day),
    (rows) => tokens.addCalls(rows.map((r) => ({ token_id: r.key, day: r.day, calls: r.calls }))),
    (err) => opts.onError?.(err),
  );

  async function presentUser(u: UserRow, orgName?: string): Promise<UserView> {
    const name = orgName ?? (await orgs.byId(u.org_id))?.name ?? "";
    return {
      id: u.id, username: u.username, displayName: u.display_name, org: { id: u.org_id, name }, roles: u.roles as Role[], disabled: u.disabled,
      ...(u.account_type ? { accountType: u.account_type as "individual" | "enterprise" } : {}),
    };
  }

  async function lookupKey(secret: string): Promise<KeyRow | null> {
    const h = sha256Hex(secret);
    const hit = keyCache.get(h);
    if (hit && Date.now() - hit.at < cacheMs) return hit.row;
    const row = ((await tokens.lookup(h)) as KeyRow | undefined) ?? null;
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(h, { row, at: Date.now() });
    return row;
  }
  const forgetKey = (id: string) => {
    for (const [h, v] of keyCache) if (v.row?.token_id === id) keyCache.delete(h);
  };

  /** Rate limit, then daily quota: a refused call is not counted. */
  async function meterKey(row: KeyRow): Promise<void> {
    const rate = row.token_rate_per_sec == null ? null : Number(row.token_rate_per_sec);
    if (rate != null) {
      const wait = buckets.take(row.token_id, rate);
      if (wait)
        throw new RateLimitedError({
          field: "authorization", message: `请求过于频繁：此 API 密钥每秒最多 ${rate} 次，请 ${wait} 秒后重试`,
          messageEn: `Too many requests: this API key allows ${rate} requests per second; retry in ${wait} s`, details: { limit: "rate", ratePerSec: rate, retryAfterSeconds: wait }, retryAfter: wait,
        });
    }
    const quota = row.token_daily_quota == null ? null : Number(row.token_daily_quota);
    if (!(await meter.tryCount(row.token_id, quota))) {
      const wait = secondsToShanghaiMidnight();
      throw new RateLimitedError({
        field: "authorization", message: `此 API 密钥今日调用次数已用完（每日 ${quota} 次），北京时间零点重置`,
        messageEn: `This API key's daily quota of ${quota} calls is used up; it resets at midnight Beijing time`, details: { limit: "quota", dailyQuota: quota, retryAfterSeconds: wait }, retryAfter: wait,
      });
    }
  }

  function presentToken(t: TokenRow, usedToday: number): TokenView {
    return {
      id: t.id, name: t.name, prefix: t.prefix, createdAt: t.created_at.toISOString(), expiresAt: t.expires_at?.toISOString() ?? null,
      lastUsedAt: t.last_used_at?.toISOString() ?? null, revokedAt: t.revoked_at?.toISOString() ?? null,
      ratePerSec: t.rate_per_sec == null ? null : Number(t.rate_per_sec), dailyQuota: t.daily_quota == null ? null : Number(t.daily_quota), usedToday,
    };
  }

  async function usageOf(t: TokenRow): Promise<TokenUsageView> {
    await meter.flush();
    const since = shanghaiDay(Date.now() - 29 * 86400_000);
    const days = (await tokens.usage(t.id, since)).map((d) => ({ day: d.day, calls: Number(d.calls) }));
    return {
      tokenId: t.id, ratePerSec: t.rate_per_sec == null ? null : Number(t.rate_per_sec), dailyQuota: t.daily_quota == null ? null : Number(t.daily_quota),
      usedToday: days.find((d) => d.day === shanghaiDay())?.calls ?? 0, days,
    };
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
      return presentUser({ ...row, disabled: false, created_at: new Date(), account_type: null, email: null, phone: null }, org.name);
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
      const key = keyOf(req);
      if (key) {
        const row = key.length <= 200 ? await lookupKey(key) : null;
        if (!row || row.token_revoked_at || (row.token_expires_at && row.token_expires_at < new Date()))
          throw new UnauthenticatedError({ message: "API 令牌无效、已撤销或已过期", messageEn: "Invalid, revoked or expired API token", field: "authorization" });
        await meterKey(row);
        req.apiTokenId = row.token_id;
        // last_used_at at most once a minute per key: no write per request.
        if (Date.now() - (touched.get(row.token_id) ?? 0) > 60_000) {
          touched.set(row.token_id, Date.now());
          void tokens.touch(row.token_id).catch(() => {});
        }
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
      const limits = hasRole(actor, "customer") && !hasRole(actor, "platform_admin", "data_officer", "dept_user", "operator") ? customerLimits : { ratePerSec: null, dailyQuota: null };
      await tokens.insert({ id, user_id: actor.userId, name, prefix, secret_hash: sha256Hex(secret), expires_at: expiresAt, rate_per_sec: limits.ratePerSec, daily_quota: limits.dailyQuota });
      return {
        id, name, prefix, createdAt: new Date().toISOString(), expiresAt: expiresAt?.toISOString() ?? null, lastUsedAt: null, revokedAt: null,
        ratePerSec: limits.ratePerSec, dailyQuota: limits.dailyQuota, usedToday: 0, secret,
      };
    },
    async listTokens(actor) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      await meter.flush();
      const list = await tokens.listForUser(actor.userId);
      const used = new Map((await tokens.usedOn(list.map((t) => t.id), shanghaiDay())).map((u) => [u.token_id, Number(u.calls)]));
      return list.map((t) => presentToken(t, used.get(t.id) ?? 0));
    },
    async revokeToken(actor, id) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const t = await tokens.byId(id);
      if (!t) throw new NotFoundError({ message: "令牌不存在", messageEn: "Token not found", field: "id" });
      if (t.user_id !== actor.userId) throw new ForbiddenError({ message: "只能撤销自己的令牌", messageEn: "You can only revoke your own tokens" });
      await tokens.revoke(id);
      forgetKey(id);
    },
    async register(body) {
      if (await users.byUsername(body.username))
        throw new ConflictError({ field: "username", message: `用户名「${body.username}」已被使用`, messageEn: `Username '${body.username}' is taken` });
      let orgId: string;
      let orgName: string;
      if (body.accountType === "enterprise") {
        if (!isValidUscc(body.uscc))
          throw new InvalidError({ field: "uscc", message: "统一社会信用代码校验位不正确", messageEn: "The unified social credit code's check character is wrong" });
        if (await orgs.byCode(body.uscc))
          throw new ConflictError({ field: "uscc", message: "该统一社会信用代码的企业已注册，请联系本单位已注册的用户", messageEn: "An enterprise with this credit code is already registered; ask its registered user" });
        if (await orgs.byName(body.orgName))
          throw new ConflictError({ field: "orgName", message: `单位「${body.orgName}」已存在`, messageEn: `Organisation '${body.orgName}' already exists` });
        orgId = newId("org");
        orgName = body.orgName;
        await orgs.insert({ id: orgId, name: body.orgName, short_name: null, code: body.uscc, kind: "enterprise", parent_id: null });
      } else {
        await orgs.ensure({ id: PUBLIC_ORG.id, name: PUBLIC_ORG.name, short_name: null, code: null, kind: "public", parent_id: null });
        orgId = PUBLIC_ORG.id;
        orgName = PUBLIC_ORG.name;
      }
      const row = {
        id: newId("usr"), username: body.username, display_name: body.displayName, org_id: orgId, roles: ["customer"], password_hash: await hashPassword(body.password),
        account_type: body.accountType, email: body.email ?? null, phone: body.phone ?? null,
      };
      await users.insert(row);
      return presentUser({ ...row, disabled: false, created_at: new Date() }, orgName);
    },
    async tokenUsage(actor, id) {
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const t = await tokens.byId(id);
      if (!t || (t.user_id !== actor.userId && !hasRole(actor, "platform_admin"))) throw new NotFoundError({ message: "令牌不存在", messageEn: "Token not found", field: "id" });
      return usageOf(t);
    },
    async setTokenLimits(actor, id, body) {
      if (!hasRole(actor, "platform_admin")) throw new ForbiddenError({ message: "只有平台管理员可以调整密钥限额", messageEn: "Only platform admins set key limits" });
      const t = await tokens.byId(id);
      if (!t) throw new NotFoundError({ message: "令牌不存在", messageEn: "Token not found", field: "id" });
      await tokens.setLimits(id, { rate_per_sec: body.ratePerSec, daily_quota: body.dailyQuota });
      forgetKey(id);
      return usageOf((await tokens.byId(id))!);
    },
    flushUsage: () => meter.flush(),
    stopUsage: () => meter.stop(),
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
