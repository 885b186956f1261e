// Trending score of a paper: engagement (upvotes, comments, log-damped stars) decaying with age.
import type { Paper, PaperSignals } from './model';

/** Hours after which a paper's trending score has halved. */
export const TRENDING_HALF_LIFE_HOURS = 48;
/** One comment counts as this many upvotes: it takes more effort than a click. */
export const COMMENT_WEIGHT = 2;
/** Weight of log2(1 + stars): 1,000 stars count as ~20 upvotes, 100,000 as ~33. */
export const STAR_WEIGHT = 2;

const HOUR_MS = 3_600_000;

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Engagement before decay: upvotes + 2 x comments + 2 x log2(1 + GitHub stars). Stars are
 * log-damped because a famous repository's count is orders of magnitude above any paper's upvotes.
 */
export function engagementOf(signals: PaperSignals): number {
  return nonNegative(signals.upvotes) + COMMENT_WEIGHT * nonNegative(signals.comments) + STAR_WEIGHT * Math.log2(1 + nonNegative(signals.githubStars));
}

function timeOf(iso: string): number | undefined {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Hours since the paper was last news: the later of its publication and the start (UTC) of the
 * latest day a source listed it. Hugging Face often lists papers a week or two after arXiv v1;
 * that listing is what makes them trending today. Never negative; 0 when no date parses.
 */
export function trendingAgeHours(paper: Paper, now: Date): number {
  const times = [paper.publishedAt, ...paper.listedOn.map((day) => `${day}T00:00:00Z`)].map(timeOf).filter((time): time is number => time !== undefined);
  if (times.length === 0) return 0;
  return Math.max(0, (now.getTime() - Math.max(...times)) / HOUR_MS);
}

/**
 * Trending score: `(1 + engagement) x 0.5 ^ (ageHours / 48)`. The exponential half-life makes
 * the order of two papers independent of when it is computed (both decay by the same factor),
 * so subscribers in every time zone see the same ranking for the same papers.
 */
export function trendingScore(paper: Paper, now: Date): number {
  return (1 + engagementOf(paper.signals)) * 0.5 ** (trendingAgeHours(paper, now) / TRENDING_HALF_LIFE_HOURS);
}

/** A paper with its trending score, as compared by `compareTrending`. */
export interface TrendingEntry {
  paper: Paper;
  score: number;
}

function publishedTime(paper: Paper): number {
  return timeOf(paper.publishedAt) ?? Number.NEGATIVE_INFINITY;
}

/** Deterministic trending order: score descending, then newer publishedAt, then id ascending. */
export function compareTrending(a: TrendingEntry, b: TrendingEntry): number {
  if (a.score !== b.score) return b.score - a.score;
  const published = publishedTime(b.paper) - publishedTime(a.paper);
  if (published !== 0 && !Number.isNaN(published)) return published;
  if (a.paper.id === b.paper.id) return 0;
  return a.paper.id < b.paper.id ? -1 : 1;
}

/** Papers with their trending scores at `now`, best first. */
export function scoreByTrending(papers: readonly Paper[], now: Date): TrendingEntry[] {
  return papers.map((paper) => ({ paper, score: trendingScore(paper, now) })).sort(compareTrending);
}

/** Papers ordered by trending score at `now`, best first, ties broken deterministically. */
export function rankByTrending(papers: readonly Paper[], now: Date): Paper[] {
  return scoreByTrending(papers, now).map((entry) => entry.paper);
}
