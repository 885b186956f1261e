// Picks each subscriber's papers from the day's candidates: filter, relevance floor, order, limit, why.
import type { Paper, PickedPaper, Subscriber, WhyPart } from './model';
import { PAPERS_PER_EMAIL } from './subscription';
import { likeMarkedReason, profileBoost, profileIsEmpty, ProfileScorer, type LearnedProfile, type ProfileCandidates } from './feedback-profile';
import { blendedScore, normaliseTrending, TextIndex } from './relevance';
import { nameTokensOf } from './text-terms';
import { textQueryOf, type TopicTextQuery } from './topic-query';
import { multiTopicScore, takeTurns, type TopicCandidate } from './topic-share';
import {
  findMatchingAuthor,
  findMatchingCategory,
  parseTopicFilter,
  type AuthorClause,
  type CategoryClause,
  type TextClause,
  type Topic,
  type TopicClause,
  type TopicFilter,
} from './topic-filter';
import { scoreByTrending, type TrendingEntry } from './trending';
import { abstractMatchesOf, whyPicked, withProfileReason } from './why-picked';

/**
 * Least relevance (0..1, see TextIndex.matchAll) a paper needs to match a topic with words in
 * it. Calibrated on the recorded Hugging Face feeds: a single passing mention in an abstract scores
 * about 0.40-0.50, a title or keyword hit or repeated mentions 0.6 and above.
 */
export const DEFAULT_RELEVANCE_FLOOR = 0.5;
/**
 * The floor for a topic whose words are all rare in the day's papers: one mention of a term only a
 * few papers use says more than one mention of a common word, so a single abstract mention counts.
 */
export const RARE_TERM_RELEVANCE_FLOOR = 0.3;
/** A concept is rare when at most this share of the day's papers (and at least one paper's worth) contain it. */
export const RARE_TERM_SHARE = 0.03;
/**
 * Share of a multi-word topic's ranking relevance that comes from pairs of its words appearing side
 * by side, in the order written (a sequential-dependence model): the words scattered still match,
 * but rank below the same words together. The floor is applied before, to the words alone.
 */
export const ADJACENCY_SHARE = 0.3;
/** Distinct topics whose matches one day's index keeps; past it the cache starts over. */
const TEXT_MATCH_CACHE_LIMIT = 10_000;

/** The papers a topic's words match (those reaching the topic's floor), each with the relevance it ranks by. */
interface TextMatches {
  relevances: ReadonlyMap<number, number>;
}

/**
 * The day's candidate papers, prepared once and shared by every subscriber's selection:
 * trending scores, the text index, lowercase categories and folded author names.
 * Every per-paper array is in trending order (best first) and numbered like the text index.
 */
export class PaperIndex {
  readonly papers: readonly Paper[];
  /** Ids of `papers`, in the same order. */
  readonly paperIds: string[];
  readonly trendingScores: readonly number[];
  /** Trending on a 0..1 log scale relative to the best paper of the day. */
  readonly normalisedTrending: readonly number[];
  readonly text: TextIndex;
  readonly categories: readonly (readonly string[])[];
  readonly authorNameTokens: readonly (readonly (readonly string[])[])[];
  /** Papers matching each topic's words, worked out once per distinct topic and shared by its subscribers. */
  private readonly textMatches = new Map<string, TextMatches>();

  /** Use buildPaperIndex; `ranked` must be in trending order. */
  constructor(
    ranked: readonly TrendingEntry[],
    /** The moment trending scores were computed for. */
    readonly builtAt: Date,
  ) {
    this.papers = ranked.map((entry) => entry.paper);
    this.paperIds = this.papers.map((paper) => paper.id);
    this.trendingScores = ranked.map((entry) => entry.score);
    const bestScore = this.trendingScores[0] ?? 0;
    this.normalisedTrending = this.trendingScores.map((score) => normaliseTrending(score, bestScore));
    this.text = new TextIndex(this.papers);
    this.categories = this.papers.map((paper) => paper.categories.map((category) => category.toLowerCase()));
    this.authorNameTokens = this.papers.map((paper) => paper.authors.map(nameTokensOf));
  }

