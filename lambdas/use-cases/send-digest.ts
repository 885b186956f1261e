// Use case: select, render and send one subscriber's digest exactly once per local date, and a queued batch of them.
import { readDigestJob } from '../core/digest-job';
import { dayState, type DayState, type DigestRecipe } from '../core/digest-ledger';
import { digestWindow, type DigestJob } from '../core/digest-schedule';
import { localTimeIn } from '../core/local-time';
import type { Paper, PickedPaper, Subscriber } from '../core/model';
import { renderDigest } from '../core/render/digest-email';
import { buildPaperIndex, selectPapersFor, type PaperIndex } from '../core/select-papers';
import { classifySendError, describeSendError, sendErrorName } from '../core/ses-errors';
import { receivesDigests } from '../core/subscription';
import { learnedProfile } from '../core/feedback-profile';
import type { Ledger, MetricName, OutgoingEmail, PaperStore, QueuedMessage } from '../ports';
import { digestViewUrl, feedbackLinks, subscriptionLinks, type EmailingDeps } from './emailing';

export interface SendDigestDeps extends EmailingDeps {
  papers: PaperStore;
  ledger: Ledger;
  /** How long a digest may stay `sending` before it is declared abandoned (CLAIM_LEASE_SECONDS). */
  claimLeaseMs: number;
}

/**
 * 'rejected': SES refused this email for good. 'unknown': SES did not say whether it took the
 * email, or the sender died mid-send. Either way the day is closed and never retried: a retry
 * would fail again, or send twice.
 */
export type DigestOutcome = 'sent' | 'empty' | 'rejected' | 'unknown' | 'not-found' | 'not-active' | 'already-sent' | 'in-progress' | 'already-failed';

const OUTCOME_METRIC: Record<DigestOutcome, MetricName> = {
  sent: 'DigestsSent',
  empty: 'DigestsEmpty',
  rejected: 'DigestsFailed',
  unknown: 'DigestsUnknown',
  'not-found': 'DigestsSkipped',
  'not-active': 'DigestsSkipped',
  'already-sent': 'DigestsSkipped',
  'in-progress': 'DigestsSkipped',
  'already-failed': 'DigestsSkipped',
};

/** Thrown from beforeSend when another sender began the day first: nothing is sent. */
class DayTaken extends Error {
  override readonly name = 'DayTaken';
}

/** A digest picked and rendered, ready for SES. */
interface Prepared {
  paperIds: string[];
  /** Kept with the papers so the web version is made again as sent. */
  recipe: DigestRecipe;
  email: OutgoingEmail;
}

/**
 * Sends digests. One instance serves one batch of jobs: the papers of a window are read and
 * indexed once and shared by every subscriber in the batch.
 */
export class DigestSender {
  private readonly indexes = new Map<string, Promise<PaperIndex>>();

  /** `asOf` selects papers as of a replayed moment; tokens and stored state keep the real clock. */
  constructor(
    private readonly deps: SendDigestDeps,
    private readonly options: { asOf?: Date | undefined } = {},
  ) {}

  /**
   * Send the digest for `job` at most once. The ledger entry is written just before SendEmail,
   * with the papers, and nothing that can fail slowly sits between the two: a sender that dies
   * before it leaves nothing behind, so the next delivery simply sends. One that dies after it
   * leaves a `sending` entry that only SES's Send event (reconcileSent) or the lease settles, and
   * the lease settles it as unknown, never by sending again.
   */
  async send(job: DigestJob): Promise<DigestOutcome> {
    const outcome = await this.attempt(job);
    this.deps.metrics.count(OUTCOME_METRIC[outcome]);
    return outcome;
  }

  /**
   * The subscriber is read once, right before the digest is made and sent, so an unsubscribe,
   * bounce or complaint that lands while the papers and the ledger load still wins. A planned job
   * names the window, so nothing else needs the subscriber; any other job reads it first for the
   * window, then again.
   */
  private async attempt(job: DigestJob): Promise<DigestOutcome> {
    const { deps } = this;
    const unplanned = job.planned ? undefined : await deps.subscribers.get(job.subscriberId);
    const planned = job.planned ?? unplanned;
    if (!planned) return 'not-found';
    if (unplanned && !receivesDigests(unplanned)) return 'not-active';
    const selectedAt = this.options.asOf ?? deps.clock.now();
    const [history] = await Promise.all([deps.ledger.history(job.subscriberId, job.localDate), this.indexFor(digestWindow(planned, selectedAt), selectedAt)]);

    const subscriber = await deps.subscribers.get(job.subscriberId);
    if (!subscriber || !receivesDigests(subscriber)) {
      if (unplanned) {
        deps.logger.info('digest held back: the subscriber stopped receiving digests while it was made', {
          subscriberId: job.subscriberId,
          localDate: job.localDate,
        });
      }
      return subscriber ? 'not-active' : 'not-found';
    }
    for (const earlier of history.earlierSending) {
      // No job for that day is left to close it: the next day's does, and counts it.
      const abandoned = dayState({ status: 'sending', ...earlier }, deps.clock.now(), deps.claimLeaseMs) === 'abandoned';
      if (abandoned && (await this.closeAbandoned(subscriber, earlier))) deps.metrics.count('DigestsUnknown');
    }
    const state = dayState(history.day, deps.clock.now(), deps.claimLeaseMs);
    if (state !== 'free') return this.settle(subscriber, job.localDate, state, history.day?.at ?? '');

    const prepared = await this.prepare(subscriber, job, history.sentPaperIds);
    if (!prepared) {
      if (!(await deps.ledger.markEmpty(subscriber.id, job.localDate))) return 'in-progress';
      await this.recordDay(subscriber, job.localDate);
      return 'empty';
    }
    return this.deliver(subscriber, job.localDate, prepared);
  }

