// Use case: fetch one day's papers from every source, merge them, and store them by day.
import { describeError } from '../core/errors';
import { mergeById } from '../core/merge-papers';
import type { Paper } from '../core/model';
import type { Logger, MetadataSource, Metrics, PaperSource, PaperStore } from '../ports';
import { addArxivMetadata, type MetadataOutcome } from './arxiv-metadata';

/** The "source" dimension under which ItemsSkipped counts papers the store refused. */
const STORE_SKIP_SOURCE = 'store';

export interface FetchPapersDeps {
  sources: PaperSource[];
  papers: PaperStore;
  logger: Logger;
  metrics: Metrics;
  /** Read only when every source fails (the local stack's sample feed); the deployed stack has none. */
  fallback?: PaperSource;
  /** arXiv's record by id for papers that came without categories (see addArxivMetadata); absent, none is looked up. */
  metadata?: MetadataSource;
}

export interface SourceOutcome {
  source: string;
  /** Distinct papers the source listed (a paper it lists twice counts once). */
  fetched: number;
  skipped: number;
  /** Set when the source could not be read; the run went on with the others. */
  error?: string;
}

export interface FetchPapersSummary {
  day: string;
  sources: SourceOutcome[];
  /** Distinct papers after merging across sources. */
  merged: number;
  /** Records written to the store. */
  stored: number;
  /** Papers the store refused (too large even after the field caps), skipped like malformed items. */
  unstorable: number;
  /** Set when every source failed and the fallback source was read instead. */
  usedFallback?: string | undefined;
  /** What the arXiv metadata lookup did, when papers came without categories. */
  metadata?: MetadataOutcome | undefined;
}

/** Thrown when no source could be read at all, so the scheduler retries the run. */
export class AllSourcesFailedError extends Error {
  override readonly name = 'AllSourcesFailedError';
  constructor(readonly outcomes: SourceOutcome[]) {
    super(`no paper source could be read: ${outcomes.map((o) => `${o.source} (${o.error})`).join('; ')}`);
  }
}

export interface CollectedPapers {
  outcomes: SourceOutcome[];
  /** Distinct papers, merged across sources. */
  papers: Paper[];
  usedFallback?: string | undefined;
  metadata?: MetadataOutcome | undefined;
}

/**
 * Fetch `day` from every source in parallel and merge what they list. A failing source is
 * reported and the run goes on with the others. When every source fails, the fallback (if any)
 * is read instead; without one, or when it fails too, it throws so the scheduler retries.
 * Papers without categories then get arXiv's (addArxivMetadata; with `papers`, known ones are not asked again).
 */
export async function collectPapers(
  deps: Omit<FetchPapersDeps, 'papers'> & { papers?: Pick<PaperStore, 'papersById'> },
  day: string,
): Promise<CollectedPapers> {
  let { outcomes, papers } = await readSources(deps.sources, deps.logger, day);
  let usedFallback: string | undefined;
  if (outcomes.every((outcome) => outcome.error !== undefined)) {
    if (!deps.fallback) throw new AllSourcesFailedError(outcomes);
    usedFallback = deps.fallback.name;
    deps.logger.warn('no source could be read; using the fallback source', { fallback: usedFallback, day });
    const fallback = await readSources([deps.fallback], deps.logger, day);
    outcomes = [...outcomes, ...fallback.outcomes];
    if (fallback.outcomes.every((outcome) => outcome.error !== undefined)) throw new AllSourcesFailedError(outcomes);
    papers = fallback.papers;
  }
  // A run on the fallback had no network to speak of: asking arXiv would only wait out its retries.
  const withMetadata = usedFallback ? { papers: mergeById(papers) } : await addArxivMetadata(deps, mergeById(papers));
  return { outcomes, papers: withMetadata.papers, usedFallback, metadata: withMetadata.outcome };
}

/** Collect `day`'s papers (see collectPapers) and store them by day. */
export async function fetchPapers(deps: FetchPapersDeps, day: string): Promise<FetchPapersSummary> {
  const { outcomes, papers, usedFallback, metadata } = await collectPapers(deps, day);
  const { stored, skipped: unstorable } = await deps.papers.putDay(day, papers);
  const summary: FetchPapersSummary = { day, sources: outcomes, merged: papers.length, stored, unstorable: unstorable.length, usedFallback, metadata };
  for (const outcome of outcomes) {
    deps.metrics.count('PapersFetched', outcome.fetched, { source: outcome.source });
    deps.metrics.count('ItemsSkipped', outcome.skipped, { source: outcome.source });
  }
  deps.metrics.count('ItemsSkipped', unstorable.length, { source: STORE_SKIP_SOURCE });
  for (const item of unstorable) deps.logger.warn('skipped an item the store refused', { day, reason: item.reason, paperId: item.id });
  // Counted even when zero: an alarm fires on a day that stored no papers.
  deps.metrics.count('PapersStored', stored);
  deps.logger.info('papers fetched', { ...summary });
  return summary;
}

async function readSources(sources: PaperSource[], logger: Logger, day: string): Promise<{ outcomes: SourceOutcome[]; papers: Paper[] }> {
  const results = await Promise.allSettled(sources.map((source) => source.fetchDay(day)));
  const outcomes: SourceOutcome[] = [];
  const papers: Paper[] = [];
  for (const [index, result] of results.entries()) {
    const source = sources[index]!.name;
    if (result.status === 'rejected') {
      const { error } = describeError(result.reason);
      outcomes.push({ source, fetched: 0, skipped: 0, error });
      logger.warn('source failed; going on without it', { source, day, error });
      continue;
    }
    const batch = result.value;
    outcomes.push({ source, fetched: new Set(batch.papers.map((paper) => paper.id)).size, skipped: batch.skipped.length });
    papers.push(...batch.papers);
    for (const skipped of batch.skipped) {
      logger.warn('skipped malformed feed item', { source, day, reason: skipped.reason, paperId: skipped.id });
    }
  }
  return { outcomes, papers };
}
