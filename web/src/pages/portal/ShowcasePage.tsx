import { useState } from "react";
import { Alert, Button, Card, Col, Empty, Input, Pagination, Row, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { LinkOutlined, PlusOutlined } from "@ant-design/icons";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, type OpenShowcaseView } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert, PageTitle } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";
import { DatasetPicker, SignInPrompt } from "./feedback-parts.tsx";
import { ShowcaseModal, ShowcaseReview } from "./feedback-forms.tsx";

const PAGE_SIZE = 12;
const VIEWS = ["public", "mine", "review"] as const;
type View = (typeof VIEWS)[number];
const REVIEW_COLORS: Record<string, string> = { submitted: "gold", approved: "success", rejected: "error" };

/**
 * /open/showcase — 利用成果: the applications built on open data, as cards, filtered by the open
 * dataset they use and by text; signed-in users submit theirs (published once the data
 * administration approves) and see their submissions; the administration reviews (?view=review).
 */
export default function ShowcasePage() {
  const { t, lang } = useI18n();
  const { user, hasRole } = useAuth();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const admin = hasRole("platform_admin");
  const viewParam = sp.get("view") as View | null;
  const view: View = viewParam && VIEWS.includes(viewParam) && (viewParam !== "review" || admin) && (viewParam !== "mine" || !!user) ? viewParam : "public";
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const dataset = sp.get("dataset") ?? undefined;
  const q = sp.get("q") ?? "";
  const res = useAsync(() => api.open.showcase({ view, dataset, q: q || undefined, page, pageSize: PAGE_SIZE }), [sp.toString(), view, user?.id]);
  const datasetName = useAsync(() => (dataset ? api.open.dataset(dataset).then((p) => p.dataset.title).catch(() => dataset) : Promise.resolve(undefined)), [dataset]);
  const [submitting, setSubmitting] = useState(false);

  const update = (patch: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (resetPage) next.delete("page");
    setSp(next);
  };
  const data = res.data;
  const tabs = [
    { key: "public", label: t("portal.showcase.view.public") },
    ...(user ? [{ key: "mine", label: t("portal.showcase.view.mine") }] : []),
    ...(admin ? [{ key: "review", label: <span data-testid="tab-review">{t("portal.showcase.view.review")}</span> }] : []),
  ];

  return (
    <div>
      <PortalNav />
      <PageTitle
        extra={
          user ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setSubmitting(true)} data-testid="showcase-new">
              {t("portal.showcase.new")}
            </Button>
          ) : null
        }
      >
        {t("portal.showcase.pageTitle")}
      </PageTitle>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t("portal.showcase.intro")}
      </Typography.Paragraph>
      {!user && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <SignInPrompt text={t("portal.showcase.signIn")} testId="showcase-login" />
        </Card>
      )}
      <Card size="small" styles={{ body: { paddingTop: 0 } }} style={{ marginBottom: 16 }}>
        <Tabs activeKey={view} onChange={(v) => update({ view: v === "public" ? undefined : v })} items={tabs} />
        <Space wrap>
          <Input.Search
            defaultValue={q}
            key={q}
            allowClear
            placeholder={t("portal.showcase.search")}
            aria-label={t("portal.showcase.search")}
            onSearch={(v) => update({ q: v.trim() || undefined })}
            style={{ width: 260 }}
          />
          <DatasetPicker
            key={`${dataset ?? ""}:${datasetName.data ?? ""}`}
            value={dataset}
            onChange={(v) => update({ dataset: typeof v === "string" ? v : undefined })}
            style={{ width: 300 }}
            placeholder={t("portal.showcase.byDataset")}
            initial={dataset ? [{ value: dataset, label: datasetName.data ?? dataset }] : undefined}
            testId="showcase-dataset-filter"
          />
          {data && (
            <Typography.Text type="secondary" data-testid="showcase-count">
              {t("portal.showcase.count", { n: data.total.toLocaleString(lang) })}
            </Typography.Text>
          )}
        </Space>
      </Card>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      {!data && res.loading ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : data && !data.items.length ? (
        <Card>
          <Empty description={t(view === "review" ? "portal.showcase.reviewEmpty" : "portal.showcase.empty")} />
        </Card>
      ) : (
        <Row gutter={[16, 16]} data-testid="showcase-gallery">
          {(data?.items ?? []).map((a) => (
            <Col key={a.id} xs={24} md={12} xl={8}>
              <ShowcaseCard a={a} onReviewed={() => res.reload()} />
            </Col>
          ))}
        </Row>
      )}
      {data && data.total > PAGE_SIZE && (
        <div style={{ display: "flex", justifyContent: "flex-end", marginTop: 16 }}>
          <Pagination current={page} pageSize={PAGE_SIZE} total={data.total} showSizeChanger={false} onChange={(p) => update({ page: p > 1 ? String(p) : undefined }, false)} />
        </div>
      )}
      {submitting && (
        <ShowcaseModal
          initialDataset={dataset ? { value: dataset, label: datasetName.data ?? dataset } : undefined}
          onClose={() => setSubmitting(false)}
          onDone={(a) => navigate(`/open/showcase/${a.id}`)}
        />
      )}
    </div>
  );
}

