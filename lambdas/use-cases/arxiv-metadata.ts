// Use case step: papers only Hugging Face listed get arXiv's categories and metadata, each id asked of arXiv once.
import type { Paper } from '../core/model';
import type { Logger, MetadataSource, Metrics, PaperStore } from '../ports';

/**
 * Most ids looked up in one run, so the lookup stays far inside the fetch-papers Lambda's 5 minutes:
 * 2 requests of 50 ids, 3 s apart; even if each takes every retry (4 attempts × 15 s timeout and
 * 3-6-12 s backoff, about 85 s) that is under 3 minutes. Hugging Face lists 20-50 papers a day, so
 * the rest wait for the next run only on a day with a backlog.
 */
export const MAX_METADATA_LOOKUPS_PER_RUN = 100;

export interface ArxivMetadataDeps {
  /** Absent: papers keep what their sources gave. */
  metadata?: MetadataSource | undefined;
  /** Where earlier runs stored what arXiv said; absent, every paper without categories is asked. */
  papers?: Pick<PaperStore, 'papersById'> | undefined;
  logger: Logger;
  metrics: Metrics;
}

/** What the lookup did for one run's papers. */
export interface MetadataOutcome {
  /** Papers that came without categories. */
  withoutCategories: number;
  /** Of those, papers whose stored record already had them: never asked again. */
  alreadyKnown: number;
  /** Ids asked of arXiv (at most MAX_METADATA_LOOKUPS_PER_RUN). */
  lookedUp: number;
  /** Ids arXiv answered with categories. */
  found: number;
  /** Ids whose request failed: they stay without categories and are asked again on a later run. */
  failed: number;
  /** Ids past the cap, left for a later run. */
  deferred: number;
}

/**
 * `papers` with arXiv's categories, primary category, comment, journal reference and version on
 * those that had no categories: from their stored record when an earlier run found them, else
 * from the metadata source (most upvoted first, at most MAX_METADATA_LOOKUPS_PER_RUN). A failed
 * lookup leaves the paper as it was; it is logged and counted (MetadataLookupsFailed).
 */
export async function addArxivMetadata(deps: ArxivMetadataDeps, papers: Paper[]): Promise<{ papers: Paper[]; outcome?: MetadataOutcome }> {
  const missing = papers.filter((paper) => paper.categories.length === 0);
  if (!deps.metadata || missing.length === 0) return { papers };
  const stored = deps.papers ? await deps.papers.papersById(missing.map((paper) => paper.id)) : [];
  const known = new Map<string, Answer>();
  for (const record of stored) {
    if (record.categories.length > 0) known.set(record.id, record);
  }
  const toAsk = missing
    .filter((paper) => !known.has(paper.id))
    .sort((a, b) => b.signals.upvotes - a.signals.upvotes)
    .map((paper) => paper.id);
  const asked = toAsk.slice(0, MAX_METADATA_LOOKUPS_PER_RUN);
  const lookup = asked.length > 0 ? await deps.metadata.lookup(asked) : { found: [], failed: [], errors: [] };
  const answers = new Map<string, Answer>([...known, ...lookup.found.map((record) => [record.id, record] as const)]);
  const outcome: MetadataOutcome = {
    withoutCategories: missing.length,
    alreadyKnown: known.size,
    lookedUp: asked.length,
    found: lookup.found.length,
    failed: lookup.failed.length,
    deferred: toAsk.length - asked.length,
  };
  deps.metrics.count('MetadataLookedUp', outcome.found);
  deps.metrics.count('MetadataLookupsFailed', outcome.failed);
  if (outcome.failed > 0)
    deps.logger.warn('arXiv metadata lookup failed; those papers stay without categories', { failed: outcome.failed, errors: lookup.errors });
  if (outcome.deferred > 0) deps.logger.info('arXiv metadata lookups past the per-run cap wait for the next run', { deferred: outcome.deferred });
  return { papers: papers.map((paper) => withRecord(paper, answers.get(paper.id))), outcome };
}

/** What a paper learns from a stored record or arXiv's answer (records stored before lookups may have categories alone). */
type Answer = Pick<Paper, 'categories' | 'arxiv'>;

function withRecord(paper: Paper, answer: Answer | undefined): Paper {
  if (!answer || paper.categories.length > 0) return paper;
  return { ...paper, categories: answer.categories, ...(answer.arxiv ? { arxiv: answer.arxiv } : {}) };
}
