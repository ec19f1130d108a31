import { useMemo } from "react";
import { Card, Col, Row, Table, Typography } from "antd";
import { Link } from "react-router-dom";
import { api, DIMENSIONS, type DatasetScoreRow, type LeagueRow } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";
import { EChart, type ChartOption } from "../components/EChart.tsx";
import { ScoreTag } from "../components/quality.tsx";

/** 质量排行榜: departments by quality score, and the latest score of every dataset I can see. */
export default function QualityPage() {
  const { t, lang } = useI18n();
  const league = useAsync(() => api.quality.league(), []);
  const datasets = useAsync(() => api.quality.datasets(), []);
  const orgs = useAsync(() => api.orgs.list().catch(() => ({ items: [] })), []);
  const orgName = useMemo(() => new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name])), [orgs.data]);
  const rows = league.data?.items ?? [];

  const chart = useMemo<ChartOption>(() => {
    const top = rows.filter((r) => r.score != null).slice(0, 15).reverse();
    return {
      animationDuration: 400,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: top.map((r) => r.org.name), axisLabel: { width: 200, overflow: "truncate" } },
      series: [{ type: "bar", data: top.map((r) => Math.round((r.score ?? 0) * 1000) / 10), itemStyle: { color: "#1d4ed8" }, label: { show: true, position: "right" } }],
    };
  }, [rows]);

  return (
    <div>
      <PageTitle>{t("quality.league")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("quality.leagueDesc")}</Typography.Paragraph>
      {league.error && <ErrorAlert error={league.error} onRetry={league.reload} />}
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card size="small" title={t("quality.leagueChart")}>
            <EChart option={chart} height={Math.max(180, rows.filter((r) => r.score != null).slice(0, 15).length * 30 + 40)} testId="league-chart" ariaLabel={t("quality.leagueChart")} />
          </Card>
        </Col>
        <Col span={24}>
          <Card size="small">
            <Table<LeagueRow>
              size="small"
              rowKey={(r) => r.org.id}
              loading={league.loading}
              dataSource={rows}
              pagination={false}
              data-testid="league"
              columns={[
                { title: t("quality.rank"), dataIndex: "rank", width: 60 },
                { title: t("field.provider"), render: (_: unknown, r) => r.org.name },
                { title: t("quality.score"), width: 80, render: (_: unknown, r) => <ScoreTag value={r.score} /> },
                ...DIMENSIONS.map((d) => ({ title: t(`quality.dim.${d}` as MessageKey), width: 80, render: (_: unknown, r: LeagueRow) => <ScoreTag value={r.dimensions[d]} /> })),
                { title: t("quality.datasets"), dataIndex: "datasets", width: 70, align: "right" as const },
                { title: t("data.rows"), dataIndex: "rows", width: 100, align: "right" as const, render: (n: number) => n.toLocaleString(lang) },
                { title: t("quality.openObjections"), dataIndex: "openObjections", width: 80, align: "right" as const },
                { title: t("quality.openConflicts"), dataIndex: "openConflicts", width: 80, align: "right" as const },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("quality.datasetScores")} style={{ marginTop: 16 }}>
        {datasets.error && <ErrorAlert error={datasets.error} onRetry={datasets.reload} />}
        <Table<DatasetScoreRow>
          size="small"
          rowKey="datasetId"
          loading={datasets.loading}
          dataSource={datasets.data?.items ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            { title: t("field.name"), dataIndex: "name", render: (n: string, r) => <Link to={`/quality/datasets/${r.datasetId}`}>{n}</Link> },
            { title: t("field.provider"), dataIndex: "providerOrgId", render: (id: string) => orgName.get(id) ?? id },
            { title: t("version.version"), dataIndex: "version", width: 70, render: (v: number) => `v${v}` },
            { title: t("data.rows"), dataIndex: "rowCount", width: 110, align: "right", render: (n: number) => n.toLocaleString(lang) },
            { title: t("quality.score"), dataIndex: "score", width: 80, render: (v: number | null) => <ScoreTag value={v} /> },
            { title: t("quality.scoredAt"), dataIndex: "finishedAt", width: 160, render: (s: string | null) => formatTime(s, lang, true) },
          ]}
        />
      </Card>
    </div>
  );
}
