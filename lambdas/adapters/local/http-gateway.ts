// The local stand-in for API Gateway: turns HTTP requests into REST API proxy events for the api handler.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface HttpGatewayOptions {
  /** Bodies larger than this are refused with 413 before the handler runs (API Gateway's own limit is 10 MB). */
  maxBodyBytes?: number;
  onError?: (error: unknown) => void;
  /** POSTs allowed per client address per window; over it, 429 (in AWS a WAF rate rule does this). */
  postRateLimit?: { requests: number; windowMs: number };
  /** Time source for the rate limit's windows (tests move it by hand). */
  now?: () => number;
}

/** Fixed-window POST counts per client address; old windows are dropped as they pass. */
class PostRateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: { requests: number; windowMs: number },
    private readonly now: () => number,
  ) {}

  /** Seconds until the client may post again, or 0 when this post is allowed. */
  retryAfter(client: string): number {
    const now = this.now();
    if (now - this.windowStart >= this.limit.windowMs) {
      this.windowStart = now;
      this.counts = new Map();
    }
    const count = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, count);
    if (count <= this.limit.requests) return 0;
    return Math.max(1, Math.ceil((this.windowStart + this.limit.windowMs - now) / 1000));
  }
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://local');
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const headers: Record<string, string> = {};
  const multiHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    const value = request.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiHeaders[name] ??= []).push(value);
  }
  const hasQuery = url.searchParams.size > 0;
  return {
    httpMethod: request.method ?? 'GET',
    path: url.pathname,
    resource: url.pathname,
    headers,
    multiValueHeaders: multiHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body.length > 0 ? body.toString('base64') : null,
    isBase64Encoded: body.length > 0,
    requestContext: {
      requestId: randomUUID(),
      httpMethod: request.method ?? 'GET',
      path: url.pathname,
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResult): void {
  response.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) response.setHeader(name, values.map(String));
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** An HTTP server that hands every request to `handler` as API Gateway would. */
export function createHttpGateway(handler: ProxyHandler, options: HttpGatewayOptions = {}): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const limiter = options.postRateLimit ? new PostRateLimiter(options.postRateLimit, options.now ?? Date.now) : undefined;
  return createServer((request, response) => {
    void (async () => {
      try {
        // One-click unsubscribes are never held back: a flood of sign-ups must not block them.
        const limited = request.method === 'POST' && limiter && !request.url?.startsWith('/unsubscribe');
        const wait = limited ? limiter.retryAfter(request.socket.remoteAddress ?? 'unknown') : 0;
        if (wait > 0) {
          request.resume();
          response
            .writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(wait) })
            .end(`Too many requests from your address; try again in ${wait} seconds.\n`);
          return;
        }
        const body = await readBody(request, maxBodyBytes);
        let event: APIGatewayProxyEvent;
        try {
          event = toEvent(request, body);
        } catch {
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request.\n');
          return;
        }
        writeResult(response, await handler(event));
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          response.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Request body too large.\n');
          return;
        }
        options.onError?.(error);
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('Internal server error.\n');
      }
    })();
  });
}
