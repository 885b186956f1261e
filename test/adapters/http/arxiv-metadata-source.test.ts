// ArxivMetadataSource against a local server serving a recorded-format id_list answer: batches, pacing on a fake clock, failures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArxivMetadataSource } from '../../../lambdas/adapters/http/arxiv-metadata-source';
import { ArxivSource } from '../../../lambdas/adapters/http/arxiv-source';
import { RequestPacer } from '../../../lambdas/adapters/http/request-pacer';
import { recordingSleep, startLocalServer, type LocalServer } from '../../support/local-server';

const ID_LIST = readFileSync(path.resolve(__dirname, '../../fixtures/metadata/arxiv-id-list-2026-08-13.xml'), 'utf8');
const IDS = ['2608.00677', '2608.12307', '2608.10615'];

/** A clock that moves only when slept on, as if every request took no time at all. */
function fakeTimer() {
  const timer = { now: 0, sleeps: [] as number[], nowMs: () => timer.now, sleep: async (ms: number) => void (timer.sleeps.push(ms), (timer.now += ms)) };
  return timer;
}

describe('ArxivMetadataSource against a local server', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const source = (baseUrl: string, timer: ReturnType<typeof fakeTimer>, batchSize: number, retries = 0) => {
    const retrySleep = recordingSleep();
    const metadata = new ArxivMetadataSource({
      baseUrl,
      timeoutMs: 2000,
      retries,
      userAgent: 'Papertrend-test/1.0',
      batchSize,
      pacer: new RequestPacer(3000, timer),
      sleep: retrySleep.sleep,
    });
    return { metadata, retryWaits: retrySleep.waits };
  };

  it('asks by id_list in batches and reads categories, primary category, comment, journal reference and version', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(200, { 'content-type': 'application/atom+xml' }).end(ID_LIST));
    const { metadata } = source(server.baseUrl, fakeTimer(), 2);
    const lookup = await metadata.lookup(IDS);
    expect(
      server.requests.map((request) => [request.url.pathname, request.url.searchParams.get('id_list'), request.url.searchParams.get('max_results')]),
    ).toEqual([
      ['/api/query', '2608.00677,2608.12307', '2'],
      ['/api/query', '2608.10615', '1'],
    ]);
    expect(lookup.failed).toEqual([]);
    // The answer holds two of the three ids (arXiv leaves out an id it does not know); each is kept once, for the batch that asked.
    expect(lookup.found).toEqual([
      {
        id: '2608.00677',
        categories: ['cs.CR', 'cs.AI', 'cs.CL'],
        arxiv: { primaryCategory: 'cs.CR', comment: '22 pages, 9 figures; code at https://github.com/AI45Lab/OpenART', latestVersion: 2 },
      },
      {
        id: '2608.12307',
        categories: ['cs.CL', 'cs.AI'],
        arxiv: { primaryCategory: 'cs.CL', journalRef: 'Transactions on Machine Learning Research (2026)', latestVersion: 1 },
      },
    ]);
  });

  it('starts its requests at least three seconds apart on the pacing clock, never waiting before the first', async () => {
    const timer = fakeTimer();
    const startedAt: number[] = [];
    server = await startLocalServer((_request, response) => {
      startedAt.push(timer.now);
      response.writeHead(200).end(ID_LIST);
    });
    const { metadata } = source(server.baseUrl, timer, 1);
    await metadata.lookup(IDS);
    expect(startedAt).toEqual([0, 3000, 6000]);
    expect(timer.sleeps).toEqual([3000, 3000]);
  });

  it('shares its pacer with the arXiv source, so the first lookup waits for the last page request', async () => {
    const timer = fakeTimer();
    const startedAt: Array<[string, number]> = [];
    server = await startLocalServer((request, response) => {
      startedAt.push([request.url?.includes('id_list') ? 'id_list' : 'search', timer.now]);
      response.writeHead(200).end(ID_LIST);
    });
    const pacer = new RequestPacer(3000, timer);
    const http = { baseUrl: server.baseUrl, timeoutMs: 2000, retries: 0, userAgent: 'Papertrend-test/1.0', pacer };
    // The recorded answer says 2 results in all, so the source reads one page.
    await new ArxivSource({ ...http, categories: ['cs.CL'] }).fetchDay('2026-08-13');
    await new ArxivMetadataSource({ ...http, batchSize: 50 }).lookup(IDS);
    expect(startedAt).toEqual([
      ['search', 0],
      ['id_list', 3000],
    ]);
  });

  it('reports the ids of a batch that fails after its retries, and still looks up the others', async () => {
    server = await startLocalServer((request, response) => {
      if (request.url?.includes('2608.12307')) response.writeHead(503).end('busy');
      else response.writeHead(200).end(ID_LIST);
    });
    const { metadata, retryWaits } = source(server.baseUrl, fakeTimer(), 1, 1);
    const lookup = await metadata.lookup(IDS);
    expect(lookup.found.map((record) => record.id)).toEqual(['2608.00677']);
    expect(lookup.failed).toEqual(['2608.12307']);
    expect(lookup.errors).toEqual([expect.stringMatching(/HTTP 503 after 2 attempts/)]);
    // One retry of the failing batch, backing off no less than arXiv's three seconds.
    expect(retryWaits).toHaveLength(1);
    expect(retryWaits[0]).toBeGreaterThanOrEqual(3000);
  });

  it('counts an answer that is not Atom as a failed lookup', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(200).end('<html>Service unavailable</html>'));
    const { metadata } = source(server.baseUrl, fakeTimer(), 50);
    await expect(metadata.lookup(IDS)).resolves.toMatchObject({ found: [], failed: IDS });
  });
});
