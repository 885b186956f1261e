// Use cases of the sign-up site: request a sign-up (queued for the worker in sign-ups.ts), confirm, change preferences, unsubscribe.
import { forgetFeedback } from '../core/feedback-profile';
import type { Subscriber } from '../core/model';
import { verifyToken, type TokenPurpose } from '../core/tokens';
import { changePreferences, confirmSignUp, pause, resume, switchToWeekly, withdraw, type Preferences } from '../core/subscription';
import type { SignUpJob } from '../core/sign-up-job';
import { ConcurrentUpdateError, type Clock, type ConfirmationThrottle, type Queue, type Sleep } from '../ports';
import type { EmailingDeps } from './emailing';

export interface SubscriptionDeps extends EmailingDeps {
  newId: () => string;
  /** Waits between the tries of a change that lost a race. */
  sleep: Sleep;
  confirmationThrottle: ConfirmationThrottle;
}

/**
 * What the site's own use cases need (confirm, preferences, unsubscribe): the store and the
 * keyring, no mailer. The api function has exactly these; sending belongs to the sign-up worker.
 */
export type SubscriberChangeDeps = Pick<SubscriptionDeps, 'subscribers' | 'keyring' | 'clock' | 'logger' | 'sleep'>;

/** What a sign-up request needs: the queue the sign-up worker reads, and the time to stamp on the job. */
export interface SignUpRequestDeps {
  signUps: Queue<SignUpJob>;
  clock: Clock;
}

export type TokenFailure = 'invalid' | 'expired';

export type SubscriberLookup = { ok: true; subscriber: Subscriber } | { ok: false; reason: TokenFailure };

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

/** How often, and how patiently, a read-change-write tries again on a record that keeps changing underneath. */
export interface ChangeRetry {
  attempts: number;
  /** The wait before retry k is uniform in [0, min(capMs, baseMs * 2^(k-1))) ("full jitter"), so racers spread out. */
  baseMs: number;
  capMs: number;
}

/** Preference saves, confirmations, sign-ups: a few tries, backing off so a racing withdrawal gets through. */
export const CHANGE_RETRY: ChangeRetry = { attempts: 5, baseMs: 10, capMs: 200 };

/**
 * A withdrawal must win against racing saves: it keeps trying much longer and comes back sooner
 * than they do. Each of its conflicts means another write succeeded, so it loses only to as many
 * writes as the budget; 100 outlasts eight visitors saving continuously (the contention test)
 * even on a loaded machine, where 30 lost now and then, and costs at most ~2 s of waits.
 */
export const WITHDRAWAL_RETRY: ChangeRetry = { attempts: 100, baseMs: 2, capMs: 40 };

const jitteredWaitMs = (retry: ChangeRetry, attempt: number) => Math.random() * Math.min(retry.capMs, retry.baseMs * 2 ** (attempt - 1));

/**
 * Read subscriber `id`, apply `change` and write the result only if nobody wrote in between
 * (optimistic locking on updatedAt); on a conflict, wait a jittered backoff, read again and
 * reapply, up to `retry.attempts` times. `change` returns `current` itself (as core's transitions
 * do when nothing changes) to leave the record as it is. Returns the record as stored afterwards.
 */
export async function changeSubscriber(
  deps: Pick<SubscriberChangeDeps, 'subscribers' | 'clock' | 'sleep'>,
  id: string,
  change: (current: Subscriber, now: string) => Subscriber,
  retry: ChangeRetry = CHANGE_RETRY,
): Promise<Subscriber | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.subscribers.get(id);
    if (!current) return undefined;
    // Strictly later than the stored time, so the next conditional write always sees a change.
    const now = new Date(Math.max(deps.clock.now().getTime(), Date.parse(current.updatedAt) + 1)).toISOString();
    const next = change(current, now);
    if (next === current) return current;
    const updated = { ...next, updatedAt: now };
    try {
      await deps.subscribers.put(updated, current.updatedAt);
      return updated;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= retry.attempts) throw error;
    }
    await deps.sleep(jitteredWaitMs(retry, attempt));
  }
}

/**
 * Queue a sign-up of `email` (normalised) with `preferences`: one enqueue and nothing else,
 * whatever the address's state, so every answer to the form comes after the same work and a
 * stranger cannot time the difference between a new, a pending and a confirmed address. The
 * sign-up worker (sign-ups.ts) runs `subscribe` on the job.
 */
export async function requestSignUp(deps: SignUpRequestDeps, email: string, preferences: Preferences): Promise<void> {
  await deps.signUps.enqueue([{ email, preferences, requestedAt: deps.clock.now().toISOString() }]);
}

export type ConfirmOutcome = { ok: true; subscriber: Subscriber } | { ok: false; reason: TokenFailure | 'superseded' };

/**
 * Confirm the subscription a confirm token names. Idempotent for a confirmed subscriber; refused
 * for a token from before the latest sign-up (an old link must not undo an unsubscribe).
 */
export async function confirm(deps: SubscriberChangeDeps, token: unknown): Promise<ConfirmOutcome> {
  const found = await subscriberForToken(deps, token, 'confirm');
  if (!found.ok) return found;
  const issuedAt = found.issuedAt!;
  let refused = false;
  const result = await changeSubscriber(deps, found.subscriber.id, (current, at) => {
    const outcome = confirmSignUp(current, issuedAt, at);
    refused = !outcome.ok;
    return outcome.ok ? outcome.subscriber : current;
  });
  if (!result || refused) return { ok: false, reason: result ? 'superseded' : 'invalid' };
  deps.logger.info('subscription confirmed', { subscriberId: result.id });
  return { ok: true, subscriber: result };
}

/** A change to a subscriber's preferences: the preferences page's and the unsubscribe page's actions. */
export type PreferencesChange = { action: 'pause' | 'resume' | 'weekly' | 'forget-feedback' } | { action: 'save'; preferences: Partial<Preferences> };

const PREFERENCES_ACTIONS = { pause, resume, weekly: switchToWeekly, 'forget-feedback': forgetFeedback } as const;

/** Apply `change` to the record as it is now; unsubscribed records stay as they are. */
export async function updatePreferences(deps: SubscriberChangeDeps, subscriberId: string, change: PreferencesChange): Promise<Subscriber | undefined> {
  const transition = change.action === 'save' ? (current: Subscriber) => changePreferences(current, change.preferences) : PREFERENCES_ACTIONS[change.action];
  const updated = await changeSubscriber(deps, subscriberId, transition);
  if (updated) deps.logger.info('preferences saved', { subscriberId, paused: updated.paused, frequency: updated.frequency });
  return updated;
}

/** Unsubscribe at once; idempotent. The record stays (with the withdrawal time and reason) so the consent history is kept. */
export async function unsubscribe(deps: SubscriberChangeDeps, subscriberId: string): Promise<void> {
  await changeSubscriber(deps, subscriberId, (current, at) => withdraw(current, 'unsubscribed', at), WITHDRAWAL_RETRY);
  deps.logger.info('unsubscribed', { subscriberId });
}
