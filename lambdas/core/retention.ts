// How long each kind of stored item is kept before DynamoDB's TTL deletes it (stated in the README's "Data retention").
import { DAY_MS } from './day';
import { MAX_WINDOW_DAYS } from './digest-schedule';
import { TOKEN_LIFETIMES_MS } from './tokens';

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

/**
 * Days a digest's web version must still be made after its papers were listed: its link works
 * TOKEN_LIFETIMES_MS.view after the send (a year), and the papers it drew from were listed up to
 * MAX_WINDOW_DAYS before it. Its ledger entry, its papers and their day listings all outlive that.
 */
export const WEB_VERSION_READ_DAYS = Math.ceil(TOKEN_LIFETIMES_MS.view / DAY_MS) + MAX_WINDOW_DAYS;

/** A digest's ledger entry (its status, papers and how it was made) is kept this long after it is written. */
export const DIGEST_RETENTION_DAYS = 400;

/** A day's listing (which papers it listed) is kept this long after the day: the daily page and a digest's web version read it. */
export const DAY_LISTING_RETENTION_DAYS = 400;

/** A paper record is kept this long after the last day it was listed: a year-old digest still shows it, and it outlives its listings. */
export const PAPER_RETENTION_DAYS = DAY_LISTING_RETENTION_DAYS + 30;

/** The instant `days` after `from`. */
export function daysLater(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
