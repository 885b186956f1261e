// A digest sent through the local stack (dynalite, the SES mailbox), its View-in-browser link read from the received message with mailparser and opened on the site.
import { resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { DAY_MS } from '../../lambdas/core/day';
import { parseKeyring, signToken } from '../../lambdas/core/tokens';
import { stackSharesKeyring } from '../../bin/local-env';
import { runDigestCycle } from '../../lambdas/use-cases/run-digest-cycle';
import { digestPageResponse } from '../../lambdas/web/digest-page';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';
import { startTestSite, type TestSite } from '../support/test-site';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'sources');
const DAY = '2026-11-20';
const ADDRESS = 'narrow+papers@example.com';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let site: TestSite | undefined;
let siteUrl: string;
let app: App;
let logLines: string[];
const clock = new ManualClock(`${DAY}T09:30:00Z`);

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeAll(async () => {
  site = await startTestSite();
  siteUrl = site.url;
  logLines = [];
  app = testApp({ dynamo, mailbox, tables: await dynamo.createTables(), clock, logger: recordingLogger(logLines), publicBaseUrl: siteUrl });
  site.serve(app.siteDeps());
  await mailbox.clear();
});

afterAll(async () => {
  await site?.close();
});

/** The message as a mail client gets it: the mailbox's .eml (its bytes, as JSON), parsed by mailparser. */
async function received(messageId: string) {
  const response = await fetch(`${mailbox.url}/get-emlContent?messageId=${encodeURIComponent(messageId)}`);
  expect(response.status).toBe(200);
  const { body } = (await response.json()) as { body: { data: number[] } };
  return simpleParser(Buffer.from(body.data));
}

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const titlesOf = (html: string) => [...html.matchAll(/<div style="font-size:17px;font-weight:700;line-height:1.35">(?:<a [^>]*>)?(.*?)</g)].map((m) => m[1]);
const whyLinesOf = (html: string) => [...html.matchAll(/Why: (.*?)<\/div>/g)].map((m) => m[1]);
const footerLinks = (html: string) => [...html.matchAll(/href="([^"]*\/(?:preferences|unsubscribe)\?token=[^"]*)"/g)].map((m) => m[1]!);

