// Spaces the requests to one API at least a fixed interval apart (arXiv asks for one every 3 s), on a timer tests fake.
import { systemTimer, type Timer } from '../mail/paced-mailer';

/** arXiv's terms of use: no more than one request every three seconds. */
export const ARXIV_REQUEST_INTERVAL_MS = 3000;

export class RequestPacer {
  private lastStartMs: number | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly timer: Timer = systemTimer,
  ) {}

  /** Resolves when the next request may start, and counts it as started then (check and set in one synchronous step). */
  async next(): Promise<void> {
    for (;;) {
      const nowMs = this.timer.nowMs();
      const waitMs = this.lastStartMs === undefined ? 0 : this.lastStartMs + this.intervalMs - nowMs;
      if (waitMs <= 0) {
        this.lastStartMs = nowMs;
        return;
      }
      await this.timer.sleep(waitMs);
    }
  }
}
