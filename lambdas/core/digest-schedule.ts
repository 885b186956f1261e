// Who is due a digest at a given moment, for which local date, and which days of papers it covers.
import { receivesDigests } from './subscription';
import { addDays, daysBetween, utcDay } from './day';
import { localTimeIn } from './local-time';
import type { Subscriber } from './model';

/** A subscriber's digest for one local date: the unit the send ledger counts. */
export interface DigestJob {
  subscriberId: string;
  /** Subscriber-local date, YYYY-MM-DD. */
  localDate: string;
  /**
   * What the planner knew of the schedule: the sender picks the window of papers from it before it
   * reads the subscriber, so that read can be its only one, right before SES. Absent in jobs made
   * elsewhere; the sender then reads the subscriber for the window too.
   */
  planned?: DigestWindowFields | undefined;
}

/** What a digest's window of papers depends on. */
export interface DigestWindowFields {
  frequency: Subscriber['frequency'];
  lastDigestDate?: string | undefined;
}

/** How far back a digest looks when the subscriber has had none yet (or long ago). */
export const MAX_WINDOW_DAYS = 7;

/** What due-ness depends on: all the planner reads of a subscriber (the active index projects exactly this). */
export type DigestSchedule = Pick<Subscriber, 'id' | 'status' | 'paused' | 'frequency' | 'weekday' | 'hour' | 'timeZone' | 'lastDigestDate'>;

/**
 * The digest due for `subscriber` at `now`, or undefined. A daily digest is due once the local
 * hour reaches the chosen hour, so a missed hourly run catches up later that day; a weekly one
 * on the chosen weekday, or as soon as a week has passed without one. `ignoreHour` is the manual
 * "send today's digest now" of `npm run digest`.
 */
export function digestDue(subscriber: DigestSchedule, now: Date, ignoreHour = false): DigestJob | undefined {
  if (!receivesDigests(subscriber)) return undefined;
  const local = localTimeIn(now, subscriber.timeZone);
  if (subscriber.lastDigestDate !== undefined && subscriber.lastDigestDate >= local.date) return undefined;
  if (!ignoreHour && local.hour < subscriber.hour) return undefined;
  if (subscriber.frequency === 'weekly') {
    const weekSinceLast = subscriber.lastDigestDate === undefined || daysBetween(subscriber.lastDigestDate, local.date) >= 7;
    if (local.weekday !== subscriber.weekday && !weekSinceLast) return undefined;
  }
  return { subscriberId: subscriber.id, localDate: local.date };
}

/**
 * The UTC days of papers a digest at `now` draws from: since the last digest (that day included,
 * for papers listed after it went out), at most a week, at least yesterday and today. Papers
 * already sent are removed later by the ledger, so overlap here never repeats a paper.
 */
export function digestWindow(subscriber: DigestWindowFields, now: Date): string[] {
  const today = utcDay(now);
  const floor = subscriber.frequency === 'weekly' ? MAX_WINDOW_DAYS - 1 : 1;
  const sinceLast = subscriber.lastDigestDate === undefined ? floor : daysBetween(subscriber.lastDigestDate, today);
  const span = Math.min(MAX_WINDOW_DAYS - 1, Math.max(floor, sinceLast));
  const days: string[] = [];
  for (let back = span; back >= 0; back -= 1) days.push(addDays(today, -back));
  return days;
}
