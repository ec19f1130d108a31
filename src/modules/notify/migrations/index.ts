import { sql, type Kysely } from "kysely";
import type { ModuleMigrations } from "../../../core/migrate.ts";

export const notifyMigrations: ModuleMigrations = {
  "20261125_0100_notify_init": {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("notifications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text")
        .addColumn("org_id", "text")
        .addColumn("role", "text")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("link", "text")
        .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
        .addCheckConstraint("notifications_target_ck", sql`user_id is not null or org_id is not null or role is not null`)
        .execute();
      await sql`create index notifications_user_idx on notifications (user_id, created_at desc) where user_id is not null`.execute(db);
      await sql`create index notifications_org_idx on notifications (org_id, created_at desc) where org_id is not null`.execute(db);
      await sql`create index notifications_role_idx on notifications (role, created_at desc) where user_id is null and org_id is null`.execute(db);
      await db.schema
        .createTable("notification_reads")
        .addColumn("notification_id", "text", (c) => c.notNull().references("notifications.id").onDelete("cascade"))
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("read_at", "timestamptz", (c) => c.notNull())
        .addPrimaryKeyConstraint("notification_reads_pk", ["notification_id", "user_id"])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("notification_reads").execute();
      await db.schema.dropTable("notifications").execute();
    },
  },
};
