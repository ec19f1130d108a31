import { useRef, useState, type ReactNode } from "react";
import { Alert, App, Button, Descriptions, Select, Space, Tag, Timeline, Typography, type FormInstance } from "antd";
import { ClockCircleOutlined, LoginOutlined, UserAddOutlined } from "@ant-design/icons";
import { Link, useLocation } from "react-router-dom";
import type {
  DEMAND_OUTCOMES as SERVER_DEMAND_OUTCOMES,
  DEMAND_STATUSES as SERVER_DEMAND_STATUSES,
  MAX_FEEDBACK_PAGE as SERVER_MAX_FEEDBACK_PAGE,
  REPORT_OUTCOMES as SERVER_REPORT_OUTCOMES,
} from "../../../../src/modules/opening/feedback-schema.ts";
import { api, ApiError, fieldPathOf, type OpenRequestView, type Org } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../../i18n.ts";

/**
 * What the pages of the public's side of the portal share (数据需求, 错误报告, 接诉即办, 利用成果):
 * the server's vocabularies and limits, status and outcome tags, the public answer and its timeline,
 * the sign-in prompt, department and open-dataset pickers, and a form submit that puts the
 * server's field errors on the field.
 */

// The server's vocabularies and limits, checked against its schema by the type-checker (see parts.tsx).
export const DEMAND_OUTCOMES: typeof SERVER_DEMAND_OUTCOMES = ["accepted", "available", "declined"] as const;
export const DEMAND_STATUSES: typeof SERVER_DEMAND_STATUSES = ["submitted", "assigned", "answered"] as const;
export const REPORT_OUTCOMES: typeof SERVER_REPORT_OUTCOMES = ["fixed", "not_error"] as const;
export const MAX_FEEDBACK_PAGE: typeof SERVER_MAX_FEEDBACK_PAGE = 100;
export type DemandOutcome = (typeof DEMAND_OUTCOMES)[number];
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];
export type RequestKind = OpenRequestView["kind"];

const OUTCOME_COLORS: Record<string, string> = { accepted: "blue", available: "success", declined: "default", fixed: "success", not_error: "default" };

/** The path of a demand's or a report's page. */
export const requestPath = (r: { kind: RequestKind; id: string }) => `/open/${r.kind === "demand" ? "demands" : "reports"}/${r.id}`;

/** The department that handles it: the one it was routed to, else the data administration. */
export function handlerName(r: OpenRequestView, t: (k: MessageKey) => string): string {
  return r.department?.name ?? (r.kind === "demand" ? t("portal.fb.administration") : (r.requestedOrg?.name ?? "—"));
}

export function OutcomeTag({ outcome }: { outcome: string }) {
  const { t } = useI18n();
  return (
    <Tag color={OUTCOME_COLORS[outcome] ?? "default"} data-testid="outcome-tag">
      {t(`portal.fb.outcome.${outcome}` as MessageKey)}
    </Tag>
  );
}

/** Where a request stands: its outcome once answered, else waiting (with 逾期 when past its deadline). */
export function RequestStatus({ r }: { r: OpenRequestView }) {
  const { t } = useI18n();
  if (r.answer)
    return (
      <Space size={4} wrap>
        <OutcomeTag outcome={r.answer.outcome} />
        {r.answeredOnTime === false && <Tag color="orange">{t("portal.fb.late")}</Tag>}
      </Space>
    );
  return (
    <Space size={4} wrap>
      <Tag color={r.status === "assigned" ? "processing" : "gold"} data-testid="status-tag">
        {t(`portal.fb.status.${r.kind}.${r.status}` as MessageKey)}
      </Tag>
      {r.overdue && (
        <Tag color="error" icon={<ClockCircleOutlined />} data-testid="overdue-tag">
          {t("portal.fb.overdue")}
        </Tag>
      )}
    </Space>
  );
}

