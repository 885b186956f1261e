import {
  changePreferences,
  confirmSignUp,
  DEFAULT_PREFERENCES,
  FORM_VERSION,
  MAX_TOPIC_FILTER_LENGTH,
  MAX_TOPICS,
  newSubscriber,
  PAPERS_PER_EMAIL,
  pause,
  preferencesOf,
  recordDelivery,
  recordTransientBounce,
  resume,
  signUpAgain,
  switchToWeekly,
  withdraw,
} from '../../lambdas/core/subscription';
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

  it("forgets what the reader's clicks taught, so a later sign-up starts afresh", () => {
    const subscriber = makeSubscriber({ feedback: { marked: [], fewerPaperIds: ['2611.00001'] } });
    expect(withdraw(subscriber, 'unsubscribed', AT)).not.toHaveProperty('feedback');
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

describe('preferences and limits', () => {
  it('defaults a sign-up to a daily digest of PAPERS_PER_EMAIL.default papers at 07:00 UTC', () => {
    expect(DEFAULT_PREFERENCES).toEqual({
      topics: '',
      frequency: 'daily',
      weekday: 1,
      hour: 7,
      timeZone: 'UTC',
      maxPapers: PAPERS_PER_EMAIL.default,
      paused: false,
      sendEmptyDigest: false,
    });
    expect(PAPERS_PER_EMAIL).toEqual({ min: 1, max: 30, default: 10 });
    expect(MAX_TOPIC_FILTER_LENGTH).toBe(500);
    expect(MAX_TOPICS).toBe(10);
  });

  it('reads the preferences part of a subscriber', () => {
    const subscriber = makeSubscriber({
      topics: 'agents',
      frequency: 'weekly',
      weekday: 3,
      hour: 9,
      timeZone: 'Asia/Tokyo',
      maxPapers: 5,
      paused: true,
      sendEmptyDigest: true,
    });
    expect(preferencesOf(subscriber)).toEqual({
      topics: 'agents',
      frequency: 'weekly',
      weekday: 3,
      hour: 9,
      timeZone: 'Asia/Tokyo',
      maxPapers: 5,
      paused: true,
      sendEmptyDigest: true,
    });
  });
});

describe('newSubscriber', () => {
  it('is pending and unpaused, with its consent on the current form', () => {
    const subscriber = newSubscriber('id-1', 'a@example.com', { ...DEFAULT_PREFERENCES, topics: 'agents', paused: true }, AT);
    expect(subscriber).toEqual({
      id: 'id-1',
      email: 'a@example.com',
      status: 'pending',
      ...DEFAULT_PREFERENCES,
      topics: 'agents',
      paused: false,
      sendEmptyDigest: false,
      consent: { signedUpAt: AT, formVersion: FORM_VERSION },
      createdAt: AT,
      updatedAt: AT,
    });
  });
});

describe('signUpAgain', () => {
  const chosen = { ...DEFAULT_PREFERENCES, topics: 'quantization', frequency: 'weekly' as const, paused: true };

  it('leaves a confirmed subscriber as it is', () => {
    const confirmed = makeSubscriber();
    expect(signUpAgain(confirmed, chosen, AT)).toBe(confirmed);
  });

  it('keeps a pending sign-up’s settings and consent while its first link is live, so that link confirms what it was sent for', () => {
    const pending = makeSubscriber({ status: 'pending', consent: { signedUpAt: '2026-11-30T00:00:00.000Z', formVersion: 'old' } });
    const again = signUpAgain(pending, chosen, AT);
    expect(again).not.toBe(pending);
    expect(again).toEqual(pending);
  });

  it('takes new settings with a new sign-up time once the first link has expired, so earlier links stop working', () => {
    const pending = makeSubscriber({ status: 'pending', consent: { signedUpAt: '2026-11-20T00:00:00.000Z', formVersion: 'old' } });
    const again = signUpAgain(pending, chosen, AT);
    expect(again).toMatchObject({
      status: 'pending',
      topics: 'quantization',
      frequency: 'weekly',
      paused: false,
      consent: { signedUpAt: AT, formVersion: 'old' },
    });
    expect(again.consentHistory).toBeUndefined();
    expect(confirmSignUp(again, new Date('2026-11-27T00:00:00.000Z'), AT)).toEqual({ ok: false, reason: 'superseded' });
  });

  it('writes a pending sign-up again even when nothing changed, which restarts its expiry', () => {
    const pending = makeSubscriber({ status: 'pending' });
    expect(signUpAgain(pending, preferencesOf(pending), AT)).not.toBe(pending);
  });

  it('takes a new consent after an unsubscribe, moving the old one to the history', () => {
    const withdrawn = withdraw(
      makeSubscriber({ consentHistory: [{ signedUpAt: '2026-01-01T00:00:00.000Z', formVersion: 'first' }] }),
      'unsubscribed',
      '2026-11-20T00:00:00.000Z',
    );
    const again = signUpAgain(withdrawn, chosen, AT);
    expect(again).toMatchObject({ status: 'pending', topics: 'quantization', paused: false, consent: { signedUpAt: AT, formVersion: FORM_VERSION } });
    expect(again.consentHistory).toEqual([...withdrawn.consentHistory!, withdrawn.consent]);
  });

  it('leaves a withdrawal made after the sign-up was sent: a queued sign-up worked through later does not undo it', () => {
    const withdrawn = withdraw(makeSubscriber(), 'unsubscribed', '2026-11-20T00:00:05.000Z');
    expect(signUpAgain(withdrawn, chosen, AT, '2026-11-20T00:00:04.000Z')).toBe(withdrawn);
    expect(signUpAgain(withdrawn, chosen, AT, '2026-11-20T00:00:06.000Z')).toMatchObject({ status: 'pending', consent: { signedUpAt: AT } });
  });
});

describe('confirmSignUp', () => {
  const signedUpAt = '2026-11-30T12:00:00.500Z';
  const pending = makeSubscriber({ status: 'pending', consent: { signedUpAt, formVersion: FORM_VERSION } });

  it('confirms a pending sign-up with a token from its sign-up, recording the time', () => {
    const outcome = confirmSignUp(pending, new Date('2026-11-30T12:00:00.000Z'), AT);
    expect(outcome).toEqual({ ok: true, subscriber: { ...pending, status: 'confirmed', consent: { ...pending.consent, confirmedAt: AT } } });
  });

  it('leaves a confirmed subscriber as it is', () => {
    const confirmed = makeSubscriber();
    expect(confirmSignUp(confirmed, new Date(AT), AT)).toEqual({ ok: true, subscriber: confirmed });
    expect((confirmSignUp(confirmed, new Date(AT), AT) as { subscriber: unknown }).subscriber).toBe(confirmed);
  });

  it('refuses a token older than the latest sign-up (to the second, as tokens carry time)', () => {
    expect(confirmSignUp(pending, new Date('2026-11-30T11:59:59.999Z'), AT)).toEqual({ ok: false, reason: 'superseded' });
  });

  it('refuses a withdrawn subscriber, so an old link cannot undo an unsubscribe', () => {
    const withdrawn = withdraw(pending, 'unsubscribed', AT);
    expect(confirmSignUp(withdrawn, new Date(AT), AT)).toEqual({ ok: false, reason: 'superseded' });
  });
});

describe('preference transitions', () => {
  it('pause and resume set paused and nothing else', () => {
    const subscriber = makeSubscriber({ frequency: 'weekly' });
    expect(pause(subscriber)).toEqual({ ...subscriber, paused: true });
    expect(resume({ ...subscriber, paused: true })).toEqual({ ...subscriber, paused: false });
  });

  it('switchToWeekly makes the digest weekly and resumes it', () => {
    const subscriber = makeSubscriber({ paused: true });
    expect(switchToWeekly(subscriber)).toEqual({ ...subscriber, frequency: 'weekly', paused: false });
  });

  it('changePreferences takes the fields given and keeps the others', () => {
    const subscriber = makeSubscriber({ topics: 'agents', hour: 7 });
    const changed = changePreferences(subscriber, { topics: 'quantization', hour: undefined });
    expect(changed).toEqual({ ...subscriber, topics: 'quantization' });
    expect(subscriber.topics).toBe('agents');
  });

  it('leaves a withdrawn subscriber as it is, whatever the change', () => {
    const withdrawn = withdraw(makeSubscriber(), 'unsubscribed', AT);
    for (const transition of [pause, resume, switchToWeekly, (s: typeof withdrawn) => changePreferences(s, { topics: 'x' })]) {
      expect(transition(withdrawn)).toBe(withdrawn);
    }
  });
});