  /** A day that already has an entry: repair the subscriber's last digest day, or close an abandoned send as unknown. */
  private async settle(subscriber: Subscriber, localDate: string, state: Exclude<DayState, 'free'>, at: string): Promise<DigestOutcome> {
    if (state === 'in-progress') return state;
    if (state === 'abandoned') {
      if (!(await this.closeAbandoned(subscriber, { date: localDate, at }))) return 'in-progress';
      await this.recordDay(subscriber, localDate);
      return 'unknown';
    }
    // A sender that died after the ledger entry but before the subscriber's record: catch that up.
    await this.recordDay(subscriber, localDate);
    return state;
  }

  /**
   * Close an abandoned `sending` day as unknown, never to be resent; false when it was settled
   * meanwhile (by its Send event, or another sender).
   */
  private async closeAbandoned(subscriber: Subscriber, day: { date: string; at: string }): Promise<boolean> {
    if (!(await this.deps.ledger.closeSend(subscriber.id, day.date, day.at, 'unknown', 'Abandoned'))) return false;
    this.deps.logger.warn('a digest send was interrupted and SES sent no word of it within the lease; recorded as unknown, not resent', {
      subscriberId: subscriber.id,
      localDate: day.date,
      sendingSince: day.at,
    });
    return true;
  }

  /**
   * SendEmail, with the day's `sending` entry written by the mailer's beforeSend: after any wait
   * for the sending rate, right before the request. Then the entry SES's answer calls for.
   */
  private async deliver(subscriber: Subscriber, localDate: string, prepared: Prepared): Promise<DigestOutcome> {
    const { deps } = this;
    const logged = { subscriberId: subscriber.id, localDate };
    let attempt: string | undefined;
    const beforeSend = async () => {
      attempt = await deps.ledger.beginSend(subscriber.id, localDate, prepared.paperIds, prepared.recipe);
      if (!attempt) throw new DayTaken();
    };
    let messageId: string;
    try {
      messageId = await deps.mailer.send(prepared.email, { beforeSend });
    } catch (error) {
      if (error instanceof DayTaken) return 'in-progress';
      // Failed before the entry was written (or writing it failed): nothing went out, nothing to undo.
      if (attempt === undefined) throw error;
      return this.closeFailed(subscriber, localDate, attempt, error);
    }
    // Past this point the email has left: if these writes fail, SES's Send event still records it.
    if (attempt === undefined) deps.logger.error('the mailer sent without calling beforeSend; the day is recorded only now', logged);
    await deps.ledger.markSent(subscriber.id, localDate, messageId);
    await this.recordDay(subscriber, localDate);
    deps.logger.info('digest done', { ...logged, outcome: 'sent' });
    return 'sent';
  }

  /** SES refused attempt `attempt`: free the day for a retry if nothing went out, else close it for good. */
  private async closeFailed(subscriber: Subscriber, localDate: string, attempt: string, error: unknown): Promise<DigestOutcome> {
    const kind = classifySendError(error);
    if (kind !== 'rejected' && kind !== 'unknown') {
      await this.deps.ledger.abandonSend(subscriber.id, localDate, attempt);
      throw error;
    }
    await this.deps.ledger.closeSend(subscriber.id, localDate, attempt, kind, sendErrorName(error));
    await this.recordDay(subscriber, localDate);
    const why = kind === 'rejected' ? 'digest rejected by SES for good' : 'SES did not say whether it took the digest';
    this.deps.logger.warn(`${why}; recorded as ${kind}, not resent`, { subscriberId: subscriber.id, localDate, reason: sendErrorName(error) });
    return kind;
  }

  /**
   * Record `localDate` as the subscriber's last digest day. A replayed day after the subscriber's
   * real local today would hold back every digest until then, and one before the day recorded
   * would move it back; the ledger still holds that day either way.
   */
  private async recordDay(subscriber: Subscriber, localDate: string): Promise<void> {
    const today = localTimeIn(this.deps.clock.now(), subscriber.timeZone).date;
    if (localDate > today || (subscriber.lastDigestDate !== undefined && localDate <= subscriber.lastDigestDate)) return;
    await this.deps.subscribers.markDigestSent(subscriber.id, localDate);
  }

