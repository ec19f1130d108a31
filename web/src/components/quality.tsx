import { Tag, Tooltip } from "antd";
import { useI18n } from "../i18n.ts";

/** A 0..1 score as 0–100; null (not assessable) as "—". */
export function scoreText(v: number | null | undefined): string {
  return v == null ? "—" : (Math.round(v * 1000) / 10).toFixed(1);
}

export function scoreColor(v: number | null | undefined): string {
  if (v == null) return "default";
  if (v >= 0.95) return "success";
  if (v >= 0.85) return "processing";
  if (v >= 0.7) return "warning";
  return "error";
}

export function ScoreTag({ value, testId }: { value: number | null | undefined; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tooltip title={value == null ? t("quality.notAssessable") : undefined}>
      <Tag color={scoreColor(value)} data-testid={testId} style={{ fontVariantNumeric: "tabular-nums" }}>
        {scoreText(value)}
      </Tag>
    </Tooltip>
  );
}
