// The sign-up page's sample of the digest through the API handler, against dynalite and the SES mailbox: GET / and /sample read one day (cached, cacheable), Preview keeps every value and subscribes nobody, bad topics get the sign-up's field error.
import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { utcDay } from '../../lambdas/core/day';
import type { PaperStore } from '../../lambdas/ports';
import { fetchPapers } from '../../lambdas/use-cases/fetch-papers';
import { createApiHandler, type ApiHandler } from '../../lambdas/web/create-api';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { recordingLogger, testApp } from '../support/test-app';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
const address = 'sam@example.org';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let app: App;
let api: ApiHandler;
let logLines: string[];
/** Every call the site made to the paper store, by method. */
let storeCalls: string[];
const clock = new ManualClock('2026-11-28T22:00:00Z');
const today = utcDay(clock.now());

/** The store, recording what the site asks of it: the sample must come from one day's read, never anything wider. */
function recorded(store: PaperStore, failing = false): PaperStore {
  return {
    putDay: (...args) => (storeCalls.push('putDay'), store.putDay(...args)),
    papersById: (...args) => (storeCalls.push('papersById'), store.papersById(...args)),
    papersForDays: async (days) => {
      storeCalls.push(`papersForDays ${days.join(',')}`);
      if (failing) throw new Error('DynamoDB is away');
      return store.papersForDays(days);
    },
  };
}

function siteWith(options: { failingStore?: boolean } = {}): ApiHandler {
  const deps = app.siteDeps();
  return createApiHandler({ ...deps, preview: { ...deps.preview, papers: recorded(deps.preview.papers, options.failingStore) } });
}

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeAll(async () => {
  tables = await dynamo.createTables();
  logLines = [];
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), publicBaseUrl: 'http://127.0.0.1:3998' });
  await fetchPapers(composeLocalCycle(app, { replayDir: SAMPLES }), today);
}, 60_000);

beforeEach(() => {
  storeCalls = [];
  api = siteWith();
});

function request(
  method: string,
  path: string,
  options: { query?: Record<string, string>; form?: Record<string, string>; json?: unknown } = {},
): APIGatewayProxyEvent {
  const body = options.form ? new URLSearchParams(options.form).toString() : options.json ? JSON.stringify(options.json) : null;
  const type = options.form ? 'application/x-www-form-urlencoded' : options.json ? 'application/json' : undefined;
  return {
    httpMethod: method,
    path,
    resource: path,
    headers: { accept: 'text/html', ...(type ? { 'content-type': type } : {}) },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'test', identity: { sourceIp: '127.0.0.1' } } as APIGatewayProxyEvent['requestContext'],
  };
}

const call = async (method: string, path: string, options: Parameters<typeof request>[2] = {}): Promise<APIGatewayProxyResult> => {
  const answer = await api(request(method, path, options));
  await app.settled();
  return answer;
};

