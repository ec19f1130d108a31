/**
 * Token buckets in memory, one per key (an API key id, a client IP, a share grant): `rate` tokens per second, at
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
