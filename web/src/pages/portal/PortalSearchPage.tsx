import { Button, Card, Checkbox, Col, Input, Pagination, Row, Select, Skeleton, Space, Tag, Typography } from "antd";
import { ClearOutlined } from "@ant-design/icons";
import { useSearchParams } from "react-router-dom";
import { api, type OpenSearchQuery } from "../../api.ts";
import { useAsync } from "../../hooks.ts";
import { useI18n, type MessageKey } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";
import { DatasetList } from "./PortalHomePage.tsx";
import { PortalNav } from "./parts.tsx";

/** The facets of the open catalog, in the order shown (the query parameter is the facet's name). */
const FACETS = ["theme", "provider", "format", "openType"] as const;
type Facet = (typeof FACETS)[number];
const SORTS = ["relevance", "published_desc", "updated_desc", "name_asc"] as const;
const PAGE_SIZE = 10;

/** /open/datasets — the open catalog: text search, facets (theme, department, format, open type), sort, paging. */
export default function PortalSearchPage() {
  const { t, term, lang } = useI18n();
  const [sp, setSp] = useSearchParams();
  const q = sp.get("q") ?? "";
  const sortParam = sp.get("sort") ?? "";
  const sort = ((SORTS as readonly string[]).includes(sortParam) ? sortParam : q ? "relevance" : "published_desc") as NonNullable<OpenSearchQuery["sort"]>;
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const filters: Partial<Record<Facet, string>> = {};
  for (const f of FACETS) {
    const v = sp.get(f);
    if (v) filters[f] = v;
  }
  const key = sp.toString();
  const res = useAsync(
    () => api.open.search({ q: q || undefined, sort, page, pageSize: PAGE_SIZE, ...filters, openType: filters.openType as OpenSearchQuery["openType"] }),
    [key],
  );

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
  const facets = (data?.facets ?? {}) as Partial<Record<Facet, { value: string; label: string; count: number }[]>>;
  const labelOf = (f: Facet, value: string, label?: string) => (f === "provider" ? (label ?? value) : f === "format" ? value.toUpperCase() : term(label || value));
  const active = Object.entries(filters) as [Facet, string][];

  return (
    <div>
      <PortalNav />
      <Input.Search
        size="large"
        defaultValue={q}
        key={q}
        allowClear
        placeholder={t("portal.searchPlaceholder")}
        aria-label={t("portal.searchPlaceholder")}
        enterButton={t("home.search")}
        onSearch={(v) => update({ q: v.trim() || undefined, sort: undefined })}
        style={{ marginBottom: 16 }}
        data-testid="portal-search"
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={7} lg={6}>
          <Card
            size="small"
            title={t("search.filters")}
            data-testid="portal-facets"
            extra={
              active.length ? (
                <Button size="small" type="link" icon={<ClearOutlined />} onClick={() => update(Object.fromEntries(active.map(([k]) => [k, undefined])))}>
                  {t("search.clear")}
                </Button>
              ) : null
            }
          >
            {FACETS.map((f) => {
              const buckets = facets[f] ?? [];
              if (!buckets.length && !filters[f]) return null;
              return (
                <fieldset key={f} style={{ border: "none", padding: 0, margin: "0 0 14px" }} data-testid={`facet-${f}`}>
                  <legend style={{ fontWeight: 600, fontSize: 13, marginBottom: 6, color: "#333" }}>{t(`portal.facet.${f}` as MessageKey)}</legend>
                  <Space orientation="vertical" size={2} style={{ width: "100%" }}>
                    {buckets.slice(0, 12).map((b) => (
                      <Checkbox key={b.value} checked={filters[f] === b.value} onChange={(e) => update({ [f]: e.target.checked ? b.value : undefined })} style={{ width: "100%" }}>
                        <span style={{ display: "inline-flex", justifyContent: "space-between", width: "100%", gap: 8 }}>
                          <span>{labelOf(f, b.value, b.label)}</span>
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
            {data && !FACETS.some((f) => facets[f]?.length) && <Typography.Text type="secondary">{t("common.none")}</Typography.Text>}
          </Card>
        </Col>
        <Col xs={24} md={17} lg={18}>
          <Card size="small" styles={{ body: { paddingTop: 8 } }}>
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", flexWrap: "wrap", gap: 8, padding: "4px 0 8px", borderBottom: "1px solid #f0f0f0" }}>
              <Typography.Text type="secondary" data-testid="result-count">
                {data ? t("portal.results", { n: `${data.total.toLocaleString(lang)}${data.totalIsLowerBound ? "+" : ""}` }) : t("common.loading")}
              </Typography.Text>
              <Space>
                <label htmlFor="gs-open-sort">{t("search.sort")}</label>
                <Select
                  id="gs-open-sort"
                  value={sort}
                  style={{ width: 168 }}
                  onChange={(v) => update({ sort: v })}
                  options={SORTS.map((s) => ({ value: s, label: t(`search.sort.${s}` as MessageKey) }))}
                />
              </Space>
            </div>
            {active.length > 0 && (
              <Space wrap style={{ padding: "8px 0" }}>
                {active.map(([k, v]) => (
                  <Tag key={k} closable onClose={() => update({ [k]: undefined })} color="blue">
                    {t(`portal.facet.${k}` as MessageKey)}
                    {t("common.colon")}
                    {labelOf(k, v, facets[k]?.find((x) => x.value === v)?.label)}
                  </Tag>
                ))}
              </Space>
            )}
            {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
            <DatasetList items={data?.items ?? []} loading={res.loading} testId="results" query={q} />
            {data && data.total > PAGE_SIZE && (
              <div style={{ display: "flex", justifyContent: "flex-end", marginTop: 12 }}>
                <Pagination current={page} pageSize={PAGE_SIZE} total={data.total} showSizeChanger={false} onChange={(p) => update({ page: p > 1 ? String(p) : undefined }, false)} />
              </div>
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