  /** Papers matching the topic's text clauses with their relevance, and the floor for that topic (see textMatchesOf). */
  textMatchesFor(clauses: readonly TextClause[], relevanceFloor: number): TextMatches | undefined {
    const key = `${relevanceFloor} ${clauses.map((clause) => `${clause.text.startsWith('"') ? '"' : ''}${clause.terms.join(' ')}`).join('|')}`;
    const cached = this.textMatches.get(key);
    if (cached) return cached;
    const query = textQueryOf(clauses);
    if (!query) return undefined;
    const matches = { relevances: textRelevances(this, query, floorFor(this, query, relevanceFloor)) };
    if (this.textMatches.size >= TEXT_MATCH_CACHE_LIMIT) this.textMatches.clear();
    this.textMatches.set(key, matches);
    return matches;
  }
}

/** Index the day's candidates at `now`; they hold each paper once, as PaperStore.papersForDays returns them. */
export function buildPaperIndex(candidates: readonly Paper[], now: Date): PaperIndex {
  return new PaperIndex(scoreByTrending(candidates, now), now);
}

export interface SelectionOptions {
  /** Dates the index when candidates are given as a list; an index carries its own time. */
  now: Date;
  /** Ids of papers this subscriber was already sent; never picked again. */
  alreadySent: ReadonlySet<string>;
  /** Overrides the subscriber's maxPapers (a preview, say); still capped at PAPERS_PER_EMAIL.max. */
  limit?: number;
  /** Overrides DEFAULT_RELEVANCE_FLOOR. */
  relevanceFloor?: number;
  /**
   * What the reader's clicks taught (core/feedback-profile.ts): its papers marked "fewer" are
   * never picked, and its weights nudge the order of the papers the filter admits.
   */
  profile?: LearnedProfile | undefined;
}

function paperLimit(requested: number | undefined): number {
  if (requested === undefined || !Number.isInteger(requested) || requested < PAPERS_PER_EMAIL.min) return PAPERS_PER_EMAIL.default;
  return Math.min(requested, PAPERS_PER_EMAIL.max);
}

type MetadataClause = CategoryClause | AuthorClause;

function isTextClause(clause: TopicClause): clause is TextClause {
  return clause.kind === 'text';
}

function isMetadataClause(clause: TopicClause): clause is MetadataClause {
  return clause.kind !== 'text';
}

function matchesMetadata(index: PaperIndex, documentNumber: number, clause: MetadataClause): boolean {
  return clause.kind === 'category'
    ? findMatchingCategory(clause, index.categories[documentNumber] ?? []) >= 0
    : findMatchingAuthor(clause, index.authorNameTokens[documentNumber] ?? []) >= 0;
}

interface TopicMatch {
  relevance: number;
  topic: Topic;
}

const hasText = (topic: Topic) => topic.include.some(isTextClause);
const hasAuthor = (topic: Topic) => topic.include.some((clause) => clause.kind === 'author');

/**
 * Which of a paper's matches names it in the why line: the most specific topic, one with words
 * before an author before a category (or nothing but exclusions), then the most relevant.
 */
function mostSpecific(a: TopicMatch, b: TopicMatch): number {
  return (
    Number(hasText(b.topic)) - Number(hasText(a.topic)) ||
    Number(hasAuthor(b.topic)) - Number(hasAuthor(a.topic)) ||
    b.relevance - a.relevance ||
    a.topic.number - b.topic.number
  );
}

/**
 * A paper's score within one topic: relevance blended with trending for a topic with words; for a
 * category, author or exclusions-only topic, a filter that says nothing of relevance, trending alone.
 */
function scoreInTopic(index: PaperIndex, documentNumber: number, match: TopicMatch): number {
  const trending = index.normalisedTrending[documentNumber] ?? 0;
  return hasText(match.topic) ? blendedScore(match.relevance, trending) : trending;
}

/** Papers with most of the query's concepts reaching `floor`, ranked partly by the topic's words appearing side by side. */
function textRelevances(index: PaperIndex, query: TopicTextQuery, floor: number): Map<number, number> {
  const relevances = index.text.matchAtLeast(query.concepts, query.minimum);
  const together = query.adjacentPairs.length > 0 ? index.text.matchAtLeast(query.adjacentPairs, 1) : undefined;
  const ranked = new Map<number, number>();
  for (const [number, relevance] of relevances) {
    if (relevance < floor) continue;
    ranked.set(number, together ? (1 - ADJACENCY_SHARE) * relevance + ADJACENCY_SHARE * (together.get(number) ?? 0) : relevance);
  }
  return ranked;
}

