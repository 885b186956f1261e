// Papers only Hugging Face listed get arXiv's categories: once per id, capped per run, failures counted; a cat: topic then picks them.
import path from 'node:path';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import { ReplayMetadataSource } from '../../lambdas/adapters/replay-metadata-source';
import { replaySources } from '../../lambdas/adapters/replay-source';
import { selectPapersFor } from '../../lambdas/core/select-papers';
import type { Logger, MetadataSource, PaperSource } from '../../lambdas/ports';
import { MAX_METADATA_LOOKUPS_PER_RUN } from '../../lambdas/use-cases/arxiv-metadata';
import { collectPapers, fetchPapers } from '../../lambdas/use-cases/fetch-papers';
import { makePaper } from '../../dev/paper-factory';
import { type TestDynamo, useDynamo } from '../support/emulators';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'metadata');
const DAY = '2026-08-13';
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** The recorded answers, counting every id asked. */
function countingReplay(): MetadataSource & { asked: string[][] } {
  const replay = new ReplayMetadataSource(FIXTURES);
  const asked: string[][] = [];
  return { name: 'counting', asked, lookup: (ids) => (asked.push(ids), replay.lookup(ids)) };
}

let dynamo: TestDynamo;
useDynamo((started) => (dynamo = started));

describe('arXiv metadata for papers only Hugging Face listed', () => {
  it('a replay with a recorded id_list answer gives HF papers their categories, and a cat: topic then picks them by trending', async () => {
    const metrics = new MemoryMetrics();
    const collected = await collectPapers({ sources: replaySources(FIXTURES), metadata: new ReplayMetadataSource(FIXTURES), logger: quiet, metrics }, DAY);
    // The id_list answer holds metadata, not the day's papers: the day still has the three HF papers.
    expect(collected.papers.map((paper) => [paper.id, paper.categories, paper.arxiv?.latestVersion])).toEqual([
      ['2608.00677', ['cs.CR', 'cs.AI', 'cs.CL'], 2],
      ['2608.12307', ['cs.CL', 'cs.AI'], 1],
      ['2608.10615', [], undefined],
    ]);
    expect(collected.metadata).toEqual({ withoutCategories: 3, alreadyKnown: 0, lookedUp: 3, found: 2, failed: 0, deferred: 0 });
    const picked = selectPapersFor({ topics: 'cat:cs.CL', maxPapers: 5 }, collected.papers, { now: new Date(`${DAY}T12:00:00Z`), alreadySent: new Set() });
    expect(picked.map((pick) => pick.paper.id)).toEqual(['2608.00677', '2608.12307']);
  });

  it('stores what arXiv said, so a later run never asks for those ids again', async () => {
    const store = new DynamoPaperStore({ client: dynamo.client, tableName: (await dynamo.createTables()).papers });
    const metadata = countingReplay();
    const deps = { sources: replaySources(FIXTURES), papers: store, metadata, logger: quiet, metrics: new MemoryMetrics() };
    await fetchPapers(deps, DAY);
    const second = await fetchPapers(deps, '2026-08-14');
    // The second run asks only for the id arXiv did not know; the two it knew keep their stored categories.
    expect(metadata.asked).toEqual([['2608.00677', '2608.12307', '2608.10615'], ['2608.10615']]);
    expect(second.metadata).toMatchObject({ withoutCategories: 3, alreadyKnown: 2, lookedUp: 1, found: 0 });
    const stored = await store.papersById(['2608.00677']);
    expect(stored[0]).toMatchObject({
      categories: ['cs.CR', 'cs.AI', 'cs.CL'],
      arxiv: { primaryCategory: 'cs.CR', latestVersion: 2 },
      listedOn: [DAY, '2026-08-14'],
    });
  });

  it('keeps a paper whose lookup failed, without categories, and counts it in the summary and the metrics', async () => {
    const store = new DynamoPaperStore({ client: dynamo.client, tableName: (await dynamo.createTables()).papers });
    const metrics = new MemoryMetrics();
    const warnings: string[] = [];
    const failing: MetadataSource = {
      name: 'failing',
      lookup: async (ids) => ({ found: [], failed: ids, errors: ['export.arxiv.org unavailable: HTTP 503 after 4 attempts'] }),
    };
    const summary = await fetchPapers(
      { sources: replaySources(FIXTURES), papers: store, metadata: failing, logger: { ...quiet, warn: (message) => warnings.push(message) }, metrics },
      DAY,
    );
    expect(summary).toMatchObject({ stored: 3, metadata: { lookedUp: 3, found: 0, failed: 3 } });
    expect(metrics.total('MetadataLookupsFailed')).toBe(3);
    expect(warnings).toContain('arXiv metadata lookup failed; those papers stay without categories');
    expect((await store.papersForDays([DAY])).map((paper) => paper.categories)).toEqual([[], [], []]);
  });

  it(`looks up at most ${MAX_METADATA_LOOKUPS_PER_RUN} ids a run, the most upvoted first, and leaves papers with categories alone`, async () => {
    const many = Array.from({ length: MAX_METADATA_LOOKUPS_PER_RUN + 20 }, (_, n) => makePaper({ signals: { upvotes: n } }));
    const categorised = makePaper({ categories: ['cs.LG'], signals: { upvotes: 1000 } });
    const listing: PaperSource = { name: 'hf', fetchDay: async () => ({ source: 'hf', papers: [...many, categorised], skipped: [] }) };
    const asked: string[][] = [];
    const metadata: MetadataSource = { name: 'fake', lookup: async (ids) => (asked.push(ids), { found: [], failed: [], errors: [] }) };
    const collected = await collectPapers({ sources: [listing], metadata, logger: quiet, metrics: new MemoryMetrics() }, DAY);
    expect(asked).toEqual([
      many
        .map((paper) => paper.id)
        .reverse()
        .slice(0, MAX_METADATA_LOOKUPS_PER_RUN),
    ]);
    expect(collected.metadata).toMatchObject({ withoutCategories: many.length, lookedUp: MAX_METADATA_LOOKUPS_PER_RUN, deferred: 20 });
  });
});
