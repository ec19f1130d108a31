import { z } from "zod";

/**
 * The quality module's public data (治理): rules per data item, scores per snapshot version,
 * 一数一源 register, 多源校核 conflicts and 数据异议. See shared/domain/RULES.md §3–§4.
 */

/** Quality dimensions (GB/T 36344-2018 indicator tree, as Gongshu groups them). */
export const DIMENSIONS = ["completeness", "validity", "uniqueness", "consistency", "timeliness"] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;
export const DIMENSION_LABELS: Record<Dimension, { zh: string; en: string; gbt36344: string }> = {
  completeness: { zh: "完整性", en: "Completeness", gbt36344: "完整性/数据元素完整性" },
  validity: { zh: "规范性", en: "Validity", gbt36344: "规范性/数据标准、权威参考数据；准确性/数据格式合规性" },
  uniqueness: { zh: "唯一性", en: "Uniqueness", gbt36344: "准确性/数据唯一性、数据重复率" },
  consistency: { zh: "一致性", en: "Consistency", gbt36344: "一致性/相同数据一致性、关联数据一致性" },
  timeliness: { zh: "时效性", en: "Timeliness", gbt36344: "时效性/基于时间点的及时性" },
};

const ColumnName = z.string().trim().min(1).max(100);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD");

/** One rule on one data item (column), or on the dataset (column "*"). */
export const RuleSpec = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("required") }).strict(),
  z.object({ kind: z.literal("idcard") }).strict(),
  z.object({ kind: z.literal("uscc") }).strict(),
  z.object({ kind: z.literal("mobile") }).strict(),
  z.object({ kind: z.literal("date"), notFuture: z.boolean().default(true), min: IsoDate.optional(), max: IsoDate.optional() }).strict(),
  z.object({ kind: z.literal("codeList"), values: z.array(z.string().max(100)).min(1).max(500) }).strict(),
  z.object({ kind: z.literal("range"), min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({ kind: z.literal("length"), min: z.number().int().min(0).optional(), max: z.number().int().positive().optional() }).strict(),
  z.object({ kind: z.literal("regex"), pattern: z.string().min(1).max(500) }).strict(),
  /** Column: this column's values are unique; dataset ("*"): the combination of `columns` is. */
  z.object({ kind: z.literal("unique"), columns: z.array(ColumnName).min(1).max(10).optional() }).strict(),
  /** Dataset: no two rows are identical. */
  z.object({ kind: z.literal("duplicateRows") }).strict(),
  /** Dataset: in-table logic, e.g. 开始日期 <= 结束日期. */
  z.object({ kind: z.literal("compare"), left: ColumnName, op: z.enum(["<", "<=", "=", ">=", ">", "<>"]), right: ColumnName }).strict(),
  /** Dataset: the interval between loads stays within the entry's update cycle. */
  z.object({ kind: z.literal("timeliness") }).strict(),
]);
export type RuleSpec = z.infer<typeof RuleSpec>;
export type RuleKind = RuleSpec["kind"];
export const RULE_KINDS = ["required", "idcard", "uscc", "mobile", "date", "codeList", "range", "length", "regex", "unique", "duplicateRows", "compare", "timeliness"] as const satisfies readonly RuleKind[];
export const DATASET_RULE_KINDS: readonly RuleKind[] = ["duplicateRows", "compare", "timeliness"];

export const RULE_DIMENSION: Record<RuleKind, Dimension> = {
  required: "completeness",
  idcard: "validity",
  uscc: "validity",
  mobile: "validity",
  date: "validity",
  codeList: "validity",
  range: "validity",
  length: "validity",
  regex: "validity",
  unique: "uniqueness",
  duplicateRows: "uniqueness",
  compare: "consistency",
  timeliness: "timeliness",
};
export const RULE_LABELS: Record<RuleKind, string> = {
  required: "非空（必填）",
  idcard: "居民身份证号码（GB 11643 校验码）",
  uscc: "统一社会信用代码（GB 32100 校验码）",
  mobile: "手机号码",
  date: "日期有效（不晚于当前、在范围内）",
  codeList: "值域（代码表）",
  range: "数值范围",
  length: "长度",
  regex: "格式（正则）",
  unique: "唯一",
  duplicateRows: "无重复记录",
  compare: "表内逻辑一致",
  timeliness: "按更新周期及时更新",
};

