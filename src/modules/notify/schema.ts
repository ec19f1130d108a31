import { z } from "zod";
import { Role } from "../policy/index.ts";

/** The inbox: notifications to one user, to an organisation (optionally one role in it), or to a role. */
export const NotificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const ListNotificationsQuery = z
  .object({ unread: z.enum(["true", "false"]).default("false"), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export const ListNotificationsResponse = z.object({ items: z.array(NotificationView), unread: z.number().int() });

/** Who receives it: a user; or an organisation's users (all, or those with `role`); or every user with `role`. */
export interface NotifyTarget {
  userId?: string;
  orgId?: string;
  role?: Role;
}
export interface NotifyInput extends NotifyTarget {
  kind: string;
  title: string;
  body: string;
  link?: string;
}
