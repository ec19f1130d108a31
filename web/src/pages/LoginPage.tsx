import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, Typography } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useI18n } from "../i18n.ts";

/** Only same-site paths may be a "next" target. */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

export default function LoginPage() {
  const { t, msg } = useI18n();
  const { login, user, ready } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const next = safeNext(sp.get("next"));

  if (ready && user && !busy) return <Navigate to={next} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const u = await login(v.username.trim(), v.password);
      message.success(t("login.success", { name: u.displayName || u.username }));
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: "flex", justifyContent: "center", padding: "48px 0" }}>
      <Card style={{ width: 400, boxShadow: "0 6px 24px rgba(15,42,95,0.08)" }}>
        <h1 style={{ fontSize: 22, textAlign: "center", marginTop: 0 }}>{t("login.title")}</h1>
        {error && <Alert type="error" showIcon title={msg(error.text)} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} name="login">
          <Form.Item label={t("login.username")} name="username" rules={[{ required: true, message: t("login.usernameRequired") }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item label={t("login.password")} name="password" rules={[{ required: true, message: t("login.passwordRequired") }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t("login.submit")}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t("login.hint")}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
