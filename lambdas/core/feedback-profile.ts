// A reader's "More like this" / "Fewer like this" clicks as a small bounded profile (Rocchio-style term, author and category weights) that nudges their ranking.
import type { FeedbackRecord, FeedbackVote, MarkedPaper, Paper, Subscriber } from './model';
import { isWithdrawn } from './subscription';
import { isStopWord, nameTokensOf, termOf, wordsIn } from './text-terms';

/** Papers whose clicks the profile is made of; an older click is forgotten (its "fewer" paper stays excluded). */
export const MAX_MARKED_PAPERS = 40;
/** Papers marked "fewer" that are never picked again; past this the oldest may come back (by then long out of every window). */
export const MAX_FEWER_PAPER_IDS = 300;
/** What one marked paper contributes, at most. */
export const PER_PAPER = { terms: 12, authors: 4, categories: 4 } as const;
/** The learned profile keeps the strongest weights only. */
export const PROFILE_CAPS = { terms: 40, authors: 15, categories: 10 } as const;
/** Each older click counts this much less than the next (newest 1, then 0.85, 0.72, ...), so the profile follows the reader and stays bounded. */
export const CLICK_DECAY = 0.85;
/** Rocchio's gamma over beta: a "fewer" click pushes away half as hard as a "more" click pulls. */
export const FEWER_WEIGHT = 0.5;
/**
 * Most a profile moves a paper's score (0..1 within a topic, see selectPapersFor): enough to
 * reorder papers of similar standing, never to lift the weakest match over the day's best.
 */
export const PROFILE_BOOST_LIMIT = 0.15;
/** Least affinity (see ProfileScorer) for a paper's why line to say the profile helped pick it. */
export const WHY_AFFINITY = 0.3;
/** How the affinity splits between what a paper says, who wrote it and where arXiv files it. */
const AFFINITY_SHARES = { terms: 0.6, authors: 0.25, categories: 0.15 } as const;
/** Sum of idf-weighted term weights at which the term part reaches tanh(1) ~ 0.76: about two distinctive shared terms. */
const TERM_SATURATION = 2;
/**
 * How much a word tells about a paper by where it stands, for picking its telling words: keywords
 * count more here than in relevance.ts's FIELD_WEIGHTS, being the author's own summary of the paper.
 */
const TELLING_FIELD_WEIGHTS = { title: 3, keywords: 2, abstract: 1 } as const;

/** Words every abstract uses: they say nothing about what a reader wants more of. */
const BOILERPLATE = new Set(
  (
    'paper propose proposed method approach result show demonstrate achieve performance perform existing novel new use using ' +
    'based work task model framework experiment extensive significant significantly outperform state art also however introduce ' +
    'present study furthermore moreover while which these this that our can such both across large first two three one more than ' +
    'other its their has have been not well only into over under when where how what between each through further including different ' +
    'various key code available recent recently effective effectively efficient improve improvement data training benchmark evaluate ' +
    'evaluation problem challenge challenging leverage enable via within without make makes made provide provides set high low ' +
    'learn learning long short value simple good better best small general strong way time step level fast faster ' +
    'per keep all any some many most much very then thus there here whether about after before during since until upon among even still yet just often second ' +
    // Halves of hyphenated compounds (calibration-free, post-training, non-trivial, context-aware) that mean nothing alone.
    'free post pre non aware change'
  )
    .split(' ')
    .map(termOf),
);

/** A word worth learning: not a stop word or boilerplate, not a number, at least three letters unless written as an acronym. */
function tellingWord(word: string): boolean {
  if (/^\p{N}+$/u.test(word) || isStopWord(word)) return false;
  if (word.length < 3 && !/^\p{Lu}{2}$/u.test(word)) return false;
  return !BOILERPLATE.has(termOf(word));
}

/** How a word is shown: lowercase, unless written with two capitals or more (an acronym such as LLMs or KV). */
const labelOf = (word: string): string => (/\p{Lu}.*\p{Lu}/u.test(word) ? word : word.toLowerCase());

/** The words of a paper most worth learning, as written, best first: weighted counts over the title (x3), keywords (x2) and abstract. */
export function tellingTermsOf(paper: Pick<Paper, 'title' | 'abstract' | 'keywords'>): string[] {
  const counts = new Map<string, { weight: number; label: string; first: number }>();
  let position = 0;
  const add = (text: string, weight: number) => {
    for (const word of wordsIn(text)) {
      position += 1;
      if (!tellingWord(word)) continue;
      const term = termOf(word);
      const seen = counts.get(term);
      if (seen) seen.weight += weight;
      else counts.set(term, { weight, label: labelOf(word), first: position });
    }
  };
  add(paper.title, TELLING_FIELD_WEIGHTS.title);
  for (const keyword of paper.keywords) add(keyword, TELLING_FIELD_WEIGHTS.keywords);
  add(paper.abstract, TELLING_FIELD_WEIGHTS.abstract);
  return [...counts.values()]
    .sort((a, b) => b.weight - a.weight || a.first - b.first)
    .slice(0, PER_PAPER.terms)
    .map((entry) => entry.label);
}

