import { Card, Col, Input, List, Progress, Row, Skeleton, Space, Statistic, Typography } from "antd";
import { ApartmentOutlined, DatabaseOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { GradeTag, OpenTag, ShareTag } from "../components/tags.tsx";

const BAR_COLORS: Record<string, string> = {
  无条件共享: "#52c41a", 有条件共享: "#faad14", 不予共享: "#ff4d4f",
  无条件开放: "#13c2c2", 有条件开放: "#1677ff", 不予开放: "#bfbfbf",
  一般: "#8c8c8c", 重要: "#fa8c16", 核心: "#eb2f96",
};

export default function HomePage() {
  const { t, term, lang } = useI18n();
  const navigate = useNavigate();
  const stats = useAsync(() => api.catalog.stats(), []);
  const latest = useAsync(() => api.catalog.search({ sort: "published_desc", pageSize: 6, facets: false }), []);

  const breakdown = (titleKey: MessageKey, data: Record<string, number> | undefined, filter: string) => {
    const entries = Object.entries(data ?? {}).sort((a, b) => b[1] - a[1]);
    const total = entries.reduce((s, [, n]) => s + n, 0) || 1;
    return (
      <Card title={t(titleKey)} size="small" style={{ height: "100%" }}>
        {stats.loading && !stats.data ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : entries.length ? (
          <Space orientation="vertical" style={{ width: "100%" }} size={6}>
            {entries.map(([k, n]) => (
              <Link key={k} to={`/catalog?${filter}=${encodeURIComponent(k)}`} style={{ display: "block", color: "inherit" }}>
                <div style={{ display: "flex", justifyContent: "space-between" }}>
                  <span>{term(k)}</span>
                  <span style={{ fontVariantNumeric: "tabular-nums" }}>{n}</span>
                </div>
                <Progress percent={Math.round((n / total) * 100)} showInfo={false} size="small" strokeColor={BAR_COLORS[k] ?? "#1d4ed8"} />
              </Link>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t("common.none")}</Typography.Text>
        )}
      </Card>
    );
  };

  return (
    <div>
      <section
        style={{
          background: "linear-gradient(135deg, #0f2a5f 0%, #1d4ed8 60%, #3b82f6 100%)",
          borderRadius: 12,
          padding: "48px 40px",
          color: "#fff",
          marginBottom: 24,
        }}
      >
        <h1 style={{ color: "#fff", fontSize: 30, margin: 0, fontWeight: 700 }}>{t("home.hero")}</h1>
        <p style={{ color: "rgba(255,255,255,0.85)", fontSize: 15, margin: "12px 0 24px" }}>{t("home.heroSub")}</p>
        <Input.Search
          size="large"
          enterButton={t("home.search")}
          placeholder={t("home.searchPlaceholder")}
          aria-label={t("home.searchPlaceholder")}
          style={{ maxWidth: 640 }}
          onSearch={(q) => navigate(q.trim() ? `/catalog?q=${encodeURIComponent(q.trim())}` : "/catalog")}
        />
      </section>

      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12}>
          <Card>
            <Statistic title={t("home.published")} value={stats.data?.published ?? 0} loading={stats.loading && !stats.data} prefix={<DatabaseOutlined />} />
          </Card>
        </Col>
        <Col xs={24} sm={12}>
          <Card>
            <Statistic title={t("home.departments")} value={stats.data?.departments ?? 0} loading={stats.loading && !stats.data} prefix={<ApartmentOutlined />} />
          </Card>
        </Col>
        {stats.error && (
          <Col span={24}>
            <Typography.Text type="secondary">{t("home.statsError")}</Typography.Text>
          </Col>
        )}
        <Col xs={24} md={8}>{breakdown("home.byShareType", stats.data?.byShareType, "shareType")}</Col>
        <Col xs={24} md={8}>{breakdown("home.byOpenType", stats.data?.byOpenType, "openType")}</Col>
        <Col xs={24} md={8}>{breakdown("home.byGrade", stats.data?.byGrade, "grade")}</Col>
        <Col span={24}>
          <Card title={t("home.latest")} size="small" extra={<Link to="/catalog?sort=published_desc">{t("nav.catalog")} →</Link>}>
            <List
              loading={latest.loading && !latest.data}
              dataSource={latest.data?.items ?? []}
              locale={{ emptyText: t("search.empty") }}
              renderItem={(e) => (
                <List.Item key={e.id} extra={<Typography.Text type="secondary">{formatTime(e.publishedAt, lang)}</Typography.Text>}>
                  <List.Item.Meta
                    title={<Link to={`/catalog/${e.id}`}>{e.name}</Link>}
                    description={
                      <Space size={4} wrap>
                        <Typography.Text type="secondary">{e.provider?.name}</Typography.Text>
                        <ShareTag value={e.shareType} />
                        <OpenTag value={e.openType} />
                        <GradeTag value={e.grade} />
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
