// Use cases of the sign-up site: subscribe (double opt-in), confirm, change preferences, unsubscribe.
import { renderConfirmationEmail } from '../core/render/confirm-email';
import type { Frequency, Subscriber } from '../core/model';
import { signToken, verifyToken, type Keyring, type TokenPurpose } from '../core/tokens';
import type { Clock, ConfirmationLimits, Logger, Mailer, SubscriberStore } from '../ports';

export interface SubscriptionDeps {
  subscribers: SubscriberStore;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  keyring: Keyring;
  publicBaseUrl: string;
  postalAddress: string;
  newId: () => string;
}

/** Version of the sign-up form whose wording the consent record refers to. */
export const FORM_VERSION = 'signup-2026-11';

/** At most one confirmation email per address per 10 minutes, and three a day. */
export const CONFIRMATION_LIMITS: ConfirmationLimits = { cooldownMs: 10 * 60_000, perDay: 3 };

/** What a subscriber chooses on the forms. */
export interface Preferences {
  topics: string;
  frequency: Frequency;
  weekday: number;
  hour: number;
  timeZone: string;
  maxPapers: number;
  paused: boolean;
}

export const DEFAULT_PREFERENCES: Omit<Preferences, 'timeZone'> & { timeZone: string } = {
  topics: '',
  frequency: 'daily',
  weekday: 1,
  hour: 7,
  timeZone: 'UTC',
  maxPapers: 10,
  paused: false,
};

export type TokenFailure = 'invalid' | 'expired';

export type SubscriberLookup = { ok: true; subscriber: Subscriber } | { ok: false; reason: TokenFailure };

/** The link a token of `purpose` goes to, for `subscriberId`, signed now. */
export function signedLink(deps: Pick<SubscriptionDeps, 'keyring' | 'publicBaseUrl' | 'clock'>, path: string, purpose: TokenPurpose, subscriberId: string): string {
  return `${deps.publicBaseUrl}${path}?token=${signToken(deps.keyring, { subscriberId, purpose }, deps.clock.now())}`;
}

/** The subscriber a token of `purpose` names, or why it cannot be used. */
export async function subscriberForToken(
  deps: Pick<SubscriptionDeps, 'subscribers' | 'keyring' | 'clock'>,
  token: unknown,
  purpose: TokenPurpose,
): Promise<SubscriberLookup & { issuedAt?: Date }> {
  const check = verifyToken(deps.keyring, token, purpose, deps.clock.now());
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'invalid' };
  const subscriber = await deps.subscribers.get(check.subscriberId);
  if (!subscriber) return { ok: false, reason: 'invalid' };
  return { ok: true, subscriber, issuedAt: check.issuedAt };
}

/**
 * Sign `email` up with `preferences`. The caller shows the same answer whatever happens here, so
 * nobody can learn whether an address is subscribed. A new or unsubscribed address becomes
 * pending and gets a confirmation email (within CONFIRMATION_LIMITS); a pending one gets its
 * preferences updated and the email again; a confirmed one is left as it is.
 */
export async function subscribe(deps: SubscriptionDeps, email: string, preferences: Preferences): Promise<void> {
  const now = deps.clock.now().toISOString();
  const fresh: Subscriber = {
    id: deps.newId(),
    email,
    status: 'pending',
    ...preferences,
    paused: false,
    sendEmptyDigest: false,
    consent: { signedUpAt: now, formVersion: FORM_VERSION },
    createdAt: now,
    updatedAt: now,
  };
  let subscriber = fresh;
  if (!(await deps.subscribers.create(fresh))) {
    const existing = await deps.subscribers.findByEmail(email);
    if (!existing) {
      // Another sign-up for this address is being written at this moment; it sends the email.
      deps.logger.info('sign-up raced another for the same address');
      return;
    }
    if (existing.status === 'confirmed') {
      deps.logger.info('sign-up for a confirmed subscriber left unchanged', { subscriberId: existing.id });
      return;
    }
    subscriber = {
      ...existing,
      ...preferences,
      paused: false,
      status: 'pending',
      // Signing up again after unsubscribing is a new consent: links from before stop working (see
      // confirm). A pending address keeps its sign-up, so the first email's link still works.
      consent: existing.status === 'unsubscribed' ? { signedUpAt: now, formVersion: FORM_VERSION } : existing.consent,
      updatedAt: now,
    };
    await deps.subscribers.put(subscriber);
  }
  if (!(await deps.subscribers.claimConfirmationEmail(subscriber.email, CONFIRMATION_LIMITS))) {
    deps.logger.info('confirmation email held back by the per-address limit', { subscriberId: subscriber.id });
    return;
  }
  const confirmUrl = signedLink(deps, '/confirm', 'confirm', subscriber.id);
  const message = renderConfirmationEmail({ address: subscriber.email, confirmUrl, postalAddress: deps.postalAddress });
  const messageId = await deps.mailer.send({ to: subscriber.email, ...message, headers: {} });
  deps.logger.info('confirmation email sent', { subscriberId: subscriber.id, messageId });
}

export type ConfirmOutcome = { ok: true; subscriber: Subscriber } | { ok: false; reason: TokenFailure | 'superseded' };

/**
 * Confirm the subscription a confirm token names. Idempotent for a confirmed subscriber; refused
 * for a token from before the latest sign-up (an old link must not undo an unsubscribe).
 */
export async function confirm(deps: SubscriptionDeps, token: unknown): Promise<ConfirmOutcome> {
  const found = await subscriberForToken(deps, token, 'confirm');
  if (!found.ok) return found;
  const { subscriber, issuedAt } = found;
  const signedUpSecond = Math.floor(Date.parse(subscriber.consent.signedUpAt) / 1000) * 1000;
  if (!issuedAt || issuedAt.getTime() < signedUpSecond) return { ok: false, reason: 'superseded' };
  if (subscriber.status === 'confirmed') return { ok: true, subscriber };
  if (subscriber.status === 'unsubscribed') return { ok: false, reason: 'superseded' };
  const now = deps.clock.now().toISOString();
  const confirmed: Subscriber = {
    ...subscriber,
    status: 'confirmed',
    consent: { ...subscriber.consent, confirmedAt: now },
    updatedAt: now,
  };
  await deps.subscribers.put(confirmed);
  deps.logger.info('subscription confirmed', { subscriberId: subscriber.id });
  return { ok: true, subscriber: confirmed };
}

/** Save new preferences for a confirmed or pending subscriber. */
export async function updatePreferences(deps: SubscriptionDeps, subscriber: Subscriber, preferences: Preferences): Promise<Subscriber> {
  const updated: Subscriber = { ...subscriber, ...preferences, updatedAt: deps.clock.now().toISOString() };
  await deps.subscribers.put(updated);
  deps.logger.info('preferences saved', { subscriberId: subscriber.id, paused: updated.paused, frequency: updated.frequency });
  return updated;
}

/** Unsubscribe at once; idempotent. The record stays (with the withdrawal time) so the consent history is kept. */
export async function unsubscribe(deps: SubscriptionDeps, subscriber: Subscriber): Promise<void> {
  if (subscriber.status === 'unsubscribed') return;
  const now = deps.clock.now().toISOString();
  await deps.subscribers.put({
    ...subscriber,
    status: 'unsubscribed',
    consent: { ...subscriber.consent, withdrawnAt: now },
    updatedAt: now,
  });
  deps.logger.info('unsubscribed', { subscriberId: subscriber.id });
}
