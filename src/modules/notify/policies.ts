import { anyUser, defineAction } from "../policy/index.ts";

/** Every signed-in user reads and marks their own inbox (the service scopes it to them). */
defineAction("notify.inbox", { rule: anyUser });
