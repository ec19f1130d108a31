import { useState } from "react";
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { DeleteOutlined, EditOutlined, PlusOutlined, UndoOutlined } from "@ant-design/icons";
import { api, ApiError, type ItemRulesView, type RuleSpec } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert } from "./tags.tsx";

const COLUMN_KINDS = ["required", "idcard", "uscc", "mobile", "date", "codeList", "range", "length", "regex", "unique"] as const;
const DATASET_KINDS = ["duplicateRows", "compare", "timeliness", "unique"] as const;

/** A rule as one line of text ("值域：男、女"). */
export function ruleSummary(r: RuleSpec, t: ReturnType<typeof useI18n>["t"]): string {
  const name = t(`rule.${r.kind}` as MessageKey);
  switch (r.kind) {
    case "codeList":
      return `${name}: ${r.values.join("、")}`;
    case "range":
    case "length":
      return `${name}: ${r.min ?? "−∞"} … ${r.max ?? "∞"}`;
    case "date":
      return `${name}${r.notFuture ? ` (${t("rules.notFuture")})` : ""}${r.min || r.max ? `: ${r.min ?? ""} … ${r.max ?? ""}` : ""}`;
    case "regex":
      return `${name}: /${r.pattern}/`;
    case "compare":
      return `${name}: ${r.left} ${r.op} ${r.right}`;
    case "unique":
      return r.columns?.length ? `${name}: ${r.columns.join(" + ")}` : name;
    default:
      return name;
  }
}

