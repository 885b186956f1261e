// Use case: one day's papers ranked for the daily papers page, by trending or by a topic filter, read from that day's records only.
import { addDays, utcDay } from '../core/day';
import { learnedProfile } from '../core/feedback-profile';
import type { FeedbackRecord, PickedPaper } from '../core/model';
import { selectPapersFor } from '../core/select-papers';
import { PAPERS_PER_EMAIL } from '../core/subscription';
import type { Clock, PaperStore } from '../ports';

/** What ranking a day's papers reads: the papers, and the time their trending is measured at. */
export interface DailyPapersDeps {
  papers: PaperStore;
  clock: Clock;
}

/** What the daily papers page shows: the day, its papers in page order with their why lines, and how many were listed. */
export interface DailyPapers {
  day: string;
  /** Ranked as a digest with `topics` would rank them, at most PAPERS_PER_EMAIL.max. */
  papers: PickedPaper[];
  /** Papers listed on the day, before any filter. */
  listed: number;
}

/**
 * The papers listed on `day`, ranked with the digest's own selection for `topics` ('' for the top
 * trending) and, for a reader, what their clicks taught (`feedback`). One read of that day's
 * records (papersForDays), never a scan. Throws TopicFilterError when `topics` does not parse.
 */
export async function dailyPapers(deps: DailyPapersDeps, day: string, topics: string, feedback?: FeedbackRecord): Promise<DailyPapers> {
  const papers = await deps.papers.papersForDays([day]);
  const picked = selectPapersFor({ topics, maxPapers: PAPERS_PER_EMAIL.max }, papers, {
    now: deps.clock.now(),
    alreadySent: new Set(),
    profile: feedback && learnedProfile(feedback),
  });
  return { day, papers: picked, listed: papers.length };
}

/**
 * Today's (UTC) papers, or yesterday's while today's are not fetched yet: the page at `/papers`
 * always has a day to show. At most two reads.
 */
export async function latestDailyPapers(deps: DailyPapersDeps, topics: string, feedback?: FeedbackRecord): Promise<DailyPapers> {
  const today = utcDay(deps.clock.now());
  const shown = await dailyPapers(deps, today, topics, feedback);
  if (shown.listed > 0) return shown;
  const yesterday = await dailyPapers(deps, addDays(today, -1), topics, feedback);
  return yesterday.listed > 0 ? yesterday : shown;
}
