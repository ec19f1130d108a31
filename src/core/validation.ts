import { z } from "zod";
import { InvalidError } from "./errors.ts";

/** The parts of a zod issue (or of fastify-type-provider-zod's copy of one) that we explain. */
export interface IssueLike {
  code: string;
  path: (string | number)[];
  message?: string;
  keys?: string[];
  values?: unknown[];
  expected?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
}

/** Explain one validation issue in zh-CN and English, naming the field. */
export function explainIssue(issue: IssueLike, where = ""): { field: string; message: string; messageEn: string } {
  let path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys" && issue.keys?.length) {
    path = [path, issue.keys[0]].filter(Boolean).join(".");
    return { field: path, message: `不允许的字段 '${issue.keys.join("', '")}'`, messageEn: `Unknown field '${issue.keys.join("', '")}'` };
  }
  const f = path || where || "body";
  switch (issue.code) {
    case "invalid_type":
      if (issue.message?.includes("received undefined"))
        return { field: f, message: `字段 '${f}' 为必填项`, messageEn: `Field '${f}' is required` };
      return { field: f, message: `字段 '${f}' 类型错误，应为 ${issue.expected ?? ""}`, messageEn: `Field '${f}' must be of type ${issue.expected ?? "?"}` };
    case "invalid_value":
    case "invalid_enum_value": {
      const vals = (issue.values ?? []).map(String).join("、");
      return { field: f, message: `字段 '${f}' 的取值无效，应为：${vals}`, messageEn: `Field '${f}' must be one of: ${vals}` };
    }
    case "too_big":
      return { field: f, message: `字段 '${f}' 超出上限 ${String(issue.maximum ?? "")}`, messageEn: `Field '${f}' exceeds the maximum ${String(issue.maximum ?? "")}` };
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1)
        return { field: f, message: `字段 '${f}' 不能为空`, messageEn: `Field '${f}' must not be empty` };
      return { field: f, message: `字段 '${f}' 低于下限 ${String(issue.minimum ?? "")}`, messageEn: `Field '${f}' is below the minimum ${String(issue.minimum ?? "")}` };
    case "invalid_format":
    case "invalid_string":
      return { field: f, message: `字段 '${f}' 格式无效`, messageEn: `Field '${f}' has an invalid format${issue.message ? `: ${issue.message}` : ""}` };
    default:
      return { field: f, message: `字段 '${f}' 无效：${issue.message ?? issue.code}`, messageEn: `Field '${f}' is invalid: ${issue.message ?? issue.code}` };
  }
}

/** Parse with a zod schema, throwing InvalidError naming the first bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where = ""): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as unknown as IssueLike;
  const e = explainIssue({ ...issue, path: issue.path as (string | number)[] }, where);
  throw new InvalidError({ ...e, details: r.error.issues.map((i) => explainIssue(i as unknown as IssueLike, where)) });
}
