import { useState } from "react";
import { Alert, Button, Descriptions, Radio, Space, Table, Tag, Typography, Upload } from "antd";
import { CheckCircleOutlined, InboxOutlined, ReloadOutlined } from "@ant-design/icons";
import { api, ApiError, type EntryContent, type JobView, type LoadMode, type RowError, type ValidationReport } from "../../api.ts";
import { useJob } from "../../hooks.ts";
import { useI18n, type MessageKey } from "../../i18n.ts";
import { JobStatus } from "../../components/JobStatus.tsx";

const ACCEPT = ".csv,.txt,.tsv,.xlsx,.json,.ndjson,.jsonl,.parquet";
const DELIMS: Record<string, MessageKey> = { ",": "load.delim.comma", "\t": "load.delim.tab", ";": "load.delim.semicolon", "|": "load.delim.pipe" };
const ERROR_CODES = ["required", "type", "too_long", "code_list", "duplicate_key", "ragged", "unknown_column", "missing_column"];

/** The report of a finished load job, from its result (succeeded) or its error details (refused). */
export function reportOf(job: JobView): ValidationReport | null {
  const res = (job.result ?? {}) as { report?: ValidationReport; details?: { report?: ValidationReport } };
  const det = (job.error?.details ?? {}) as { report?: ValidationReport };
  return res.report ?? res.details?.report ?? det.report ?? null;
}

/** 装载: upload a file as a load job, follow it live, show the validation report. */
export function LoadPanel({ entryId, items, onLoaded }: { entryId: string; items: EntryContent["items"]; onLoaded(): void }) {
  const { t, msg } = useI18n();
  const [mode, setMode] = useState<LoadMode>("all-or-nothing");
  const [file, setFile] = useState<File>();
  const [runMode, setRunMode] = useState<LoadMode>("all-or-nothing");
  const [jobId, setJobId] = useState<string>();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<ApiError>();
  const { job, error: pollError } = useJob(jobId, (j) => {
    if (j.status === "succeeded") onLoaded();
  });

  const start = async (f: File, m: LoadMode) => {
    setFile(f);
    setRunMode(m);
    setJobId(undefined);
    setUploadError(undefined);
    setUploading(true);
    try {
      const r = await api.datasets.upload(entryId, f, m);
      setJobId(r.job.id);
    } catch (e) {
      setUploadError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
    } finally {
      setUploading(false);
    }
  };

  const finished = job && (job.status === "succeeded" || job.status === "failed") ? job : undefined;
  const report = finished ? reportOf(finished) : null;
  const result = finished?.status === "succeeded" ? (finished.result as { version?: number; rowCount?: number } | null) : null;
  const refusedForBadRows = finished?.status === "failed" && runMode === "all-or-nothing" && !!report && report.badRows > 0 && report.goodRows > 0;

  return (
    <div>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <div>
          <Typography.Text strong>{t("load.mode")}</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as LoadMode)} style={{ marginInlineStart: 12 }} data-testid="load-mode">
            <Radio value="all-or-nothing">{t("load.mode.reject")}</Radio>
            <Radio value="skipBadRows">{t("load.mode.skip")}</Radio>
          </Radio.Group>
        </div>
        <Upload.Dragger
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          disabled={uploading || job?.status === "running" || job?.status === "queued"}
          beforeUpload={(f) => {
            void start(f, mode);
            return false;
          }}
          data-testid="load-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t("load.drop")}</p>
          <p className="ant-upload-hint">{t("load.formats")}</p>
        </Upload.Dragger>
        <Typography.Text type="secondary">
          {t("load.itemsHint", { items: items.map((i) => i.name).join(t("common.listSep")) })}
        </Typography.Text>

        {(uploading || job) && (
          <div style={{ padding: 12, background: "#fafafa", borderRadius: 6 }}>
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              {t("load.file")}
              {t("common.colon")}
              <Typography.Text strong>{file?.name}</Typography.Text> ·{" "}
              {runMode === "skipBadRows" ? t("load.mode.skip") : t("load.mode.reject")}
            </Typography.Paragraph>
            {uploading && !job && <Typography.Text type="secondary">{t("load.uploading")}</Typography.Text>}
            {job && <JobStatus job={job} hideError />}
          </div>
        )}
        {uploadError && <Alert type="error" showIcon title={msg(uploadError.text)} />}
        {pollError && <Alert type="warning" showIcon title={msg(pollError.text)} />}

        {finished?.status === "succeeded" && result && (
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined />}
            data-testid="load-success"
            title={t("load.succeeded", { v: result.version ?? "?", n: (result.rowCount ?? 0).toLocaleString() })}
            description={report && report.badRows > 0 ? t("load.skipped", { n: report.badRows }) : undefined}
          />
        )}
        {finished?.status === "failed" && finished.error && (
          <Alert
            type="error"
            showIcon
            data-testid="load-failed"
            title={msg(finished.error)}
            action={
              refusedForBadRows && file ? (
                <Button type="primary" icon={<ReloadOutlined />} onClick={() => void start(file, "skipBadRows")} data-testid="load-good-rows">
                  {t("load.loadGoodRows")}
                </Button>
              ) : undefined
            }
          />
        )}
        {report && <ValidationReportView report={report} />}
      </Space>
    </div>
  );
}

