// The local stand-in for API Gateway: turns HTTP requests into REST API proxy events for the api handler.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { findRoute } from '../../routes';
import { refused } from '../../web/responses';

export type ProxyHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export interface HttpGatewayOptions {
  /**
   * The stage path the site is served under, as at API Gateway's execute-api URL (`/prod`, see
   * parseStagePath); requests outside it get API Gateway's 403. Default `''`: the site at the
   * root, as behind a custom domain mapped at its root.
   */
  basePath?: string;
  /** Bodies larger than this are refused with 413 before the handler runs (API Gateway's own limit is 10 MB). */
  maxBodyBytes?: number;
  onError?: (error: unknown) => void;
  /** POSTs allowed per client address per window; over it, 429 (in AWS a WAF rate rule does this). */
  postRateLimit?: { requests: number; windowMs: number };
  /** Time source for the rate limit's windows (tests move it by hand). */
  now?: () => number;
  /** Longest wait for a request's headers (node:http `headersTimeout`); then 408. Default 10 s. */
  headersTimeoutMs?: number;
  /** Longest wait for a whole request, headers and body (node:http `requestTimeout`); then 408. Default 30 s, past API Gateway's 29 s. */
  requestTimeoutMs?: number;
  /** Longest wait for an announced body once the headers are in; then 408 and the connection closes. Default 10 s. */
  bodyTimeoutMs?: number;
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
class BodyTimeoutError extends Error {}

/** A stage path: API Gateway's stage names are letters, digits, `-` and `_`, at most 128 characters. */
const STAGE_PATH = /^\/?([A-Za-z0-9_-]{1,128})\/?$/;

/**
 * `''`, or `/name` for a stage path such as `/prod` (`prod` and `/prod/` are read the same).
 * Throws naming the value when it is no stage path API Gateway could serve.
 */
export function parseStagePath(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === '/') return '';
  const name = STAGE_PATH.exec(trimmed)?.[1];
  if (!name) throw new Error(`"${value}" is not a stage path: use "" or "/" followed by a stage name of letters, digits, - and _ (e.g. /prod)`);
  return `/${name}`;
}

/** Where a request goes. */
interface RequestTarget {
  /** The URL as the client sent it, stage path included. */
  url: URL;
  /** The resource path, without the stage path: what `event.path` carries. */
  routePath: string;
}

/**
 * Whether the raw request path has a `.` or `..` segment, spelled plainly or percent-encoded
 * (`%2e`, `%2E`), between `/`, `\\` or their encodings. Such a path is refused outright, so no policy
 * can read one path while routing reads another.
 */
function hasDotSegment(rawUrl: string): boolean {
  const path = rawUrl.split('?', 1)[0]!;
  return path
    .replace(/%2e/gi, '.')
    .split(/\/|\\|%2f|%5c/i)
    .some((segment) => segment === '.' || segment === '..');
}

/** The request's target under `basePath`, or undefined when it is outside the stage path. */
function targetOf(request: IncomingMessage, basePath: string): RequestTarget | undefined {
  // Prefixing the origin keeps a path that starts with `//` a path instead of reading it as a host.
  const url = new URL(`http://local${request.url?.startsWith('/') ? request.url : `/${request.url ?? ''}`}`);
  if (basePath === '') return { url, routePath: url.pathname };
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined;
  return { url, routePath: url.pathname.slice(basePath.length) || '/' };
}

/** What API Gateway answers for a path outside every deployed stage of the API. */
function writeForbidden(response: ServerResponse): void {
  response.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' }).end('{"message":"Forbidden"}');
}

/** The whole body, or BodyTooLargeError past `limit` bytes, or BodyTimeoutError when it has not all arrived within `timeoutMs`. */
function readBody(request: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error?: Error) => {
      clearTimeout(timer);
      request.removeListener('data', onData);
      if (error) {
        // Stop reading: the answer closes the connection, so what the client still sends is dropped.
        request.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle(new BodyTooLargeError());
      else chunks.push(chunk);
    };
    const timer = setTimeout(() => settle(new BodyTimeoutError()), timeoutMs);
    request.on('data', onData);
    request.once('end', () => settle());
    request.once('error', (error) => settle(error));
  });
}

function toEvent(request: IncomingMessage, body: Buffer, { url, routePath }: RequestTarget, stage: string): APIGatewayProxyEvent {
  // HEAD is answered by the GET route (node:http leaves the body out), so the route table stays the one list of methods.
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
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
    httpMethod: method,
    path: routePath,
    resource: routePath,
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
      httpMethod: method,
      // As API Gateway fills it: the path the client used, stage path included; the site reads its base path from the difference.
      path: url.pathname,
      resourcePath: routePath,
      stage,
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** The gateway's own refusals are the site's refusal page (responses.ts), so they carry the same security headers as every page. */
function writeRefusal(response: ServerResponse, base: string, status: number, message: string, headers: Record<string, string> = {}): void {
  const page = refused(base, status, message);
  writeResult(response, { ...page, headers: { ...page.headers, ...headers } });
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
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const basePath = parseStagePath(options.basePath ?? '');
  const stage = basePath === '' ? 'local' : basePath.slice(1);
  const limiter = options.postRateLimit ? new PostRateLimiter(options.postRateLimit, options.now ?? Date.now) : undefined;

  /** The gateway's own answer before the handler, if the request gets one: 400, 403 or 429. */
  const refusal = (request: IncomingMessage, response: ServerResponse): RequestTarget | undefined => {
    const badRequest = () => void writeRefusal(response, basePath, 400, 'That address is not one this site serves.');
    if (hasDotSegment(request.url ?? '')) return badRequest();
    let target: RequestTarget | undefined;
    try {
      target = targetOf(request, basePath);
    } catch {
      return badRequest();
    }
    if (!target) {
      writeForbidden(response);
      return undefined;
    }
    // One-click unsubscribes are never held back: a flood of sign-ups must not block them. The
    // exemption is the route the request will reach, found as the api handler finds it.
    const limited = request.method === 'POST' && limiter && findRoute('POST', target.routePath)?.path !== '/unsubscribe';
    const wait = limited ? limiter.retryAfter(request.socket.remoteAddress ?? 'unknown') : 0;
    if (wait === 0) return target;
    writeRefusal(response, basePath, 429, `Too many requests from your address; try again in ${wait} seconds.`, { 'retry-after': String(wait) });
    return undefined;
  };

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const target = refusal(request, response);
      if (!target) {
        request.resume();
        return;
      }
      const body = await readBody(request, maxBodyBytes, bodyTimeoutMs);
      writeResult(response, await handler(toEvent(request, body, target, stage)));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return writeRefusal(response, basePath, 413, 'The request is too large.', { connection: 'close' });
      if (error instanceof BodyTimeoutError) return writeRefusal(response, basePath, 408, 'The request took too long to arrive.', { connection: 'close' });
      options.onError?.(error);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal server error.\n');
    }
  };

  return createServer(
    {
      headersTimeout,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // node:http checks both timeouts on this interval (30 s by default), so it bounds how late they fire.
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (request, response) => void serve(request, response),
  );
}