export const PutRulesBody = z.object({ rules: z.array(RuleSpec).max(30) }).strict();
export type PutRulesBody = z.infer<typeof PutRulesBody>;

export const ItemRulesView = z.object({
  column: z.string(),
  source: z.enum(["default", "custom"]),
  rules: z.array(RuleSpec),
  defaults: z.array(RuleSpec),
});
export type ItemRulesView = z.infer<typeof ItemRulesView>;
export const RulesResponse = z.object({ datasetId: z.string(), items: z.array(ItemRulesView) });

export const Weights = z
  .object({ completeness: z.number().min(0).max(1), validity: z.number().min(0).max(1), uniqueness: z.number().min(0).max(1), consistency: z.number().min(0).max(1), timeliness: z.number().min(0).max(1) })
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), { message: "至少一个维度的权重大于 0" });
export type Weights = z.infer<typeof Weights>;
export const DEFAULT_WEIGHTS: Weights = { completeness: 0.25, validity: 0.25, uniqueness: 0.2, consistency: 0.15, timeliness: 0.15 };

export const Deadlines = z
  .object({
    /** 受理 within N working days. */
    accept: z.number().int().min(1).max(60),
    /** 核实 (and 更正/驳回) within N working days after 受理. */
    verify: z.number().int().min(1).max(120),
    /** The objector may confirm or dispute within N working days; afterwards the objection closes. */
    reply: z.number().int().min(1).max(60),
  })
  .strict();
export type Deadlines = z.infer<typeof Deadlines>;
export const DEFAULT_DEADLINES: Deadlines = { accept: 2, verify: 10, reply: 5 };

export const Settings = z.object({ weights: Weights, deadlines: Deadlines, holidays: z.array(IsoDate).max(400).default([]), extraWorkdays: z.array(IsoDate).max(100).default([]) }).strict();
export type Settings = z.infer<typeof Settings>;
export const PutSettingsBody = Settings.partial().strict();

/** "not assessable" is null, never 0 (RULES §3.2). */
export const Score = z.number().min(0).max(1).nullable();
export type DimensionScores = Record<Dimension, number | null>;
const DimScores = z.object({ completeness: Score, validity: Score, uniqueness: Score, consistency: Score, timeliness: Score });

export const SampleRow = z.object({
  /** 1-based row number in the snapshot. */
  row: z.number().int(),
  /** The record key (masked where the item is sensitive). */
  key: z.record(z.string(), z.string().nullable()),
  /** The values that broke the rule (masked where the item is sensitive). */
  values: z.record(z.string(), z.string().nullable()),
});
export type SampleRow = z.infer<typeof SampleRow>;

export const RuleResult = z.object({
  ruleId: z.string(),
  column: z.string(),
  kind: z.string(),
  label: z.string(),
  dimension: Dimension,
  params: z.record(z.string(), z.unknown()),
  evaluated: z.number().int(),
  failed: z.number().int(),
  /** passed / evaluated; null = not assessable. */
  ratio: Score,
  samples: z.array(SampleRow),
});
export type RuleResult = z.infer<typeof RuleResult>;

export const ColumnScore = z.object({ column: z.string(), score: Score, dimensions: DimScores });
export type ColumnScore = z.infer<typeof ColumnScore>;

