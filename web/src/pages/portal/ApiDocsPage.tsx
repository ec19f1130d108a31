import type { ReactNode } from "react";
import { Alert, Anchor, Button, Card, Col, Row, Space, Table, Tag, Typography } from "antd";
import { ApiOutlined, KeyOutlined, LinkOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { links } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n, type MessageKey } from "../../i18n.ts";
import { CodeBlock, DOWNLOAD_FORMATS, MAX_API_ROWS, PortalNav, SAMPLE_ROWS, origin } from "./parts.tsx";

interface Endpoint {
  method: "GET" | "POST";
  path: string;
  desc: MessageKey;
  auth: "none" | "session" | "grant";
}

const OPEN_ENDPOINTS: Endpoint[] = [
  { method: "GET", path: "/api/open/home", desc: "portal.docs.ep.home", auth: "none" },
  { method: "GET", path: "/api/open/datasets", desc: "portal.docs.ep.search", auth: "none" },
  { method: "GET", path: "/api/open/datasets/{id}", desc: "portal.docs.ep.dataset", auth: "none" },
  { method: "GET", path: "/api/open/datasets/{id}/sample", desc: "portal.docs.ep.sample", auth: "none" },
  { method: "GET", path: "/api/open/datasets/{id}/rows", desc: "portal.docs.ep.rows", auth: "grant" },
  { method: "GET", path: "/api/open/datasets/{id}/download", desc: "portal.docs.ep.download", auth: "grant" },
  { method: "POST", path: "/api/open/datasets/{id}/applications", desc: "portal.docs.ep.apply", auth: "session" },
  { method: "GET", path: "/api/open/applications", desc: "portal.docs.ep.applications", auth: "session" },
];
const ACCOUNT_ENDPOINTS: Endpoint[] = [
  { method: "POST", path: "/api/auth/register", desc: "portal.docs.ep.register", auth: "none" },
  { method: "POST", path: "/api/auth/login", desc: "portal.docs.ep.login", auth: "none" },
  { method: "GET", path: "/api/tokens", desc: "portal.docs.ep.tokens", auth: "session" },
  { method: "POST", path: "/api/tokens", desc: "portal.docs.ep.tokenCreate", auth: "session" },
  { method: "GET", path: "/api/tokens/{id}/usage", desc: "portal.docs.ep.tokenUsage", auth: "session" },
];
const CKAN_ACTIONS: [string, string][] = [
  ["package_list", "limit, offset"],
  ["package_search", "q, fq, rows, start, sort, facet.field"],
  ["package_show", "id"],
  ["organization_list", "all_fields"],
  ["organization_show", "id"],
  ["group_list", "all_fields"],
  ["tag_list", ""],
  ["resource_show", "id"],
  ["datastore_search", "resource_id, q, filters, fields, limit, offset, sort"],
];
const ROWS_PARAMS: [string, MessageKey][] = [
  ["columns", "portal.docs.param.columns"],
  ["filters", "portal.docs.param.filters"],
  ["q", "portal.docs.param.q"],
  ["sort", "portal.docs.param.sort"],
  ["limit", "portal.docs.param.limit"],
  ["offset", "portal.docs.param.offset"],
];

