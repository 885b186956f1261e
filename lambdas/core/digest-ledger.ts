// The send ledger's rules: what a (subscriber, local date) entry says about sending that day's digest, and which papers count as sent.
import type { Frequency } from './model';

/**
 * - sending: written just before SendEmail, with the papers about to go out.
 * - sent: SES accepted it (the sender saw the message id, or SES's Send event said so).
 * - empty: nothing to send that day, and the subscriber wants no empty digest.
 * - rejected: SES refused it for good; nothing went out.
 * - unknown: SES may or may not have taken it (no answer in time, or the sender died mid-send).
 */
export type DigestStatus = 'sending' | 'sent' | 'empty' | 'rejected' | 'unknown';

export interface DigestEntry {
  status: DigestStatus;
  /**
   * When the entry's status was last written (ISO): a `sending` entry's attempt, which identifies it;
   * rewritten when the day settles (sent, unknown), so not the moment the papers were selected.
   */
  at: string;
}

/**
 * What an attempt to send a day's digest finds in the ledger.
 * - free: no entry; the day may be sent.
 * - in-progress: another sender is sending it right now.
 * - abandoned: a sender began and was never heard from again within the lease: it died between
 *   writing `sending` and recording SES's answer. Whether SES took the email cannot be known
 *   here, so the day is closed as unknown, never sent again.
 */
export type DayState = 'free' | 'already-sent' | 'already-failed' | 'in-progress' | 'abandoned';

/** Seconds a `sending` entry may wait for SES's answer before it is declared abandoned: longer than any send takes. */
export const DEFAULT_CLAIM_LEASE_SECONDS = 900;

const SETTLED: Record<Exclude<DigestStatus, 'sending'>, DayState> = {
  sent: 'already-sent',
  empty: 'already-sent',
  rejected: 'already-failed',
  unknown: 'already-failed',
};

/** The state of the day an entry describes, at `now`, with a lease of `leaseMs`. */
export function dayState(entry: DigestEntry | undefined, now: Date, leaseMs: number): DayState {
  if (!entry) return 'free';
  if (entry.status !== 'sending') return SETTLED[entry.status];
  return now.getTime() - Date.parse(entry.at) >= leaseMs ? 'abandoned' : 'in-progress';
}

/**
 * Whether a digest's papers count as sent to its reader: any digest that may have reached them.
 * An unknown or interrupted send counts, so a paper is never repeated; a rejected one does not.
 */
export function mayHaveReachedReader(status: DigestStatus): boolean {
  return status === 'sending' || status === 'sent' || status === 'unknown';
}

/** Whether no write ever moves a day out of `status`: only `sending` and `unknown` may still become `sent`. */
export function isFinal(status: DigestStatus): boolean {
  return status !== 'sending' && status !== 'unknown';
}

/**
 * How a digest was made, kept with its `sending` entry so its web version can be made again from
 * the papers by id: the topics its why lines come from (as written then), its frequency, the first
 * and last UTC day of papers it drew from (its why lines place papers among them), and the moment
 * the papers were selected (`at` is rewritten as the day settles). Absent in older recipes.
 */
export interface DigestRecipe {
  topics: string;
  frequency: Frequency;
  windowFrom: string;
  windowTo: string;
  /** ISO time the papers were selected at (a replay's moment, not the clock's). */
  selectedAt?: string | undefined;
  /**
   * Per paper id, the reason the reader's feedback profile gave (`Like papers you marked: …`), only
   * for the papers that had one: the profile changes with every click, so it cannot be asked again.
   */
  profileReasons?: Readonly<Record<string, string>> | undefined;
}

/** Whether a day's digest has a web version: one that reached its reader, or may have. */
export function hasWebVersion(status: DigestStatus): boolean {
  return status === 'sent' || status === 'unknown';
}
