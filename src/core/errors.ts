/**
 * The closed set of domain errors. Each maps to one HTTP status in core/http.ts and to the
 * one JSON error shape `{error: {code, message, messageEn, field?}}`.
 */
export type ErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited";

export interface ErrorDetail {
  /** zh-CN message shown to users. */
  message: string;
  /** English message (second locale). */
  messageEn: string;
  /** The offending field (dotted path), when one field is at fault. */
  field?: string;
  /** Extra structured details (e.g. every bad row of an import). */
  details?: unknown;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly field?: string;
  readonly details?: unknown;
  constructor(code: ErrorCode, status: number, d: ErrorDetail) {
    super(d.messageEn);
    this.code = code;
    this.status = status;
    this.messageZh = d.message;
    this.messageEn = d.messageEn;
    this.field = d.field;
    this.details = d.details;
  }
  toBody() {
    return {
      error: {
        code: this.code,
        message: this.messageZh,
        messageEn: this.messageEn,
        ...(this.field ? { field: this.field } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

export class InvalidError extends DomainError {
  constructor(d: ErrorDetail) {
    super("invalid", 400, d);
  }
}
export class UnauthenticatedError extends DomainError {
  constructor(d: Partial<ErrorDetail> = {}) {
    super("unauthenticated", 401, { message: "请先登录", messageEn: "Authentication required", ...d });
  }
}
export class ForbiddenError extends DomainError {
  constructor(d: Partial<ErrorDetail> = {}) {
    super("forbidden", 403, { message: "无权执行此操作", messageEn: "Not allowed", ...d });
  }
}
export class NotFoundError extends DomainError {
  constructor(d: Partial<ErrorDetail> = {}) {
    super("not_found", 404, { message: "未找到", messageEn: "Not found", ...d });
  }
}
export class ConflictError extends DomainError {
  constructor(d: ErrorDetail) {
    super("conflict", 409, d);
  }
}
/** 429: a rate limit or a quota is used up; `retryAfter` seconds, when known, also goes out as Retry-After. */
export class RateLimitedError extends DomainError {
  readonly retryAfter?: number;
  constructor(d: Partial<ErrorDetail> & { retryAfter?: number } = {}) {
    const { retryAfter, ...rest } = d;
    super("rate_limited", 429, { message: "请求过于频繁，请稍后再试", messageEn: "Too many requests; try again later", ...rest });
    this.retryAfter = retryAfter;
  }
}
