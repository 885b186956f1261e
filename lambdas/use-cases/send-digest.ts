// Use case: select, render and send one subscriber's digest exactly once per local date, and a queued batch of them.
import { readDigestJob } from '../core/digest-job';
import { digestWindow, type DigestJob } from '../core/digest-schedule';
import { localTimeIn } from '../core/local-time';
import type { Subscriber } from '../core/model';
import { renderDigest } from '../core/render/digest-email';
import { buildPaperIndex, selectPapersFor, type PaperIndex } from '../core/select-papers';
import { classifySendError, describeSendError, sendErrorName } from '../core/ses-errors';
import { receivesDigests } from '../core/subscription';
import type { ClaimResult, Ledger, MetricName, PaperStore } from '../ports';
import { subscriptionLinks, type EmailingDeps } from './emailing';

export interface SendDigestDeps extends EmailingDeps {
  papers: PaperStore;
  ledger: Ledger;
}

/**
 * 'rejected': SES refused this email for good. 'unknown': SES did not say whether it took the email.
 * Either way the day is recorded as failed and never retried: a retry would fail again, or send twice.
 */
export type DigestOutcome = 'sent' | 'empty' | 'rejected' | 'unknown' | 'not-found' | 'not-active' | Exclude<ClaimResult, 'claimed'>;

const OUTCOME_METRIC: Record<DigestOutcome, MetricName> = {
  sent: 'DigestsSent',
  empty: 'DigestsEmpty',
  rejected: 'DigestsFailed',
  unknown: 'DigestsFailed',
  'not-found': 'DigestsSkipped',
  'not-active': 'DigestsSkipped',
  'already-sent': 'DigestsSkipped',
  'in-progress': 'DigestsSkipped',
  'already-failed': 'DigestsSkipped',
};

