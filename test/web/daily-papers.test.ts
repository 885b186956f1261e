// The daily papers page through the API handler, over an in-memory paper store that counts its reads.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Paper } from '../../lambdas/core/model';
import type { PaperStore } from '../../lambdas/ports';
import { findRoute } from '../../lambdas/routes';
import { createApiHandler } from '../../lambdas/web/create-api';
import type { SiteDeps } from '../../lambdas/web/site-deps';
import { makePaper } from '../../dev/paper-factory';
import { ManualClock } from '../support/emulators';

/** Papers by day; every read is recorded, and there is no way to scan. */
class DayPaperStore implements PaperStore {
  readonly reads: string[][] = [];
  constructor(private readonly byDay: Record<string, Paper[]>) {}
  async putDay(): Promise<{ stored: number; skipped: [] }> {
    throw new Error('the page never writes');
  }
  async papersForDays(days: string[]): Promise<Paper[]> {
    this.reads.push(days);
    return days.flatMap((day) => this.byDay[day] ?? []);
  }
  async papersById(): Promise<Paper[]> {
    throw new Error('the page reads by day only');
  }
}

const day = '2026-11-28';
const quantization = makePaper({
  id: '2611.00001',
  title: 'Low-bit quantization of language models',
  // Long enough that the card's cut leaves a later mention for the why line to quote.
  abstract: `We study quantization of large language models to 4 bits. ${'We measure perplexity, latency and memory on six benchmarks. '.repeat(6)}Quantization keeps accuracy within 0.3 points.`,
  authors: ['Ada Lovelace', 'Alan Turing'],
  listedOn: [day],
  signals: { upvotes: 12, comments: 3, githubStars: 0 },
});
const diffusion = makePaper({
  id: '2611.00002',
  title: 'Video diffusion at scale',
  abstract: 'A diffusion model for long videos.',
  listedOn: [day],
  signals: { upvotes: 40, comments: 0, githubStars: 0 },
});

let store: DayPaperStore;
let clock: ManualClock;
let api: ReturnType<typeof createApiHandler>;
const logLines: string[] = [];

beforeEach(() => {
  store = new DayPaperStore({ [day]: [quantization, diffusion], '2026-11-25': [diffusion] });
  clock = new ManualClock('2026-11-28T22:00:00Z');
  const logger = { info: () => {}, warn: (m: string) => void logLines.push(m), error: (m: string) => void logLines.push(m) };
  const unused = {} as never;
  const deps: SiteDeps = { subscriptions: unused, signUps: unused, preview: { papers: store, clock, logger }, digests: unused, clock, logger };
  api = createApiHandler(deps);
});

function get(path: string, query?: Record<string, string>, method = 'GET'): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: { accept: 'text/html' },
    multiValueHeaders: {},
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { path } as APIGatewayProxyEvent['requestContext'],
  };
}

describe('the route table', () => {
  it('matches /papers and /papers/{day}, and nothing deeper', () => {
    expect(findRoute('GET', '/papers')?.path).toBe('/papers');
    expect(findRoute('GET', '/papers/2026-11-28')?.path).toBe('/papers/{day}');
    expect(findRoute('GET', '/papers/2026-11-28/')?.path).toBe('/papers/{day}');
    expect(findRoute('GET', '/papers/2026-11-28/x')).toBeUndefined();
    expect(findRoute('GET', '/papers//')?.path).toBe('/papers');
  });
});

