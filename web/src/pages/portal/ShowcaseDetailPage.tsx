import { Alert, Button, Card, Col, Descriptions, List, Result, Row, Skeleton, Space, Tag, Typography } from "antd";
import { ArrowLeftOutlined, LinkOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";
import { ShowcaseReview } from "./feedback-forms.tsx";

/** /open/showcase/:id — one application built on open data: what it does, its link, the open data it uses; its review for the submitter and the administration. */
export default function ShowcaseDetailPage() {
  const { id = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { user, hasRole } = useAuth();
  const res = useAsync(() => api.open.showcaseItem(id).then((x) => x.application), [id, user?.id]);

  if (res.loading && !res.data) return <><PortalNav /><Card><Skeleton active paragraph={{ rows: 6 }} /></Card></>;
  if (res.error && !res.data) {
    if (res.error.status === 404)
      return (
        <>
          <PortalNav />
          <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to="/open/showcase"><Button>{t("common.back")}</Button></Link>} />
        </>
      );
    return <><PortalNav /><ErrorAlert error={res.error} onRetry={res.reload} /></>;
  }
  const a = res.data!;
  const r = a.review;

  return (
    <div>
      <PortalNav />
      <Link to="/open/showcase" style={{ display: "inline-block", marginBottom: 12 }}>
        <ArrowLeftOutlined /> {t("portal.showcase.pageTitle")}
      </Link>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card>
            <div style={{ display: "flex", justifyContent: "space-between", gap: 12, flexWrap: "wrap" }}>
              <div>
                <h1 style={{ margin: "0 0 6px", fontSize: 24 }} data-testid="showcase-name">
                  {a.name}
                </h1>
                <Typography.Text type="secondary">
                  {a.organisation ?? t("portal.showcase.individual")}
                  {a.approvedAt && <> · {t("portal.showcase.approvedAt", { date: formatTime(a.approvedAt, lang) })}</>}
                </Typography.Text>
              </div>
              <a href={a.url} target="_blank" rel="noreferrer noopener">
                <Button type="primary" icon={<LinkOutlined />} tabIndex={-1}>
                  {t("portal.showcase.visit")}
                </Button>
              </a>
            </div>
            <Typography.Paragraph style={{ margin: "16px 0", whiteSpace: "pre-wrap", fontSize: 15, color: "#333" }} data-testid="showcase-description">
              {a.description}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.url}
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          {r && (
            <Card title={t("portal.showcase.reviewTitle")} size="small" style={{ marginBottom: 16 }} data-testid="showcase-review">
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t("portal.fb.state")}>
                  <Tag color={r.status === "approved" ? "success" : r.status === "rejected" ? "error" : "gold"}>{t(`portal.showcase.status.${r.status}` as MessageKey)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t("portal.fb.submitter")}>{r.submitter.name ?? "—"}</Descriptions.Item>
                <Descriptions.Item label={t("portal.fb.createdAt")}>{formatTime(a.createdAt, lang, true)}</Descriptions.Item>
                {r.reviewedAt && <Descriptions.Item label={t("portal.showcase.reviewedAt")}>{formatTime(r.reviewedAt, lang, true)}</Descriptions.Item>}
              </Descriptions>
              {r.reason && <Alert type="error" showIcon title={t("portal.showcase.returnedReason")} description={r.reason} style={{ marginBottom: 8 }} />}
              {hasRole("platform_admin") && <ShowcaseReview a={a} onDone={() => res.reload()} />}
            </Card>
          )}
          <Card title={t("portal.showcase.datasets")} size="small">
            <List
              size="small"
              dataSource={a.datasets}
              data-testid="showcase-datasets-used"
              renderItem={(d) => (
                <List.Item key={d.id}>
                  <Space>
                    {d.open ? <Link to={`/open/datasets/${d.id}`}>{d.title}</Link> : <span>{d.title}</span>}
                    {!d.open && <Tag>{t("portal.showcase.noLongerOpen")}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
