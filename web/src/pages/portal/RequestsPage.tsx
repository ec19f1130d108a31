import { useState } from "react";
import { Button, Card, Checkbox, Empty, Select, Space, Table, Tabs, Typography } from "antd";
import { BarChartOutlined, BugOutlined, PlusOutlined } from "@ant-design/icons";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, type OpenRequestView } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert, PageTitle } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";
import { DatasetPicker, DEMAND_OUTCOMES, DEMAND_STATUSES, handlerName, REPORT_OUTCOMES, RequestStatus, requestPath, SignInPrompt, useDepartments, type RequestKind } from "./feedback-parts.tsx";
import { DemandModal, RequestActions } from "./feedback-forms.tsx";

const PAGE_SIZE = 20;
const VIEWS = ["public", "mine", "queue"] as const;
type View = (typeof VIEWS)[number];

/**
 * /open/demands (数据需求) and /open/reports (错误报告): the public list with its answers, filtered by
 * status, outcome, department, overdue (and dataset, for reports), paged; "mine" for signed-in users;
 * the queue (?view=queue) for the data administration (every unanswered one: route or answer) and a
 * department's data officers (theirs: answer).
 */
export default function RequestsPage({ kind }: { kind: RequestKind }) {
  const { t, lang } = useI18n();
  const { user, hasRole } = useAuth();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const staff = hasRole("platform_admin", "data_officer");
  const viewParam = sp.get("view") as View | null;
  const view: View = viewParam && VIEWS.includes(viewParam) && (viewParam !== "queue" || staff) && (viewParam !== "mine" || !!user) ? viewParam : "public";
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const f = { status: sp.get("status") ?? undefined, outcome: sp.get("outcome") ?? undefined, org: sp.get("org") ?? undefined, overdue: sp.get("overdue") === "true" ? ("true" as const) : undefined, dataset: sp.get("dataset") ?? undefined };
  const key = sp.toString();
  const res = useAsync(() => {
    const q = { view, page, pageSize: PAGE_SIZE, status: f.status as never, outcome: f.outcome as never, org: f.org, overdue: f.overdue };
    return kind === "demand" ? api.open.demands(q) : api.open.reports({ ...q, dataset: f.dataset });
  }, [key, kind, view, user?.id]);
  const datasetName = useAsync(() => (f.dataset ? api.open.dataset(f.dataset).then((p) => p.dataset.title).catch(() => f.dataset!) : Promise.resolve(undefined)), [f.dataset]);
  const depts = useDepartments();
  const [filing, setFiling] = useState(false);

  const update = (patch: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (resetPage) next.delete("page");
    setSp(next);
  };

  const statuses = kind === "demand" ? DEMAND_STATUSES : (["submitted", "answered"] as const);
  const outcomes = kind === "demand" ? DEMAND_OUTCOMES : REPORT_OUTCOMES;
  const data = res.data;
  const tabs = [
    { key: "public", label: t("portal.fb.view.public") },
    ...(user ? [{ key: "mine", label: t(`portal.fb.view.mine.${kind}` as MessageKey) }] : []),
    ...(staff ? [{ key: "queue", label: <span data-testid="tab-queue">{t(hasRole("platform_admin") ? "portal.fb.view.queueAdmin" : "portal.fb.view.queue")}</span> }] : []),
  ];

  return (
    <div>
      <PortalNav />
      <PageTitle
        extra={
          <Space wrap>
            <Link to="/open/responsiveness">
              <Button icon={<BarChartOutlined />} tabIndex={-1}>
                {t("portal.nav.responsiveness")}
              </Button>
            </Link>
            {kind === "demand" && user && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling(true)} data-testid="demand-new">
                {t("portal.demand.new")}
              </Button>
            )}
          </Space>
        }
      >
        {t(kind === "demand" ? "portal.demand.pageTitle" : "portal.report.pageTitle")}
      </PageTitle>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t(kind === "demand" ? "portal.demand.intro" : "portal.report.intro")}
      </Typography.Paragraph>
      {kind === "demand" && !user && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <SignInPrompt text={t("portal.demand.signIn")} testId="demand-login" />
        </Card>
      )}
      {kind === "report" && (
        <Typography.Paragraph style={{ fontSize: 13 }}>
          <BugOutlined /> {t("portal.report.how")} <Link to="/open/datasets">{t("portal.allDatasets")} →</Link>
        </Typography.Paragraph>
      )}

      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs activeKey={view} onChange={(v) => update({ view: v === "public" ? undefined : v })} items={tabs} />
        <Space wrap style={{ marginBottom: 12 }} data-testid="request-filters">
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t("portal.fb.filter.status")}
            aria-label={t("portal.fb.filter.status")}
            value={f.status}
            onChange={(v) => update({ status: v })}
            options={statuses.filter((s) => view !== "queue" || s !== "answered").map((s) => ({ value: s, label: t(`portal.fb.status.${kind}.${s}` as MessageKey) }))}
          />
          {view !== "queue" && (
            <Select
              allowClear
              style={{ width: 150 }}
              placeholder={t("portal.fb.filter.outcome")}
              aria-label={t("portal.fb.filter.outcome")}
              value={f.outcome}
              onChange={(v) => update({ outcome: v })}
              options={outcomes.map((o) => ({ value: o, label: t(`portal.fb.outcome.${o}` as MessageKey) }))}
            />
          )}
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            style={{ width: 240 }}
            placeholder={t("portal.fb.filter.org")}
            aria-label={t("portal.fb.filter.org")}
            value={f.org}
            loading={depts.loading}
            onChange={(v) => update({ org: v })}
            options={depts.items.map((o) => ({ value: o.id, label: o.name }))}
          />
          {kind === "report" && (
            <DatasetPicker
              key={`${f.dataset ?? ""}:${datasetName.data ?? ""}`}
              value={f.dataset}
              onChange={(v) => update({ dataset: typeof v === "string" ? v : undefined })}
              style={{ width: 260 }}
              initial={f.dataset ? [{ value: f.dataset, label: datasetName.data ?? f.dataset }] : undefined}
              testId="report-dataset-filter"
            />
          )}
          <Checkbox checked={f.overdue === "true"} onChange={(e) => update({ overdue: e.target.checked ? "true" : undefined })}>
            {t("portal.fb.filter.overdue")}
          </Checkbox>
        </Space>
        {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
        <Table<OpenRequestView>
          size="middle"
          rowKey="id"
          loading={res.loading}
          dataSource={data?.items ?? []}
          data-testid={kind === "demand" ? "demands" : "reports"}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: <Empty description={t(view === "queue" ? "portal.fb.queueEmpty" : "portal.fb.empty")} /> }}
          pagination={
            data && data.total > PAGE_SIZE
              ? { current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: (p) => update({ page: p > 1 ? String(p) : undefined }, false) }
              : false
          }
          footer={data ? () => <Typography.Text type="secondary">{t("common.total", { n: data.total.toLocaleString(lang) })}</Typography.Text> : undefined}
          columns={[
            {
              title: t(kind === "demand" ? "portal.demand.title" : "portal.report.problem"),
              key: "title",
              render: (_: unknown, r) => (
                <div style={{ maxWidth: 420, minWidth: 240 }}>
                  <Link to={requestPath(r)} style={{ fontWeight: 600 }}>
                    {r.title}
                  </Link>
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ margin: 0, fontSize: 12 }}>
                    {r.description}
                  </Typography.Paragraph>
                </div>
              ),
            },
            { title: t("portal.fb.department"), key: "dept", render: (_: unknown, r) => handlerName(r, t) },
            { title: t("portal.fb.state"), key: "state", render: (_: unknown, r) => <RequestStatus r={r} /> },
            { title: t("portal.fb.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, lang) },
            { title: t("portal.fb.dueAt"), dataIndex: "dueAt", render: (v: string) => formatTime(v, lang) },
            { title: t("portal.fb.answeredAt"), key: "answeredAt", render: (_: unknown, r) => formatTime(r.answer?.answeredAt, lang) },
            ...(view === "queue"
              ? [{ title: t("common.actions"), key: "actions", render: (_: unknown, r: OpenRequestView) => <RequestActions r={r} size="small" onDone={() => res.reload()} /> }]
              : []),
          ]}
        />
      </Card>
      {filing && <DemandModal onClose={() => setFiling(false)} onDone={(d) => navigate(requestPath(d))} />}
    </div>
  );
}