const cardTitles = (html: string) => [...html.matchAll(/<li class="card paper">\n<h3>(?:<a [^>]*>)?([^<]*)/g)].map((match) => match[1]!);
const statusLine = (html: string) => /<p class="lead" id="sample-status" role="status">([^<]*)<\/p>/.exec(html)?.[1];
const fieldError = (html: string, field: string) => new RegExp(`<p class="error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];

async function nobodySubscribed(): Promise<{ subscribers: number; emails: number }> {
  const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: tables.subscribers }));
  return { subscribers: Items.length, emails: (await mailbox.emails()).length };
}

const EVERY_FIELD = {
  email: address,
  topics: 'quantization',
  frequency: 'weekly',
  weekday: '5',
  hour: '18',
  timeZone: 'Asia/Tokyo',
  maxPapers: '12',
  sendEmptyDigest: 'on',
};

describe('GET /', () => {
  it("shows today's top trending cards from one read of today's papers, cacheable by anyone", async () => {
    const answer = await call('GET', '/');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['Cache-Control']).toBe('public, max-age=300');
    expect(cardTitles(answer.body)).toHaveLength(3);
    expect(statusLine(answer.body)).toBe('The top 3 of 12 papers listed on Saturday 28 November 2026; type topics and press Preview for yours.');
    expect(answer.body).toContain('<p class="why">Why: Top trending · #1 on Hugging Face today</p>');
    expect(storeCalls).toEqual([`papersForDays ${today}`]);
  });

  it('shows the sample an example link asks for', async () => {
    const answer = await call('GET', '/', { query: { topics: 'quantization' } });
    expect(answer.statusCode).toBe(200);
    expect(cardTitles(answer.body).length).toBeGreaterThan(0);
    expect(cardTitles(answer.body).every((title) => /quantiz/i.test(title))).toBe(true);
    expect(answer.body).toContain('>quantization</textarea>');
  });

  it('marks a filter that does not parse, reads nothing, and is not cached', async () => {
    const answer = await call('GET', '/', { query: { topics: 'quantization, "open' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers?.['Cache-Control']).toBe('no-store');
    expect(fieldError(answer.body, 'topics')).toMatch(/quote/);
    expect(statusLine(answer.body)).toBe('Fix the topics to see a sample.');
    expect(storeCalls).toEqual([]);
  });

  it('still serves the form, uncached, when the papers cannot be read', async () => {
    api = siteWith({ failingStore: true });
    const answer = await call('GET', '/');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['Cache-Control']).toBe('no-store');
    expect(statusLine(answer.body)).toBe('Today&#39;s papers cannot be shown right now; signing up works as usual.');
    expect(answer.body).toContain('action="/subscribe"');
  });
});

describe('GET /sample', () => {
  it('answers the sample section alone for the typed topics, cacheable, from one read', async () => {
    const answer = await call('GET', '/sample', { query: { topics: 'quantization' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['Cache-Control']).toBe('public, max-age=300');
    expect(answer.body.startsWith('<section class="sample" id="sample"')).toBe(true);
    expect(answer.body).not.toContain('<form');
    expect(statusLine(answer.body)).toMatch(/^“quantization” picks \d+ of the 12 papers listed on Saturday 28 November 2026/);
    expect(cardTitles(answer.body).every((title) => /quantiz/i.test(title))).toBe(true);
    expect(storeCalls).toEqual([`papersForDays ${today}`]);
  });

  it('refuses a filter that does not parse with a 400, so the script falls back to the form', async () => {
    const answer = await call('GET', '/sample', { query: { topics: 'quantization, "open' } });
    expect(answer.statusCode).toBe(400);
    expect(cardTitles(answer.body)).toEqual([]);
  });
});

describe('Preview without JavaScript (POST /subscribe with preview)', () => {
  it('shows the page again with every value as typed and the cards the topics pick, and subscribes nobody', async () => {
    const answer = await call('POST', '/subscribe', { form: { ...EVERY_FIELD, preview: '1', website: '' } });
    expect(answer.statusCode).toBe(200);
    // The page holds the address: never cached.
    expect(answer.headers?.['Cache-Control']).toBe('no-store');
    const html = answer.body;
    expect(html).toContain(`id="email" name="email" required maxlength="254" autocomplete="email" autocapitalize="off" spellcheck="false" value="${address}"`);
    expect(html).toContain('>quantization</textarea>');
    expect(html).toMatch(/id="frequency-weekly" name="frequency" value="weekly" checked/);
    expect(html).toMatch(/<select id="weekday" name="weekday">[\s\S]*?<option value="5" selected>Friday<\/option>/);
    expect(html).toContain('<option value="18" selected>18:00</option>');
    expect(html).toMatch(/<option value="Asia\/Tokyo" selected>/);
    expect(html).toMatch(/<select id="timeZone" name="timeZone">/);
    expect(html).toMatch(/id="maxPapers"[^>]* value="12"/);
    expect(html).toMatch(/id="sendEmptyDigest" name="sendEmptyDigest" value="on" checked/);
    const titles = cardTitles(html);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((title) => /quantiz/i.test(title))).toBe(true);
    expect(html.match(/<p class="why">Why: /g)).toHaveLength(titles.length);
    expect(await nobodySubscribed()).toEqual({ subscribers: 0, emails: 0 });
    expect(logLines.join('\n')).not.toContain(address);
  });

  it('gives a filter that does not parse the same field error as subscribing, keeps the values, and subscribes nobody', async () => {
    const bad = { ...EVERY_FIELD, topics: 'quantization, llm "open' };
    const previewed = await call('POST', '/subscribe', { form: { ...bad, preview: '1' } });
    expect(previewed.statusCode).toBe(400);
    expect(await nobodySubscribed()).toEqual({ subscribers: 0, emails: 0 });
    const subscribed = await call('POST', '/subscribe', { form: bad });
    expect(subscribed.statusCode).toBe(400);
    expect(fieldError(previewed.body, 'topics')).toBeDefined();
    expect(fieldError(previewed.body, 'topics')).toBe(fieldError(subscribed.body, 'topics'));
    expect(previewed.body).toContain('aria-invalid="true" aria-describedby="topics-help topics-error"');
    expect(previewed.body).toContain(`value="${address}"`);
    expect(previewed.body).toContain('<option value="Asia/Tokyo" selected>');
    expect(statusLine(previewed.body)).toBe('Fix the topics to see a sample.');
  });

  it('needs no valid address yet: a half-typed one comes back as typed, with no error', async () => {
    const answer = await call('POST', '/subscribe', { form: { email: 'sam@', topics: '', preview: '1' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('value="sam@"');
    expect(fieldError(answer.body, 'email')).toBeUndefined();
    expect(cardTitles(answer.body)).toHaveLength(3);
    expect(await nobodySubscribed()).toEqual({ subscribers: 0, emails: 0 });
  });

  it('is no part of the JSON API, which refuses the unknown field and subscribes nobody', async () => {
    const answer = await call('POST', '/subscribe', { json: { email: address, topics: 'quantization', preview: '1' } });
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).errors.form).toBe('Unknown field: preview.');
    expect(await nobodySubscribed()).toEqual({ subscribers: 0, emails: 0 });
  });
});

describe('a sign-up with an error in another field', () => {
  it('keeps the sample for the typed topics beside the errors', async () => {
    const answer = await call('POST', '/subscribe', { form: { ...EVERY_FIELD, maxPapers: '99' } });
    expect(answer.statusCode).toBe(400);
    expect(fieldError(answer.body, 'maxPapers')).toBeDefined();
    expect(cardTitles(answer.body).every((title) => /quantiz/i.test(title))).toBe(true);
    expect(await nobodySubscribed()).toEqual({ subscribers: 0, emails: 0 });
  });
});
