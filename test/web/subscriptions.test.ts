// The sign-up API against dynalite and the SES mailbox: double opt-in, tokens, one-click unsubscribe, and the bad-input table.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHttpGateway } from '../../lambdas/adapters/local/http-gateway';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Subscriber } from '../../lambdas/core/model';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { signToken } from '../../lambdas/core/tokens';
import { ConcurrentUpdateError } from '../../lambdas/ports';
import { DigestSender } from '../../lambdas/use-cases/send-digest';
import { createApiHandler, type ApiHandler } from '../../lambdas/web/create-api';
import { type MailboxEmail, ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makePaper } from '../../dev/paper-factory';
import { recordingLogger, testApp } from '../support/test-app';

const BASE_URL = 'http://127.0.0.1:3998';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let api: ApiHandler;
let logLines: string[];

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeEach(async () => {
  await mailbox.clear();
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-11-28T10:00:00Z');
  logLines = [];
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), publicBaseUrl: BASE_URL });
  api = createApiHandler(app.siteDeps());
});

interface Request {
  body?: string | null;
  type?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The stage path the client used before the route, as at API Gateway's execute-api URL (`/prod`). */
  stagePath?: string;
}

function eventFor(method: string, path: string, request: Request = {}): APIGatewayProxyEvent {
  const headers: Record<string, string> = { ...(request.type ? { 'Content-Type': request.type } : {}), ...request.headers };
  return {
    httpMethod: method,
    path,
    resource: path,
    headers,
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'test',
      identity: { sourceIp: '127.0.0.1' },
      ...(request.stagePath ? { path: `${request.stagePath}${path}`, stage: request.stagePath.slice(1) } : {}),
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** One request, answered; then the sign-up queue worked through, as a visitor waits for the confirmation email. */
async function call(method: string, path: string, request: Request = {}): Promise<APIGatewayProxyResult> {
  const response = await api(eventFor(method, path, request));
  await app.settled();
  return response;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const postJson = (path: string, body: unknown) => call('POST', path, { body: JSON.stringify(body), type: 'application/json' });
const postForm = (path: string, fields: Record<string, string>) =>
  call('POST', path, { body: new URLSearchParams(fields).toString(), type: 'application/x-www-form-urlencoded' });

async function storedSubscribers(): Promise<Subscriber[]> {
  const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: tables.subscribers }));
  return Items.filter((item) => String(item.pk).startsWith('SUB#')) as Subscriber[];
}

const confirmationEmails = async () => (await mailbox.emails()).filter((email) => /Confirm your Papertrend/.test(email.subject));

function linkIn(email: MailboxEmail, path: string): URL {
  const match = email.body.text?.match(new RegExp(`${BASE_URL}${path}\\?token=[A-Za-z0-9._~%-]+`));
  if (!match) throw new Error(`no ${path} link in the email`);
  return new URL(match[0]);
}

async function signUpAndConfirm(email: string, fields: Record<string, unknown> = {}): Promise<Subscriber> {
  expect((await postJson('/subscribe', { email, ...fields })).statusCode).toBe(202);
  const [message] = (await confirmationEmails()).filter((m) => m.destination.to[0] === email).slice(-1);
  const token = linkIn(message!, '/confirm').searchParams.get('token')!;
  expect((await postForm('/confirm', { token })).statusCode).toBe(200);
  const subscriber = (await storedSubscribers()).find((s) => s.email === email)!;
  expect(subscriber.status).toBe('confirmed');
  return subscriber;
}

