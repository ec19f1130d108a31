import type { Db, Tx } from "../../core/db.ts";
import { InvalidError, NotFoundError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import type { Actor } from "../policy/index.ts";
import type { NotificationView, NotifyInput } from "./schema.ts";
import { inboxQuery, notifyDb, type Recipient } from "./store.ts";

const MAX = { title: 200, body: 2000, link: 500 };
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function recipient(actor: Actor): Recipient {
  if (actor.kind !== "user") throw new UnauthenticatedError();
  return { userId: actor.userId, orgId: actor.orgId, roles: actor.roles };
}

export interface NotifyService {
  /** Insert a notification inside the caller's transaction (or on the database handle). */
  notify(tx: Tx | Db, n: NotifyInput): Promise<{ id: string }>;
  list(actor: Actor, q: { unread?: boolean; limit?: number }): Promise<{ items: NotificationView[]; unread: number }>;
  markRead(actor: Actor, id: string): Promise<void>;
  markAllRead(actor: Actor): Promise<{ marked: number }>;
}

export function createNotifyService(deps: { db: Db; now?: () => Date }): NotifyService {
  const db = notifyDb(deps.db);
  const now = deps.now ?? (() => new Date());
  return {
    async notify(tx, n) {
      if (!n.userId && !n.orgId && !n.role) throw new InvalidError({ field: "userId", message: "通知须指定接收用户、单位或角色", messageEn: "A notification needs a user, an organisation or a role" });
      const id = newId("ntf");
      await notifyDb(tx as Db)
        .insertInto("notifications")
        .values({ id, user_id: n.userId ?? null, org_id: n.userId ? null : (n.orgId ?? null), role: n.userId ? null : (n.role ?? null), kind: n.kind, title: cut(n.title, MAX.title), body: cut(n.body, MAX.body), link: n.link ? cut(n.link, MAX.link) : null, created_at: now() })
        .execute();
      return { id };
    },
    async list(actor, q) {
      const r = recipient(actor);
      let sel = inboxQuery(db, r).select(["n.id", "n.kind", "n.title", "n.body", "n.link", "n.created_at", "r.read_at"]);
      if (q.unread) sel = sel.where("r.read_at", "is", null);
      const rows = await sel.orderBy("n.created_at", "desc").orderBy("n.id", "desc").limit(q.limit ?? 50).execute();
      const unread = await inboxQuery(db, r).where("r.read_at", "is", null).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return {
        items: rows.map((x) => ({ id: x.id, kind: x.kind, title: x.title, body: x.body, link: x.link, read: x.read_at !== null, createdAt: new Date(x.created_at).toISOString() })),
        unread: Number(unread.n),
      };
    },
    async markRead(actor, id) {
      const r = recipient(actor);
      const found = await inboxQuery(db, r).where("n.id", "=", id).select(["n.id", "r.read_at"]).executeTakeFirst();
      if (!found) throw new NotFoundError({ message: "通知不存在", messageEn: "Notification not found", field: "id" });
      if (found.read_at) return;
      await db.insertInto("notification_reads").values({ notification_id: id, user_id: r.userId, read_at: now() }).onConflict((oc) => oc.doNothing()).execute();
    },
    async markAllRead(actor) {
      const r = recipient(actor);
      const unread = await inboxQuery(db, r).where("r.read_at", "is", null).select("n.id").execute();
      if (unread.length)
        await db.insertInto("notification_reads").values(unread.map((u) => ({ notification_id: u.id, user_id: r.userId, read_at: now() }))).onConflict((oc) => oc.doNothing()).execute();
      return { marked: unread.length };
    },
  };
}
