import { useMemo, useState } from "react";
import { App, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { EditOutlined, ReloadOutlined } from "@ant-design/icons";
import { api, ApiError, DIMENSIONS, type Dimension, type ReportResponse, type RuleResult } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { EChart, type ChartOption } from "./EChart.tsx";
import { ScoreTag, scoreText } from "./quality.tsx";
import { ErrorAlert } from "./tags.tsx";
import { RulesEditor } from "./RulesEditor.tsx";

const pct = (v: number | null | undefined) => (v == null ? null : Math.round(v * 1000) / 10);

/** The quality report of a dataset: overall score, the five dimensions, trend, columns, rules with masked samples, freshness. */
export function QualityReport({ datasetId, canEdit, rev = 0 }: { datasetId: string; canEdit: boolean; rev?: number }) {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState(false);
  const [rescoring, setRescoring] = useState(false);
  const res = useAsync(() => api.quality.report(datasetId), [datasetId, rev, tick]);
  const r = res.data;
  const dimName = (d: Dimension) => t(`quality.dim.${d}` as MessageKey);

  const radar = useMemo<ChartOption | null>(() => {
    if (!r) return null;
    // Not assessable is not 0: such dimensions are left out of the chart (a bar chart when fewer than 3 remain).
    const dims = DIMENSIONS.filter((d) => r.run.dimensions[d] != null);
    if (dims.length < 3)
      return {
        animationDuration: 400,
        tooltip: {},
        grid: { left: 40, right: 16, top: 16, bottom: 28 },
        xAxis: { type: "category", data: dims.map(dimName) },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [{ type: "bar", data: dims.map((d) => pct(r.run.dimensions[d])), itemStyle: { color: "#1d4ed8" }, label: { show: true, position: "top" } }],
      };
    return {
      animationDuration: 400,
      tooltip: {},
      radar: { indicator: dims.map((d) => ({ name: dimName(d), max: 100 })), radius: "65%", axisName: { color: "#333" } },
      series: [
        {
          type: "radar",
          areaStyle: { opacity: 0.2 },
          data: [{ name: t("quality.score"), value: dims.map((d) => pct(r.run.dimensions[d])) }],
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, lang]);

  const trend = useMemo<ChartOption | null>(() => {
    if (!r) return null;
    const tr = [...r.trend].sort((a, b) => a.version - b.version);
    return {
      animationDuration: 400,
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll", itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
      grid: { left: 40, right: 16, top: 12, bottom: 56 },
      xAxis: { type: "category", data: tr.map((x) => `v${x.version}`) },
      yAxis: { type: "value", max: 100, min: (v: { min: number }) => Math.max(0, Math.floor((v.min - 2) / 10) * 10) },
      series: [
        { name: t("quality.score"), type: "line", data: tr.map((x) => pct(x.score)), lineStyle: { width: 3 }, symbolSize: 8 },
        ...DIMENSIONS.map((d) => ({ name: dimName(d), type: "line", data: tr.map((x) => pct(x.dimensions[d])), lineStyle: { width: 1 }, symbolSize: 4 })),
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, lang]);

  if (res.error && !r) {
    if (res.error.status === 404) return <Empty description={t("quality.noReport")} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  if (!r) return <Card loading />;

  const rescore = async () => {
    setRescoring(true);
    try {
      await api.quality.rescore(datasetId);
      message.success(t("quality.rescored"));
      setTick((x) => x + 1);
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setRescoring(false);
    }
  };

  return (
    <div data-testid="quality-report">
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card size="small" style={{ height: "100%" }}>
            <div data-testid="quality-score" data-score={scoreText(r.run.score)}>
              <Statistic title={t("quality.overall")} value={scoreText(r.run.score)} suffix={r.run.score == null ? undefined : "/ 100"} styles={{ content: { fontSize: 40, fontWeight: 600 } }} />
            </div>
            <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
              <Descriptions.Item label={t("version.version")}>v{r.run.version}</Descriptions.Item>
              <Descriptions.Item label={t("data.rows")}>{r.run.rowCount.toLocaleString(lang)}</Descriptions.Item>
              <Descriptions.Item label={t("quality.scoredAt")}>{formatTime(r.run.finishedAt, lang, true)}</Descriptions.Item>
              <Descriptions.Item label={t("field.updateCycle")}>{r.freshness.updateCycle ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("data.lastLoad")}>{formatTime(r.freshness.lastLoadAt, lang, true)}</Descriptions.Item>
              <Descriptions.Item label={t("quality.dueAt")}>
                {formatTime(r.freshness.dueAt, lang, true)} {r.freshness.overdue ? <Tag color="error">{t("quality.overdue")}</Tag> : r.freshness.dueAt ? <Tag color="success">{t("quality.fresh")}</Tag> : null}
              </Descriptions.Item>
            </Descriptions>
            {canEdit && (
              <Space wrap style={{ marginTop: 8 }}>
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-rules">
                  {t("quality.editRules")}
                </Button>
                <Button icon={<ReloadOutlined />} loading={rescoring} onClick={rescore}>
                  {t("quality.rescore")}
                </Button>
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={t("quality.dimensions")} style={{ height: "100%" }}>
            {radar && <EChart option={radar} height={260} testId="quality-radar" ariaLabel={t("quality.dimensions")} />}
            <Space wrap size={[4, 4]}>
              {DIMENSIONS.map((d) => (
                <span key={d}>
                  {dimName(d)} <ScoreTag value={r.run.dimensions[d]} />
                </span>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small" title={t("quality.trend")} style={{ height: "100%" }}>
            {trend && <EChart option={trend} height={300} testId="quality-trend" ariaLabel={t("quality.trend")} />}
          </Card>
        </Col>
      </Row>

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("quality.columns")}
      </Typography.Title>
      <Table
        size="small"
        rowKey="column"
        dataSource={r.columns}
        pagination={false}
        data-testid="quality-columns"
        columns={[
          { title: t("item.name"), dataIndex: "column" },
          { title: t("quality.score"), dataIndex: "score", width: 90, render: (v: number | null) => <ScoreTag value={v} /> },
          ...DIMENSIONS.map((d) => ({ title: dimName(d), width: 90, render: (_: unknown, c: ReportResponse["columns"][number]) => <ScoreTag value={c.dimensions[d]} /> })),
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("quality.rules")}
      </Typography.Title>
      <RulesTable rules={r.rules} />
      {editing && (
        <RulesEditor
          datasetId={datasetId}
          onClose={(changed) => {
            setEditing(false);
            if (changed) void rescore();
          }}
        />
      )}
    </div>
  );
}

function RulesTable({ rules }: { rules: RuleResult[] }) {
  const { t, lang } = useI18n();
  const sorted = [...rules].sort((a, b) => b.failed - a.failed || a.column.localeCompare(b.column));
  return (
    <Table<RuleResult>
      size="small"
      rowKey="ruleId"
      dataSource={sorted}
      pagination={sorted.length > 15 ? { pageSize: 15, showSizeChanger: false } : false}
      data-testid="quality-rules"
      expandable={{
        rowExpandable: (x) => x.samples.length > 0,
        expandedRowRender: (x) => (
          <Table
            size="small"
            rowKey={(s) => String(s.row)}
            dataSource={x.samples}
            pagination={false}
            columns={[
              { title: t("load.row"), dataIndex: "row", width: 80 },
              { title: t("quality.sampleKey"), render: (_: unknown, s) => Object.entries(s.key).map(([k, v]) => `${k}: ${v ?? "∅"}`).join("；") },
              { title: t("quality.sampleValues"), render: (_: unknown, s) => <Typography.Text type="danger">{Object.entries(s.values).map(([k, v]) => `${k}: ${v ?? "∅"}`).join("；")}</Typography.Text> },
            ]}
          />
        ),
      }}
      columns={[
        { title: t("load.column"), dataIndex: "column", width: 160, render: (c: string) => (c === "*" ? t("quality.datasetLevel") : c) },
        { title: t("quality.rule"), render: (_: unknown, x) => ruleLabel(x.kind, x.label, t, lang) },
        { title: t("quality.dimension"), dataIndex: "dimension", width: 100, render: (d: Dimension) => t(`quality.dim.${d}` as MessageKey) },
        { title: t("quality.evaluated"), dataIndex: "evaluated", width: 100, align: "right", render: (n: number) => n.toLocaleString(lang) },
        { title: t("quality.failed"), dataIndex: "failed", width: 90, align: "right", render: (n: number) => (n ? <Typography.Text type="danger" strong>{n.toLocaleString(lang)}</Typography.Text> : 0) },
        { title: t("quality.passRate"), dataIndex: "ratio", width: 100, render: (v: number | null) => <ScoreTag value={v} /> },
      ]}
    />
  );
}

const RULE_KINDS = ["required", "idcard", "uscc", "mobile", "date", "codeList", "range", "length", "regex", "unique", "duplicateRows", "compare", "timeliness"];

export function ruleLabel(kind: string, serverLabel: string, t: ReturnType<typeof useI18n>["t"], lang: string): string {
  if (lang === "en" && RULE_KINDS.includes(kind)) return t(`rule.${kind}` as MessageKey);
  return serverLabel || (RULE_KINDS.includes(kind) ? t(`rule.${kind}` as MessageKey) : kind);
}
