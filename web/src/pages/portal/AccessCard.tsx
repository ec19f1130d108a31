import { useState, type ReactNode } from "react";
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from "antd";
import { CheckCircleOutlined, ClockCircleOutlined, DownloadOutlined, FormOutlined, LockOutlined } from "@ant-design/icons";
import { api, ApiError, fieldPathOf, links, type OpenApplicationView, type OpenDatasetPage } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";
import { DOWNLOAD_FORMATS, FORMAT_LABELS } from "./parts.tsx";
import { SignInPrompt } from "./feedback-parts.tsx";

type Page = OpenDatasetPage;

/** Downloads (无条件开放, or 有条件开放 with an approved application) or the way to apply. */
export function AccessCard({ page, applications, onApplied }: { page: Page; applications: OpenApplicationView[]; onApplied(): void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const [applying, setApplying] = useState(false);
  const d = page.dataset;
  const conditional = d.openType === "有条件开放";
  const pending = applications.find((a) => a.status === "submitted");
  const refused = applications.find((a) => a.status === "refused");
  const granted = page.access.application;

  const downloads = (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="downloads">
      <Space size={[8, 8]} wrap>
        {DOWNLOAD_FORMATS.filter((f) => d.downloadFormats.includes(f)).map((f) => (
          <a key={f} href={links.openDownload(d.id, f)} download data-testid={`download-${f}`}>
            <Button icon={<DownloadOutlined />} tabIndex={-1}>
              {FORMAT_LABELS[f]}
            </Button>
          </a>
        ))}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("portal.download.note", { v: d.currentVersion ?? "—", n: d.rows.toLocaleString(lang) })}
      </Typography.Text>
    </Space>
  );

  let body: ReactNode;
  if (!d.downloadFormats.length) body = <Typography.Text type="secondary">{t("portal.noData")}</Typography.Text>;
  else if (page.access.canDownload) {
    body = (
      <>
        {granted && (
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined />}
            style={{ marginBottom: 12 }}
            title={t("portal.apply.granted")}
            description={t("portal.apply.grantedUntil", { date: formatTime(granted.expiresAt, lang) })}
            data-testid="application-granted"
          />
        )}
        {downloads}
      </>
    );
  } else if (!conditional) body = downloads;
  else if (!user) {
    body = (
      <div data-testid="apply-login">
        <Alert type="info" showIcon icon={<LockOutlined />} style={{ marginBottom: 12 }} title={t("portal.apply.conditional")} description={d.openConditions ?? undefined} />
        <SignInPrompt text={t("portal.apply.signInFirst")} />
      </div>
    );
  } else if (pending) {
    body = (
      <Alert
        type="warning"
        showIcon
        icon={<ClockCircleOutlined />}
        title={t("portal.apply.pending")}
        description={
          <>
            <div>{t("portal.apply.submittedAt", { date: formatTime(pending.createdAt, lang, true) })}</div>
            <div style={{ marginTop: 4 }}>
              {t("portal.apply.purpose")}
              {t("common.colon")}
              {pending.purpose}
            </div>
          </>
        }
        data-testid="application-pending"
      />
    );
  } else {
    body = (
      <div>
        <Alert type="info" showIcon icon={<LockOutlined />} style={{ marginBottom: 12 }} title={t("portal.apply.conditional")} description={d.openConditions ?? undefined} />
        {refused && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t("portal.apply.refused")}
            description={refused.reason ?? undefined}
            data-testid="application-refused"
          />
        )}
        <Button type="primary" icon={<FormOutlined />} onClick={() => setApplying(true)} data-testid="apply-open" block>
          {t("portal.apply.button")}
        </Button>
      </div>
    );
  }

  return (
    <>
      <Card title={conditional && !page.access.canDownload ? t("portal.access.apply") : t("portal.access.download")} size="small" style={{ marginBottom: 16 }} data-testid="access">
        {body}
      </Card>
      {applying && (
        <ApplyModal
          page={page}
          onClose={() => setApplying(false)}
          onDone={() => {
            setApplying(false);
            onApplied();
          }}
        />
      )}
    </>
  );
}

interface ApplyValues {
  purpose: string;
  scenario?: string;
  periodDays: number;
  tokenId?: string;
  commitment: boolean;
}

/** 申请使用 (有条件开放): purpose, scenario, period, the key to bind, the security commitment. */
function ApplyModal({ page, onClose, onDone }: { page: Page; onClose(): void; onDone(): void }) {
  const { t, msg } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const [busy, setBusy] = useState(false);
  const [topError, setTopError] = useState<ApiError>();
  const keys = useAsync(() => api.tokens.list(), []);
  const d = page.dataset;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setTopError(undefined);
    try {
      await api.open.apply(d.id, {
        purpose: v.purpose.trim(),
        ...(v.scenario?.trim() ? { scenario: v.scenario.trim() } : {}),
        periodDays: v.periodDays,
        ...(v.tokenId ? { tokenId: v.tokenId } : {}),
        commitment: true,
      });
      message.success(t("portal.apply.submitted"));
      onDone();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        message.error(String(e));
        return;
      }
      const field = fieldPathOf(e.field)?.[0];
      if (field && ["purpose", "scenario", "periodDays", "tokenId", "commitment"].includes(String(field))) form.setFields([{ name: field as keyof ApplyValues, errors: [msg(e.text)] }]);
      else setTopError(e);
    } finally {
      setBusy(false);
    }
  };

  const activeKeys = (keys.data?.items ?? []).filter((k) => !k.revokedAt && (!k.expiresAt || new Date(k.expiresAt) > new Date()));
  return (
    <Modal
      open
      title={t("portal.apply.title", { name: d.title })}
      okText={t("portal.apply.submit")}
      cancelText={t("common.cancel")}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ loading: busy, "data-testid": "apply-submit" }}
      width={640}
      destroyOnHidden
    >
      {topError && <ErrorAlert error={topError} />}
      <Typography.Paragraph type="secondary">{t("portal.apply.help")}</Typography.Paragraph>
      <Form<ApplyValues> form={form} layout="vertical" initialValues={{ periodDays: 180, commitment: false }} data-testid="apply-form">
        <Form.Item name="purpose" label={t("portal.apply.purpose")} rules={[{ required: true, whitespace: true, message: t("portal.apply.purposeRequired") }, { min: 10, message: t("portal.apply.purposeMin") }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("portal.apply.purposePlaceholder")} />
        </Form.Item>
        <Form.Item name="scenario" label={t("portal.apply.scenario")}>
          <Input maxLength={1000} placeholder={t("portal.apply.scenarioPlaceholder")} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={10}>
            <Form.Item name="periodDays" label={t("portal.apply.periodDays")} rules={[{ required: true }]}>
              <InputNumber min={1} max={366} precision={0} style={{ width: "100%" }} suffix={t("portal.apply.days")} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="tokenId" label={t("portal.apply.key")} extra={t("portal.apply.keyHelp")}>
              <Select allowClear loading={keys.loading} placeholder={t("portal.apply.anyKey")} options={activeKeys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)` }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="commitment"
          valuePropName="checked"
          rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t("portal.apply.commitmentRequired")))) }]}
          style={{ marginBottom: 0 }}
        >
          <Checkbox data-testid="apply-commitment">{t("portal.apply.commitment")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
