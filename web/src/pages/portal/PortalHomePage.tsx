import type { ReactNode } from "react";
import { Button, Card, Col, Empty, Input, List, Row, Space, Statistic, Tag, Typography } from "antd";
import { ApiOutlined, CloudDownloadOutlined, DatabaseOutlined, FileSearchOutlined, KeyOutlined, TableOutlined, UserAddOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router-dom";
import { api, type OpenDatasetSummary } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert, Highlight, OpenTag } from "../../components/tags.tsx";
import { PortalNav } from "./parts.tsx";

/** /open — the public portal's home: figures, a search box, themes, the newest and most used datasets, the way to the API. */
export default function PortalHomePage() {
  const { t, term, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const home = useAsync(() => api.open.home(), []);
  // Themes and departments across both open types (the home answer counts those of 无条件开放 only).
  const facets = useAsync(() => api.open.search({ pageSize: 1 }).then((r) => r.facets), []);
  const themes = facets.data?.theme?.map((b) => ({ theme: b.value, count: b.count }));
  const f = home.data?.figures;
  const departments = facets.data?.provider?.length ?? f?.departments;
  const loading = home.loading && !home.data;
  const num = (n: number | undefined) => (n ?? 0).toLocaleString(lang);

  const figure = (testId: string, title: string, value: number | undefined, icon: ReactNode, extra?: ReactNode) => (
    <Col xs={12} md={6}>
      <Card data-testid={testId} style={{ height: "100%" }}>
        <Statistic title={title} value={value ?? 0} loading={loading} prefix={icon} formatter={(v) => num(Number(v))} />
        {extra && <div style={{ marginTop: 4, fontSize: 12, color: "#888" }}>{extra}</div>}
      </Card>
    </Col>
  );

  return (
    <div>
      <PortalNav />
      <section
        style={{ background: "linear-gradient(135deg, #064e5b 0%, #0e7490 55%, #14b8a6 100%)", borderRadius: 12, padding: "40px 40px 36px", color: "#fff", marginBottom: 24 }}
      >
        <h1 style={{ color: "#fff", fontSize: 30, margin: 0, fontWeight: 700 }}>{t("portal.hero")}</h1>
        <p style={{ color: "rgba(255,255,255,0.88)", fontSize: 15, margin: "12px 0 24px", maxWidth: 760 }}>{t("portal.heroSub")}</p>
        <Input.Search
          size="large"
          enterButton={t("home.search")}
          placeholder={t("portal.searchPlaceholder")}
          aria-label={t("portal.searchPlaceholder")}
          style={{ maxWidth: 640 }}
          onSearch={(q) => navigate(q.trim() ? `/open/datasets?q=${encodeURIComponent(q.trim())}` : "/open/datasets")}
          data-testid="portal-search"
        />
        <div style={{ marginTop: 16 }}>
          <Space size={[8, 8]} wrap>
            {(themes ?? home.data?.themes ?? []).slice(0, 10).map((th) => (
              <Link key={th.theme} to={`/open/datasets?theme=${encodeURIComponent(th.theme)}`}>
                <Tag style={{ background: "rgba(255,255,255,0.14)", borderColor: "rgba(255,255,255,0.35)", color: "#fff", fontSize: 13, padding: "2px 10px" }}>
                  {term(th.theme)} · {th.count}
                </Tag>
              </Link>
            ))}
          </Space>
        </div>
      </section>

      {home.error && <ErrorAlert error={home.error} onRetry={home.reload} />}

      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {figure(
          "figure-datasets",
          t("portal.fig.datasets"),
          f?.openDatasets,
          <DatabaseOutlined />,
          f ? t("portal.fig.datasetsBreakdown", { a: num(f.unconditional), b: num(f.conditional), d: num(departments) }) : undefined,
        )}
        {figure("figure-rows", t("portal.fig.rows"), f?.rows, <TableOutlined />, f ? t("portal.fig.rowsNote", { n: num(f.withData) }) : undefined)}
        {figure("figure-downloads", t("portal.fig.downloads"), f?.downloads, <CloudDownloadOutlined />)}
        {figure("figure-api", t("portal.fig.apiCalls"), f?.apiCalls, <ApiOutlined />)}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card title={t("portal.latest")} size="small" extra={<Link to="/open/datasets?sort=published_desc">{t("portal.allDatasets")} →</Link>} style={{ marginBottom: 16 }}>
            <DatasetList items={home.data?.latest ?? []} loading={loading} testId="latest" />
          </Card>
          <Card title={t("portal.popular")} size="small">
            <List
              loading={loading}
              dataSource={home.data?.popular ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("portal.popularEmpty")} /> }}
              renderItem={(p, i) => (
                <List.Item key={p.id} extra={<Typography.Text type="secondary">{t("portal.uses", { n: num(p.uses) })}</Typography.Text>}>
                  <Space>
                    <Tag color={i < 3 ? "cyan" : "default"} style={{ minWidth: 28, textAlign: "center" }}>
                      {i + 1}
                    </Tag>
                    <Link to={`/open/datasets/${p.id}`}>{p.title}</Link>
                    <Typography.Text type="secondary">{p.provider.name}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t("portal.developers")} size="small" style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {t("portal.developersHelp")}
            </Typography.Paragraph>
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Link to="/open/api">
                <Button block icon={<ApiOutlined />}>
                  {t("portal.apiDocs")}
                </Button>
              </Link>
              {user ? (
                <Link to="/open/keys">
                  <Button block type="primary" icon={<KeyOutlined />}>
                    {t("portal.nav.keys")}
                  </Button>
                </Link>
              ) : (
                <Link to="/open/register?next=/open/keys">
                  <Button block type="primary" icon={<UserAddOutlined />}>
                    {t("portal.registerForKey")}
                  </Button>
                </Link>
              )}
            </Space>
          </Card>
          <Card title={t("portal.openTypes")} size="small">
            <Space orientation="vertical" size={12} style={{ width: "100%" }}>
              <div>
                <Link to={`/open/datasets?openType=${encodeURIComponent("无条件开放")}`}>
                  <OpenTag value="无条件开放" /> {num(f?.unconditional)}
                </Link>
                <div style={{ fontSize: 13, color: "#666", marginTop: 4 }}>{t("portal.unconditionalHelp")}</div>
              </div>
              <div>
                <Link to={`/open/datasets?openType=${encodeURIComponent("有条件开放")}`}>
                  <OpenTag value="有条件开放" /> {num(f?.conditional)}
                </Link>
                <div style={{ fontSize: 13, color: "#666", marginTop: 4 }}>{t("portal.conditionalHelp")}</div>
              </div>
              <Link to="/open/datasets">
                <FileSearchOutlined /> {t("portal.browseAll")}
              </Link>
            </Space>
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12, textAlign: "center" }}>
        {t("portal.homeFootnote")} <Link to="/ledger">{t("nav.ledger")} →</Link>
      </Typography.Paragraph>
    </div>
  );
}