/** The public answer: outcome, plan and date, link, reason, fixed version, note; who answered and when. */
export function AnswerBlock({ r }: { r: OpenRequestView }) {
  const { t, lang } = useI18n();
  const a = r.answer;
  if (!a)
    return (
      <Alert
        type={r.overdue ? "warning" : "info"}
        showIcon
        title={t(r.overdue ? "portal.fb.waitingOverdue" : "portal.fb.waiting", { date: formatTime(r.dueAt, lang) })}
        data-testid="answer-waiting"
      />
    );
  const link = (href: string) =>
    href.startsWith("/") ? (
      <Link to={href}>{href}</Link>
    ) : (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {href}
      </a>
    );
  return (
    <Descriptions bordered size="small" column={1} styles={{ label: { width: 140, whiteSpace: "nowrap" } }} data-testid="answer">
      <Descriptions.Item label={t("portal.fb.outcome")}>
        <RequestStatus r={r} />
      </Descriptions.Item>
      {a.plan && <Descriptions.Item label={t("portal.fb.plan")}><span style={{ whiteSpace: "pre-wrap" }}>{a.plan}</span></Descriptions.Item>}
      {a.plannedDate && <Descriptions.Item label={t("portal.fb.plannedDate")}>{a.plannedDate}</Descriptions.Item>}
      {a.url && <Descriptions.Item label={r.kind === "report" ? t("portal.fb.fixedIn") : t("portal.fb.url")}>{link(a.url)}</Descriptions.Item>}
      {a.fixedVersion != null && <Descriptions.Item label={t("portal.fb.version")}>v{a.fixedVersion}</Descriptions.Item>}
      {a.reason && <Descriptions.Item label={t("portal.fb.reason")}><span style={{ whiteSpace: "pre-wrap" }}>{a.reason}</span></Descriptions.Item>}
      {a.note && <Descriptions.Item label={t("portal.fb.note")}><span style={{ whiteSpace: "pre-wrap" }}>{a.note}</span></Descriptions.Item>}
      <Descriptions.Item label={t("portal.fb.answeredBy")}>
        {a.by.name} · {formatTime(a.answeredAt, lang, true)}
      </Descriptions.Item>
      {a.fulfilledAt && <Descriptions.Item label={t("portal.fb.fulfilledAt")}>{formatTime(a.fulfilledAt, lang, true)}</Descriptions.Item>}
    </Descriptions>
  );
}

/** What happened, in order: received, routed, the deadline, answered (on time or late), made available. */
export function RequestTimeline({ r }: { r: OpenRequestView }) {
  const { t, lang } = useI18n();
  const items: { key: string; color: string; title: ReactNode; content: ReactNode }[] = [
    { key: "created", color: "blue", title: formatTime(r.createdAt, lang, true), content: t(`portal.fb.tl.created.${r.kind}` as MessageKey) },
  ];
  if (r.kind === "demand" && r.department)
    items.push({ key: "assigned", color: "blue", title: t("portal.fb.tl.routed"), content: t("portal.fb.tl.assigned", { org: r.department.name ?? "—" }) });
  if (r.answer) {
    items.push({
      key: "answered",
      color: r.answeredOnTime ? "green" : "orange",
      title: formatTime(r.answer.answeredAt, lang, true),
      content: `${t("portal.fb.tl.answered", { org: r.answer.by.name })} · ${t(r.answeredOnTime ? "portal.fb.onTime" : "portal.fb.late")}`,
    });
    if (r.answer.fulfilledAt) items.push({ key: "fulfilled", color: "green", title: formatTime(r.answer.fulfilledAt, lang, true), content: t("portal.fb.tl.fulfilled") });
  } else
    items.push({
      key: "due",
      color: r.overdue ? "red" : "gray",
      title: formatTime(r.dueAt, lang, true),
      content: t(r.overdue ? "portal.fb.tl.overdue" : "portal.fb.tl.due"),
    });
  return <Timeline items={items} data-testid="timeline" />;
}

