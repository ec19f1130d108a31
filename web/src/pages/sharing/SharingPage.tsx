import { useState } from "react";
import { App, Badge, Button, Card, Form, Input, Modal, Segmented, Select, Space, Switch, Table, Tabs, Tag, Typography } from "antd";
import { LinkOutlined, PlusOutlined } from "@ant-design/icons";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, ApiError, type ShareApplicationStatus, type ShareApplicationView, type ShareDemandView, type ShareGrantView, type ShareResponsibilityRow } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert, PageTitle, ShareTag } from "../../components/tags.tsx";
import { ApplicationStatusTag, DemandStatusTag, DueCell, GrantStatusTag, showServerError } from "./parts.tsx";

export const SHARING_TABS = ["applications", "review", "grants", "demands", "responsibility"] as const;
export type SharingTab = (typeof SHARING_TABS)[number];
const STATUSES: ShareApplicationStatus[] = ["pending", "granted", "refused", "withdrawn"];

/** 数据共享: 我的申请, 待我审核, 授权, 需求清单, 责任清单 — one tab each, at /sharing/:tab. */
export default function SharingPage() {
  const { tab: asked } = useParams();
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  const canApply = hasRole("dept_user", "data_officer");
  const reviews = hasRole("data_officer", "platform_admin");
  const tabs = SHARING_TABS.filter((k) => (k === "applications" ? canApply : k === "review" ? reviews : true));
  const tab: SharingTab = asked && (tabs as readonly string[]).includes(asked) ? (asked as SharingTab) : tabs[0];
  const pendingForMe = useAsync(() => (reviews ? api.sharing.applications({ role: hasRole("platform_admin") && !hasRole("data_officer") ? undefined : "provider", status: "pending" }) : Promise.resolve({ items: [] })), [reviews]);
  const toReview = (pendingForMe.data?.items ?? []).filter((a) => (hasRole("data_officer") ? true : !!a.escalatedAt)).length;

  return (
    <div>
      <PageTitle
        extra={
          canApply && (
            <Link to="/catalog">
              <Button type="primary" icon={<PlusOutlined />}>
                {t("sharing.newApplication")}
              </Button>
            </Link>
          )
        }
      >
        {t("sharing.title")}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t("sharing.desc")}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => navigate(`/sharing/${k}`)}
          destroyOnHidden
          items={tabs.map((k) => ({
            key: k,
            label:
              k === "review" && toReview ? (
                <Space size={6}>
                  {t("sharing.tab.review")}
                  <Badge count={toReview} size="small" />
                </Space>
              ) : (
                t(`sharing.tab.${k}` as MessageKey)
              ),
            children:
              k === "applications" ? (
                <ApplicationsTab role="applicant" />
              ) : k === "review" ? (
                <ApplicationsTab role="provider" />
              ) : k === "grants" ? (
                <GrantsTab />
              ) : k === "demands" ? (
                <DemandsTab />
              ) : (
                <ResponsibilityTab />
              ),
          }))}
        />
      </Card>
    </div>
  );
}

/** 我的申请 (the applicant's department) or 待我审核 (the provider's; for the data administration, the escalated ones). */
function ApplicationsTab({ role }: { role: "applicant" | "provider" }) {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const adminOnly = role === "provider" && hasRole("platform_admin") && !hasRole("data_officer");
  const [status, setStatus] = useState<ShareApplicationStatus | undefined>(role === "provider" ? "pending" : undefined);
  const res = useAsync(() => api.sharing.applications({ role: adminOnly ? undefined : role, status }), [role, status, adminOnly]);
  const items = (res.data?.items ?? []).filter((a) => !adminOnly || !!a.escalatedAt);
  return (
    <div>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("field.status")}
          aria-label={t("field.status")}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`sharing.status.${s}` as MessageKey) }))}
        />
        {adminOnly && <Typography.Text type="secondary">{t("sharing.review.adminHelp")}</Typography.Text>}
      </Space>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<ShareApplicationView>
        size="middle"
        rowKey="id"
        loading={res.loading}
        dataSource={items}
        data-testid={role === "applicant" ? "my-applications" : "review-applications"}
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
        columns={[
          {
            title: t("sharing.entry"),
            render: (_: unknown, a) => (
              <div>
                <Link to={`/sharing/applications/${a.id}`}>{a.entryName}</Link>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.entryCode}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { title: t("field.shareType"), dataIndex: "shareType", width: 120, render: (s: string) => <ShareTag value={s} /> },
          role === "applicant"
            ? { title: t("sharing.provider"), dataIndex: "providerName", render: (s: string | null) => s ?? "—" }
            : { title: t("sharing.applicant"), dataIndex: "applicantName", render: (s: string | null) => s ?? "—" },
          { title: t("sharing.items"), dataIndex: "items", render: (xs: string[]) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{xs.join(t("common.listSep"))}</Typography.Text> },
          { title: t("sharing.purpose"), dataIndex: "purpose", render: (s: string) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{s}</Typography.Text> },
          { title: t("field.status"), dataIndex: "status", width: 100, render: (s: ShareApplicationStatus) => <ApplicationStatusTag status={s} /> },
          { title: t("sharing.due"), width: 230, render: (_: unknown, a) => <DueCell app={a} /> },
          { title: t("sharing.appliedAt"), dataIndex: "createdAt", width: 160, render: (s: string) => formatTime(s, lang, true) },
          {
            title: t("common.actions"),
            width: 90,
            render: (_: unknown, a) => (
              <Link to={`/sharing/applications/${a.id}`}>{role === "provider" && a.status === "pending" ? t("sharing.review.open") : t("common.view")}</Link>
            ),
          },
        ]}
      />
    </div>
  );
}

