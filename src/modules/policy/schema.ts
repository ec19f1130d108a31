import { z } from "zod";

/** The roles of DESIGN.md. */
export const Role = z.enum([
  "platform_admin", // 数据管理部门
  "data_officer", // 数源单位 / 数据专员
  "dept_user", // 政务部门使用方
  "operator", // 运营机构
  "customer", // 数商 / 企业 / 科研机构
  "price_authority", // 发展改革部门
  "regulator", // 网信 / 审计
]);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  platform_admin: { zh: "平台管理员（数据管理部门）", en: "Platform admin (data bureau)" },
  data_officer: { zh: "数据专员（数源单位）", en: "Data officer (source department)" },
  dept_user: { zh: "政务部门使用方", en: "Department user" },
  operator: { zh: "运营机构", en: "Operator" },
  customer: { zh: "数商/使用方", en: "Customer" },
  price_authority: { zh: "价格主管部门", en: "Price authority" },
  regulator: { zh: "监管/审计", en: "Regulator / auditor" },
};

/** Who is asking. Anonymous visitors are the public. */
export type Actor =
  | { kind: "anonymous" }
  | {
      kind: "user";
      userId: string;
      username: string;
      displayName: string;
      orgId: string;
      roles: Role[];
      via: "session" | "token";
    };

export const ANONYMOUS: Actor = { kind: "anonymous" };
