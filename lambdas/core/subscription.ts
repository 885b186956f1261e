// The subscriber's lifecycle transitions that unsubscribes and SES feedback share: withdrawal and transient-bounce bookkeeping.
import { addDays } from './day';
import type { Subscriber, WithdrawalReason } from './model';

/**
 * A mailbox that refuses mail on this many distinct days within this many days (with no delivery
 * in between) is given up on. One bad day (a full mailbox, a server down) is not enough.
 */
export const TRANSIENT_BOUNCE_LIMIT = { days: 3, withinDays: 14 } as const;

/** True once consent is withdrawn, whatever the reason: no email of any kind goes out. */
export function isWithdrawn(subscriber: Subscriber): boolean {
  return subscriber.status === 'unsubscribed';
}

/** Confirmed and not paused: the only state in which a digest goes out. */
export function receivesDigests(subscriber: Subscriber): boolean {
  return subscriber.status === 'confirmed' && !subscriber.paused;
}

/**
 * Withdraw the subscriber's consent at `at` (ISO time) for `reason`. A subscriber already
 * withdrawn is returned as it is (the same object), so the first reason stays and a repeat is a no-op.
 */
export function withdraw(subscriber: Subscriber, reason: WithdrawalReason, at: string): Subscriber {
  if (isWithdrawn(subscriber)) return subscriber;
  const { softBounceDays: _counted, ...rest } = subscriber;
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
