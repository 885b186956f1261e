import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ArxivSource, type ArxivSourceOptions } from '../../../lambdas/adapters/http/arxiv-source';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { recordingSleep, startLocalServer, type LocalServer } from '../../support/local-server';

const fixture = (name: string) => readFileSync(path.resolve(__dirname, '../../fixtures/sources', name), 'utf8');
const USER_AGENT = 'Papertrend-test/1.0';

/** An Atom page holding entries for `ids`, out of `total` for the whole query. */
function atomPage(ids: string[], total: number): string {
  const entries = ids
    .map(
      (id) => `<entry><id>http://arxiv.org/abs/${id}v1</id><title>Paper ${id}</title><summary>About ${id}.</summary>
        <published>2026-08-12T10:00:00Z</published><author><name>Author ${id}</name></author>
        <arxiv:primary_category term="cs.CL"/><category term="cs.CL"/></entry>`,
    )
    .join('\n');
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <opensearch:totalResults>${total}</opensearch:totalResults>
  ${entries}
</feed>`;
}

describe('ArxivSource against a local server', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const source = (baseUrl: string, overrides: Partial<ArxivSourceOptions> = {}) => {
    const { sleep, waits } = recordingSleep();
    const arxiv = new ArxivSource({
      baseUrl,
      categories: ['cs.CL', 'cs.LG'],
      timeoutMs: 2000,
      retries: 1,
      userAgent: USER_AGENT,
      pageSize: 2,
      pauseMs: 3000,
      sleep,
      ...overrides,
    });
    return { arxiv, waits };
  };

  it('pages through the previous day’s submissions with an encoded query, pausing between pages', async () => {
    const pages = [atomPage(['2608.10001', '2608.10002'], 3), atomPage(['2608.10003'], 3)];
    server = await startLocalServer((_request, response, attempt) =>
      response.writeHead(200, { 'Content-Type': 'application/atom+xml' }).end(pages[attempt - 1]),
    );
    const { arxiv, waits } = source(server.baseUrl);

    const batch = await arxiv.fetchDay('2026-08-13');

    expect(arxiv.name).toBe('arxiv');
    expect(batch.source).toBe('arxiv');
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.10001', '2608.10002', '2608.10003']);
    expect(batch.papers[0]).toMatchObject({ categories: ['cs.CL'], listedOn: ['2026-08-13'], sources: ['arxiv'] });
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      {
        search_query: '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202608120000 TO 202608122359]',
        sortBy: 'submittedDate',
        sortOrder: 'descending',
        start: '0',
        max_results: '2',
      },
      {
        search_query: '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202608120000 TO 202608122359]',
        sortBy: 'submittedDate',
        sortOrder: 'descending',
        start: '2',
        max_results: '2',
      },
    ]);
    expect(server.requests[0]!.url.pathname).toBe('/api/query');
    expect(server.requests[0]!.url.search).not.toMatch(/[ [\]]/);
    expect(server.requests[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(waits).toEqual([3000]);
  });

  it('stops when a full page reaches the total', async () => {
    server = await startLocalServer((_request, response) => response.end(atomPage(['2608.10001', '2608.10002'], 2)));
    const { arxiv, waits } = source(server.baseUrl);
    await expect(arxiv.fetchDay('2026-08-13')).resolves.toMatchObject({ papers: [{ id: '2608.10001' }, { id: '2608.10002' }] });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('stops at maxResults, asking only for what is left', async () => {
    server = await startLocalServer((request, response) => {
      const ids = request.url?.includes('start=0') ? ['2608.10001', '2608.10002'] : ['2608.10003'];
      response.end(atomPage(ids, 50));
    });
    const { arxiv } = source(server.baseUrl, { maxResults: 3 });
    const batch = await arxiv.fetchDay('2026-08-13');
    expect(batch.papers).toHaveLength(3);
    expect(server.requests.map((request) => request.url.searchParams.get('max_results'))).toEqual(['2', '1']);
  });

  it('sums the skipped entries of every page', async () => {
    server = await startLocalServer((_request, response) => response.end(fixture('arxiv-atom-sample.xml')));
    const { arxiv } = source(server.baseUrl, { pageSize: 100 });
    const batch = await arxiv.fetchDay('2026-08-13');
    expect(batch.papers).toHaveLength(3);
    expect(batch.skipped.map((item) => item.reason)).toEqual(['entry 3: missing id', 'entry 4: missing title']);
  });

  it('throws SourceFormatError when arXiv answers with an error feed or a page that is not Atom', async () => {
    server = await startLocalServer((_request, response, attempt) => response.end(attempt === 1 ? fixture('arxiv-atom-error.xml') : 'Rate exceeded.'));
    const { arxiv } = source(server.baseUrl);
    await expect(arxiv.fetchDay('2026-08-13')).rejects.toThrow(SourceFormatError);
    await expect(arxiv.fetchDay('2026-08-13')).rejects.toThrow('arXiv API response is not well-formed XML');
  });

  it('refuses categories that could change the query', () => {
    expect(() => new ArxivSource({ baseUrl: 'http://127.0.0.1', categories: ['cs.LG) OR (all:x'], timeoutMs: 1, retries: 0, userAgent: 'x' })).toThrow(
      RangeError,
    );
    expect(() => new ArxivSource({ baseUrl: 'http://127.0.0.1', categories: [], timeoutMs: 1, retries: 0, userAgent: 'x' })).toThrow(RangeError);
  });
});
