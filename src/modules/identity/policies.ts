import { anyUser, defineAction, roles } from "../policy/index.ts";

defineAction("identity.self", { rule: anyUser });
defineAction("identity.org.list", { anonymous: true, rule: anyUser });
defineAction("identity.org.manage", { rule: roles("platform_admin") });
defineAction("identity.user.manage", { rule: roles("platform_admin") });
defineAction("identity.token.manage", { rule: anyUser });
