// The interfaces the use cases need; adapters (DynamoDB, SES, HTTP, in-process) implement them.
import type { DigestEntry, DigestRecipe } from './core/digest-ledger';
import type { DigestSchedule } from './core/digest-schedule';
import type { ArxivRecord, EmailTags, Paper, SkippedItem, SourceBatch, Subscriber } from './core/model';
import type { Keyring } from './core/tokens';

/** A source of papers (Hugging Face daily papers, arXiv API, or recorded responses). */
export interface PaperSource {
  readonly name: string;
  /**
   * Fetch the papers this source lists for `day` (YYYY-MM-DD, UTC). Malformed items are skipped
   * and reported in the batch; a source that cannot be reached at all throws. A paper the source
   * lists twice is in the batch twice: the fetch use case merges by id across every source.
   */
  fetchDay(day: string): Promise<SourceBatch>;
}

/** What one metadata lookup found. */
export interface MetadataLookup {
  found: ArxivRecord[];
  /** Ids whose request failed (after the HTTP client's retries); they stay without categories. */
  failed: string[];
  /** Why requests failed, one line each (an error's name and message, never feed text). */
  errors: string[];
}

/** arXiv's API asked by `id_list` (or recorded answers to it), for papers only Hugging Face listed. */
export interface MetadataSource {
  readonly name: string;
  /**
   * Look up `ids` (no version, each once), in as many paced requests as it takes. Never throws for
   * a failed request: its ids are reported in `failed` and the rest are still looked up. An id arXiv
   * does not know is in neither list.
   */
  lookup(ids: string[]): Promise<MetadataLookup>;
}

/** What putDay did with a day's papers. */
export interface StoredDay {
  /** Records written. */
  stored: number;
  /** Papers the store refused one by one (too large for an item), each named; the rest were stored. */
  skipped: SkippedItem[];
}

export interface PaperStore {
  /**
   * Store (merge) the papers listed on `day`. The batch holds each paper id once: callers merge
   * duplicates first (the fetch use case does, across sources). A paper the store cannot hold is
   * skipped and reported, never the whole day.
   */
  putDay(day: string, papers: Paper[]): Promise<StoredDay>;
  /**
   * All papers listed on any of `days`, each paper once. The array and its papers may be shared
   * with later calls (a store caches them while the days are unchanged): never modify them.
   */
  papersForDays(days: string[]): Promise<readonly Paper[]>;
  /** The stored records of `ids` that exist, whatever day listed them. */
  papersById(ids: string[]): Promise<Paper[]>;
}

/** Subscribers, keyed by id, findable by email. */
export interface SubscriberStore {
  get(id: string): Promise<Subscriber | undefined>;
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /** Create a subscriber; fails (returns false) when the id or email already exists. */
  create(subscriber: Subscriber): Promise<boolean>;
  /**
   * Replace a subscriber record (the caller read it first). With `ifUpdatedAt`, only if the stored
   * record's updatedAt still equals it; otherwise throws ConcurrentUpdateError and writes nothing.
   */
  put(subscriber: Subscriber, ifUpdatedAt?: string): Promise<void>;
  /** The schedule of every confirmed, unpaused subscriber: only what deciding who is due needs. */
  listSchedules(): Promise<DigestSchedule[]>;
  /** Record the local date of the digest just sent, touching no other attribute. */
  markDigestSent(id: string, localDate: string): Promise<void>;
}

/** Thrown by SubscriberStore.put with `ifUpdatedAt` when the record changed since it was read. */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
  constructor(subscriberId: string) {
    super(`subscriber ${subscriberId} changed since it was read`);
  }
}

/** How often one address may be sent a confirmation email. */
export interface ConfirmationLimits {
  cooldownMs: number;
  perDay: number;
}

/** Limits the confirmation emails sent to one address, so a sign-up form cannot be used to flood a mailbox. */
export interface ConfirmationThrottle {
  /**
   * Take a slot to send a confirmation email to `email` (compared case-insensitively), within
   * `limits`; false when the address had one too recently. Atomic across concurrent callers.
   */
  claim(email: string, limits: ConfirmationLimits): Promise<boolean>;
  /** Give back the slot of a confirmation email that could not be sent, so a retry may send it. */
  release(email: string): Promise<void>;
}

/** What the ledger holds for a subscriber: the day asked about, and the papers of their recent digests. */
export interface DigestHistory {
  /** The entry of the day asked about, if there is one. */
  day?: DigestEntry;
  /** Papers of every digest of the last SENT_PAPER_RETENTION_DAYS that may have reached the subscriber. */
  sentPaperIds: Set<string>;
  /** Earlier days still `sending`: a sender died mid-send and no later delivery of that day came to close it. */
  earlierSending: Array<{ date: string; at: string }>;
}

/** A day's ledger entry as a digest's web version reads it. */
export interface SentDigest extends DigestEntry {
  paperIds: string[];
  /** Absent for entries written before recipes were kept. */
  recipe?: DigestRecipe;
}

