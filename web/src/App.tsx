import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, Route, Routes, useLocation, useNavigate } from "react-router-dom";
import { App as AntApp, Button, ConfigProvider, type ConfigProviderProps, Dropdown, Layout, Menu, Result, Space, Spin, Tag, Typography } from "antd";
import { ApiOutlined, GlobalOutlined, LoginOutlined, LogoutOutlined, UserAddOutlined, UserOutlined } from "@ant-design/icons";
import zhCNModule from "antd/es/locale/zh_CN.js";
import enUSModule from "antd/es/locale/en_US.js";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn.js";
import { AuthProvider, RequireAuth, useAuth } from "./auth.tsx";
import { I18nContext, initialLang, LANG_STORAGE_KEY, makeI18n, useI18n, type Lang, type MessageKey } from "./i18n.ts";
import { links } from "./api.ts";
import { NotificationBell } from "./components/NotificationBell.tsx";

const HomePage = lazy(() => import("./pages/HomePage.tsx"));
const LoginPage = lazy(() => import("./pages/LoginPage.tsx"));
const CatalogSearchPage = lazy(() => import("./pages/CatalogSearchPage.tsx"));
const EntryDetailPage = lazy(() => import("./pages/EntryDetailPage.tsx"));
const EntryEditorPage = lazy(() => import("./pages/EntryEditorPage.tsx"));
const MyCatalogPage = lazy(() => import("./pages/MyCatalogPage.tsx"));
const ReviewQueuePage = lazy(() => import("./pages/ReviewQueuePage.tsx"));
const ListPage = lazy(() => import("./pages/ListPage.tsx"));
const LedgerPage = lazy(() => import("./pages/LedgerPage.tsx"));
const MyDatasetsPage = lazy(() => import("./pages/MyDatasetsPage.tsx"));
const DatasetPage = lazy(() => import("./pages/DatasetPage.tsx"));
const QualityPage = lazy(() => import("./pages/QualityPage.tsx"));
const QualityReportPage = lazy(() => import("./pages/QualityReportPage.tsx"));
const AuthSourcesPage = lazy(() => import("./pages/AuthSourcesPage.tsx"));
const ConflictsPage = lazy(() => import("./pages/ConflictsPage.tsx"));
const ObjectionsPage = lazy(() => import("./pages/ObjectionsPage.tsx"));
const ObjectionDetailPage = lazy(() => import("./pages/ObjectionDetailPage.tsx"));
const SharingPage = lazy(() => import("./pages/sharing/SharingPage.tsx"));
const ShareApplyPage = lazy(() => import("./pages/sharing/ApplyPage.tsx"));
const ShareApplicationPage = lazy(() => import("./pages/sharing/ApplicationPage.tsx"));
const ShareGrantPage = lazy(() => import("./pages/sharing/GrantPage.tsx"));
const PortalHomePage = lazy(() => import("./pages/portal/PortalHomePage.tsx"));
const PortalSearchPage = lazy(() => import("./pages/portal/PortalSearchPage.tsx"));
const PortalDatasetPage = lazy(() => import("./pages/portal/PortalDatasetPage.tsx"));
const PortalRegisterPage = lazy(() => import("./pages/portal/RegisterPage.tsx"));
const PortalKeysPage = lazy(() => import("./pages/portal/KeysPage.tsx"));
const PortalApiDocsPage = lazy(() => import("./pages/portal/ApiDocsPage.tsx"));
const PortalRequestsPage = lazy(() => import("./pages/portal/RequestsPage.tsx"));
const PortalRequestDetailPage = lazy(() => import("./pages/portal/RequestDetailPage.tsx"));
const PortalResponsivenessPage = lazy(() => import("./pages/portal/ResponsivenessPage.tsx"));
const PortalShowcasePage = lazy(() => import("./pages/portal/ShowcasePage.tsx"));
const PortalShowcaseDetailPage = lazy(() => import("./pages/portal/ShowcaseDetailPage.tsx"));

const { Header, Content, Footer } = Layout;

