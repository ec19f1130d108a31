import { useEffect, useState, type ReactNode } from "react";
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Result, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from "antd";
import { CheckOutlined, DatabaseOutlined, EditOutlined, RollbackOutlined, SafetyCertificateOutlined, SendOutlined, ShareAltOutlined, StopOutlined, SwapOutlined } from "@ant-design/icons";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, ApiError, links, type EntryContent, type FieldChange, type VersionView } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { useAuth } from "../auth.tsx";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, GradeTag, OpenTag, ShareTag, StatusTag } from "../components/tags.tsx";

type ReasonAction = "return" | "withdraw";

export default function EntryDetailPage() {
  const { id = "" } = useParams();
  const { t, term, lang, msg } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user, hasRole } = useAuth();
  const res = useAsync(() => api.catalog.get(id), [id]);
  const versions = useAsync(() => api.catalog.versions(id).catch(() => ({ items: [] as VersionView[] })), [id, res.data?.entry.updatedAt]);
  const [busy, setBusy] = useState<string>();
  const [reasonFor, setReasonFor] = useState<ReasonAction>();
  const [proofOpen, setProofOpen] = useState(false);
  const [tab, setTab] = useState("meta");
  const [reasonForm] = Form.useForm<{ reason: string }>();

  if (res.loading && !res.data) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  if (res.error && !res.data) {
    if (res.error.status === 404) return <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to="/catalog"><Button>{t("nav.catalog")}</Button></Link>} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  const { entry, canEdit, canSubmit, canReview, canWithdraw } = res.data!;
  const c = entry.content;

  const act = async (name: string, fn: () => Promise<unknown>, ok: MessageKey) => {
    setBusy(name);
    try {
      await fn();
      message.success(t(ok));
      res.reload();
      return true;
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
      return false;
    } finally {
      setBusy(undefined);
    }
  };

  const onReasonOk = async () => {
    const { reason } = await reasonForm.validateFields();
    const ok =
      reasonFor === "return"
        ? await act("return", () => api.catalog.review(id, "return", reason), "detail.returned")
        : await act("withdraw", () => api.catalog.withdraw(id, reason), "detail.withdrawn");
    if (ok) {
      setReasonFor(undefined);
      reasonForm.resetFields();
    }
  };

  const published = (versions.data?.items ?? []).filter((v) => v.ledgerIndex != null || v.status === "published" || v.status === "superseded");

  const actions: ReactNode[] = [];
  if (canEdit)
    actions.push(
      <Button key="edit" icon={<EditOutlined />} onClick={() => navigate(`/catalog/${id}/edit`)}>
        {t("detail.edit")}
      </Button>,
    );
  if (canSubmit)
    actions.push(
      <Button key="submit" type="primary" icon={<SendOutlined />} loading={busy === "submit"} onClick={() => act("submit", () => api.catalog.submit(id), "detail.submitted")}>
        {t("detail.submit")}
      </Button>,
    );
  if (canReview) {
    actions.push(
      <Button key="approve" type="primary" icon={<CheckOutlined />} loading={busy === "approve"} onClick={() => act("approve", () => api.catalog.review(id, "approve"), "detail.approved")}>
        {t("detail.approve")}
      </Button>,
      <Button key="return" danger icon={<RollbackOutlined />} onClick={() => setReasonFor("return")}>
        {t("detail.return")}
      </Button>,
    );
  }
  if (canWithdraw)
    actions.push(
      <Button key="withdraw" danger icon={<StopOutlined />} onClick={() => setReasonFor("withdraw")}>
        {t("detail.withdraw")}
      </Button>,
    );
  // 申请共享: department users of another department, for a published entry that is not 不予共享.
  if (user && entry.status === "published" && c.shareType !== "不予共享" && hasRole("dept_user", "data_officer") && user.org?.id !== entry.provider?.id)
    actions.push(
      <Button key="share" type="primary" icon={<ShareAltOutlined />} onClick={() => navigate(`/sharing/apply?entry=${encodeURIComponent(id)}`)} data-testid="apply-share">
        {t("sharing.applyButton")}
      </Button>,
    );
  if (user && entry.status === "published")
    actions.push(
      <Button key="data" icon={<DatabaseOutlined />} onClick={() => navigate(`/data/${id}`)} data-testid="open-dataset">
        {t("data.open")}
      </Button>,
    );
  actions.push(
    <Button key="proof" icon={<SafetyCertificateOutlined />} onClick={() => setProofOpen(true)}>
      {t("detail.ledgerProof")}
    </Button>,
  );

  const dash = (v: ReactNode) => (v === undefined || v === null || v === "" ? <Typography.Text type="secondary">—</Typography.Text> : v);
  const sub = (label: MessageKey, v?: string | null) =>
    v ? (
      <div style={{ marginTop: 4, color: "#555" }}>
        <Typography.Text type="secondary">{t(label)}{t("common.colon")}</Typography.Text>
        {v}
      </div>
    ) : null;

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div style={{ minWidth: 0 }}>
            <Space size={8} wrap style={{ marginBottom: 6 }}>
              <StatusTag value={entry.status} />
              <ShareTag value={c.shareType} />
              <OpenTag value={c.openType} />
              <GradeTag value={c.grade} level={c.generalLevel} />
            </Space>
            <h1 style={{ margin: "4px 0", fontSize: 22 }} data-testid="entry-name">
              {c.name}
            </h1>
            <Typography.Text type="secondary">
              <Typography.Text code copyable>
                {entry.code}
              </Typography.Text>{" "}
              · {entry.provider?.name} · {t("field.publishedAt")} {formatTime(entry.publishedAt, lang)}
            </Typography.Text>
          </div>
          <Space wrap style={{ alignSelf: "flex-start" }}>
            {actions}
          </Space>
        </div>
        {entry.openVersion && (entry.openVersion.status !== "published" || entry.openVersion.reviewNote) && (
          <Alert
            style={{ marginTop: 16 }}
            type={entry.openVersion.status === "returned" ? "warning" : "info"}
            showIcon
            title={t("detail.openVersion", { v: entry.openVersion.version, status: t(`status.${entry.openVersion.status}` as MessageKey) })}
            description={
              entry.openVersion.reviewNote || entry.openVersion.reason ? (
                <>
                  {entry.openVersion.reviewNote && <div>{t("detail.reviewNote")}{t("common.colon")}{entry.openVersion.reviewNote}</div>}
                  {entry.openVersion.reason && <div>{t("detail.reason")}{t("common.colon")}{entry.openVersion.reason}</div>}
                </>
              ) : undefined
            }
          />
        )}
      </Card>

      <Card>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: "meta",
              label: t("detail.tab.meta"),
              children: (
                <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} styles={{ label: { width: 150, whiteSpace: "nowrap" } }}>
                  <Descriptions.Item label={t("field.code")}>{entry.code}</Descriptions.Item>
                  <Descriptions.Item label={t("field.provider")}>{entry.provider?.name}</Descriptions.Item>
                  <Descriptions.Item label={t("field.summary")} span={2}>
                    <span style={{ whiteSpace: "pre-wrap" }}>{c.summary}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.category")}>
                    {term(c.category)} · {t("field.classCode")} {c.classCode}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.theme")}>{term(c.theme)}</Descriptions.Item>
                  <Descriptions.Item label={t("field.domains")}>{dash(c.domains?.length ? <Space size={4} wrap>{c.domains.map((d) => <Tag key={d}>{term(d)}</Tag>)}</Space> : null)}</Descriptions.Item>
                  <Descriptions.Item label={t("field.keywords")}>{dash(c.keywords?.length ? c.keywords.join("、") : null)}</Descriptions.Item>
                  <Descriptions.Item label={t("field.formats")}>
                    {term(c.formatCategory)}
                    {c.formats?.length ? `${t("common.colon")}${c.formats.join(lang === "en" ? ", " : "、")}` : ""}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.updateCycle")}>{term(c.updateCycle)}</Descriptions.Item>
                  <Descriptions.Item label={t("field.shareType")} span={2}>
                    <ShareTag value={c.shareType} />
                    {sub("field.shareConditions", c.shareConditions)}
                    {sub("field.shareMethod", [term(c.shareMethod), c.shareMethodType ? term(c.shareMethodType) : ""].filter(Boolean).join(" · "))}
                    {sub("field.notShareBasis", c.notShareBasis)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.openType")} span={2}>
                    <OpenTag value={c.openType} />
                    {sub("field.openConditions", c.openConditions)}
                    {sub("field.notOpenBasis", c.notOpenBasis)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.sourceSystem")}>
                    {c.sourceSystem?.name}
                    {c.sourceSystem?.description && <div style={{ color: "#666" }}>{c.sourceSystem.description}</div>}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.grade")}>
                    <GradeTag value={c.grade} level={c.generalLevel} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.contact")}>
                    {c.contact?.name} · {c.contact?.phone}
                    {c.contact?.email ? ` · ${c.contact.email}` : ""}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("field.publishedAt")}>{formatTime(entry.publishedAt, lang, true)}</Descriptions.Item>
                  {c.relatedCodes?.length ? (
                    <Descriptions.Item label={t("field.relatedCodes")} span={2}>
                      {c.relatedCodes.join("、")}
                    </Descriptions.Item>
                  ) : null}
                </Descriptions>
              ),
            },
            {
              key: "items",
              label: `${t("detail.tab.items")} (${c.items?.length ?? 0})`,
              children: <ItemsTable items={c.items ?? []} />,
            },
            {
              key: "versions",
              label: t("detail.tab.versions"),
              children: <VersionsPanel id={id} versions={versions.data?.items ?? []} loading={versions.loading} />,
            },
          ]}
        />
      </Card>

      <Modal
        open={!!reasonFor}
        title={reasonFor === "return" ? t("detail.return") : t("detail.withdraw")}
        okText={t("common.ok")}
        cancelText={t("common.cancel")}
        okButtonProps={{ danger: true, loading: busy === reasonFor }}
        onOk={onReasonOk}
        onCancel={() => setReasonFor(undefined)}
        destroyOnHidden
      >
        <Form form={reasonForm} layout="vertical">
          <Form.Item
            name="reason"
            label={reasonFor === "return" ? t("detail.returnReason") : t("detail.withdrawReason")}
            rules={[{ required: true, whitespace: true, message: t("detail.reasonRequired") }]}
          >
            <Input.TextArea rows={4} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>

      <Modal open={proofOpen} title={t("detail.ledgerProofTitle")} footer={null} onCancel={() => setProofOpen(false)} width={640}>
        <Typography.Paragraph type="secondary">{t("detail.ledgerProofHelp")}</Typography.Paragraph>
        <Table
          size="small"
          rowKey="version"
          pagination={false}
          dataSource={published}
          locale={{ emptyText: t("common.none") }}
          columns={[
            { title: t("version.version"), dataIndex: "version", render: (v: number) => `v${v}` },
            { title: t("version.status"), dataIndex: "status", render: (s: string) => <StatusTag value={s} /> },
            { title: t("version.publishedAt"), dataIndex: "publishedAt", render: (s: string | null) => formatTime(s, lang, true) },
            { title: t("version.ledgerIndex"), dataIndex: "ledgerIndex", render: (n: number | null) => (n == null ? "—" : <Typography.Text code>#{n}</Typography.Text>) },
          ]}
        />
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
          <Space size="large">
            <Link to="/ledger" onClick={() => setProofOpen(false)}>
              {t("nav.ledger")} →
            </Link>
            <a href={links.ledgerBundle} download="gongshu-ledger-bundle.json">
              {t("ledger.bundle")}
            </a>
          </Space>
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}

export function ItemsTable({ items }: { items: EntryContent["items"] }) {
  const { t, term } = useI18n();
  return (
    <Table
      size="small"
      rowKey={(r, i) => `${r.name}-${i}`}
      dataSource={items}
      pagination={items.length > 20 ? { pageSize: 20 } : false}
      locale={{ emptyText: <Empty description={t("detail.noItems")} /> }}
      columns={[
        { title: "#", width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
        { title: t("item.name"), dataIndex: "name" },
        { title: t("item.nameEn"), dataIndex: "nameEn", render: (v?: string) => v || "—" },
        { title: t("item.type"), dataIndex: "type", render: (v: string) => term(v) },
        { title: t("item.length"), dataIndex: "length", width: 80, render: (v?: number) => v ?? "—" },
        { title: t("item.sensitive"), dataIndex: "sensitive", width: 80, render: (v: boolean) => (v ? <Tag color="red">{t("common.yes")}</Tag> : t("common.no")) },
        { title: t("item.key"), dataIndex: "key", width: 70, render: (v: boolean) => (v ? <Tag color="blue">{t("common.yes")}</Tag> : "") },
        { title: t("item.codeList"), dataIndex: "codeList", width: 160, render: (v?: string[]) => (v?.length ? v.join("、") : "") },
        { title: t("item.required"), dataIndex: "required", width: 80, render: (v: boolean) => (v ? t("common.yes") : t("common.no")) },
        { title: t("item.description"), dataIndex: "description", render: (v?: string) => v || "—" },
      ]}
    />
  );
}

function VersionsPanel({ id, versions, loading }: { id: string; versions: VersionView[]; loading: boolean }) {
  const { t, lang, msg } = useI18n();
  const nums = versions.map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [changes, setChanges] = useState<FieldChange[]>();
  const [err, setErr] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (nums.length >= 2 && from === undefined && to === undefined) {
      setFrom(nums[nums.length - 2]);
      setTo(nums[nums.length - 1]);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nums.join(",")]);

  const compare = async (f = from, tt = to) => {
    if (f === undefined || tt === undefined) return;
    setBusy(true);
    setErr(undefined);
    try {
      setChanges((await api.catalog.diff(id, f, tt)).changes);
    } catch (e) {
      setErr(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const show = (v: unknown) => {
    if (v === undefined || v === null || v === "") return <Typography.Text type="secondary">—</Typography.Text>;
    if (typeof v === "object") return <code style={{ whiteSpace: "pre-wrap", fontSize: 12 }}>{JSON.stringify(v, null, 1)}</code>;
    return String(v);
  };

  return (
    <div>
      <Table
        size="small"
        rowKey="version"
        loading={loading}
        dataSource={[...versions].sort((a, b) => b.version - a.version)}
        pagination={false}
        columns={[
          { title: t("version.version"), dataIndex: "version", width: 70, render: (v: number) => `v${v}` },
          { title: t("version.status"), dataIndex: "status", width: 100, render: (s: string) => <StatusTag value={s} /> },
          { title: t("version.reason"), dataIndex: "reason", render: (v: string | null) => v || "—" },
          { title: t("version.reviewNote"), dataIndex: "reviewNote", render: (v: string | null) => v || "—" },
          { title: t("version.createdAt"), dataIndex: "createdAt", width: 150, render: (v: string) => formatTime(v, lang, true) },
          { title: t("version.publishedAt"), dataIndex: "publishedAt", width: 150, render: (v: string | null) => formatTime(v, lang, true) },
          { title: t("version.ledgerIndex"), dataIndex: "ledgerIndex", width: 90, render: (n: number | null) => (n == null ? "—" : `#${n}`) },
        ]}
      />
      <h2 style={{ fontSize: 16, margin: "24px 0 12px" }}>
        <SwapOutlined /> {t("detail.tab.diff")}
      </h2>
      {nums.length < 2 ? (
        <Typography.Text type="secondary">{t("diff.needTwo")}</Typography.Text>
      ) : (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <label htmlFor="gs-diff-from">{t("diff.from")}</label>
            <Select id="gs-diff-from" value={from} onChange={setFrom} style={{ width: 90 }} options={nums.map((n) => ({ value: n, label: `v${n}` }))} />
            <label htmlFor="gs-diff-to">{t("diff.to")}</label>
            <Select id="gs-diff-to" value={to} onChange={setTo} style={{ width: 90 }} options={nums.map((n) => ({ value: n, label: `v${n}` }))} />
            <Button type="primary" icon={<SwapOutlined />} loading={busy} onClick={() => compare()} disabled={from === undefined || to === undefined || from === to}>
              {t("diff.compare")}
            </Button>
          </Space>
          {err && <Alert type="error" showIcon title={msg(err.text)} style={{ marginBottom: 12 }} />}
          {changes && (
            <Table
              size="small"
              rowKey={(r) => `${r.path}-${r.kind}`}
              dataSource={changes}
              pagination={false}
              locale={{ emptyText: t("diff.none") }}
              columns={[
                { title: t("diff.path"), dataIndex: "path", width: 200, render: (p: string) => <Typography.Text code>{p}</Typography.Text> },
                {
                  title: t("diff.kind"),
                  dataIndex: "kind",
                  width: 80,
                  render: (k: string) => <Tag color={k === "added" ? "green" : k === "removed" ? "red" : "blue"}>{t(`diff.kind.${k}` as MessageKey)}</Tag>,
                },
                { title: t("diff.before"), dataIndex: "before", render: (v: unknown) => <div style={{ background: "#fff1f0", padding: "2px 6px", borderRadius: 4 }}>{show(v)}</div> },
                { title: t("diff.after"), dataIndex: "after", render: (v: unknown) => <div style={{ background: "#f6ffed", padding: "2px 6px", borderRadius: 4 }}>{show(v)}</div> },
              ]}
            />
          )}
        </>
      )}
    </div>
  );
}
