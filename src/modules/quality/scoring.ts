import { DIMENSIONS, type Dimension, type DimensionScores, type Weights } from "./schema.ts";

/** Indicators and scores (RULES §3.2): every indicator a ratio in [0,1]; null = not assessable, never 0. */

export const ratio = (evaluated: number, failed: number): number | null => (evaluated > 0 ? Math.max(0, Math.min(1, (evaluated - failed) / evaluated)) : null);

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);

/** Per dimension: the mean of its assessable indicators. */
export function dimensionScores(results: { dimension: Dimension; ratio: number | null }[]): DimensionScores {
  const out = {} as DimensionScores;
  for (const d of DIMENSIONS) out[d] = round(mean(results.filter((r) => r.dimension === d && r.ratio !== null).map((r) => r.ratio!)));
  return out;
}

/** Overall: weighted mean over the assessable dimensions (weights renormalised); null when none is. */
export function overallScore(dims: DimensionScores, weights: Weights): number | null {
  let sum = 0, w = 0;
  for (const d of DIMENSIONS) {
    const v = dims[d];
    if (v === null || weights[d] <= 0) continue;
    sum += v * weights[d];
    w += weights[d];
  }
  return w > 0 ? round(sum / w) : null;
}

/** Weighted mean of several scores (e.g. datasets of a department, weighted by 1 each). */
export function meanDimensions(list: DimensionScores[]): DimensionScores {
  const out = {} as DimensionScores;
  for (const d of DIMENSIONS) out[d] = round(mean(list.map((x) => x[d]).filter((v): v is number => v !== null)));
  return out;
}

/** The update cycle as a period in days (不定期: none). */
export const CYCLE_DAYS: Record<string, number | null> = { 实时: 1, 每日: 1, 每周: 7, 每月: 31, 每季度: 92, 每半年: 183, 每年: 366, 不定期: null };
const DAY = 86_400_000;
/** Loads a little late (20% of the period, at least half a day) still count as on time. */
const grace = (days: number) => Math.max(0.5, days * 0.2);

/**
 * 基于时间点的及时性: was this load on time, measured from the previous load? 1 when within the
 * cycle, else period / interval. Not assessable for the first load or an irregular (不定期) cycle.
 */
export function timeliness(cycle: string | null, previousAt: Date | null, at: Date): { evaluated: number; failed: number; ratio: number | null } {
  const days = cycle ? CYCLE_DAYS[cycle] ?? null : null;
  if (days === null || !previousAt) return { evaluated: 0, failed: 0, ratio: null };
  const interval = (at.getTime() - previousAt.getTime()) / DAY;
  if (interval <= days + grace(days)) return { evaluated: 1, failed: 0, ratio: 1 };
  return { evaluated: 1, failed: 1, ratio: round(days / interval) };
}

/** When the next load is due, and whether it is overdue now. */
export function freshness(cycle: string | null, lastLoadAt: Date, now: Date): { dueAt: string | null; overdue: boolean } {
  const days = cycle ? CYCLE_DAYS[cycle] ?? null : null;
  if (days === null) return { dueAt: null, overdue: false };
  const due = new Date(lastLoadAt.getTime() + (days + grace(days)) * DAY);
  return { dueAt: due.toISOString(), overdue: now > due };
}