it('sends a digest whose View-in-browser link opens the same papers and why lines, with working footer links, and no address anywhere', async () => {
  const subscriber = makeSubscriber({ email: ADDRESS, topics: 'quantization, "language model", cat:cs.CL', maxPapers: 4 });
  expect(await app.subscribers.create(subscriber)).toBe(true);
  const summary = await runDigestCycle(composeLocalCycle(app, { replayDir: FIXTURES }), { day: DAY, ignoreHour: true, backoff: async () => {} });
  expect(summary.digests).toMatchObject({ sent: 1 });
  const [stored] = await mailbox.emails();
  const email = await received(stored!.messageId);

  const inHtml = /<a href="([^"]+)"[^>]*>View in browser<\/a>/.exec(String(email.html))![1]!;
  const inText = /View in browser: (\S+)/.exec(email.text ?? '')![1]!;
  expect(inText).toBe(inHtml);
  expect(inHtml.startsWith(`${siteUrl}/digest?token=`)).toBe(true);
  for (const form of [inHtml, decodeURIComponent(inHtml)]) expect(form.toLowerCase()).not.toMatch(/narrow|example\.com|%40|@/);

  const response = await fetch(inHtml);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('private, max-age=3600');
  expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'unsafe-inline'/);
  const page = await response.text();
  expect(page).toMatch(/^<!doctype html> <html lang="en"/);
  expect(page).toContain('<meta name="robots" content="noindex">');
  expect(/<title>(.*?)<\/title>/.exec(page)![1]).toBe(email.subject);
  expect(titlesOf(page).length).toBeGreaterThan(1);
  expect(titlesOf(page)).toEqual(titlesOf(String(email.html)));
  expect(whyLinesOf(page)).toEqual(whyLinesOf(String(email.html)));
  expect(whyLinesOf(page).length).toBe(titlesOf(page).length);
  expect(page).not.toContain('View in browser');
  expect(page.toLowerCase()).not.toContain('narrow');

  const [preferences, unsubscribe] = footerLinks(page);
  const preferencesPage = await fetch(preferences!);
  expect(preferencesPage.status).toBe(200);
  expect(await preferencesPage.text()).toContain('quantization, &quot;language model&quot;');
  const unsubscribePage = await fetch(unsubscribe!);
  expect(unsubscribePage.status).toBe(200);
  expect(textOf(await unsubscribePage.text())).toContain('Unsubscribe n***@example.com?');
  expect(logLines.join('\n')).not.toContain(new URL(inHtml).searchParams.get('token')!);
  expect(logLines.join('\n')).not.toContain(ADDRESS);

  // A changed token, one 366 days old, and a day never sent: each its own page, none of them the digest.
  const token = new URL(inHtml).searchParams.get('token')!;
  const tampered = await fetch(`${siteUrl}/digest?token=${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`);
  expect(tampered.status).toBe(400);
  expect(textOf(await tampered.text())).toContain('This link does not work');
  const otherDay = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'view', subject: '2026-11-19' }, clock.now());
  const neverSent = await fetch(`${siteUrl}/digest?token=${otherDay}`);
  expect(neverSent.status).toBe(404);
  expect(textOf(await neverSent.text())).toContain('No digest for Thursday 19 November 2026 No digest was sent to you for that day.');
  expect(neverSent.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  const head = await fetch(inHtml, { method: 'HEAD' });
  expect(head.status).toBe(200);

  clock.advance(366 * DAY_MS);
  const expired = await fetch(inHtml);
  expect(expired.status).toBe(400);
  expect(textOf(await expired.text())).toContain('This link has expired Web versions of a digest stay open for a year after it was sent.');
}, 60_000);

describe("the CLI's keyring check against the running site", () => {
  it('tells a keyring the site verifies from one it refuses', async () => {
    const same = parseKeyring(JSON.stringify({ current: 'test', test: 'test-keyring-secret-0123456789abcdefghij' }));
    const other = parseKeyring(JSON.stringify({ current: 'test', test: 'another-keyring-secret-0123456789abcdef' }));
    expect(await stackSharesKeyring(siteUrl, same, clock.now())).toBe(true);
    expect(await stackSharesKeyring(siteUrl, other, clock.now())).toBe(false);
  });

  it('says nothing when nothing answers', async () => {
    const same = parseKeyring(JSON.stringify({ current: 'test', test: 'test-keyring-secret-0123456789abcdefghij' }));
    expect(await stackSharesKeyring('http://127.0.0.1:9', same, clock.now())).toBeUndefined();
  });
});

describe('digestPageResponse', () => {
  it('answers a link from an earlier sign-up as out of date, and an unsubscribed reader with an honest page and no links of theirs', () => {
    const superseded = digestPageResponse('', { ok: false, reason: 'superseded' });
    expect(superseded.statusCode).toBe(400);
    expect(textOf(superseded.body)).toContain('This link is out of date It belongs to an earlier sign-up.');
    expect(superseded.headers).toMatchObject({ 'X-Robots-Tag': 'noindex, nofollow' });

    const withdrawn = digestPageResponse('', { ok: false, reason: 'withdrawn', localDate: DAY });
    expect(withdrawn.statusCode).toBe(410);
    expect(textOf(withdrawn.body)).toContain('You unsubscribed The web versions of your digests closed when you unsubscribed.');
    expect(withdrawn.body).toContain('href="/"');
    expect(withdrawn.body).toContain('Go to the sign-up page');
    expect(withdrawn.body).not.toMatch(/token=|\/preferences|\/unsubscribe|\/feedback/);
    expect(withdrawn.headers).toMatchObject({ 'X-Robots-Tag': 'noindex, nofollow' });
  });
});
