import { useState, type ReactNode } from "react";
import { Alert, Button, Card, Col, Descriptions, Empty, Progress, Result, Row, Skeleton, Space, Statistic, Table, Tabs, Tag, Typography } from "antd";
import { ApiOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router-dom";
import { api, ApiError, DIMENSIONS, type Dimension, type OpenApplicationView, type OpenDatasetPage, type OpenSample } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert, GradeTag, OpenTag } from "../../components/tags.tsx";
import { scoreColor, scoreText } from "../../components/quality.tsx";
import { AccessCard } from "./AccessCard.tsx";
import { DatasetShowcaseCard, ReportErrorButton } from "./DatasetFeedback.tsx";
import { CodeBlock, FORMAT_LABELS, MaskedTag, PortalNav, formatLabel, origin } from "./parts.tsx";

type Page = OpenDatasetPage;

/**
 * /open/datasets/:id — one open dataset: metadata, data items, a masked preview of its first rows,
 * its quality score and update history; downloads for 无条件开放 (and for an approved application);
 * for 有条件开放 the sample and the application form; how to call it through the API; 报告数据错误 and
 * the 利用成果 that use it.
 */
export default function PortalDatasetPage() {
  const { id = "" } = useParams();
  const { t, term, lang, msg } = useI18n();
  const { user } = useAuth();
  const res = useAsync(() => api.open.dataset(id), [id, user?.id]);
  const sample = useAsync(() => api.open.sample(id), [id]);
  const mine = useAsync(() => (user ? api.open.applications({ limit: 200 }) : Promise.resolve({ items: [] as OpenApplicationView[] })), [user?.id]);
  const [tab, setTab] = useState("preview");

  if (res.loading && !res.data) return <><PortalNav /><Card><Skeleton active paragraph={{ rows: 10 }} /></Card></>;
  if (res.error && !res.data) {
    if (res.error.status === 404)
      return (
        <>
          <PortalNav />
          <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to="/open/datasets"><Button>{t("portal.allDatasets")}</Button></Link>} />
        </>
      );
    return <><PortalNav /><ErrorAlert error={res.error} onRetry={res.reload} /></>;
  }
  const page = res.data!;
  const d = page.dataset;
  const applications = (mine.data?.items ?? []).filter((a) => a.entry.id === d.id);

  return (
    <div>
      <PortalNav />
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div style={{ minWidth: 0 }}>
            <Space size={8} wrap style={{ marginBottom: 6 }}>
              <OpenTag value={d.openType} />
              {d.theme && <Tag>{term(d.theme)}</Tag>}
              <GradeTag value={d.grade} level={d.generalLevel} />
            </Space>
            <h1 style={{ margin: "4px 0", fontSize: 22 }} data-testid="dataset-title">
              {d.title}
            </h1>
            <Typography.Text type="secondary">
              <Typography.Text code copyable>
                {d.code}
              </Typography.Text>{" "}
              · {d.provider.name} · {t("portal.updatedAt")} {formatTime(d.updatedAt, lang)}
            </Typography.Text>
            {d.summary && <Typography.Paragraph style={{ margin: "10px 0 0", maxWidth: 860, color: "#444" }}>{d.summary}</Typography.Paragraph>}
            <div style={{ marginTop: 12 }}>
              <ReportErrorButton page={page} />
            </div>
          </div>
          <Space size={24} wrap style={{ alignSelf: "flex-start" }}>
            <Statistic title={t("portal.stat.rows")} value={d.rows.toLocaleString(lang)} />
            <Statistic title={t("portal.stat.version")} value={d.currentVersion == null ? "—" : `v${d.currentVersion}`} />
            <Statistic title={t("portal.fig.downloads")} value={page.usage.downloads.toLocaleString(lang)} />
            <Statistic title={t("portal.fig.apiCalls")} value={page.usage.apiCalls.toLocaleString(lang)} />
          </Space>
        </div>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={17}>
          <Card styles={{ body: { paddingTop: 4 } }}>
            <Tabs
              activeKey={tab}
              onChange={setTab}
              items={[
                { key: "preview", label: t("portal.tab.preview"), children: <SamplePanel sample={sample.data} loading={sample.loading} error={sample.error} onRetry={sample.reload} page={page} /> },
                { key: "items", label: `${t("portal.tab.items")} (${d.items.length})`, children: <ItemsPanel items={d.items} /> },
                { key: "meta", label: t("portal.tab.meta"), children: <MetaPanel page={page} /> },
                { key: "history", label: `${t("portal.tab.history")} (${page.history.length})`, children: <HistoryPanel history={page.history} /> },
                { key: "api", label: <span data-testid="tab-api"><ApiOutlined /> {t("portal.tab.api")}</span>, children: <ApiPanel page={page} /> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          <AccessCard page={page} applications={applications} onApplied={() => { mine.reload(); res.reload(); }} />
          <QualityCard quality={page.quality} />
          <DatasetShowcaseCard page={page} />
        </Col>
      </Row>
    </div>
  );
}

/** 样例数据: the first rows, masked by grade, with 已脱敏 on the masked columns. */
function SamplePanel({ sample, loading, error, onRetry, page }: { sample?: OpenSample; loading: boolean; error?: ApiError; onRetry(): void; page: Page }) {
  const { t, lang } = useI18n();
  if (error && !sample) return error.status === 404 ? <Empty description={t("portal.noData")} /> : <ErrorAlert error={error} onRetry={onRetry} />;
  if (!sample) return <Skeleton active paragraph={{ rows: 6 }} />;
  const masked = sample.columns.filter((c) => c.masked).map((c) => c.name);
  return (
    <div data-testid="sample">
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" data-testid="sample-note">
          {t(page.dataset.openType === "有条件开放" ? "portal.sample.conditional" : "portal.sample.note", {
            n: sample.rows.length,
            total: sample.total.toLocaleString(lang),
            v: sample.version,
          })}
        </Typography.Text>
        {masked.length > 0 && <Tag color="orange">{t("portal.sample.maskedNotice", { cols: masked.join(lang === "en" ? ", " : "、") })}</Tag>}
        <Typography.Text type="secondary">{t("portal.ledgerIndex", { n: sample.ledgerIndex })}</Typography.Text>
      </Space>
      <Table<Record<string, unknown>>
        size="small"
        loading={loading}
        rowKey={(_, i) => String(i)}
        dataSource={sample.rows as Record<string, unknown>[]}
        scroll={{ x: "max-content" }}
        pagination={false}
        data-testid="sample-rows"
        columns={[
          { title: "#", width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
          ...sample.columns.map((c) => ({
            key: c.name,
            title: (
              <span data-testid={`col-${c.name}`} style={{ whiteSpace: "nowrap" }}>
                {c.name}
                {c.masked && <MaskedTag />}
              </span>
            ),
            dataIndex: c.name,
            render: (v: unknown) =>
              v === null || v === undefined ? <Typography.Text type="secondary">∅</Typography.Text> : c.masked ? <Typography.Text code>{String(v)}</Typography.Text> : typeof v === "boolean" ? (v ? "true" : "false") : String(v),
          })),
        ]}
      />
    </div>
  );
}

function ItemsPanel({ items }: { items: Page["dataset"]["items"] }) {
  const { t, term } = useI18n();
  return (
    <Table
      size="small"
      rowKey={(r, i) => `${r.name}-${i}`}
      dataSource={items}
      pagination={items.length > 30 ? { pageSize: 30 } : false}
      data-testid="items"
      locale={{ emptyText: <Empty description={t("detail.noItems")} /> }}
      columns={[
        { title: "#", width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
        { title: t("item.name"), dataIndex: "name" },
        { title: t("item.nameEn"), dataIndex: "nameEn", render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : "—") },
        { title: t("item.type"), dataIndex: "type", render: (v: string) => term(v) },
        { title: t("item.length"), dataIndex: "length", width: 80, render: (v: number | null) => v ?? "—" },
        { title: t("portal.item.masked"), dataIndex: "sensitive", width: 110, render: (v: boolean) => (v ? <Tag color="orange">{t("portal.item.maskedYes")}</Tag> : t("common.no")) },
        { title: t("item.description"), dataIndex: "description", render: (v: string | null) => v || "—" },
      ]}
    />
  );
}

function MetaPanel({ page }: { page: Page }) {
  const { t, term, lang } = useI18n();
  const d = page.dataset;
  const dash = (v: ReactNode) => (v === undefined || v === null || v === "" ? <Typography.Text type="secondary">—</Typography.Text> : v);
  return (
    <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} styles={{ label: { width: 140, whiteSpace: "nowrap" } }} data-testid="meta">
      <Descriptions.Item label={t("field.code")}>{d.code}</Descriptions.Item>
      <Descriptions.Item label={t("portal.meta.ckanName")}>
        <Typography.Text code copyable>
          {d.name}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t("field.provider")}>{d.provider.name}</Descriptions.Item>
      <Descriptions.Item label={t("field.theme")}>{term(d.theme)}</Descriptions.Item>
      <Descriptions.Item label={t("field.summary")} span={2}>
        <span style={{ whiteSpace: "pre-wrap" }}>{d.summary}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t("field.openType")} span={2}>
        <OpenTag value={d.openType} />
        {d.openConditions && (
          <span style={{ marginInlineStart: 8 }}>
            {t("field.openConditions")}
            {t("common.colon")}
            {d.openConditions}
          </span>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t("field.domains")}>{dash(d.domains?.length ? <Space size={4} wrap>{d.domains.map((x) => <Tag key={x}>{term(x)}</Tag>)}</Space> : null)}</Descriptions.Item>
      <Descriptions.Item label={t("field.keywords")}>{dash(d.keywords?.length ? d.keywords.join(lang === "en" ? ", " : "、") : null)}</Descriptions.Item>
      <Descriptions.Item label={t("field.updateCycle")}>{term(d.updateCycle)}</Descriptions.Item>
      <Descriptions.Item label={t("field.formats")}>
        {term(d.formatCategory)}
        {d.formats?.length ? `${t("common.colon")}${d.formats.map(formatLabel).join(lang === "en" ? ", " : "、")}` : ""}
      </Descriptions.Item>
      <Descriptions.Item label={t("field.grade")}>
        <GradeTag value={d.grade} level={d.generalLevel} />
      </Descriptions.Item>
      <Descriptions.Item label={t("field.contact")}>
        {d.contact.name} · {d.contact.phone}
        {d.contact.email ? ` · ${d.contact.email}` : ""}
      </Descriptions.Item>
      <Descriptions.Item label={t("field.publishedAt")}>{formatTime(d.publishedAt, lang, true)}</Descriptions.Item>
      <Descriptions.Item label={t("portal.updatedAt")}>{formatTime(d.updatedAt, lang, true)}</Descriptions.Item>
      <Descriptions.Item label={t("portal.meta.downloadFormats")} span={2}>
        {dash(d.downloadFormats.length ? d.downloadFormats.map((f) => FORMAT_LABELS[f as keyof typeof FORMAT_LABELS] ?? f).join(" · ") : null)}
      </Descriptions.Item>
      <Descriptions.Item label="DCAT-AP" span={2}>
        <Space size="middle" wrap>
          <a href={`/api/open/dcat/datasets/${encodeURIComponent(d.id)}.ttl`} target="_blank" rel="noreferrer">
            Turtle
          </a>
          <a href={`/api/open/dcat/datasets/${encodeURIComponent(d.id)}.jsonld`} target="_blank" rel="noreferrer">
            JSON-LD
          </a>
        </Space>
      </Descriptions.Item>
    </Descriptions>
  );
}

function HistoryPanel({ history }: { history: Page["history"] }) {
  const { t, lang } = useI18n();
  return (
    <Table
      size="small"
      rowKey="version"
      dataSource={[...history].sort((a, b) => b.version - a.version)}
      pagination={history.length > 20 ? { pageSize: 20 } : false}
      data-testid="history"
      locale={{ emptyText: <Empty description={t("portal.noData")} /> }}
      columns={[
        { title: t("version.version"), dataIndex: "version", width: 90, render: (v: number) => `v${v}` },
        { title: t("portal.history.rows"), dataIndex: "rows", render: (n: number) => n.toLocaleString(lang) },
        { title: t("portal.history.at"), dataIndex: "createdAt", render: (s: string) => formatTime(s, lang, true) },
        { title: t("version.status"), dataIndex: "current", render: (c: boolean) => (c ? <Tag color="success">{t("portal.history.current")}</Tag> : <Tag>{t("portal.history.kept")}</Tag>) },
      ]}
    />
  );
}

/** How to call this dataset: the query API and CKAN's datastore_search, with the key in the Authorization header. */
function ApiPanel({ page }: { page: Page }) {
  const { t } = useI18n();
  const d = page.dataset;
  const base = origin();
  const rows = [
    `curl -G "${base}/api/open/datasets/${d.id}/rows" \\`,
    `  -H "Authorization: Bearer $GONGSHU_API_KEY" \\`,
    ...(d.items.length > 3 ? [`  --data-urlencode 'columns=${d.items.slice(0, 3).map((i) => i.name).join(",")}' \\`] : []),
    `  -d limit=100 -d offset=0`,
  ].join("\n");
  const ckan = [
    `curl -G "${base}/api/3/action/datastore_search" \\`,
    `  -H "Authorization: $GONGSHU_API_KEY" \\`,
    `  -d resource_id=${d.datasetId ?? "<resource_id>"} -d limit=5`,
  ].join("\n");
  const show = [`curl "${base}/api/3/action/package_show?id=${d.name}"`].join("\n");
  return (
    <div data-testid="api-usage">
      {d.openType === "有条件开放" && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("portal.api.conditionalNote")} />}
      <Typography.Paragraph>
        {t("portal.api.intro")} <Link to="/open/api">{t("portal.apiDocs")} →</Link>
      </Typography.Paragraph>
      <Typography.Title level={5}>{t("portal.api.rows")}</Typography.Title>
      <CodeBlock code={rows} testId="example-rows" label={t("portal.api.rows")} />
      <Typography.Title level={5}>{t("portal.api.ckan")}</Typography.Title>
      <CodeBlock code={ckan} testId="example-ckan" label={t("portal.api.ckan")} />
      <Typography.Title level={5}>{t("portal.api.packageShow")}</Typography.Title>
      <CodeBlock code={show} label={t("portal.api.packageShow")} />
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 0 }}>
        {t("portal.api.keyHint")}
      </Typography.Paragraph>
    </div>
  );
}