describe('GET /papers/YYYY-MM-DD', () => {
  it('shows the day’s cards in trending order with one read of that day, cacheable, with the day before and no day after today', async () => {
    const answer = await api(get(`/papers/${day}`));
    expect(answer.statusCode).toBe(200);
    expect(store.reads).toEqual([[day]]);
    expect(answer.headers?.['Cache-Control']).toBe('public, max-age=300');
    const body = answer.body;
    expect(body).toContain('<title>Trending papers, Saturday 28 November 2026 · Papertrend</title>');
    expect(body.indexOf('Video diffusion at scale')).toBeLessThan(body.indexOf('Low-bit quantization'));
    expect(body).toContain('Ada Lovelace, Alan Turing');
    expect(body).toContain('▲ 12 upvotes · 3 comments');
    expect(body).toContain('href="https://arxiv.org/abs/2611.00001"');
    expect(body).toContain('href="/papers/2026-11-27" rel="prev"');
    expect(body).not.toContain('rel="next"');
    expect(body).toContain('The 2 papers listed on Saturday 28 November 2026.');
    // The sign-up form sits beside the list.
    expect(body).toContain('action="/subscribe"');
  });

  it('reranks with the topic filter, shows why lines, keeps the filter in the day links, and prefills the sign-up form with it', async () => {
    const answer = await api(get(`/papers/${day}`, { topics: 'quantization' }));
    expect(answer.statusCode).toBe(200);
    const body = answer.body;
    expect(body).toContain('Low-bit quantization');
    expect(body).not.toContain('Video diffusion at scale');
    expect(body).toMatch(/class="why">Why: [^<]*quantization/);
    // The matched words in bold, as in the digest.
    expect(body).toMatch(/class="why">Why: [^\n]*<b>Quantization<\/b>/);
    expect(body).toContain('1 of the 2 papers listed on Saturday 28 November 2026 match, best first.');
    expect(body).toContain('href="/papers/2026-11-27?topics=quantization" rel="prev"');
    expect(body).toMatch(/<input type="text" id="filter" name="topics"[^>]*value="quantization"/);
    expect(body).toMatch(/<textarea id="topics" name="topics"[^>]*>quantization<\/textarea>/);
  });

  it('says so for a day without papers, and links the next day up to today', async () => {
    const answer = await api(get('/papers/2026-11-26'));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('No papers were listed on Thursday 26 November 2026.');
    expect(answer.body).toContain('href="/papers/2026-11-27" rel="next"');
    expect(answer.headers?.['Cache-Control']).toBe('public, max-age=3600');
  });

  it('answers a bad filter with a 400 page that keeps it, names the problem at the box, links the summary to it, and reads nothing', async () => {
    const answer = await api(get(`/papers/${day}`, { topics: 'quantization, "open' }));
    expect(answer.statusCode).toBe(400);
    expect(store.reads).toEqual([]);
    expect(answer.body).toMatch(/<input type="text" id="filter" name="topics"[^>]*value="quantization, &quot;open"[^>]*aria-invalid="true"/);
    expect(answer.body).toContain('unbalanced quote');
    expect(answer.body).toContain('<a href="#filter">');
    expect(answer.body).toMatch(/<title>Fix one field: Topics – Trending papers/);
    expect(answer.headers?.['Cache-Control']).toBe('no-store');
  });

  it.each([['2026-02-31'], ['yesterday'], ['2026-1-5']])('answers the day %s with a 400 page that says how to write one', async (bad) => {
    const answer = await api(get(`/papers/${bad}`));
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('Write it as YYYY-MM-DD, for example /papers/2026-11-28.');
    expect(store.reads).toEqual([]);
  });

  it('answers a day after today with a 404 that names today', async () => {
    const answer = await api(get('/papers/2026-11-29'));
    expect(answer.statusCode).toBe(404);
    expect(answer.body).toContain('it is after today (2026-11-28, UTC)');
  });

  it('answers HEAD as GET without the body', async () => {
    const answer = await api(get(`/papers/${day}`, undefined, 'HEAD'));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe('');
  });
});

describe('GET /papers', () => {
  it('shows today, or yesterday while today has no papers yet', async () => {
    const today = await api(get('/papers'));
    expect(today.body).toContain('Trending papers, Saturday 28 November 2026');
    clock.advance(24 * 3_600_000);
    store.reads.length = 0;
    const before = await api(get('/papers'));
    expect(store.reads).toEqual([['2026-11-29'], ['2026-11-28']]);
    expect(before.body).toContain('Trending papers, Saturday 28 November 2026');
    expect(before.body).toContain('href="/papers/2026-11-29" rel="next"');
  });
});