/**
 * The floor for one query: `floor` for common words, lowered towards RARE_TERM_RELEVANCE_FLOOR by
 * the share of the query's weight (idf) that rare concepts carry.
 */
function floorFor(index: PaperIndex, query: TopicTextQuery, floor: number): number {
  const rareAt = Math.max(1, RARE_TERM_SHARE * index.text.size);
  let total = 0;
  let rare = 0;
  for (const concept of query.concepts) {
    const frequency = index.text.conceptDocumentFrequency(concept);
    const idf = Math.log(1 + (index.text.size - frequency + 0.5) / (frequency + 0.5));
    total += idf;
    if (frequency <= rareAt) rare += idf;
  }
  const lowest = Math.min(floor, RARE_TERM_RELEVANCE_FLOOR);
  return total > 0 ? floor - (floor - lowest) * (rare / total) : floor;
}

/**
 * Every topic match per paper: papers that satisfy every clause of a topic, match none of its
 * exclusions and reach the relevance floor. A topic without words matches with relevance 1.
 */
function matchTopics(index: PaperIndex, filter: TopicFilter, excluded: ReadonlySet<string>, relevanceFloor: number): Map<number, TopicMatch[]> {
  const matches = new Map<number, TopicMatch[]>();
  for (const topic of filter.topics) {
    const textMatches = index.textMatchesFor(topic.include.filter(isTextClause), relevanceFloor);
    const requiredMetadata = topic.include.filter(isMetadataClause);
    const excludedByText = topic.exclude.filter(isTextClause).map((clause) => index.text.matchAll([clause.terms]));
    const excludedByMetadata = topic.exclude.filter(isMetadataClause);
    const relevances = textMatches?.relevances;
    for (const documentNumber of relevances ? relevances.keys() : index.papers.keys()) {
      const relevance = relevances ? (relevances.get(documentNumber) ?? 0) : 1;
      if (excluded.has(index.paperIds[documentNumber] ?? '')) continue;
      if (!requiredMetadata.every((clause) => matchesMetadata(index, documentNumber, clause))) continue;
      if (excludedByText.some((excluded) => excluded.has(documentNumber))) continue;
      if (excludedByMetadata.some((clause) => matchesMetadata(index, documentNumber, clause))) continue;
      const previous = matches.get(documentNumber);
      if (previous) previous.push({ relevance, topic });
      else matches.set(documentNumber, [{ relevance, topic }]);
    }
  }
  return matches;
}

/**
 * The papers for `subscriber`'s digest, best first: those matching their topic filter (or the
 * top trending ones when they have none), never one in `alreadySent`, at most maxPapers
 * (PAPERS_PER_EMAIL: a missing or invalid setting gets the default). Within a topic with words,
 * matches score 0.8 x relevance + 0.2 x normalised trending; within a category, author or
 * exclusions-only topic, trending alone; the topics take turns at the places (pickInTurns), ties
 * in trending order. A reader's profile (options.profile) excludes their "fewer" papers and adds
 * PROFILE_BOOST_LIMIT x affinity (-1..1) to each admitted paper's score: it reorders what the
 * filter admits and never admits anything. Pass a PaperIndex to share the day's work across subscribers.
 * Throws TopicFilterError when the stored filter does not parse.
 */
export function selectPapersFor(
  subscriber: Pick<Subscriber, 'topics' | 'maxPapers'>,
  candidates: PaperIndex | readonly Paper[],
  options: SelectionOptions,
): PickedPaper[] {
  const index = candidates instanceof PaperIndex ? candidates : buildPaperIndex(candidates, options.now);
  const filter = parseTopicFilter(subscriber.topics);
  const limit = paperLimit(options.limit ?? subscriber.maxPapers);
  const { profile } = options;
  const excluded = profile && profile.fewerPaperIds.size > 0 ? new Set([...options.alreadySent, ...profile.fewerPaperIds]) : options.alreadySent;
  const nudge = profile && !profileIsEmpty(profile) ? profileNudge(index, profile) : undefined;

  if (filter.topics.length === 0) return pickTrending(index, excluded, limit, nudge);
  const matches = matchTopics(index, filter, excluded, options.relevanceFloor ?? DEFAULT_RELEVANCE_FLOOR);
  return pickInTurns(index, matches, limit, nudge);
}

