// The subscriber's one home: preferences, their defaults and limits, and the lifecycle as pure transitions (sign up, confirm, change preferences, withdraw, transient-bounce bookkeeping).
import { addDays } from './day';
import type { Consent, Subscriber, WithdrawalReason } from './model';
import { TOKEN_LIFETIMES_MS } from './tokens';

/** Longest accepted topic filter, in characters. */
export const MAX_TOPIC_FILTER_LENGTH = 500;
/** Most comma-separated topics in one filter. */
export const MAX_TOPICS = 10;
/** Papers per email: the range a subscriber may choose from, and what a sign-up gets when it chooses nothing. */
export const PAPERS_PER_EMAIL = { min: 1, max: 30, default: 10 } as const;

/** Version of the sign-up form whose wording the consent record refers to. */
export const FORM_VERSION = 'signup-2026-11';

/** What a subscriber chooses on the forms. */
export type Preferences = Pick<Subscriber, 'topics' | 'frequency' | 'weekday' | 'hour' | 'timeZone' | 'maxPapers' | 'paused' | 'sendEmptyDigest'>;

/** What a form shows, and a sign-up stores, for a choice left out. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = {
  topics: '',
  frequency: 'daily',
  weekday: 1,
  hour: 7,
  timeZone: 'UTC',
  maxPapers: PAPERS_PER_EMAIL.default,
  paused: false,
  sendEmptyDigest: false,
};

/** The preferences part of a subscriber. */
export function preferencesOf(subscriber: Subscriber): Preferences {
  const { topics, frequency, weekday, hour, timeZone, maxPapers, paused, sendEmptyDigest } = subscriber;
  return { topics, frequency, weekday, hour, timeZone, maxPapers, paused, sendEmptyDigest };
}

/**
 * A mailbox that refuses mail on this many distinct days within this many days (with no delivery
 * in between) is given up on. One bad day (a full mailbox, a server down) is not enough.
 */
export const TRANSIENT_BOUNCE_LIMIT = { days: 3, withinDays: 14 } as const;

/** True once consent is withdrawn, whatever the reason: no email of any kind goes out. */
export function isWithdrawn(subscriber: Pick<Subscriber, 'status'>): boolean {
  return subscriber.status === 'unsubscribed';
}

/** Confirmed and not paused: the only state in which a digest goes out. */
export function receivesDigests(subscriber: Pick<Subscriber, 'status' | 'paused'>): boolean {
  return subscriber.status === 'confirmed' && !subscriber.paused;
}

/**
 * Withdraw the subscriber's consent at `at` (ISO time) for `reason`. A subscriber already
 * withdrawn is returned as it is (the same object), so the first reason stays and a repeat is a no-op.
 */
export function withdraw(subscriber: Subscriber, reason: WithdrawalReason, at: string): Subscriber {
  if (isWithdrawn(subscriber)) return subscriber;
  // What their clicks taught goes with them: kept on a withdrawn record it would only come back on a new sign-up.
  const { softBounceDays: _counted, feedback: _learned, ...rest } = subscriber;
  return { ...rest, status: 'unsubscribed', consent: { ...subscriber.consent, withdrawnAt: at, withdrawnReason: reason } };
}

/**
 * Count a transient bounce on UTC `day`; the TRANSIENT_BOUNCE_LIMIT-th distinct day within the
 * window withdraws the subscriber ('transient-bounces'). A day already counted changes nothing
 * (the same object is returned), so a redelivered event is harmless.
 */
export function recordTransientBounce(subscriber: Subscriber, day: string, at: string): Subscriber {
  const counted = subscriber.softBounceDays ?? [];
  if (isWithdrawn(subscriber) || counted.includes(day)) return subscriber;
  const all = [...counted, day].sort();
  const windowStart = addDays(all[all.length - 1]!, -(TRANSIENT_BOUNCE_LIMIT.withinDays - 1));
  const recent = all.filter((counted) => counted >= windowStart);
  if (recent.length >= TRANSIENT_BOUNCE_LIMIT.days) return withdraw(subscriber, 'transient-bounces', at);
  return { ...subscriber, softBounceDays: recent };
}

/**
 * A delivery on UTC `day` shows the mailbox works: transient bounces up to that day are forgotten
 * (later ones, from events that arrived out of order, stay). Unchanged records come back as the same object.
 */
export function recordDelivery(subscriber: Subscriber, day: string): Subscriber {
  const counted = subscriber.softBounceDays;
  if (isWithdrawn(subscriber) || !counted?.some((bounced) => bounced <= day)) return subscriber;
  const later = counted.filter((bounced) => bounced > day);
  if (later.length > 0) return { ...subscriber, softBounceDays: later };
  const { softBounceDays: _forgotten, ...rest } = subscriber;
  return rest;
}

/** A sign-up's consent at `at`, on the current form. */
const consentAt = (at: string): Consent => ({ signedUpAt: at, formVersion: FORM_VERSION });