export const RunView = z.object({
  datasetId: z.string(),
  entryId: z.string(),
  providerOrgId: z.string(),
  version: z.number().int(),
  status: z.enum(["running", "done", "failed"]),
  error: z.string().nullable(),
  rowCount: z.number().int(),
  score: Score,
  dimensions: DimScores,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RunView = z.infer<typeof RunView>;

export const ReportResponse = z.object({
  dataset: z.object({ id: z.string(), name: z.string(), entryId: z.string(), providerOrgId: z.string(), currentVersion: z.number().int().nullable() }),
  run: RunView,
  weights: Weights,
  columns: z.array(ColumnScore),
  rules: z.array(RuleResult),
  trend: z.array(z.object({ version: z.number().int(), score: Score, dimensions: DimScores, finishedAt: z.string().nullable() })),
  freshness: z.object({ updateCycle: z.string().nullable(), lastLoadAt: z.string(), dueAt: z.string().nullable(), overdue: z.boolean() }),
});
export type ReportResponse = z.infer<typeof ReportResponse>;

export const LeagueRow = z.object({
  rank: z.number().int(),
  org: z.object({ id: z.string(), name: z.string() }),
  score: Score,
  dimensions: DimScores,
  datasets: z.number().int(),
  rows: z.number().int(),
  openObjections: z.number().int(),
  openConflicts: z.number().int(),
});
export const LeagueResponse = z.object({ weights: Weights, items: z.array(LeagueRow) });

export const DatasetScoreRow = z.object({
  datasetId: z.string(),
  name: z.string(),
  providerOrgId: z.string(),
  version: z.number().int(),
  score: Score,
  dimensions: DimScores,
  rowCount: z.number().int(),
  finishedAt: z.string().nullable(),
});

// ---------------------------------------------------------------- 数据异议
export const OBJECTION_STATUSES = ["submitted", "verifying", "replied", "escalated", "closed"] as const;
export const ObjectionStatus = z.enum(OBJECTION_STATUSES);
export const OBJECTION_STATUS_LABELS: Record<(typeof OBJECTION_STATUSES)[number], string> = {
  submitted: "待受理",
  verifying: "核实中",
  replied: "已反馈",
  escalated: "已升级（待数据管理部门裁决）",
  closed: "已关闭",
};
export const OBJECTION_STEP_LABELS: Record<string, string> = {
  raised: "提出异议",
  accepted: "受理",
  corrected: "更正",
  rejected: "驳回",
  confirmed: "异议人确认",
  disputed: "异议人不认可（升级）",
  reopened: "裁决：重新核实",
  upheld: "裁决：维持答复",
  closed: "关闭",
  reminded: "到期提醒",
  overdue: "逾期（已升级）",
};
/** Attachments are stored in the database: small files only. */
export const MAX_ATTACHMENT_BYTES = 256 * 1024;

const RecordKey = z.record(z.string().min(1).max(100), z.string().max(200)).refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 10, { message: "记录键应包含 1–10 个数据项" });

export const RaiseObjectionBody = z
  .object({
    datasetId: z.string().min(1).max(64),
    /** The record: its key data items and values (e.g. {公民身份号码: "…"}); or `rowRef`. */
    recordKey: RecordKey.optional(),
    /** The record as the preview names it ("v<version>.<position>", RowsPage.refs): for a reader who sees the key masked. */
    rowRef: z.string().regex(/^v\d{1,9}\.\d{1,12}$/, "应为预览中的行引用").optional(),
    /** The field in doubt; absent = the whole record. */
    column: z.string().min(1).max(100).optional(),
    /** The value the objector believes is right. */
    proposedValue: z.string().max(2000).nullable().optional(),
    reason: z.string().trim().min(1).max(2000),
    evidence: z.string().max(4000).optional(),
    attachment: z.object({ name: z.string().min(1).max(200), type: z.string().min(1).max(100), dataBase64: z.string().max(Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 8) }).strict().optional(),
  })
  .strict()
  .refine((b) => !!b.recordKey !== !!b.rowRef, { message: "recordKey 与 rowRef 须且只能填一个", path: ["recordKey"] });
export type RaiseObjectionBody = z.infer<typeof RaiseObjectionBody>;

export const NoteBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export const ReasonBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();
export const CorrectBody = z
  .object({
    note: z.string().trim().min(1).max(2000),
    /** The cells to change; default: the objection's field of its record, to its proposed value. */
    changes: z.array(z.object({ key: RecordKey.optional(), column: z.string().min(1).max(100), value: z.string().max(2000).nullable() }).strict()).min(1).max(100).optional(),
  })
  .strict();
export type CorrectBody = z.infer<typeof CorrectBody>;
export const DecideBody = z.object({ decision: z.enum(["uphold", "reopen"]), note: z.string().trim().min(1).max(2000) }).strict();
export const ListObjectionsQuery = z
  .object({
    scope: z.enum(["mine", "department", "all"]).default("mine"),
    status: ObjectionStatus.optional(),
    datasetId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const ObjectionEventView = z.object({ step: z.string(), label: z.string(), actor: z.string().nullable(), note: z.string().nullable(), data: z.unknown(), ledgerIndex: z.number().int(), at: z.string() });
export const ObjectionView = z.object({
  id: z.string(),
  dataset: z.object({ id: z.string(), name: z.string() }),
  providerOrgId: z.string(),
  version: z.number().int().nullable(),
  recordKey: z.record(z.string(), z.string()),
  column: z.string().nullable(),
  proposedValue: z.string().nullable(),
  reason: z.string(),
  evidence: z.string().nullable(),
  attachment: z.object({ name: z.string(), type: z.string(), size: z.number().int() }).nullable(),
  status: ObjectionStatus,
  statusLabel: z.string(),
  resolution: z.enum(["corrected", "rejected"]).nullable(),
  resolutionNote: z.string().nullable(),
  correctionVersion: z.number().int().nullable(),
  conflictId: z.string().nullable(),
  raisedBy: z.string(),
  raisedOrgId: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  escalatedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type ObjectionView = z.infer<typeof ObjectionView>;
export const ObjectionDetail = z.object({
  objection: ObjectionView,
  /** The dataset's data items, for the department that may correct it (a whole-record objection names the item at correction). */
  columns: z.array(z.string()).optional(),
  events: z.array(ObjectionEventView),
  can: z.object({ accept: z.boolean(), correct: z.boolean(), reject: z.boolean(), confirm: z.boolean(), dispute: z.boolean(), decide: z.boolean() }),
});
export type ObjectionDetail = z.infer<typeof ObjectionDetail>;
export const SweepResponse = z.object({ reminded: z.number().int(), overdue: z.number().int(), closed: z.number().int() });

// ---------------------------------------------------------------- 一数一源 / 多源校核
export const SourceBody = z
  .object({
    /** The shared data item concept, e.g. 户籍地址, 联系电话. */
    concept: z.string().trim().min(1).max(100),
    datasetId: z.string().min(1).max(64),
    column: z.string().trim().min(1).max(100),
    /** The key the sources are matched by (e.g. 公民身份号码). */
    keyColumn: z.string().trim().min(1).max(100),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type SourceBody = z.infer<typeof SourceBody>;
export const CopyBody = z.object({ datasetId: z.string().min(1).max(64), column: z.string().trim().min(1).max(100), keyColumn: z.string().trim().min(1).max(100) }).strict();
export type CopyBody = z.infer<typeof CopyBody>;
export const SourceView = z.object({
  id: z.string(),
  concept: z.string(),
  dataset: z.object({ id: z.string(), name: z.string() }),
  column: z.string(),
  keyColumn: z.string(),
  providerOrgId: z.string(),
  note: z.string().nullable(),
  copies: z.array(z.object({ dataset: z.object({ id: z.string(), name: z.string() }), column: z.string(), keyColumn: z.string(), providerOrgId: z.string() })),
  updatedAt: z.string(),
});
export type SourceView = z.infer<typeof SourceView>;
export const ConflictValue = z.object({ datasetId: z.string(), datasetName: z.string(), version: z.number().int(), providerOrgId: z.string(), value: z.string().nullable(), authoritative: z.boolean() });
export const ConflictView = z.object({
  id: z.string(),
  crosscheckId: z.string(),
  sourceId: z.string(),
  concept: z.string(),
  authoritativeOrgId: z.string(),
  key: z.string(),
  values: z.array(ConflictValue),
  status: z.enum(["open", "resolved", "objected"]),
  resolutionNote: z.string().nullable(),
  objectionId: z.string().nullable(),
  createdAt: z.string(),
});
export type ConflictView = z.infer<typeof ConflictView>;
export const CrosscheckResponse = z.object({
  crosscheck: z.object({ id: z.string(), sourceId: z.string(), keysCompared: z.number().int(), conflictCount: z.number().int(), compared: z.array(z.object({ datasetId: z.string(), version: z.number().int(), keysCompared: z.number().int(), conflicts: z.number().int() })), createdAt: z.string(), ledgerIndex: z.number().int().nullable() }),
  conflicts: z.array(ConflictView),
});
export const ListConflictsQuery = z.object({ status: z.enum(["open", "resolved", "objected"]).optional(), sourceId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
