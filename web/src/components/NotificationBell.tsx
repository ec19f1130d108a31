import { useCallback, useEffect, useState } from "react";
import { Badge, Button, Empty, List, Popover, Space, Typography } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { useNavigate } from "react-router-dom";
import { api, type NotificationView } from "../api.ts";
import { formatTime, useI18n } from "../i18n.ts";

const POLL_MS = 30_000;

/** The header bell: unread count, the latest notifications, mark read (one or all). */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<NotificationView[]>([]);
  const [unread, setUnread] = useState(0);

  const load = useCallback(async () => {
    try {
      const r = await api.notifications.list({ limit: 20 });
      setItems(r.items);
      setUnread(r.unread);
    } catch {
      /* the bell stays quiet when the server does not answer */
    }
  }, []);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    const onFocus = () => void load();
    window.addEventListener("focus", onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener("focus", onFocus);
    };
  }, [load]);

  const openItem = async (n: NotificationView) => {
    if (!n.read) {
      await api.notifications.read(n.id).catch(() => undefined);
      void load();
    }
    if (n.link) {
      setOpen(false);
      navigate(n.link);
    }
  };

  const content = (
    <div style={{ width: 360, maxHeight: 420, overflow: "auto" }} data-testid="notifications">
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notify.empty")} /> }}
        renderItem={(n) => (
          <List.Item
            style={{ cursor: n.link ? "pointer" : "default", background: n.read ? undefined : "#f0f5ff", paddingInline: 8 }}
            onClick={() => void openItem(n)}
          >
            <List.Item.Meta
              title={
                <Space size={6}>
                  {!n.read && <Badge status="processing" />}
                  <span style={{ fontWeight: n.read ? 400 : 600 }}>{n.title}</span>
                </Space>
              }
              description={
                <>
                  <div style={{ color: "#555" }}>{n.body}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(n.createdAt, lang, true)}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) void load();
      }}
      trigger="click"
      placement="bottomRight"
      title={
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
          <span>{t("notify.title")}</span>
          <Button
            size="small"
            type="link"
            disabled={!unread}
            onClick={async () => {
              await api.notifications.readAll().catch(() => undefined);
              void load();
            }}
          >
            {t("notify.readAll")}
          </Button>
        </div>
      }
      content={content}
    >
      <Button type="text" style={{ color: "#fff" }} aria-label={t("notify.title")} data-testid="notify-bell">
        <Badge count={unread} size="small" offset={[4, -2]}>
          <BellOutlined style={{ color: "#fff", fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