/** /open/api — how to use the open data API, the CKAN-compatible API and the DCAT export, with examples; the full reference is the OpenAPI (Swagger UI) page. */
export default function ApiDocsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const base = origin();

  const AUTH_TAG: Record<Endpoint["auth"], ReactNode> = {
    none: <Tag>{t("portal.docs.auth.none")}</Tag>,
    session: <Tag color="purple">{t("portal.docs.auth.session")}</Tag>,
    grant: <Tag color="cyan">{t("portal.docs.auth.grant")}</Tag>,
  };
  const endpointTable = (rows: Endpoint[], testId: string) => (
    <Table<Endpoint>
      size="small"
      rowKey={(r) => `${r.method} ${r.path}`}
      dataSource={rows}
      pagination={false}
      data-testid={testId}
      columns={[
        { title: t("portal.docs.method"), dataIndex: "method", width: 80, render: (m: string) => <Tag color={m === "GET" ? "green" : "orange"}>{m}</Tag> },
        { title: t("portal.docs.path"), dataIndex: "path", render: (p: string) => <Typography.Text code style={{ whiteSpace: "nowrap" }}>{p}</Typography.Text> },
        { title: t("portal.docs.desc"), dataIndex: "desc", render: (k: MessageKey) => t(k, { n: SAMPLE_ROWS, max: MAX_API_ROWS, formats: DOWNLOAD_FORMATS.join(" | ") }) },
        { title: t("portal.docs.auth"), dataIndex: "auth", width: 150, render: (a: Endpoint["auth"]) => AUTH_TAG[a] },
      ]}
    />
  );

  const section = (id: string, title: string, children: ReactNode) => (
    <Card id={id} title={title} size="small" style={{ marginBottom: 16, scrollMarginTop: 80 }}>
      {children}
    </Card>
  );

  return (
    <div>
      <PortalNav />
      <Row gutter={[16, 16]}>
        <Col xs={0} lg={5}>
          <Anchor
            offsetTop={80}
            targetOffset={80}
            items={[
              { key: "start", href: "#start", title: t("portal.docs.start") },
              { key: "auth", href: "#auth", title: t("portal.docs.authTitle") },
              { key: "open", href: "#open", title: t("portal.docs.openApi") },
              { key: "rows", href: "#rows", title: t("portal.docs.rowsTitle") },
              { key: "ckan", href: "#ckan", title: t("portal.docs.ckan") },
              { key: "dcat", href: "#dcat", title: "DCAT-AP 3" },
              { key: "errors", href: "#errors", title: t("portal.docs.errors") },
              { key: "account", href: "#account", title: t("portal.docs.account") },
            ]}
          />
        </Col>
        <Col xs={24} lg={19}>
          <Card style={{ marginBottom: 16 }}>
            <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
              <div style={{ minWidth: 0, maxWidth: 760 }}>
                <h1 style={{ margin: "0 0 8px", fontSize: 22 }} data-testid="docs-title">
                  <ApiOutlined /> {t("portal.docs.title")}
                </h1>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {t("portal.docs.intro")}
                </Typography.Paragraph>
              </div>
              <Space wrap style={{ alignSelf: "flex-start" }}>
                <a href={links.apiDocs} target="_blank" rel="noreferrer" data-testid="swagger-link">
                  <Button icon={<LinkOutlined />} tabIndex={-1}>
                    {t("portal.docs.swagger")}
                  </Button>
                </a>
                <Link to={user ? "/open/keys" : "/open/register?next=/open/keys"}>
                  <Button type="primary" icon={<KeyOutlined />} tabIndex={-1}>
                    {user ? t("portal.nav.keys") : t("portal.registerForKey")}
                  </Button>
                </Link>
              </Space>
            </div>
          </Card>

          {section(
            "start",
            t("portal.docs.start"),
            <>
              <ol style={{ paddingInlineStart: 20, marginTop: 0 }}>
                <li>{t("portal.docs.step1")}</li>
                <li>{t("portal.docs.step2")}</li>
                <li>{t("portal.docs.step3")}</li>
              </ol>
              <CodeBlock
                testId="docs-example-search"
                code={`# ${t("portal.docs.exSearch")}\ncurl -G "${base}/api/open/datasets" --data-urlencode "q=社保" -d pageSize=5\n\n# ${t("portal.docs.exRows")}\ncurl -G "${base}/api/open/datasets/<id>/rows" \\\n  -H "Authorization: Bearer $GONGSHU_API_KEY" \\\n  --data-urlencode 'filters={"性别":"女"}' -d limit=100`}
              />
            </>,
          )}

          {section(
            "auth",
            t("portal.docs.authTitle"),
            <>
              <Typography.Paragraph>{t("portal.docs.authIntro")}</Typography.Paragraph>
              <CodeBlock code={`Authorization: Bearer gs_xxxxxxxx…\nAuthorization: gs_xxxxxxxx…        # CKAN\nX-CKAN-API-KEY: gs_xxxxxxxx…       # CKAN (legacy)`} />
              <ul style={{ paddingInlineStart: 20 }}>
                <li>{t("portal.docs.authAnon")}</li>
                <li>{t("portal.docs.authLimits")}</li>
                <li>{t("portal.docs.authConditional")}</li>
                <li>{t("portal.docs.authMasking")}</li>
              </ul>
            </>,
          )}

          {section("open", t("portal.docs.openApi"), endpointTable(OPEN_ENDPOINTS, "docs-open-endpoints"))}

          {section(
            "rows",
            t("portal.docs.rowsTitle"),
            <>
              <Table
                size="small"
                rowKey={(r) => r[0]}
                dataSource={ROWS_PARAMS}
                pagination={false}
                style={{ marginBottom: 12 }}
                columns={[
                  { title: t("portal.docs.param"), render: (_: unknown, r: [string, MessageKey]) => <Typography.Text code>{r[0]}</Typography.Text>, width: 120 },
                  { title: t("portal.docs.desc"), render: (_: unknown, r: [string, MessageKey]) => t(r[1], { max: MAX_API_ROWS }) },
                ]}
              />
              <CodeBlock
                code={`curl -G "${base}/api/open/datasets/<id>/rows" \\\n  -H "Authorization: Bearer $GONGSHU_API_KEY" \\\n  --data-urlencode 'columns=性别,参保金额' \\\n  --data-urlencode 'filters=[{"column":"参保金额","op":"gte","value":5000}]' \\\n  --data-urlencode 'sort=参保金额 desc' -d limit=20`}
              />
              <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
                {t("portal.docs.rowsAnswer")}
              </Typography.Paragraph>
              <CodeBlock
                code={`{\n  "datasetId": "ds_…", "entryId": "ent_…", "version": 3, "total": 1280, "offset": 0, "limit": 20,\n  "columns": [{ "name": "公民身份号码", "type": "字符型", "masked": true }, …],\n  "rows": [{ "公民身份号码": "330102********0001", "姓名": "江**", "性别": "女", … }],\n  "ledgerIndex": 4211\n}`}
              />
              <Typography.Paragraph style={{ marginBottom: 0 }}>
                {t("portal.docs.download", { formats: DOWNLOAD_FORMATS.join(", ") })}
              </Typography.Paragraph>
            </>,
          )}

          {section(
            "ckan",
            t("portal.docs.ckan"),
            <>
              <Typography.Paragraph>{t("portal.docs.ckanIntro")}</Typography.Paragraph>
              <Table
                size="small"
                rowKey={(r) => r[0]}
                dataSource={CKAN_ACTIONS}
                pagination={false}
                style={{ marginBottom: 12 }}
                data-testid="docs-ckan-actions"
                columns={[
                  { title: t("portal.docs.action"), render: (_: unknown, r: [string, string]) => <Typography.Text code>/api/3/action/{r[0]}</Typography.Text> },
                  { title: t("portal.docs.params"), render: (_: unknown, r: [string, string]) => r[1] || "—" },
                ]}
              />
              <CodeBlock
                testId="docs-example-ckan"
                code={`curl "${base}/api/3/action/package_search?q=社保&rows=5&facet.field=[\\"organization\\",\\"res_format\\"]"\n\ncurl -G "${base}/api/3/action/datastore_search" \\\n  -H "Authorization: $GONGSHU_API_KEY" \\\n  -d resource_id=<resource_id> -d limit=5 \\\n  --data-urlencode 'filters={"性别":"女"}'`}
              />
              <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
                {t("portal.docs.ckanPython")}
              </Typography.Paragraph>
              <CodeBlock
                code={`from ckanapi import RemoteCKAN\n\nportal = RemoteCKAN("${base}", apikey="gs_…")\nfound = portal.action.package_search(q="社保", rows=5)\nrows = portal.action.datastore_search(resource_id=found["results"][0]["resources"][0]["id"], limit=5)`}
              />
            </>,
          )}

          {section(
            "dcat",
            "DCAT-AP 3",
            <>
              <Typography.Paragraph>{t("portal.docs.dcatIntro")}</Typography.Paragraph>
              <CodeBlock code={`curl -H "Accept: text/turtle" "${base}/api/open/dcat/catalog"\ncurl "${base}/api/open/dcat/catalog.jsonld"\ncurl "${base}/api/open/dcat/datasets/<id>.ttl"`} />
            </>,
          )}

          {section(
            "errors",
            t("portal.docs.errors"),
            <>
              <Typography.Paragraph>{t("portal.docs.errorsIntro")}</Typography.Paragraph>
              <CodeBlock code={`HTTP/1.1 429 Too Many Requests\nRetry-After: 1\n\n{\n  "error": {\n    "code": "rate_limited",\n    "message": "请求过于频繁…",\n    "messageEn": "Too many requests…",\n    "details": { "limit": "rate" }\n  }\n}`} />
              <Table
                size="small"
                rowKey={(r) => r[0]}
                pagination={false}
                dataSource={[
                  ["400", "portal.docs.err400"],
                  ["401", "portal.docs.err401"],
                  ["403", "portal.docs.err403"],
                  ["404", "portal.docs.err404"],
                  ["429", "portal.docs.err429"],
                ] as [string, MessageKey][]}
                columns={[
                  { title: "HTTP", width: 80, render: (_: unknown, r: [string, MessageKey]) => <Tag>{r[0]}</Tag> },
                  { title: t("portal.docs.desc"), render: (_: unknown, r: [string, MessageKey]) => t(r[1]) },
                ]}
              />
            </>,
          )}

          {section(
            "account",
            t("portal.docs.account"),
            <>
              {endpointTable(ACCOUNT_ENDPOINTS, "docs-account-endpoints")}
              <Alert style={{ marginTop: 12 }} type="info" showIcon title={t("portal.docs.accountNote")} />
            </>,
          )}
        </Col>
      </Row>
    </div>
  );
}
