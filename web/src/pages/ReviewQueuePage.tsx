import { useState } from "react";
import { App, Button, Card, Empty, Form, Input, Modal, Space, Table, Typography } from "antd";
import { CheckOutlined, EyeOutlined, RollbackOutlined } from "@ant-design/icons";
import { Link } from "react-router-dom";
import { api, ApiError, type EntrySummaryView } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n } from "../i18n.ts";
import { ErrorAlert, GradeTag, OpenTag, PageTitle, ShareTag } from "../components/tags.tsx";

export default function ReviewQueuePage() {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const res = useAsync(() => api.catalog.reviewQueue(), []);
  const [busy, setBusy] = useState<string>();
  const [returning, setReturning] = useState<EntrySummaryView>();
  const [form] = Form.useForm<{ reason: string }>();

  const decide = async (e: EntrySummaryView, decision: "approve" | "return", reason?: string) => {
    setBusy(e.id + decision);
    try {
      await api.catalog.review(e.id, decision, reason);
      message.success(`${t(decision === "approve" ? "detail.approved" : "detail.returned")}${t("common.colon")}${e.name}`);
      res.reload();
      return true;
    } catch (err) {
      message.error(err instanceof ApiError ? msg(err.text) : String(err));
      return false;
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div>
      <PageTitle>{t("review.title")}</PageTitle>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Card size="small">
        <Table<EntrySummaryView>
          rowKey="id"
          loading={res.loading}
          dataSource={res.data?.items ?? []}
          locale={{ emptyText: <Empty description={t("review.empty")} /> }}
          pagination={false}
          data-testid="review-table"
          columns={[
            {
              title: t("field.name"),
              dataIndex: "name",
              render: (v: string, r) => (
                <div>
                  <Link to={`/catalog/${r.id}`}>{v}</Link>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.code}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            { title: t("field.provider"), width: 160, render: (_: unknown, r) => r.provider?.name },
            {
              title: `${t("field.shareType")} / ${t("field.openType")} / ${t("field.grade")}`,
              width: 260,
              render: (_: unknown, r) => (
                <Space size={2} wrap>
                  <ShareTag value={r.shareType} />
                  <OpenTag value={r.openType} />
                  <GradeTag value={r.grade} />
                </Space>
              ),
            },
            { title: t("field.updatedAt"), dataIndex: "updatedAt", width: 150, render: (v: string) => formatTime(v, lang, true) },
            {
              title: t("common.actions"),
              width: 330,
              render: (_: unknown, r) => (
                <Space size={6}>
                  <Button size="small" type="primary" icon={<CheckOutlined />} loading={busy === r.id + "approve"} onClick={() => decide(r, "approve")}>
                    {t("detail.approve")}
                  </Button>
                  <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(r)}>
                    {t("detail.return")}
                  </Button>
                  <Link to={`/catalog/${r.id}`}>
                    <Button size="small" icon={<EyeOutlined />}>
                      {t("review.open")}
                    </Button>
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!returning}
        title={`${t("detail.return")}${t("common.colon")}${returning?.name ?? ""}`}
        okText={t("common.ok")}
        cancelText={t("common.cancel")}
        okButtonProps={{ danger: true, loading: !!returning && busy === returning.id + "return" }}
        onCancel={() => setReturning(undefined)}
        destroyOnHidden
        onOk={async () => {
          const { reason } = await form.validateFields();
          if (returning && (await decide(returning, "return", reason))) {
            setReturning(undefined);
            form.resetFields();
          }
        }}
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t("detail.returnReason")} rules={[{ required: true, whitespace: true, message: t("detail.reasonRequired") }]}>
            <Input.TextArea rows={4} maxLength={1000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
