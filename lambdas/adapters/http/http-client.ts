// GETs a source's text over HTTP with a timeout, retries with backoff on 429/5xx/network errors, and a User-Agent.
import { sleep as realSleep, type Sleep } from '../sleep';

/** Options of fetchText. */
export interface FetchTextOptions {
  /** Per attempt, covering the headers and the body. */
  timeoutMs: number;
  /** Further attempts after the first one fails with a retryable error. */
  retries: number;
  userAgent: string;
  /** Defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Defaults to a real timer; tests pass one that returns at once. */
  sleep?: Sleep;
  /** Base of the exponential backoff: base, 2 × base, 4 × base … plus up to one base of jitter. */
  backoffMs?: number;
  /** Longest wait a Retry-After header may ask for; longer ones are capped. */
  maxRetryAfterMs?: number;
  /** Extra request headers, e.g. Accept. */
  headers?: Record<string, string>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

/** Thrown when a source could not be read: a non-retryable status, or retryable failures on every attempt. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly host: string,
    /** The HTTP status of the last attempt, when it got one. */
    readonly status: number | undefined,
    readonly attempts: number,
    cause: string,
  ) {
    super(`${host} unavailable: ${cause} after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
  }
}

const DEFAULT_BACKOFF_MS = 500;
const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

type AttemptResult = { ok: true; text: string } | { ok: false; retryable: boolean; status?: number; cause: string; retryAfterMs?: number };

/**
 * The body of a GET to `url` when it answers 2xx. Retries 429, 5xx, network errors and timeouts
 * with exponential backoff and jitter, waiting what Retry-After asks instead (capped); other
 * statuses fail at once. Throws SourceUnavailableError naming the host, the last status or cause,
 * and the number of attempts.
 */
export async function fetchText(url: string, options: FetchTextOptions): Promise<string> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(0, Math.floor(options.retries)) + 1;
  const host = new URL(url).host;

  for (let attempt = 1; ; attempt++) {
    const result = await attemptFetch(fetchImpl, url, options);
    if (result.ok) return result.text;
    if (!result.retryable || attempt >= maxAttempts) {
      throw new SourceUnavailableError(host, result.status, attempt, result.cause);
    }
    const backoff = backoffMs * 2 ** (attempt - 1) + random() * backoffMs;
    await sleep(result.retryAfterMs === undefined ? backoff : Math.min(result.retryAfterMs, maxRetryAfterMs));
  }
}

async function attemptFetch(fetchImpl: typeof fetch, url: string, options: FetchTextOptions): Promise<AttemptResult> {
  try {
    const response = await fetchImpl(url, {
      headers: { ...options.headers, 'User-Agent': options.userAgent },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.ok) return { ok: true, text: await response.text() };
    await response.body?.cancel().catch(() => undefined);
    const retryable = response.status === 429 || response.status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    return { ok: false, retryable, status: response.status, cause: `HTTP ${response.status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  } catch (error) {
    return { ok: false, retryable: true, cause: describeFailure(error, options.timeoutMs) };
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A timeout or network failure in words, with the system error code when there is one. Read by
 * shape, not instanceof: fetch's errors may come from another realm (as under Jest).
 */
function describeFailure(error: unknown, timeoutMs: number): string {
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const code = typeof cause === 'object' && cause !== null && typeof cause.code === 'string' ? cause.code : undefined;
  return code ? `network error (${code})` : 'network error';
}

/** A base URL without its trailing slashes, so paths can be appended. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
