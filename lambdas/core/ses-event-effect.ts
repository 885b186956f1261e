// What one SES event does to one subscriber: the rule behind the feedback loop, pure and idempotent.
import type { Subscriber } from './model';
import type { SesFeedback } from './ses-event';
import { isWithdrawn, recordDelivery, recordTransientBounce, withdraw } from './subscription';

export type FeedbackOutcome =
  /** Consent withdrawn now (permanent bounce, complaint, or the last of several transient bounces). */
  | 'withdrawn'
  /** A transient bounce counted, short of withdrawal. */
  | 'bounce-counted'
  /** A delivery cleared the transient bounces before it. */
  | 'bounces-forgotten'
  /** Nothing to change: a repeated event, or a delivery with nothing to clear. */
  | 'unchanged'
  | 'already-withdrawn'
  /** About an email sent under an earlier consent (before the latest sign-up): it cannot end this one. */
  | 'earlier-consent'
  /** An event that changes no record (send, reject, delivery delay, opens...). */
  | 'ignored';

/** SES's clock and ours may differ a little; an email sent this close before a sign-up still counts as after it. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Apply `feedback` to `subscriber` at `at` (ISO time). Returns the record to store (the same
 * object when nothing changes) and what happened. Applying the same event twice changes nothing
 * the second time: withdrawal keeps its first reason, and transient bounces count once per day.
 */
export function applySesFeedback(subscriber: Subscriber, feedback: SesFeedback, at: string): { subscriber: Subscriber; outcome: FeedbackOutcome } {
  const unchanged = (outcome: FeedbackOutcome) => ({ subscriber, outcome });
  if (!acts(feedback)) return unchanged('ignored');
  if (isWithdrawn(subscriber)) return unchanged('already-withdrawn');
  if (feedback.sentAt && Date.parse(feedback.sentAt) < Date.parse(subscriber.consent.signedUpAt) - CLOCK_SKEW_MS) {
    return unchanged('earlier-consent');
  }
  const day = (feedback.occurredAt ?? at).slice(0, 10);
  let next: Subscriber;
  if (feedback.type === 'complaint') next = withdraw(subscriber, 'complaint', at);
  else if (feedback.type === 'delivery') next = recordDelivery(subscriber, day);
  else if (feedback.bounceType === 'Permanent') next = withdraw(subscriber, 'bounce', at);
  else next = recordTransientBounce(subscriber, day, at);

  if (next === subscriber) return unchanged('unchanged');
  if (isWithdrawn(next)) return { subscriber: next, outcome: 'withdrawn' };
  return { subscriber: next, outcome: feedback.type === 'delivery' ? 'bounces-forgotten' : 'bounce-counted' };
}

/** Only bounces, complaints and deliveries change a subscriber. */
export function acts(feedback: SesFeedback): boolean {
  return feedback.type === 'bounce' || feedback.type === 'complaint' || feedback.type === 'delivery';
}
