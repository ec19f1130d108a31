import { useMemo, useState } from "react";
import { Card, Col, Empty, Row, Segmented, Space, Statistic, Table, Typography } from "antd";
import { Link, useSearchParams } from "react-router-dom";
import { api, type OpenDepartmentFigures, type OpenFigures } from "../../api.ts";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { EChart, type ChartOption } from "../../components/EChart.tsx";
import { ErrorAlert, PageTitle } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";

const WINDOWS = [30, 90, 365] as const;
type Days = (typeof WINDOWS)[number];
type Hours = "calendar" | "working";

/**
 * /open/responsiveness — 接诉即办: how the city and each department answer the public's demands and
 * error reports over the last 30, 90 or 365 days: received, answered, on time, median and 90th
 * percentile hours to the first answer (calendar or working hours), and those open past their deadline.
 */
export default function ResponsivenessPage() {
  const { t, lang } = useI18n();
  const [sp, setSp] = useSearchParams();
  const daysParam = Number(sp.get("days"));
  const days: Days = (WINDOWS as readonly number[]).includes(daysParam) ? (daysParam as Days) : 30;
  const [hours, setHours] = useState<Hours>("calendar");
  const res = useAsync(() => api.open.feedbackStats({ days }), [days]);
  const s = res.data;
  const num = (n: number) => n.toLocaleString(lang);
  const pct = (v: number | null) => (v == null ? "—" : `${(v * 100).toFixed(1)}%`);
  const hoursOf = (f: OpenFigures) => (hours === "calendar" ? f.hoursToAnswer : f.workingHoursToAnswer);
  // Figures come rounded to 0.1 h: 0 means within a few minutes.
  const h = (v: number | undefined) => (v == null ? "—" : v === 0 ? t("portal.resp.underHours", { n: (0.1).toLocaleString(lang) }) : t("portal.resp.hours", { n: v.toLocaleString(lang, { maximumFractionDigits: 1 }) }));

  const option = useMemo<ChartOption | null>(() => {
    if (!s?.departments.length) return null;
    const depts = s.departments.slice(0, 12);
    return {
      grid: { left: 24, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: depts.map((d) => d.org.name), axisLabel: { interval: 0, width: 110, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "bar", barMaxWidth: 28, name: t("portal.resp.received"), data: depts.map((d) => d.all.received), itemStyle: { color: "#94a3b8" } },
        { type: "bar", barMaxWidth: 28, name: t("portal.resp.answered"), data: depts.map((d) => d.all.answered), itemStyle: { color: "#0e7490" } },
        { type: "bar", barMaxWidth: 28, name: t("portal.resp.onTime"), data: depts.map((d) => d.all.answeredOnTime), itemStyle: { color: "#16a34a" } },
        { type: "bar", barMaxWidth: 28, name: t("portal.resp.openOverdue"), data: depts.map((d) => d.all.openOverdue), itemStyle: { color: "#dc2626" } },
      ],
    };
  }, [s, t]);

  const total = s?.total;
  const figure = (testId: string, title: string, value: string, sub?: string) => (
    <Col xs={12} md={8} xl={4}>
      <Card size="small" data-testid={testId} style={{ height: "100%" }}>
        <Statistic title={title} value={value} loading={!s && res.loading} />
        {sub && <div style={{ fontSize: 12, color: "#888", marginTop: 2 }}>{sub}</div>}
      </Card>
    </Col>
  );
  const split = (f: (x: OpenFigures) => number) => (total ? t("portal.resp.split", { d: num(f(total.demands)), r: num(f(total.reports)) }) : undefined);

  return (
    <div>
      <PortalNav />
      <PageTitle
        extra={
          <Space wrap>
            <Segmented<Hours>
              value={hours}
              onChange={setHours}
              options={[
                { value: "calendar", label: t("portal.resp.calendarHours") },
                { value: "working", label: t("portal.resp.workingHours") },
              ]}
            />
            <Segmented<Days>
              value={days}
              onChange={(v) => setSp(v === 30 ? {} : { days: String(v) })}
              options={WINDOWS.map((d) => ({ value: d, label: <span data-testid={`days-${d}`}>{t("portal.resp.lastDays", { n: d })}</span> }))}
            />
          </Space>
        }
      >
        {t("portal.resp.title")}
      </PageTitle>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {s
          ? t("portal.resp.intro", { demandDays: s.deadlines.demandDays, reportDays: s.deadlines.reportDays, from: formatTime(s.window.from, lang), to: formatTime(s.window.to, lang) })
          : t("common.loading")}{" "}
        <Link to="/open/demands">{t("portal.nav.demands")} →</Link> <Link to="/open/reports">{t("portal.nav.reports")} →</Link>
      </Typography.Paragraph>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}

      <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="city-figures">
        {figure("fig-received", t("portal.resp.received"), total ? num(total.all.received) : "—", split((x) => x.received))}
        {figure("fig-answered", t("portal.resp.answered"), total ? num(total.all.answered) : "—", total ? t("portal.resp.answerRate", { p: pct(total.all.answerRate) }) : undefined)}
        {figure("fig-ontime", t("portal.resp.onTimeRate"), total ? pct(total.all.onTimeRate) : "—", total ? t("portal.resp.onTimeCount", { n: num(total.all.answeredOnTime) }) : undefined)}
        {figure("fig-median", t("portal.resp.median"), total ? h(hoursOf(total.all)?.median) : "—")}
        {figure("fig-p90", t("portal.resp.p90"), total ? h(hoursOf(total.all)?.p90) : "—")}
        {figure("fig-overdue", t("portal.resp.openOverdue"), total ? num(total.all.openOverdue) : "—", total ? t("portal.resp.open", { n: num(total.all.open) }) : undefined)}
      </Row>

      <Row gutter={[16, 16]}>
        <Col span={24}>
          <Card title={t("portal.resp.byDept")} size="small">
            <Table<OpenDepartmentFigures>
              size="small"
              rowKey={(d) => d.org.id ?? "administration"}
              loading={res.loading}
              dataSource={s?.departments ?? []}
              pagination={false}
              scroll={{ x: "max-content" }}
              data-testid="dept-figures"
              locale={{ emptyText: <Empty description={t("portal.resp.none")} /> }}
              columns={[
                {
                  title: t("portal.fb.department"),
                  key: "org",
                  render: (_: unknown, d) => (d.org.id ? <Link to={`/open/demands?org=${d.org.id}`}>{d.org.name}</Link> : d.org.name),
                },
                {
                  title: t("portal.resp.received"),
                  key: "received",
                  align: "right",
                  render: (_: unknown, d) => (
                    <span>
                      <strong>{num(d.all.received)}</strong>
                      <div style={{ fontSize: 11, color: "#888", whiteSpace: "nowrap" }}>{t("portal.resp.split", { d: num(d.demands.received), r: num(d.reports.received) })}</div>
                    </span>
                  ),
                },
                { title: t("portal.resp.answered"), key: "answered", align: "right", render: (_: unknown, d) => num(d.all.answered) },
                { title: t("portal.resp.onTimeRate"), key: "onTime", align: "right", render: (_: unknown, d) => pct(d.all.onTimeRate) },
                { title: t("portal.resp.median"), key: "median", align: "right", render: (_: unknown, d) => h(hoursOf(d.all)?.median) },
                { title: t("portal.resp.p90"), key: "p90", align: "right", render: (_: unknown, d) => h(hoursOf(d.all)?.p90) },
                {
                  title: t("portal.resp.openOverdue"),
                  key: "overdue",
                  align: "right",
                  render: (_: unknown, d) => (d.all.openOverdue ? <Typography.Text type="danger" strong>{num(d.all.openOverdue)}</Typography.Text> : "0"),
                },
              ]}
            />
          </Card>
        </Col>
        {option && (
          <Col span={24}>
            <Card title={t("portal.resp.chart")} size="small">
              <EChart option={option} height={260} ariaLabel={t("portal.resp.chart")} testId="resp-chart" />
            </Card>
          </Col>
        )}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t("portal.resp.footnote")}
      </Typography.Paragraph>
    </div>
  );
}
