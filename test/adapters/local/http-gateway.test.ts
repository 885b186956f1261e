// The local stand-in for API Gateway: proxy events as API Gateway builds them, the stage path, body limit and rate limit; and the local stack's BASE_PATH.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { localSettings } from '../../../bin/local-env';
import { createHttpGateway, parseStagePath, type HttpGatewayOptions } from '../../../lambdas/adapters/local/http-gateway';
import { basePathOf } from '../../../lambdas/web/base-path';
import { SECURITY_HEADERS } from '../../../lambdas/web/pages';

/** A gateway on a free port that records the events it hands on; close it when done. */
async function startGateway(options: HttpGatewayOptions = {}, answer?: (event: APIGatewayProxyEvent) => APIGatewayProxyResult) {
  const events: APIGatewayProxyEvent[] = [];
  const server = createHttpGateway(async (event) => {
    events.push(event);
    return answer?.(event) ?? { statusCode: 200, body: 'ok' };
  }, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { events, origin, close };
}

describe('local HTTP gateway', () => {
  let server: Server;
  let base: string;
  const events: APIGatewayProxyEvent[] = [];

  beforeAll(async () => {
    server = createHttpGateway(
      async (event) => {
        events.push(event);
        if (event.path === '/boom') throw new Error('handler failed');
        return { statusCode: 201, headers: { 'x-route': event.path }, body: 'made' };
      },
      { maxBodyBytes: 1024 },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('builds a REST proxy event and writes the handler’s response', async () => {
    const response = await fetch(`${base}/subscribe?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40example.com',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-route')).toBe('/subscribe');
    expect(await response.text()).toBe('made');
    const event = events.at(-1)!;
    expect(event.httpMethod).toBe('POST');
    expect(event.queryStringParameters).toEqual({ a: '2', b: 'x' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x'] });
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64').toString()).toBe('email=a%40example.com');
    expect(event.requestContext.identity.sourceIp).toMatch(/127\.0\.0\.1/);
    // At the root, as behind a custom domain mapped at its root: both paths are the route's.
    expect([event.path, event.resource, event.requestContext.path, event.requestContext.resourcePath]).toEqual([
      '/subscribe',
      '/subscribe',
      '/subscribe',
      '/subscribe',
    ]);
    expect(basePathOf(event)).toBe('');
  });

  it('keeps a path that starts with // a path, not a host', async () => {
    const response = await fetch(`${base}//evil.example/subscribe`);
    expect(response.status).toBe(201);
    expect(events.at(-1)!.path).toBe('//evil.example/subscribe');
    expect(basePathOf(events.at(-1)!)).toBe('');
  });

  it('refuses a body over the limit with 413 before calling the handler', async () => {
    const before = events.length;
    const response = await fetch(`${base}/subscribe`, { method: 'POST', body: 'x'.repeat(4096) });
    expect(response.status).toBe(413);
    expect(events.length).toBe(before);
  });

  it('answers 502 when the handler throws, as API Gateway does', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(502);
  });
});

describe('the local gateway under a stage path', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway({ basePath: '/prod', maxBodyBytes: 1024 });
  });
  afterAll(() => gateway.close());

  it.each([
    ['/prod/subscribe?a=1', '/subscribe', '/prod/subscribe'],
    ['/prod/', '/', '/prod/'],
    ['/prod', '/', '/prod'],
    ['/prod/unsubscribe/', '/unsubscribe/', '/prod/unsubscribe/'],
  ])('hands %s on as API Gateway would: event.path without the stage, requestContext.path with it', async (url, path, requestPath) => {
    const response = await fetch(`${gateway.origin}${url}`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(200);
    const event = gateway.events.at(-1)!;
    expect({ path: event.path, resource: event.resource, requestPath: event.requestContext.path, stage: event.requestContext.stage }).toEqual({
      path,
      resource: path,
      requestPath,
      stage: 'prod',
    });
    expect(basePathOf(event)).toBe('/prod');
    expect(Buffer.from(event.body!, 'base64').toString()).toBe('x=1');
  });

  it.each(['/', '/subscribe', '/production', '/prodx/subscribe', '/Prod/subscribe', '/health'])(
    "answers %s, outside the stage, with API Gateway's 403 and never calls the handler",
    async (url) => {
      const before = gateway.events.length;
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${gateway.origin}${url}`, { method, ...(method === 'POST' ? { body: 'email=a%40example.com' } : {}) });
        expect(response.status).toBe(403);
        expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
        expect(await response.json()).toEqual({ message: 'Forbidden' });
      }
      expect(gateway.events.length).toBe(before);
    },
  );

  it('still refuses an oversized body under the stage with 413', async () => {
    const before = gateway.events.length;
    expect((await fetch(`${gateway.origin}/prod/subscribe`, { method: 'POST', body: 'x'.repeat(4096) })).status).toBe(413);
    expect(gateway.events.length).toBe(before);
  });

  it('refuses a stage path API Gateway could not serve, naming it', () => {
    expect(() => createHttpGateway(async () => ({ statusCode: 200, body: '' }), { basePath: '/a/b' })).toThrow(/"\/a\/b" is not a stage path/);
  });
});

describe('parseStagePath', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['prod', '/prod'],
    ['/prod', '/prod'],
    ['/prod/', '/prod'],
    [' /v1_beta-2 ', '/v1_beta-2'],
  ])('reads %j as %j', (value, expected) => {
    expect(parseStagePath(value)).toBe(expected);
  });

  it.each(['/a/b', '//', '/pr od', '/prod?x', '/../x', '/é', `/${'a'.repeat(129)}`])('refuses %j', (value) => {
    expect(() => parseStagePath(value)).toThrow(/is not a stage path/);
  });
});

describe("the local stack's BASE_PATH", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'papertrend-local-env-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the site under it, and the links in emails carry it (PUBLIC_BASE_URL)', () => {
    const settings = localSettings({ PORT: '3100', BASE_PATH: '/prod/', DATA_DIR: dataDir });
    expect(settings.basePath).toBe('/prod');
    expect(settings.siteUrl).toBe('http://127.0.0.1:3100/prod');
    expect(settings.env.PUBLIC_BASE_URL).toBe('http://127.0.0.1:3100/prod');
  });

  it('is empty by default, and a PUBLIC_BASE_URL set in the environment still wins', () => {
    expect(localSettings({ PORT: '3100', DATA_DIR: dataDir })).toMatchObject({
      basePath: '',
      siteUrl: 'http://127.0.0.1:3100',
      env: { PUBLIC_BASE_URL: 'http://127.0.0.1:3100' },
    });
    expect(localSettings({ BASE_PATH: '/prod', PUBLIC_BASE_URL: 'https://papertrend.example', DATA_DIR: dataDir }).env.PUBLIC_BASE_URL).toBe(
      'https://papertrend.example',
    );
  });

  it('stops with the variable named when it is not a stage path', () => {
    expect(() => localSettings({ BASE_PATH: '/prod/v1', DATA_DIR: dataDir })).toThrow(/BASE_PATH: "\/prod\/v1" is not a stage path/);
  });
});

describe('the local gateway rate limit', () => {
  it('answers 429 with Retry-After once a client has posted its allowance in the window, and lets GETs through', async () => {
    let now = 1_000_000;
    const server = createHttpGateway(async () => ({ statusCode: 200, body: 'ok' }), {
      postRateLimit: { requests: 3, windowMs: 60_000 },
      now: () => now,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const post = () => fetch(`http://127.0.0.1:${port}/subscribe`, { method: 'POST', body: 'email=a%40example.com' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await post()).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await post();
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/unsubscribe?token=t`, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
      now += 60_000;
      expect((await post()).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('limits posts under a stage path too, and still never holds back an unsubscribe there', async () => {
    const gateway = await startGateway({ basePath: '/prod', postRateLimit: { requests: 1, windowMs: 60_000 }, now: () => 0 });
    try {
      const post = (path: string) => fetch(`${gateway.origin}${path}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      expect((await post('/prod/subscribe')).status).toBe(200);
      expect((await post('/prod/subscribe')).status).toBe(429);
      expect((await post('/prod/unsubscribe?token=t')).status).toBe(200);
      expect((await post('/prod/unsubscribe?token=t')).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

/** A request sent byte for byte as given (fetch would resolve dot segments before sending). */
function rawRequest(
  origin: string,
  method: string,
  path: string,
  body = '',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, method, path, headers: { 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('the local gateway decides its policies on the path it routes', () => {
  it.each([
    '/unsubscribe/../subscribe',
    '/unsubscribe/%2e%2e/subscribe',
    '/unsubscribe/%2E%2e/subscribe',
    '/unsubscribe/.%2E/subscribe',
    '/unsubscribe/./../subscribe',
    '/unsubscribe%2f..%2fsubscribe',
    '/unsubscribe%2F%2E%2E%2Fsubscribe',
    '/unsubscribe-not-a-route',
  ])('never lets POST %s past the rate limit or to the handler', async (path) => {
    const gateway = await startGateway({ postRateLimit: { requests: 1, windowMs: 60_000 }, now: () => 0 });
    try {
      expect((await rawRequest(gateway.origin, 'POST', '/subscribe', 'email=a%40example.com')).status).toBe(200);
      const before = gateway.events.length;
      for (let i = 0; i < 3; i += 1) {
        const response = await rawRequest(gateway.origin, 'POST', path, 'email=a%40example.com');
        expect([400, 429]).toContain(response.status);
      }
      expect(gateway.events.length).toBe(before);
    } finally {
      await gateway.close();
    }
  });

  it('still never holds back a one-click unsubscribe, with or without a trailing slash', async () => {
    const gateway = await startGateway({ postRateLimit: { requests: 1, windowMs: 60_000 }, now: () => 0 });
    try {
      for (const path of ['/subscribe', '/unsubscribe?token=t', '/unsubscribe/?token=t', '/unsubscribe?token=t']) {
        await rawRequest(gateway.origin, 'POST', path, 'List-Unsubscribe=One-Click');
      }
      expect((await rawRequest(gateway.origin, 'POST', '/unsubscribe?token=t', 'List-Unsubscribe=One-Click')).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

/** The security headers every page of the site carries, as node:http reports them (lower-case names). */
const securityHeaders = () => Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]));

describe("the local gateway's own answers", () => {
  it('answers HEAD on a GET route from the GET handler, with its status and headers and no body', async () => {
    const gateway = await startGateway({}, (event) => ({ statusCode: 200, headers: { 'x-method': event.httpMethod }, body: 'the page' }));
    try {
      for (const path of ['/', '/health', '/preferences?token=t']) {
        const response = await rawRequest(gateway.origin, 'HEAD', path);
        expect(response.status).toBe(200);
        expect(response.headers['x-method']).toBe('GET');
        expect(response.body).toBe('');
      }
      expect(gateway.events.map((event) => [event.httpMethod, event.requestContext.httpMethod])).toEqual([
        ['GET', 'GET'],
        ['GET', 'GET'],
        ['GET', 'GET'],
      ]);
    } finally {
      await gateway.close();
    }
  });

  it("sends the pages' security headers with its 413 and 429 answers", async () => {
    const gateway = await startGateway({ maxBodyBytes: 16, postRateLimit: { requests: 1, windowMs: 60_000 }, now: () => 0 });
    try {
      const tooLarge = await rawRequest(gateway.origin, 'POST', '/subscribe', 'x'.repeat(64));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers).toMatchObject(securityHeaders());
      const limited = await rawRequest(gateway.origin, 'POST', '/subscribe', 'x=1');
      expect(limited.status).toBe(429);
      expect(limited.headers).toMatchObject({ ...securityHeaders(), 'retry-after': '60' });
      const dotted = await rawRequest(gateway.origin, 'GET', '/a/../b');
      expect(dotted.status).toBe(400);
      expect(dotted.headers).toMatchObject(securityHeaders());
    } finally {
      await gateway.close();
    }
  });

  /** Sends `head` (and nothing more) on a raw socket; resolves with what came back once the server closes it. */
  async function stall(origin: string, head: string): Promise<string> {
    const { hostname, port } = new URL(origin);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.write(head));
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
  }

  it('ends a request whose announced body never arrives: 408 or a closed connection', async () => {
    const gateway = await startGateway({ bodyTimeoutMs: 200, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const answer = await stall(gateway.origin, 'POST /subscribe HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\nemail=');
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      expect(gateway.events).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });

  it('ends a request whose headers never finish', async () => {
    const gateway = await startGateway({ bodyTimeoutMs: 200, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const answer = await stall(gateway.origin, 'GET / HTTP/1.1\r\nHost: local\r\n');
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
      expect(gateway.events).toHaveLength(0);
    } finally {
      await gateway.close();
    }
  });
});
