// Evaluation: the ranking's P@5, R@10 and nDCG@10 per labelled topic over the recorded feeds; JSON on the last line.
import path from 'node:path';
import { evaluateRanking, loadFeedPapers, loadJudgements, sharedFeedsDir, type EvaluationReport } from '../dev/relevance-eval';

const ROOT = path.join(__dirname, '..');
const LABELS_DIR = path.join(ROOT, 'test', 'fixtures', 'relevance');
/** A second labelled set, never tuned against: a stand-in for the held-out set. */
const CHECK_LABELS_DIR = path.join(ROOT, 'test', 'fixtures', 'relevance-check');

const cell = (value: number) => value.toFixed(3).padStart(7);

function printTable(title: string, report: EvaluationReport): void {
  console.log(`${title.padEnd(40)}    P@5    R@10  nDCG@10  P@5cap R@10cap`);
  const row = (label: string, s: EvaluationReport['mean']) =>
    `${label.slice(0, 40).padEnd(40)}${cell(s.precisionAt5)}${cell(s.recallAt10)}${cell(s.ndcgAt10)}${cell(s.cappedPrecisionAt5)}${cell(s.cappedRecallAt10)}`;
  for (const topic of report.topics) console.log(row(topic.topics, topic));
  console.log(row('mean', report.mean));
}

async function main(): Promise<void> {
  const feedsDir = process.argv[2] ? path.resolve(process.argv[2]) : sharedFeedsDir(ROOT);
  if (!feedsDir) throw new Error('no recorded feeds: set SHARED_FEEDS_DIR or pass the folder (../shared/feeds)');
  const { papers, now } = await loadFeedPapers(feedsDir);
  const report = evaluateRanking(papers, now, loadJudgements(LABELS_DIR));
  const check = evaluateRanking(papers, now, loadJudgements(CHECK_LABELS_DIR));
  printTable('topic', report);
  printTable('check set', check);
  console.log(JSON.stringify({ papers: papers.length, asOf: now.toISOString(), ...report, check }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
