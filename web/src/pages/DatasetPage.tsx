import { useState } from "react";
import { Alert, Button, Card, Empty, Result, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { FileSearchOutlined } from "@ant-design/icons";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, GradeTag, ShareTag } from "../components/tags.tsx";
import { QualityReport } from "../components/QualityReport.tsx";
import { LoadPanel } from "./dataset/LoadPanel.tsx";
import { DatasetVersionsPanel } from "./dataset/DatasetVersionsPanel.tsx";
import { PreviewPanel } from "./dataset/PreviewPanel.tsx";
import { SourcePanel } from "./dataset/SourcePanel.tsx";

const TABS = ["load", "versions", "preview", "quality", "source"] as const;
type Tab = (typeof TABS)[number];

/** The dataset page of one published catalog entry: 装载, 版本, 预览, 质量, 数据源. */
export default function DatasetPage() {
  const { entryId = "" } = useParams();
  const { t, lang, msg } = useI18n();
  const { user, hasRole } = useAuth();
  const [sp, setSp] = useSearchParams();
  const [rev, setRev] = useState(0);
  const entry = useAsync(() => api.catalog.get(entryId), [entryId]);
  const ds = useAsync(() => api.datasets.list({ entry: entryId }).then((r) => r.items[0] ?? null), [entryId, rev]);

  if (entry.loading && !entry.data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  if (entry.error && !entry.data) {
    if (entry.error.status === 404) return <Result status="404" title="404" subTitle={msg(entry.error.text)} />;
    return <ErrorAlert error={entry.error} onRetry={entry.reload} />;
  }
  const e = entry.data!.entry;
  const c = e.content;
  const dataset = ds.data ?? null;
  const canManage = hasRole("platform_admin") || (hasRole("data_officer") && !!user?.org && user.org.id === e.provider?.id);
  const visibleTabs = TABS.filter((k) => (k === "load" || k === "source" ? canManage : true));
  const asked = sp.get("tab") as Tab | null;
  const tab: Tab = asked && visibleTabs.includes(asked) ? asked : visibleTabs[0];
  const changed = () => setRev((x) => x + 1);
  const noData = <Empty description={t("data.noDataYet")} />;

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <div style={{ display: "flex", justifyContent: "space-between", gap: 16, flexWrap: "wrap" }}>
          <div>
            <Space size={8} wrap style={{ marginBottom: 6 }}>
              <ShareTag value={c.shareType} />
              <GradeTag value={c.grade} level={c.generalLevel} />
              {dataset?.currentVersion ? <Tag color="blue" data-testid="current-version">{t("data.currentVersionTag", { v: dataset.currentVersion })}</Tag> : <Tag>{t("data.noData")}</Tag>}
            </Space>
            <h1 style={{ margin: "4px 0", fontSize: 22 }} data-testid="dataset-name">
              {c.name}
            </h1>
            <Typography.Text type="secondary">
              <Typography.Text code>{e.code}</Typography.Text> · {e.provider?.name} · {t("field.updateCycle")} {c.updateCycle}
              {dataset?.currentVersion ? ` · ${t("data.lastLoad")} ${formatTime(dataset.updatedAt, lang, true)}` : ""}
            </Typography.Text>
          </div>
          <Space wrap style={{ alignSelf: "flex-start" }}>
            <Link to={`/catalog/${e.id}`}>
              <Button icon={<FileSearchOutlined />}>{t("data.catalogEntry")}</Button>
            </Link>
          </Space>
        </div>
      </Card>
      {e.status !== "published" && <Alert type="warning" showIcon title={t("data.notPublished")} style={{ marginBottom: 16 }} />}
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setSp({ tab: k }, { replace: true })}
          destroyOnHidden
          items={visibleTabs.map((k) => ({
            key: k,
            label: t(`data.tab.${k}` as MessageKey),
            children:
              k === "load" ? (
                <LoadPanel entryId={e.id} items={c.items ?? []} onLoaded={changed} />
              ) : k === "versions" ? (
                dataset ? <DatasetVersionsPanel datasetId={dataset.id} canManage={canManage} rev={rev} onChanged={changed} /> : noData
              ) : k === "preview" ? (
                dataset?.currentVersion ? <PreviewPanel datasetId={dataset.id} items={c.items ?? []} rev={rev} /> : noData
              ) : k === "quality" ? (
                dataset?.currentVersion ? <QualityReport datasetId={dataset.id} canEdit={canManage} rev={rev} /> : noData
              ) : (
                <SourcePanel entryId={e.id} dataset={dataset} onChanged={changed} />
              ),
          }))}
        />
      </Card>
    </div>
  );
}
