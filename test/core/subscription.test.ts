import { recordDelivery, recordTransientBounce, withdraw } from '../../lambdas/core/subscription';
import { makeSubscriber } from '../support/subscriber-factory';

const AT = '2026-12-01T10:00:00.000Z';

describe('withdraw', () => {
  it('unsubscribes with the time and the reason in the consent record', () => {
    const subscriber = makeSubscriber({ softBounceDays: ['2026-11-30'] });
    const withdrawn = withdraw(subscriber, 'complaint', AT);
    expect(withdrawn.status).toBe('unsubscribed');
    expect(withdrawn.consent).toEqual({ ...subscriber.consent, withdrawnAt: AT, withdrawnReason: 'complaint' });
    expect(withdrawn.softBounceDays).toBeUndefined();
    expect(subscriber.status).toBe('confirmed');
  });

  it('withdraws a pending sign-up too', () => {
    expect(withdraw(makeSubscriber({ status: 'pending' }), 'bounce', AT).status).toBe('unsubscribed');
  });

  it('leaves a withdrawn subscriber as it is, keeping the first reason', () => {
    const first = withdraw(makeSubscriber(), 'unsubscribed', AT);
    const again = withdraw(first, 'bounce', '2026-12-02T00:00:00.000Z');
    expect(again).toBe(first);
    expect(again.consent.withdrawnReason).toBe('unsubscribed');
  });
});

describe('recordTransientBounce', () => {
  it('withdraws on the third distinct day within 14 days, not before', () => {
    let subscriber = makeSubscriber();
    subscriber = recordTransientBounce(subscriber, '2026-11-20', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-25', AT);
    expect(subscriber.status).toBe('confirmed');
    expect(subscriber.softBounceDays).toEqual(['2026-11-20', '2026-11-25']);
    subscriber = recordTransientBounce(subscriber, '2026-12-03', AT);
    expect(subscriber.status).toBe('unsubscribed');
    expect(subscriber.consent).toMatchObject({ withdrawnAt: AT, withdrawnReason: 'transient-bounces' });
  });

  it('counts a day once, however many bounces it had', () => {
    let subscriber = makeSubscriber();
    for (let i = 0; i < 5; i += 1) subscriber = recordTransientBounce(subscriber, '2026-11-20', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-21', AT);
    expect(subscriber.status).toBe('confirmed');
    expect(subscriber.softBounceDays).toEqual(['2026-11-20', '2026-11-21']);
    const same = recordTransientBounce(subscriber, '2026-11-21', AT);
    expect(same).toBe(subscriber);
  });

  it('forgets days that fell out of the 14-day window', () => {
    let subscriber = makeSubscriber();
    subscriber = recordTransientBounce(subscriber, '2026-11-01', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-10', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-15', AT);
    expect(subscriber.status).toBe('confirmed');
    expect(subscriber.softBounceDays).toEqual(['2026-11-10', '2026-11-15']);
  });

  it('windows on the latest day even when events arrive out of order', () => {
    let subscriber = makeSubscriber();
    subscriber = recordTransientBounce(subscriber, '2026-11-20', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-18', AT);
    expect(subscriber.softBounceDays).toEqual(['2026-11-18', '2026-11-20']);
    expect(recordTransientBounce(subscriber, '2026-11-19', AT).status).toBe('unsubscribed');
  });

  it('does nothing to a withdrawn subscriber', () => {
    const withdrawn = withdraw(makeSubscriber(), 'unsubscribed', AT);
    expect(recordTransientBounce(withdrawn, '2026-11-20', AT)).toBe(withdrawn);
  });
});

describe('recordDelivery', () => {
  it('resets the count, so three bad days need a fresh run', () => {
    let subscriber = makeSubscriber();
    subscriber = recordTransientBounce(subscriber, '2026-11-20', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-21', AT);
    subscriber = recordDelivery(subscriber, '2026-11-22');
    expect(subscriber.softBounceDays).toBeUndefined();
    subscriber = recordTransientBounce(subscriber, '2026-11-23', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-24', AT);
    expect(subscriber.status).toBe('confirmed');
  });

  it('keeps bounces later than the delivery (events out of order)', () => {
    let subscriber = makeSubscriber();
    subscriber = recordTransientBounce(subscriber, '2026-11-20', AT);
    subscriber = recordTransientBounce(subscriber, '2026-11-23', AT);
    expect(recordDelivery(subscriber, '2026-11-21').softBounceDays).toEqual(['2026-11-23']);
  });

  it('returns the same record when there is nothing to forget', () => {
    const clean = makeSubscriber();
    expect(recordDelivery(clean, '2026-11-21')).toBe(clean);
    const later = recordTransientBounce(clean, '2026-11-25', AT);
    expect(recordDelivery(later, '2026-11-21')).toBe(later);
  });
});
