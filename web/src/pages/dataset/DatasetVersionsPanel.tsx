import { useEffect, useState } from "react";
import { Alert, App, Button, Card, Col, Input, Modal, Row, Select, Space, Statistic, Table, Tag, Typography } from "antd";
import { RollbackOutlined, SwapOutlined } from "@ant-design/icons";
import { api, ApiError, type DatasetVersionView, type DiffResult } from "../../api.ts";
import { useAsync } from "../../hooks.ts";
import { formatTime, useI18n } from "../../i18n.ts";
import { ErrorAlert } from "../../components/tags.tsx";

const show = (v: unknown) => (v === null || v === undefined ? "∅" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** 版本: the versions of a dataset, rollback, and the difference between two versions by key. */
export function DatasetVersionsPanel({ datasetId, canManage, rev, onChanged }: { datasetId: string; canManage: boolean; rev: number; onChanged(): void }) {
  const { t, lang, msg } = useI18n();
  const { modal, message } = App.useApp();
  const res = useAsync(() => api.datasets.versions(datasetId), [datasetId, rev]);
  const items = res.data?.items ?? [];
  const kept = items.filter((v) => v.kept).map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const [diff, setDiff] = useState<DiffResult>();
  const [diffErr, setDiffErr] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (kept.length >= 2) {
      setFrom(kept[kept.length - 2]);
      setTo(kept[kept.length - 1]);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kept.join(",")]);

  const compare = async () => {
    if (from === undefined || to === undefined) return;
    setBusy(true);
    setDiffErr(undefined);
    try {
      setDiff(await api.datasets.diff(datasetId, from, to, 20));
    } catch (e) {
      setDiffErr(e instanceof ApiError ? e : undefined);
    } finally {
      setBusy(false);
    }
  };

  const rollback = (v: DatasetVersionView) => {
    let reason = "";
    modal.confirm({
      title: t("versions.rollbackTitle", { v: v.version }),
      content: (
        <div>
          <Typography.Paragraph>{t("versions.rollbackText", { v: v.version, n: v.rowCount.toLocaleString(lang) })}</Typography.Paragraph>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t("versions.rollbackReason")} onChange={(e) => (reason = e.target.value)} aria-label={t("versions.rollbackReason")} />
        </div>
      ),
      okText: t("versions.rollback"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await api.datasets.rollback(datasetId, v.version, reason.trim() || undefined);
          message.success(t("versions.rolledBack", { v: v.version }));
          onChanged();
        } catch (e) {
          message.error(e instanceof ApiError ? msg(e.text) : String(e));
        }
      },
    });
  };

  return (
    <div>
      {res.error && <ErrorAlert error={res.error} onRetry={res.reload} />}
      <Table<DatasetVersionView>
        size="small"
        rowKey="version"
        loading={res.loading}
        dataSource={items}
        pagination={items.length > 10 ? { pageSize: 10 } : false}
        data-testid="dataset-versions"
        columns={[
          {
            title: t("version.version"),
            dataIndex: "version",
            width: 130,
            render: (v: number, r) => (
              <Space size={4}>
                <span>v{v}</span>
                {r.current && <Tag color="blue">{t("versions.current")}</Tag>}
                {!r.kept && <Tag>{t("versions.removed")}</Tag>}
              </Space>
            ),
          },
          { title: t("data.rows"), dataIndex: "rowCount", width: 100, align: "right", render: (n: number) => n.toLocaleString(lang) },
          { title: t("versions.source"), dataIndex: "source", render: (s: string) => <Typography.Text ellipsis style={{ maxWidth: 280 }}>{sourceLabel(s, t)}</Typography.Text> },
          { title: t("version.createdAt"), dataIndex: "createdAt", width: 160, render: (s: string) => formatTime(s, lang, true) },
          {
            title: t("versions.digest"),
            dataIndex: "digest",
            width: 170,
            render: (d: string) => (
              <Typography.Text code copyable={{ text: d }} title={d}>
                {d.replace(/^[a-z0-9]+:/, "").slice(0, 12)}…
              </Typography.Text>
            ),
          },
          { title: t("version.ledgerIndex"), dataIndex: "ledgerIndex", width: 90, render: (n: number | null) => (n == null ? "—" : `#${n}`) },
          ...(canManage
            ? [
                {
                  title: t("common.actions"),
                  width: 100,
                  render: (_: unknown, r: DatasetVersionView) =>
                    !r.current && r.kept ? (
                      <Button size="small" icon={<RollbackOutlined />} onClick={() => rollback(r)} data-testid={`rollback-${r.version}`}>
                        {t("versions.rollback")}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("versions.diffTitle")}
      </Typography.Title>
      {kept.length < 2 ? (
        <Typography.Text type="secondary">{t("diff.needTwo")}</Typography.Text>
      ) : (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <span>{t("diff.from")}</span>
            <Select style={{ width: 100 }} value={from} onChange={setFrom} options={kept.map((v) => ({ value: v, label: `v${v}` }))} aria-label={t("diff.from")} />
            <span>{t("diff.to")}</span>
            <Select style={{ width: 100 }} value={to} onChange={setTo} options={kept.map((v) => ({ value: v, label: `v${v}` }))} aria-label={t("diff.to")} />
            <Button type="primary" icon={<SwapOutlined />} onClick={compare} loading={busy} disabled={from === to} data-testid="diff-compare">
              {t("diff.compare")}
            </Button>
          </Space>
          {diffErr && <Alert type="error" showIcon title={msg(diffErr.text)} />}
          {diff && <DiffView diff={diff} />}
        </>
      )}
    </div>
  );
}

function sourceLabel(s: string, t: ReturnType<typeof useI18n>["t"]): string {
  if (s.startsWith("upload:")) return `${t("versions.src.upload")}${t("common.colon")}${s.slice(7)}`;
  if (s.startsWith("correction:")) return `${t("versions.src.correction")}${t("common.colon")}${s.slice(11)}`;
  if (s.startsWith("postgres")) return `${t("versions.src.postgres")}${s.includes(":") ? t("common.colon") + s.slice(s.indexOf(":") + 1) : ""}`;
  return s;
}

function DiffView({ diff }: { diff: DiffResult }) {
  const { t, lang } = useI18n();
  const rowsTable = (rows: Record<string, unknown>[], color: string, testId: string) => {
    const cols = rows.length ? Object.keys(rows[0]) : [];
    return (
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        dataSource={rows}
        pagination={false}
        scroll={{ x: "max-content" }}
        data-testid={testId}
        onRow={() => ({ style: { background: color } })}
        columns={cols.map((c) => ({ title: c, dataIndex: c, render: (v: unknown) => show(v) }))}
      />
    );
  };
  const keyText = (k: Record<string, unknown>) => Object.entries(k).map(([n, v]) => `${n}=${show(v)}`).join(", ");
  return (
    <div data-testid="dataset-diff">
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}><Card size="small"><Statistic title={t("diff.kind.added")} value={diff.added} styles={{ content: { color: "#389e0d" } }} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t("diff.kind.removed")} value={diff.removed} styles={{ content: { color: "#cf1322" } }} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t("diff.kind.changed")} value={diff.changed} styles={{ content: { color: "#d48806" } }} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title={t("diff.unchanged")} value={diff.unchanged} /></Card></Col>
      </Row>
      <Typography.Paragraph type="secondary">
        {t("diff.byKey", { key: diff.key.join(t("common.listSep")) || "—", from: diff.from, to: diff.to })}
      </Typography.Paragraph>
      {diff.examples.changed.length > 0 && (
        <>
          <Typography.Text strong>{t("diff.examplesChanged")}</Typography.Text>
          <Table
            size="small"
            style={{ margin: "8px 0 16px" }}
            rowKey={(_, i) => String(i)}
            dataSource={diff.examples.changed}
            pagination={false}
            columns={[
              { title: t("diff.key"), width: 260, render: (_: unknown, r) => <Typography.Text code>{keyText(r.key)}</Typography.Text> },
              {
                title: t("diff.changedCells"),
                render: (_: unknown, r) => (
                  <Space direction="vertical" size={2}>
                    {r.columns.map((c) => (
                      <span key={c.column}>
                        <Typography.Text type="secondary">{c.column}</Typography.Text>
                        {t("common.colon")}
                        <span className="gs-cell-before">{show(c.before)}</span> → <span className="gs-cell-after">{show(c.after)}</span>
                      </span>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
      {diff.examples.added.length > 0 && (
        <>
          <Typography.Text strong>{t("diff.examplesAdded")}</Typography.Text>
          <div style={{ margin: "8px 0 16px" }}>{rowsTable(diff.examples.added, "#f6ffed", "diff-added")}</div>
        </>
      )}
      {diff.examples.removed.length > 0 && (
        <>
          <Typography.Text strong>{t("diff.examplesRemoved")}</Typography.Text>
          <div style={{ margin: "8px 0 16px" }}>{rowsTable(diff.examples.removed, "#fff1f0", "diff-removed")}</div>
        </>
      )}
      {diff.added + diff.removed + diff.changed === 0 && <Typography.Text type="secondary">{t("diff.none")}</Typography.Text>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {(diff.added + diff.removed + diff.changed).toLocaleString(lang)} / {(diff.added + diff.removed + diff.changed + diff.unchanged).toLocaleString(lang)}
      </Typography.Text>
    </div>
  );
}
