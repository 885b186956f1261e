import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HfDailySource } from '../../../lambdas/adapters/http/hf-daily-source';
import { SourceUnavailableError } from '../../../lambdas/adapters/http/http-client';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { recordingSleep, startLocalServer, type LocalServer } from '../../support/local-server';

const FIXTURE = readFileSync(path.resolve(__dirname, '../../fixtures/sources/hf-daily-current.json'), 'utf8');
const USER_AGENT = 'Papertrend-test/1.0';

describe('HfDailySource against a local server', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const source = (baseUrl: string, retries = 1) =>
    new HfDailySource({ baseUrl: `${baseUrl}/`, timeoutMs: 2000, retries, userAgent: USER_AGENT, sleep: recordingSleep().sleep });

  it('GETs the day from /api/daily_papers and parses the recorded body', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(FIXTURE));
    const batch = await source(server.baseUrl).fetchDay('2026-08-13');
    expect(source(server.baseUrl).name).toBe('hf');
    // The recorded body lists 2608.04211 twice; the fetch use case merges it, not the source.
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.04211', '2608.04377', '2608.04402', '2608.04211']);
    expect(batch.skipped).toHaveLength(3);
    const [request] = server.requests;
    expect(request!.url.pathname).toBe('/api/daily_papers');
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ date: '2026-08-13', limit: '100' });
    expect(request!.headers['user-agent']).toBe(USER_AGENT);
  });

  it('retries a 429 and then reads the day', async () => {
    server = await startLocalServer((_request, response, attempt) => {
      if (attempt === 1) response.writeHead(429).end();
      else response.end('[]');
    });
    await expect(source(server.baseUrl).fetchDay('2026-08-13')).resolves.toEqual({ source: 'hf', papers: [], skipped: [] });
    expect(server.requests).toHaveLength(2);
  });

  it('throws SourceFormatError for a body that is not JSON', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>maintenance</html>'));
    await expect(source(server.baseUrl).fetchDay('2026-08-13')).rejects.toThrow(SourceFormatError);
  });

  it('throws SourceUnavailableError when every attempt fails', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(503).end());
    await expect(source(server.baseUrl, 2).fetchDay('2026-08-13')).rejects.toThrow(SourceUnavailableError);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses a day that is not YYYY-MM-DD without a request', async () => {
    server = await startLocalServer((_request, response) => response.end('[]'));
    await expect(source(server.baseUrl).fetchDay('2026-8-13&x=1')).rejects.toThrow(RangeError);
    await expect(source(server.baseUrl).fetchDay('2026-02-30')).rejects.toThrow(RangeError);
    expect(server.requests).toHaveLength(0);
  });
});
