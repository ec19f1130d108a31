import { ForbiddenError, UnauthenticatedError } from "../../core/errors.ts";
import type { Actor, Role } from "./schema.ts";

/**
 * The single place that answers "may this actor do this (to that)?".
 * One rule per action; a rule sees the actor and, for resource-level checks, the resource.
 * Routes name their action in `config.policy`; services call `assert` again with the loaded
 * resource where ownership matters.
 */
export type Rule<R = unknown> = (actor: Extract<Actor, { kind: "user" }>, resource?: R) => boolean;

interface ActionDef {
  /** Anonymous visitors allowed (public pages/APIs that still pass through policy); a function sees the resource. */
  anonymous: boolean | ((resource: any) => boolean);
  rule: Rule<any>;
}

const actions = new Map<string, ActionDef>();

export function defineAction<R = unknown>(name: string, def: { anonymous?: boolean | ((resource?: R) => boolean); rule: Rule<R> }): void {
  if (actions.has(name)) throw new Error(`policy action ${name} defined twice`);
  actions.set(name, { anonymous: def.anonymous ?? false, rule: def.rule as Rule<any> });
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean =>
  actor.kind === "user" && actor.roles.some((r) => roles.includes(r));

export const anyUser: Rule = () => true;
export const roles =
  (...rs: Role[]): Rule =>
  (a) =>
    a.roles.some((r) => rs.includes(r));

export function knownActions(): ReadonlySet<string> {
  return new Set(actions.keys());
}

/** Does the actor may do it? Resource-level rules see the resource. */
export function can(actor: Actor, action: string, resource?: unknown): boolean {
  const def = actions.get(action);
  if (!def) throw new Error(`unknown policy action ${action}`);
  if (actor.kind === "anonymous") return typeof def.anonymous === "function" ? def.anonymous(resource) : def.anonymous;
  return def.rule(actor, resource);
}

/** Throw Unauthenticated (no login) or Forbidden unless allowed. */
export function assertCan(actor: Actor, action: string, resource?: unknown): void {
  if (can(actor, action, resource)) return;
  if (actor.kind === "anonymous") throw new UnauthenticatedError();
  throw new ForbiddenError({ message: `无权执行此操作（${action}）`, messageEn: `Not allowed: ${action}` });
}
