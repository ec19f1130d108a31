export { defineAction, can, assertCan, hasRole, roles, anyUser, knownActions, type Rule } from "./service.ts";
export * from "./schema.ts";
