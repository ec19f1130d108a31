import { useState } from "react";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Result, Row, Select, Skeleton, Space, Statistic, Table, Tag, Typography } from "antd";
import { DownloadOutlined, FileTextOutlined, SearchOutlined, StopOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router-dom";
import { api, ApiError, type ShareGrantView, type ShareQueryInput, type ShareQueryResult } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";
import { FilterRowsEditor, GrantStatusTag, RowFilterText, showServerError, toFilters, type FilterRow } from "./parts.tsx";

const PAGE_SIZES = [20, 50, 100];

/** One grant: its scope, the query panel (for the grantee), usage per day, revocation (for the provider). */
export default function GrantPage() {
  const { id = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { user, hasRole } = useAuth();
  const { message } = App.useApp();
  const res = useAsync(() => api.sharing.grant(id), [id]);
  const app = useAsync(() => (res.data ? api.sharing.application(res.data.applicationId).catch(() => null) : Promise.resolve(null)), [res.data?.applicationId]);
  const [usageRev, setUsageRev] = useState(0);
  const usage = useAsync(() => api.sharing.usage(id), [id, usageRev]);
  const [revoking, setRevoking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [revokeForm] = Form.useForm<{ reason: string }>();

  if (res.loading && !res.data) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  if (res.error && !res.data) {
    if (res.error.status === 404) return <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to="/sharing/grants"><Button>{t("sharing.title")}</Button></Link>} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  const g = res.data!;
  const a = app.data;
  const orgId = user?.org?.id;
  const canRevoke = g.status !== "revoked" && (hasRole("platform_admin") || (hasRole("data_officer") && orgId === g.providerOrgId));
  const canQuery = hasRole("dept_user", "data_officer") && orgId === g.granteeOrgId;

  const revoke = async () => {
    const values = await revokeForm.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    const { reason } = values;
    setBusy(true);
    try {
      await api.sharing.revoke(g.id, reason.trim());
      message.success(t("sharing.revoked"));
      setRevoking(false);
      revokeForm.resetFields();
      res.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        showServerError(revokeForm, e, msg(e.text), (p) => (p[0] === "reason" ? ["reason"] : null));
        message.error(msg(e.text));
      } else message.error(String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div style={{ minWidth: 0 }}>
            <Space size={8} wrap style={{ marginBottom: 6 }}>
              <GrantStatusTag status={g.status} />
            </Space>
            <h1 style={{ margin: "4px 0", fontSize: 22 }} data-testid="grant-title">
              {t("sharing.grant.titleOf", { name: a?.entryName ?? g.entryId })}
            </h1>
            <Typography.Text type="secondary">
              {a ? `${a.providerName ?? g.providerOrgId} → ${a.applicantName ?? g.granteeOrgId} · ` : ""}
              {t("sharing.grant.createdAt")} {formatTime(g.createdAt, lang, true)}
            </Typography.Text>
          </div>
          <Space wrap style={{ alignSelf: "flex-start" }}>
            <Link to={`/sharing/applications/${g.applicationId}`}>
              <Button icon={<FileTextOutlined />}>{t("sharing.grant.application")}</Button>
            </Link>
            {canRevoke && (
              <Button danger icon={<StopOutlined />} onClick={() => setRevoking(true)} data-testid="revoke-grant">
                {t("sharing.grant.revoke")}
              </Button>
            )}
          </Space>
        </div>
      </Card>
      {g.status === "revoked" && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("sharing.grant.revokedAt", { at: formatTime(g.revokedAt, lang, true) })} description={g.revokedReason} />
      )}
      {g.status === "expired" && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t("sharing.grant.expired")} />}
      {g.status === "not_yet_valid" && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("sharing.grant.notYetValid")} />}

      <Card title={t("sharing.grant.scope")} style={{ marginBottom: 16 }}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={{ label: { width: 140, whiteSpace: "nowrap" } }} data-testid="grant-scope">
          <Descriptions.Item label={t("sharing.items")} span={2}>
            <Space size={[4, 4]} wrap>
              {g.items.map((i) => (
                <Tag key={i}>{i}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.rowFilter")} span={2}>
            <RowFilterText filters={g.rowFilter} />
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.period")}>
            {formatTime(g.validFrom, lang)} – {formatTime(g.validTo, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.ratePerMinute")}>
            {g.ratePerMinute} {t("sharing.unit.perMinute")}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.purpose")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{g.purpose}</span>
          </Descriptions.Item>
          {a && (
            <Descriptions.Item label={t("sharing.legalBasis")} span={2}>
              {a.legalBasis}
            </Descriptions.Item>
          )}
          {a?.conditions && (
            <Descriptions.Item label={t("sharing.conditions")} span={2}>
              {a.conditions}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t("field.status")}>
            <GrantStatusTag status={g.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.grant.masking")}>{t("sharing.grant.maskingHelp")}</Descriptions.Item>
        </Descriptions>
      </Card>

      {canQuery && <QueryPanel grant={g} onQueried={() => setUsageRev((x) => x + 1)} />}

      <Card title={t("sharing.usage.title")}>
        {usage.error && <ErrorAlert error={usage.error} onRetry={usage.reload} />}
        <Row gutter={16} style={{ marginBottom: 12 }}>
          <Col xs={12} md={6}>
            <Statistic title={t("sharing.usage.requests")} value={usage.data?.requests ?? 0} data-testid="usage-requests" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t("sharing.usage.rows")} value={usage.data?.rows ?? 0} data-testid="usage-rows" />
          </Col>
        </Row>
        <Table
          size="small"
          rowKey="day"
          loading={usage.loading}
          dataSource={usage.data?.days ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("sharing.usage.none")} /> }}
          data-testid="usage-days"
          columns={[
            { title: t("sharing.usage.day"), dataIndex: "day" },
            { title: t("sharing.usage.requests"), dataIndex: "requests", align: "right" },
            { title: t("sharing.usage.rows"), dataIndex: "rows", align: "right" },
          ]}
        />
      </Card>

      <Modal
        open={revoking}
        title={t("sharing.grant.revoke")}
        onCancel={() => setRevoking(false)}
        onOk={revoke}
        okText={t("sharing.grant.revoke")}
        cancelText={t("common.cancel")}
        okButtonProps={{ danger: true, loading: busy }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t("sharing.grant.revokeHelp")}</Typography.Paragraph>
        <Form form={revokeForm} layout="vertical">
          <Form.Item name="reason" label={t("sharing.grant.revokeReason")} rules={[{ required: true, whitespace: true, message: t("detail.reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

interface QueryValues {
  columns: string[];
  filters?: FilterRow[];
  q?: string;
}
type ResultRow = ShareQueryResult["rows"][number];

/** 数据查询: granted columns, filters (narrowing within the grant's own), pages; CSV of the current page. Every page is metered and recorded. */
function QueryPanel({ grant, onQueried }: { grant: ShareGrantView; onQueried(): void }) {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<QueryValues>();
  const [asked, setAsked] = useState<Omit<ShareQueryInput, "limit" | "offset">>();
  const [page, setPage] = useState({ current: 1, size: PAGE_SIZES[0] });
  const [result, setResult] = useState<ShareQueryResult>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState<"query" | "csv">();

  const bodyOf = (q: Omit<ShareQueryInput, "limit" | "offset">, p = page): ShareQueryInput => ({ ...q, limit: p.size, offset: (p.current - 1) * p.size });

  const fail = (e: unknown) => {
    if (!(e instanceof ApiError)) {
      message.error(String(e));
      return;
    }
    const text = msg(e.text);
    const onField = showServerError(form, e, text, (p) => (p[0] === "columns" ? ["columns"] : p[0] === "filters" && p.length >= 3 ? p : p[0] === "q" ? ["q"] : null));
    if (!onField) setError(e);
    message.error(text);
  };

  const run = async (q: Omit<ShareQueryInput, "limit" | "offset">, p: { current: number; size: number }) => {
    setBusy("query");
    setError(undefined);
    try {
      const r = await api.sharing.query(grant.id, bodyOf(q, p));
      setResult(r);
      setAsked(q);
      setPage(p);
      onQueried();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async () => {
    let v: QueryValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const chosen = new Set(v.columns);
    await run({ columns: grant.items.filter((c) => chosen.has(c)), filters: toFilters(v.filters), ...(v.q?.trim() ? { q: v.q.trim() } : {}) }, { current: 1, size: page.size });
  };

  const downloadCsv = async () => {
    if (!asked) return;
    setBusy("csv");
    try {
      const body = bodyOf(asked);
      const text = await api.sharing.queryCsv(grant.id, body);
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `${grant.id}-${body.offset ?? 0}.csv`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      onQueried();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(undefined);
    }
  };

  const active = grant.status === "active";
  return (
    <Card title={t("sharing.query.title")} style={{ marginBottom: 16 }} data-testid="query-panel">
      {!active && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("sharing.query.inactive")} />}
      <Typography.Paragraph type="secondary">{t("sharing.query.help")}</Typography.Paragraph>
      <Form<QueryValues> form={form} layout="vertical" initialValues={{ columns: grant.items, filters: [] }}>
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="columns" label={t("sharing.query.columns")} rules={[{ required: true, type: "array", min: 1, message: t("sharing.query.columnsRequired") }]}>
              <Select mode="multiple" aria-label={t("sharing.query.columns")} options={grant.items.map((c) => ({ value: c, label: c }))} data-testid="query-columns" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="q" label={t("sharing.query.q")}>
              <Input allowClear maxLength={200} placeholder={t("sharing.query.qPlaceholder")} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t("sharing.query.filters")} extra={t("sharing.query.filtersHelp")}>
          <FilterRowsEditor name="filters" columns={grant.items} max={50} testId="query-filters" />
        </Form.Item>
        <Space wrap>
          <Button type="primary" icon={<SearchOutlined />} loading={busy === "query"} onClick={submit} disabled={!active} data-testid="run-query">
            {t("sharing.query.run")}
          </Button>
          <Button icon={<DownloadOutlined />} loading={busy === "csv"} onClick={downloadCsv} disabled={!active || !asked} data-testid="download-csv">
            {t("sharing.query.csv")}
          </Button>
        </Space>
      </Form>
      {error && (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={error} />
        </div>
      )}
      {result && (
        <div style={{ marginTop: 16 }}>
          <Space style={{ marginBottom: 8 }} wrap>
            <Tag color="blue">v{result.version}</Tag>
            <Typography.Text type="secondary" data-testid="query-total">
              {t("preview.total", { n: result.total.toLocaleString(lang) })}
            </Typography.Text>
            {result.columns.some((c) => c.masked) && <Tag color="orange">{t("sharing.query.maskedNotice")}</Tag>}
            <Typography.Text type="secondary">{t("sharing.query.ledger", { n: result.ledgerIndex })}</Typography.Text>
          </Space>
          <Table<ResultRow>
            size="small"
            loading={busy === "query"}
            rowKey={(_, i) => String(i)}
            dataSource={result.rows}
            scroll={{ x: "max-content" }}
            data-testid="query-rows"
            pagination={{
              current: page.current,
              pageSize: page.size,
              total: result.total,
              pageSizeOptions: PAGE_SIZES,
              showSizeChanger: true,
              showTotal: (n) => t("common.total", { n }),
              onChange: (current, size) => asked && void run(asked, { current: size !== page.size ? 1 : current, size }),
            }}
            columns={[
              { title: "#", width: 60, render: (_: unknown, __: ResultRow, i: number) => (page.current - 1) * page.size + i + 1 },
              ...result.columns.map((c) => ({
                key: c.name,
                title: (
                  <span data-testid={`col-${c.name}`}>
                    {c.name}
                    {c.masked && (
                      <Tag color="orange" style={{ marginInlineStart: 4 }} data-testid="masked-tag">
                        {t("sharing.query.masked")}
                      </Tag>
                    )}
                  </span>
                ),
                dataIndex: c.name,
                render: (v: unknown) =>
                  v === null || v === undefined ? <Typography.Text type="secondary">∅</Typography.Text> : c.masked ? <Typography.Text code>{String(v)}</Typography.Text> : String(v),
              })),
            ]}
          />
        </div>
      )}
    </Card>
  );
}
