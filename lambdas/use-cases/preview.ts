// Use case: how many papers a subscriber's preferences would pick from the latest listed day, for the preferences page.
import { describeError } from '../core/errors';
import { addDays, utcDay } from '../core/day';
import { learnedProfile } from '../core/feedback-profile';
import type { FeedbackRecord } from '../core/model';
import { selectPapersFor } from '../core/select-papers';
import { PAPERS_PER_EMAIL, type Preferences } from '../core/subscription';
import type { Clock, Logger, PaperStore } from '../ports';

export interface PreviewDeps {
  papers: PaperStore;
  clock: Clock;
  logger: Logger;
}

/** How many papers the filter picks (up to the most an email holds) from the papers listed on `day`. */
export interface Preview {
  picked: number;
  day: string;
}

/**
 * The preview for `preferences` from today's (UTC) papers, or yesterday's before today's are
 * fetched; papers the reader marked "fewer" (`feedback`) are not counted, as digests never pick them. Undefined when neither day has papers, or when they cannot be read: a preview is a
 * courtesy, and the page it sits on must still work.
 */
export async function previewPreferences(deps: PreviewDeps, preferences: Pick<Preferences, 'topics'>, feedback?: FeedbackRecord): Promise<Preview | undefined> {
  try {
    return await previewOf(deps, preferences, feedback);
  } catch (error) {
    deps.logger.warn('preferences preview failed', describeError(error));
    return undefined;
  }
}

async function previewOf(deps: PreviewDeps, preferences: Pick<Preferences, 'topics'>, feedback: FeedbackRecord | undefined): Promise<Preview | undefined> {
  const now = deps.clock.now();
  for (const day of [utcDay(now), addDays(utcDay(now), -1)]) {
    const papers = await deps.papers.papersForDays([day]);
    if (papers.length === 0) continue;
    const picked = selectPapersFor({ topics: preferences.topics, maxPapers: PAPERS_PER_EMAIL.max }, papers, {
      now,
      alreadySent: new Set(),
      profile: learnedProfile(feedback),
    });
    return { picked: picked.length, day };
  }
  return undefined;
}
