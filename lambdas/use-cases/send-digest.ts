// Use case: select, render and send one subscriber's digest exactly once per local date.
import { digestWindow, type DigestJob } from '../core/digest-schedule';
import { renderDigest } from '../core/render/digest-email';
import { buildPaperIndex, selectPapersFor, type PaperIndex } from '../core/select-papers';
import type { ClaimResult, Ledger, PaperStore } from '../ports';
import { signedLink, type EmailingDeps, type LinkSigning } from './emailing';

export interface SendDigestDeps extends EmailingDeps {
  papers: PaperStore;
  ledger: Ledger;
}

export type DigestOutcome = 'sent' | 'empty' | 'not-found' | 'not-active' | Exclude<ClaimResult, 'claimed'>;

/** Links that act on a subscription without exposing the address: signed, purpose-bound tokens. */
export function subscriptionLinks(signing: LinkSigning, subscriberId: string, now: Date): { unsubscribeUrl: string; preferencesUrl: string } {
  return {
    unsubscribeUrl: signedLink(signing, '/unsubscribe', 'unsubscribe', subscriberId, now),
    preferencesUrl: signedLink(signing, '/preferences', 'preferences', subscriberId, now),
  };
}

/**
 * Sends digests. One instance serves one batch of jobs: the papers of a window are read and
 * indexed once and shared by every subscriber in the batch.
 */
export class DigestSender {
  private readonly indexes = new Map<string, Promise<PaperIndex>>();

  constructor(private readonly deps: SendDigestDeps) {}

  /**
   * Send the digest for `job`. Claims the ledger slot first, so a second run the same day sends
   * nothing; a failure before the email leaves releases the claim and rethrows for a retry.
   */
  async send(job: DigestJob): Promise<DigestOutcome> {
    const { deps } = this;
    const subscriber = await deps.subscribers.get(job.subscriberId);
    if (!subscriber) return 'not-found';
    if (subscriber.status !== 'confirmed' || subscriber.paused) return 'not-active';

    const claim = await deps.ledger.claim(subscriber.id, job.localDate);
    if (claim !== 'claimed') return claim;

    let messageId: string | undefined;
    let paperIds: string[] = [];
    try {
      const now = deps.clock.now();
      const index = await this.indexFor(digestWindow(subscriber, now), now);
      const alreadySent = await deps.ledger.alreadySent(subscriber.id, index.paperIds);
      const picked = selectPapersFor(subscriber, index, { now, alreadySent });
      paperIds = picked.map((pick) => pick.paper.id);
      if (picked.length > 0 || subscriber.sendEmptyDigest) {
        const links = subscriptionLinks(deps, subscriber.id, now);
        const email = renderDigest({
          date: job.localDate,
          frequency: subscriber.frequency,
          topics: subscriber.topics,
          papers: picked,
          postalAddress: deps.postalAddress,
          ...links,
        });
        messageId = await deps.mailer.send({
          to: subscriber.email,
          ...email,
          headers: {
            'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
      }
    } catch (error) {
      await deps.ledger.release(subscriber.id, job.localDate);
      throw error;
    }
    // Past this point the email has left: never release the claim, or a retry would send it twice.
    await deps.ledger.markSent(subscriber.id, job.localDate, messageId ?? '', paperIds);
    await deps.subscribers.markDigestSent(subscriber.id, job.localDate);
    const outcome = messageId === undefined ? 'empty' : 'sent';
    deps.logger.info('digest done', { subscriberId: subscriber.id, localDate: job.localDate, outcome, papers: paperIds.length });
    return outcome;
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
