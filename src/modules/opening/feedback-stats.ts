import { isWorkingDay, type WorkCalendar } from "../../core/workdays.ts";
import type { DepartmentFigures, Figures } from "./feedback-schema.ts";

/**
 * 接诉即办 figures of the public's demands and error reports received in a window: received,
 * answered, answered within the deadline, still open, open and overdue, and the median and 90th
 * percentile of the time to the first answer, in calendar hours and in working-day hours.
 * Requests are counted by the day they were received; "open overdue" is as of the end of the window.
 * Volumes are small (hundreds a year per department), so the rows are read once and counted here,
 * where the working-day calendar is.
 */

export interface StatsRow {
  kind: "demand" | "report";
  dept_org_id: string | null;
  status: string;
  created_at: Date;
  due_at: Date;
  answered_at: Date | null;
}

const H8 = 8 * 3_600_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The hours of [from, to] that fall on working days (Asia/Shanghai calendar days). */
export function workingHoursBetween(from: Date, to: Date, cal: WorkCalendar): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let ms = 0;
  // Shanghai midnight (as an instant) of the day of `from`.
  for (let start = Math.floor((a + H8) / DAY) * DAY - H8; start < b; start += DAY) {
    if (!isWorkingDay(new Date(start + H8).toISOString().slice(0, 10), cal)) continue;
    ms += Math.max(0, Math.min(b, start + DAY) - Math.max(a, start));
  }
  return ms / HOUR;
}

/** Linear-interpolation percentile (PostgreSQL's percentile_cont) of sorted values. */
export function percentileCont(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const x = p * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.ceil(x);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export function figuresOf(rows: StatsRow[], at: Date, cal: WorkCalendar): Figures {
  const answered = rows.filter((r) => r.status === "answered" && r.answered_at);
  const open = rows.filter((r) => !(r.status === "answered" && r.answered_at));
  const onTime = answered.filter((r) => new Date(r.answered_at!).getTime() <= new Date(r.due_at).getTime());
  const hours = answered.map((r) => (new Date(r.answered_at!).getTime() - new Date(r.created_at).getTime()) / HOUR).sort((a, b) => a - b);
  const working = answered.map((r) => workingHoursBetween(new Date(r.created_at), new Date(r.answered_at!), cal)).sort((a, b) => a - b);
  const pct = (v: number[]) => (v.length ? { median: round(percentileCont(v, 0.5), 1), p90: round(percentileCont(v, 0.9), 1) } : null);
  const n = rows.length;
  return {
    received: n,
    answered: answered.length,
    answeredOnTime: onTime.length,
    open: open.length,
    openOverdue: open.filter((r) => new Date(r.due_at).getTime() < at.getTime()).length,
    answerRate: n ? round(answered.length / n, 4) : null,
    onTimeRate: n ? round(onTime.length / n, 4) : null,
    hoursToAnswer: pct(hours),
    workingHoursToAnswer: pct(working),
  };
}

export interface StatsInput {
  rows: StatsRow[];
  at: Date;
  from: Date;
  days: number;
  calendar: WorkCalendar;
  names: Map<string, string>;
  /** Only this department. */
  org?: string;
  deadlines: { demandDays: number; reportDays: number };
}

/** The city's figures and each department's (unassigned demands and those the administration answered itself count under the data administration). */
export function requestStats(s: StatsInput) {
  const of = (rows: StatsRow[]) => ({
    demands: figuresOf(rows.filter((r) => r.kind === "demand"), s.at, s.calendar),
    reports: figuresOf(rows.filter((r) => r.kind === "report"), s.at, s.calendar),
    all: figuresOf(rows, s.at, s.calendar),
  });
  const byDept = new Map<string | null, StatsRow[]>();
  for (const r of s.rows) {
    const k = r.dept_org_id ?? null;
    byDept.set(k, [...(byDept.get(k) ?? []), r]);
  }
  if (s.org && !byDept.has(s.org)) byDept.set(s.org, []);
  const departments: DepartmentFigures[] = [...byDept].map(([id, rows]) => ({ org: { id, name: id ? (s.names.get(id) ?? id) : "数据管理部门（未分派）" }, ...of(rows) }));
  departments.sort((a, b) => b.all.received - a.all.received || a.org.name.localeCompare(b.org.name, "zh"));
  return {
    window: { days: s.days, from: s.from.toISOString(), to: s.at.toISOString() },
    deadlines: { ...s.deadlines, unit: "working days" as const },
    ...(s.org ? { org: { id: s.org, name: s.names.get(s.org) ?? null } } : {}),
    /** The whole city (or, with `org`, that department). */
    total: of(s.rows),
    departments,
  };
}
