import { MAX_WINDOW_DAYS } from '../../lambdas/core/digest-schedule';
import { daysLater, SENT_PAPER_RETENTION_DAYS } from '../../lambdas/core/retention';

describe('retention', () => {
  it('remembers a sent paper well past the longest window a digest draws from', () => {
    expect(SENT_PAPER_RETENTION_DAYS).toBeGreaterThanOrEqual(2 * MAX_WINDOW_DAYS);
    expect(SENT_PAPER_RETENTION_DAYS).toBe(4 * MAX_WINDOW_DAYS);
  });

  it('counts days as 24-hour spans from an instant', () => {
    expect(daysLater(new Date('2026-10-24T12:00:00Z'), 2).toISOString()).toBe('2026-10-26T12:00:00.000Z');
  });
});
