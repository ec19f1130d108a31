import type { ReactNode } from "react";
import { Space, Tag, Tooltip, Typography } from "antd";
import { ApiOutlined, AppstoreOutlined, BugOutlined, DashboardOutlined, HomeOutlined, KeyOutlined, MessageOutlined, RocketOutlined, UserAddOutlined } from "@ant-design/icons";
import { Link, useLocation } from "react-router-dom";
import type { MAX_API_ROWS as SERVER_MAX_API_ROWS, SAMPLE_ROWS as SERVER_SAMPLE_ROWS, DOWNLOAD_FORMATS as SERVER_DOWNLOAD_FORMATS } from "../../../../src/modules/opening/schema.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n, type MessageKey } from "../../i18n.ts";

/**
 * What the pages of the open portal (开放) share: the portal's own navigation bar, code blocks with a
 * copy button, the 已脱敏 tag, and the server's limits.
 */

// The server's limits, checked against its schema by the type-checker without bundling the schema:
// change them there and this stops compiling until they are changed here too.
export const SAMPLE_ROWS: typeof SERVER_SAMPLE_ROWS = 20;
export const MAX_API_ROWS: typeof SERVER_MAX_API_ROWS = 1000;
export const DOWNLOAD_FORMATS: typeof SERVER_DOWNLOAD_FORMATS = ["csv", "xlsx", "json", "parquet"] as const;
export const FORMAT_LABELS: Record<(typeof DOWNLOAD_FORMATS)[number], string> = { csv: "CSV", xlsx: "XLSX", json: "JSON", parquet: "Parquet" };

const NAV: { to: string; label: MessageKey; icon: ReactNode; show: "all" | "user" | "guest" }[] = [
  { to: "/open", label: "portal.nav.home", icon: <HomeOutlined />, show: "all" },
  { to: "/open/datasets", label: "portal.nav.datasets", icon: <AppstoreOutlined />, show: "all" },
  { to: "/open/demands", label: "portal.nav.demands", icon: <MessageOutlined />, show: "all" },
  { to: "/open/reports", label: "portal.nav.reports", icon: <BugOutlined />, show: "all" },
  { to: "/open/responsiveness", label: "portal.nav.responsiveness", icon: <DashboardOutlined />, show: "all" },
  { to: "/open/showcase", label: "portal.nav.showcase", icon: <RocketOutlined />, show: "all" },
  { to: "/open/api", label: "portal.nav.api", icon: <ApiOutlined />, show: "all" },
  { to: "/open/keys", label: "portal.nav.keys", icon: <KeyOutlined />, show: "user" },
  { to: "/open/register", label: "portal.nav.register", icon: <UserAddOutlined />, show: "guest" },
];

/** The portal's second bar: its name and its sections. */
export function PortalNav() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { pathname } = useLocation();
  const items = NAV.filter((n) => n.show === "all" || (n.show === "user" ? !!user : !user));
  const current = items
    .map((n) => n.to)
    .filter((to) => pathname === to || pathname.startsWith(`${to}/`))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <nav
      aria-label={t("portal.name")}
      data-testid="portal-nav"
      style={{ display: "flex", alignItems: "center", justifyContent: "space-between", flexWrap: "wrap", gap: 8, background: "#fff", borderRadius: 8, padding: "8px 16px", marginBottom: 16, boxShadow: "0 1px 2px rgba(15,42,95,0.06)" }}
    >
      <Link to="/open" style={{ fontWeight: 700, fontSize: 16, color: "#0f2a5f", letterSpacing: 1 }}>
        {t("portal.name")}
      </Link>
      <Space size={4} wrap>
        {items.map((n) => {
          const on = current === n.to;
          return (
            <Link
              key={n.to}
              to={n.to}
              aria-current={on ? "page" : undefined}
              style={{ display: "inline-flex", alignItems: "center", gap: 6, padding: "3px 12px", borderRadius: 6, fontSize: 14, color: on ? "#fff" : "#1f2937", background: on ? "#0e7490" : "transparent" }}
            >
              {n.icon}
              {t(n.label)}
            </Link>
          );
        })}
      </Space>
    </nav>
  );
}

/** A block of code (curl, JSON) on a dark ground, with a copy button. */
export function CodeBlock({ code, testId, label }: { code: string; testId?: string; label?: string }) {
  const { t } = useI18n();
  return (
    <div style={{ position: "relative", marginBottom: 12 }} data-testid={testId}>
      <pre
        aria-label={label}
        style={{ background: "#0f172a", color: "#e2e8f0", padding: "12px 48px 12px 14px", borderRadius: 6, fontSize: 12.5, lineHeight: 1.6, overflowX: "auto", margin: 0, whiteSpace: "pre" }}
      >
        <code>{code}</code>
      </pre>
      <Typography.Text
        copyable={{ text: code, tooltips: [t("portal.copy"), t("portal.copied")] }}
        style={{ position: "absolute", top: 6, right: 10, color: "#94a3b8" }}
      />
    </div>
  );
}

/** 已脱敏: the column's values were masked by grade before they left the server. */
export function MaskedTag() {
  const { t } = useI18n();
  return (
    <Tooltip title={t("portal.maskedHelp")}>
      <Tag color="orange" style={{ marginInlineStart: 4 }} data-testid="masked-tag">
        {t("portal.masked")}
      </Tag>
    </Tooltip>
  );
}

/** Formats as the server states them (the catalog lower-cases them for its facets). */
export function formatLabel(f: string): string {
  return f.length <= 8 ? f.toUpperCase() : f;
}

/** The site's origin, for the examples (what a visitor would paste into a terminal). */
export function origin(): string {
  return typeof window === "undefined" ? "https://data.example.gov.cn" : window.location.origin;
}

/** Only same-site paths may be a "next" target. */
export function safeNext(next: string | null, fallback: string): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return fallback;
  return next;
}
