import { sql, type Generated, type Insertable, type Kysely, type Selectable } from "kysely";
import type { Db } from "../../core/db.ts";

/** The identity module's tables. Only this file touches them. */
export interface IdentityTables {
  orgs: { id: string; name: string; short_name: string | null; code: string | null; kind: string; parent_id: string | null; created_at: Generated<Date> };
  users: { id: string; username: string; display_name: string; org_id: string; roles: string[]; password_hash: string | null; disabled: Generated<boolean>; created_at: Generated<Date>; account_type: Generated<string | null>; email: Generated<string | null>; phone: Generated<string | null> };
  sessions: { id_hash: string; user_id: string; created_at: Generated<Date>; expires_at: Date };
  api_tokens: { id: string; user_id: string; name: string; prefix: string; secret_hash: string; created_at: Generated<Date>; expires_at: Date | null; last_used_at: Generated<Date | null>; revoked_at: Generated<Date | null>; rate_per_sec: Generated<number | null>; daily_quota: Generated<number | null> };
  api_token_usage: { token_id: string; day: string; calls: Generated<number> };
}
export type IdentityDb = Kysely<IdentityTables>;
export const identityDb = (db: Db) => db as unknown as IdentityDb;

export type OrgRow = Selectable<IdentityTables["orgs"]>;
export type UserRow = Selectable<IdentityTables["users"]>;
export type TokenRow = Selectable<IdentityTables["api_tokens"]>;

export function orgStore(db: IdentityDb) {
  return {
    insert: (row: Insertable<IdentityTables["orgs"]>) => db.insertInto("orgs").values(row).execute(),
    byId: (id: string) => db.selectFrom("orgs").selectAll().where("id", "=", id).executeTakeFirst(),
    byName: (name: string) => db.selectFrom("orgs").selectAll().where("name", "=", name).executeTakeFirst(),
    byCode: (code: string) => db.selectFrom("orgs").selectAll().where("code", "=", code).executeTakeFirst(),
    /** Insert unless an organisation with this id exists (the shared 公众用户 organisation). */
    ensure: (row: Insertable<IdentityTables["orgs"]>) => db.insertInto("orgs").values(row).onConflict((oc) => oc.column("id").doNothing()).execute(),
    all: () => db.selectFrom("orgs").selectAll().orderBy("kind").orderBy("name").execute(),
    count: async () => Number((await db.selectFrom("orgs").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n),
  };
}

export function userStore(db: IdentityDb) {
  return {
    insert: (row: Insertable<IdentityTables["users"]>) => db.insertInto("users").values(row).execute(),
    byId: (id: string) => db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst(),
    byUsername: (u: string) => db.selectFrom("users").selectAll().where("username", "=", u).executeTakeFirst(),
    list: (orgId?: string) => {
      let q = db.selectFrom("users").selectAll().orderBy("username");
      if (orgId) q = q.where("org_id", "=", orgId);
      return q.execute();
    },
    setPassword: (id: string, hash: string) => db.updateTable("users").set({ password_hash: hash }).where("id", "=", id).execute(),
    count: async () => Number((await db.selectFrom("users").select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n),
  };
}

export function sessionStore(db: IdentityDb) {
  return {
    insert: (row: Insertable<IdentityTables["sessions"]>) => db.insertInto("sessions").values(row).execute(),
    lookup: (idHash: string) =>
      db.selectFrom("sessions").innerJoin("users", "users.id", "sessions.user_id").selectAll("users")
        .where("sessions.id_hash", "=", idHash).where("sessions.expires_at", ">", new Date()).where("users.disabled", "=", false)
        .executeTakeFirst(),
    delete: (idHash: string) => db.deleteFrom("sessions").where("id_hash", "=", idHash).execute(),
    deleteExpired: () => db.deleteFrom("sessions").where("expires_at", "<", new Date()).execute(),
  };
}

export function tokenStore(db: IdentityDb) {
  return {
    insert: (row: Insertable<IdentityTables["api_tokens"]>) => db.insertInto("api_tokens").values(row).execute(),
    lookup: (secretHash: string) =>
      db.selectFrom("api_tokens").innerJoin("users", "users.id", "api_tokens.user_id").selectAll("users")
        .select(["api_tokens.id as token_id", "api_tokens.expires_at as token_expires_at", "api_tokens.revoked_at as token_revoked_at", "api_tokens.rate_per_sec as token_rate_per_sec", "api_tokens.daily_quota as token_daily_quota"])
        .where("api_tokens.secret_hash", "=", secretHash).where("users.disabled", "=", false)
        .executeTakeFirst(),
    touch: (id: string) => db.updateTable("api_tokens").set({ last_used_at: new Date() }).where("id", "=", id).execute(),
    listForUser: (userId: string) => db.selectFrom("api_tokens").selectAll().where("user_id", "=", userId).orderBy("created_at", "desc").execute(),
    byId: (id: string) => db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst(),
    revoke: (id: string) => db.updateTable("api_tokens").set({ revoked_at: new Date() }).where("id", "=", id).execute(),
    setLimits: (id: string, l: { rate_per_sec: number | null; daily_quota: number | null }) => db.updateTable("api_tokens").set(l).where("id", "=", id).execute(),
    /** Calls of a token on a day (YYYY-MM-DD, Asia/Shanghai). */
    callsOn: async (id: string, day: string) =>
      Number((await db.selectFrom("api_token_usage").select("calls").where("token_id", "=", id).where("day", "=", day).executeTakeFirst())?.calls ?? 0),
    /** Add counted calls (one statement for many tokens). */
    addCalls: async (rows: { token_id: string; day: string; calls: number }[]) => {
      if (!rows.length) return;
      await db.insertInto("api_token_usage").values(rows)
        .onConflict((oc) => oc.columns(["token_id", "day"]).doUpdateSet((eb) => ({ calls: eb("api_token_usage.calls", "+", eb.ref("excluded.calls")) })))
        .execute();
    },
    usage: (id: string, since: string) =>
      db.selectFrom("api_token_usage").select([sql<string>`day::text`.as("day"), "calls"]).where("token_id", "=", id).where("day", ">=", since).orderBy("day", "desc").execute(),
    usedOn: (ids: string[], day: string) =>
      ids.length ? db.selectFrom("api_token_usage").select(["token_id", "calls"]).where("token_id", "in", ids).where("day", "=", day).execute() : Promise.resolve([]),
  };
}