export function ValidationReportView({ report }: { report: ValidationReport }) {
  const { t, msg, lang: l } = useI18n();
  const codeLabel = (c: string) => (ERROR_CODES.includes(c) ? t(`load.code.${c}` as MessageKey) : c);
  return (
    <div data-testid="validation-report">
      <Typography.Title level={5} style={{ marginTop: 8 }}>
        {t("load.report")}
      </Typography.Title>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label={t("load.file")}>{report.file}</Descriptions.Item>
        <Descriptions.Item label={t("load.format")}>
          {report.format.toUpperCase()}
          {report.encoding ? ` · ${report.encoding.toUpperCase()}` : ""}
          {report.delimiter ? ` · ${DELIMS[report.delimiter] ? t(DELIMS[report.delimiter]) : report.delimiter}` : ""}
        </Descriptions.Item>
        <Descriptions.Item label={t("load.totalRows")}>
          <span data-testid="report-total">{report.totalRows.toLocaleString(l)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t("load.goodRows")}>
          <Tag color="success" data-testid="report-good">{report.goodRows.toLocaleString(l)}</Tag>
          <Tag color={report.badRows ? "error" : "default"} data-testid="report-bad">
            {t("load.badRowsN", { n: report.badRows.toLocaleString(l) })}
          </Tag>
        </Descriptions.Item>
      </Descriptions>
      {report.counts.length > 0 && (
        <Space wrap size={[6, 6]} style={{ marginTop: 12 }} data-testid="report-counts">
          {report.counts.map((c) => (
            <Tag key={`${c.column}-${c.code}`} color="volcano">
              {c.column || t("load.wholeRow")} · {codeLabel(c.code)} × {c.count}
            </Tag>
          ))}
        </Space>
      )}
      {report.errors.length > 0 && (
        <Table<RowError>
          style={{ marginTop: 12 }}
          size="small"
          rowKey={(r, i) => `${r.row}-${r.column}-${r.code}-${i}`}
          dataSource={report.errors}
          pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
          data-testid="row-errors"
          columns={[
            { title: t("load.row"), dataIndex: "row", width: 90 },
            { title: t("load.column"), dataIndex: "column", width: 180, render: (c: string) => c || t("load.wholeRow") },
            { title: t("load.code"), dataIndex: "code", width: 130, render: (c: string) => <Tag>{codeLabel(c)}</Tag> },
            { title: t("load.reason"), render: (_: unknown, r) => msg(r) },
            { title: t("load.value"), dataIndex: "value", width: 200, render: (v?: string) => (v === undefined ? "—" : <Typography.Text code>{v === "" ? t("load.empty") : v}</Typography.Text>) },
          ]}
        />
      )}
      {report.truncated && <Typography.Paragraph type="secondary">{t("load.truncated", { n: report.errors.length })}</Typography.Paragraph>}
    </div>
  );
}
