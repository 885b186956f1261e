// fetch-papers with the real HTTP sources against a local server, storing into dynalite: merging, failures, fallback.
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { ArxivSource } from '../../lambdas/adapters/http/arxiv-source';
import { HfDailySource } from '../../lambdas/adapters/http/hf-daily-source';
import { ReplaySource } from '../../lambdas/adapters/replay-source';
import type { Paper } from '../../lambdas/core/model';
import type { Logger, PaperSource, PaperStore } from '../../lambdas/ports';
import { makePaper } from '../../dev/paper-factory';
import { AllSourcesFailedError, fetchPapers } from '../../lambdas/use-cases/fetch-papers';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { type TestDynamo, useDynamo } from '../support/emulators';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
const HF_BODY = readFileSync(resolve(SAMPLES, 'hf-daily-sample.json'), 'utf8');
const ARXIV_BODY = readFileSync(resolve(SAMPLES, 'arxiv-sample.xml'), 'utf8');
const DAY = '2026-11-28';

type Behaviour = 'ok' | 'fail' | 'throttle-once' | 'hang' | 'garbage';

let dynamo: TestDynamo;
let store: DynamoPaperStore;
let server: LocalServer;
let behaviour: { hf: Behaviour; arxiv: Behaviour };
let warnings: Array<Record<string, unknown>>;
let metrics: MemoryMetrics;

const logger: Logger = {
  info: () => {},
  warn: (message, fields) => warnings.push({ message, ...fields }),
  error: (message, fields) => warnings.push({ message, ...fields }),
};

useDynamo((started) => (dynamo = started));
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    const isHf = request.url?.startsWith('/api/daily_papers') ?? false;
    const mode = isHf ? behaviour.hf : behaviour.arxiv;
    const attemptsHere = server.requests.filter((r) => r.url.pathname.startsWith('/api/daily_papers') === isHf).length;
    if (mode === 'hang') return; // never answers: the client's timeout must fire
    if (mode === 'fail' || (mode === 'throttle-once' && attemptsHere === 1)) {
      response.writeHead(mode === 'fail' ? 500 : 429, { 'retry-after': '0' }).end('busy');
      return;
    }
    if (mode === 'garbage') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Service unavailable</html>');
      return;
    }
    response.writeHead(200, { 'content-type': isHf ? 'application/json' : 'application/atom+xml' }).end(isHf ? HF_BODY : ARXIV_BODY);
  });
});
afterAll(() => server.close());
beforeEach(async () => {
  metrics = new MemoryMetrics();
  store = new DynamoPaperStore({ client: dynamo.client, tableName: (await dynamo.createTables()).papers });
  behaviour = { hf: 'ok', arxiv: 'ok' };
  warnings = [];
  server.requests.length = 0;
});

function sources() {
  const http = { baseUrl: server.baseUrl, timeoutMs: 300, retries: 2, userAgent: 'papertrend-test', sleep: async () => {} };
  return [new HfDailySource(http), new ArxivSource({ ...http, categories: ['cs.CL', 'cs.LG'], pauseMs: 0 })];
}

const requestsTo = (prefix: string) => server.requests.filter((request) => request.url.pathname.startsWith(prefix)).length;

