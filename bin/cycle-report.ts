// Human-readable lines for a digest cycle's summary, printed by `npm run digest` and the local scheduler.
import type { FetchPapersSummary } from '../lambdas/use-cases/fetch-papers';
import type { DigestCycleSummary } from '../lambdas/use-cases/run-digest-cycle';

/** One line when the live sources could not be read and the sample feed stood in, else undefined. */
export function fallbackNotice(papers: Pick<FetchPapersSummary, 'sources' | 'usedFallback'>): string | undefined {
  if (!papers.usedFallback) return undefined;
  const failed = papers.sources.filter((source) => source.error && source.source !== papers.usedFallback);
  return `No internet: could not reach ${failed.map((source) => source.source).join(' or ')}; using the ${papers.usedFallback} in samples/ instead.`;
}

export function formatCycleSummary(summary: DigestCycleSummary): string[] {
  const { papers, subscribers, digests } = summary;
  const sourceLines = papers.sources.map((source) =>
    source.error
      ? `    ${source.source}: failed (${source.error})`
      : `    ${source.source}: ${source.fetched} fetched${source.skipped ? `, ${source.skipped} malformed skipped` : ''}`,
  );
  const skipped = digests['already-sent'] + digests['in-progress'] + digests['not-active'] + digests['not-found'];
  return [
    `Digest cycle for ${papers.day}`,
    `  papers: ${papers.sources.reduce((sum, source) => sum + source.fetched, 0)} fetched, ${papers.merged} merged, ${papers.stored} stored`,
    ...sourceLines,
    `  subscribers: ${subscribers.active} active, ${subscribers.due} due`,
    `  digests: ${digests.sent} sent, ${digests.empty} with nothing new (no email), ${skipped} skipped (${digests['already-sent']} already sent), ${digests.failed + digests.rejected} failed${
      digests.unknown ? `, ${digests.unknown} outcome unknown (SES may have sent them; not resent)` : ''
    }`,
    `  time: ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  ];
}
