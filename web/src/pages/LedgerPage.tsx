import { Alert, Card, Col, Descriptions, Row, Skeleton, Typography } from "antd";
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { api, links } from "../api.ts";
import { useAsync } from "../hooks.ts";
import { useI18n } from "../i18n.ts";
import { PageTitle } from "../components/tags.tsx";

/** A C2SP checkpoint: origin, tree size, base64 root hash, optional extension lines, blank line, signatures. */
function parseCheckpoint(text: string): { origin: string; size: string; root: string; signatures: string[] } | null {
  const [body, sigs = ""] = text.split("\n\n");
  const lines = body.split("\n");
  if (lines.length < 3) return null;
  return { origin: lines[0], size: lines[1], root: lines[2], signatures: sigs.split("\n").filter((l) => l.startsWith("— ") || l.startsWith("- ")) };
}

const preStyle = {
  background: "#0f172a",
  color: "#e2e8f0",
  padding: 16,
  borderRadius: 8,
  fontSize: 13,
  overflowX: "auto" as const,
  whiteSpace: "pre-wrap" as const,
  wordBreak: "break-all" as const,
  margin: 0,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
};

export default function LedgerPage() {
  const { t, msg } = useI18n();
  const cp = useAsync(() => api.ledger.checkpoint(), []);
  const keys = useAsync(() => api.ledger.keys(), []);
  const parsed = cp.data ? parseCheckpoint(cp.data) : null;

  return (
    <div>
      <PageTitle>
        <SafetyCertificateOutlined /> {t("ledger.title")}
      </PageTitle>
      <Typography.Paragraph style={{ maxWidth: 900 }}>{t("ledger.desc")}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t("ledger.checkpoint")} size="small">
            {cp.loading && <Skeleton active />}
            {cp.error && <Alert type="warning" showIcon title={t("ledger.unavailable")} description={msg(cp.error.text)} />}
            {parsed && (
              <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }} styles={{ label: { width: 120 } }}>
                <Descriptions.Item label={t("ledger.origin")}>{parsed.origin}</Descriptions.Item>
                <Descriptions.Item label={t("ledger.size")}>{parsed.size}</Descriptions.Item>
                <Descriptions.Item label={t("ledger.rootHash")}>
                  <Typography.Text code copyable style={{ wordBreak: "break-all" }}>
                    {parsed.root}
                  </Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            )}
            {cp.data && (
              <pre style={preStyle} data-testid="checkpoint" aria-label={t("ledger.checkpoint")}>
                {cp.data}
              </pre>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t("ledger.keys")} size="small" style={{ marginBottom: 16 }}>
            {keys.loading && <Skeleton active />}
            {keys.error && <Alert type="warning" showIcon title={msg(keys.error.text)} />}
            {keys.data && Array.isArray(keys.data.vkeys) ? (
              <Descriptions size="small" column={1} bordered styles={{ label: { width: 120 } }}>
                {typeof keys.data.origin === "string" && <Descriptions.Item label={t("ledger.origin")}>{keys.data.origin}</Descriptions.Item>}
                {typeof keys.data.hash === "string" && <Descriptions.Item label={t("ledger.hash")}>{String(keys.data.hash).toUpperCase()}</Descriptions.Item>}
                {(keys.data.vkeys as string[]).map((k, i) => (
                  <Descriptions.Item key={k} label={`${t("ledger.vkey")} ${i + 1}`}>
                    <Typography.Text code copyable style={{ wordBreak: "break-all", fontSize: 12 }}>
                      {k}
                    </Typography.Text>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : (
              keys.data && <pre style={{ ...preStyle, fontSize: 12 }}>{JSON.stringify(keys.data, null, 2)}</pre>
            )}
          </Card>
          <Card title={t("ledger.verify")} size="small">
            <Typography.Paragraph>{t("ledger.verifyText")}</Typography.Paragraph>
            <pre style={{ ...preStyle, fontSize: 12, whiteSpace: "pre", wordBreak: "normal" }}>
              {`# 在线验证 / online
npx gongshu verify --url ${location.origin}

# 离线验证 / offline, from a proof bundle
curl -s ${location.origin}${links.ledgerBundle} > bundle.json
npx gongshu verify --bundle bundle.json

# 保存检查点，日后确认账本只增未改 / keep a checkpoint, later check the log only grew
curl -s ${location.origin}/api/ledger/checkpoint > checkpoint.txt
npx gongshu verify --url ${location.origin} --previous checkpoint.txt`}
            </pre>
            <a href={links.ledgerBundle} download="gongshu-ledger-bundle.json">
              {t("ledger.bundle")}
            </a>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