/** A first sign-up of `email` at `at`: pending, unpaused, with its consent on the current form. */
export function newSubscriber(id: string, email: string, preferences: Preferences, at: string): Subscriber {
  return {
    id,
    email,
    status: 'pending',
    ...preferences,
    paused: false,
    consent: consentAt(at),
    createdAt: at,
    updatedAt: at,
  };
}

/** True when `a` and `b` are the same choices. */
const samePreferences = (a: Preferences, b: Preferences): boolean =>
  (Object.keys(DEFAULT_PREFERENCES) as Array<keyof Preferences>).every((key) => a[key] === b[key]);

/**
 * An address that already has a record signs up again at `at`, as asked at `requestedAt`. A
 * confirmed subscriber is left as it is (the same object), and so is one who withdrew after
 * `requestedAt`. Otherwise an unsubscribed one becomes pending with a new consent (links from
 * before stop working, see confirmSignUp), the old consent moving to the history. A pending one
 * always comes back as a new object, because writing it restarts the unconfirmed sign-up's expiry:
 * - while the first confirmation link is live, its settings stay: anyone can type an address, so
 *   a second sign-up must not decide what the owner's link confirms (the owner changes them
 *   after confirming);
 * - after that, new settings are taken with a new sign-up time, so every earlier link (which was
 *   sent for the old settings) stops working and only a link sent for these confirms them.
 */
export function signUpAgain(subscriber: Subscriber, preferences: Preferences, at: string, requestedAt: string = at): Subscriber {
  if (subscriber.status === 'confirmed') return subscriber;
  if (isWithdrawn(subscriber)) {
    // A sign-up sent before the withdrawal and worked through after it (a queued job) must not undo it.
    const withdrawnAt = subscriber.consent.withdrawnAt;
    if (withdrawnAt !== undefined && Date.parse(requestedAt) < Date.parse(withdrawnAt)) return subscriber;
    const renewed = { consent: consentAt(at), consentHistory: [...(subscriber.consentHistory ?? []), subscriber.consent] };
    return { ...subscriber, ...preferences, paused: false, status: 'pending', ...renewed };
  }
  const chosen = { ...preferences, paused: false };
  if (samePreferences(chosen, preferencesOf(subscriber))) return { ...subscriber };
  const firstLinkLive = Date.parse(at) < Date.parse(subscriber.consent.signedUpAt) + TOKEN_LIFETIMES_MS.confirm;
  if (firstLinkLive) return { ...subscriber };
  return { ...subscriber, ...chosen, consent: { ...subscriber.consent, signedUpAt: at } };
}

/**
 * Whether a link token issued at `issuedAt` comes from before the subscriber's latest sign-up, so
 * it was sent for an earlier consent. Compared in whole seconds, the resolution tokens carry.
 */
export function predatesConsent(subscriber: Pick<Subscriber, 'consent'>, issuedAt: Date): boolean {
  return issuedAt.getTime() < Math.floor(Date.parse(subscriber.consent.signedUpAt) / 1000) * 1000;
}

export type ConfirmResult = { ok: true; subscriber: Subscriber } | { ok: false; reason: 'superseded' };

/**
 * Confirm with a confirm token issued at `tokenIssuedAt`, at `at`. A confirmed subscriber comes
 * back as it is (the same object). Refused as superseded when the subscriber is withdrawn or the
 * token is older than the latest sign-up (whole seconds, as tokens carry them): an old link must
 * not undo an unsubscribe.
 */
export function confirmSignUp(subscriber: Subscriber, tokenIssuedAt: Date, at: string): ConfirmResult {
  if (predatesConsent(subscriber, tokenIssuedAt) || isWithdrawn(subscriber)) return { ok: false, reason: 'superseded' };
  if (subscriber.status === 'confirmed') return { ok: true, subscriber };
  return { ok: true, subscriber: { ...subscriber, status: 'confirmed', consent: { ...subscriber.consent, confirmedAt: at } } };
}

/**
 * The subscriber with `chosen` preferences (a field left out, or undefined, keeps its value). A
 * withdrawn subscriber is left as it is (the same object): only a new sign-up brings it back.
 */
export function changePreferences(subscriber: Subscriber, chosen: { [K in keyof Preferences]?: Preferences[K] | undefined }): Subscriber {
  if (isWithdrawn(subscriber)) return subscriber;
  const given = Object.fromEntries(Object.entries(chosen).filter(([, value]) => value !== undefined)) as Partial<Preferences>;
  return { ...subscriber, ...given };
}

/** Digests stop until resumed; the subscription stays. */
export const pause = (subscriber: Subscriber): Subscriber => changePreferences(subscriber, { paused: true });

export const resume = (subscriber: Subscriber): Subscriber => changePreferences(subscriber, { paused: false });

/** One digest a week instead of every day; a paused subscriber is resumed, since they asked for fewer emails, not none. */
export const switchToWeekly = (subscriber: Subscriber): Subscriber => changePreferences(subscriber, { frequency: 'weekly', paused: false });
