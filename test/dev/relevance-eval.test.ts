// The evaluation's metrics, its labelled set, and the ranking's scores on it pinned so a regression fails.
import path from 'node:path';
import { evaluateRanking, loadFeedPapers, loadJudgements, rankingMetrics, sharedFeedsDir } from '../../dev/relevance-eval';
import { parseTopicFilter } from '../../lambdas/core/topic-filter';

const ROOT = path.resolve(__dirname, '../..');
const judgements = loadJudgements(path.join(ROOT, 'test/fixtures/relevance'));
/**
 * A second labelled set of different topics, labelled before the rules it scores were written; rules
 * were kept only if they helped or left it alone, so it guards against fitting the first set, but it
 * is not a clean held-out set.
 */
const checkJudgements = loadJudgements(path.join(ROOT, 'test/fixtures/relevance-check'));

/** Means measured on the recorded feeds (npm run eval), less a small margin for harmless reorderings. */
const PINNED_MEANS = { precisionAt5: 0.754, recallAt10: 0.887, ndcgAt10: 0.928, cappedPrecisionAt5: 0.908, cappedRecallAt10: 0.929 };
const PINNED_CHECK_MEANS = { precisionAt5: 0.75, recallAt10: 0.88, ndcgAt10: 0.923, cappedPrecisionAt5: 0.913, cappedRecallAt10: 0.893 };
const MARGIN = 0.02;

describe('rankingMetrics', () => {
  it('gives a perfect ranking full recall and nDCG (precision at 5 is capped by three relevant papers)', () => {
    expect(rankingMetrics(['a', 'b', 'c'], new Set(['a', 'b', 'c']))).toEqual({
      precisionAt5: 0.6,
      recallAt10: 1,
      ndcgAt10: 1,
      cappedPrecisionAt5: 1,
      cappedRecallAt10: 1,
    });
  });

  it('caps precision and recall at what the number of relevant papers allows', () => {
    const twelve = Array.from({ length: 12 }, (_, number) => `r${number}`);
    const scores = rankingMetrics(['r0', 'x1', 'r1', ...twelve.slice(2, 10)], new Set(twelve));
    expect(scores.recallAt10).toBeCloseTo(9 / 12);
    expect(scores.cappedRecallAt10).toBeCloseTo(9 / 10);
    expect(rankingMetrics(['a', 'x', 'y', 'z', 'w'], new Set(['a', 'b'])).cappedPrecisionAt5).toBeCloseTo(1 / 2);
  });

  it('counts hits in the top five for precision and the top ten for recall', () => {
    const ranked = ['x1', 'a', 'x2', 'x3', 'x4', 'b', 'x5', 'x6', 'x7', 'x8', 'c'];
    const scores = rankingMetrics(ranked, new Set(['a', 'b', 'c']));
    expect(scores.precisionAt5).toBeCloseTo(0.2);
    expect(scores.recallAt10).toBeCloseTo(2 / 3);
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(7);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(scores.ndcgAt10).toBeCloseTo(dcg / idcg);
  });

  it('rewards the same hits more the higher they rank', () => {
    const relevant = new Set(['a']);
    expect(rankingMetrics(['a', 'x'], relevant).ndcgAt10).toBeGreaterThan(rankingMetrics(['x', 'a'], relevant).ndcgAt10);
  });
});

describe('the check set', () => {
  it('has at least 10 topics, none of them in the labelled set, covering every kind of topic, each with its criterion', () => {
    expect(checkJudgements.length).toBeGreaterThanOrEqual(10);
    const tuned = new Set(judgements.map((judgement) => judgement.topics));
    for (const judgement of checkJudgements) {
      expect(tuned).not.toContain(judgement.topics);
      expect(judgement.criterion?.trim().length).toBeGreaterThan(10);
    }
    const kinds = new Set(checkJudgements.map((judgement) => judgement.kind));
    for (const kind of ['word', 'phrase', 'hyphenated', 'acronym', 'category', 'author', 'exclusion', 'multi-topic']) expect(kinds).toContain(kind);
  });
});

describe('the labelled set', () => {
  it('has at least 12 topics covering every kind of topic the filter language has', () => {
    expect(judgements.length).toBeGreaterThanOrEqual(12);
    const kinds = new Set(judgements.map((judgement) => judgement.kind));
    for (const kind of ['word', 'phrase', 'hyphenated', 'acronym', 'category', 'author', 'exclusion', 'multi-topic']) expect(kinds).toContain(kind);
  });

  it('has topics that parse and a reason for every relevant paper, in both sets', () => {
    for (const judgement of [...judgements, ...checkJudgements]) {
      expect(() => parseTopicFilter(judgement.topics)).not.toThrow();
      const reasons = Object.values(judgement.relevant);
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons) expect(reason.trim().length).toBeGreaterThan(5);
    }
  });
});

// The recorded feeds are not in the repository: SHARED_FEEDS_DIR names them (CI sets it), as in test/conformance.
const feedsDir = sharedFeedsDir(ROOT);
const describeIfFeeds = feedsDir ? describe : describe.skip;

describeIfFeeds('the ranking on the recorded feeds', () => {
  it.each([
    ['labelled set', judgements, PINNED_MEANS],
    ['check set', checkJudgements, PINNED_CHECK_MEANS],
  ] as const)('keeps the %s means at or above the pinned values', async (_name, set, pinned) => {
    const { papers, now } = await loadFeedPapers(feedsDir ?? '');
    const { mean } = evaluateRanking(papers, now, set);
    for (const metric of Object.keys(pinned) as (keyof typeof pinned)[]) expect(mean[metric]).toBeGreaterThanOrEqual(pinned[metric] - MARGIN);
  });
});
