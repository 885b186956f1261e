// Use case: a digest's web version, made again from the send ledger and the papers by id, with the email's own footer and feedback links.
import { isIsoDay } from '../core/day';
import { hasWebVersion } from '../core/digest-ledger';
import type { Paper } from '../core/model';
import { renderDigestPage } from '../core/render/digest-email';
import { picksOfSentDigest, recipeDays } from '../core/sent-digest';
import { isWithdrawn, predatesConsent } from '../core/subscription';
import { verifyToken } from '../core/tokens';
import type { Clock, Ledger, PaperStore, SubscriberStore } from '../ports';
import { feedbackLinks, subscriptionLinks, type LinkSigning } from './emailing';

export interface DigestWebVersionDeps extends LinkSigning {
  subscribers: SubscriberStore;
  ledger: Ledger;
  papers: PaperStore;
  clock: Clock;
  /** Printed in the footer, as in the email. */
  postalAddress: string;
}

/**
 * Why a digest has no web version to show:
 * - invalid / expired: the link (a `view` token) was changed, or is older than its lifetime;
 * - superseded: the link is from before the reader's latest sign-up, so it belongs to an earlier one;
 * - withdrawn: the reader unsubscribed: their web versions close, with their links;
 * - gone: the subscription it was sent to no longer exists;
 * - empty: nothing was new that day, so no digest was sent;
 * - sending: it is being sent right now;
 * - not-sent: no digest went out that day (none was due, or SES refused it);
 * - papers-gone: its papers are no longer kept.
 */
export type NoWebVersion = 'invalid' | 'expired' | 'superseded' | 'withdrawn' | 'gone' | 'empty' | 'sending' | 'not-sent' | 'papers-gone';

export type DigestWebVersion = { ok: true; html: string; localDate: string } | { ok: false; reason: NoWebVersion; localDate?: string };

/**
 * The web version of the digest a `view` token names: the email's own HTML (see renderDigestPage)
 * with the papers and why lines it was sent with, and its footer and feedback links signed at the
 * token's issue time, the moment the email's were: the same links, expiring when the email's do, so
 * a shared link mints none. Only a day that was sent, or may have been (unknown), has one, and only
 * for the current sign-up of a reader still subscribed. Reads: the subscriber, the day's ledger
 * entry, its papers by id and its window's listings.
 */
export async function digestWebVersion(deps: DigestWebVersionDeps, token: unknown): Promise<DigestWebVersion> {
  const now = deps.clock.now();
  const check = verifyToken(deps.keyring, token, 'view', now);
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'invalid' };
  const localDate = check.subject;
  if (localDate === undefined || !isIsoDay(localDate)) return { ok: false, reason: 'invalid' };
  const [subscriber, entry] = await Promise.all([deps.subscribers.get(check.subscriberId), deps.ledger.sentDigest(check.subscriberId, localDate)]);
  if (!subscriber) return { ok: false, reason: 'gone', localDate };
  if (predatesConsent(subscriber, check.issuedAt)) return { ok: false, reason: 'superseded' };
  if (isWithdrawn(subscriber)) return { ok: false, reason: 'withdrawn', localDate };
  if (!entry || !hasWebVersion(entry.status)) {
    const reason = entry?.status === 'empty' ? 'empty' : entry?.status === 'sending' ? 'sending' : 'not-sent';
    return { ok: false, reason, localDate };
  }
  const { recipe } = entry;
  const [found, windowPapers] = await Promise.all([
    deps.papers.papersById(entry.paperIds),
    recipe ? deps.papers.papersForDays(recipeDays(recipe)) : Promise.resolve([] as readonly Paper[]),
  ]);
  const byId = new Map(found.map((paper) => [paper.id, paper]));
  const sent = entry.paperIds.flatMap((id) => byId.get(id) ?? []);
  // A "nothing new" digest (sendEmptyDigest) sent no papers, and shows as it was sent.
  if (sent.length === 0 && entry.paperIds.length > 0) return { ok: false, reason: 'papers-gone', localDate };
  const html = renderDigestPage({
    date: localDate,
    // An entry from before recipes were kept: the settings of now, and no why lines rather than made-up ones.
    frequency: recipe?.frequency ?? subscriber.frequency,
    topics: recipe?.topics ?? subscriber.topics,
    papers: picksOfSentDigest(sent, windowPapers, recipe, entry.at),
    feedbackUrls: feedbackLinks(
      deps,
      subscriber.id,
      sent.map((paper) => paper.id),
      check.issuedAt,
    ),
    postalAddress: deps.postalAddress,
    ...subscriptionLinks(deps, subscriber.id, check.issuedAt),
  });
  return { ok: true, html, localDate };
}
