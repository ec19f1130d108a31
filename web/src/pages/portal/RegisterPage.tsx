import { useState } from "react";
import { Alert, App, Button, Card, Col, Form, Input, Row, Segmented, Space, Typography } from "antd";
import { BankOutlined, LockOutlined, UserOutlined } from "@ant-design/icons";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
// The server's own validator (a dependency-free file): the form says at once what the server would refuse.
import { isValidUscc } from "../../../../src/modules/protection/identifiers.ts";
import { api, ApiError, fieldPathOf, type RegisterInput } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n.ts";
import { PortalNav, safeNext } from "./parts.tsx";

type AccountType = RegisterInput["accountType"];

interface RegisterValues {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
  phone?: string;
  email?: string;
  orgName?: string;
  uscc?: string;
}

const USERNAME_RE = /^[a-z][a-z0-9_.-]{2,31}$/;
const MOBILE_RE = /^1[3-9]\d{9}$/;
const FIELDS = new Set(["username", "displayName", "password", "phone", "email", "orgName", "uscc"]);

/**
 * /open/register — self-service registration of the public: an individual (joins 公众用户) or an
 * enterprise (its 统一社会信用代码, checked). Signs the new user in and goes on (default: API keys).
 */
export default function RegisterPage() {
  const { t, msg } = useI18n();
  const { user, ready, login } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const next = safeNext(sp.get("next"), "/open/keys");
  const [type, setType] = useState<AccountType>(sp.get("type") === "enterprise" ? "enterprise" : "individual");
  const [form] = Form.useForm<RegisterValues>();
  const [busy, setBusy] = useState(false);
  const [topError, setTopError] = useState<ApiError>();

  if (ready && user && !busy) return <Navigate to={next} replace />;

  const submit = async (v: RegisterValues) => {
    setBusy(true);
    setTopError(undefined);
    const common = {
      username: v.username.trim(),
      displayName: v.displayName.trim(),
      password: v.password,
      ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
      ...(v.email?.trim() ? { email: v.email.trim() } : {}),
    };
    const body: RegisterInput = type === "enterprise" ? { accountType: "enterprise", ...common, orgName: v.orgName!.trim(), uscc: v.uscc!.trim().toUpperCase() } : { accountType: "individual", ...common };
    try {
      await api.auth.register(body);
      const u = await login(body.username, body.password);
      message.success(t("portal.register.done", { name: u.displayName || u.username }));
      navigate(next, { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) {
        message.error(String(e));
        return;
      }
      const field = String(fieldPathOf(e.field)?.[0] ?? "");
      if (FIELDS.has(field)) form.setFields([{ name: field as keyof RegisterValues, errors: [msg(e.text)] }]);
      else setTopError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PortalNav />
      <div style={{ display: "flex", justifyContent: "center", padding: "8px 0 24px" }}>
        <Card style={{ width: 620, maxWidth: "100%", boxShadow: "0 6px 24px rgba(15,42,95,0.08)" }}>
          <h1 style={{ fontSize: 22, marginTop: 0, marginBottom: 4 }}>{t("portal.register.title")}</h1>
          <Typography.Paragraph type="secondary">{t("portal.register.intro")}</Typography.Paragraph>
          <Segmented<AccountType>
            block
            value={type}
            onChange={(v) => {
              setType(v);
              form.setFields([{ name: "orgName", errors: [] }, { name: "uscc", errors: [] }]);
            }}
            options={[
              { value: "individual", label: <span data-testid="type-individual"><UserOutlined /> {t("portal.register.individual")}</span> },
              { value: "enterprise", label: <span data-testid="type-enterprise"><BankOutlined /> {t("portal.register.enterprise")}</span> },
            ]}
            style={{ marginBottom: 8 }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t(type === "enterprise" ? "portal.register.enterpriseHelp" : "portal.register.individualHelp")}
          </Typography.Paragraph>
          {topError && <Alert type="error" showIcon title={msg(topError.text)} style={{ marginBottom: 16 }} />}
          <Form<RegisterValues> form={form} layout="vertical" onFinish={submit} requiredMark name="register" data-testid="register-form" scrollToFirstError>
            {type === "enterprise" && (
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <Form.Item name="orgName" label={t("portal.register.orgName")} rules={[{ required: true, whitespace: true, message: t("portal.register.orgNameRequired") }, { min: 2, message: t("portal.register.orgNameRequired") }]}>
                    <Input maxLength={100} autoComplete="organization" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item
                    name="uscc"
                    label={t("portal.register.uscc")}
                    extra={t("portal.register.usccHelp")}
                    normalize={(v?: string) => v?.toUpperCase()}
                    rules={[
                      { required: true, whitespace: true, message: t("portal.register.usccRequired") },
                      { validator: (_, v?: string) => (!v || isValidUscc(v) ? Promise.resolve() : Promise.reject(new Error(t("portal.register.usccInvalid")))) },
                    ]}
                  >
                    <Input maxLength={18} style={{ fontFamily: "monospace" }} />
                  </Form.Item>
                </Col>
              </Row>
            )}
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="username"
                  label={t("portal.register.username")}
                  extra={t("portal.register.usernameHelp")}
                  rules={[
                    { required: true, message: t("login.usernameRequired") },
                    { pattern: USERNAME_RE, message: t("portal.register.usernameInvalid") },
                  ]}
                >
                  <Input prefix={<UserOutlined />} autoComplete="username" maxLength={32} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="displayName" label={t(type === "enterprise" ? "portal.register.contactName" : "portal.register.displayName")} rules={[{ required: true, whitespace: true, message: t("portal.register.displayNameRequired") }]}>
                  <Input maxLength={50} autoComplete="name" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="password" label={t("login.password")} extra={t("portal.register.passwordHelp")} rules={[{ required: true, message: t("login.passwordRequired") }, { min: 10, message: t("portal.register.passwordMin") }]}>
                  <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="confirm"
                  label={t("portal.register.confirm")}
                  dependencies={["password"]}
                  rules={[
                    { required: true, message: t("portal.register.confirmRequired") },
                    ({ getFieldValue }) => ({ validator: (_, v) => (!v || v === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("portal.register.confirmMismatch")))) }),
                  ]}
                >
                  <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="phone" label={t("portal.register.phone")} rules={[{ pattern: MOBILE_RE, message: t("portal.register.phoneInvalid") }]}>
                  <Input maxLength={11} autoComplete="tel" inputMode="numeric" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="email" label={t("portal.register.email")} rules={[{ type: "email", message: t("portal.register.emailInvalid") }]}>
                  <Input maxLength={200} autoComplete="email" />
                </Form.Item>
              </Col>
            </Row>
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="register-submit">
                {t("portal.register.submit")}
              </Button>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {t("portal.register.haveAccount")} <Link to={`/login?next=${encodeURIComponent(next)}`}>{t("nav.login")}</Link>
              </Typography.Text>
            </Space>
          </Form>
        </Card>
      </div>
    </div>
  );
}
