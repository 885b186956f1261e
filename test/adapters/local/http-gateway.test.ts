import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createHttpGateway } from '../../../lambdas/adapters/local/http-gateway';

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
});
