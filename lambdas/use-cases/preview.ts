// Use case: what a filter would pick from the latest listed day, as a courtesy on the preferences page (a count) and the sign-up page (a sample of the digest).
import { describeError } from '../core/errors';
import type { FeedbackRecord } from '../core/model';
import type { Preferences } from '../core/subscription';
import type { Logger } from '../ports';
import { latestDailyPapers, type DailyPapers, type DailyPapersDeps } from './daily-papers';

export interface PreviewDeps extends DailyPapersDeps {
  logger: Logger;
}

/** How many papers the filter picks (up to the most an email holds) from the papers listed on `day`. */
export interface Preview {
  picked: number;
  /** Papers listed on `day`, before the filter. */
  listed: number;
  day: string;
}

/**
 * The preview for `preferences` from today's (UTC) papers, or yesterday's before today's are
 * fetched; papers the reader marked "fewer" (`feedback`) are not counted, as digests never pick
 * them. Undefined when neither day has papers, or when they cannot be read.
 */
export async function previewPreferences(deps: PreviewDeps, preferences: Pick<Preferences, 'topics'>, feedback?: FeedbackRecord): Promise<Preview | undefined> {
  const shown = await courtesy(deps, 'preferences preview failed', () => latestDailyPapers(deps, preferences.topics, feedback));
  return shown && shown.listed > 0 ? { picked: shown.papers.length, listed: shown.listed, day: shown.day } : undefined;
}

/**
 * The sign-up page's sample: the latest listed day's papers as a digest with `topics` ('' for the
 * top trending) would pick them, with their why lines. The same cached read of one day the daily
 * papers page makes. Undefined when the papers cannot be read. `topics` must parse (topicFilterProblem).
 */
export async function sampleDigest(deps: PreviewDeps, topics: string): Promise<DailyPapers | undefined> {
  return courtesy(deps, 'digest sample failed', () => latestDailyPapers(deps, topics));
}

/** A preview is a courtesy, and the page it sits on must still work: a failed read is logged and shown as nothing. */
async function courtesy<T>(deps: PreviewDeps, message: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    deps.logger.warn(message, describeError(error));
    return undefined;
  }
}
