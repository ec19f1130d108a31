import { useMemo, useState } from "react";
import { Alert, App, Button, Card, Empty, Form, Input, Popconfirm, Progress, Select, Space, Table, Tag, Typography } from "antd";
import { DeleteOutlined, KeyOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { api, ApiError, type OpenApplicationView, type TokenView } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { EChart, type ChartOption } from "../../components/EChart.tsx";
import { ErrorAlert, PageTitle } from "../../components/tags.tsx";
import { CodeBlock, PortalNav, origin } from "./parts.tsx";

const EXPIRY = [0, 30, 90, 365] as const;
const APP_COLORS: Record<OpenApplicationView["status"], string> = { submitted: "gold", approved: "success", refused: "error", revoked: "default" };

type KeyState = "active" | "revoked" | "expired";
const stateOf = (k: TokenView): KeyState => (k.revokedAt ? "revoked" : k.expiresAt && new Date(k.expiresAt) <= new Date() ? "expired" : "active");

/**
 * /open/keys — a signed-in user's API keys: create one (the secret is shown once), see each key's
 * rate limit, daily quota and today's calls, its calls of the last 30 days, revoke it; and the
 * user's applications for 有条件开放 data.
 */
export default function KeysPage() {
  const { t, lang, msg } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const keys = useAsync(() => api.tokens.list(), []);
  const apps = useAsync(() => api.open.applications({ limit: 100 }), []);
  const [form] = Form.useForm<{ name: string; expiresInDays: number }>();
  const [created, setCreated] = useState<TokenView>();
  const [busy, setBusy] = useState<string>();

  const create = async (v: { name: string; expiresInDays: number }) => {
    setBusy("create");
    try {
      const { token } = await api.tokens.create({ name: v.name.trim(), ...(v.expiresInDays ? { expiresInDays: v.expiresInDays } : {}) });
      setCreated(token);
      form.resetFields();
      keys.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  const revoke = async (k: TokenView) => {
    setBusy(k.id);
    try {
      await api.tokens.revoke(k.id);
      message.success(t("portal.keys.revoked"));
      if (created?.id === k.id) setCreated(undefined);
      keys.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  const items = keys.data?.items ?? [];
  const num = (n: number) => n.toLocaleString(lang);
  const example = `curl -G "${origin()}/api/3/action/datastore_search" \\\n  -H "Authorization: ${created?.secret ?? "$GONGSHU_API_KEY"}" \\\n  -d resource_id=<resource_id> -d limit=5`;

  return (
    <div>
      <PortalNav />
      <PageTitle
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => { keys.reload(); apps.reload(); }} data-testid="keys-reload">
            {t("portal.keys.refresh")}
          </Button>
        }
      >
        {t("portal.keys.title")}
      </PageTitle>
      <Typography.Paragraph type="secondary">
        {t("portal.keys.intro", { name: user?.displayName || user?.username || "", org: user?.org?.name ?? "" })}
      </Typography.Paragraph>

      {created?.secret && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setCreated(undefined) }}
          style={{ marginBottom: 16 }}
          title={t("portal.keys.createdTitle", { name: created.name })}
          data-testid="key-created"
          description={
            <div>
              <div style={{ marginBottom: 8 }}>{t("portal.keys.createdOnce")}</div>
              <Typography.Text
                code
                copyable={{ text: created.secret, tooltips: [t("portal.copy"), t("portal.copied")] }}
                style={{ fontSize: 15 }}
                data-testid="key-secret"
              >
                {created.secret}
              </Typography.Text>
              <div style={{ marginTop: 12 }}>
                <CodeBlock code={example} label={t("portal.keys.example")} />
              </div>
            </div>
          }
        />
      )}

      <Card title={<><KeyOutlined /> {t("portal.keys.create")}</>} size="small" style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={create} initialValues={{ expiresInDays: 0 }} data-testid="key-form" style={{ rowGap: 8 }}>
          <Form.Item name="name" label={t("portal.keys.name")} rules={[{ required: true, whitespace: true, message: t("portal.keys.nameRequired") }]}>
            <Input maxLength={100} placeholder={t("portal.keys.namePlaceholder")} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t("portal.keys.expiry")}>
            <Select
              style={{ width: 150 }}
              aria-label={t("portal.keys.expiry")}
              options={EXPIRY.map((d) => ({ value: d, label: d ? t("portal.keys.days", { n: d }) : t("portal.keys.never") }))}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy === "create"} data-testid="key-create">
              {t("portal.keys.createButton")}
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ margin: "12px 0 0", fontSize: 13 }}>
          {t("portal.keys.limitsHelp")} <Link to="/open/api">{t("portal.apiDocs")} →</Link>
        </Typography.Paragraph>
      </Card>

      <Card title={t("portal.keys.list")} size="small" style={{ marginBottom: 16 }}>
        {keys.error && <ErrorAlert error={keys.error} onRetry={keys.reload} />}
        <Table<TokenView>
          size="small"
          rowKey="id"
          loading={keys.loading}
          dataSource={items}
          pagination={false}
          data-testid="keys"
          scroll={{ x: "max-content" }}
          locale={{ emptyText: <Empty description={t("portal.keys.none")} /> }}
          expandable={{ expandedRowRender: (k) => <UsagePanel id={k.id} />, rowExpandable: () => true }}
          columns={[
            { title: t("portal.keys.name"), dataIndex: "name", render: (v: string) => <strong>{v}</strong> },
            { title: t("portal.keys.prefix"), dataIndex: "prefix", render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
            {
              title: t("portal.keys.state"),
              key: "state",
              render: (_: unknown, k) => {
                const s = stateOf(k);
                return <Tag color={s === "active" ? "success" : s === "revoked" ? "error" : "default"}>{t(`portal.keys.state.${s}` as MessageKey)}</Tag>;
              },
            },
            { title: t("portal.keys.rate"), dataIndex: "ratePerSec", render: (v: number | null) => (v == null ? t("portal.keys.unlimited") : t("portal.keys.perSec", { n: num(v) })) },
            { title: t("portal.keys.quota"), dataIndex: "dailyQuota", render: (v: number | null) => (v == null ? t("portal.keys.unlimited") : t("portal.keys.perDay", { n: num(v) })) },
            {
              title: t("portal.keys.usedToday"),
              dataIndex: "usedToday",
              width: 190,
              render: (v: number, k) => (
                <div data-testid="key-used-today">
                  <span style={{ fontVariantNumeric: "tabular-nums" }}>{num(v)}</span>
                  {k.dailyQuota ? (
                    <Progress percent={Math.min(100, (v / k.dailyQuota) * 100)} showInfo={false} size="small" style={{ margin: 0 }} status={v >= k.dailyQuota ? "exception" : "normal"} />
                  ) : null}
                </div>
              ),
            },
            { title: t("portal.keys.lastUsed"), dataIndex: "lastUsedAt", render: (v: string | null) => formatTime(v, lang, true) },
            { title: t("portal.keys.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, lang, true) },
            { title: t("portal.keys.expiresAt"), dataIndex: "expiresAt", render: (v: string | null) => (v ? formatTime(v, lang) : t("portal.keys.never")) },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_: unknown, k) =>
                stateOf(k) === "active" ? (
                  <Popconfirm title={t("portal.keys.revokeConfirm")} okText={t("common.ok")} cancelText={t("common.cancel")} onConfirm={() => revoke(k)}>
                    <Button size="small" danger icon={<DeleteOutlined />} loading={busy === k.id}>
                      {t("portal.keys.revoke")}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>

      <Card title={t("portal.apps.title")} size="small">
        {apps.error && <ErrorAlert error={apps.error} onRetry={apps.reload} />}
        <Table<OpenApplicationView>
          size="small"
          rowKey="id"
          loading={apps.loading}
          dataSource={apps.data?.items ?? []}
          pagination={false}
          data-testid="open-applications"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("portal.apps.none")} /> }}
          columns={[
            { title: t("portal.apps.dataset"), key: "entry", render: (_: unknown, a) => <Link to={`/open/datasets/${a.entry.id}`}>{a.entry.name}</Link> },
            { title: t("portal.apply.purpose"), dataIndex: "purpose", ellipsis: true },
            { title: t("version.status"), dataIndex: "status", render: (s: OpenApplicationView["status"]) => <Tag color={APP_COLORS[s]}>{t(`portal.apps.status.${s}` as MessageKey)}</Tag> },
            { title: t("portal.apps.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, lang, true) },
            { title: t("portal.apps.expiresAt"), dataIndex: "expiresAt", render: (v: string | null) => formatTime(v, lang) },
            { title: t("portal.apps.reason"), dataIndex: "reason", render: (v: string | null) => v || "—" },
          ]}
        />
      </Card>
    </div>
  );
}

/** A key's calls per day over the last 30 days (Asia/Shanghai days), with its limits. */
function UsagePanel({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const usage = useAsync(() => api.tokens.usage(id), [id]);
  const option = useMemo<ChartOption | null>(() => {
    const u = usage.data?.usage;
    if (!u) return null;
    const byDay = new Map(u.days.map((d) => [d.day, d.calls]));
    const days: string[] = [];
    // The last 30 Shanghai days, oldest first (UTC+8, no daylight saving).
    for (let i = 29; i >= 0; i--) days.push(new Date(Date.now() + 8 * 3600_000 - i * 86400_000).toISOString().slice(0, 10));
    return {
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: days.map((d) => d.slice(5)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: t("portal.keys.calls"), data: days.map((d) => byDay.get(d) ?? 0), itemStyle: { color: "#0e7490" } }],
    };
  }, [usage.data, t]);
  if (usage.error) return <ErrorAlert error={usage.error} onRetry={usage.reload} />;
  const u = usage.data?.usage;
  return (
    <div data-testid={`usage-${id}`} style={{ padding: "4px 8px" }}>
      <Space size="large" wrap style={{ marginBottom: 8 }}>
        <span>
          {t("portal.keys.usedToday")}
          {t("common.colon")}
          <strong data-testid="usage-today">{u ? u.usedToday.toLocaleString(lang) : "…"}</strong>
        </span>
        <span>
          {t("portal.keys.last30")}
          {t("common.colon")}
          <strong>{u ? u.days.reduce((s, d) => s + d.calls, 0).toLocaleString(lang) : "…"}</strong>
        </span>
      </Space>
      {option && <EChart option={option} height={180} ariaLabel={t("portal.keys.last30")} testId="usage-chart" />}
    </div>
  );
}