/** For guests: sign in or register to go on, and come back here. */
export function SignInPrompt({ text, testId }: { text: string; testId?: string }) {
  const { t } = useI18n();
  const loc = useLocation();
  const here = encodeURIComponent(loc.pathname + loc.search);
  return (
    <div data-testid={testId}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {text}
      </Typography.Paragraph>
      <Space wrap>
        <Link to={`/login?next=${here}`}>
          <Button type="primary" icon={<LoginOutlined />} tabIndex={-1}>
            {t("nav.login")}
          </Button>
        </Link>
        <Link to={`/open/register?next=${here}`}>
          <Button icon={<UserAddOutlined />} tabIndex={-1}>
            {t("portal.nav.register")}
          </Button>
        </Link>
      </Space>
    </div>
  );
}

/** The departments (organisations of kind department), for filters and routing. */
export function useDepartments(): { items: Org[]; loading: boolean } {
  const orgs = useAsync(() => api.orgs.list().catch(() => ({ items: [] as Org[] })), []);
  const items = (orgs.data?.items ?? []).filter((o) => o.kind === "department" || !o.kind);
  return { items, loading: orgs.loading };
}

/** An open dataset picked by searching the open catalog (value: the entry id). */
export function DatasetPicker({
  value,
  onChange,
  mode,
  placeholder,
  style,
  testId,
  initial,
}: {
  value?: string | string[];
  onChange?(v: string | string[] | undefined): void;
  mode?: "multiple";
  placeholder?: string;
  style?: React.CSSProperties;
  testId?: string;
  /** Labels of values known beforehand (a dataset from the URL). */
  initial?: { value: string; label: string }[];
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: string; label: string }[]>(initial ?? []);
  const [loading, setLoading] = useState(false);
  const known = useRef(new Map<string, string>((initial ?? []).map((o) => [o.value, o.label])));
  const seq = useRef(0);
  const search = async (q: string) => {
    const n = ++seq.current;
    setLoading(true);
    try {
      const r = await api.open.search({ q: q.trim() || undefined, pageSize: 10, sort: q.trim() ? "relevance" : "published_desc" });
      if (n !== seq.current) return;
      for (const d of r.items) known.current.set(d.id, d.title);
      const selected = (Array.isArray(value) ? value : value ? [value] : []).filter((v) => !r.items.some((d) => d.id === v));
      setOptions([...selected.map((v) => ({ value: v, label: known.current.get(v) ?? v })), ...r.items.map((d) => ({ value: d.id, label: d.title }))]);
    } catch {
      /* keep the options */
    } finally {
      if (n === seq.current) setLoading(false);
    }
  };
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      allowClear
      mode={mode}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      onOpenChange={(open) => open && options.length <= (initial?.length ?? 0) && void search("")}
      loading={loading}
      options={options}
      placeholder={placeholder ?? t("portal.fb.pickDataset")}
      notFoundContent={loading ? t("common.loading") : t("common.none")}
      style={style}
      data-testid={testId}
    />
  );
}

/**
 * Validate the form, call the server, and put a validation error on the field it names (else show
 * it as a toast). Answers what the call answered, or undefined.
 */
export function useFormSubmit<V extends object>(form: FormInstance<V>, fields: readonly string[]) {
  const { msg } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async <T,>(call: (v: V) => Promise<T>): Promise<T | undefined> => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return undefined;
    setBusy(true);
    try {
      return await call(v);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        message.error(String(e));
        return undefined;
      }
      const field = fieldPathOf(e.field)?.[0];
      if (field !== undefined && fields.includes(String(field))) form.setFields([{ name: field as never, errors: [msg(e.text)] }]);
      else message.error(msg(e.text));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** Trimmed text, or undefined when empty (optional fields the server wants absent, not ""). */
export const opt = (s: string | undefined | null): string | undefined => (s && s.trim() ? s.trim() : undefined);
