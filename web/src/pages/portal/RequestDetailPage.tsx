import { Alert, Button, Card, Col, Descriptions, Result, Row, Skeleton, Space, Typography } from "antd";
import { ArrowLeftOutlined, LockOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router-dom";
import { api, type OpenRequestView } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";
import { AnswerBlock, handlerName, RequestStatus, RequestTimeline, type RequestKind } from "./feedback-parts.tsx";
import { RequestActions } from "./feedback-forms.tsx";

/**
 * /open/demands/:id and /open/reports/:id — one demand or error report: what was asked, the public
 * answer and the timeline; the staff's 分派 / 答复 buttons; the private part (requester, contact,
 * routing note) for the requester, the department and the data administration.
 */
export default function RequestDetailPage({ kind }: { kind: RequestKind }) {
  const { id = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { user } = useAuth();
  const res = useAsync<OpenRequestView>(() => (kind === "demand" ? api.open.demand(id).then((x) => x.demand) : api.open.report(id).then((x) => x.report)), [id, kind, user?.id]);
  const list = kind === "demand" ? "/open/demands" : "/open/reports";

  if (res.loading && !res.data) return <><PortalNav /><Card><Skeleton active paragraph={{ rows: 8 }} /></Card></>;
  if (res.error && !res.data) {
    if (res.error.status === 404)
      return (
        <>
          <PortalNav />
          <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to={list}><Button>{t("common.back")}</Button></Link>} />
        </>
      );
    return <><PortalNav /><ErrorAlert error={res.error} onRetry={res.reload} /></>;
  }
  const r = res.data!;
  const p = r.private;

  return (
    <div>
      <PortalNav />
      <Link to={list} style={{ display: "inline-block", marginBottom: 12 }}>
        <ArrowLeftOutlined /> {t(kind === "demand" ? "portal.demand.pageTitle" : "portal.report.pageTitle")}
      </Link>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card style={{ marginBottom: 16 }}>
            <div style={{ display: "flex", justifyContent: "space-between", gap: 12, flexWrap: "wrap", alignItems: "flex-start" }}>
              <div style={{ minWidth: 0 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(kind === "demand" ? "portal.demand.one" : "portal.report.one")} · {r.id}
                </Typography.Text>
                <h1 style={{ margin: "4px 0 8px", fontSize: 22 }} data-testid="request-title">
                  {r.title}
                </h1>
                <RequestStatus r={r} />
              </div>
              <RequestActions r={r} onDone={() => res.reload()} />
            </div>
            <Typography.Paragraph style={{ margin: "16px 0", whiteSpace: "pre-wrap", color: "#333" }} data-testid="request-description">
              {r.description}
            </Typography.Paragraph>
            <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={{ label: { width: 120, whiteSpace: "nowrap" } }} data-testid="request-meta">
              {r.intendedUse && (
                <Descriptions.Item label={t("portal.demand.intendedUse")} span={2}>
                  <span style={{ whiteSpace: "pre-wrap" }}>{r.intendedUse}</span>
                </Descriptions.Item>
              )}
              {r.entry && (
                <Descriptions.Item label={t(kind === "demand" ? "portal.demand.entry" : "portal.report.dataset")} span={2}>
                  {kind === "report" ? <Link to={`/open/datasets/${r.entry.id}`}>{r.entry.name}</Link> : <Link to={`/catalog/${r.entry.id}`}>{r.entry.name}</Link>}
                  {r.entry.code && <Typography.Text type="secondary"> · {r.entry.code}</Typography.Text>}
                </Descriptions.Item>
              )}
              {r.item && <Descriptions.Item label={t("portal.report.item")}>{r.item}</Descriptions.Item>}
              {r.rowRef && <Descriptions.Item label={t("portal.report.rowRef")}>{r.rowRef}</Descriptions.Item>}
              {r.dataVersion != null && <Descriptions.Item label={t("portal.report.reportedVersion")}>v{r.dataVersion}</Descriptions.Item>}
              {r.requestedOrg && kind === "demand" && <Descriptions.Item label={t("portal.demand.org")}>{r.requestedOrg.name ?? "—"}</Descriptions.Item>}
              <Descriptions.Item label={t("portal.fb.department")}>{handlerName(r, t)}</Descriptions.Item>
              <Descriptions.Item label={t("portal.fb.createdAt")}>{formatTime(r.createdAt, lang, true)}</Descriptions.Item>
              <Descriptions.Item label={t("portal.fb.dueAt")}>{formatTime(r.dueAt, lang, true)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t("portal.fb.publicAnswer")} size="small">
            <AnswerBlock r={r} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t("portal.fb.timeline")} size="small" style={{ marginBottom: 16 }}>
            <RequestTimeline r={r} />
          </Card>
          {p && (
            <Card title={<><LockOutlined /> {t("portal.fb.private")}</>} size="small" data-testid="request-private">
              <Space orientation="vertical" size={6} style={{ width: "100%", fontSize: 13 }}>
                <span>
                  {t("portal.fb.submitter")}
                  {t("common.colon")}
                  {p.submitter?.name ?? t("portal.fb.anonymous")}
                </span>
                {p.contact && (
                  <span>
                    {t("portal.report.contact")}
                    {t("common.colon")}
                    {p.contact}
                  </span>
                )}
                {p.assignNote && (
                  <span>
                    {t("portal.demand.assignNote")}
                    {t("common.colon")}
                    {p.assignNote}
                  </span>
                )}
                <Alert type="info" showIcon style={{ fontSize: 12 }} title={t("portal.fb.privateHelp")} />
              </Space>
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