type AntLocale = NonNullable<ConfigProviderProps["locale"]>;
/** antd's locale files are ESM without "type":"module"; under NodeNext types their default looks like a namespace. */
const interop = (m: unknown): AntLocale => ((m as { default?: AntLocale }).default ?? m) as AntLocale;
const zhCN = interop(zhCNModule);
const enUS = interop(enUSModule);

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(
    () =>
      makeI18n(lang, (l) => {
        setLangState(l);
        try {
          localStorage.setItem(LANG_STORAGE_KEY, l);
        } catch {
          /* storage disabled */
        }
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    dayjs.locale(lang === "en" ? "en" : "zh-cn");
    document.title = `${i18n.t("app.name")} · ${i18n.t("app.subtitle")}`;
  }, [lang, i18n]);
  return (
    <I18nContext.Provider value={i18n}>
      <ConfigProvider
        locale={lang === "en" ? enUS : zhCN}
        button={{ autoInsertSpace: false }}
        theme={{
          token: {
            colorPrimary: "#1d4ed8",
            borderRadius: 6,
            fontFamily:
              '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif',
          },
          components: { Layout: { headerBg: "#0f2a5f", headerPadding: "0 24px", bodyBg: "#f5f7fa" } },
        }}
      >
        <AntApp>
          <AuthProvider>
            <Shell />
          </AuthProvider>
        </AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

interface NavItem {
  key: string;
  label: MessageKey;
  show: boolean;
  children?: NavItem[];
}

function Shell() {
  const { t, lang, setLang } = useI18n();
  const { user, logout, hasRole } = useAuth();
  const { message } = AntApp.useApp();
  const loc = useLocation();
  const navigate = useNavigate();

  const staff = hasRole("platform_admin", "data_officer", "dept_user", "price_authority", "regulator", "operator");
  const nav: NavItem[] = [
    // Government staff (not registered public users or enterprises: role customer) see the work menus.
    { key: "/", label: "nav.home", show: true },
    { key: "/catalog", label: "nav.catalog", show: true },
    { key: "/open", label: "portal.navEntry", show: true },
    { key: "/mine", label: "nav.mine", show: hasRole("data_officer") },
    { key: "/review", label: "nav.review", show: hasRole("platform_admin") },
    { key: "/data", label: "nav.data", show: hasRole("data_officer") },
    {
      key: "governance",
      label: "nav.governance",
      show: staff,
      children: [
        { key: "/quality", label: "nav.quality", show: true },
        { key: "/objections", label: "nav.objections", show: true },
        { key: "/quality/sources", label: "nav.sources", show: true },
        { key: "/quality/conflicts", label: "nav.conflicts", show: true },
      ],
    },
    { key: "/sharing", label: "nav.sharing", show: hasRole("dept_user", "data_officer", "platform_admin", "regulator") },
    { key: "/lists/responsibility", label: "nav.responsibility", show: staff },
    { key: "/lists/negative", label: "nav.negative", show: staff },
    { key: "/ledger", label: "nav.ledger", show: true },
  ];
  const visible = nav.filter((n) => n.show);
  const path = /^\/catalog\/(new|[^/]+\/edit)$/.test(loc.pathname) && hasRole("data_officer") ? "/mine" : loc.pathname;
  const selected =
    visible
      .flatMap((n) => (n.children ? n.children.filter((c) => c.show) : [n]))
      .map((n) => n.key)
      .filter((k) => (k === "/" ? path === "/" : path === k || path.startsWith(k + "/")))
      .sort((a, b) => b.length - a.length)[0] ?? "";

  const onLogout = async () => {
    await logout();
    message.success(t("logout.done"));
    navigate("/");
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Header style={{ display: "flex", alignItems: "center", gap: 16, position: "sticky", top: 0, zIndex: 10 }}>
        <Link to="/" aria-label={`${t("app.name")} ${t("app.subtitle")}`} style={{ display: "flex", alignItems: "baseline", gap: 10, flex: "none" }}>
          <span style={{ color: "#fff", fontSize: 24, fontWeight: 700, letterSpacing: 2 }}>{t("app.name")}</span>
          <span style={{ color: "rgba(255,255,255,0.7)", fontSize: 13 }} className="gs-subtitle">
            {t("app.subtitle")}
          </span>
        </Link>
        <nav aria-label="main" style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected]}
            style={{ background: "transparent", borderBottom: "none" }}
            items={[
              ...visible.map((n) =>
                n.children
                  ? { key: n.key, label: t(n.label), children: n.children.filter((c) => c.show).map((c) => ({ key: c.key, label: <Link to={c.key}>{t(c.label)}</Link> })) }
                  : { key: n.key, label: <Link to={n.key}>{t(n.label)}</Link> },
              ),
              {
                key: "apidocs",
                label: (
                  <a href={links.apiDocs} target="_blank" rel="noreferrer">
                    <ApiOutlined /> {t("nav.apiDocs")}
                  </a>
                ),
              },
            ]}
          />
        </nav>
        <Space size="middle" style={{ flex: "none" }}>
          <Button
            type="text"
            icon={<GlobalOutlined />}
            style={{ color: "#fff" }}
            aria-label={t("nav.langLabel")}
            onClick={() => setLang(lang === "en" ? "zh-CN" : "en")}
            data-testid="lang-switch"
          >
            {t("nav.lang")}
          </Button>
          {user && <NotificationBell />}
          {user ? (
            <Dropdown
              menu={{
                items: [
                  { key: "org", label: user.org?.name ?? "—", disabled: true },
                  { key: "roles", label: user.roles.map((r) => t(`role.${r}` as MessageKey)).join("、"), disabled: true },
                  { type: "divider" },
                  { key: "logout", icon: <LogoutOutlined />, label: t("nav.logout"), onClick: onLogout },
                ],
              }}
            >
              <Button type="text" style={{ color: "#fff" }} icon={<UserOutlined />} data-testid="user-menu">
                {user.displayName || user.username}
              </Button>
            </Dropdown>
          ) : (
            loc.pathname !== "/login" && (
              <>
                {loc.pathname !== "/open/register" && (
                  <Button type="text" icon={<UserAddOutlined />} style={{ color: "#fff" }} onClick={() => navigate("/open/register")} data-testid="register-link">
                    {t("portal.nav.register")}
                  </Button>
                )}
                <Button type="primary" icon={<LoginOutlined />} onClick={() => navigate(`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`)}>
                  {t("nav.login")}
                </Button>
              </>
            )
          )}
        </Space>
      </Header>
      <Content style={{ padding: "24px", maxWidth: 1320, width: "100%", margin: "0 auto" }}>
        <main>
          <Suspense
            fallback={
              <div style={{ padding: 80, textAlign: "center" }}>
                <Spin aria-label={t("common.loading")} />
              </div>
            }
          >
            <Routes>
              <Route path="/" element={<HomePage />} />
              <Route path="/login" element={<LoginPage />} />
              <Route path="/catalog" element={<CatalogSearchPage />} />
              <Route path="/catalog/new" element={<Guard roles={["data_officer"]}><EntryEditorPage /></Guard>} />
              <Route path="/catalog/:id/edit" element={<Guard roles={["data_officer"]}><EntryEditorPage /></Guard>} />
              <Route path="/catalog/:id" element={<EntryDetailPage />} />
              <Route path="/mine" element={<Guard roles={["data_officer"]}><MyCatalogPage /></Guard>} />
              <Route path="/review" element={<Guard roles={["platform_admin"]}><ReviewQueuePage /></Guard>} />
              <Route path="/lists/responsibility" element={<Guard><ListPage kind="responsibility" /></Guard>} />
              <Route path="/lists/negative" element={<Guard><ListPage kind="negative" /></Guard>} />
              <Route path="/ledger" element={<LedgerPage />} />
              <Route path="/data" element={<Guard roles={["data_officer"]}><MyDatasetsPage /></Guard>} />
              <Route path="/data/:entryId" element={<Guard><DatasetPage /></Guard>} />
              <Route path="/quality" element={<Guard><QualityPage /></Guard>} />
              <Route path="/quality/datasets/:datasetId" element={<Guard><QualityReportPage /></Guard>} />
              <Route path="/quality/sources" element={<Guard><AuthSourcesPage /></Guard>} />
              <Route path="/quality/conflicts" element={<Guard><ConflictsPage /></Guard>} />
              <Route path="/objections" element={<Guard><ObjectionsPage /></Guard>} />
              <Route path="/objections/:id" element={<Guard><ObjectionDetailPage /></Guard>} />
              <Route path="/sharing" element={<Guard><SharingPage /></Guard>} />
              <Route path="/sharing/apply" element={<Guard roles={["dept_user", "data_officer"]}><ShareApplyPage /></Guard>} />
              <Route path="/sharing/applications/:id" element={<Guard><ShareApplicationPage /></Guard>} />
              <Route path="/sharing/grants/:id" element={<Guard><ShareGrantPage /></Guard>} />
              <Route path="/sharing/:tab" element={<Guard><SharingPage /></Guard>} />
              <Route path="/open" element={<PortalHomePage />} />
              <Route path="/open/datasets" element={<PortalSearchPage />} />
              <Route path="/open/datasets/:id" element={<PortalDatasetPage />} />
              <Route path="/open/register" element={<PortalRegisterPage />} />
              <Route path="/open/keys" element={<Guard><PortalKeysPage /></Guard>} />
              <Route path="/open/api" element={<PortalApiDocsPage />} />
              <Route path="/open/demands" element={<PortalRequestsPage kind="demand" key="demands" />} />
              <Route path="/open/demands/:id" element={<PortalRequestDetailPage kind="demand" key="demand" />} />
              <Route path="/open/reports" element={<PortalRequestsPage kind="report" key="reports" />} />
              <Route path="/open/reports/:id" element={<PortalRequestDetailPage kind="report" key="report" />} />
              <Route path="/open/responsiveness" element={<PortalResponsivenessPage />} />
              <Route path="/open/showcase" element={<PortalShowcasePage />} />
              <Route path="/open/showcase/:id" element={<PortalShowcaseDetailPage />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </main>
      </Content>
      <Footer style={{ textAlign: "center", color: "#888" }}>
        <Typography.Text type="secondary">
          {lang === "en" ? "Gongshu" : "公数 Gongshu"} · {t("app.subtitle")} · Apache-2.0{" "}
          {user && (
            <Tag style={{ marginInlineStart: 8 }}>
              {user.org?.name} · {user.roles.map((r) => t(`role.${r}` as MessageKey)).join("、")}
            </Tag>
          )}
        </Typography.Text>
      </Footer>
    </Layout>
  );
}

function Guard({ roles, children }: { roles?: Parameters<typeof RequireAuth>[0]["roles"]; children: ReactNode }) {
  return <RequireAuth roles={roles}>{children}</RequireAuth>;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t("common.notFound")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common.backHome")}</Button>
        </Link>
      }
    />
  );
}
