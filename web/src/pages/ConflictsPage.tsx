import { useState } from "react";
import { App, Button, Card, Input, Modal, Space, Table, Tabs, Tag, Typography } from "antd";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api, ApiError, type ConflictView } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";

const STATUSES: ConflictView["status"][] = ["open", "resolved", "objected"];

/** 多源校核冲突: the conflicts sent to the authoritative department (its to-do list). */
export default function ConflictsPage() {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { user, hasRole } = useAuth();
  const [sp, setSp] = useSearchParams();
  const status = (STATUSES as string[]).includes(sp.get("status") ?? "") ? (sp.get("status") as ConflictView["status"]) : "open";
  const sourceId = sp.get("sourceId") ?? undefined;
  const res = useAsync(() => api.quality.conflicts({ status, sourceId, limit: 500 }), [status, sourceId]);
  const [resolving, setResolving] = useState<ConflictView>();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const mayHandle = (c: ConflictView) => hasRole("platform_admin") || (hasRole("data_officer") && user?.org?.id === c.authoritativeOrgId);

  const resolve = async () => {
    if (!resolving || !note.trim()) return;
    setBusy(true);
    try {
      await api.quality.resolveConflict(resolving.id, note.trim());
      message.success(t("conflicts.resolved"));
      setResolving(undefined);
      setNote("");
      res.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(false);
    }
  };
  const toObjection = async (c: ConflictView) => {
    try {
      const r = await api.quality.conflictToObjection(c.id);
      navigate(`/objections/${r.objection.id}`);
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    }
  };

  return (
    <div>
      <PageTitle>{t("conflicts.title")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("conflicts.desc")}</Typography.Paragraph>
      <Card size="small">
        <Tabs
          activeKey={status}
          onChange={(k) => setSp(sourceId ? { status: k, sourceId } : { status: k })}
          items={STATUSES.map((s) => ({ key: s, label: t(`conflicts.status.${s}` as MessageKey) }))}
          tabBarExtraContent={sourceId ? <Button size="small" onClick={() => setSp({ status })}>{t("search.clear")}</Button> : undefined}
        />
        {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
        <Table<ConflictView>
          size="middle"
          rowKey="id"
          loading={res.loading}
          dataSource={res.data?.items ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
          data-testid="conflicts"
          columns={[
            { title: t("sources.concept"), dataIndex: "concept", width: 120 },
            { title: t("sources.key"), dataIndex: "key", width: 200, render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
            {
              title: t("conflicts.values"),
              render: (_: unknown, c) => (
                <Space direction="vertical" size={2}>
                  {c.values.map((v) => (
                    <span key={v.datasetId}>
                      {v.authoritative && <Tag color="gold">★ {t("sources.authoritativeShort")}</Tag>}
                      <Typography.Text type="secondary">{v.datasetName} v{v.version}</Typography.Text>
                      {t("common.colon")}
                      <Typography.Text strong={v.authoritative}>{v.value ?? "∅"}</Typography.Text>
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: t("field.status"), dataIndex: "status", width: 90, render: (s: string) => <Tag color={s === "open" ? "error" : s === "resolved" ? "success" : "purple"}>{t(`conflicts.status.${s}` as MessageKey)}</Tag> },
            { title: t("conflicts.found"), dataIndex: "createdAt", width: 150, render: (s: string) => formatTime(s, lang, true) },
            {
              title: t("common.actions"),
              width: 200,
              render: (_: unknown, c) =>
                c.status === "open" ? (
                  <Space size={4} wrap>
                    {mayHandle(c) && (
                      <Button size="small" type="primary" onClick={() => setResolving(c)}>
                        {t("conflicts.resolve")}
                      </Button>
                    )}
                    <Button size="small" onClick={() => void toObjection(c)}>
                      {t("conflicts.toObjection")}
                    </Button>
                  </Space>
                ) : c.objectionId ? (
                  <Button size="small" type="link" onClick={() => navigate(`/objections/${c.objectionId}`)}>
                    {t("objection.open")}
                  </Button>
                ) : (
                  c.resolutionNote
                ),
            },
          ]}
        />
      </Card>
      <Modal open={!!resolving} title={t("conflicts.resolve")} onCancel={() => setResolving(undefined)} onOk={resolve} okText={t("common.ok")} cancelText={t("common.cancel")} okButtonProps={{ loading: busy, disabled: !note.trim() }}>
        <Typography.Paragraph type="secondary">{t("conflicts.resolveHelp")}</Typography.Paragraph>
        <Input.TextArea rows={4} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} aria-label={t("objection.note")} />
      </Modal>
    </div>
  );
}
