import { MAX_WINDOW_DAYS } from '../../lambdas/core/digest-schedule';
import { DAY_MS } from '../../lambdas/core/day';
import {
  DAY_LISTING_RETENTION_DAYS,
  daysLater,
  DIGEST_RETENTION_DAYS,
  PAPER_RETENTION_DAYS,
  SENT_PAPER_RETENTION_DAYS,
  WEB_VERSION_READ_DAYS,
} from '../../lambdas/core/retention';
import { TOKEN_LIFETIMES_MS } from '../../lambdas/core/tokens';

describe('retention', () => {
  it('remembers a sent paper well past the longest window a digest draws from', () => {
    expect(SENT_PAPER_RETENTION_DAYS).toBeGreaterThanOrEqual(2 * MAX_WINDOW_DAYS);
    expect(SENT_PAPER_RETENTION_DAYS).toBe(4 * MAX_WINDOW_DAYS);
  });

  it("keeps what a digest's web version reads for as long as its link works, plus the window it drew from", () => {
    expect(WEB_VERSION_READ_DAYS).toBe(TOKEN_LIFETIMES_MS.view / DAY_MS + MAX_WINDOW_DAYS);
    for (const days of [DIGEST_RETENTION_DAYS, DAY_LISTING_RETENTION_DAYS, PAPER_RETENTION_DAYS]) expect(days).toBeGreaterThanOrEqual(WEB_VERSION_READ_DAYS);
    expect(PAPER_RETENTION_DAYS).toBeGreaterThan(DAY_LISTING_RETENTION_DAYS);
  });

  it('counts days as 24-hour spans from an instant', () => {
    expect(daysLater(new Date('2026-10-24T12:00:00Z'), 2).toISOString()).toBe('2026-10-26T12:00:00.000Z');
  });
});
