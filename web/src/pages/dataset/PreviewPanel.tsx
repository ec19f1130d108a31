import { useState } from "react";
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from "antd";
import { ExclamationCircleOutlined, PaperClipOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { api, ApiError, type EntryContent, type RowsPage } from "../../api.ts";
import { useAsync } from "../../hooks.ts";
import { useI18n } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";

type Row = RowsPage["rows"][number];
/** The server's limit for evidence attachments (MAX_ATTACHMENT_BYTES). */
const MAX_ATTACHMENT = 256 * 1024;
const PAGE_SIZE = 20;

/** 预览: pages of the current version (masked for users outside the provider, by the server), with 提出异议 per row. */
export function PreviewPanel({ datasetId, items, rev }: { datasetId: string; items: EntryContent["items"]; rev: number }) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync(() => api.datasets.rows(datasetId, { page, pageSize: PAGE_SIZE }), [datasetId, page, rev]);
  const [objectOn, setObjectOn] = useState<{ row: Row; ref: string }>();
  const data = res.data;
  const keyCols = items.filter((i) => i.key).map((i) => i.name);

  return (
    <div>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      {data && (
        <Space style={{ marginBottom: 8 }} wrap>
          <Tag color="blue">v{data.version}</Tag>
          <Typography.Text type="secondary">{t("preview.total", { n: data.total.toLocaleString(lang) })}</Typography.Text>
          {data.masked && <Tag color="orange">{t("preview.masked")}</Tag>}
        </Space>
      )}
      <Table<Row>
        size="small"
        loading={res.loading}
        rowKey={(r) => data?.refs[data.rows.indexOf(r)] ?? String(data?.rows.indexOf(r))}
        dataSource={data?.rows ?? []}
        scroll={{ x: "max-content" }}
        data-testid="preview-rows"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t("common.total", { n }),
          onChange: setPage,
        }}
        columns={[
          { title: "#", width: 60, fixed: "left", render: (_: unknown, __: Row, i: number) => (page - 1) * PAGE_SIZE + i + 1 },
          ...(data?.columns ?? []).map((c) => ({
            title: (
              <span>
                {c.name}
                {keyCols.includes(c.name) && <Tag color="blue" style={{ marginInlineStart: 4 }}>{t("item.key")}</Tag>}
                {c.masked && <Tag color="orange" style={{ marginInlineStart: 4 }}>{t("preview.maskedCol")}</Tag>}
              </span>
            ),
            dataIndex: c.name,
            render: (v: unknown) => (v === null || v === undefined ? <Typography.Text type="secondary">∅</Typography.Text> : String(v)),
          })),
          {
            title: t("common.actions"),
            fixed: "right",
            width: 110,
            render: (_: unknown, r: Row, i: number) => (
              <Button size="small" icon={<ExclamationCircleOutlined />} onClick={() => setObjectOn({ row: r, ref: data!.refs[i] })}>
                {t("objection.raise")}
              </Button>
            ),
          },
        ]}
      />
      {objectOn && data && (
        <ObjectionForm datasetId={datasetId} row={objectOn.row} rowRef={objectOn.ref} columns={data.columns} keyCols={keyCols} onClose={() => setObjectOn(undefined)} />
      )}
    </div>
  );
}

interface ObjectionFormValues {
  key: Record<string, string>;
  column?: string;
  proposedValue?: string;
  reason: string;
  evidence?: string;
}

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The record is named by its row reference (the key may be masked for this reader); the key is shown as the preview shows it. */
function ObjectionForm({ datasetId, row, rowRef, columns, keyCols, onClose }: { datasetId: string; row: Row; rowRef: string; columns: RowsPage["columns"]; keyCols: string[]; onClose(): void }) {
  const { t, msg } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ObjectionFormValues>();
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  const [created, setCreated] = useState<string>();
  const column = Form.useWatch("column", form);
  const masked = new Set(columns.filter((c) => c.masked).map((c) => c.name));
  const initialKey = Object.fromEntries(keyCols.map((k) => [k, String(row[k] ?? "")]));

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setErr(undefined);
    try {
      let attachment: { name: string; type: string; dataBase64: string } | undefined;
      if (file) attachment = { name: file.name, type: file.type || "application/octet-stream", dataBase64: toBase64(await file.arrayBuffer()) };
      const r = await api.objections.raise({
        datasetId,
        rowRef,
        ...(v.column ? { column: v.column, proposedValue: v.proposedValue?.trim() ? v.proposedValue.trim() : null } : {}),
        reason: v.reason.trim(),
        ...(v.evidence?.trim() ? { evidence: v.evidence.trim() } : {}),
        ...(attachment ? { attachment } : {}),
      });
      message.success(t("objection.raised"));
      setCreated(r.objection.id);
    } catch (e) {
      setErr(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t("objection.raiseTitle")}
      onCancel={onClose}
      onOk={created ? onClose : submit}
      okText={created ? t("common.ok") : t("objection.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy }}
      cancelButtonProps={{ style: created ? { display: "none" } : undefined }}
      width={620}
      destroyOnHidden
    >
      {created ? (
        <Alert
          type="success"
          showIcon
          title={t("objection.raised")}
          description={
            <Link to={`/objections/${created}`} onClick={onClose}>
              {t("objection.open")} →
            </Link>
          }
        />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ key: initialKey }}>
          <Typography.Paragraph type="secondary">{t("objection.help")}</Typography.Paragraph>
          {keyCols.length === 0 && <Alert type="warning" showIcon title={t("objection.noKey")} style={{ marginBottom: 12 }} />}
          {keyCols.map((k) => (
            <Form.Item
              key={k}
              name={["key", k]}
              label={`${t("objection.recordKey")} · ${k}`}
              extra={masked.has(k) ? t("objection.maskedKey") : undefined}
            >
              <Input disabled />
            </Form.Item>
          ))}
          <Form.Item name="column" label={t("objection.column")}>
            <Select allowClear placeholder={t("objection.wholeRecord")} options={columns.map((c) => ({ value: c.name, label: c.name }))} />
          </Form.Item>
          {column && (
            <Form.Item name="proposedValue" label={t("objection.proposedValue")} extra={masked.has(column) ? undefined : t("objection.currentValue", { v: String(row[column] ?? "∅") })}>
              <Input maxLength={2000} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t("objection.reason")} rules={[{ required: true, whitespace: true, message: t("detail.reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name="evidence" label={t("objection.evidence")}>
            <Input.TextArea rows={2} maxLength={4000} />
          </Form.Item>
          <Form.Item label={t("objection.attachment")} extra={t("objection.attachmentHelp")}>
            <Upload
              maxCount={1}
              beforeUpload={(f) => {
                if (f.size > MAX_ATTACHMENT) {
                  message.error(t("objection.attachmentTooLarge"));
                  return Upload.LIST_IGNORE;
                }
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(undefined)}
            >
              <Button icon={<PaperClipOutlined />}>{t("objection.chooseAttachment")}</Button>
            </Upload>
          </Form.Item>
          {err && <Alert type="error" showIcon title={err} />}
        </Form>
      )}
    </Modal>
  );
}
