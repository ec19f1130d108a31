import { Button, Card, Checkbox, Col, Empty, Input, List, Pagination, Row, Select, Skeleton, Space, Tag, Typography } from "antd";
import { ClearOutlined } from "@ant-design/icons";
import { Link, useSearchParams } from "react-router-dom";
import { api, type FacetField, type SearchParams } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, GradeTag, Highlight, OpenTag, ShareTag } from "../components/tags.tsx";

const FACETS: FacetField[] = ["provider", "theme", "shareType", "openType", "grade", "format", "updateCycle"];
const SORTS = ["relevance", "published_desc", "published_asc", "name_asc", "updated_desc"] as const;
const PAGE_SIZE = 10;

export default function CatalogSearchPage() {
  const { t, term, lang } = useI18n();
  const [sp, setSp] = useSearchParams();
  const q = sp.get("q") ?? "";
  const sort = (SORTS as readonly string[]).includes(sp.get("sort") ?? "") ? (sp.get("sort") as SearchParams["sort"]) : q ? "relevance" : "published_desc";
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const filters: Partial<Record<FacetField | "domain", string>> = {};
  for (const f of [...FACETS, "domain"] as const) {
    const v = sp.get(f);
    if (v) filters[f] = v;
  }
  const key = sp.toString();
  const res = useAsync(() => api.catalog.search({ q: q || undefined, sort, page, pageSize: PAGE_SIZE, facets: true, ...filters }), [key]);

  const update = (patch: Record<string, string | undefined>, resetPage = true) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (resetPage) next.delete("page");
    setSp(next);
  };

  const activeFilters = Object.entries(filters);
  const data = res.data;

  return (
    <div>
      <Input.Search
        size="large"
        defaultValue={q}
        key={q}
        allowClear
        placeholder={t("search.placeholder")}
        aria-label={t("search.placeholder")}
        enterButton={t("home.search")}
        onSearch={(v) => update({ q: v.trim() || undefined, sort: undefined })}
        style={{ marginBottom: 16 }}
        data-testid="catalog-search"
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={7} lg={6}>
          <Card
            size="small"
            title={t("search.filters")}
            extra={
              activeFilters.length ? (
                <Button size="small" type="link" icon={<ClearOutlined />} onClick={() => update(Object.fromEntries(activeFilters.map(([k]) => [k, undefined])))}>
                  {t("search.clear")}
                </Button>
              ) : null
            }
          >
            {FACETS.map((f) => {
              const buckets = data?.facets?.[f] ?? [];
              if (!buckets.length && !filters[f]) return null;
              const label = t(`facet.${f}` as MessageKey);
              return (
                <fieldset key={f} style={{ border: "none", padding: 0, margin: "0 0 14px" }}>
                  <legend style={{ fontWeight: 600, fontSize: 13, marginBottom: 6, color: "#333" }}>{label}</legend>
                  <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                    {buckets.slice(0, 12).map((b) => (
                      <Checkbox
                        key={b.value}
                        checked={filters[f] === b.value}
                        onChange={(e) => update({ [f]: e.target.checked ? b.value : undefined })}
                        style={{ width: "100%" }}
                      >
                        <span style={{ display: "inline-flex", justifyContent: "space-between", width: "100%", gap: 8 }}>
                          <span>{f === "provider" || f === "format" ? b.label || b.value : term(b.label || b.value)}</span>
                          <Typography.Text type="secondary" style={{ fontVariantNumeric: "tabular-nums" }}>
                            {b.count}
                          </Typography.Text>
                        </span>
                      </Checkbox>
                    ))}
                  </Space>
                </fieldset>
              );
            })}
            {!data && res.loading && <Skeleton active />}
            {data && !FACETS.some((f) => data.facets?.[f]?.length) && <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} md={17} lg={18}>
          <Card size="small" styles={{ body: { paddingTop: 8 } }}>
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", flexWrap: "wrap", gap: 8, padding: "4px 0 8px", borderBottom: "1px solid #f0f0f0" }}>
              <Typography.Text type="secondary" data-testid="result-count">
                {data ? t("search.results", { n: data.totalIsLowerBound ? `${data.total}+` : data.total, ms: data.tookMs ?? 0 }) : t("common.loading")}
              </Typography.Text>
              <Space>
                <label htmlFor="gs-sort">{t("search.sort")}</label>
                <Select
                  id="gs-sort"
                  value={sort}
                  style={{ width: 168 }}
                  onChange={(v) => update({ sort: v })}
                  options={SORTS.map((s) => ({ value: s, label: t(`search.sort.${s}` as MessageKey) }))}
                />
              </Space>
            </div>
            {activeFilters.length > 0 && (
              <Space wrap style={{ padding: "8px 0" }}>
                {activeFilters.map(([k, v]) => {
                  const b = data?.facets?.[k as FacetField]?.find((x) => x.value === v);
                  return (
                    <Tag key={k} closable onClose={() => update({ [k]: undefined })} color="blue">
                      {t(`facet.${k}` as MessageKey)}{t("common.colon")}{k === "provider" ? (b?.label ?? v) : term(b?.label ?? v)}
                    </Tag>
                  );
                })}
              </Space>
            )}
            {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
            <List
              loading={res.loading}
              dataSource={data?.items ?? []}
              locale={{ emptyText: <Empty description={t("search.empty")} /> }}
              renderItem={(e) => (
                <List.Item key={e.id} data-testid="result-item">
                  <div style={{ width: "100%" }}>
                    <div style={{ display: "flex", justifyContent: "space-between", gap: 12, alignItems: "baseline" }}>
                      <Link to={`/catalog/${e.id}`} style={{ fontSize: 16, fontWeight: 600 }}>
                        <Highlight text={e.name} query={q} />
                      </Link>
                      <Typography.Text type="secondary" style={{ whiteSpace: "nowrap", fontSize: 12 }}>
                        {t("field.publishedAt")} {formatTime(e.publishedAt, lang)}
                      </Typography.Text>
                    </div>
                    <div style={{ margin: "4px 0", color: "#666", fontSize: 13 }}>
                      <Typography.Text code copyable={{ text: e.code }} style={{ fontSize: 12 }}>
                        {e.code}
                      </Typography.Text>
                      <span style={{ marginInlineStart: 8 }}>{e.provider?.name}</span>
                      {e.theme && <span style={{ marginInlineStart: 8 }}>· {term(e.theme)}</span>}
                    </div>
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: "4px 0 8px", fontSize: 13 }}>
                      {e.highlight && stripMarks(e.highlight) !== e.name ? (
                        <Highlight text={stripMarks(e.highlight)} query={q} marked={e.highlight} />
                      ) : (
                        <Highlight text={e.summary ?? ""} query={q} />
                      )}
                    </Typography.Paragraph>
                    <Space size={[4, 4]} wrap>
                      <ShareTag value={e.shareType} />
                      <OpenTag value={e.openType} />
                      <GradeTag value={e.grade} />
                      {e.formats?.map((f) => (
                        <Tag key={f} bordered={false}>
                          {f}
                        </Tag>
                      ))}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("tag.cycle")}{t("common.colon")}{term(e.updateCycle)} · {t("tag.items", { n: e.itemCount ?? 0 })}
                      </Typography.Text>
                    </Space>
                  </div>
                </List.Item>
              )}
            />
            {data && data.total > PAGE_SIZE && (
              <div style={{ display: "flex", justifyContent: "flex-end", marginTop: 12 }}>
                <Pagination
                  current={page}
                  pageSize={PAGE_SIZE}
                  total={data.total}
                  showSizeChanger={false}
                  onChange={(p) => update({ page: p > 1 ? String(p) : undefined }, false)}
                />
              </div>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function stripMarks(s: string): string {
  return s.replace(/<\/?(?:mark|em)>/g, "");
}
