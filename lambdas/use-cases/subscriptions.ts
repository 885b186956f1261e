// Use cases of the sign-up site: request a sign-up (queued) and subscribe (double opt-in, the queue's worker), confirm, change preferences, unsubscribe.
import { renderConfirmationEmail } from '../core/render/confirm-email';
import type { Subscriber } from '../core/model';
import { verifyToken, type TokenPurpose } from '../core/tokens';
import { utcDay } from '../core/day';
import { describeError } from '../core/errors';
import { classifySendError, describeSendError } from '../core/ses-errors';
import { changePreferences, confirmSignUp, newSubscriber, pause, resume, signUpAgain, switchToWeekly, withdraw, type Preferences } from '../core/subscription';
import { readSignUpJob, type SignUpJob } from '../core/sign-up-job';
import { ConcurrentUpdateError, type Clock, type ConfirmationLimits, type ConfirmationThrottle, type Queue, type Sleep } from '../ports';
import { signedLink, type EmailingDeps } from './emailing';

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

/** At most one confirmation email per address per 10 minutes, and three a day. */
export const CONFIRMATION_LIMITS: ConfirmationLimits = { cooldownMs: 10 * 60_000, perDay: 3 };

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
 * A withdrawal must win against any number of racing saves: it keeps trying much longer and
 * comes back sooner than they do. Each of its conflicts means another write succeeded, so a
 * bounded number of racers cannot outlast this budget.
 */
export const WITHDRAWAL_RETRY: ChangeRetry = { attempts: 30, baseMs: 2, capMs: 40 };

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
 * sign-up worker runs `subscribe` on the job.
 */
export async function requestSignUp(deps: SignUpRequestDeps, email: string, preferences: Preferences): Promise<void> {
  await deps.signUps.enqueue([{ email, preferences, requestedAt: deps.clock.now().toISOString() }]);
}

/** One queued message: the queue's id for it and its body (a SignUpJob as JSON). */
export interface QueuedSignUp {
  id: string;
  body: string;
}

/**
 * Run a batch of queued sign-ups one after another. Returns the ids to hand back to the queue for
 * a retry: jobs that cannot be read (retried, then dead-lettered where someone can look at them)
 * and jobs whose store calls failed. A failed confirmation email is not a failure here: subscribe
 * logs it and gives its slot back, so the visitor's next try sends it.
 */
export async function signUpBatch(deps: SubscriptionDeps, messages: QueuedSignUp[]): Promise<{ retry: string[] }> {
  const retry: string[] = [];
  for (const message of messages) {
    const reading = readSignUpJob(message.body);
    if (!reading.ok) {
      deps.logger.error('sign-up job unreadable', { messageId: message.id, problem: reading.problem });
      retry.push(message.id);
      continue;
    }
    try {
      await runSignUpJob(deps, reading.job);
    } catch (error) {
      deps.logger.error('sign-up job failed', { messageId: message.id, ...describeError(error) });
      retry.push(message.id);
    }
  }
  return { retry };
}

/** The sign-up worker's step for one job (the SQS consumer's, and the local stack's in-process queue's). */
export function runSignUpJob(deps: SubscriptionDeps, job: SignUpJob): Promise<void> {
  return subscribe(deps, job.email, job.preferences, job.requestedAt);
}

/**
 * Sign `email` up with `preferences`, as the visitor asked at `requestedAt` (the consent time of a
 * new record; now when not given). The caller shows the same answer whatever happens here, so
 * nobody can learn whether an address is subscribed. A new or unsubscribed address becomes
 * pending and gets a confirmation email (within CONFIRMATION_LIMITS); a pending one gets the email
 * again, its settings changing only once its first link has expired (core's signUpAgain); a
 * confirmed one is left as it is.
 */
export async function subscribe(deps: SubscriptionDeps, email: string, preferences: Preferences, requestedAt?: string): Promise<void> {
  const fresh = newSubscriber(deps.newId(), email, preferences, requestedAt ?? deps.clock.now().toISOString());
  let subscriber: Subscriber | undefined = fresh;
  if (!(await deps.subscribers.create(fresh))) {
    const existing = await deps.subscribers.findByEmail(email);
    if (!existing) {
      // Another sign-up for this address is being written at this moment; it sends the email.
      deps.logger.info('sign-up raced another for the same address');
      return;
    }
    try {
      subscriber = await changeSubscriber(deps, existing.id, (current, at) => signUpAgain(current, preferences, at));
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      // Other sign-ups for this address keep writing it; theirs send the email.
      deps.logger.info('sign-up lost a race for the same address', { subscriberId: existing.id });
      return;
    }
    if (!subscriber || subscriber.status !== 'pending') {
      deps.logger.info('sign-up for a confirmed subscriber left unchanged', { subscriberId: existing.id });
      return;
    }
  }
  await sendConfirmation(deps, subscriber);
}

/**
 * The confirmation email, within the per-address limits; a failed send gives its slot back and is
 * logged, never shown. The record is read again right before SES: a sign-up withdrawn meanwhile
 * (a bounce, a complaint, an unsubscribe) or already confirmed gets no email.
 */
async function sendConfirmation(deps: SubscriptionDeps, subscriber: Subscriber): Promise<void> {
  if (!(await deps.confirmationThrottle.claim(subscriber.email, CONFIRMATION_LIMITS))) {
    deps.logger.info('confirmation email held back by the per-address limit', { subscriberId: subscriber.id });
    return;
  }
  const now = deps.clock.now();
  const confirmUrl = signedLink(deps, '/confirm', 'confirm', subscriber.id, now);
  const message = renderConfirmationEmail({ address: subscriber.email, confirmUrl, postalAddress: deps.postalAddress });
  const current = await deps.subscribers.get(subscriber.id);
  if (current?.status !== 'pending') {
    await deps.confirmationThrottle.release(subscriber.email);
    deps.logger.info('confirmation email held back: the sign-up is no longer pending', { subscriberId: subscriber.id, status: current?.status ?? 'deleted' });
    return;
  }
  try {
    const messageId = await deps.mailer.send({
      to: current.email,
      ...message,
      headers: {},
      tags: { subscriber: subscriber.id, kind: 'confirmation', localDate: utcDay(now) },
    });
    deps.metrics.count('ConfirmationsSent');
    deps.logger.info('confirmation email sent', { subscriberId: subscriber.id, messageId });
  } catch (error) {
    // The answer stays the same 202 (a different one would tell a stranger the address is new);
    // the slot goes back so the visitor's next try sends the email, unless SES refused the address for good.
    if (classifySendError(error) !== 'rejected') await deps.confirmationThrottle.release(subscriber.email);
    deps.logger.error('confirmation email failed', { subscriberId: subscriber.id, ...describeSendError(error) });
  }
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
export type PreferencesChange = { action: 'pause' | 'resume' | 'weekly' } | { action: 'save'; preferences: Partial<Preferences> };

const PREFERENCES_ACTIONS = { pause, resume, weekly: switchToWeekly } as const;

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
