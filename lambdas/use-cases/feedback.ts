// Use case: a reader's "More like this" / "Fewer like this" on a paper of their digest, read by the page a link opens and recorded by its button.
import { markedPaperOf, recordVote, voteOn } from '../core/feedback-profile';
import type { FeedbackVote, MarkedPaper, Paper, Subscriber } from '../core/model';
import { isWithdrawn, predatesConsent } from '../core/subscription';
import { verifyToken } from '../core/tokens';
import type { PaperStore } from '../ports';
import { changeSubscriber, type SubscriberChangeDeps } from './subscriptions';

/** The site's subscriber dependencies, and the papers, to learn from the one marked. */
export interface FeedbackDeps extends Pick<SubscriberChangeDeps, 'subscribers' | 'keyring' | 'clock' | 'logger' | 'sleep'> {
  papers: Pick<PaperStore, 'papersById'>;
}

/** Why a feedback link cannot be used: a bad or old token, one from before the latest sign-up, or a reader who unsubscribed. */
export type FeedbackRefusal = 'invalid' | 'expired' | 'superseded' | 'withdrawn';

export type FeedbackTarget =
  | {
      ok: true;
      subscriber: Subscriber;
      paperId: string;
      /** Undefined when the paper is no longer stored. */
      paper: Paper | undefined;
      /** What the reader already said about it, if anything. */
      current: FeedbackVote | undefined;
    }
  | { ok: false; reason: FeedbackRefusal };

/** The reader and paper a feedback token names. Reads only: the page a link opens (and a link scanner's GET or HEAD) changes nothing. */
export async function feedbackTarget(deps: FeedbackDeps, token: unknown): Promise<FeedbackTarget> {
  const check = verifyToken(deps.keyring, token, 'feedback', deps.clock.now());
  if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'invalid' };
  const subscriber = await deps.subscribers.get(check.subscriberId);
  if (!subscriber || check.subject === undefined) return { ok: false, reason: 'invalid' };
  if (predatesConsent(subscriber, check.issuedAt)) return { ok: false, reason: 'superseded' };
  if (isWithdrawn(subscriber)) return { ok: false, reason: 'withdrawn' };
  const [paper] = await deps.papers.papersById([check.subject]);
  return { ok: true, subscriber, paperId: check.subject, paper, current: voteOn(subscriber.feedback, check.subject) };
}

export type FeedbackOutcome =
  { ok: true; subscriber: Subscriber; paperId: string; paper: Paper | undefined; vote: FeedbackVote } | { ok: false; reason: FeedbackRefusal | 'paper-gone' };

/**
 * Record `vote` on the paper a feedback token names, from the next digest on. The same vote again
 * changes nothing; the other vote replaces it. A paper no longer stored can still be marked
 * "fewer" (it is then never picked again), but there is nothing to learn "more" of.
 */
export async function giveFeedback(deps: FeedbackDeps, token: unknown, vote: FeedbackVote): Promise<FeedbackOutcome> {
  const target = await feedbackTarget(deps, token);
  if (!target.ok) return target;
  const { paper, paperId } = target;
  if (!paper && vote === 'more') return { ok: false, reason: 'paper-gone' };
  const marked: MarkedPaper = paper ? markedPaperOf(paper, vote) : { paperId, vote, terms: [], authors: [], categories: [] };
  const saved = await changeSubscriber(deps, target.subscriber.id, (current) => recordVote(current, marked));
  if (!saved) return { ok: false, reason: 'invalid' };
  if (isWithdrawn(saved)) return { ok: false, reason: 'withdrawn' };
  // The paper stays out of the log: with the reader's id it would say what they read.
  deps.logger.info('feedback recorded', { subscriberId: saved.id, vote });
  return { ok: true, subscriber: saved, paperId, paper, vote };
}
