import { anyUser, defineAction, roles } from "../policy/index.ts";

defineAction("identity.self", { rule: anyUser });
defineAction("identity.org.list", { anonymous: true, rule: anyUser });
defineAction("identity.org.manage", { rule: roles("platform_admin") });
defineAction("identity.user.manage", { rule: roles("platform_admin") });
defineAction("identity.token.manage", { rule: anyUser });
/** Self-registration of the public (individuals and enterprises). */
defineAction("identity.register", { anonymous: true, rule: anyUser });
/** Rate limits and daily quotas of API keys. */
defineAction("identity.token.limits", { rule: roles("platform_admin") });
