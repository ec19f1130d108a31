import { Alert, Button, Tag } from "antd";
import type { ReactNode } from "react";
import type { ApiError } from "../api.ts";
import { useI18n, type MessageKey } from "../i18n.ts";

const SHARE_COLORS: Record<string, string> = { 无条件共享: "green", 有条件共享: "gold", 不予共享: "red" };
const OPEN_COLORS: Record<string, string> = { 无条件开放: "cyan", 有条件开放: "blue", 不予开放: "default" };
const GRADE_COLORS: Record<string, string> = { 一般: "default", 重要: "orange", 核心: "magenta" };
const STATUS_COLORS: Record<string, string> = {
  draft: "default",
  submitted: "processing",
  returned: "warning",
  published: "success",
  withdrawn: "error",
  superseded: "default",
};

export function ShareTag({ value }: { value: string }) {
  const { term } = useI18n();
  return <Tag color={SHARE_COLORS[value] ?? "default"}>{term(value)}</Tag>;
}

export function OpenTag({ value }: { value: string }) {
  const { term } = useI18n();
  return <Tag color={OPEN_COLORS[value] ?? "default"}>{term(value)}</Tag>;
}

export function GradeTag({ value, level }: { value: string; level?: number | null }) {
  const { term, lang } = useI18n();
  const label = lang === "en" ? `${term(value)} data` : `${value}数据`;
  return (
    <Tag color={GRADE_COLORS[value] ?? "default"} bordered>
      {label}
      {level ? ` · ${lang === "en" ? "L" : ""}${level}${lang === "en" ? "" : "级"}` : ""}
    </Tag>
  );
}

export function StatusTag({ value }: { value: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLORS[value] ?? "default"}>{t(`status.${value}` as MessageKey)}</Tag>;
}

/**
 * Highlight query words in a text. Accepts server-marked text (`<mark>…</mark>` or `<em>…</em>`),
 * which is parsed without ever inserting HTML, else marks the query's characters client-side.
 */
export function Highlight({ text, query, marked }: { text: string; query?: string; marked?: string }) {
  if (marked && /<(mark|em)>/.test(marked)) {
    const parts = marked.split(/<\/?(?:mark|em)>/);
    return (
      <>
        {parts.map((p, i) => (i % 2 === 1 ? <mark className="gs-hl" key={i}>{decode(p)}</mark> : <span key={i}>{decode(p)}</span>))}
      </>
    );
  }
  const terms = (query ?? "")
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  if (!terms.length) return <>{text}</>;
  const re = new RegExp(`(${terms.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "gi");
  const parts = text.split(re);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <mark className="gs-hl" key={i}>{p}</mark> : <span key={i}>{p}</span>))}
    </>
  );
}

function decode(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

export function ErrorAlert({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, msg } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      title={t("common.error")}
      description={msg(error.text)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t("common.retry")}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between", gap: 16, marginBottom: 16, flexWrap: "wrap" }}>
      <h1 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>{children}</h1>
      {extra}
    </div>
  );
}
