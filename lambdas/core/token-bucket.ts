// A token bucket, as pure state over time in milliseconds: how long to wait before the next send at a given rate.

export interface TokenBucket {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Most tokens held at once: the largest burst. */
  readonly capacity: number;
  /** Tokens now held (fractions accrue between sends). */
  readonly tokens: number;
  /** When `tokens` was last brought up to date (ms on the caller's clock). */
  readonly updatedAtMs: number;
}

/**
 * A full bucket. Capacity 1 (the default) spaces sends evenly, at least 1/rate apart, so no
 * window of one second ever holds more than the rate rounded up (exactly the rate when it is whole).
 */
export function tokenBucket(ratePerSecond: number, nowMs: number, capacity = 1): TokenBucket {
  if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) throw new RangeError(`rate must be a positive number, not ${ratePerSecond}`);
  if (!Number.isFinite(capacity) || capacity < 1) throw new RangeError(`capacity must be at least 1, not ${capacity}`);
  return { ratePerSecond, capacity, tokens: capacity, updatedAtMs: nowMs };
}

/**
 * Take one token at `nowMs`. With a token at hand, `waitMs` is 0 and the returned bucket holds
 * one fewer; otherwise nothing is taken and `waitMs` (whole milliseconds, rounded up) says how long
 * until one will be there. A clock that goes backwards adds nothing.
 */
export function takeToken(bucket: TokenBucket, nowMs: number): { bucket: TokenBucket; waitMs: number } {
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  const tokens = Math.min(bucket.capacity, bucket.tokens + (elapsedMs * bucket.ratePerSecond) / 1000);
  const updatedAtMs = Math.max(nowMs, bucket.updatedAtMs);
  if (tokens >= 1) return { bucket: { ...bucket, tokens: tokens - 1, updatedAtMs }, waitMs: 0 };
  return { bucket: { ...bucket, tokens, updatedAtMs }, waitMs: Math.max(1, Math.ceil(((1 - tokens) * 1000) / bucket.ratePerSecond)) };
}
