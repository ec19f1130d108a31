import { useEffect, useState } from "react";
import { Alert, App, Button, Col, Descriptions, Form, Input, InputNumber, Popconfirm, Radio, Row, Space, Switch, Typography } from "antd";
import { DeleteOutlined, PlayCircleOutlined, SaveOutlined } from "@ant-design/icons";
import { api, ApiError, type Dataset, type PgSourceView } from "../../api.ts";
import { useJob } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { JobStatus } from "../../components/JobStatus.tsx";

interface SourceForm {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  by: "table" | "query";
  table?: string;
  query?: string;
  incrementalColumn?: string;
  enabled: boolean;
}

/** The parts of a (redacted) connection URL, to fill the form; the password never comes back. */
function parseUrl(url: string): Partial<SourceForm> {
  try {
    const u = new URL(url.replace(/^postgres(ql)?:/, "http:"));
    return { host: u.hostname, port: Number(u.port) || 5432, database: decodeURIComponent(u.pathname.replace(/^\//, "")), user: decodeURIComponent(u.username) };
  } catch {
    return {};
  }
}

function buildUrl(v: SourceForm): string {
  const e = encodeURIComponent;
  const host = v.host.includes(":") && !v.host.startsWith("[") ? `[${v.host}]` : v.host;
  // An empty password on an existing source sends "***": the server keeps the stored one.
  return `postgres://${e(v.user)}:${e(v.password || "***")}@${host}:${v.port}/${e(v.database)}`;
}

/** 数据源: the PostgreSQL connector of the dataset (table or query, incremental column), run now. */
export function SourcePanel({ entryId, dataset, onChanged }: { entryId: string; dataset: Dataset | null; onChanged(): void }) {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<SourceForm>();
  const [source, setSource] = useState<PgSourceView | null>(dataset?.source ?? null);
  const [saving, setSaving] = useState(false);
  const [err, setErr] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const by = Form.useWatch("by", form);
  const { job } = useJob(jobId, (j) => {
    if (j.status === "succeeded") onChanged();
  });

  useEffect(() => {
    setSource(dataset?.source ?? null);
  }, [dataset?.source]);
  useEffect(() => {
    const s = source;
    form.setFieldsValue(
      s
        ? { ...parseUrl(s.url), by: s.query ? "query" : "table", table: s.table ?? undefined, query: s.query ?? undefined, incrementalColumn: s.incrementalColumn ?? undefined, enabled: s.enabled, password: "" }
        : { port: 5432, by: "table", enabled: true },
    );
  }, [source, form]);

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setErr(undefined);
    try {
      const id = dataset?.id ?? (await api.datasets.create(entryId)).dataset.id;
      const r = await api.datasets.setSource(id, {
        kind: "postgres",
        url: buildUrl(v),
        ...(v.by === "table" ? { table: v.table?.trim() } : { query: v.query?.trim() }),
        ...(v.incrementalColumn?.trim() ? { incrementalColumn: v.incrementalColumn.trim() } : {}),
        enabled: v.enabled,
      });
      setSource(r.source);
      form.setFieldValue("password", "");
      message.success(t("source.saved"));
      onChanged();
    } catch (e) {
      setErr(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setSaving(false);
    }
  };

  const run = async () => {
    if (!dataset) return;
    setErr(undefined);
    try {
      setJobId((await api.datasets.runSource(dataset.id)).job.id);
    } catch (e) {
      setErr(e instanceof ApiError ? msg(e.text) : String(e));
    }
  };

  const remove = async () => {
    if (!dataset) return;
    try {
      await api.datasets.deleteSource(dataset.id);
      setSource(null);
      message.success(t("source.deleted"));
      onChanged();
    } catch (e) {
      setErr(e instanceof ApiError ? msg(e.text) : String(e));
    }
  };

  return (
    <Row gutter={24}>
      <Col xs={24} lg={14}>
        <Form form={form} layout="vertical" data-testid="source-form">
          <Row gutter={12}>
            <Col span={16}>
              <Form.Item name="host" label={t("source.host")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
                <Input placeholder="10.0.0.12" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="port" label={t("source.port")} rules={[{ required: true, message: t("editor.required") }]}>
                <InputNumber min={1} max={65535} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="database" label={t("source.database")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="user" label={t("source.user")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="password" label={t("source.password")} rules={[{ required: !source, message: t("source.passwordRequired") }]} extra={source ? t("source.passwordAgain") : undefined}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="by" label={t("source.by")}>
            <Radio.Group>
              <Radio value="table">{t("source.byTable")}</Radio>
              <Radio value="query">{t("source.byQuery")}</Radio>
            </Radio.Group>
          </Form.Item>
          {by === "query" ? (
            <Form.Item name="query" label={t("source.query")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
              <Input.TextArea rows={4} style={{ fontFamily: "monospace" }} placeholder="SELECT … FROM …" />
            </Form.Item>
          ) : (
            <Form.Item name="table" label={t("source.table")} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
              <Input placeholder="public.person" />
            </Form.Item>
          )}
          <Form.Item name="incrementalColumn" label={t("source.incremental")} extra={t("source.incrementalHelp")}>
            <Input placeholder="updated_at" />
          </Form.Item>
          <Form.Item name="enabled" label={t("source.enabled")} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Space wrap>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save}>
              {t("common.save")}
            </Button>
            <Button icon={<PlayCircleOutlined />} onClick={run} disabled={!source || job?.status === "running" || job?.status === "queued"} data-testid="source-run">
              {t("source.runNow")}
            </Button>
            {source && (
              <Popconfirm title={t("source.deleteConfirm")} okText={t("common.ok")} cancelText={t("common.cancel")} onConfirm={remove}>
                <Button danger icon={<DeleteOutlined />}>
                  {t("source.delete")}
                </Button>
              </Popconfirm>
            )}
          </Space>
          {err && <Alert type="error" showIcon title={err} style={{ marginTop: 12 }} />}
        </Form>
      </Col>
      <Col xs={24} lg={10}>
        {source ? (
          <Descriptions size="small" bordered column={1} title={t("source.current")}>
            <Descriptions.Item label={t("source.url")}>
              <Typography.Text code>{source.url}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("source.schedule")}>
              {source.intervalHours ? t("source.everyHours", { n: source.intervalHours }) : t("source.manual")}
            </Descriptions.Item>
            <Descriptions.Item label={t("source.nextRun")}>{formatTime(source.nextRunAt, lang, true)}</Descriptions.Item>
            <Descriptions.Item label={t("source.lastRun")}>{formatTime(source.lastRunAt, lang, true)}</Descriptions.Item>
            <Descriptions.Item label={t("source.lastValue")}>{source.lastValue ?? "—"}</Descriptions.Item>
          </Descriptions>
        ) : (
          <Typography.Paragraph type="secondary">{t("source.none")}</Typography.Paragraph>
        )}
        {job && (
          <div style={{ marginTop: 16 }}>
            <Typography.Text strong>{t("source.run")}</Typography.Text>
            <JobStatus job={job} />
            {job.status === "succeeded" && job.result && (
              <Typography.Paragraph style={{ marginTop: 8 }}>
                {t("source.runResult", { v: String(job.result.version ?? "—"), n: Number(job.result.rowCount ?? 0).toLocaleString(lang), x: Number(job.result.extracted ?? 0).toLocaleString(lang) })}
              </Typography.Paragraph>
            )}
          </div>
        )}
      </Col>
    </Row>
  );
}
