import { useMemo, useState } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { NodeIndexOutlined, PlusOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { api, ApiError, type AuthSourceView, type CrosscheckResponse, type Dataset } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";

interface SourceFormValues {
  concept: string;
  datasetId: string;
  column: string;
  keyColumn: string;
  note?: string;
}

/** 一数一源: the register of authoritative sources per shared data item, and 多源校核 runs. */
export default function AuthSourcesPage() {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const { user, hasRole } = useAuth();
  const admin = hasRole("platform_admin");
  const res = useAsync(() => api.quality.sources(), []);
  const datasets = useAsync(() => api.datasets.list(), []);
  const orgs = useAsync(() => api.orgs.list().catch(() => ({ items: [] })), []);
  const orgName = useMemo(() => new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name])), [orgs.data]);
  const [editing, setEditing] = useState<{ mode: "register" | "copy"; source?: AuthSourceView }>();
  const [checking, setChecking] = useState<string>();
  const [result, setResult] = useState<CrosscheckResponse>();

  const crosscheck = async (s: AuthSourceView) => {
    setChecking(s.id);
    try {
      const r = await api.quality.crosscheck(s.id);
      setResult(r);
      res.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setChecking(undefined);
    }
  };
  const removeCopy = async (s: AuthSourceView, datasetId: string) => {
    try {
      await api.quality.removeCopy(s.id, datasetId);
      res.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    }
  };

  return (
    <div>
      <PageTitle
        extra={
          admin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: "register" })}>
              {t("sources.register")}
            </Button>
          )
        }
      >
        {t("sources.title")}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t("sources.desc")}</Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Card size="small">
        <Table<AuthSourceView>
          size="middle"
          rowKey="id"
          loading={res.loading}
          dataSource={res.data?.items ?? []}
          pagination={false}
          data-testid="auth-sources"
          columns={[
            { title: t("sources.concept"), dataIndex: "concept", render: (c: string) => <Typography.Text strong>{c}</Typography.Text> },
            {
              title: t("sources.authoritative"),
              render: (_: unknown, s) => (
                <div>
                  <Tag color="gold">★</Tag>
                  {s.dataset.name} · {s.column}
                  <div>
                    <Typography.Text type="secondary">
                      {orgName.get(s.providerOrgId) ?? s.providerOrgId} · {t("sources.key")} {s.keyColumn}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            {
              title: t("sources.copies"),
              render: (_: unknown, s) => (
                <Space direction="vertical" size={2}>
                  {s.copies.length === 0 && <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
                  {s.copies.map((c) => (
                    <Tag key={c.dataset.id} closable={admin} onClose={(e) => (e.preventDefault(), void removeCopy(s, c.dataset.id))}>
                      {c.dataset.name} · {c.column} ({orgName.get(c.providerOrgId) ?? c.providerOrgId})
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { title: t("field.updatedAt"), dataIndex: "updatedAt", width: 150, render: (s: string) => formatTime(s, lang, true) },
            {
              title: t("common.actions"),
              width: 220,
              render: (_: unknown, s) => (
                <Space wrap size={4}>
                  {(admin || (hasRole("data_officer") && user?.org?.id === s.providerOrgId)) && (
                    <Button size="small" type="primary" icon={<NodeIndexOutlined />} loading={checking === s.id} disabled={!s.copies.length} onClick={() => void crosscheck(s)}>
                      {t("sources.crosscheck")}
                    </Button>
                  )}
                  {admin && (
                    <Button size="small" onClick={() => setEditing({ mode: "copy", source: s })}>
                      {t("sources.addCopy")}
                    </Button>
                  )}
                  <Link to={`/quality/conflicts?sourceId=${s.id}`}>{t("sources.conflicts")}</Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <SourceForm
          mode={editing.mode}
          source={editing.source}
          datasets={datasets.data?.items ?? []}
          onDone={(ok) => {
            setEditing(undefined);
            if (ok) res.reload();
          }}
        />
      )}
      <Modal open={!!result} title={t("sources.crosscheckResult")} footer={null} onCancel={() => setResult(undefined)} width={640}>
        {result && (
          <>
            <Descriptions size="small" bordered column={2}>
              <Descriptions.Item label={t("sources.keysCompared")}>{result.crosscheck.keysCompared.toLocaleString(lang)}</Descriptions.Item>
              <Descriptions.Item label={t("sources.conflictCount")}>
                <Typography.Text type={result.crosscheck.conflictCount ? "danger" : "success"} strong data-testid="conflict-count">
                  {result.crosscheck.conflictCount.toLocaleString(lang)}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Table
              style={{ marginTop: 12 }}
              size="small"
              rowKey="datasetId"
              pagination={false}
              dataSource={result.crosscheck.compared}
              columns={[
                { title: t("objection.dataset"), dataIndex: "datasetId", render: (id: string) => datasets.data?.items.find((d) => d.id === id)?.name ?? id },
                { title: t("version.version"), dataIndex: "version", render: (v: number) => `v${v}` },
                { title: t("sources.keysCompared"), dataIndex: "keysCompared" },
                { title: t("sources.conflictCount"), dataIndex: "conflicts" },
              ]}
            />
            {result.crosscheck.conflictCount > 0 && (
              <Alert
                style={{ marginTop: 12 }}
                type="warning"
                showIcon
                title={t("sources.sentToAuthority")}
                action={<Link to={`/quality/conflicts?sourceId=${result.crosscheck.sourceId}`}>{t("sources.conflicts")} →</Link>}
              />
            )}
          </>
        )}
      </Modal>
    </div>
  );
}

function SourceForm({ mode, source, datasets, onDone }: { mode: "register" | "copy"; source?: AuthSourceView; datasets: Dataset[]; onDone(ok: boolean): void }) {
  const { t, msg } = useI18n();
  const [form] = Form.useForm<SourceFormValues>();
  const datasetId = Form.useWatch("datasetId", form);
  const ds = datasets.find((d) => d.id === datasetId);
  const entry = useAsync(() => (ds ? api.catalog.get(ds.entryId) : Promise.resolve(null)), [ds?.entryId]);
  const itemNames = (entry.data?.entry.content.items ?? []).map((i) => ({ value: i.name, label: i.name }));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setErr(undefined);
    try {
      if (mode === "register") await api.quality.registerSource({ concept: v.concept.trim(), datasetId: v.datasetId, column: v.column, keyColumn: v.keyColumn, ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
      else await api.quality.addCopy(source!.id, { datasetId: v.datasetId, column: v.column, keyColumn: v.keyColumn });
      onDone(true);
    } catch (e) {
      setErr(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={mode === "register" ? t("sources.register") : `${t("sources.addCopy")} · ${source?.concept}`}
      onCancel={() => onDone(false)}
      onOk={save}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {mode === "register" && (
          <Form.Item name="concept" label={t("sources.concept")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]} extra={t("sources.conceptHelp")}>
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item name="datasetId" label={mode === "register" ? t("sources.authoritativeDataset") : t("sources.copyDataset")} rules={[{ required: true, message: t("editor.required") }]}>
          <Select showSearch optionFilterProp="label" options={datasets.filter((d) => d.currentVersion).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="column" label={t("sources.column")} rules={[{ required: true, message: t("editor.required") }]}>
          <Select options={itemNames} disabled={!ds} />
        </Form.Item>
        <Form.Item name="keyColumn" label={t("sources.keyColumn")} rules={[{ required: true, message: t("editor.required") }]}>
          <Select options={itemNames} disabled={!ds} />
        </Form.Item>
        {mode === "register" && (
          <Form.Item name="note" label={t("sources.note")}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        )}
        {err && <Alert type="error" showIcon title={err} />}
      </Form>
    </Modal>
  );
}
