// How long each kind of stored item is kept before DynamoDB's TTL deletes it (stated in the README's "Data retention").
import { DAY_MS } from './day';
import { MAX_WINDOW_DAYS } from './digest-schedule';

/** A sign-up never confirmed is deleted this long after its last sign-up (its confirm link lives 7 days). */
export const PENDING_SIGN_UP_RETENTION_DAYS = 30;

/** A confirmation-email throttle counts per UTC day and a 10-minute cooldown; two days covers both. */
export const CONFIRMATION_THROTTLE_RETENTION_DAYS = 2;

/**
 * A paper sent to a subscriber is remembered this long. A digest draws from at most
 * MAX_WINDOW_DAYS of listings, and a paper may be listed again later (Hugging Face often lists it
 * a week or two after arXiv did), so the record outlives the window by three more windows.
 */
export const SENT_PAPER_RETENTION_DAYS = 4 * MAX_WINDOW_DAYS;

/** The instant `days` after `from`. */
export function daysLater(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
