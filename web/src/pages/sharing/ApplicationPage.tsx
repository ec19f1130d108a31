import { useState } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Popconfirm, Radio, Result, Skeleton, Space, Steps, Tag, Typography } from "antd";
import { KeyOutlined, RollbackOutlined } from "@ant-design/icons";
import { Link, useParams } from "react-router-dom";
import { api, ApiError } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert, ShareTag } from "../../components/tags.tsx";
import { ApplicationStatusTag, RowFilterText, showServerError } from "./parts.tsx";

interface DecisionValues {
  decision: "approve" | "refuse";
  conditions?: string;
  reason?: string;
}

/** One share application: every field, the deadline, the provider's decision, withdrawal, the grant. */
export default function ApplicationPage() {
  const { id = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { user, hasRole } = useAuth();
  const { message } = App.useApp();
  const res = useAsync(() => api.sharing.application(id), [id]);
  const [form] = Form.useForm<DecisionValues>();
  const decision = Form.useWatch("decision", form);
  const [busy, setBusy] = useState<string>();

  if (res.loading && !res.data) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  if (res.error && !res.data) {
    if (res.error.status === 404) return <Result status="404" title="404" subTitle={msg(res.error.text)} extra={<Link to="/sharing"><Button>{t("sharing.title")}</Button></Link>} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  const a = res.data!;
  const orgId = user?.org?.id;
  const pending = a.status === "pending";
  const canDecide = pending && ((hasRole("data_officer") && orgId === a.providerOrgId) || (hasRole("platform_admin") && !!a.escalatedAt));
  const canWithdraw = pending && orgId === a.applicantOrgId;

  const decide = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    setBusy("decide");
    try {
      await api.sharing.decide(a.id, {
        decision: v.decision,
        ...(v.decision === "approve" && v.conditions?.trim() ? { conditions: v.conditions.trim() } : {}),
        ...(v.decision === "refuse" ? { reason: v.reason?.trim() } : {}),
      });
      message.success(t(v.decision === "approve" ? "sharing.decide.approved" : "sharing.decide.refused"));
      form.resetFields();
      res.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        showServerError(form, e, msg(e.text), (p) => (["reason", "conditions"].includes(String(p[0])) ? [p[0]] : null));
        message.error(msg(e.text));
      } else message.error(String(e));
    } finally {
      setBusy(undefined);
    }
  };
  const withdraw = async () => {
    setBusy("withdraw");
    try {
      await api.sharing.withdraw(a.id);
      message.success(t("sharing.withdrawn"));
      res.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(undefined);
    }
  };

  // 提交 → 审核 → 授权 (a 无条件 application is granted at once; a refused or withdrawn one stops at 审核).
  const step = a.status === "pending" ? 1 : 2;
  const stepStatus = a.status === "refused" || a.status === "withdrawn" ? "error" : a.status === "granted" ? "finish" : a.overdue ? "error" : "process";

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div style={{ minWidth: 0 }}>
            <Space size={8} wrap style={{ marginBottom: 6 }}>
              <ApplicationStatusTag status={a.status} />
              <ShareTag value={a.shareType} />
              {a.overdue && <Tag color="error">{t("sharing.overdue")}</Tag>}
              {a.escalatedAt && <Tag color="magenta">{t("sharing.escalated")}</Tag>}
            </Space>
            <h1 style={{ margin: "4px 0", fontSize: 22 }} data-testid="application-title">
              {t("sharing.application.titleOf", { name: a.entryName })}
            </h1>
            <Typography.Text type="secondary">
              {a.applicantName ?? a.applicantOrgId} → {a.providerName ?? a.providerOrgId} · {t("sharing.appliedAt")} {formatTime(a.createdAt, lang, true)}
              {a.dueAt && pending ? ` · ${t("sharing.due")} ${formatTime(a.dueAt, lang, true)}` : ""}
            </Typography.Text>
          </div>
          <Space wrap style={{ alignSelf: "flex-start" }}>
            {a.grantId && (
              <Link to={`/sharing/grants/${a.grantId}`} data-testid="open-grant">
                <Button type="primary" icon={<KeyOutlined />}>
                  {t("sharing.openGrant")}
                </Button>
              </Link>
            )}
            {canWithdraw && (
              <Popconfirm title={t("sharing.withdrawConfirm")} okText={t("common.ok")} cancelText={t("common.cancel")} onConfirm={withdraw}>
                <Button danger icon={<RollbackOutlined />} loading={busy === "withdraw"} data-testid="withdraw-application">
                  {t("sharing.withdraw")}
                </Button>
              </Popconfirm>
            )}
          </Space>
        </div>
        <Steps
          style={{ marginTop: 24 }}
          size="small"
          current={step}
          status={stepStatus}
          items={[
            { title: t("sharing.step.submitted"), description: formatTime(a.createdAt, lang, true) },
            {
              title: a.status === "refused" ? t("sharing.status.refused") : a.status === "withdrawn" ? t("sharing.status.withdrawn") : t("sharing.step.review"),
              description:
                a.status === "pending" && a.dueAt ? (
                  <span style={{ color: a.overdue ? "#cf1322" : undefined }}>
                    {t("sharing.dueShort", { d: formatTime(a.dueAt, lang, true) })}
                    {a.overdue ? ` · ${t("sharing.overdue")}` : ""}
                  </span>
                ) : a.decidedAt ? (
                  formatTime(a.decidedAt, lang, true)
                ) : undefined,
            },
            { title: t("sharing.step.granted") },
          ]}
          data-testid="application-steps"
        />
      </Card>

      {a.status === "refused" && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("sharing.refusedReason")} description={a.decisionReason} data-testid="refusal" />}
      {a.status === "granted" && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={a.shareType === "无条件共享" ? t("sharing.grantedAuto") : t("sharing.grantedBy", { org: a.providerName ?? "" })}
          description={a.conditions ? `${t("sharing.conditions")}${t("common.colon")}${a.conditions}` : undefined}
          data-testid="granted"
        />
      )}

      {canDecide && (
        <Card title={t("sharing.decide.title")} style={{ marginBottom: 16 }} data-testid="decision">
          {a.escalatedAt && !hasRole("data_officer") && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("sharing.decide.escalatedHelp")} />}
          <Form<DecisionValues> form={form} layout="vertical" initialValues={{ decision: "approve" }} style={{ maxWidth: 720 }}>
            <Form.Item name="decision" label={t("sharing.decide.decision")}>
              <Radio.Group>
                <Radio value="approve" data-testid="decision-approve">{t("sharing.decide.approve")}</Radio>
                <Radio value="refuse" data-testid="decision-refuse">{t("sharing.decide.refuse")}</Radio>
              </Radio.Group>
            </Form.Item>
            {decision !== "refuse" ? (
              <Form.Item name="conditions" label={t("sharing.conditions")} extra={t("sharing.decide.conditionsHelp")}>
                <Input.TextArea rows={3} maxLength={2000} showCount />
              </Form.Item>
            ) : (
              <Form.Item name="reason" label={t("sharing.decide.reason")} rules={[{ required: true, whitespace: true, message: t("sharing.decide.reasonRequired") }]}>
                <Input.TextArea rows={3} maxLength={2000} showCount />
              </Form.Item>
            )}
            <Button type="primary" danger={decision === "refuse"} loading={busy === "decide"} onClick={decide} data-testid="decision-submit">
              {decision === "refuse" ? t("sharing.decide.submitRefuse") : t("sharing.decide.submitApprove")}
            </Button>
          </Form>
        </Card>
      )}

      <Card title={t("sharing.application.details")}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={{ label: { width: 140, whiteSpace: "nowrap" } }} data-testid="application-details">
          <Descriptions.Item label={t("sharing.entry")}>
            <Link to={`/catalog/${a.entryId}`}>{a.entryName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("field.code")}>
            <Typography.Text code>{a.entryCode}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.applicant")}>{a.applicantName ?? a.applicantOrgId}</Descriptions.Item>
          <Descriptions.Item label={t("sharing.provider")}>{a.providerName ?? a.providerOrgId}</Descriptions.Item>
          <Descriptions.Item label={t("sharing.items")} span={2}>
            <Space size={[4, 4]} wrap>
              {a.items.map((i) => (
                <Tag key={i}>{i}</Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.purpose")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{a.purpose}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.legalBasis")} span={2}>
            <span style={{ whiteSpace: "pre-wrap" }}>{a.legalBasis}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.matter")} span={2}>
            {a.matter ?? "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.period")}>
            {a.periodFrom} – {a.periodTo}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.expectedVolume")}>
            {a.expectedVolume.toLocaleString(lang)} {t("sharing.unit.rows")}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.rowFilter")}>
            <RowFilterText filters={a.rowFilter} />
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.ratePerMinute")}>
            {a.ratePerMinute} {t("sharing.unit.perMinute")}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.due")}>
            {a.dueAt ? (
              <Space size={4} wrap>
                {formatTime(a.dueAt, lang, true)}
                {a.overdue && <Tag color="error">{t("sharing.overdue")}</Tag>}
              </Space>
            ) : (
              "—"
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.escalatedAt")}>{a.escalatedAt ? formatTime(a.escalatedAt, lang, true) : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("sharing.decidedAt")}>{formatTime(a.decidedAt, lang, true)}</Descriptions.Item>
          <Descriptions.Item label={t("sharing.decisionNote")}>
            {a.status === "refused" ? a.decisionReason : (a.conditions ?? (a.status === "granted" && a.shareType === "无条件共享" ? t("sharing.grantedAuto") : (a.decisionReason ?? "—")))}
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.grant")} span={2}>
            {a.grantId ? <Link to={`/sharing/grants/${a.grantId}`}>{a.grantId}</Link> : "—"}
          </Descriptions.Item>
        </Descriptions>
      </Card>
    </div>
  );
}