/** How a reader's profile moves one paper: the score added (within +-PROFILE_BOOST_LIMIT), and the why line's reason when it helped. */
type ProfileNudge = (documentNumber: number) => { boost: number; reason?: string | undefined };

/** The profile's nudge over the day's papers, each paper worked out once. */
function profileNudge(index: PaperIndex, profile: LearnedProfile): ProfileNudge {
  const scorer = new ProfileScorer(profile, profileCandidatesOf(index));
  const seen = new Map<number, { boost: number; reason?: string | undefined }>();
  return (documentNumber) => {
    let nudge = seen.get(documentNumber);
    if (!nudge) {
      const match = scorer.match(documentNumber);
      seen.set(documentNumber, (nudge = { boost: profileBoost(match.affinity), reason: likeMarkedReason(match) }));
    }
    return nudge;
  };
}

/** The day's papers as a profile scorer sees them; a term's rarity is its idf over the idf of a term only one paper has. */
function profileCandidatesOf(index: PaperIndex): ProfileCandidates {
  const rarest = index.text.idfAt(1);
  return {
    containsTerm: (documentNumber, term) => index.text.contains(documentNumber, [term]),
    termRarity: (term) => (rarest > 0 ? Math.min(1, index.text.inverseDocumentFrequency([term]) / rarest) : 1),
    authorKeys: (documentNumber) => (index.authorNameTokens[documentNumber] ?? []).map((tokens) => tokens.join(' ')),
    categories: (documentNumber) => index.categories[documentNumber] ?? [],
  };
}

/** `why` led by the profile's reason, if any, and that reason on its own (PickedPaper.profileReason). */
function nudgedWhy(why: WhyPart[], reason: string | undefined): Pick<PickedPaper, 'why' | 'profileReason'> {
  return reason ? { why: withProfileReason(why, reason), profileReason: reason } : { why };
}

/** The top trending papers not excluded, reordered by the profile's nudge when there is one. */
function pickTrending(index: PaperIndex, excluded: ReadonlySet<string>, limit: number, nudge: ProfileNudge | undefined): PickedPaper[] {
  const picked: PickedPaper[] = [];
  if (!nudge) {
    for (let number = 0; number < index.papers.length && picked.length < limit; number += 1) {
      const paper = index.papers[number];
      if (!paper || excluded.has(paper.id)) continue;
      picked.push({ paper, score: index.normalisedTrending[number] ?? 0, why: whyPicked(index, number, undefined) });
    }
    return picked;
  }
  const scored = index.papers.flatMap((paper, number) =>
    excluded.has(paper.id) ? [] : [{ number, paper, score: (index.normalisedTrending[number] ?? 0) + nudge(number).boost }],
  );
  scored.sort((a, b) => b.score - a.score || a.number - b.number);
  return scored.slice(0, limit).map(({ number, paper, score }) => ({ paper, score, ...nudgedWhy(whyPicked(index, number, undefined), nudge(number).reason) }));
}

/**
 * Matched papers in digest order: each topic ranks its own papers (a paper more topics match
 * ranks higher in each), the topics take turns at the places (takeTurns), and the papers taken
 * are listed best score first. The why line names the paper's most specific matching topic.
 */
function pickInTurns(index: PaperIndex, matches: ReadonlyMap<number, TopicMatch[]>, limit: number, nudge?: ProfileNudge): PickedPaper[] {
  const offers: TopicCandidate[] = [];
  for (const [documentNumber, topicMatches] of matches) {
    const boost = nudge ? nudge(documentNumber).boost : 0;
    for (const match of topicMatches) {
      const score = multiTopicScore(scoreInTopic(index, documentNumber, match), topicMatches.length) + boost;
      offers.push({ documentNumber, topicNumber: match.topic.number, score });
    }
  }
  const taken = takeTurns(offers, limit).sort((a, b) => b.score - a.score || a.documentNumber - b.documentNumber);
  return taken.flatMap(({ documentNumber, score }) => {
    const paper = index.papers[documentNumber];
    const reason = [...(matches.get(documentNumber) ?? [])].sort(mostSpecific)[0];
    const why = whyPicked(index, documentNumber, reason?.topic);
    if (!paper) return [];
    const abstractMatches = abstractMatchesOf(index, documentNumber, reason?.topic);
    return [{ paper, score, ...nudgedWhy(why, nudge?.(documentNumber).reason), abstractMatches }];
  });
}