/** 授权: the grants my department holds (grantee) or gave (provider). */
function GrantsTab() {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const [role, setRole] = useState<"grantee" | "provider">(hasRole("dept_user") || !hasRole("data_officer") ? "grantee" : "provider");
  const res = useAsync(() => api.sharing.grants({ role }), [role]);
  // The grant view names the entry by id only: the applications (both sides) give its name and the departments.
  const apps = useAsync(() => api.sharing.applications().catch(() => ({ items: [] as ShareApplicationView[] })), []);
  const appOf = new Map((apps.data?.items ?? []).map((a) => [a.id, a]));
  return (
    <div>
      <Segmented
        style={{ marginBottom: 12 }}
        value={role}
        onChange={(v) => setRole(v as "grantee" | "provider")}
        options={[
          { value: "grantee", label: t("sharing.grants.grantee") },
          { value: "provider", label: t("sharing.grants.provider") },
        ]}
      />
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<ShareGrantView>
        size="middle"
        rowKey="id"
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        data-testid="grants"
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
        columns={[
          {
            title: t("sharing.entry"),
            render: (_: unknown, g) => <Link to={`/sharing/grants/${g.id}`}>{appOf.get(g.applicationId)?.entryName ?? g.entryId}</Link>,
          },
          {
            title: role === "grantee" ? t("sharing.provider") : t("sharing.grantee"),
            render: (_: unknown, g) => (role === "grantee" ? appOf.get(g.applicationId)?.providerName : appOf.get(g.applicationId)?.applicantName) ?? "—",
          },
          { title: t("sharing.items"), dataIndex: "items", render: (xs: string[]) => <Typography.Text ellipsis style={{ maxWidth: 240 }}>{xs.join(t("common.listSep"))}</Typography.Text> },
          { title: t("sharing.period"), width: 220, render: (_: unknown, g) => `${formatTime(g.validFrom, lang)} – ${formatTime(g.validTo, lang)}` },
          { title: t("sharing.ratePerMinute"), dataIndex: "ratePerMinute", width: 110 },
          { title: t("field.status"), dataIndex: "status", width: 100, render: (s: ShareGrantView["status"]) => <GrantStatusTag status={s} /> },
          { title: t("common.actions"), width: 80, render: (_: unknown, g) => <Link to={`/sharing/grants/${g.id}`}>{t("common.view")}</Link> },
        ]}
      />
    </div>
  );
}

