// The sign-up worker: a queued sign-up becomes a pending record (double opt-in) and a confirmation email, within the per-address limits.
import { utcDay } from '../core/day';
import { describeError } from '../core/errors';
import type { Subscriber } from '../core/model';
import { renderConfirmationEmail } from '../core/render/confirm-email';
import { classifySendError, describeSendError } from '../core/ses-errors';
import { readSignUpJob, type SignUpJob } from '../core/sign-up-job';
import { newSubscriber, signUpAgain, type Preferences } from '../core/subscription';
import { ConcurrentUpdateError, type ConfirmationLimits, type QueuedMessage } from '../ports';
import { signedLink } from './emailing';
import { changeSubscriber, type SubscriptionDeps } from './subscriptions';

/** At most one confirmation email per address per 10 minutes, and three a day. */
export const CONFIRMATION_LIMITS: ConfirmationLimits = { cooldownMs: 10 * 60_000, perDay: 3 };

/**
 * Run a batch of queued sign-ups one after another. Returns the ids to hand back to the queue for
 * a retry: jobs that cannot be read (retried, then dead-lettered where someone can look at them)
 * and jobs whose store calls failed. A failed confirmation email is not a failure here: subscribe
 * logs it and gives its slot back, so the visitor's next try sends it.
 */
export async function signUpBatch(deps: SubscriptionDeps, messages: QueuedMessage[]): Promise<{ retry: string[] }> {
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
 * confirmed one, or one that withdrew after `requestedAt`, is left as it is.
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
      subscriber = await changeSubscriber(deps, existing.id, (current, at) => signUpAgain(current, preferences, at, requestedAt));
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      // Other sign-ups for this address keep writing it; theirs send the email.
      deps.logger.info('sign-up lost a race for the same address', { subscriberId: existing.id });
      return;
    }
    if (!subscriber || subscriber.status !== 'pending') {
      deps.logger.info('sign-up left the subscriber unchanged', { subscriberId: existing.id, status: subscriber?.status ?? 'deleted' });
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
  const confirmUrl = signedLink(deps, '/confirm', { subscriberId: subscriber.id, purpose: 'confirm' }, now);
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
