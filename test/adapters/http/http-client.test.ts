import { fetchText, SourceUnavailableError } from '../../../lambdas/adapters/http/http-client';
import { recordingSleep, startLocalServer, type LocalServer } from '../../support/local-server';

const USER_AGENT = 'Papertrend-test/1.0 (+https://example.org)';

describe('fetchText against a local server', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const options = (overrides: Partial<Parameters<typeof fetchText>[1]> = {}) => {
    const { sleep, waits } = recordingSleep();
    return { waits, options: { timeoutMs: 2000, retries: 2, userAgent: USER_AGENT, sleep, random: () => 0, ...overrides } };
  };

  it('returns the body of a 200 and sends the User-Agent', async () => {
    server = await startLocalServer((_request, response) => response.end('hello'));
    const { options: fetchOptions } = options({ headers: { Accept: 'text/plain' } });
    await expect(fetchText(`${server.baseUrl}/x?y=1`, fetchOptions)).resolves.toBe('hello');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['user-agent']).toBe(USER_AGENT);
    expect(server.requests[0]!.headers.accept).toBe('text/plain');
  });

  it('retries a 429, waiting what Retry-After asks, then returns the 200', async () => {
    server = await startLocalServer((_request, response, attempt) => {
      if (attempt === 1) response.writeHead(429, { 'Retry-After': '2' }).end('slow down');
      else response.end('ok');
    });
    const { options: fetchOptions, waits } = options();
    await expect(fetchText(server.baseUrl, fetchOptions)).resolves.toBe('ok');
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('caps a long Retry-After', async () => {
    server = await startLocalServer((_request, response, attempt) => {
      if (attempt === 1) response.writeHead(503, { 'Retry-After': '3600' }).end();
      else response.end('ok');
    });
    const { options: fetchOptions, waits } = options({ maxRetryAfterMs: 5000 });
    await expect(fetchText(server.baseUrl, fetchOptions)).resolves.toBe('ok');
    expect(waits).toEqual([5000]);
  });

  it('gives up on a 500 after retries + 1 attempts with exponential backoff', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(500).end('boom'));
    const { options: fetchOptions, waits } = options({ retries: 2, backoffMs: 100 });
    const error = await fetchText(server.baseUrl, fetchOptions).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(error).toMatchObject({ host: new URL(server.baseUrl).host, status: 500, attempts: 3 });
    expect((error as Error).message).toBe(`${new URL(server.baseUrl).host} unavailable: HTTP 500 after 3 attempts`);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('adds jitter of up to one backoff unit', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(502).end());
    const { options: fetchOptions, waits } = options({ retries: 1, backoffMs: 100, random: () => 0.5 });
    await expect(fetchText(server.baseUrl, fetchOptions)).rejects.toThrow(SourceUnavailableError);
    expect(waits).toEqual([150]);
  });

  it('does not retry another 4xx', async () => {
    server = await startLocalServer((_request, response) => response.writeHead(404).end('no such page'));
    const { options: fetchOptions, waits } = options();
    await expect(fetchText(server.baseUrl, fetchOptions)).rejects.toMatchObject({ name: 'SourceUnavailableError', status: 404, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('times out a response that never comes, retries, then fails', async () => {
    server = await startLocalServer(() => undefined);
    const { options: fetchOptions } = options({ timeoutMs: 200, retries: 1 });
    await expect(fetchText(server.baseUrl, fetchOptions)).rejects.toThrow(/unavailable: timeout after 200 ms after 2 attempts$/);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a body that never ends', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('[');
    });
    const { options: fetchOptions } = options({ timeoutMs: 200, retries: 0 });
    await expect(fetchText(server.baseUrl, fetchOptions)).rejects.toThrow('timeout after 200 ms after 1 attempt');
  });

  it('retries a refused connection and names the cause', async () => {
    const closed = await startLocalServer(() => undefined);
    await closed.close();
    const { options: fetchOptions } = options({ retries: 1 });
    await expect(fetchText(closed.baseUrl, fetchOptions)).rejects.toThrow(/network error \(ECONNREFUSED\) after 2 attempts/);
  });
});
