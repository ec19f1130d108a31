/**
 * Deadlines in working days (数据异议 RULES §4, share applications §6.1): weekends are skipped, plus configured holidays;
 * configured make-up working days (调休) count. Dates are calendar days in Asia/Shanghai; a deadline
 * is the end (23:59:59.999 Shanghai) of the n-th working day after the start day.
 */
export interface WorkCalendar {
  holidays?: readonly string[];
  extraWorkdays?: readonly string[];
}

const H8 = 8 * 3_600_000;
const DAY = 86_400_000;

/** The Asia/Shanghai calendar day (YYYY-MM-DD) of an instant. */
export const shanghaiDay = (at: Date | number = Date.now()): string => new Date((typeof at === "number" ? at : at.getTime()) + H8).toISOString().slice(0, 10);
/** The first and the last millisecond of a Shanghai calendar day, as instants. */
export const shanghaiDayStart = (ymd: string): Date => new Date(Date.parse(`${ymd}T00:00:00Z`) - H8);
export const shanghaiDayEnd = (ymd: string): Date => new Date(Date.parse(`${ymd}T00:00:00Z`) + DAY - 1 - H8);
/** Seconds until the next Shanghai midnight (at least 1): when a daily quota resets. */
export const secondsToShanghaiMidnight = (at = Date.now()): number => Math.max(1, Math.ceil((DAY - ((at + H8) % DAY)) / 1000));

export function isWorkingDay(ymd: string, cal: WorkCalendar = {}): boolean {
  if (cal.extraWorkdays?.includes(ymd)) return true;
  if (cal.holidays?.includes(ymd)) return false;
  const dow = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function addWorkingDays(start: Date, n: number, cal: WorkCalendar = {}): Date {
  // Midnight (UTC) of the Shanghai calendar day of `start`.
  let day = Math.floor((start.getTime() + H8) / DAY) * DAY;
  let left = n;
  while (left > 0) {
    day += DAY;
    if (isWorkingDay(new Date(day).toISOString().slice(0, 10), cal)) left--;
  }
  return new Date(day + DAY - 1 - H8);
}
