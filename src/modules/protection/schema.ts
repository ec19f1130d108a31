import { z } from "zod";

/**
 * Public types of the protection module: the kinds of personal and identifying data it detects,
 * masks and pseudonymises (RULES.md §5.4, §11, §12).
 */

export const PII_KINDS = ["idcard", "mobile", "landline", "bankcard", "uscc", "name", "address", "email", "plate", "passport"] as const;
export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

/** The Chinese label shown to users for each kind. */
export const PII_LABELS: Record<PiiKind, string> = {
  idcard: "居民身份证号",
  mobile: "手机号码",
  landline: "固定电话",
  bankcard: "银行卡号",
  uscc: "统一社会信用代码",
  name: "姓名",
  address: "地址",
  email: "电子邮箱",
  plate: "机动车号牌",
  passport: "护照号码",
};

/** Personal attributes found by column name only (no identifier pattern): RULES §5.4 一般数据3级. */
export const PERSONAL_ATTRIBUTES = ["birthdate", "sex", "ethnicity"] as const;
export const PersonalAttribute = z.enum(PERSONAL_ATTRIBUTES);
export type PersonalAttribute = z.infer<typeof PersonalAttribute>;
export const ATTRIBUTE_LABELS: Record<PersonalAttribute, string> = { birthdate: "出生日期", sex: "性别", ethnicity: "民族" };

export const SubLevel = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type SubLevel = z.infer<typeof SubLevel>;

/** GB/T 43697-2024 grades (the same values as the catalog's `grade`; repeated here so the module depends on none). */
export const PROTECTION_GRADES = ["一般", "重要", "核心"] as const;
export const ProtectionGrade = z.enum(PROTECTION_GRADES);
export type ProtectionGrade = z.infer<typeof ProtectionGrade>;

export const ColumnSample = z.object({
  name: z.string(),
  samples: z.array(z.string().nullable()),
});
export type ColumnSample = z.infer<typeof ColumnSample>;

/** What detection found in one column. */
export const ColumnDetection = z.object({
  column: z.string(),
  /** The identifier kind, or null (none found, or a personal attribute such as 出生日期). */
  kind: PiiKind.nullable(),
  /** A personal attribute found by the column name (出生日期, 性别, 民族). */
  attribute: PersonalAttribute.nullable(),
  /** Chinese label of the kind or attribute, or null. */
  label: z.string().nullable(),
  /** 0..1: how sure detection is. */
  confidence: z.number().min(0).max(1),
  /** Non-empty samples that matched the kind's pattern and checksum. */
  matched: z.number().int().nonnegative(),
  /** Non-empty samples looked at. */
  sampled: z.number().int().nonnegative(),
  /** Whether the column name pointed at the kind. */
  byName: z.boolean(),
  /** Suggested value of the data item's `sensitive` flag. */
  sensitive: z.boolean(),
  /** Suggested 一般数据 sub-grade for the column (RULES §5.4). */
  suggestedSubLevel: SubLevel,
  /** Why, in Chinese. */
  reason: z.string(),
});
export type ColumnDetection = z.infer<typeof ColumnDetection>;

export const DetectionReport = z.object({
  columns: z.array(ColumnDetection),
  /** Detection only sees personal data, which alone never makes data 重要 or 核心 (RULES §5.3). */
  suggestedGrade: z.literal("一般"),
  /** Max over the columns (就高从严). */
  suggestedSubLevel: SubLevel,
  reason: z.string(),
});
export type DetectionReport = z.infer<typeof DetectionReport>;

/** The part of a catalog data item that masking needs. */
export interface MaskableItem {
  name: string;
  type: string;
  sensitive: boolean;
}

export type Masker = (value: string | null) => string | null;