/** Open datasets as a list: title, provider, open type, formats, dates. */
export function DatasetList({ items, loading, testId, query }: { items: OpenDatasetSummary[]; loading: boolean; testId: string; query?: string }) {
  const { t, term, lang } = useI18n();
  return (
    <List
      loading={loading}
      dataSource={items}
      data-testid={testId}
      locale={{ emptyText: <Empty description={query ? t("portal.noMatch", { q: query }) : t("portal.empty")} /> }}
      renderItem={(e) => (
        <List.Item key={e.id} data-testid="dataset-item">
          <div style={{ width: "100%" }}>
            <div style={{ display: "flex", justifyContent: "space-between", gap: 12, alignItems: "baseline" }}>
              <Link to={`/open/datasets/${e.id}`} style={{ fontSize: 16, fontWeight: 600 }}>
                <Highlight text={e.title} query={query} />
              </Link>
              <Typography.Text type="secondary" style={{ whiteSpace: "nowrap", fontSize: 12 }}>
                {t("portal.updatedAt")} {formatTime(e.updatedAt, lang)}
              </Typography.Text>
            </div>
            <div style={{ margin: "4px 0", color: "#666", fontSize: 13 }}>
              {e.provider.name}
              {e.theme && <span> · {term(e.theme)}</span>}
              <span> · {t("portal.cycle")}{t("common.colon")}{term(e.updateCycle)}</span>
            </div>
            {e.summary && (
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: "4px 0 8px", fontSize: 13 }}>
                {e.summary}
              </Typography.Paragraph>
            )}
            <Space size={[4, 4]} wrap>
              <OpenTag value={e.openType} />
              {e.formats.map((f) => (
                <Tag key={f} bordered={false}>
                  {f.toUpperCase()}
                </Tag>
              ))}
            </Space>
          </div>
        </List.Item>
      )}
    />
  );
}