/** Rule editing per data item, for the provider's data officers. onClose(true) when something changed. */
export function RulesEditor({ datasetId, onClose }: { datasetId: string; onClose(changed: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const res = useAsync(() => api.quality.rules(datasetId), [datasetId]);
  const [changed, setChanged] = useState(false);
  const [editing, setEditing] = useState<ItemRulesView>();
  const columns = (res.data?.items ?? []).map((i) => i.column).filter((c) => c !== "*");

  const reset = async (column: string) => {
    try {
      await api.quality.resetRules(datasetId, column);
      setChanged(true);
      res.reload();
      message.success(t("rules.resetDone"));
    } catch (e) {
      message.error(e instanceof ApiError ? e.messageZh : String(e));
    }
  };

  return (
    <Drawer open width={760} title={t("quality.editRules")} onClose={() => onClose(changed)} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("rules.help")}</Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<ItemRulesView>
        size="small"
        rowKey="column"
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        pagination={false}
        data-testid="rules-table"
        columns={[
          { title: t("item.name"), dataIndex: "column", width: 150, render: (c: string) => (c === "*" ? t("quality.datasetLevel") : c) },
          { title: t("rules.source"), dataIndex: "source", width: 80, render: (s: string) => <Tag color={s === "custom" ? "purple" : "default"}>{t(`rules.${s}` as MessageKey)}</Tag> },
          {
            title: t("quality.rules"),
            render: (_: unknown, x) => (
              <Space wrap size={[4, 4]}>
                {x.rules.length ? x.rules.map((r, i) => <Tag key={i}>{ruleSummary(r, t)}</Tag>) : <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t("common.actions"),
            width: 150,
            render: (_: unknown, x) => (
              <Space size={4}>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(x)}>
                  {t("detail.edit")}
                </Button>
                {x.source === "custom" && <Button size="small" icon={<UndoOutlined />} onClick={() => void reset(x.column)} title={t("rules.reset")} aria-label={t("rules.reset")} />}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <RuleForm
          datasetId={datasetId}
          item={editing}
          columns={columns}
          onDone={(ok) => {
            setEditing(undefined);
            if (ok) {
              setChanged(true);
              res.reload();
            }
          }}
        />
      )}
    </Drawer>
  );
}

type RuleRow = { kind: RuleSpec["kind"]; notFuture?: boolean; min?: number | string; max?: number | string; values?: string[]; pattern?: string; columns?: string[]; left?: string; op?: string; right?: string };

function toSpec(r: RuleRow): RuleSpec {
  const num = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : Number(v));
  const str = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : String(v));
  switch (r.kind) {
    case "date":
      return { kind: "date", notFuture: r.notFuture ?? true, ...(str(r.min) ? { min: str(r.min) } : {}), ...(str(r.max) ? { max: str(r.max) } : {}) };
    case "codeList":
      return { kind: "codeList", values: r.values ?? [] };
    case "range":
      return { kind: "range", ...(num(r.min) !== undefined ? { min: num(r.min) } : {}), ...(num(r.max) !== undefined ? { max: num(r.max) } : {}) };
    case "length":
      return { kind: "length", ...(num(r.min) !== undefined ? { min: num(r.min) } : {}), ...(num(r.max) !== undefined ? { max: num(r.max) } : {}) };
    case "regex":
      return { kind: "regex", pattern: r.pattern ?? "" };
    case "unique":
      return r.columns?.length ? { kind: "unique", columns: r.columns } : { kind: "unique" };
    case "compare":
      return { kind: "compare", left: r.left ?? "", op: (r.op ?? "<=") as "<=", right: r.right ?? "" };
    default:
      return { kind: r.kind } as RuleSpec;
  }
}

function RuleForm({ datasetId, item, columns, onDone }: { datasetId: string; item: ItemRulesView; columns: string[]; onDone(ok: boolean): void }) {
  const { t, msg } = useI18n();
  const [form] = Form.useForm<{ rules: RuleRow[] }>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  const isDataset = item.column === "*";
  const kinds = isDataset ? DATASET_KINDS : COLUMN_KINDS;
  const rules = Form.useWatch("rules", form) ?? [];
  const colOptions = columns.map((c) => ({ value: c, label: c }));

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setErr(undefined);
    try {
      await api.quality.putRules(datasetId, item.column, (v.rules ?? []).map(toSpec));
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
      width={680}
      title={`${t("quality.editRules")} · ${isDataset ? t("quality.datasetLevel") : item.column}`}
      onCancel={() => onDone(false)}
      onOk={save}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      okButtonProps={{ loading: busy }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ rules: item.rules as RuleRow[] }}>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => {
                const kind = rules[f.name]?.kind;
                return (
                  <div key={f.key} style={{ border: "1px solid #f0f0f0", borderRadius: 6, padding: "8px 12px", marginBottom: 8 }}>
                    <Space align="start" wrap>
                      <Form.Item name={[f.name, "kind"]} label={t("quality.rule")} rules={[{ required: true }]} style={{ minWidth: 220, marginBottom: 8 }}>
                        <Select options={kinds.map((k) => ({ value: k, label: t(`rule.${k}` as MessageKey) }))} />
                      </Form.Item>
                      {kind === "date" && (
                        <>
                          <Form.Item name={[f.name, "notFuture"]} label={t("rules.notFuture")} valuePropName="checked" initialValue style={{ marginBottom: 8 }}>
                            <Switch />
                          </Form.Item>
                          <Form.Item name={[f.name, "min"]} label={t("rules.min")} style={{ marginBottom: 8 }}>
                            <Input placeholder="1900-01-01" style={{ width: 120 }} />
                          </Form.Item>
                          <Form.Item name={[f.name, "max"]} label={t("rules.max")} style={{ marginBottom: 8 }}>
                            <Input placeholder="2099-12-31" style={{ width: 120 }} />
                          </Form.Item>
                        </>
                      )}
                      {(kind === "range" || kind === "length") && (
                        <>
                          <Form.Item name={[f.name, "min"]} label={t("rules.min")} style={{ marginBottom: 8 }}>
                            <InputNumber />
                          </Form.Item>
                          <Form.Item name={[f.name, "max"]} label={t("rules.max")} style={{ marginBottom: 8 }}>
                            <InputNumber />
                          </Form.Item>
                        </>
                      )}
                      {kind === "codeList" && (
                        <Form.Item name={[f.name, "values"]} label={t("item.codeList")} rules={[{ required: true }]} style={{ minWidth: 280, marginBottom: 8 }}>
                          <Select mode="tags" tokenSeparators={[",", "，", "、"]} />
                        </Form.Item>
                      )}
                      {kind === "regex" && (
                        <Form.Item name={[f.name, "pattern"]} label={t("rules.pattern")} rules={[{ required: true }]} style={{ minWidth: 280, marginBottom: 8 }}>
                          <Input style={{ fontFamily: "monospace" }} />
                        </Form.Item>
                      )}
                      {kind === "unique" && isDataset && (
                        <Form.Item name={[f.name, "columns"]} label={t("rules.columns")} rules={[{ required: true }]} style={{ minWidth: 280, marginBottom: 8 }}>
                          <Select mode="multiple" options={colOptions} />
                        </Form.Item>
                      )}
                      {kind === "compare" && (
                        <>
                          <Form.Item name={[f.name, "left"]} label={t("rules.left")} rules={[{ required: true }]} style={{ minWidth: 140, marginBottom: 8 }}>
                            <Select options={colOptions} />
                          </Form.Item>
                          <Form.Item name={[f.name, "op"]} label={t("rules.op")} initialValue="<=" style={{ marginBottom: 8 }}>
                            <Select style={{ width: 70 }} options={["<", "<=", "=", ">=", ">", "<>"].map((o) => ({ value: o, label: o }))} />
                          </Form.Item>
                          <Form.Item name={[f.name, "right"]} label={t("rules.right")} rules={[{ required: true }]} style={{ minWidth: 140, marginBottom: 8 }}>
                            <Select options={colOptions} />
                          </Form.Item>
                        </>
                      )}
                      <Button danger type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("item.remove")} style={{ marginTop: 30 }} />
                    </Space>
                  </div>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: kinds[0] })} block>
                {t("rules.add")}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
      {item.defaults.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t("rules.defaults")}
          {t("common.colon")}
          {item.defaults.map((r) => ruleSummary(r, t)).join("；")}
        </Typography.Paragraph>
      )}
      {err && <Alert type="error" showIcon title={err} />}
    </Modal>
  );
}
