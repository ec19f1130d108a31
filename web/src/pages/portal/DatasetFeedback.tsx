import { useState } from "react";
import { Button, Card, Empty, List, Space, Typography } from "antd";
import { BugOutlined, PlusOutlined } from "@ant-design/icons";
import { Link, useNavigate } from "react-router-dom";
import type { OpenDatasetPage } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { formatTime, useI18n } from "../../i18n.ts";
import { requestPath } from "./feedback-parts.tsx";
import { ReportModal, ShowcaseModal } from "./feedback-forms.tsx";

/** 报告数据错误 on a dataset's page (anyone, signed in or not), with the way to the dataset's reports. */
export function ReportErrorButton({ page }: { page: OpenDatasetPage }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const d = page.dataset;
  return (
    <Space size={4} wrap>
      <Button icon={<BugOutlined />} onClick={() => setOpen(true)} data-testid="report-error">
        {t("portal.report.button")}
      </Button>
      <Link to={`/open/reports?dataset=${d.id}`} style={{ fontSize: 13 }} data-testid="dataset-reports-link">
        {t("portal.report.ofDataset")}
      </Link>
      {open && <ReportModal dataset={{ id: d.id, title: d.title, items: d.items }} onClose={() => setOpen(false)} onDone={(r) => navigate(requestPath(r))} />}
    </Space>
  );
}

/** 利用成果 that use this dataset (approved ones), and the way to submit one. */
export function DatasetShowcaseCard({ page }: { page: OpenDatasetPage }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const d = page.dataset;
  const s = page.showcase;
  return (
    <Card
      title={t("portal.showcase.onDataset", { n: s.total })}
      size="small"
      style={{ marginTop: 16 }}
      data-testid="dataset-showcase"
      extra={s.total > s.items.length ? <Link to={`/open/showcase?dataset=${d.id}`}>{t("portal.showcase.all")} →</Link> : null}
    >
      <List
        size="small"
        dataSource={s.items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("portal.showcase.noneOnDataset")} /> }}
        renderItem={(a) => (
          <List.Item key={a.id} style={{ paddingInline: 0 }}>
            <div style={{ minWidth: 0 }}>
              <Link to={`/open/showcase/${a.id}`} style={{ fontWeight: 600 }}>
                {a.name}
              </Link>
              <div style={{ fontSize: 12, color: "#888" }}>
                {a.organisation ?? t("portal.showcase.individual")} · {formatTime(a.approvedAt, lang)}
              </div>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                {a.description}
              </Typography.Paragraph>
            </div>
          </List.Item>
        )}
      />
      {user ? (
        <Button size="small" type="link" icon={<PlusOutlined />} style={{ paddingInline: 0 }} onClick={() => setOpen(true)} data-testid="dataset-showcase-new">
          {t("portal.showcase.newOnDataset")}
        </Button>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <Link to="/open/showcase">{t("portal.showcase.pageTitle")} →</Link>
        </Typography.Text>
      )}
      {open && <ShowcaseModal initialDataset={{ value: d.id, label: d.title }} onClose={() => setOpen(false)} onDone={(a) => navigate(`/open/showcase/${a.id}`)} />}
    </Card>
  );
}
