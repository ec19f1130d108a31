import { Tag } from "antd";
import { useI18n, type MessageKey } from "../i18n.ts";

const COLORS: Record<string, string> = { submitted: "gold", verifying: "processing", replied: "cyan", escalated: "magenta", closed: "default" };

export function ObjectionStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={COLORS[status] ?? "default"}>{t(`objection.status.${status}` as MessageKey)}</Tag>;
}

export const recordKeyText = (k: Record<string, string>) => Object.entries(k).map(([n, v]) => `${n} ${v}`).join("；");