/** One application: name, builder, what it does, the open data it uses, its link; its review state for its submitter and the administration. */
export function ShowcaseCard({ a, onReviewed, compact }: { a: OpenShowcaseView; onReviewed?(): void; compact?: boolean }) {
  const { t, lang } = useI18n();
  const { hasRole } = useAuth();
  const r = a.review;
  return (
    <Card
      size="small"
      data-testid="showcase-card"
      style={{ height: "100%", borderTop: "3px solid #0e7490" }}
      title={
        <Link to={`/open/showcase/${a.id}`} style={{ fontSize: 15 }}>
          {a.name}
        </Link>
      }
      extra={
        <a href={a.url} target="_blank" rel="noreferrer noopener" aria-label={t("portal.showcase.visit")}>
          <LinkOutlined /> {compact ? "" : t("portal.showcase.visit")}
        </a>
      }
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {a.organisation ?? t("portal.showcase.individual")} · {a.approvedAt ? t("portal.showcase.approvedAt", { date: formatTime(a.approvedAt, lang) }) : t("portal.showcase.submittedAt", { date: formatTime(a.createdAt, lang) })}
      </Typography.Text>
      <Typography.Paragraph ellipsis={{ rows: compact ? 2 : 3 }} style={{ margin: "8px 0", fontSize: 13, color: "#444", minHeight: compact ? undefined : 60 }}>
        {a.description}
      </Typography.Paragraph>
      <Space size={[4, 4]} wrap>
        {a.datasets.map((d) =>
          d.open ? (
            <Link key={d.id} to={`/open/datasets/${d.id}`}>
              <Tag color="cyan" bordered={false}>{d.title}</Tag>
            </Link>
          ) : (
            <Tag key={d.id} bordered={false}>{d.title}</Tag>
          ),
        )}
      </Space>
      {r && r.status !== "approved" && (
        <div style={{ marginTop: 10 }}>
          <Tag color={REVIEW_COLORS[r.status]} data-testid="review-status">{t(`portal.showcase.status.${r.status}` as MessageKey)}</Tag>
          {r.reason && <Alert type="error" showIcon style={{ marginTop: 6, fontSize: 12 }} title={r.reason} />}
          {hasRole("platform_admin") && (
            <div style={{ marginTop: 8, display: "flex", justifyContent: "space-between", alignItems: "center", gap: 8, flexWrap: "wrap" }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("portal.showcase.by", { name: r.submitter.name ?? "—" })}
              </Typography.Text>
              <ShowcaseReview a={a} size="small" onDone={() => onReviewed?.()} />
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