/** What ranking learns from `paper` marked `vote`: its telling words, first and last authors, categories. */
export function markedPaperOf(paper: Paper, vote: FeedbackVote): MarkedPaper {
  const { authors } = paper;
  const named = authors.length <= PER_PAPER.authors ? authors : [...authors.slice(0, PER_PAPER.authors - 1), authors[authors.length - 1]!];
  return {
    paperId: paper.id,
    vote,
    terms: tellingTermsOf(paper),
    authors: named,
    categories: paper.categories.slice(0, PER_PAPER.categories),
  };
}

/** The vote a reader gave `paperId`, if it is among their remembered clicks. */
export function voteOn(record: FeedbackRecord | undefined, paperId: string): FeedbackVote | undefined {
  return record?.marked.find((marked) => marked.paperId === paperId)?.vote;
}

/**
 * The record with `marked` as the newest click. The same vote on the same paper again changes
 * nothing (the same object comes back); the other vote replaces the first. Bounded: the oldest
 * clicks past MAX_MARKED_PAPERS and "fewer" ids past MAX_FEWER_PAPER_IDS are dropped.
 */
export function withVote(record: FeedbackRecord | undefined, marked: MarkedPaper): FeedbackRecord {
  const current = record ?? { marked: [], fewerPaperIds: [] };
  const alreadyFewer = current.fewerPaperIds.includes(marked.paperId);
  if (voteOn(current, marked.paperId) === marked.vote && (marked.vote === 'more' || alreadyFewer)) return current;
  const others = current.marked.filter((earlier) => earlier.paperId !== marked.paperId);
  const fewer = current.fewerPaperIds.filter((id) => id !== marked.paperId);
  if (marked.vote === 'fewer') fewer.push(marked.paperId);
  return { marked: [...others, marked].slice(-MAX_MARKED_PAPERS), fewerPaperIds: fewer.slice(-MAX_FEWER_PAPER_IDS) };
}

/** The subscriber with `marked` recorded (see withVote); unchanged (the same object) when withdrawn or when it changes nothing. */
export function recordVote(subscriber: Subscriber, marked: MarkedPaper): Subscriber {
  if (isWithdrawn(subscriber)) return subscriber;
  const feedback = withVote(subscriber.feedback, marked);
  return feedback === subscriber.feedback ? subscriber : { ...subscriber, feedback };
}

/** The subscriber with everything their clicks taught forgotten, "fewer" papers included; the same object when there was nothing. */
export function forgetFeedback(subscriber: Subscriber): Subscriber {
  if (!subscriber.feedback) return subscriber;
  const { feedback: _forgotten, ...rest } = subscriber;
  return rest;
}

/** One learned weight: positive pulls papers up, negative pushes them down. */
export interface LearnedWeight {
  /** How it is matched: a term (termOf), folded name tokens joined by spaces, or a lowercase category. */
  key: string;
  /** How it is shown, as the newest click that taught it wrote it. */
  label: string;
  weight: number;
}

/** What a reader's clicks add up to. Weights are scaled so the strongest of each kind is 1 or -1. */
export interface LearnedProfile {
  more: number;
  fewer: number;
  terms: LearnedWeight[];
  authors: LearnedWeight[];
  categories: LearnedWeight[];
  /** Papers never to pick again. */
  fewerPaperIds: ReadonlySet<string>;
}

/**
 * The profile a record adds up to: each click adds its paper's features with weight +1 ("more")
 * or -FEWER_WEIGHT ("fewer"), times CLICK_DECAY per newer click; a paper's terms weigh 1 for its
 * best word down to 0.5 for its last. The strongest PROFILE_CAPS of each kind are kept.
 */
export function learnedProfile(record: FeedbackRecord | undefined): LearnedProfile {
  const marked = record?.marked ?? [];
  const sums = { terms: new Map<string, LearnedWeight>(), authors: new Map<string, LearnedWeight>(), categories: new Map<string, LearnedWeight>() };
  const add = (kind: keyof typeof sums, key: string, label: string, weight: number) => {
    if (!key) return;
    const seen = sums[kind].get(key);
    if (seen) seen.weight += weight;
    else sums[kind].set(key, { key, label, weight });
  };
  // Newest first, so each key keeps the label of the newest click that used it.
  [...marked].reverse().forEach((paper, age) => {
    const strength = (paper.vote === 'more' ? 1 : -FEWER_WEIGHT) * CLICK_DECAY ** age;
    paper.terms.forEach((word, rank) => add('terms', termOf(word), word, strength * (1 - (0.5 * rank) / PER_PAPER.terms)));
    for (const author of paper.authors) add('authors', nameTokensOf(author).join(' '), author, strength);
    paper.categories.forEach((category, rank) => add('categories', category.toLowerCase(), category, strength * (rank === 0 ? 1 : 0.5)));
  });
  return {
    more: marked.filter((paper) => paper.vote === 'more').length,
    fewer: marked.filter((paper) => paper.vote === 'fewer').length,
    terms: strongest(sums.terms, PROFILE_CAPS.terms),
    authors: strongest(sums.authors, PROFILE_CAPS.authors),
    categories: strongest(sums.categories, PROFILE_CAPS.categories),
    fewerPaperIds: new Set(record?.fewerPaperIds ?? []),
  };
}