describe('fetchPapers over HTTP sources', () => {
  it('merges the same paper from HF and arXiv into one stored record with both sources’ fields', async () => {
    const summary = await fetchPapers({ sources: sources(), papers: store, logger, metrics }, DAY);
    expect(summary.sources).toEqual([
      { source: 'hf', fetched: 12, skipped: 0 },
      { source: 'arxiv', fetched: 12, skipped: 0 },
    ]);
    expect(summary).toMatchObject({ merged: 12, stored: 12 });
    expect(metrics.total('PapersFetched', { source: 'hf' })).toBe(12);
    expect(metrics.total('PapersStored')).toBe(12);
    const papers = await store.papersForDays([DAY]);
    expect(papers).toHaveLength(12);
    const paper = papers.find((p) => p.id === '2611.20101')!;
    expect(paper.sources).toEqual(['arxiv', 'hf']);
    expect(paper.categories).toEqual(['cs.CL', 'cs.LG']);
    expect(paper.signals.upvotes).toBeGreaterThan(0);
    expect(paper.links.hf).toBe('https://huggingface.co/papers/2611.20101');
  });

  it.each<[string, Behaviour, RegExp]>([
    ['HTTP 500 on every attempt', 'fail', /500/],
    ['a response that never comes', 'hang', /time/i],
    ['a payload that is not JSON', 'garbage', /JSON|format/i],
  ])('goes on with arXiv and says so when HF gives %s', async (_label, mode, reason) => {
    behaviour.hf = mode;
    const summary = await fetchPapers({ sources: sources(), papers: store, logger, metrics }, DAY);
    const hf = summary.sources.find((s) => s.source === 'hf')!;
    expect(hf.error).toMatch(reason);
    expect(summary.sources.find((s) => s.source === 'arxiv')).toEqual({ source: 'arxiv', fetched: 12, skipped: 0 });
    expect(summary.stored).toBe(12);
    expect(warnings).toContainEqual(expect.objectContaining({ message: 'source failed; going on without it', source: 'hf' }));
    if (mode !== 'garbage') expect(requestsTo('/api/daily_papers')).toBe(3);
  });

  it('retries after a 429 and keeps everything', async () => {
    behaviour.hf = 'throttle-once';
    const summary = await fetchPapers({ sources: sources(), papers: store, logger, metrics }, DAY);
    expect(requestsTo('/api/daily_papers')).toBe(2);
    expect(summary.sources.every((s) => s.error === undefined)).toBe(true);
  });

  it('throws when no source can be read and there is no fallback, storing nothing', async () => {
    behaviour = { hf: 'fail', arxiv: 'fail' };
    await expect(fetchPapers({ sources: sources(), papers: store, logger, metrics }, DAY)).rejects.toThrow(AllSourcesFailedError);
    expect(await store.papersForDays([DAY])).toEqual([]);
  });

  it('reads the fallback when every live source fails, and names it in the summary', async () => {
    behaviour = { hf: 'fail', arxiv: 'hang' };
    const fallback = new ReplaySource({ dir: SAMPLES, name: 'sample feed' });
    const summary = await fetchPapers({ sources: sources(), papers: store, logger, metrics, fallback }, DAY);
    expect(summary).toMatchObject({ usedFallback: 'sample feed', merged: 12, stored: 12 });
  });

  it('merges a paper one source lists twice, and across sources, so the store gets each id once', async () => {
    const listed = (name: string, papers: Paper[]): PaperSource => ({ name, fetchDay: async () => ({ source: 'hf', papers, skipped: [] }) });
    const v1 = makePaper({ id: '2611.30001', sources: ['hf'], signals: { upvotes: 17, comments: 3 }, keywords: ['expert merging'] });
    const v2 = { ...v1, abstract: `${v1.abstract} v2.`, signals: { upvotes: 21, comments: 5, githubStars: 0 }, keywords: ['alpha gate'] };
    const other = makePaper({ id: '2611.30002', sources: ['arxiv'] });
    const written: string[][] = [];
    const papers: PaperStore = {
      putDay: (day, batch) => (written.push(batch.map((paper) => paper.id)), store.putDay(day, batch)),
      papersForDays: (days) => store.papersForDays(days),
      papersById: (ids) => store.papersById(ids),
    };
    const summary = await fetchPapers(
      { sources: [listed('hf', [v1, other, v2]), listed('arxiv', [{ ...other, sources: ['arxiv'] }])], papers, logger, metrics },
      DAY,
    );
    expect(written).toEqual([['2611.30001', '2611.30002']]);
    expect(summary.sources).toEqual([
      { source: 'hf', fetched: 2, skipped: 0 },
      { source: 'arxiv', fetched: 1, skipped: 0 },
    ]);
    expect(summary).toMatchObject({ merged: 2, stored: 2 });
    const stored = (await store.papersForDays([DAY])).find((paper) => paper.id === v1.id);
    expect(stored).toMatchObject({ abstract: v2.abstract, signals: { upvotes: 21, comments: 5 }, keywords: ['expert merging', 'alpha gate'] });
  });

  it('skips and counts a paper too large for DynamoDB instead of failing the day (issue 9, defect 7)', async () => {
    // A source that hands over an unbounded record (the parsers cap fields; this one does not).
    const huge = makePaper({ id: '2611.30003', sources: ['hf'], abstract: 'x'.repeat(450_000) });
    const fine = makePaper({ id: '2611.30004', sources: ['hf'] });
    const source: PaperSource = { name: 'hf', fetchDay: async () => ({ source: 'hf', papers: [huge, fine], skipped: [] }) };
    const summary = await fetchPapers({ sources: [source], papers: store, logger, metrics }, DAY);
    expect(summary).toMatchObject({ merged: 2, stored: 1, unstorable: 1 });
    expect((await store.papersForDays([DAY])).map((paper) => paper.id)).toEqual(['2611.30004']);
    expect(metrics.total('ItemsSkipped', { source: 'store' })).toBe(1);
    expect(warnings).toContainEqual(expect.objectContaining({ message: 'skipped an item the store refused', paperId: '2611.30003' }));
  });
});
