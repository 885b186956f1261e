// Use case: apply SES's bounces, complaints and deliveries to the subscribers they concern (the feedback loop), and settle digests from SES's Send events.
import { applySesFeedback, acts, type FeedbackOutcome } from '../core/ses-event-effect';
import { parseSesEvents, type SesFeedback } from '../core/ses-event';
import type { Clock, Ledger, Logger, Metrics, Sleep, SubscriberStore } from '../ports';
import { changeSubscriber, WITHDRAWAL_RETRY } from './subscriptions';

export interface SesEventsDeps {
  subscribers: SubscriberStore;
  /** Settled from Send events: a digest whose sender never recorded SES's answer. */
  ledger: Ledger;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Waits between the tries of a withdrawal that lost a race. */
  sleep: Sleep;
}

/** Thrown after the readable parts of an event were applied, naming the parts that were not (never their content). */
export class SesEventFormatError extends Error {
  override readonly name = 'SesEventFormatError';
}

export interface SesEventsSummary {
  events: number;
  /** How each (event, subscriber) pair ended. */
  outcomes: Partial<Record<FeedbackOutcome | 'unknown-subscriber', number>>;
  /** Digests recorded as sent from their Send event because their sender had not recorded it. */
  reconciled: number;
}

/**
 * Apply an SES event (EventBridge) or a batch of them (SNS). The subscriber is the one the email's
 * `subscriber` tag names (however many recipients the event lists); an untagged email's recipients
 * are looked up by address. Unknown and already-withdrawn subscribers are acknowledged and logged.
 * Every transition is idempotent, so a redelivered event changes nothing. Parts that cannot be read
 * are reported by throwing SesEventFormatError once the rest is done, so the event is retried and
 * then kept in the dead-letter queue rather than lost.
 */
export async function handleSesEvents(deps: SesEventsDeps, input: unknown): Promise<SesEventsSummary> {
  const { feedback, problems } = parseSesEvents(input);
  const summary: SesEventsSummary = { events: feedback.length, outcomes: {}, reconciled: 0 };
  for (const event of feedback) {
    countFeedback(deps.metrics, event);
    if (await reconcileDigest(deps, event)) {
      summary.reconciled += 1;
      continue;
    }
    if (!acts(event)) {
      deps.logger.info('SES event needs no change', { eventId: event.eventId, type: event.type, subscriberId: event.subscriberId });
      continue;
    }
    for (const outcome of await applyToSubscribers(deps, event)) summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
  }
  if (problems.length > 0) {
    deps.logger.error('SES event parts unreadable', { problems });
    throw new SesEventFormatError(`unreadable SES event parts: ${problems.join(' | ')}`);
  }
  return summary;
}

/**
 * A digest's Send event proves SES took it. The sender records that itself; the event matters
 * when it could not (it died, or SES's answer never reached it), and turns that day from
 * `sending` or `unknown` into `sent`. Idempotent: a repeated event finds the day sent.
 */
async function reconcileDigest(deps: SesEventsDeps, event: SesFeedback): Promise<boolean> {
  if (event.type !== 'send' || event.kind !== 'digest' || !event.subscriberId || !event.localDate || !event.messageId) return false;
  if (!(await deps.ledger.reconcileSent(event.subscriberId, event.localDate, event.messageId))) return false;
  // Usually the event only beats the sender's own record by a few milliseconds; after a crash it is the only record.
  deps.logger.info('digest day recorded as sent from its SES Send event (its sender had not recorded it yet, or could not)', {
    eventId: event.eventId,
    subscriberId: event.subscriberId,
    localDate: event.localDate,
  });
  return true;
}

function countFeedback(metrics: Metrics, event: SesFeedback): void {
  if (event.type === 'bounce') metrics.count('Bounces');
  if (event.type === 'complaint') metrics.count('Complaints');
}

async function applyToSubscribers(deps: SesEventsDeps, event: SesFeedback): Promise<Array<FeedbackOutcome | 'unknown-subscriber'>> {
  const logged = { eventId: event.eventId, type: event.type, bounceType: event.bounceType, kind: event.kind, localDate: event.localDate };
  const unknown = (subscriberId?: string) => {
    deps.logger.warn('SES event for no known subscriber; acknowledged', { ...logged, subscriberId, recipients: event.recipients.length });
    return 'unknown-subscriber' as const;
  };
  const ids = await subscriberIdsFor(deps, event);
  if (ids.length === 0) return [unknown()];
  const outcomes: Array<FeedbackOutcome | 'unknown-subscriber'> = [];
  for (const id of ids) {
    const seen: { outcome?: FeedbackOutcome } = {};
    // A bounce or complaint withdraws: it gets the withdrawal's retries, so racing saves cannot starve it.
    const stored = await changeSubscriber(
      deps,
      id,
      (current, at) => {
        const applied = applySesFeedback(current, event, at);
        seen.outcome = applied.outcome;
        return applied.subscriber;
      },
      WITHDRAWAL_RETRY,
    );
    if (!stored || !seen.outcome) {
      outcomes.push(unknown(id));
      continue;
    }
    deps.logger[seen.outcome === 'withdrawn' ? 'warn' : 'info'](`SES ${event.type}: ${seen.outcome}`, { ...logged, subscriberId: id });
    outcomes.push(seen.outcome);
  }
  return outcomes;
}

/** The tagged subscriber, or else whoever owns each recipient address (each once). */
async function subscriberIdsFor(deps: SesEventsDeps, event: SesFeedback): Promise<string[]> {
  if (event.subscriberId) return [event.subscriberId];
  const owners = await Promise.all(event.recipients.map((address) => deps.subscribers.findByEmail(address)));
  return [...new Set(owners.flatMap((owner) => (owner ? [owner.id] : [])))];
}