function QualityCard({ quality }: { quality: Page["quality"] }) {
  const { t } = useI18n();
  const dims = (quality?.dimensions ?? {}) as Partial<Record<Dimension, number | null>>;
  return (
    <Card title={t("portal.quality")} size="small" data-testid="quality">
      {!quality ? (
        <Typography.Text type="secondary">{t("portal.quality.none")}</Typography.Text>
      ) : (
        <>
          <div style={{ display: "flex", alignItems: "center", gap: 16, marginBottom: 12 }}>
            <Progress
              type="circle"
              size={76}
              percent={quality.score == null ? 0 : Math.round(quality.score * 100)}
              format={() => scoreText(quality.score)}
              strokeColor={scoreColor(quality.score) === "success" ? "#52c41a" : scoreColor(quality.score) === "error" ? "#ff4d4f" : "#1677ff"}
            />
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t("portal.quality.of", { v: quality.version })}
            </Typography.Text>
          </div>
          {DIMENSIONS.map((dim) => (
            <div key={dim} style={{ display: "flex", alignItems: "center", gap: 8, fontSize: 13 }}>
              <span style={{ width: 64, flex: "none" }}>{t(`quality.dim.${dim}` as MessageKey)}</span>
              {dims[dim] == null ? (
                <Typography.Text type="secondary">{t("portal.quality.na")}</Typography.Text>
              ) : (
                <Progress percent={Math.round((dims[dim] as number) * 1000) / 10} size="small" status="normal" format={(p) => `${p}`} style={{ margin: 0, flex: 1 }} />
              )}
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
