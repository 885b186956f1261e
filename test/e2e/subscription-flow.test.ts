// In a real browser against the local stack: sign up, confirm from the mailbox, change topics, get a digest, unsubscribe from it.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createHttpGateway } from '../../lambdas/adapters/local/http-gateway';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { utcDay } from '../../lambdas/core/local-time';
import { runDigestCycle } from '../../lambdas/use-cases/run-digest-cycle';
import { createApiHandler, type ApiHandler } from '../../lambdas/web/create-api';
import { MAX_BODY_BYTES } from '../../lambdas/web/forms';
import { launchBrowser } from '../support/browser';
import { testApp } from '../support/test-app';
import { ManualClock, startTestDynamo, startTestMailbox, type MailboxEmail, type TestDynamo, type TestMailbox } from '../support/emulators';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-output', 'e2e');
const ADDRESS = 'reader+e2e@example.com';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let site: Server;
let base: string;
let app: App;
let clock: ManualClock;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  [dynamo, mailbox, browser] = await Promise.all([startTestDynamo(), startTestMailbox(), launchBrowser()]);
  let api: ApiHandler | undefined;
  site = createHttpGateway((event) => api!(event), { maxBodyBytes: MAX_BODY_BYTES });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const tables = await dynamo.createTables();
  clock = new ManualClock(new Date());
  app = testApp({ dynamo, mailbox, tables, clock, logger: { info: () => {}, warn: () => {}, error: () => {} }, publicBaseUrl: base });
  api = createApiHandler(app);
  page = await browser.newPage({ viewport: { width: 420, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (site) {
    site.closeAllConnections();
    await new Promise((done) => site.close(done));
  }
  await Promise.all([dynamo?.close(), mailbox?.close()]);
});

const shot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });

async function emailsTo(address: string): Promise<MailboxEmail[]> {
  return (await mailbox.emails()).filter((email) => email.destination.to.includes(address));
}

const cycle = () => runDigestCycle(composeLocalCycle(app, { replayDir: SAMPLES }), { day: utcDay(clock.now()), ignoreHour: true, backoff: async () => {} });

describe('the subscription flow in a browser', () => {
  it('signs up, confirms, changes topics, gets a digest and unsubscribes from it', async () => {
    await page.goto(`${base}/`);
    await shot('01-sign-up');
    await page.fill('input[name="email"]', ADDRESS);
    // An example fills the topics in place and keeps the address already typed.
    await page.click('a[data-topics="quantization"]');
    expect(await page.inputValue('[name="topics"]')).toBe('quantization');
    expect(await page.inputValue('input[name="email"]')).toBe(ADDRESS);
    await page.fill('[name="topics"]', 'agents');
    await page.click('form[action="/subscribe"] [type="submit"]');
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/inbox/i);
    await shot('02-check-your-inbox');

    const [confirmation] = await emailsTo(ADDRESS);
    expect(confirmation?.subject).toMatch(/Confirm/);
    const confirmUrl = confirmation!.body.text!.match(/http:\/\/127\.0\.0\.1:\d+\/confirm\?token=\S+/)![0];
    await page.goto(confirmUrl);
    await shot('03-confirm');
    expect((await app.subscribers.findByEmail(ADDRESS))?.status).toBe('pending');
    await page.click('form[action="/confirm"] [type="submit"]');
    await page.waitForLoadState();
    expect((await app.subscribers.findByEmail(ADDRESS))?.status).toBe('confirmed');
    await shot('04-confirmed');

    await page.click('a[href*="/preferences?token="]');
    await page.waitForLoadState();
    await shot('05-preferences');
    await page.fill('[name="topics"]', 'quantization, "language model"');
    await page.click('form[action="/preferences"] [type="submit"]');
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/Saved/);
    await shot('06-preferences-saved');
    expect((await app.subscribers.findByEmail(ADDRESS))?.topics).toBe('quantization, "language model"');

    const first = await cycle();
    expect(first.digests.sent).toBe(1);
    const digest = (await emailsTo(ADDRESS)).find((email) => !/Confirm/.test(email.subject))!;
    expect(digest.subject).toMatch(/quantization/);
    const unsubscribeUrl = digest.body.html!.match(/href="(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[^"]+)"/)![1]!.replace(/&amp;/g, '&');
    await page.setContent(digest.body.html!);
    await shot('07-digest');

    await page.goto(unsubscribeUrl);
    await shot('08-unsubscribe');
    expect((await app.subscribers.findByEmail(ADDRESS))?.status).toBe('confirmed');
    await page.click('form[action^="/unsubscribe"] [type="submit"]');
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/unsubscribed/i);
    await shot('09-unsubscribed');
    expect((await app.subscribers.findByEmail(ADDRESS))?.status).toBe('unsubscribed');

    clock.advance(24 * 3600_000);
    const before = (await emailsTo(ADDRESS)).length;
    const next = await cycle();
    expect(next.subscribers.active).toBe(0);
    expect(await emailsTo(ADDRESS)).toHaveLength(before);
  });
});
