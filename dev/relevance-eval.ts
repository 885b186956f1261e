// Scores the digest ranking on hand-labelled topics over the recorded feeds: P@5, R@10 and nDCG@10.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { replaySources } from '../lambdas/adapters/replay-source';
import { mergeById } from '../lambdas/core/merge-papers';
import type { Paper } from '../lambdas/core/model';
import { buildPaperIndex, selectPapersFor } from '../lambdas/core/select-papers';

/** One labelled topic: a topic filter and the papers a reader judged relevant to it, each with why. */
export interface Judgement {
  /** File name without ".json". */
  name: string;
  /** The topic filter as a subscriber would type it. */
  topics: string;
  /** What the topic exercises: word, phrase, hyphenated, acronym, category, author, exclusion, multi-topic. */
  kind: string;
  /** How relevance was judged for this topic, when written down. */
  criterion?: string;
  /** Paper id -> one-line reason it is relevant. Every other paper is judged not relevant. */
  relevant: Record<string, string>;
}

export interface TopicScores {
  name: string;
  topics: string;
  precisionAt5: number;
  recallAt10: number;
  ndcgAt10: number;
  /**
   * Hits in the top five over min(5, relevant papers): P@5 cannot exceed 0.4 for a topic with two
   * relevant papers, so this says how much of what P@5 could reach the ranking reached.
   */
  cappedPrecisionAt5: number;
  /** Hits in the top ten over min(10, relevant papers), R@10's counterpart for topics with more than ten. */
  cappedRecallAt10: number;
}

type Scores = Omit<TopicScores, 'name' | 'topics'>;

export interface EvaluationReport {
  topics: TopicScores[];
  mean: Scores;
}

/** Depth the ranking is scored to: the default digest length. */
export const EVALUATION_DEPTH = 10;

/** The labelled set: every *.json in `dir`, in name order. */
export function loadJudgements(dir: string): Judgement[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Omit<Judgement, 'name'>;
      return { name: file.slice(0, -'.json'.length), ...parsed };
    });
}

/** The recorded feeds folder: SHARED_FEEDS_DIR, else ../shared/feeds beside the checkout; undefined when absent. */
export function sharedFeedsDir(repoRoot: string): string | undefined {
  const dir = process.env.SHARED_FEEDS_DIR ? path.resolve(process.env.SHARED_FEEDS_DIR) : path.resolve(repoRoot, '../shared/feeds');
  return existsSync(dir) ? dir : undefined;
}

/**
 * Every paper in the recorded feeds, merged by id as the fetch does, as one day's candidates: the
 * recordings span eight years, and without this a 2018 paper could never outrank one from
 * 2026 however relevant. Each is listed on the latest recorded day and ranked at its noon.
 */
export async function loadFeedPapers(feedsDir: string): Promise<{ papers: Paper[]; now: Date }> {
  const papers: Paper[] = [];
  for (const source of replaySources(feedsDir)) papers.push(...(await source.fetchDay(EVALUATION_DAY)).papers);
  const merged = mergeById(papers);
  const day =
    merged
      .flatMap((paper) => paper.listedOn)
      .sort()
      .at(-1) ?? EVALUATION_DAY;
  return { papers: merged.map((paper) => ({ ...paper, listedOn: [day] })), now: new Date(`${day}T12:00:00Z`) };
}

/** The day recordings without a date in their name are listed on. */
const EVALUATION_DAY = '2026-08-14';

/** Depth precision is scored to. */
const PRECISION_DEPTH = 5;

/** Precision at 5, recall at 10 and binary-gain nDCG at 10 of one ranking. */
export function rankingMetrics(ranked: readonly string[], relevant: ReadonlySet<string>): Scores {
  const top = ranked.slice(0, EVALUATION_DEPTH);
  const hits = top.map((id) => relevant.has(id));
  const dcg = hits.reduce((sum, hit, rank) => sum + (hit ? 1 / Math.log2(rank + 2) : 0), 0);
  const idealHits = Math.min(relevant.size, EVALUATION_DEPTH);
  let idcg = 0;
  for (let rank = 0; rank < idealHits; rank += 1) idcg += 1 / Math.log2(rank + 2);
  const hitsAt5 = hits.slice(0, PRECISION_DEPTH).filter(Boolean).length;
  const hitsAt10 = hits.filter(Boolean).length;
  return {
    precisionAt5: hitsAt5 / PRECISION_DEPTH,
    recallAt10: relevant.size === 0 ? 0 : hitsAt10 / relevant.size,
    ndcgAt10: idcg === 0 ? 0 : dcg / idcg,
    cappedPrecisionAt5: relevant.size === 0 ? 0 : hitsAt5 / Math.min(PRECISION_DEPTH, relevant.size),
    cappedRecallAt10: idealHits === 0 ? 0 : hitsAt10 / idealHits,
  };
}

const mapScores = (scores: Scores, map: (value: number) => number): Scores => ({
  precisionAt5: map(scores.precisionAt5),
  recallAt10: map(scores.recallAt10),
  ndcgAt10: map(scores.ndcgAt10),
  cappedPrecisionAt5: map(scores.cappedPrecisionAt5),
  cappedRecallAt10: map(scores.cappedRecallAt10),
});
const round = (value: number) => Math.round(value * 1000) / 1000;
const meanOf = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

/** Rank the papers for each judged topic as a digest would (nothing sent yet) and score the top ten. */
export function evaluateRanking(papers: readonly Paper[], now: Date, judgements: readonly Judgement[]): EvaluationReport {
  const index = buildPaperIndex(papers, now);
  const topics = judgements.map((judgement) => {
    const picked = selectPapersFor({ topics: judgement.topics, maxPapers: EVALUATION_DEPTH }, index, { now, alreadySent: new Set() });
    const scores = rankingMetrics(
      picked.map((pick) => pick.paper.id),
      new Set(Object.keys(judgement.relevant)),
    );
    return { name: judgement.name, topics: judgement.topics, ...mapScores(scores, round) };
  });
  const meanBy = (metric: keyof Scores) => round(meanOf(topics.map((topic) => topic[metric])));
  return {
    topics,
    mean: {
      precisionAt5: meanBy('precisionAt5'),
      recallAt10: meanBy('recallAt10'),
      ndcgAt10: meanBy('ndcgAt10'),
      cappedPrecisionAt5: meanBy('cappedPrecisionAt5'),
      cappedRecallAt10: meanBy('cappedRecallAt10'),
    },
  };
}
