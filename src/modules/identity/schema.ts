import { z } from "zod";
import { Role } from "../policy/index.ts";

/** 'public': the shared 公众用户 organisation of self-registered individuals. */
export const OrgKind = z.enum(["city", "district", "department", "enterprise", "public"]);
export type OrgKind = z.infer<typeof OrgKind>;

export const CreateOrgBody = z
  .object({
    name: z.string().trim().min(2).max(100),
    shortName: z.string().trim().max(50).optional(),
    code: z.string().trim().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, "统一社会信用代码格式无效").optional(),
    kind: OrgKind,
    parentId: z.string().max(64).optional(),
  })
  .strict();
export type CreateOrgBody = z.infer<typeof CreateOrgBody>;

export const CreateUserBody = z
  .object({
    username: z.string().trim().regex(/^[a-z][a-z0-9_.-]{2,31}$/, "用户名为 3–32 位小写字母、数字、下划线"),
    displayName: z.string().trim().min(1).max(50),
    orgId: z.string().min(1).max(64),
    roles: z.array(Role).min(1).max(7),
    password: z.string().min(10).max(200),
  })
  .strict();
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(200),
  })
  .strict();

export const CreateTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

const USERNAME = z.string().trim().regex(/^[a-z][a-z0-9_.-]{2,31}$/, "用户名为 3–32 位小写字母、数字、下划线");
const Mobile = z.string().trim().regex(/^1[3-9]\d{9}$/, "手机号码应为 11 位");

/**
 * Self-registration of the public (社会公众) as users with the role `customer`: an individual joins the
 * shared 公众用户 organisation; an enterprise registers its organisation (统一社会信用代码, checked).
 */
export const RegisterBody = z.discriminatedUnion("accountType", [
  z.object({
    accountType: z.literal("individual"),
    username: USERNAME,
    displayName: z.string().trim().min(1).max(50),
    password: z.string().min(10).max(200),
    email: z.email().max(200).optional(),
    phone: Mobile.optional(),
  }).strict(),
  z.object({
    accountType: z.literal("enterprise"),
    username: USERNAME,
    displayName: z.string().trim().min(1).max(50),
    password: z.string().min(10).max(200),
    email: z.email().max(200).optional(),
    phone: Mobile.optional(),
    orgName: z.string().trim().min(2).max(100),
    /** 统一社会信用代码 (GB 32100, check character verified). */
    uscc: z.string().trim().toUpperCase().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, "统一社会信用代码格式无效"),
  }).strict(),
]);
export type RegisterBody = z.infer<typeof RegisterBody>;

/** An admin sets a key's limits (null: no limit). */
export const TokenLimitsBody = z
  .object({
    ratePerSec: z.number().positive().max(10_000).nullable(),
    dailyQuota: z.number().int().min(0).max(100_000_000).nullable(),
  })
  .strict();
export type TokenLimitsBody = z.infer<typeof TokenLimitsBody>;

export interface OrgView {
  id: string;
  name: string;
  shortName: string | null;
  code: string | null;
  kind: OrgKind;
  parentId: string | null;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  org: { id: string; name: string };
  roles: Role[];
  disabled: boolean;
  /** Self-registered public users: individual or enterprise. */
  accountType?: "individual" | "enterprise";
}

export interface TokenUsageView {
  tokenId: string;
  ratePerSec: number | null;
  dailyQuota: number | null;
  usedToday: number;
  days: { day: string; calls: number }[];
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Requests per second (token bucket; null: no limit). */
  ratePerSec: number | null;
  /** Calls per Asia/Shanghai day (null: no quota). */
  dailyQuota: number | null;
  /** Calls counted today. */
  usedToday: number;
  /** Shown once, when the token is created. */
  secret?: string;
}
