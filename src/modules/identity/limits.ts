import { shanghaiDay } from "../../core/workdays.ts";

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