  /** Select (as of the replayed moment, if any) and render; undefined when there is nothing to send. */
  private async prepare(subscriber: Subscriber, job: DigestJob, alreadySent: ReadonlySet<string>): Promise<Prepared | undefined> {
    const { deps } = this;
    const now = deps.clock.now();
    const selectedAt = this.options.asOf ?? now;
    const window = digestWindow(subscriber, selectedAt);
    const index = await this.indexFor(window, selectedAt);
    const picked = selectPapersFor(subscriber, index, { now: selectedAt, alreadySent, profile: learnedProfile(subscriber.feedback) });
    if (picked.length === 0 && !subscriber.sendEmptyDigest) return undefined;

    const links = subscriptionLinks(deps, subscriber.id, now);
    const rendered = renderDigest({
      date: job.localDate,
      frequency: subscriber.frequency,
      topics: subscriber.topics,
      papers: picked,
      feedbackUrls: feedbackLinks(
        deps,
        subscriber.id,
        picked.map((pick) => pick.paper.id),
        now,
      ),
      postalAddress: deps.postalAddress,
      ...links,
      viewUrl: digestViewUrl(deps, subscriber.id, job.localDate, now),
    });
    return {
      paperIds: picked.map((pick) => pick.paper.id),
      recipe: recipeOf(subscriber, window, selectedAt, picked),
      email: {
        to: subscriber.email,
        ...rendered,
        headers: {
          'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
        tags: { subscriber: subscriber.id, kind: 'digest', localDate: job.localDate },
      },
    };
  }

  private indexFor(days: string[], now: Date): Promise<PaperIndex> {
    const key = days.join(',');
    let index = this.indexes.get(key);
    if (!index) {
      index = this.deps.papers.papersForDays(days).then((papers) => sharedIndexOf(papers, now));
      index.catch(() => this.indexes.delete(key));
      this.indexes.set(key, index);
    }
    return index;
  }
}

/** How the digest was made, for its web version: profile reasons only for the papers that had one, usually none. */
function recipeOf(subscriber: Subscriber, window: readonly string[], selectedAt: Date, picked: readonly PickedPaper[]): DigestRecipe {
  const reasons = picked.flatMap((pick) => (pick.profileReason ? [[pick.paper.id, pick.profileReason] as const] : []));
  return {
    topics: subscriber.topics,
    frequency: subscriber.frequency,
    windowFrom: window[0] ?? '',
    windowTo: window.at(-1) ?? '',
    selectedAt: selectedAt.toISOString(),
    ...(reasons.length > 0 ? { profileReasons: Object.fromEntries(reasons) } : {}),
  };
}

/**
 * Indexes by the papers array a store returned. A store that caches its windows (DynamoPaperStore
 * does, per warm container) returns the same array until the papers change, so the index is built
 * once per container and hour rather than per batch. Per hour: trending scores are taken at the
 * moment of building, and the planner queues each hour's digests together.
 */
const sharedIndexes = new WeakMap<readonly Paper[], { hour: string; index: PaperIndex }>();

function sharedIndexOf(papers: readonly Paper[], now: Date): PaperIndex {
  const hour = now.toISOString().slice(0, 13);
  const known = sharedIndexes.get(papers);
  if (known?.hour === hour) return known.index;
  const index = buildPaperIndex(papers, now);
  sharedIndexes.set(papers, { hour, index });
  return index;
}

/**
 * Send a batch of queued digest jobs, one after another (the mailer paces them). Returns the ids
 * to hand back to the queue for a retry: jobs that failed in a way a retry may fix, and, once SES
 * says the account cannot send (paused, or still throttling after backoff), the job at hand and
 * every job after it, untouched, so the batch stops instead of failing each of them in turn.
 * Jobs SES refused for good are done (recorded failed), not retried into the dead-letter queue.
 */
export async function sendDigestBatch(deps: SendDigestDeps, messages: QueuedMessage[]): Promise<{ retry: string[] }> {
  const sender = new DigestSender(deps);
  const retry: string[] = [];
  for (const [position, message] of messages.entries()) {
    const reading = readDigestJob(message.body);
    if (!reading.ok) {
      // Retried, then dead-lettered: kept where someone can look at it.
      deps.logger.error('digest job unreadable', { messageId: message.id, problem: reading.problem });
      retry.push(message.id);
      continue;
    }
    try {
      await sender.send(reading.job);
    } catch (error) {
      const logged = { messageId: message.id, subscriberId: reading.job.subscriberId, localDate: reading.job.localDate, ...describeSendError(error) };
      const kind = classifySendError(error);
      if (kind === 'paused' || kind === 'throttled') {
        const left = messages.slice(position).map((unsent) => unsent.id);
        deps.logger.error(
          kind === 'paused'
            ? 'SES sending is paused for the account; batch stopped, its jobs left queued'
            : 'SES still throttling after backoff; batch stopped, its jobs left queued',
          { ...logged, jobsLeft: left.length },
        );
        return { retry: [...retry, ...left] };
      }
      deps.logger.error('digest job failed', logged);
      retry.push(message.id);
    }
  }
  return { retry };
}
