import { z } from "zod";
import { Role } from "../policy/index.ts";

export const OrgKind = z.enum(["city", "district", "department", "enterprise"]);
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
}

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Shown once, when the token is created. */
  secret?: string;
}