/** 需求清单: departments post what they need; the data administration matches each to a catalog entry. */
function DemandsTab() {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const { hasRole } = useAuth();
  const isAdmin = hasRole("platform_admin");
  const canCreate = hasRole("dept_user", "data_officer", "platform_admin");
  const [mine, setMine] = useState(false);
  const [status, setStatus] = useState<ShareDemandView["status"]>();
  const res = useAsync(() => api.sharing.demands({ mine, status }), [mine, status]);
  const [creating, setCreating] = useState(false);
  const [matching, setMatching] = useState<ShareDemandView>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ title: string; description: string; duty: string }>();
  const [matchForm] = Form.useForm<{ entryId: string; note?: string }>();
  const [entryQ, setEntryQ] = useState("");
  const entries = useAsync(
    () => (matching ? api.catalog.search({ q: entryQ || undefined, status: "published", pageSize: 20, facets: false }) : Promise.resolve(null)),
    [matching?.id, entryQ],
  );

  const create = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    try {
      await api.sharing.createDemand({ title: v.title.trim(), description: v.description.trim(), duty: v.duty.trim() });
      message.success(t("sharing.demand.created"));
      setCreating(false);
      form.resetFields();
      res.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        showServerError(form, e, msg(e.text), (p) => (["title", "description", "duty"].includes(String(p[0])) ? [p[0]] : null));
        message.error(msg(e.text));
      } else message.error(String(e));
    } finally {
      setBusy(false);
    }
  };
  const match = async () => {
    const v = await matchForm.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy(true);
    try {
      await api.sharing.matchDemand(matching!.id, { entryId: v.entryId, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
      message.success(t("sharing.demand.matched"));
      setMatching(undefined);
      matchForm.resetFields();
      res.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        showServerError(matchForm, e, msg(e.text), (p) => (["entryId", "note"].includes(String(p[0])) ? [p[0]] : null));
        message.error(msg(e.text));
      } else message.error(String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Space style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }} wrap>
        <Space wrap>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t("field.status")}
            aria-label={t("field.status")}
            value={status}
            onChange={setStatus}
            options={(["open", "matched", "closed"] as const).map((s) => ({ value: s, label: t(`sharing.demandStatus.${s}` as MessageKey) }))}
          />
          <Space size={6}>
            <Switch size="small" checked={mine} onChange={setMine} aria-label={t("sharing.demand.mine")} />
            <span>{t("sharing.demand.mine")}</span>
          </Space>
        </Space>
        {canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-demand">
            {t("sharing.demand.new")}
          </Button>
        )}
      </Space>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<ShareDemandView>
        size="middle"
        rowKey="id"
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        data-testid="demands"
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
        columns={[
          {
            title: t("sharing.demand.title"),
            dataIndex: "title",
            render: (s: string, d) => (
              <div>
                <Typography.Text strong>{s}</Typography.Text>
                <div style={{ color: "#666", fontSize: 12, maxWidth: 360, whiteSpace: "pre-wrap" }}>{d.description}</div>
              </div>
            ),
          },
          { title: t("sharing.demand.org"), dataIndex: "orgName", render: (s: string | null) => s ?? "—" },
          { title: t("sharing.demand.duty"), dataIndex: "duty", render: (s: string) => <Typography.Text ellipsis style={{ maxWidth: 220 }}>{s}</Typography.Text> },
          { title: t("field.status"), dataIndex: "status", width: 90, render: (s: string) => <DemandStatusTag status={s} /> },
          {
            title: t("sharing.demand.matchedEntry"),
            render: (_: unknown, d) =>
              d.entryId ? (
                <div>
                  <Link to={`/catalog/${d.entryId}`}>
                    <LinkOutlined /> {d.providerName ?? d.entryId}
                  </Link>
                  {d.note && <div style={{ color: "#666", fontSize: 12 }}>{d.note}</div>}
                </div>
              ) : (
                "—"
              ),
          },
          { title: t("sharing.demand.createdAt"), dataIndex: "createdAt", width: 160, render: (s: string) => formatTime(s, lang, true) },
          ...(isAdmin
            ? [
                {
                  title: t("common.actions"),
                  width: 110,
                  render: (_: unknown, d: ShareDemandView) =>
                    d.status === "open" ? (
                      <Button size="small" onClick={() => setMatching(d)} data-testid="match-demand">
                        {t("sharing.demand.match")}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={creating}
        title={t("sharing.demand.new")}
        onCancel={() => setCreating(false)}
        onOk={create}
        okText={t("sharing.demand.submit")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="title" label={t("sharing.demand.title")} rules={[{ required: true, whitespace: true, message: t("sharing.demand.titleRequired") }]}>
            <Input maxLength={200} placeholder={t("sharing.demand.titlePlaceholder")} />
          </Form.Item>
          <Form.Item name="description" label={t("sharing.demand.description")} rules={[{ required: true, whitespace: true, message: t("sharing.demand.descriptionRequired") }]}>
            <Input.TextArea rows={3} maxLength={4000} showCount />
          </Form.Item>
          <Form.Item name="duty" label={t("sharing.demand.duty")} extra={t("sharing.demand.dutyHelp")} rules={[{ required: true, whitespace: true, message: t("sharing.demand.dutyRequired") }]}>
            <Input.TextArea rows={2} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!matching}
        title={t("sharing.demand.matchTitle", { title: matching?.title ?? "" })}
        onCancel={() => setMatching(undefined)}
        onOk={match}
        okText={t("sharing.demand.match")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy }}
        destroyOnHidden
      >
        <Form form={matchForm} layout="vertical">
          <Form.Item name="entryId" label={t("sharing.demand.entry")} rules={[{ required: true, message: t("sharing.demand.entryRequired") }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setEntryQ }}
              placeholder={t("sharing.demand.entryPlaceholder")}
              loading={entries.loading}
              options={(entries.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.name} · ${e.provider?.name ?? ""}` }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t("sharing.demand.note")}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** 责任清单: per providing department, the matched demands it must supply and the applications it must answer. */
function ResponsibilityTab() {
  const { t } = useI18n();
  const res = useAsync(() => api.sharing.responsibility(), []);
  return (
    <div>
      <Typography.Paragraph type="secondary">{t("sharing.responsibility.desc")}</Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<ShareResponsibilityRow>
        size="middle"
        rowKey="providerOrgId"
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        data-testid="responsibility"
        pagination={false}
        columns={[
          { title: t("sharing.provider"), dataIndex: "providerName", render: (s: string | null, r) => s ?? r.providerOrgId },
          { title: t("sharing.responsibility.matchedDemands"), dataIndex: "matchedDemands", align: "right" },
          { title: t("sharing.responsibility.pending"), dataIndex: "pendingApplications", align: "right" },
          {
            title: t("sharing.responsibility.overdue"),
            dataIndex: "overdueApplications",
            align: "right",
            render: (n: number) => (n ? <Tag color="error">{n}</Tag> : n),
          },
          { title: t("sharing.responsibility.activeGrants"), dataIndex: "activeGrants", align: "right" },
        ]}
      />
    </div>
  );
}
