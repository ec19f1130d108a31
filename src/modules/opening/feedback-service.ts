import type { Db } from "../../core/db.ts";
import { NotFoundError } from "../../core/errors.ts";
import type { CatalogService } from "../catalog/index.ts";
import { PUBLIC_ORG } from "../identity/index.ts";
import { ANONYMOUS } from "../policy/index.ts";
import { createOpenRequests, type FeedbackLedgerPort, type NotifyPort } from "./feedback.ts";
import { createShowcase } from "./showcase.ts";

/** What the public's side of the portal needs from the opening service and the platform. */
export interface OpenFeedbackDeps {
  db: Db;
  ledger: FeedbackLedgerPort;
  notify?: NotifyPort;
  catalog: CatalogService;
  orgNames(): Promise<Map<string, string>>;
  /** One organisation's name, uncached (a department or enterprise created a moment ago); null: none. */
  orgName?: (id: string) => Promise<string | null>;
  resolve(idOrName: string): Promise<{ id: string; code: string; name: string; providerOrgId: string; content: { name: string; items: { name: string }[] } }>;
  openEntry(entryId: string): Promise<{ id: string; name: string; content: { name: string } } | null>;
  datasetForEntry(entryId: string): Promise<{ id: string; currentVersion: number | null } | null>;
  now?: () => Date;
}

/**
 * 数据需求, 错误报告 (with their 接诉即办 figures) and 利用成果, sharing one clock (tests move it with
 * `configure({ now })`) and the anonymous write limit.
 */
export function createOpenFeedback(deps: OpenFeedbackDeps) {
  const clock = { now: deps.now ?? (() => new Date()) };
  /** Error reports an anonymous address may file per hour (token bucket, burst the same). 0: no limit. */
  const settings = { anonymousReportsPerHour: 10 };
  const orgName = deps.orgName ?? (async (id: string) => (await deps.orgNames()).get(id) ?? null);
  async function catalogEntry(entryId: string) {
    try {
      const { entry: e } = await deps.catalog.get(ANONYMOUS, entryId);
      return e.status === "published" ? { id: e.id, code: e.code, name: e.content.name, providerOrgId: e.provider.id } : null;
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }
  return {
    settings,
    /** Operations and tests: the clock, the anonymous report limit. */
    configure(s: { now?: () => Date; anonymousReportsPerHour?: number }) {
      if (s.now) clock.now = s.now;
      if (s.anonymousReportsPerHour !== undefined) settings.anonymousReportsPerHour = s.anonymousReportsPerHour;
    },
    requests: createOpenRequests({ db: deps.db, ledger: deps.ledger, notify: deps.notify, orgNames: deps.orgNames, orgName, catalogEntry, resolve: deps.resolve, datasetForEntry: deps.datasetForEntry, clock }),
    showcase: createShowcase({ db: deps.db, ledger: deps.ledger, notify: deps.notify, resolve: deps.resolve, openEntry: deps.openEntry, orgName, publicOrgId: PUBLIC_ORG.id, clock }),
  };
}
export type OpenFeedback = ReturnType<typeof createOpenFeedback>;
