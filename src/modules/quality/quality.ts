import type { QualityDeps } from "./ports.ts";
import { createObjectionService } from "./objections.ts";
import { createScoringService } from "./service.ts";
import { createSourceService } from "./sources.ts";
import { loadChecks } from "./rules.ts";
import type { Actor } from "../policy/index.ts";

/**
 * The quality service (治理): scoring and reports, 数据异议, 一数一源 and 多源校核. Registers on
 * ingest.onCommitted so every new snapshot version is scored while its job shows a "scoring" phase.
 */
export function createQualityService(deps: QualityDeps) {
  const scoring = createScoringService(deps);
  const objections = createObjectionService(deps, scoring);
  const sources = createSourceService(deps, scoring, objections);
  deps.ingest.onValidate((columns) => loadChecks(columns));
  deps.ingest.onCommitted(async (snap, ctx) => {
    ctx.progress("质量评分");
    await scoring.scoreSnapshot(snap, ctx);
  });
  return {
    scoring,
    objections,
    sources,
    /** Score a snapshot (also what the onCommitted listener does). */
    scoreSnapshot: scoring.scoreSnapshot,
    /** Reminders, overdue escalation and auto-close of 数据异议; pass a clock in tests. */
    sweep: (at?: Date) => objections.sweep(at),
    /** Records under objection (异议中) of a dataset, for consumers (sharing, opening). */
    openObjectionKeys: (actor: Actor, datasetId: string) => objections.openKeys(actor, datasetId),
    async league(actor: Actor) {
      return scoring.league(actor, { openObjections: await objections.openCountsByOrg(), openConflicts: await sources.openCountsByOrg() });
    },
    /** Run the sweep every `intervalMs` (default hourly); returns a stop function. Errors are reported, never thrown. */
    startSweeper(opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}) {
      const timer = setInterval(() => {
        objections.sweep().catch((err) => opts.onError?.(err));
      }, opts.intervalMs ?? 3_600_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type QualityService = ReturnType<typeof createQualityService>;
