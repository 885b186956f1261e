// A sent digest made again for its web version: its papers in the order sent, with the why lines its topics gave them.
import { addDays } from './day';
import type { DigestRecipe } from './digest-ledger';
import { MAX_WINDOW_DAYS } from './digest-schedule';
import type { Paper, PickedPaper } from './model';
import { buildPaperIndex, selectPapersFor } from './select-papers';
import { TopicFilterError } from './topic-filter';
import { withProfileReason } from './why-picked';

/** The UTC days a digest drew its papers from, first to last (at most MAX_WINDOW_DAYS). */
export function recipeDays(recipe: Pick<DigestRecipe, 'windowFrom' | 'windowTo'>): string[] {
  const days: string[] = [];
  for (let day = recipe.windowFrom; day <= recipe.windowTo && days.length < MAX_WINDOW_DAYS; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The digest's picks again, in `sent` order. The selection runs as at the moment the papers were
 * selected (the recipe's `selectedAt`; an older recipe has only the entry's `entryAt`, the time of
 * its latest status) over the window's papers, with every paper that was not sent ruled out and no
 * relevance floor, so each sent paper gets its why line from the same code, topic and neighbours as
 * in the email, led by the reason the reader's feedback gave it then (`profileReasons`). A paper
 * that no longer matches (its record changed since) or topics that no longer parse leave the why
 * line out rather than make one up; no recipe (an entry from before recipes were kept) does too.
 */
export function picksOfSentDigest(
  sent: readonly Paper[],
  windowPapers: readonly Paper[],
  recipe: Pick<DigestRecipe, 'topics' | 'selectedAt' | 'profileReasons'> | undefined,
  entryAt: string,
): PickedPaper[] {
  const bare = sent.map((paper): PickedPaper => ({ paper, score: 0, why: [] }));
  if (recipe === undefined || sent.length === 0) return bare;
  const at = new Date(recipe.selectedAt ?? entryAt);
  const sentIds = new Set(sent.map((paper) => paper.id));
  const candidates = [...windowPapers.filter((paper) => !sentIds.has(paper.id)), ...sent];
  const notSent = new Set(candidates.flatMap((paper) => (sentIds.has(paper.id) ? [] : [paper.id])));
  let picked: PickedPaper[];
  try {
    const index = buildPaperIndex(candidates, at);
    picked = selectPapersFor({ topics: recipe.topics, maxPapers: sent.length }, index, {
      now: at,
      alreadySent: notSent,
      limit: sent.length,
      relevanceFloor: 0,
    });
  } catch (error) {
    if (error instanceof TopicFilterError) return bare;
    throw error;
  }
  const reasons = recipe.profileReasons ?? {};
  const reasonOf = (id: string) => (Object.hasOwn(reasons, id) ? reasons[id] : undefined);
  const byId = new Map(picked.map((pick) => [pick.paper.id, { ...pick, why: withProfileReason(pick.why, reasonOf(pick.paper.id)) }]));
  return bare.map((pick) => byId.get(pick.paper.id) ?? pick);
}
