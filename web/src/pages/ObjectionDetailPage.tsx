import { useState, type ReactNode } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Result, Select, Skeleton, Space, Steps, Tag, Timeline, Typography } from "antd";
import { CheckOutlined, CloseOutlined, EditOutlined, LikeOutlined, PaperClipOutlined, RiseOutlined, SolutionOutlined } from "@ant-design/icons";
import { useParams } from "react-router-dom";
import { api, ApiError, links, type ObjectionDetail } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert } from "../components/tags.tsx";
import { ObjectionStatusTag, recordKeyText } from "../components/objection.tsx";

type Action = "accept" | "correct" | "reject" | "confirm" | "dispute" | "decide";
const STEP_KEYS = ["accept", "verify", "resolve", "reply", "close"] as const;

/** Where the objection stands on 受理 → 核实 → 更正/驳回 → 反馈 → 关闭. */
function stepIndex(o: ObjectionDetail["objection"]): number {
  switch (o.status) {
    case "submitted":
      return 0;
    case "verifying":
      return 1;
    case "replied":
    case "escalated":
      return 3;
    default:
      return 5;
  }
}

export default function ObjectionDetailPage() {
  const { id = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const res = useAsync(() => api.objections.get(id), [id]);
  const [action, setAction] = useState<Action>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ text?: string; value?: string; column?: string; decision?: "uphold" | "reopen" }>();

  if (res.loading && !res.data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  if (res.error && !res.data) {
    if (res.error.status === 404) return <Result status="404" title="404" subTitle={msg(res.error.text)} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  const { objection: o, events, can, columns } = res.data!;
  const authority = (events.find((e) => e.step === "raised")?.data as { authority?: { concept: string; datasetName: string } } | null)?.authority;
  const current = stepIndex(o);

  const run = async () => {
    const v = await form.validateFields();
    const text = v.text?.trim() || undefined;
    setBusy(true);
    try {
      if (action === "accept") await api.objections.accept(id, text);
      else if (action === "correct") {
        const value = v.value?.trim() ? v.value.trim() : null;
        const changes = !o.column
          ? [{ column: v.column!, value }]
          : v.value !== undefined && v.value !== (o.proposedValue ?? "") ? [{ column: o.column, value }] : undefined;
        await api.objections.correct(id, text!, changes);
      } else if (action === "reject") await api.objections.reject(id, text!);
      else if (action === "confirm") await api.objections.confirm(id, text);
      else if (action === "dispute") await api.objections.dispute(id, text!);
      else if (action === "decide") await api.objections.decide(id, v.decision!, text!);
      message.success(t("objection.done"));
      setAction(undefined);
      form.resetFields();
      res.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(false);
    }
  };

  const buttons: ReactNode[] = [];
  const btn = (a: Action, icon: ReactNode, primary = false, danger = false) =>
    buttons.push(
      <Button key={a} type={primary ? "primary" : "default"} danger={danger} icon={icon} onClick={() => setAction(a)} data-testid={`objection-${a}`}>
        {t(`objection.action.${a}` as MessageKey)}
      </Button>,
    );
  if (can.accept) btn("accept", <SolutionOutlined />, true);
  if (can.correct) btn("correct", <EditOutlined />, true);
  if (can.reject) btn("reject", <CloseOutlined />, false, true);
  if (can.confirm) btn("confirm", <LikeOutlined />, true);
  if (can.dispute) btn("dispute", <RiseOutlined />, false, true);
  if (can.decide) btn("decide", <CheckOutlined />, true);

  const needsText = action === "correct" || action === "reject" || action === "dispute" || action === "decide";
  const resolved = o.resolution ? t(`objection.resolution.${o.resolution}` as MessageKey) : t("objection.step.resolve");

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div>
            <Space size={8} wrap>
              <ObjectionStatusTag status={o.status} />
              {o.overdue && <Tag color="error">{t("objection.overdue")}</Tag>}
              {o.conflictId && <Tag color="purple">{t("objection.fromConflict")}</Tag>}
            </Space>
            <h1 style={{ margin: "6px 0", fontSize: 22 }} data-testid="objection-title">
              {t("objection.titleOf", { name: o.dataset.name })}
            </h1>
            <Typography.Text type="secondary">
              {t("objection.raisedAt")} {formatTime(o.createdAt, lang, true)}
              {o.dueAt ? ` · ${t("objection.due")} ${formatTime(o.dueAt, lang, true)}` : ""}
            </Typography.Text>
          </div>
          <Space wrap style={{ alignSelf: "flex-start" }}>
            {buttons}
          </Space>
        </div>
        <Steps
          style={{ marginTop: 24 }}
          size="small"
          current={Math.min(current, 4)}
          status={o.status === "escalated" ? "error" : o.status === "closed" ? "finish" : o.overdue ? "error" : "process"}
          items={STEP_KEYS.map((k, i) => ({
            title: k === "resolve" ? resolved : t(`objection.step.${k}` as MessageKey),
            description:
              i === current && o.dueAt ? (
                <span style={{ color: o.overdue ? "#cf1322" : undefined }}>
                  {t("objection.dueShort", { d: formatTime(o.dueAt, lang, true) })}
                  {o.overdue ? ` · ${t("objection.overdue")}` : ""}
                </span>
              ) : i === 3 && o.status === "escalated" ? (
                t("objection.status.escalated")
              ) : undefined,
          }))}
          data-testid="objection-steps"
        />
      </Card>
      <Card style={{ marginBottom: 16 }} title={t("objection.details")}>
        {authority && (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="objection-authority" title={t("objection.authority", { concept: authority.concept, dataset: authority.datasetName })} />
        )}
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t("objection.dataset")}>{o.dataset.name}</Descriptions.Item>
          <Descriptions.Item label={t("objection.version")}>{o.version ? `v${o.version}` : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("objection.recordKey")}>
            <Typography.Text code>{recordKeyText(o.recordKey)}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("objection.column")}>{o.column ?? t("objection.wholeRecord")}</Descriptions.Item>
          <Descriptions.Item label={t("objection.proposedValue")}>{o.proposedValue ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("objection.attachment")}>
            {o.attachment ? (
              <a href={links.objectionAttachment(o.id)}>
                <PaperClipOutlined /> {o.attachment.name} ({Math.ceil(o.attachment.size / 1024)} KB)
              </a>
            ) : (
              "—"
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("objection.reason")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{o.reason}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("objection.evidence")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{o.evidence ?? "—"}</span>
          </Descriptions.Item>
          {o.resolution && (
            <Descriptions.Item label={t("objection.resolution")} span={2}>
              <Tag color={o.resolution === "corrected" ? "success" : "warning"}>{t(`objection.resolution.${o.resolution}` as MessageKey)}</Tag>
              {o.resolutionNote}
              {o.correctionVersion ? ` · ${t("objection.correctionVersion", { v: o.correctionVersion })}` : ""}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card title={t("objection.timeline")}>
        <Timeline
          data-testid="objection-timeline"
          items={events.map((e) => ({
            color: e.step === "rejected" || e.step === "disputed" || e.step === "overdue" ? "red" : e.step === "corrected" || e.step === "closed" || e.step === "confirmed" ? "green" : "blue",
            children: (
              <div>
                <Typography.Text strong>{lang === "en" && STEP_LABELS.includes(e.step) ? t(`objection.event.${e.step}` as MessageKey) : e.label}</Typography.Text>{" "}
                <Typography.Text type="secondary">
                  {formatTime(e.at, lang, true)}
                  {e.actor ? ` · ${e.actor}` : ""} · {t("version.ledgerIndex")} #{e.ledgerIndex}
                </Typography.Text>
                {e.note && <div style={{ whiteSpace: "pre-wrap", color: "#444" }}>{e.note}</div>}
              </div>
            ),
          }))}
        />
      </Card>

      <Modal
        open={!!action}
        title={action ? t(`objection.action.${action}` as MessageKey) : ""}
        onCancel={() => setAction(undefined)}
        onOk={run}
        okText={t("common.ok")}
        cancelText={t("common.cancel")}
        okButtonProps={{ loading: busy, danger: action === "reject" || action === "dispute" }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ value: o.proposedValue ?? "", decision: "uphold" }}>
          {action === "decide" && (
            <Form.Item name="decision" label={t("objection.decision")}>
              <Radio.Group>
                <Radio value="uphold">{t("objection.decision.uphold")}</Radio>
                <Radio value="reopen">{t("objection.decision.reopen")}</Radio>
              </Radio.Group>
            </Form.Item>
          )}
          {action === "correct" && o.column && (
            <Form.Item name="value" label={t("objection.correctedValue", { column: o.column })} extra={t("objection.correctHelp")}>
              <Input />
            </Form.Item>
          )}
          {action === "correct" && !o.column && (
            <>
              <Alert type="info" showIcon title={t("objection.correctWholeRecord")} style={{ marginBottom: 12 }} />
              <Form.Item name="column" label={t("objection.correctColumn")} rules={[{ required: true, message: t("objection.correctColumn") }]}>
                <Select data-testid="correct-column" options={(columns ?? []).map((c) => ({ value: c, label: c }))} showSearch />
              </Form.Item>
              <Form.Item name="value" label={t("objection.newValue")} extra={t("objection.correctHelp")}>
                <Input />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="text"
            label={t(action === "reject" || action === "dispute" ? "objection.reasonLabel" : "objection.note")}
            rules={needsText ? [{ required: true, whitespace: true, message: t("detail.reasonRequired") }] : []}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

const STEP_LABELS = ["raised", "accepted", "corrected", "rejected", "confirmed", "disputed", "reopened", "upheld", "closed", "reminded", "overdue"];
