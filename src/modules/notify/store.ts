import { sql, type Kysely } from "kysely";
import type { Db } from "../../core/db.ts";

/** The notify module's tables. Only this module touches them. */
export interface NotifyTables {
  notifications: {
    id: string;
    user_id: string | null;
    org_id: string | null;
    role: string | null;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    created_at: Date;
  };
  notification_reads: { notification_id: string; user_id: string; read_at: Date };
}
export type NotifyDb = Kysely<NotifyTables>;
export const notifyDb = (db: Db) => db as unknown as NotifyDb;

export interface Recipient {
  userId: string;
  orgId: string;
  roles: string[];
}

/** The notifications a user receives (addressed to them, their organisation or one of their roles). */
export function inboxQuery(db: NotifyDb, r: Recipient) {
  return db
    .selectFrom("notifications as n")
    .leftJoin("notification_reads as r", (j) => j.onRef("r.notification_id", "=", "n.id").on("r.user_id", "=", r.userId))
    .where((eb) =>
      eb.or([
        eb("n.user_id", "=", r.userId),
        eb.and([eb("n.user_id", "is", null), eb("n.org_id", "=", r.orgId), eb.or([eb("n.role", "is", null), eb("n.role", "in", r.roles.length ? r.roles : ["-"])])]),
        eb.and([eb("n.user_id", "is", null), eb("n.org_id", "is", null), eb("n.role", "in", r.roles.length ? r.roles : ["-"])]),
      ]),
    );
}

export const nowSql = sql`now()`;
