import { Button, Form, Input, Select, Space, Tag, Tooltip, type FormInstance } from "antd";
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { fieldPathOf, type ApiError, type ShareApplicationView, type ShareGrantView, type ShareRowFilter } from "../../api.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";

/** The bits the 共享 pages share: status tags, the deadline cell, row filters (shown and edited), server errors on a form. */

const APP_COLORS: Record<ShareApplicationView["status"], string> = { pending: "gold", granted: "success", refused: "error", withdrawn: "default" };
const GRANT_COLORS: Record<ShareGrantView["status"], string> = { active: "success", expired: "default", revoked: "error", not_yet_valid: "processing" };
const DEMAND_COLORS: Record<string, string> = { open: "gold", matched: "success", closed: "default" };

export function ApplicationStatusTag({ status }: { status: ShareApplicationView["status"] }) {
  const { t } = useI18n();
  return (
    <Tag color={APP_COLORS[status] ?? "default"} data-testid="application-status">
      {t(`sharing.status.${status}` as MessageKey)}
    </Tag>
  );
}

export function GrantStatusTag({ status }: { status: ShareGrantView["status"] }) {
  const { t } = useI18n();
  return (
    <Tag color={GRANT_COLORS[status] ?? "default"} data-testid="grant-status">
      {t(`sharing.grantStatus.${status}` as MessageKey)}
    </Tag>
  );
}

export function DemandStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={DEMAND_COLORS[status] ?? "default"}>{t(`sharing.demandStatus.${status}` as MessageKey)}</Tag>;
}

/** 答复期限: the due date, with 已逾期 and 已提请协调 when they apply. */
export function DueCell({ app }: { app: ShareApplicationView }) {
  const { t, lang } = useI18n();
  if (!app.dueAt) return <>—</>;
  return (
    <Space size={4} wrap>
      <span>{formatTime(app.dueAt, lang, true)}</span>
      {app.overdue && <Tag color="error">{t("sharing.overdue")}</Tag>}
      {app.escalatedAt && app.status === "pending" && <Tag color="magenta">{t("sharing.escalated")}</Tag>}
    </Space>
  );
}

export const FILTER_OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "like"] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
const OP_SIGNS: Record<FilterOp, string> = { eq: "=", ne: "≠", lt: "<", lte: "≤", gt: ">", gte: "≥", in: "∈", like: "∋" };

/** A filter row as the form holds it (the value as typed; `in` takes a list separated by commas or 、). */
export interface FilterRow {
  column?: string;
  op?: FilterOp;
  value?: string;
}

export function toFilters(rows: FilterRow[] | undefined): ShareRowFilter[] {
  return (rows ?? [])
    .filter((r) => r.column && r.op)
    .map((r) => ({
      column: r.column!,
      op: r.op!,
      value:
        r.op === "in"
          ? String(r.value ?? "")
              .split(/[,，、]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : String(r.value ?? "").trim(),
    }));
}

/** 性别 = 女；参保金额 ≥ 5000 */
export function RowFilterText({ filters }: { filters: ShareRowFilter[] }) {
  const { t } = useI18n();
  if (!filters.length) return <span>{t("sharing.allRows")}</span>;
  return (
    <Space size={[4, 4]} wrap data-testid="row-filter">
      {filters.map((f, i) => (
        <Tag key={i} style={{ marginInlineEnd: 0 }}>
          {f.column} {OP_SIGNS[f.op as FilterOp] ?? f.op} {Array.isArray(f.value) ? f.value.join("、") : String(f.value)}
        </Tag>
      ))}
    </Space>
  );
}

/** Rows of column / operator / value under `name` (a Form.List), columns chosen among `columns`. */
export function FilterRowsEditor({ name, columns, max, testId }: { name: string; columns: string[]; max: number; testId: string }) {
  const { t } = useI18n();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div data-testid={testId}>
          {fields.map((f) => (
            <Space key={f.key} align="start" wrap style={{ display: "flex", marginBottom: 4 }}>
              <Form.Item name={[f.name, "column"]} rules={[{ required: true, message: t("sharing.filter.columnRequired") }]} style={{ marginBottom: 8 }}>
                <Select style={{ width: 180 }} placeholder={t("sharing.filter.column")} aria-label={t("sharing.filter.column")} options={columns.map((c) => ({ value: c, label: c }))} showSearch />
              </Form.Item>
              <Form.Item name={[f.name, "op"]} rules={[{ required: true, message: t("sharing.filter.opRequired") }]} style={{ marginBottom: 8 }}>
                <Select
                  style={{ width: 150 }}
                  aria-label={t("sharing.filter.op")}
                  options={FILTER_OPS.map((o) => ({ value: o, label: `${OP_SIGNS[o]} ${t(`sharing.op.${o}` as MessageKey)}` }))}
                />
              </Form.Item>
              <Form.Item name={[f.name, "value"]} rules={[{ required: true, whitespace: true, message: t("sharing.filter.valueRequired") }]} style={{ marginBottom: 8 }}>
                <Input style={{ width: 220 }} placeholder={t("sharing.filter.value")} aria-label={t("sharing.filter.value")} maxLength={1000} />
              </Form.Item>
              <Tooltip title={t("sharing.filter.remove")}>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t("sharing.filter.remove")} />
              </Tooltip>
            </Space>
          ))}
          {fields.length < max && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ op: "eq" })} data-testid={`${testId}-add`}>
              {t("sharing.filter.add")}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

/**
 * Put a server error on the form field it names (mapping the API's field to the form's, e.g.
 * items.1 → items, periodTo → period; `map` answers null for a field the form does not have). Returns
 * whether a field took it.
 */
export function showServerError(form: FormInstance, e: ApiError, text: string, map: (path: (string | number)[]) => (string | number)[] | null): boolean {
  const path = fieldPathOf(e.field);
  const target = path ? map(path) : null;
  if (!target) return false;
  form.setFields([{ name: target as never, errors: [text] }]);
  try {
    form.scrollToField(target as never, { block: "center" });
  } catch {
    /* not rendered */
  }
  return true;
}