describe('double opt-in', () => {
  it('stores a pending subscriber, mails one confirmation, and confirms only on POST', async () => {
    const response = await postForm('/subscribe', {
      email: 'ada@example.com',
      topics: 'quantization',
      frequency: 'weekly',
      weekday: '3',
      hour: '8',
      timeZone: 'Europe/Berlin',
      maxPapers: '5',
    });
    expect(response.statusCode).toBe(202);
    const [subscriber] = await storedSubscribers();
    expect(subscriber).toMatchObject({
      email: 'ada@example.com',
      status: 'pending',
      topics: 'quantization',
      frequency: 'weekly',
      weekday: 3,
      hour: 8,
      timeZone: 'Europe/Berlin',
      maxPapers: 5,
    });
    expect(subscriber!.consent).toMatchObject({ signedUpAt: '2026-11-28T10:00:00.000Z', formVersion: expect.any(String) });

    const [email] = await confirmationEmails();
    expect(email!.destination.to).toEqual(['ada@example.com']);
    expect(email!.body.text).not.toContain('quantization');
    const link = linkIn(email!, '/confirm');
    expect(link.href).not.toContain('ada');

    // A link scanner's GET shows the page and changes nothing.
    const page = await call('GET', '/confirm', { query: { token: link.searchParams.get('token')! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<form[^>]+method="post"[^>]+action="\/confirm"/i);
    expect((await storedSubscribers())[0]!.status).toBe('pending');

    clock.advance(60_000);
    expect((await postForm('/confirm', { token: link.searchParams.get('token')! })).statusCode).toBe(200);
    const confirmed = (await storedSubscribers())[0]!;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.consent.confirmedAt).toBe('2026-11-28T10:01:00.000Z');
    // Reusing the link is harmless.
    expect((await postForm('/confirm', { token: link.searchParams.get('token')! })).statusCode).toBe(200);
  });

  it('answers a confirmed, a pending and an unsubscribed address exactly like a new one, and never demotes', async () => {
    const confirmed = await signUpAndConfirm('known@example.com', { topics: 'agents' });
    await mailbox.clear();
    clock.advance(11 * 60_000);
    const answers = [
      await postJson('/subscribe', { email: 'known@example.com', topics: 'diffusion' }),
      await postJson('/subscribe', { email: 'fresh@example.com' }),
    ];
    expect(answers[0]).toEqual(answers[1]);
    const after = (await storedSubscribers()).find((s) => s.id === confirmed.id)!;
    expect(after).toMatchObject({ status: 'confirmed', topics: 'agents' });
    expect((await confirmationEmails()).map((e) => e.destination.to[0])).toEqual(['fresh@example.com']);
  });

  it('restarts a pending sign-up’s 30-day expiry when the address signs up again unchanged, and ends it on confirmation', async () => {
    const epochDaysLater = (days: number) => Math.floor(clock.now().getTime() / 1000) + days * 86_400;
    await postJson('/subscribe', { email: 'slow@example.com', topics: 'agents' });
    expect((await storedSubscribers())[0]).toMatchObject({ status: 'pending', expiresAt: epochDaysLater(30) });
    clock.advance(20 * 86_400_000);
    await postJson('/subscribe', { email: 'slow@example.com', topics: 'agents' });
    expect((await storedSubscribers())[0]).toMatchObject({ status: 'pending', expiresAt: epochDaysLater(30) });
    const token = linkIn((await confirmationEmails()).at(-1)!, '/confirm').searchParams.get('token')!;
    expect((await postForm('/confirm', { token })).statusCode).toBe(200);
    expect((await storedSubscribers())[0]).not.toHaveProperty('expiresAt');
  });

  it('lets an unsubscribed address sign up again with a new consent, and old confirm links stay dead', async () => {
    const first = await signUpAndConfirm('back@example.com');
    const oldToken = linkIn((await confirmationEmails())[0]!, '/confirm').searchParams.get('token')!;
    const unsubscribeToken = signToken(app.config.keyring, { subscriberId: first.id, purpose: 'unsubscribe' }, clock.now());
    expect((await call('POST', '/unsubscribe', { query: { token: unsubscribeToken } })).statusCode).toBe(200);
    clock.advance(11 * 60_000);
    expect((await postJson('/subscribe', { email: 'back@example.com' })).statusCode).toBe(202);
    const again = (await storedSubscribers()).find((s) => s.email === 'back@example.com')!;
    expect(again).toMatchObject({ id: first.id, status: 'pending' });
    expect(again.consent.signedUpAt).toBe(clock.now().toISOString());
    expect((await postForm('/confirm', { token: oldToken })).statusCode).toBe(400);
    expect((await storedSubscribers()).find((s) => s.id === first.id)!.status).toBe('pending');
  });

  it('tells the holder of an old confirmation link when signing up again sends a new one, when the new sign-up’s email was held back', async () => {
    const first = await signUpAndConfirm('quick@example.com');
    const oldToken = linkIn((await confirmationEmails())[0]!, '/confirm').searchParams.get('token')!;
    await call('POST', '/unsubscribe', { query: { token: signToken(app.config.keyring, { subscriberId: first.id, purpose: 'unsubscribe' }, clock.now()) } });
    clock.advance(2 * 60_000);
    await postJson('/subscribe', { email: 'quick@example.com' });
    // Within the per-address limit: no new email, so the old link's page is all the reader has.
    expect(await confirmationEmails()).toHaveLength(1);
    const page = await call('GET', '/confirm', { query: { token: oldToken } });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('We send one every 10 minutes at most: sign up again after that and a new link is sent.');
    clock.advance(10 * 60_000);
    await postJson('/subscribe', { email: 'quick@example.com' });
    const newest = (await confirmationEmails()).at(-1)!;
    expect(await confirmationEmails()).toHaveLength(2);
    expect((await postForm('/confirm', { token: linkIn(newest, '/confirm').searchParams.get('token')! })).statusCode).toBe(200);
    expect((await app.subscribers.get(first.id))!.status).toBe('confirmed');
  });
});

describe('links from before a re-sign-up', () => {
  it('refuses old preferences and unsubscribe-page links once the address signed up again, but an old one-click unsubscribe still withdraws', async () => {
    const first = await signUpAndConfirm('again@example.com');
    const old = (purpose: 'preferences' | 'unsubscribe') => signToken(app.config.keyring, { subscriberId: first.id, purpose }, clock.now());
    const oldPreferences = old('preferences');
    const oldUnsubscribe = old('unsubscribe');
    expect((await call('POST', '/unsubscribe', { query: { token: oldUnsubscribe } })).statusCode).toBe(200);
    clock.advance(11 * 60_000);
    await signUpAndConfirm('again@example.com');

    for (const response of [
      await call('GET', '/preferences', { query: { token: oldPreferences } }),
      await postForm('/preferences', { token: oldPreferences, topics: 'cs.CL' }),
      await call('GET', '/unsubscribe', { query: { token: oldUnsubscribe } }),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.body).not.toContain('again@example.com');
      expect(response.body).toContain('out of date');
    }
    expect((await app.subscribers.get(first.id))!.status).toBe('confirmed');

    // Links issued after the new consent work.
    const fresh = (purpose: 'preferences' | 'unsubscribe') => signToken(app.config.keyring, { subscriberId: first.id, purpose }, clock.now());
    expect((await call('GET', '/preferences', { query: { token: fresh('preferences') } })).body).toContain('again@example.com');
    expect((await call('GET', '/unsubscribe', { query: { token: fresh('unsubscribe') } })).statusCode).toBe(200);

    // Withdrawal is never refused: the one-click POST from the old email still unsubscribes.
    expect((await call('POST', '/unsubscribe', { query: { token: oldUnsubscribe } })).statusCode).toBe(200);
    expect((await app.subscribers.get(first.id))!.status).not.toBe('confirmed');
  });
});

describe("under API Gateway's stage path", () => {
  /** Every link and form target of a page, fragments aside. */
  const targets = (html: string) =>
    [...html.matchAll(/<(?:a|form)\b[^>]*?\s(?:href|action)="([^"]*)"/g)]
      .map((match) => match[1]!.replace(/&amp;/g, '&'))
      .filter((target) => !target.startsWith('#'));
  const underProd = (response: APIGatewayProxyResult) => {
    expect(response.headers?.location ?? response.headers?.Location).toBeUndefined();
    const found = targets(response.body);
    expect(found.length).toBeGreaterThan(0);
    for (const target of found) expect(target).toMatch(/^\/prod\/(?:[a-z]|\?|$)/);
    return found;
  };
  const stage = { stagePath: '/prod' };

  it('links and posts every page under /prod: sign-up, accepted, confirm, confirmed, preferences, unsubscribe, errors', async () => {
    expect(underProd(await call('GET', '/', stage))).toContain('/prod/subscribe');
    underProd(await call('POST', '/subscribe', { ...stage, body: 'email=not-an-address', type: 'application/x-www-form-urlencoded' }));
    underProd(await call('POST', '/subscribe', { ...stage, body: 'x', type: 'text/plain' }));
    underProd(await call('POST', '/subscribe', { ...stage, body: 'email=staged%40example.com', type: 'application/x-www-form-urlencoded' }));
    const token = linkIn((await confirmationEmails())[0]!, '/confirm').searchParams.get('token')!;
    expect(underProd(await call('GET', '/confirm', { ...stage, query: { token } }))).toContain('/prod/confirm');
    const confirmed = underProd(
      await call('POST', '/confirm', { ...stage, body: new URLSearchParams({ token }).toString(), type: 'application/x-www-form-urlencoded' }),
    );
    const preferencesLink = confirmed.find((target) => target.startsWith('/prod/preferences?token='))!;
    expect(preferencesLink).toBeDefined();
    const preferencesToken = new URL(preferencesLink, BASE_URL).searchParams.get('token')!;
    const preferences = underProd(await call('GET', '/preferences', { ...stage, query: { token: preferencesToken } }));
    expect(preferences).toContain('/prod/preferences');
    const unsubscribeLink = preferences.find((target) => target.startsWith('/prod/unsubscribe?token='))!;
    const unsubscribeToken = new URL(unsubscribeLink, BASE_URL).searchParams.get('token')!;
    underProd(
      await call('POST', '/preferences', {
        ...stage,
        body: new URLSearchParams({ token: preferencesToken, topics: 'agents' }).toString(),
        type: 'application/x-www-form-urlencoded',
      }),
    );
    expect(underProd(await call('GET', '/unsubscribe', { ...stage, query: { token: unsubscribeToken } }))).toEqual(expect.arrayContaining([unsubscribeLink]));
    underProd(
      await call('POST', '/unsubscribe', { ...stage, query: { token: unsubscribeToken }, body: 'action=pause', type: 'application/x-www-form-urlencoded' }),
    );
    underProd(
      await call('POST', '/unsubscribe', {
        ...stage,
        query: { token: unsubscribeToken },
        body: 'List-Unsubscribe=One-Click',
        type: 'application/x-www-form-urlencoded',
      }),
    );
    expect((await app.subscribers.findByEmail('staged@example.com'))?.status).toBe('unsubscribed');
    underProd(await call('GET', '/unsubscribe', { ...stage, query: { token: unsubscribeToken } }));
    underProd(await call('GET', '/confirm', { ...stage, query: { token: 'forged' } }));
    underProd(await call('GET', '/nowhere', stage));
    underProd(await call('POST', '/health', stage));
  });

  it('keeps the stage path in the links of the emails (PUBLIC_BASE_URL), whatever path the request came in by', async () => {
    const staged = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), publicBaseUrl: `${BASE_URL}/prod/` });
    const stagedApi = createApiHandler(staged.siteDeps());
    const body = new URLSearchParams({ email: 'mailed@example.com' }).toString();
    expect((await stagedApi(eventFor('POST', '/subscribe', { body, type: 'application/x-www-form-urlencoded' }))).statusCode).toBe(202);
    await staged.settled();
    const [email] = await confirmationEmails();
    const links = [...`${email!.body.text} ${email!.body.html}`.matchAll(/https?:\/\/[^\s"<>]+/g)]
      .map((match) => match[0])
      .filter((link) => link.startsWith(BASE_URL));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(new RegExp(`^${BASE_URL}/prod/confirm\\?token=`));
  });
});

describe('preferences', () => {
  it('shows the form, validates topics with the filter parser, saves, and previews the latest day', async () => {
    const subscriber = await signUpAndConfirm('prefs@example.com');
    await app.papers.putDay('2026-11-28', [
      makePaper({ id: '2611.00001', title: 'Quantization of language models', listedOn: ['2026-11-28'] }),
      makePaper({ id: '2611.00002', title: 'Robots that fold laundry', listedOn: ['2026-11-28'] }),
    ]);
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const page = await call('GET', '/preferences', { query: { token } });
    expect(page.statusCode).toBe(200);

    const bad = await postForm('/preferences', { token, topics: '"unbalanced', frequency: 'daily' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('unbalanced quote');
    expect((await app.subscribers.get(subscriber.id))!.topics).toBe('');

    const saved = await postForm('/preferences', {
      token,
      topics: 'quantization',
      frequency: 'weekly',
      weekday: '5',
      hour: '6',
      timeZone: 'Asia/Tokyo',
      maxPapers: '3',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toMatch(/picks\D*1\b/);
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({
      topics: 'quantization',
      frequency: 'weekly',
      weekday: 5,
      hour: 6,
      timeZone: 'Asia/Tokyo',
      maxPapers: 3,
      paused: false,
      status: 'confirmed',
    });

    expect((await postForm('/preferences', { token, action: 'pause' })).statusCode).toBe(200);
    expect((await app.subscribers.get(subscriber.id))!.paused).toBe(true);
    expect(await app.subscribers.listSchedules()).toEqual([]);
  });
});

describe('a form shown again with errors', () => {
  const selected = (body: string, id: string) => new RegExp(`<select id="${id}"[^]*?<option value="([^"]*)" selected>`).exec(body)?.[1];

  it('keeps every value typed on the sign-up page, the time zone included, and leads with a summary that links each field', async () => {
    const page = await postForm('/subscribe', {
      email: 'reader@example.org',
      topics: 'quantization, llm "open',
      frequency: 'weekly',
      weekday: '5',
      hour: '18',
      timeZone: 'Asia/Tokyo',
      maxPapers: '99',
    });
    expect(page.statusCode).toBe(400);
    const body = page.body;
    expect(body).toContain('value="reader@example.org"');
    expect(body).toContain('>quantization, llm &quot;open</textarea>');
    expect(body).toMatch(/id="frequency-weekly" name="frequency" value="weekly" checked/);
    expect([selected(body, 'weekday'), selected(body, 'hour'), selected(body, 'timeZone')]).toEqual(['5', '18', 'Asia/Tokyo']);
    expect(body).toMatch(/id="maxPapers"[^>]*value="99"[^>]*aria-invalid="true"/);
    expect(body).toMatch(/<textarea id="topics"[^>]*aria-invalid="true"/);
    // The browser's zone must not replace a zone the visitor already chose.
    expect(body).toContain('<select id="timeZone" name="timeZone">');
    expect(body).toContain('<title>Fix 2 fields: Topics, Papers per email – Trending papers on your topics · Papertrend</title>');
    expect(body).toMatch(/<div class="alert" id="error-summary" role="alert" tabindex="-1" autofocus/);
    expect(body).toContain('<a href="#topics">Topics: unbalanced quote at position 5 in topic 2</a>');
    expect(body).toContain('<a href="#maxPapers">Papers per email: Papers per email must be 1 to 30</a>');
  });

  it('keeps the unsaved changes on the preferences page beside an error, and saves nothing', async () => {
    const subscriber = await signUpAndConfirm('unsaved@example.com');
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const page = await postForm('/preferences', {
      token,
      topics: 'agents',
      frequency: 'weekly',
      weekday: '5',
      hour: '18',
      timeZone: 'Asia/Tokyo',
      maxPapers: '0',
      paused: 'on',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('>agents</textarea>');
    expect(page.body).toMatch(/id="frequency-weekly" name="frequency" value="weekly" checked/);
    expect([selected(page.body, 'weekday'), selected(page.body, 'hour'), selected(page.body, 'timeZone')]).toEqual(['5', '18', 'Asia/Tokyo']);
    expect(page.body).toMatch(/id="maxPapers"[^>]*value="0"[^>]*aria-invalid="true"/);
    expect(page.body).toMatch(/id="paused" name="paused" value="on" checked/);
    expect(page.body).toContain('<title>Fix one field: Papers per email – Your preferences · Papertrend</title>');
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({ topics: '', frequency: 'daily', timeZone: 'UTC', paused: false });
  });
});

describe('the "nothing new" choice (issue 12, item 3)', () => {
  const box = /<input type="checkbox" id="sendEmptyDigest" name="sendEmptyDigest" value="on"( checked)?>/;
  const confirmLink = async (email: string) => {
    const [message] = (await confirmationEmails()).filter((m) => m.destination.to[0] === email).slice(-1);
    return linkIn(message!, '/confirm').searchParams.get('token')!;
  };

  it('is a checkbox on the sign-up form, unticked by default, carried through the sign-up job and shown before confirming', async () => {
    expect((await call('GET', '/')).body.match(box)?.[1]).toBeUndefined();
    expect((await postForm('/subscribe', { email: 'empty@example.org', topics: 'agents', sendEmptyDigest: 'on' })).statusCode).toBe(202);
    expect((await postForm('/subscribe', { email: 'quiet@example.org', topics: 'agents' })).statusCode).toBe(202);
    const stored = await storedSubscribers();
    expect(stored.find((s) => s.email === 'empty@example.org')).toMatchObject({ status: 'pending', sendEmptyDigest: true });
    expect(stored.find((s) => s.email === 'quiet@example.org')).toMatchObject({ status: 'pending', sendEmptyDigest: false });
    const page = await call('GET', '/confirm', { query: { token: await confirmLink('empty@example.org') } });
    expect(page.body).toContain('<dt>When nothing new matches</dt><dd>A short note</dd>');
  });

  it('survives an error on the sign-up form', async () => {
    const page = await postForm('/subscribe', { email: 'empty@example.org', topics: '"open', sendEmptyDigest: 'on' });
    expect(page.statusCode).toBe(400);
    expect(page.body.match(box)?.[1]).toBe(' checked');
  });

  it('is saved from the preferences page: ticked, then unticked by a browser that leaves the box out; a JSON client that leaves it out keeps it', async () => {
    const subscriber = await signUpAndConfirm('prefs-empty@example.org');
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    expect((await call('GET', '/preferences', { query: { token } })).body.match(box)?.[1]).toBeUndefined();
    const saved = await postForm('/preferences', { token, topics: 'agents', sendEmptyDigest: 'on' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body.match(box)?.[1]).toBe(' checked');
    expect((await app.subscribers.get(subscriber.id))!.sendEmptyDigest).toBe(true);
    expect((await postJson('/preferences', { token, topics: 'llm' })).statusCode).toBe(200);
    expect((await app.subscribers.get(subscriber.id))!.sendEmptyDigest).toBe(true);
    expect((await postForm('/preferences', { token, topics: 'agents' })).statusCode).toBe(200);
    expect((await app.subscribers.get(subscriber.id))!.sendEmptyDigest).toBe(false);
  });

  it('survives an error on the preferences page, ticked or unticked, and saves nothing', async () => {
    const subscriber = await signUpAndConfirm('prefs-error@example.org', { sendEmptyDigest: true });
    expect(subscriber.sendEmptyDigest).toBe(true);
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const unticked = await postForm('/preferences', { token, topics: '"open' });
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body.match(box)?.[1]).toBeUndefined();
    expect((await app.subscribers.get(subscriber.id))!.sendEmptyDigest).toBe(true);
    await postForm('/preferences', { token, topics: 'agents' });
    const ticked = await postForm('/preferences', { token, topics: '"open', sendEmptyDigest: 'on' });
    expect(ticked.statusCode).toBe(400);
    expect(ticked.body.match(box)?.[1]).toBe(' checked');
    expect((await app.subscribers.get(subscriber.id))!.sendEmptyDigest).toBe(false);
  });

  it('is kept when an unsubscribed reader subscribes again', async () => {
    const subscriber = await signUpAndConfirm('back-empty@example.org', { sendEmptyDigest: true });
    await call('POST', '/unsubscribe', {
      query: { token: signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'unsubscribe' }, clock.now()) },
    });
    const page = await call('GET', '/preferences', {
      query: { token: signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now()) },
    });
    const fields = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((match) => [match[1]!, match[2]!]));
    expect(fields).toMatchObject({ sendEmptyDigest: 'on' });
    clock.advance(11 * 60_000);
    expect((await postForm('/subscribe', fields)).statusCode).toBe(202);
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({ status: 'pending', sendEmptyDigest: true });
  });
});

describe('states told honestly', () => {
  const tokenFor = (subscriber: Subscriber, purpose: 'preferences' | 'unsubscribe') =>
    signToken(app.config.keyring, { subscriberId: subscriber.id, purpose }, clock.now());
  const unsubscribeAction = (token: string, action: string) =>
    call('POST', '/unsubscribe', { query: { token }, body: `action=${action}`, type: 'application/x-www-form-urlencoded' });

  it('within the cooldown, sends no second email, says so on the same page for everyone, and the first link still confirms', async () => {
    const first = await postForm('/subscribe', { email: 'again@example.org', topics: 'agents' });
    clock.advance(3 * 60_000);
    const second = await postForm('/subscribe', { email: 'again@example.org', topics: 'robots', frequency: 'weekly' });
    const stranger = await postForm('/subscribe', { email: 'new@example.org' });
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    // The same page as a new address gets, but for the address each typed.
    expect(second.body.replace('again@example.org', 'ADDRESS')).toBe(stranger.body.replace('new@example.org', 'ADDRESS'));
    expect(second.body).toContain('We send at most one confirmation email to an address every 10 minutes.');
    expect(second.body).toContain('Use the link in that email: it still works.');
    const emails = (await confirmationEmails()).filter((email) => email.destination.to[0] === 'again@example.org');
    expect(emails).toHaveLength(1);
    const token = linkIn(emails[0]!, '/confirm').searchParams.get('token')!;
    const page = await call('GET', '/confirm', { query: { token } });
    expect(page.body).toContain('This link works until Saturday 5 December 2026, 10:00 UTC, even if you sign up again meanwhile.');
    expect((await postForm('/confirm', { token })).statusCode).toBe(200);
    expect((await storedSubscribers()).find((s) => s.email === 'again@example.org')).toMatchObject({ status: 'confirmed', topics: 'agents' });
  });

  it('the unsubscribe page names the masked address and the state, offers only what changes something, and resumes a paused reader', async () => {
    const subscriber = await signUpAndConfirm('jane@example.org', { weekday: 5 });
    const token = tokenFor(subscriber, 'unsubscribe');
    const page = async () => (await call('GET', '/unsubscribe', { query: { token } })).body;
    const offered = (body: string) => [...body.matchAll(/name="action" value="(\w+)"/g)].map((match) => match[1]);
    let body = await page();
    expect(body).toContain('Unsubscribe j***@example.org?');
    expect(body).not.toContain('jane@example.org');
    expect(offered(body)).toEqual(['pause', 'weekly']);
    expect(body).toContain('Switch to weekly (Fridays)');

    expect((await unsubscribeAction(token, 'weekly')).body).toContain('one digest a week, on Fridays');
    body = await page();
    expect(body).toContain('You get one digest a week, on Fridays.');
    expect(offered(body)).toEqual(['pause']);

    await unsubscribeAction(token, 'pause');
    body = await page();
    expect(body).toContain('are paused.');
    expect(offered(body)).toEqual(['resume']);
    expect((await unsubscribeAction(token, 'resume')).statusCode).toBe(200);
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({ status: 'confirmed', paused: false, frequency: 'weekly' });

    await call('POST', '/unsubscribe', { query: { token } });
    body = await page();
    expect(body).toContain("You're unsubscribed");
    expect(body).toContain('j***@example.org won');
  });

  it('a paused reader’s preferences page offers resume, and the button resumes', async () => {
    const subscriber = await signUpAndConfirm('paused@example.org');
    const token = tokenFor(subscriber, 'preferences');
    await postForm('/preferences', { token, action: 'pause' });
    const page = await call('GET', '/preferences', { query: { token } });
    expect(page.body).toContain('Your digests are paused.');
    expect(page.body).toContain('name="action" value="resume"');
    const resumed = await postForm('/preferences', { token, action: 'resume' });
    expect(resumed.body).toContain('Digests resumed.');
    expect(resumed.body).not.toContain('value="resume"');
    expect((await app.subscribers.get(subscriber.id))!.paused).toBe(false);
  });

  it('an unsubscribed reader’s preferences link offers to subscribe again with their settings, through a new confirmation', async () => {
    const subscriber = await signUpAndConfirm('back@example.org', { topics: 'agents', hour: 18 });
    const preferences = tokenFor(subscriber, 'preferences');
    await call('POST', '/unsubscribe', { query: { token: tokenFor(subscriber, 'unsubscribe') } });
    const page = await call('GET', '/preferences', { query: { token: preferences } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("You're unsubscribed");
    expect(page.body).toContain('b***@example.org gets no digests. Subscribe again');
    expect(page.body).not.toContain('earlier sign-up');
    const fields = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((match) => [match[1]!, match[2]!]));
    expect(fields).toMatchObject({ email: 'back@example.org', topics: 'agents', hour: '18' });
    clock.advance(11 * 60_000);
    expect((await postForm('/subscribe', fields)).statusCode).toBe(202);
    const again = (await app.subscribers.get(subscriber.id))!;
    expect(again).toMatchObject({ status: 'pending', topics: 'agents', hour: 18 });
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  let server: Server;
  let base: string;
  beforeEach(async () => {
    server = createHttpGateway(api);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('unsubscribes with a POST of List-Unsubscribe=One-Click to the digest header URL: 200, no redirect; GETs change nothing', async () => {
    const subscriber = await signUpAndConfirm('oneclick@example.com');
    await app.papers.putDay('2026-11-28', [makePaper({ id: '2611.00003', title: 'A trending paper', listedOn: ['2026-11-28'], signals: { upvotes: 9 } })]);
    await new DigestSender(app.sendDigestDeps()).send({ subscriberId: subscriber.id, localDate: '2026-11-28' });
    const digest = (await mailbox.emails()).find((email) => !/Confirm/.test(email.subject))!;
    const header = digest.headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
    const url = new URL(header.slice(1, -1));
    const local = `${base}${url.pathname}${url.search}`;

    for (let i = 0; i < 2; i += 1) {
      const get = await fetch(local, { redirect: 'manual' });
      expect(get.status).toBe(200);
      expect((await app.subscribers.get(subscriber.id))!.status).toBe('confirmed');
    }
    clock.advance(60_000);
    const post = await fetch(local, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('location')).toBeNull();
    expect(post.headers.get('set-cookie')).toBeNull();
    const after = (await app.subscribers.get(subscriber.id))!;
    expect(after.status).toBe('unsubscribed');
    expect(after.consent.withdrawnAt).toBe(clock.now().toISOString());
    // Idempotent, and multipart bodies (which RFC 8058 prefers) work too.
    const again = await fetch(local, {
      method: 'POST',
      redirect: 'manual',
      body: (() => {
        const form = new FormData();
        form.set('List-Unsubscribe', 'One-Click');
        return form;
      })(),
    });
    expect(again.status).toBe(200);
  });
});

describe('bad input', () => {
  type Case = { name: string; send: () => Promise<APIGatewayProxyResult>; status: number; stored?: Partial<Subscriber> };
  const zwsp = '\u200b';
  const cases: Case[] = [
    {
      name: 'an address with a leading zero-width space and capitals',
      send: () => postJson('/subscribe', { email: `${zwsp} Victim@EXAMPLE.com` }),
      status: 202,
      stored: { email: 'Victim@example.com' },
    },
    { name: 'a header injection with CRLF', send: () => postJson('/subscribe', { email: 'a@x.com\r\nBcc: y@evil.test' }), status: 400 },
    {
      name: 'a header injection with %0d%0a in a form',
      send: () => call('POST', '/subscribe', { body: 'email=a%40x.com%0d%0aBcc%3A%20y%40evil.test', type: 'application/x-www-form-urlencoded' }),
      status: 400,
    },
    { name: 'a header injection with a literal %0d%0a', send: () => postJson('/subscribe', { email: 'a@x.com%0d%0aBcc:y@evil.test' }), status: 400 },
    { name: 'a 65-character local part', send: () => postJson('/subscribe', { email: `${'a'.repeat(65)}@example.com` }), status: 400 },
    {
      name: 'a 255-character address',
      send: () => postJson('/subscribe', { email: `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.com` }),
      status: 400,
    },
    {
      name: 'a 254-character address',
      send: () => postJson('/subscribe', { email: `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(56)}.com` }),
      status: 202,
      stored: { email: `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(56)}.com` },
    },
    {
      name: 'an internationalised domain',
      send: () => postJson('/subscribe', { email: 'user@bücher.de' }),
      status: 202,
      stored: { email: 'user@xn--bcher-kva.de' },
    },
    { name: 'a non-ASCII local part', send: () => postJson('/subscribe', { email: 'josé@x.com' }), status: 400 },
    { name: 'two dots in a row', send: () => postJson('/subscribe', { email: 'a..b@x.com' }), status: 400 },
    { name: 'a leading dot', send: () => postJson('/subscribe', { email: '.a@x.com' }), status: 400 },
    { name: 'a single-label domain', send: () => postJson('/subscribe', { email: 'a@localhost' }), status: 400 },
    { name: 'an array of addresses', send: () => postJson('/subscribe', { email: ['a@x.com', 'b@x.com'] }), status: 400 },
    { name: 'a query operator', send: () => postJson('/subscribe', { email: { $ne: null } }), status: 400 },
    { name: 'a JSON null body', send: () => call('POST', '/subscribe', { body: 'null', type: 'application/json' }), status: 400 },
    { name: 'no body', send: () => call('POST', '/subscribe', { type: 'application/json' }), status: 400 },
    { name: 'truncated JSON', send: () => call('POST', '/subscribe', { body: '{"email":"a@x.c', type: 'application/json' }), status: 400 },
    { name: 'a 1 MB body', send: () => postJson('/subscribe', { email: 'big@example.com', topics: 'x'.repeat(1024 * 1024) }), status: 413 },
    { name: 'over-posting the status', send: () => postJson('/subscribe', { email: 'sneaky@example.com', status: 'confirmed' }), status: 400 },
    { name: 'an unbalanced quote in topics', send: () => postJson('/subscribe', { email: 'quotes@example.com', topics: '"open' }), status: 400 },
    { name: 'an unknown time zone', send: () => postJson('/subscribe', { email: 'zone@example.com', timeZone: 'Mars/Olympus' }), status: 400 },
    { name: 'an hour out of range', send: () => postForm('/subscribe', { email: 'hour@example.com', hour: '24' }), status: 400 },
    { name: 'a filled honeypot', send: () => postForm('/subscribe', { email: 'bot@example.com', website: 'http://spam.test' }), status: 202 },
    { name: 'a filled honeypot with junk elsewhere', send: () => postForm('/subscribe', { email: 'not an address', website: 'x', hour: '99' }), status: 202 },
    { name: 'a body that is not a form or JSON', send: () => call('POST', '/subscribe', { body: '<xml/>', type: 'text/xml' }), status: 415 },
    {
      name: 'a repeated field',
      send: () => call('POST', '/subscribe', { body: 'email=a%40x.com&email=b%40x.com', type: 'application/x-www-form-urlencoded' }),
      status: 400,
    },
  ];

  it.each(cases)('$name: $status, and stores only what it should', async ({ send, status, stored }) => {
    const response = await send();
    expect(response.statusCode).toBe(status);
    const subscribers = await storedSubscribers();
    if (stored) {
      expect(subscribers).toHaveLength(1);
      expect(subscribers[0]).toMatchObject({ ...stored, status: 'pending' });
      expect((await confirmationEmails()).map((email) => email.destination.to[0])).toEqual([stored.email]);
    } else {
      expect(subscribers).toEqual([]);
      expect(await confirmationEmails()).toEqual([]);
    }
  });

  it('keeps markup in topics as text and shows it escaped', async () => {
    const subscriber = await signUpAndConfirm('markup@example.com', { topics: '<script>alert(1)</script>' });
    expect(subscriber.topics).toBe('<script>alert(1)</script>');
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const page = await call('GET', '/preferences', { query: { token } });
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('sends one confirmation email for the same address 50 times in a minute, and at most three a day', async () => {
    const statuses = await Promise.all(Array.from({ length: 50 }, () => postJson('/subscribe', { email: 'flood@example.com' })));
    expect(new Set(statuses.map((r) => r.statusCode))).toEqual(new Set([202]));
    expect(await storedSubscribers()).toHaveLength(1);
    expect(await confirmationEmails()).toHaveLength(1);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(11 * 60_000);
      await postJson('/subscribe', { email: 'flood@example.com' });
    }
    expect(await confirmationEmails()).toHaveLength(3);
  });

  describe('tokens', () => {
    let subscriber: Subscriber;
    let confirmToken: string;
    beforeEach(async () => {
      await postJson('/subscribe', { email: 'tokens@example.com' });
      subscriber = (await app.subscribers.get((await storedSubscribers())[0]!.id))!;
      confirmToken = linkIn((await confirmationEmails())[0]!, '/confirm').searchParams.get('token')!;
    });
    const flip = (token: string) => token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    const tokenCases: Array<[string, () => string, string, string]> = [
      ['expired', () => (clock.advance(8 * 24 * 3600_000), confirmToken), 'POST', '/confirm'],
      ['for another purpose', () => confirmToken, 'POST', '/unsubscribe'],
      ['for another purpose (preferences)', () => confirmToken, 'GET', '/preferences'],
      [
        'for a subscriber that does not exist',
        () => signToken(app.config.keyring, { subscriberId: 'someone-else', purpose: 'confirm' }, clock.now()),
        'POST',
        '/confirm',
      ],
      ['bit-flipped', () => flip(confirmToken), 'POST', '/confirm'],
      ['empty', () => '', 'POST', '/confirm'],
      ['10 KB long', () => 'A'.repeat(10 * 1024), 'GET', '/confirm'],
      ['of the wrong length', () => confirmToken.slice(0, -3), 'POST', '/confirm'],
    ];
    it.each(tokenCases)('refuses a token %s with 400 and changes nothing', async (_label, token, method, path) => {
      const value = token();
      const response =
        path === '/confirm' && method === 'POST' ? await postForm('/confirm', { token: value }) : await call(method, path, { query: { token: value } });
      expect(response.statusCode).toBe(400);
      expect(await app.subscribers.get(subscriber.id)).toEqual(subscriber);
    });

    /** A well-formed token whose key id names an Object.prototype member, with a signature no key made. */
    const forged = (keyId: string, purpose: string) =>
      `${Buffer.from(`${keyId}.${purpose}.${subscriber.id}.${Math.floor(clock.now().getTime() / 1000).toString(36)}`).toString('base64url')}.${'A'.repeat(43)}`;
    it.each(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
      'refuses a token whose key id is %s with 400 on every token route, and logs no error',
      async (keyId) => {
        const responses = [
          await call('GET', '/unsubscribe', { query: { token: forged(keyId, 'unsubscribe') } }),
          await call('POST', '/unsubscribe', { query: { token: forged(keyId, 'unsubscribe') } }),
          await call('GET', '/preferences', { query: { token: forged(keyId, 'preferences') } }),
          await call('GET', '/confirm', { query: { token: forged(keyId, 'confirm') } }),
          await postForm('/confirm', { token: forged(keyId, 'confirm') }),
          await postForm('/preferences', { token: forged(keyId, 'preferences'), topics: 'cs.LG' }),
        ];
        expect(responses.map((response) => response.statusCode)).toEqual([400, 400, 400, 400, 400, 400]);
        expect(logLines.filter((line) => /"level":"error"|request failed/.test(line))).toEqual([]);
        expect(await app.subscribers.get(subscriber.id)).toEqual(subscriber);
      },
    );
  });
});

describe('logs', () => {
  it('carry no email address and no token through sign-up, confirmation, preferences, digest and unsubscribe', async () => {
    const subscriber = await signUpAndConfirm('private.person+tag@example.com', { topics: 'agents' });
    await postJson('/subscribe', { email: 'not valid@@example.com' });
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    await postForm('/preferences', { token, topics: 'agents, quantization' });
    await app.papers.putDay('2026-11-28', [makePaper({ id: '2611.00004', title: 'Agents', listedOn: ['2026-11-28'] })]);
    await new DigestSender(app.sendDigestDeps()).send({ subscriberId: subscriber.id, localDate: '2026-11-28' });
    const unsubscribeToken = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'unsubscribe' }, clock.now());
    await call('POST', '/unsubscribe', { query: { token: unsubscribeToken } });

    const tokens = [
      token,
      unsubscribeToken,
      ...(await mailbox.emails()).flatMap((email) => [...(email.body.text ?? '').matchAll(/token=([A-Za-z0-9._-]+)/g)].map((m) => m[1]!)),
    ];
    const output = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(4);
    expect(output).not.toMatch(/[^\s"@]+@[^\s"@]+\.[a-z]{2,}/i);
    for (const value of tokens) expect(output).not.toContain(value);
  });
});

describe('races and failures', () => {
  it('never leaves a subscriber pending when a sign-up races the confirmation', async () => {
    await postJson('/subscribe', { email: 'race@example.com', topics: 'agents' });
    const token = linkIn((await confirmationEmails())[0]!, '/confirm').searchParams.get('token')!;
    clock.advance(1000);
    await Promise.all([
      postForm('/confirm', { token }),
      ...Array.from({ length: 5 }, (_, n) => postJson('/subscribe', { email: 'race@example.com', topics: `agents ${n}` })),
    ]);
    const [stored] = await storedSubscribers();
    expect(stored!.status).toBe('confirmed');
  });

  it('keeps an unsubscribe when a preferences link is used afterwards', async () => {
    const subscriber = await signUpAndConfirm('stale@example.com');
    const preferences = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const unsubscribeToken = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'unsubscribe' }, clock.now());
    expect((await call('POST', '/unsubscribe', { query: { token: unsubscribeToken } })).statusCode).toBe(200);
    expect((await postForm('/preferences', { token: preferences, topics: 'agents' })).statusCode).toBe(400);
    expect((await app.subscribers.get(subscriber.id))!.status).toBe('unsubscribed');
  });

  it('answers 202 when the confirmation email fails, and gives the slot back for the next try', async () => {
    const failing = { ...app.subscriptionDeps(), mailer: { send: () => Promise.reject(new Error('SES is down')) } };
    const { subscribe } = await import('../../lambdas/use-cases/sign-ups');
    await subscribe(failing, 'unlucky@example.com', DEFAULT_PREFERENCES);
    expect(logLines.some((line) => line.includes('confirmation email failed'))).toBe(true);
    expect(await confirmationEmails()).toEqual([]);
    expect((await postJson('/subscribe', { email: 'unlucky@example.com' })).statusCode).toBe(202);
    expect((await confirmationEmails()).map((email) => email.destination.to[0])).toEqual(['unlucky@example.com']);
  });

  it('keeps the earlier consent when an unsubscribed address signs up again', async () => {
    const first = await signUpAndConfirm('history@example.com');
    const unsubscribeToken = signToken(app.config.keyring, { subscriberId: first.id, purpose: 'unsubscribe' }, clock.now());
    clock.advance(60_000);
    await call('POST', '/unsubscribe', { query: { token: unsubscribeToken } });
    clock.advance(11 * 60_000);
    await postJson('/subscribe', { email: 'history@example.com' });
    const again = (await app.subscribers.get(first.id))!;
    expect(again.consentHistory).toEqual([{ ...first.consent, withdrawnAt: '2026-11-28T10:01:00.000Z', withdrawnReason: 'unsubscribed' }]);
  });

  it('pauses or switches to weekly from the unsubscribe page without unsubscribing', async () => {
    const subscriber = await signUpAndConfirm('gentle@example.com');
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'unsubscribe' }, clock.now());
    const page = await call('GET', '/unsubscribe', { query: { token } });
    expect(page.body).not.toContain('/preferences');
    const post = (action: string) => call('POST', '/unsubscribe', { query: { token }, body: `action=${action}`, type: 'application/x-www-form-urlencoded' });
    expect((await post('weekly')).statusCode).toBe(200);
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({ status: 'confirmed', frequency: 'weekly', paused: false });
    expect((await post('pause')).statusCode).toBe(200);
    expect(await app.subscribers.get(subscriber.id)).toMatchObject({ status: 'confirmed', paused: true });
  });
});

describe('the sign-up request', () => {
  /** A copy of `target` whose methods record `name.method` in `calls` before running. */
  function recording<T extends object>(target: T, name: string, calls: string[]): T {
    return new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  }

  /** The site with every port object it was given that does I/O (stores, mailer, throttle, queue; not the clock or the logger) recording its calls. */
  function recordedSite(calls: string[]): ApiHandler {
    const deps = app.siteDeps();
    const wrapAll = <T extends object>(group: T): T =>
      Object.fromEntries(
        Object.entries(group).map(([key, value]) => [
          key,
          value && typeof value === 'object' && key !== 'clock' && key !== 'logger' ? recording(value as object, key, calls) : value,
        ]),
      ) as T;
    return createApiHandler({ ...deps, subscriptions: wrapAll(deps.subscriptions), ...('signUps' in deps ? { signUps: wrapAll(deps.signUps) } : {}) });
  }

  it('does the same work for a new, a pending and a confirmed address: one enqueue, no store read or write, no email', async () => {
    await signUpAndConfirm('confirmed@example.com');
    await postJson('/subscribe', { email: 'pending@example.com' });
    expect((await app.subscribers.findByEmail('pending@example.com'))?.status).toBe('pending');
    clock.advance(11 * 60_000);
    await mailbox.clear();

    const seen: Array<{ calls: string[]; response: APIGatewayProxyResult }> = [];
    for (const email of ['new@example.com', 'pending@example.com', 'confirmed@example.com']) {
      const calls: string[] = [];
      const response = await recordedSite(calls)(
        eventFor('POST', '/subscribe', { body: JSON.stringify({ email, topics: 'agents' }), type: 'application/json' }),
      );
      seen.push({ calls, response });
    }
    expect(seen[0]!.calls).toEqual(['signUps.enqueue']);
    expect(seen.map((s) => s.calls)).toEqual([seen[0]!.calls, seen[0]!.calls, seen[0]!.calls]);
    expect(seen.map((s) => s.response)).toEqual([seen[0]!.response, seen[0]!.response, seen[0]!.response]);
    expect(seen[0]!.response.statusCode).toBe(202);

    // The form's HTML answer repeats the address typed and otherwise reads the same for each.
    const pages: string[] = [];
    for (const email of ['new@example.com', 'pending@example.com', 'confirmed@example.com']) {
      const answer = await recordedSite([])(
        eventFor('POST', '/subscribe', { body: new URLSearchParams({ email }).toString(), type: 'application/x-www-form-urlencoded' }),
      );
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toContain(`<strong class="address">${email}</strong>`);
      pages.push(answer.body.replace(email, 'ADDRESS'));
    }
    expect(new Set(pages).size).toBe(1);

    // The worker then does what the request no longer does: the new address pending with its email, the pending one mailed again, the confirmed one left alone.
    await app.settled();
    expect((await app.subscribers.findByEmail('new@example.com'))?.status).toBe('pending');
    expect((await app.subscribers.findByEmail('confirmed@example.com'))?.status).toBe('confirmed');
    expect((await confirmationEmails()).map((email) => email.destination.to[0]).sort()).toEqual(['new@example.com', 'pending@example.com']);
  });
});

describe('HEAD behind API Gateway', () => {
  it('answers HEAD / as GET / without the body, and HEAD on a POST-only path as GET would', async () => {
    const get = await call('GET', '/');
    const head = await call('HEAD', '/');
    expect(head).toEqual({ ...get, body: '' });
    expect(head.statusCode).toBe(200);
    expect((await call('HEAD', '/subscribe')).statusCode).toBe((await call('GET', '/subscribe')).statusCode);
    expect((await call('HEAD', '/subscribe')).body).toBe('');
  });
});

describe('a save that keeps losing to other changes', () => {
  it('answers 409 (try again), not 503, and logs no error', async () => {
    const subscriber = await signUpAndConfirm('busy@example.com');
    const token = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    const deps = app.siteDeps();
    const store = deps.subscriptions.subscribers;
    // Every conditional write finds the record changed, as when other saves keep winning.
    const racing: typeof store = Object.assign(Object.create(store) as typeof store, {
      put: async () => {
        throw new ConcurrentUpdateError(subscriber.id);
      },
    });
    const site = createApiHandler({ ...deps, subscriptions: { ...deps.subscriptions, subscribers: racing, sleep: async () => undefined } });
    const response = await site(eventFor('POST', '/preferences', { body: new URLSearchParams({ token, topics: 'agents' }).toString(), type: FORM_TYPE }));
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('try again');
    expect(logLines.filter((line) => /"level":"error"/.test(line))).toEqual([]);
    expect((await app.subscribers.get(subscriber.id))!.topics).toBe(subscriber.topics);
  });
});
