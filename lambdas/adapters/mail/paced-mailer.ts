// Mailer decorator: waits for a token before every send and retries SES throttling with jittered backoff inside the call.
import { classifySendError } from '../../core/ses-errors';
import { takeToken, tokenBucket, type TokenBucket } from '../../core/token-bucket';
import type { Logger, Mailer, OutgoingEmail, SendOptions } from '../../ports';
import { sleep, type Sleep } from '../sleep';

/** Monotonic time in milliseconds and a way to wait; tests pass a fake one whose sleep moves its clock. */
export interface Timer {
  nowMs(): number;
  sleep: Sleep;
}

export const systemTimer: Timer = {
  nowMs: () => performance.now(),
  sleep,
};

export interface PacedMailerOptions {
  /** Emails per second this mailer may send (its share of the account's SES rate). */
  ratePerSecond: number;
  timer?: Timer | undefined;
  logger?: Logger;
  /** Sends tried per email while SES throttles; default 6. */
  maxAttempts?: number | undefined;
  /** Backoff after the n-th throttled attempt: up to baseMs * 2^(n-1), capped at maxMs; default 250 ms and 8 s. */
  backoff?: { baseMs: number; maxMs: number };
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
}

/**
 * Paces sends to `ratePerSecond` (a token bucket of capacity 1, so never a burst) and retries
 * throttled sends with backoff and jitter. A throttled send was refused by SES, so trying again
 * cannot send the email twice; any other error is thrown at once for the caller to classify.
 */
export class PacedMailer implements Mailer {
  private bucket: TokenBucket;
  private readonly timer: Timer;
  private readonly maxAttempts: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly random: () => number;

  constructor(
    private readonly inner: Mailer,
    private readonly options: PacedMailerOptions,
  ) {
    this.timer = options.timer ?? systemTimer;
    this.bucket = tokenBucket(options.ratePerSecond, this.timer.nowMs());
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoff = options.backoff ?? { baseMs: 250, maxMs: 8_000 };
    this.random = options.random ?? Math.random;
  }

  /** `beforeSend` runs once the first token is taken, not during the wait: a crash while waiting leaves nothing recorded. */
  async send(email: OutgoingEmail, options: SendOptions = {}): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForToken();
      if (attempt === 1) await options.beforeSend?.();
      try {
        return await this.inner.send(email);
      } catch (error) {
        if (classifySendError(error) !== 'throttled' || attempt >= this.maxAttempts) throw error;
        const delayMs = this.backoffMs(attempt);
        this.options.logger?.warn('SES throttled the send; backing off', { subscriberId: email.tags.subscriber, attempt, delayMs });
        await this.timer.sleep(delayMs);
      }
    }
  }

  /** Taking the token and updating the bucket happen in one synchronous step, so concurrent callers never share a token. */
  private async waitForToken(): Promise<void> {
    for (;;) {
      const { bucket, waitMs } = takeToken(this.bucket, this.timer.nowMs());
      this.bucket = bucket;
      if (waitMs === 0) return;
      await this.timer.sleep(waitMs);
    }
  }

  /** "Equal jitter": half the exponential step for sure, the other half at random, so retries spread out yet always wait. */
  private backoffMs(attempt: number): number {
    const step = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (attempt - 1));
    return Math.ceil(step / 2 + this.random() * (step / 2));
  }
}
