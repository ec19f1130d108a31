import { Card, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import { Link, useSearchParams } from "react-router-dom";
import { api, type ObjectionScope, type ObjectionStatus, type ObjectionView } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";
import { ObjectionStatusTag, recordKeyText } from "../components/objection.tsx";

const STATUSES: ObjectionStatus[] = ["submitted", "verifying", "replied", "escalated", "closed"];

/** 数据异议: 我的异议 (raised by me), 待办异议 (my department's, for its data officers), 全部 (admins, regulators). */
export default function ObjectionsPage() {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const [sp, setSp] = useSearchParams();
  const scopes: ObjectionScope[] = ["mine", ...(hasRole("data_officer") ? (["department"] as const) : []), ...(hasRole("platform_admin", "regulator") ? (["all"] as const) : [])];
  const asked = sp.get("scope") as ObjectionScope | null;
  const scope: ObjectionScope = asked && scopes.includes(asked) ? asked : hasRole("data_officer") ? "department" : "mine";
  const status = (STATUSES as string[]).includes(sp.get("status") ?? "") ? (sp.get("status") as ObjectionStatus) : undefined;
  const res = useAsync(() => api.objections.list({ scope, status, limit: 200 }), [scope, status]);

  return (
    <div>
      <PageTitle>{t("objection.title")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("objection.desc")}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          activeKey={scope}
          onChange={(k) => setSp({ scope: k })}
          items={scopes.map((s) => ({ key: s, label: t(`objection.scope.${s}` as MessageKey) }))}
          tabBarExtraContent={
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t("field.status")}
              value={status}
              onChange={(v) => setSp(v ? { scope, status: v } : { scope })}
              options={STATUSES.map((s) => ({ value: s, label: t(`objection.status.${s}` as MessageKey) }))}
              aria-label={t("field.status")}
            />
          }
        />
        {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
        <Table<ObjectionView>
          size="middle"
          rowKey="id"
          loading={res.loading}
          dataSource={res.data?.items ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
          data-testid="objections"
          columns={[
            { title: t("objection.dataset"), render: (_: unknown, o) => <Link to={`/objections/${o.id}`}>{o.dataset.name}</Link> },
            { title: t("objection.recordKey"), render: (_: unknown, o) => <Typography.Text code>{recordKeyText(o.recordKey)}</Typography.Text> },
            { title: t("objection.column"), dataIndex: "column", width: 120, render: (c: string | null) => c ?? t("objection.wholeRecord") },
            { title: t("field.status"), dataIndex: "status", width: 130, render: (s: string) => <ObjectionStatusTag status={s} /> },
            {
              title: t("objection.due"),
              width: 170,
              render: (_: unknown, o) =>
                o.dueAt ? (
                  <Space size={4}>
                    {formatTime(o.dueAt, lang, true)}
                    {o.overdue && <Tag color="error">{t("objection.overdue")}</Tag>}
                  </Space>
                ) : (
                  "—"
                ),
            },
            { title: t("objection.raisedAt"), dataIndex: "createdAt", width: 160, render: (s: string) => formatTime(s, lang, true) },
          ]}
        />
      </Card>
    </div>
  );
}
