import { z } from "zod";
import type { App } from "../../core/http.ts";
import { ListNotificationsQuery, ListNotificationsResponse } from "./schema.ts";
import type { NotifyService } from "./service.ts";

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export function notifyRoutes(app: App, deps: { notify: NotifyService }) {
  const { notify } = deps;
  const tags = ["notify"];
  app.get("/api/notifications", { config: { policy: "notify.inbox" }, schema: { tags, summary: "我的通知", querystring: ListNotificationsQuery, response: { 200: ListNotificationsResponse } } }, async (req) => {
    return notify.list(req.actor, { unread: req.query.unread === "true", limit: req.query.limit });
  });
  app.post("/api/notifications/:id/read", { config: { policy: "notify.inbox" }, schema: { tags, summary: "标为已读", params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } }, async (req) => {
    await notify.markRead(req.actor, req.params.id);
    return { ok: true as const };
  });
  app.post("/api/notifications/read-all", { config: { policy: "notify.inbox" }, schema: { tags, summary: "全部标为已读", response: { 200: z.object({ marked: z.number().int() }) } } }, async (req) => {
    return notify.markAllRead(req.actor);
  });
}
