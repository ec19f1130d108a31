/** 429 (core): a rate limit or a daily quota is exhausted; `retryAfter` also goes out as Retry-After. */
export { RateLimitedError } from "../../core/errors.ts";

/** The calendar day (YYYY-MM-DD) in Asia/Shanghai (UTC+8, no daylight saving): quotas reset at local midnight. */
export function shanghaiDay(at = Date.now()): string {
  return new Date(at + 8 * 3600_000).toISOString().slice(0, 10);
}
/** Seconds until the next Asia/Shanghai midnight. */
export function secondsToShanghaiMidnight(at = Date.now()): number {
  const local = at + 8 * 3600_000;
  return Math.max(1, Math.ceil((86400_000 - (local % 86400_000)) / 1000));
}

/**
 * Token buckets in memory, one per key (an API key id, a client IP): `rate` tokens per second, at
 * most `burst` held. One process serves the API (DESIGN.md: a modular monolith), so in-memory buckets
 * are exact; idle buckets are dropped.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number; burst: number }>();
  private lastSweep = Date.now();
  constructor(private readonly now: () => number = Date.now) {}

  /** Take one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, rate: number, burst = Math.max(1, Math.ceil(rate))): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b || b.rate !== rate || b.burst !== burst) {
      b = { tokens: burst, at: t, rate, burst };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
    }
    if (t - this.lastSweep > 60_000) this.sweep(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }

  private sweep(t: number) {
    this.lastSweep = t;
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * b.rate >= b.burst) this.buckets.delete(k);
  }

  reset(): void {
    this.buckets.clear();
  }
}

/**
 * Calls per key per day: counted in memory (exact in this process) and added to the database in
 * batches (`flush`, every second while there is something to write), so a keyed request costs no
 * write of its own. The first call of a key on a day reads the day's count from the database.
 */
export class DailyMeter {
  private readonly counts = new Map<string, { day: string; count: number; loading?: Promise<void> }>();
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly load: (key: string, day: string) => Promise<number>,
    private readonly write: (rows: { key: string; day: string; calls: number }[]) => Promise<void>,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** The count so far today (loaded once per key and day). */
  async used(key: string, day = shanghaiDay()): Promise<number> {
    let c = this.counts.get(key);
    if (!c || c.day !== day) {
      const entry: { day: string; count: number; loading?: Promise<void> } = { day, count: 0 };
      entry.loading = this.load(key, day).then((n) => {
        entry.count += n;
        entry.loading = undefined;
      });
      this.counts.set(key, entry);
      c = entry;
    }
    if (c.loading) await c.loading;
    return c.count;
  }

  /** Count one call if the quota (null: none) allows it; returns false when exhausted. */
  async tryCount(key: string, quota: number | null, day = shanghaiDay()): Promise<boolean> {
    const used = await this.used(key, day);
    if (quota != null && used >= quota) return false;
    this.counts.get(key)!.count += 1;
    const pk = `${key}\u0000${day}`;
    this.pending.set(pk, (this.pending.get(pk) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush().catch(this.onError), 1000);
      this.timer.unref();
    }
    return true;
  }

  /** Write the pending counts now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    const rows = [...batch].map(([pk, calls]) => {
      const [key, day] = pk.split("\u0000");
      return { key, day, calls };
    });
    const run = this.flushing.then(() => (rows.length ? this.write(rows) : undefined));
    this.flushing = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      // Keep the counts for the next flush.
      for (const [pk, n] of batch) this.pending.set(pk, (this.pending.get(pk) ?? 0) + n);
      throw err;
    }
  }

  /** Stop the timer (shutdown); call flush first to keep the counts. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forget cached counts (a key's quota or a day changed outside this process; tests). */
  forget(key?: string): void {
    if (key) this.counts.delete(key);
    else this.counts.clear();
  }
}
