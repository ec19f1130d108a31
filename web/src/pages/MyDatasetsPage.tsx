import { Card, Table, Tag, Typography } from "antd";
import { Link, useSearchParams } from "react-router-dom";
import { api, type Dataset, type DatasetScoreRow, type EntrySummaryView } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";
import { ScoreTag } from "../components/quality.tsx";

interface Row {
  entry: EntrySummaryView;
  dataset?: Dataset;
  score?: DatasetScoreRow;
}

/** 我的数据集: the published entries of my department with their data (version, rows, quality, last load). */
export default function MyDatasetsPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const orgId = user?.org?.id;
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const res = useAsync(async () => {
    const [entries, datasets, scores] = await Promise.all([
      api.catalog.search({ mine: true, status: "published", sort: "name_asc", page, pageSize: 20, facets: false }),
      api.datasets.list(orgId ? { provider: orgId } : {}),
      api.quality.datasets(orgId).catch(() => ({ items: [] as DatasetScoreRow[] })),
    ]);
    const byEntry = new Map(datasets.items.map((d) => [d.entryId, d]));
    const byDataset = new Map(scores.items.map((s) => [s.datasetId, s]));
    const rows: Row[] = entries.items.map((e) => {
      const dataset = byEntry.get(e.id);
      return { entry: e, dataset, score: dataset ? byDataset.get(dataset.id) : undefined };
    });
    return { rows, total: entries.total };
  }, [page, orgId]);

  return (
    <div>
      <PageTitle>{t("data.mine")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("data.mineDesc")}</Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Card size="small">
        <Table<Row>
          size="middle"
          rowKey={(r) => r.entry.id}
          loading={res.loading}
          dataSource={res.data?.rows ?? []}
          data-testid="my-datasets"
          pagination={{
            current: page,
            pageSize: 20,
            total: res.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }),
            onChange: (p) => setSp({ page: String(p) }),
          }}
          columns={[
            { title: t("field.name"), render: (_: unknown, r) => <Link to={`/data/${r.entry.id}`}>{r.entry.name}</Link> },
            { title: t("field.code"), width: 170, render: (_: unknown, r) => <Typography.Text code>{r.entry.code}</Typography.Text> },
            {
              title: t("data.currentVersion"),
              width: 100,
              render: (_: unknown, r) => (r.dataset?.currentVersion ? <Tag color="blue">v{r.dataset.currentVersion}</Tag> : <Typography.Text type="secondary">{t("data.noData")}</Typography.Text>),
            },
            { title: t("data.rows"), width: 110, align: "right", render: (_: unknown, r) => (r.score ? r.score.rowCount.toLocaleString(lang) : "—") },
            { title: t("quality.score"), width: 100, render: (_: unknown, r) => (r.score ? <ScoreTag value={r.score.score} /> : "—") },
            { title: t("data.lastLoad"), width: 160, render: (_: unknown, r) => (r.dataset?.currentVersion ? formatTime(r.dataset.updatedAt, lang, true) : "—") },
            { title: t("data.source"), width: 110, render: (_: unknown, r) => (r.dataset?.source ? <Tag color="purple">PostgreSQL</Tag> : t("data.sourceUpload")) },
          ]}
        />
      </Card>
    </div>
  );
}
