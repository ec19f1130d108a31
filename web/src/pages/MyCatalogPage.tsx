import { useState } from "react";
import { Alert, App, Button, Card, Checkbox, Space, Table, Tabs, Typography, Upload } from "antd";
import { DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, ApiError, links, type EntryStatus, type EntrySummaryView, type ImportRowError } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { formatTime, useI18n, type MessageKey } from "../i18n.ts";
import { ErrorAlert, GradeTag, OpenTag, PageTitle, ShareTag, StatusTag } from "../components/tags.tsx";

const STATUSES: EntryStatus[] = ["draft", "submitted", "returned", "published", "withdrawn"];

export default function MyCatalogPage() {
  const { t, lang, msg } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const status = (STATUSES as string[]).includes(sp.get("status") ?? "") ? (sp.get("status") as EntryStatus) : undefined;
  const page = Math.max(1, Number(sp.get("page")) || 1);
  const res = useAsync(() => api.catalog.search({ mine: true, status, sort: "updated_desc", page, pageSize: 20, facets: false }), [status, page]);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [submitImported, setSubmitImported] = useState(false);
  const [importing, setImporting] = useState(false);
  const [importErrors, setImportErrors] = useState<ImportRowError[]>();
  const [importError, setImportError] = useState<ApiError>();
  const [importOk, setImportOk] = useState<string>();

  const onImport = async (file: File) => {
    setImporting(true);
    setImportErrors(undefined);
    setImportError(undefined);
    setImportOk(undefined);
    try {
      const r = await api.catalog.importFile(file, { skipBadRows, submit: submitImported });
      const n = r.imported ?? r.ids?.length ?? 0;
      setImportOk(t("mine.importOk", { n }) + (r.skipped ? ` · ${t("mine.skippedRows", { n: r.skipped })}` : ""));
      if (r.errors?.length) setImportErrors(r.errors);
      message.success(t("mine.importOk", { n }));
      res.reload();
    } catch (e) {
      if (e instanceof ApiError) {
        const errs = (e.details as { errors?: ImportRowError[] } | undefined)?.errors;
        if (Array.isArray(errs)) setImportErrors(errs);
        setImportError(e);
        message.error(msg(e.text));
      }
    } finally {
      setImporting(false);
    }
    return false;
  };

  return (
    <div>
      <PageTitle
        extra={
          <Space wrap>
            <a href={links.exportEntries("xlsx", { mine: "true", status })}>
              <Button icon={<DownloadOutlined />}>{t("common.exportXlsx")}</Button>
            </a>
            <a href={links.exportEntries("csv", { mine: "true", status })}>
              <Button icon={<DownloadOutlined />}>{t("common.exportCsv")}</Button>
            </a>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/catalog/new")} data-testid="new-entry">
              {t("mine.new")}
            </Button>
          </Space>
        }
      >
        {t("mine.title")}
      </PageTitle>

      <Card size="small" style={{ marginBottom: 16 }} title={t("mine.importTitle")}>
        <Space wrap align="center">
          <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => (void onImport(f), false)} disabled={importing}>
            <Button icon={<UploadOutlined />} loading={importing}>
              {t("mine.chooseFile")}
            </Button>
          </Upload>
          <Checkbox checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)}>
            {t("mine.skipBadRows")}
          </Checkbox>
          <Checkbox checked={submitImported} onChange={(e) => setSubmitImported(e.target.checked)}>
            {t("mine.submitImported")}
          </Checkbox>
          <a href={links.template}>
            <DownloadOutlined /> {t("mine.template")}
          </a>
        </Space>
        {importOk && <Alert type="success" showIcon title={importOk} style={{ marginTop: 12 }} />}
        {importError && <Alert type="error" showIcon title={importErrors?.length ? t("mine.importErrors") : msg(importError.text)} style={{ marginTop: 12 }} />}
        {importErrors && importErrors.length > 0 && (
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey={(r, i) => `${r.row}-${r.column ?? r.field ?? ""}-${i}`}
            dataSource={importErrors}
            pagination={importErrors.length > 10 ? { pageSize: 10 } : false}
            data-testid="import-errors"
            columns={[
              { title: t("mine.row"), dataIndex: "row", width: 80, render: (row: number, r: ImportRowError) => (r.sheet ? `${r.sheet} · ${row}` : row) },
              { title: t("mine.column"), width: 180, render: (_: unknown, r: ImportRowError) => r.column ?? r.field ?? "—" },
              { title: t("mine.message"), render: (_: unknown, r: ImportRowError) => msg({ message: r.message, messageEn: r.messageEn }) },
            ]}
          />
        )}
      </Card>

      <Card size="small">
        <Tabs
          activeKey={status ?? "all"}
          onChange={(k) => setSp(k === "all" ? {} : { status: k })}
          items={[{ key: "all", label: t("mine.all") }, ...STATUSES.map((s) => ({ key: s, label: t(`status.${s}` as MessageKey) }))]}
        />
        {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
        <Table<EntrySummaryView>
          size="middle"
          rowKey="id"
          loading={res.loading}
          dataSource={res.data?.items ?? []}
          pagination={{
            current: page,
            pageSize: 20,
            total: res.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => t("common.total", { n }),
            onChange: (p) => setSp(status ? { status, page: String(p) } : { page: String(p) }),
          }}
          columns={[
            { title: t("field.name"), dataIndex: "name", render: (v: string, r) => <Link to={`/catalog/${r.id}`}>{v}</Link> },
            { title: t("field.code"), dataIndex: "code", width: 170, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t("field.status"), dataIndex: "status", width: 90, render: (s: string) => <StatusTag value={s} /> },
            {
              title: `${t("field.shareType")} / ${t("field.openType")}`,
              width: 200,
              render: (_: unknown, r) => (
                <Space size={2} wrap>
                  <ShareTag value={r.shareType} />
                  <OpenTag value={r.openType} />
                </Space>
              ),
            },
            { title: t("field.grade"), dataIndex: "grade", width: 100, render: (g: string) => <GradeTag value={g} /> },
            { title: t("field.itemCount"), dataIndex: "itemCount", width: 70 },
            { title: t("field.updatedAt"), dataIndex: "updatedAt", width: 150, render: (v: string) => formatTime(v, lang, true) },
            {
              title: t("common.actions"),
              width: 90,
              render: (_: unknown, r) =>
                r.status !== "withdrawn" && r.status !== "submitted" ? (
                  <Button size="small" icon={<EditOutlined />} onClick={() => navigate(`/catalog/${r.id}/edit`)}>
                    {t("detail.edit")}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </div>
  );
}
