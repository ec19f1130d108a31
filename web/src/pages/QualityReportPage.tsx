import { Button, Card, Result, Skeleton } from "antd";
import { Link, useParams } from "react-router-dom";
import { api } from "../api.ts";
import { useAuth } from "../auth.tsx";
import { useAsync } from "../hooks.ts";
import { useI18n } from "../i18n.ts";
import { ErrorAlert, PageTitle } from "../components/tags.tsx";
import { QualityReport } from "../components/QualityReport.tsx";

/** The quality report of one dataset, on its own page (from the league table). */
export default function QualityReportPage() {
  const { datasetId = "" } = useParams();
  const { t, msg } = useI18n();
  const { user, hasRole } = useAuth();
  const res = useAsync(() => api.datasets.get(datasetId), [datasetId]);
  if (res.loading && !res.data) return <Card><Skeleton active /></Card>;
  if (res.error && !res.data) {
    if (res.error.status === 404) return <Result status="404" title="404" subTitle={msg(res.error.text)} />;
    return <ErrorAlert error={res.error} onRetry={res.reload} />;
  }
  const ds = res.data!.dataset;
  const canEdit = hasRole("platform_admin") || (hasRole("data_officer") && user?.org?.id === ds.providerOrgId);
  return (
    <div>
      <PageTitle
        extra={
          <Link to={`/data/${ds.entryId}?tab=quality`}>
            <Button>{t("quality.openDataset")}</Button>
          </Link>
        }
      >
        {t("quality.reportOf", { name: ds.name })}
      </PageTitle>
      <Card>
        <QualityReport datasetId={ds.id} canEdit={canEdit} />
      </Card>
    </div>
  );
}
