import { Button, Card, Space, Table, Typography } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { api, links } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, GradeTag, OpenTag, PageTitle, ShareTag } from "../components/tags.tsx";

type Row = Record<string, unknown>;

/** Known column keys → label keys; other keys are shown with their own name. */
const KNOWN: Record<string, MessageKey> = {
  code: "field.code",
  name: "field.name",
  provider: "field.provider",
  providerName: "field.provider",
  theme: "field.theme",
  shareType: "field.shareType",
  shareConditions: "field.shareConditions",
  notShareBasis: "field.notShareBasis",
  openType: "field.openType",
  openConditions: "field.openConditions",
  notOpenBasis: "field.notOpenBasis",
  updateCycle: "field.updateCycle",
  grade: "field.grade",
  formats: "field.formats",
  contact: "field.contact",
  publishedAt: "field.publishedAt",
  itemCount: "field.itemCount",
  status: "field.status",
};
const HIDDEN = new Set(["id", "entryId", "providerId", "summary", "highlight"]);

export default function ListPage({ kind }: { kind: "responsibility" | "negative" }) {
  const { t, term, lang } = useI18n();
  const res = useAsync(() => api.catalog.list(kind), [kind]);
  const items = (res.data?.items ?? []) as Row[];
  const keys = res.data?.columns?.map((c) => c.key) ?? [...new Set(items.flatMap((r) => Object.keys(r)))].filter((k) => !HIDDEN.has(k));
  const labelOf = (k: string) => {
    const c = res.data?.columns?.find((x) => x.key === k);
    if (c) return lang === "en" && c.labelEn ? c.labelEn : c.label;
    return KNOWN[k] ? t(KNOWN[k]) : k;
  };
  const render = (k: string, v: unknown, r: Row) => {
    if (v === null || v === undefined || v === "") return <Typography.Text type="secondary">—</Typography.Text>;
    if (k === "shareType" && typeof v === "string") return <ShareTag value={v} />;
    if (k === "openType" && typeof v === "string") return <OpenTag value={v} />;
    if (k === "grade" && typeof v === "string") return <GradeTag value={v} />;
    if (k === "name" && typeof v === "string" && (r.id || r.entryId)) return <Link to={`/catalog/${String(r.entryId ?? r.id)}`}>{v}</Link>;
    if (/At$/.test(k) && typeof v === "string") return formatTime(v, lang);
    if (Array.isArray(v)) return v.map((x) => (typeof x === "object" ? JSON.stringify(x) : term(String(x)))).join("、");
    if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.name === "string") return [o.name, o.phone, o.email].filter(Boolean).join(" · ");
      return JSON.stringify(v);
    }
    if (typeof v === "boolean") return v ? t("common.yes") : t("common.no");
    return term(String(v));
  };

  const title = t(kind === "responsibility" ? "lists.responsibility" : "lists.negative");
  return (
    <div>
      <PageTitle
        extra={
          <Space>
            <a href={links.list(kind, "xlsx")}>
              <Button icon={<DownloadOutlined />}>{t("common.exportXlsx")}</Button>
            </a>
            <a href={links.list(kind, "csv")}>
              <Button icon={<DownloadOutlined />}>{t("common.exportCsv")}</Button>
            </a>
          </Space>
        }
      >
        {title}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t(kind === "responsibility" ? "lists.responsibilityDesc" : "lists.negativeDesc")}</Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Card size="small">
        <Table<Row>
          size="small"
          rowKey={(r, i) => String(r.id ?? r.code ?? i)}
          loading={res.loading}
          dataSource={items}
          scroll={{ x: "max-content" }}
          pagination={{ pageSize: 20, showTotal: (n) => t("common.total", { n }), showSizeChanger: false }}
          columns={keys.map((k) => ({ key: k, title: labelOf(k), dataIndex: k, render: (v: unknown, r: Row) => render(k, v, r) }))}
        />
      </Card>
    </div>
  );
}
