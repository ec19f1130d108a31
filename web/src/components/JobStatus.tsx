import { Alert, Progress, Space, Tag, Typography } from "antd";
import type { JobView } from "../api.ts";
import { useI18n, type MessageKey } from "../i18n.ts";

const STATUS_COLORS: Record<string, string> = { queued: "default", running: "processing", succeeded: "success", failed: "error" };
const PHASES = ["queued", "running", "detecting", "transcoding", "converting", "extracting", "validating", "reporting", "writing", "committing", "scoring", "done", "failed"];

/** The live state of a background job: status, phase, progress, and the error when it failed. */
export function JobStatus({ job, hideError }: { job: JobView; hideError?: boolean }) {
  const { t, lang, msg } = useI18n();
  const active = job.status === "queued" || job.status === "running";
  const p = job.progress;
  const percent =
    job.status === "succeeded" || job.status === "failed" ? 100 : p.unit === "percent" ? Math.min(100, Math.max(0, p.done)) : p.total ? Math.min(100, Math.round((100 * p.done) / p.total)) : undefined;
  const phase = job.phase && PHASES.includes(job.phase) ? t(`job.phase.${job.phase}` as MessageKey) : job.phase;
  return (
    <div data-testid="job-status" data-status={job.status}>
      <Space wrap size={8} style={{ marginBottom: 6 }}>
        <Tag color={STATUS_COLORS[job.status]}>{t(`job.status.${job.status}` as MessageKey)}</Tag>
        {active && phase && <Typography.Text>{phase}</Typography.Text>}
        {active && p.unit === "rows" && p.done > 0 && (
          <Typography.Text type="secondary">{t("job.rows", { n: p.done.toLocaleString(lang) })}</Typography.Text>
        )}
        {active && job.message && lang !== "en" && <Typography.Text type="secondary">{job.message}</Typography.Text>}
      </Space>
      <Progress
        percent={percent ?? (active ? 30 : 100)}
        status={job.status === "failed" ? "exception" : active ? "active" : "success"}
        showInfo={percent !== undefined || !active}
        aria-label={t("job.progress")}
      />
      {job.status === "failed" && job.error && !hideError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={msg(job.error)} />}
    </div>
  );
}