/**
 * The send ledger: one entry per subscriber per local date, holding the digest's status and its
 * papers in one item, so a day and the papers it sent are recorded together. Every write that
 * starts a day is conditional on the day having no entry, so the same day never sends twice.
 */
export interface Ledger {
  /** The entry for `date` and the papers sent in the subscriber's digests up to it. */
  history(subscriberId: string, date: string): Promise<DigestHistory>;
  /**
   * Written just before SendEmail: the day is `sending` these papers. Returns the entry's `at`
   * (which names this attempt), or undefined when the day already has an entry.
   */
  beginSend(subscriberId: string, date: string, paperIds: string[], recipe?: DigestRecipe): Promise<string | undefined>;
  /** The day's entry with its papers (in the digest's order) and recipe, for the digest's web version; an eventually consistent read. */
  sentDigest(subscriberId: string, date: string): Promise<SentDigest | undefined>;
  /** SES took the email: the day is sent. Unconditional, since the email has left whatever the entry says now. */
  markSent(subscriberId: string, date: string, messageId: string): Promise<void>;
  /** Nothing to send: close the day as empty. False when the day already has an entry. */
  markEmpty(subscriberId: string, date: string): Promise<boolean>;
  /** SES did not take the email (throttled, paused, refused before accepting): remove attempt `at` so a retry may send. */
  abandonSend(subscriberId: string, date: string, at: string): Promise<void>;
  /**
   * Close attempt `at` as `rejected` (nothing went out) or `unknown` (it may have), with the reason
   * (an error name, never an address). False when the entry is no longer that attempt.
   */
  closeSend(subscriberId: string, date: string, at: string, outcome: 'rejected' | 'unknown', reason: string): Promise<boolean>;
  /**
   * SES's Send event: the day's email was accepted. Turns a `sending` or `unknown` entry into
   * `sent`; false when it was neither (already sent, or no entry).
   */
  reconcileSent(subscriberId: string, date: string, messageId: string): Promise<boolean>;
}

/** An email to send: HTML and text parts of the same content, plus extra headers and the tags SES events come back with. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: EmailTags;
}

export interface SendOptions {
  /**
   * Called once, after any wait for the sending rate and right before the first request to SES:
   * the last moment to record that the email is going out. If it throws, nothing is sent and
   * send throws that error. A mailer that wraps another passes it on.
   */
  beforeSend?: () => Promise<void>;
}

/** Sends email. Throws on failure so the caller can retry or dead-letter. */
export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail, options?: SendOptions): Promise<string>;
}

/** One message as a queue delivers it to its consumer: the queue's id for it, and its body (a job as JSON). */
export interface QueuedMessage {
  id: string;
  body: string;
}

/** A job queue (SQS in AWS, in-process locally). */
export interface Queue<T> {
  enqueue(jobs: T[]): Promise<void>;
}

export interface DrainResult<T, R> {
  done: Array<{ job: T; result: R }>;
  /** Jobs that failed every attempt, with the last error (SQS would move them to the DLQ). */
  deadLettered: Array<{ job: T; error: unknown }>;
}

/** How a WorkQueue works through its jobs. */
export interface DrainOptions {
  /** Jobs worked on at once. */
  concurrency?: number;
  /** Attempts per job before it is dead-lettered (SQS maxReceiveCount). */
  maxAttempts?: number;
  /** Wait before a retry; attempt is 1 for the first retry. */
  backoff?: ((attempt: number) => Promise<void>) | undefined;
}

/** A queue the same process also works through: the local stack's whole cycle in one process. */
export interface WorkQueue<T> extends Queue<T> {
  /** Work through every queued job (and any queued meanwhile), retrying each up to maxAttempts. */
  drain<R>(worker: (job: T) => Promise<R>, options?: DrainOptions): Promise<DrainResult<T, R>>;
}

/** Resolves after `ms` milliseconds: the one way a use case waits (a real timer in AWS, instant in tests that want it). */
export type Sleep = (ms: number) => Promise<void>;

/** The only source of time in the core. */
export interface Clock {
  now(): Date;
}

/** The counters the service publishes (CloudWatch EMF in AWS); the dashboard and alarms read them. */
export type MetricName =
  | 'PapersFetched'
  | 'PapersStored'
  | 'ItemsSkipped'
  | 'MetadataLookedUp'
  | 'MetadataLookupsFailed'
  | 'JobsQueued'
  | 'DigestsSent'
  | 'DigestsEmpty'
  | 'DigestsSkipped'
  | 'DigestsFailed'
  | 'DigestsUnknown'
  | 'ConfirmationsSent'
  | 'Bounces'
  | 'Complaints';

/** Counts events. Dimensions name a source or a kind, never a subscriber. */
export interface Metrics {
  count(name: MetricName, value?: number, dimensions?: Record<string, string>): void;
}

/** Structured logger. Never pass email addresses or tokens in fields. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The keyring that signs and verifies links (Secrets Manager in AWS, a fixed value locally). Ask
 * once per invocation: the answer may change when the secret rotates. Throws when no keyring can
 * be read at all.
 */
export interface KeyringSource {
  keyring(): Promise<Keyring>;
}