function strongest(weights: ReadonlyMap<string, LearnedWeight>, cap: number): LearnedWeight[] {
  const kept = [...weights.values()]
    .filter((entry) => Math.abs(entry.weight) > 1e-9)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.key.localeCompare(b.key))
    .slice(0, cap);
  const scale = Math.max(0, ...kept.map((entry) => Math.abs(entry.weight)));
  return scale > 0 ? kept.map((entry) => ({ ...entry, weight: entry.weight / scale })) : [];
}

/** Whether the profile has anything to rank by (clicks that taught weights); "fewer" ids alone only exclude. */
export function profileIsEmpty(profile: LearnedProfile): boolean {
  return profile.terms.length === 0 && profile.authors.length === 0 && profile.categories.length === 0;
}

/** What a scorer needs from the day's papers: which contain a term, how rare it is, who wrote them, where they are filed. */
export interface ProfileCandidates {
  containsTerm(documentNumber: number, term: string): boolean;
  /** The term's idf over the day's papers scaled to 0..1 (1 for the rarest). */
  termRarity(term: string): number;
  authorKeys(documentNumber: number): readonly string[];
  categories(documentNumber: number): readonly string[];
}

/** How a paper relates to the profile: affinity in -1..1, and the learned words and authors it shares (the strongest pulls first). */
export interface ProfileMatch {
  affinity: number;
  shared: string[];
}

/** Scores the day's papers against one reader's profile. */
export class ProfileScorer {
  constructor(
    private readonly profile: LearnedProfile,
    private readonly candidates: ProfileCandidates,
  ) {}

  /**
   * Affinity: 0.6 x tanh(sum of shared terms' weight x rarity / TERM_SATURATION) + 0.25 x
   * tanh(shared authors' weights) + 0.15 x tanh(shared categories' weights / 2), in -1..1.
   */
  match(documentNumber: number): ProfileMatch {
    const { profile, candidates } = this;
    const pulls: Array<{ label: string; pull: number }> = [];
    let termSum = 0;
    for (const term of profile.terms) {
      if (!candidates.containsTerm(documentNumber, term.key)) continue;
      const pull = term.weight * candidates.termRarity(term.key);
      termSum += pull;
      pulls.push({ label: term.label, pull });
    }
    const authorKeys = new Set(candidates.authorKeys(documentNumber));
    let authorSum = 0;
    for (const author of profile.authors) {
      if (!authorKeys.has(author.key)) continue;
      authorSum += author.weight;
      pulls.push({ label: author.label, pull: author.weight * 2 });
    }
    const categories = new Set(candidates.categories(documentNumber));
    const categorySum = profile.categories.reduce((sum, category) => sum + (categories.has(category.key) ? category.weight : 0), 0);
    const affinity =
      AFFINITY_SHARES.terms * Math.tanh(termSum / TERM_SATURATION) +
      AFFINITY_SHARES.authors * Math.tanh(authorSum) +
      AFFINITY_SHARES.categories * Math.tanh(categorySum / 2);
    const shared = pulls
      .filter((entry) => entry.pull > 0)
      .sort((a, b) => b.pull - a.pull)
      .map((entry) => entry.label);
    return { affinity, shared };
  }
}

/** How much the profile moves a paper's score: PROFILE_BOOST_LIMIT x affinity. */
export const profileBoost = (affinity: number): number => PROFILE_BOOST_LIMIT * affinity;

/** `Like papers you marked: quantization, KV cache, Tri Dao`: at most three of what the paper shares with the profile. */
export function likeMarkedReason(match: ProfileMatch): string | undefined {
  if (match.affinity < WHY_AFFINITY || match.shared.length === 0) return undefined;
  return `Like papers you marked: ${match.shared.slice(0, 3).join(', ')}`;
}

/** What a profile leans towards and away from, in words, for the preferences page. */
export interface ProfileSummary {
  more: number;
  fewer: number;
  towards: { terms: string[]; authors: string[]; categories: string[] };
  /** Words and authors with a negative weight, strongest first. */
  awayFrom: string[];
}

/** The strongest pulls and pushes of `profile`: at most 8 words, 3 authors and 3 categories towards, 6 away. */
export function profileSummary(profile: LearnedProfile): ProfileSummary {
  const positive = (weights: readonly LearnedWeight[], count: number) =>
    weights
      .filter((entry) => entry.weight > 0)
      .slice(0, count)
      .map((entry) => entry.label);
  const awayFrom = [...profile.terms, ...profile.authors]
    .filter((entry) => entry.weight < 0)
    .sort((a, b) => a.weight - b.weight)
    .slice(0, 6)
    .map((entry) => entry.label);
  return {
    more: profile.more,
    fewer: profile.fewer,
    towards: { terms: positive(profile.terms, 8), authors: positive(profile.authors, 3), categories: positive(profile.categories, 3) },
    awayFrom,
  };
}