/** What happened between the claim and the ledger entry. */
type Delivery =
  | { outcome: 'sent' | 'empty'; messageId?: string; paperIds: string[] }
  | { outcome: 'not-active' }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'unknown'; reason: string };

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
   * Send the digest for `job`. Claims the ledger slot first, so a second run the same day sends
   * nothing; a failure before the email leaves releases the claim and rethrows for a retry. An
   * email SES refuses for good is recorded as failed instead, so the job is done, not retried.
   */
  async send(job: DigestJob): Promise<DigestOutcome> {
    const outcome = await this.attempt(job);
    this.deps.metrics.count(OUTCOME_METRIC[outcome]);
    return outcome;
  }

  private async attempt(job: DigestJob): Promise<DigestOutcome> {
    const { deps } = this;
    const subscriber = await deps.subscribers.get(job.subscriberId);
    if (!subscriber) return 'not-found';
    if (!receivesDigests(subscriber)) return 'not-active';

    const claim = await deps.ledger.claim(subscriber.id, job.localDate);
    if (claim !== 'claimed') return claim;

    let delivery: Delivery;
    try {
      delivery = await this.deliver(subscriber, job);
    } catch (error) {
      await deps.ledger.release(subscriber.id, job.localDate);
      throw error;
    }
    const logged = { subscriberId: subscriber.id, localDate: job.localDate };
    if (delivery.outcome === 'not-active') {
      await deps.ledger.release(subscriber.id, job.localDate);
      deps.logger.info('digest held back: the subscriber stopped receiving digests while it was made', logged);
      return 'not-active';
    }
    if (delivery.outcome === 'rejected' || delivery.outcome === 'unknown') {
      // The day is closed: recorded failed, and marked done so the planner does not queue it again.
      await deps.ledger.markFailed(subscriber.id, job.localDate, `${delivery.outcome}:${delivery.reason}`);
      await this.recordDay(subscriber, job.localDate);
      const why = delivery.outcome === 'rejected' ? 'digest rejected by SES for good' : 'SES did not say whether it took the digest';
      deps.logger.warn(`${why}; recorded as failed, not resent`, { ...logged, reason: delivery.reason });
      return delivery.outcome;
    }
    // Past this point the email has left: never release the claim, or a retry would send it twice.
    await deps.ledger.markSent(subscriber.id, job.localDate, delivery.messageId ?? '', delivery.paperIds);
    await this.recordDay(subscriber, job.localDate);
    deps.logger.info('digest done', { ...logged, outcome: delivery.outcome, papers: delivery.paperIds.length });
    return delivery.outcome;
  }

  /**
   * Record `localDate` as the subscriber's last digest day. A replayed day after the subscriber's
   * real local today would hold back every digest until then, and one before the day recorded
   * would move it back; the ledger still holds that day either way.
   */
  private async recordDay(subscriber: Subscriber, localDate: string): Promise<void> {
    const today = localTimeIn(this.deps.clock.now(), subscriber.timeZone).date;
    if (localDate > today || (subscriber.lastDigestDate !== undefined && localDate < subscriber.lastDigestDate)) return;
    await this.deps.subscribers.markDigestSent(subscriber.id, localDate);
  }

  /** Select (as of the replayed moment, if any) and render; then, with the subscriber read again right before SES, send. */
  private async deliver(subscriber: Subscriber, job: DigestJob): Promise<Delivery> {
    const { deps } = this;
    const now = deps.clock.now();
    const selectedAt = this.options.asOf ?? now;
    const index = await this.indexFor(digestWindow(subscriber, selectedAt), selectedAt);
    const alreadySent = await deps.ledger.alreadySent(subscriber.id, index.paperIds);
    const picked = selectPapersFor(subscriber, index, { now: selectedAt, alreadySent });
    const paperIds = picked.map((pick) => pick.paper.id);
    if (picked.length === 0 && !subscriber.sendEmptyDigest) return { outcome: 'empty', paperIds };

    const links = subscriptionLinks(deps, subscriber.id, now);
    const email = renderDigest({
      date: job.localDate,
      frequency: subscriber.frequency,
      topics: subscriber.topics,
      papers: picked,
      postalAddress: deps.postalAddress,
      ...links,
    });
    // An unsubscribe, bounce or complaint may have landed while the papers were picked.
    const current = await deps.subscribers.get(subscriber.id);
    if (!current || !receivesDigests(current)) return { outcome: 'not-active' };
    try {
      const messageId = await deps.mailer.send({
        to: current.email,
        ...email,
        headers: {
          'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
        tags: { subscriber: subscriber.id, kind: 'digest', localDate: job.localDate },
      });
      return { outcome: 'sent', messageId, paperIds };
    } catch (error) {
      const kind = classifySendError(error);
      if (kind === 'rejected' || kind === 'unknown') return { outcome: kind, reason: sendErrorName(error) };
      throw error;
    }
  }

  private indexFor(days: string[], now: Date): Promise<PaperIndex> {
    const key = days.join(',');
    let index = this.indexes.get(key);
    if (!index) {
      index = this.deps.papers.papersForDays(days).then((papers) => buildPaperIndex(papers, now));
      index.catch(() => this.indexes.delete(key));
      this.indexes.set(key, index);
    }
    return index;
  }
}

/** One queued message: the queue's id for it and its body (a DigestJob as JSON). */
export interface QueuedDigest {
  id: string;
  body: string;
}

/**
 * Send a batch of queued digest jobs, one after another (the mailer paces them). Returns the ids
 * to hand back to the queue for a retry: jobs that failed in a way a retry may fix, and, once SES
 * says the account cannot send (paused, or still throttling after backoff), the job at hand and
 * every job after it, untouched, so the batch stops instead of failing each of them in turn.
 * Jobs SES refused for good are done (recorded failed), not retried into the dead-letter queue.
 */
export async function sendDigestBatch(deps: SendDigestDeps, messages: QueuedDigest[]): Promise<{ retry: string[] }> {
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
