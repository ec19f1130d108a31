/**
 * protection — personal data protection (RULES.md §5.4–5.5, §11, §12). A pure module: no database,
 * no other module; other modules import only this file.
 *
 * - Validators with the published checksums: 居民身份证号 (GB 11643), 统一社会信用代码 (GB 32100 and
 *   the embedded GB 11714 organisation code), bank cards (Luhn), mobile and landline numbers, e-mail,
 *   机动车号牌, passports; heuristics for Chinese names and addresses.
 * - Detection of personal data in a column by name and by values (`detectColumn`, `detectColumns`),
 *   with the suggested `sensitive` flag and 一般数据 sub-grade.
 * - Masking by kind (`mask`) and by grade (`maskerFor`), and keyed pseudonyms with HMAC-SM3
 *   (`pseudonymize`).
 * - The same checks and masks as DuckDB SQL macros (`duckdbMacros`) for whole lake snapshots.
 * - Recipient watermarks on delivered extracts and leak tracing (`embedWatermark`, `detectWatermark`,
 *   `stripWatermark`, `watermarkKey`; RULES §12.4).
 * - Seeded generators of synthetic identifiers with valid check characters (`synthetic*`), for tests and demo data.
 */
export {
  isValidIdCard,
  isValidIdCard15,
  idCard15To18,
  idCardCheckChar,
  normalizeIdCard,
  isValidUscc,
  isValidUsccStrict,
  isValidOrgCode,
  usccCheckChar,
  orgCodeCheckChar,
  normalizeUscc,
  isValidLuhn,
  isBankCard,
  isMobile,
  normalizeMobile,
  isLandline,
  isEmail,
  isPlate,
  isPassport,
  isChineseName,
  looksLikeAddress,
  addressPrefix,
  isRealDate,
} from "./identifiers.ts";
export { detectColumn, detectColumns, matchColumnName, kindFromColumnName } from "./detect.ts";
export {
  mask,
  maskerFor,
  maskIdCard,
  maskMobile,
  maskLandline,
  maskPhone,
  maskBankCard,
  maskUscc,
  maskName,
  maskAddress,
  maskEmail,
  maskPlate,
  maskPassport,
  maskGeneric,
  generalizeBirthDate,
} from "./mask.ts";
export { pseudonymize, normalizeForPseudonym } from "./pseudonym.ts";
export { duckdbMacros, DUCKDB_MACROS, type DuckdbMacroOptions } from "./duckdb.ts";
export {
  embedWatermark,
  detectWatermark,
  stripWatermark,
  stripWatermarkRows,
  hasWatermark,
  normalizeForWatermark,
  watermarkKey,
  WatermarkLedgerData,
  WATERMARK_CHARS,
  WATERMARK_METHOD,
  type WatermarkColumn,
  type WatermarkTable,
  type WatermarkCandidate,
  type EmbedWatermarkOptions,
  type EmbedWatermarkResult,
  type EmbedWatermarkStats,
  type DetectWatermarkOptions,
  type DetectWatermarkResult,
  type CandidateEvidence,
  type WatermarkVerdict,
  type WatermarkKeyOptions,
} from "./watermark.ts";
export {
  seededRng,
  syntheticIdCard,
  syntheticUscc,
  syntheticBankCard,
  syntheticMobile,
  syntheticName,
  syntheticAddress,
  type Rng,
} from "./synthetic.ts";
export * from "./schema.ts";
