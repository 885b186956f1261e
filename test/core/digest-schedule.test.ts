import { digestDue, digestWindow } from '../../lambdas/core/digest-schedule';
import { makeSubscriber } from '../support/subscriber-factory';

// 2026-11-28 is a Saturday (ISO weekday 6).
const at = (iso: string) => new Date(iso);

describe('digestDue', () => {
  it('is due once the local hour reaches the chosen hour, in the subscriber’s zone', () => {
    const tokyo = makeSubscriber({ timeZone: 'Asia/Tokyo', hour: 8 });
    expect(digestDue(tokyo, at('2026-11-27T22:59:00Z'))).toBeUndefined(); // 07:59 in Tokyo
    expect(digestDue(tokyo, at('2026-11-27T23:00:00Z'))).toEqual({ subscriberId: tokyo.id, localDate: '2026-11-28' });
  });

  it('catches up later the same day when an hourly run was missed', () => {
    const subscriber = makeSubscriber({ hour: 7 });
    expect(digestDue(subscriber, at('2026-11-28T15:00:00Z'))?.localDate).toBe('2026-11-28');
  });

  it('is not due again on a date that already had its digest', () => {
    const subscriber = makeSubscriber({ hour: 7, lastDigestDate: '2026-11-28' });
    expect(digestDue(subscriber, at('2026-11-28T15:00:00Z'))).toBeUndefined();
    expect(digestDue(subscriber, at('2026-11-29T07:00:00Z'))?.localDate).toBe('2026-11-29');
  });

  it('ignores the hour for a manual run but never the status', () => {
    expect(digestDue(makeSubscriber({ hour: 23 }), at('2026-11-28T01:00:00Z'), true)).toBeDefined();
    expect(digestDue(makeSubscriber({ status: 'pending' }), at('2026-11-28T12:00:00Z'), true)).toBeUndefined();
    expect(digestDue(makeSubscriber({ status: 'unsubscribed' }), at('2026-11-28T12:00:00Z'), true)).toBeUndefined();
    expect(digestDue(makeSubscriber({ paused: true }), at('2026-11-28T12:00:00Z'), true)).toBeUndefined();
  });

  it('sends a weekly digest on the chosen weekday, or when a week has passed', () => {
    const monday = makeSubscriber({ frequency: 'weekly', weekday: 1, lastDigestDate: '2026-11-23' });
    expect(digestDue(monday, at('2026-11-28T12:00:00Z'))).toBeUndefined(); // Saturday, 5 days since
    expect(digestDue(monday, at('2026-11-30T12:00:00Z'))?.localDate).toBe('2026-11-30');
    const overdue = makeSubscriber({ frequency: 'weekly', weekday: 1, lastDigestDate: '2026-11-16' });
    expect(digestDue(overdue, at('2026-11-28T12:00:00Z'))?.localDate).toBe('2026-11-28');
    const fresh = makeSubscriber({ frequency: 'weekly', weekday: 3 });
    expect(digestDue(fresh, at('2026-11-28T12:00:00Z'))?.localDate).toBe('2026-11-28');
  });
});

describe('digestWindow', () => {
  const now = at('2026-11-28T09:00:00Z');

  it('covers yesterday and today for a first daily digest', () => {
    expect(digestWindow(makeSubscriber(), now)).toEqual(['2026-11-27', '2026-11-28']);
  });

  it('reaches back to the last digest, at most a week', () => {
    expect(digestWindow(makeSubscriber({ lastDigestDate: '2026-11-25' }), now)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    expect(digestWindow(makeSubscriber({ lastDigestDate: '2026-10-01' }), now)).toHaveLength(7);
  });

  it('covers a week for a weekly digest', () => {
    const days = digestWindow(makeSubscriber({ frequency: 'weekly' }), now);
    expect(days[0]).toBe('2026-11-22');
    expect(days.at(-1)).toBe('2026-11-28');
  });
});
