// In a real browser against the local stack, under API Gateway's stage path (/prod) and at a domain's root: sign up, confirm from the mailbox, change topics, get a digest, unsubscribe from it; every link stays under the site's base path.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { utcDay } from '../../lambdas/core/day';
import { runDigestCycle } from '../../lambdas/use-cases/run-digest-cycle';
import { launchBrowser } from '../support/browser';
import { testApp } from '../support/test-app';
import { ManualClock, type MailboxEmail, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { startTestSite, type TestSite } from '../support/test-site';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-output', 'e2e');

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let browser: Browser;

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every http(s) URL in an email: its HTML and text parts and its List-Unsubscribe header. */
function urlsInEmail(email: MailboxEmail): { html: string[]; text: string[]; header: string[] } {
  const html = [...(email.body.html ?? '').matchAll(/\shref="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
  const text = [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0]);
  const listUnsubscribe = email.headers?.find((header) => header.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
  const header = [...listUnsubscribe.matchAll(/<([^>]+)>/g)].map((match) => match[1]!);
  return { html, text, header };
}

describe.each([
  { basePath: '/prod', label: 'prod' },
  { basePath: '', label: 'root' },
])('the subscription flow in a browser, with BASE_PATH=$basePath', ({ basePath, label }) => {
  const address = `reader+e2e-${label}@example.com`;
  let site: TestSite | undefined;
  let origin: string;
  let siteUrl: string;
  let app: App;
  let clock: ManualClock;
  let page: Page;
  /** Every document the browser was sent to, with its status and any redirect target. */
  const documents: { url: string; status: number; location?: string }[] = [];

  beforeAll(async () => {
    mkdirSync(resolve(SCREENSHOTS, label), { recursive: true });
    site = await startTestSite(basePath);
    origin = site.origin;
    // As bin/local-env.ts sets it: PUBLIC_BASE_URL carries the stage path, like the execute-api URL the stack outputs.
    siteUrl = site.url;
    const tables: TableNames = await dynamo.createTables();
    clock = new ManualClock(new Date());
    app = testApp({ dynamo, mailbox, tables, clock, logger: { info: () => {}, warn: () => {}, error: () => {} }, publicBaseUrl: siteUrl });
    site.serve(app.siteDeps());
    // Never closed on its own: @sparticuz/chromium runs --single-process, where closing a context ends the browser.
    page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    page.on('response', (response) => {
      if (!response.request().isNavigationRequest()) return;
      const location = response.headers().location;
      documents.push({ url: response.url(), status: response.status(), ...(location ? { location } : {}) });
    });
  }, 60_000);

  afterAll(async () => {
    await site?.close();
  });

  const shot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, label, `${name}.png`), fullPage: true });

  /** Whether `url` (absolute, or relative to `from`) is a page of this site under its base path. */
  const underBase = (url: string, from = siteUrl + '/') => {
    const resolved = new URL(url, from);
    return resolved.origin === origin && (resolved.pathname === basePath || resolved.pathname.startsWith(`${basePath}/`));
  };

  /** Every link and form target of the page in the browser, as written in its HTML; fragments of the page itself aside. */
  async function checkLinksOnPage(): Promise<string[]> {
    const targets = await page.evaluate(() => [
      ...Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href') ?? ''),
      ...Array.from(document.querySelectorAll('form'), (form) => form.getAttribute('action') ?? '(no action)'),
    ]);
    const own = targets.filter((target) => !target.startsWith('#'));
    expect(own.length).toBeGreaterThan(0);
    for (const target of own) {
      expect(target).toMatch(new RegExp(`^${escapeRegExp(basePath)}/(?!/)`));
      expect(underBase(target, page.url())).toBe(true);
    }
    return own;
  }

  async function checkLinksInEmail(email: MailboxEmail): Promise<string[]> {
    const { html, text, header } = urlsInEmail(email);
    for (const href of html) expect(href).toMatch(/^(?:https?:|mailto:)/);
    const toSite = [...html, ...text, ...header].filter((url) => url.startsWith(origin));
    expect(toSite.length).toBeGreaterThan(0);
    for (const url of toSite) expect(url).toMatch(new RegExp(`^${escapeRegExp(siteUrl)}/[a-z]`));
    return toSite;
  }

  async function emailsTo(to: string): Promise<MailboxEmail[]> {
    return (await mailbox.emails()).filter((email) => email.destination.to.includes(to));
  }

  const cycle = () => runDigestCycle(composeLocalCycle(app, { replayDir: SAMPLES }), { day: utcDay(clock.now()), ignoreHour: true, backoff: async () => {} });

  it('signs up, confirms, changes topics, gets a digest and unsubscribes from it, every link under the base path', async () => {
    await page.goto(`${siteUrl}/`);
    await shot('01-sign-up');
    const signUpLinks = await checkLinksOnPage();
    expect(signUpLinks).toContain(`${basePath}/subscribe`);
    // Without JavaScript an example is a plain link that prefills the form, under the base path too.
    const example = signUpLinks.find((href) => href.includes('?topics='))!;
    await page.goto(new URL(example, page.url()).href);
    expect(await page.inputValue('[name="topics"]')).toBe('quantization');
    await page.goto(`${siteUrl}/`);
    await page.fill('input[name="email"]', address);
    // With it, an example fills the topics in place and keeps the address already typed.
    await page.click('a[data-topics="quantization"]');
    expect(await page.inputValue('[name="topics"]')).toBe('quantization');
    expect(await page.inputValue('input[name="email"]')).toBe(address);
    await page.fill('[name="topics"]', 'agents');
    await page.click(`form[action="${basePath}/subscribe"] [type="submit"]`);
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/inbox/i);
    await checkLinksOnPage();
    await shot('02-check-your-inbox');

    // The sign-up worker sends the confirmation once the queued job is worked through.
    await app.settled();
    const [confirmation] = await emailsTo(address);
    expect(confirmation?.subject).toMatch(/Confirm/);
    const confirmLinks = await checkLinksInEmail(confirmation!);
    const confirmUrl = confirmLinks.find((url) => url.startsWith(`${siteUrl}/confirm?token=`))!;
    expect(confirmUrl).toBeDefined();
    await page.goto(confirmUrl);
    await shot('03-confirm');
    await checkLinksOnPage();
    expect((await app.subscribers.findByEmail(address))?.status).toBe('pending');
    await page.click(`form[action="${basePath}/confirm"] [type="submit"]`);
    await page.waitForLoadState();
    expect((await app.subscribers.findByEmail(address))?.status).toBe('confirmed');
    await checkLinksOnPage();
    await shot('04-confirmed');

    await page.click(`a[href^="${basePath}/preferences?token="]`);
    await page.waitForLoadState();
    await shot('05-preferences');
    await checkLinksOnPage();
    await page.fill('[name="topics"]', 'quantization, "language model"');
    await page.click(`form[action="${basePath}/preferences"] [type="submit"]`);
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/Saved/);
    await checkLinksOnPage();
    await shot('06-preferences-saved');
    expect((await app.subscribers.findByEmail(address))?.topics).toBe('quantization, "language model"');

    const first = await cycle();
    expect(first.digests.sent).toBe(1);
    const digest = (await emailsTo(address)).find((email) => !/Confirm/.test(email.subject))!;
    expect(digest.subject).toMatch(/quantization/);
    const digestLinks = await checkLinksInEmail(digest);
    expect(digestLinks.some((url) => url.startsWith(`${siteUrl}/preferences?token=`))).toBe(true);
    expect(urlsInEmail(digest).header.filter((url) => url.startsWith('http'))).toEqual([
      expect.stringMatching(new RegExp(`^${escapeRegExp(siteUrl)}/unsubscribe\\?token=`)),
    ]);
    const unsubscribeUrl = urlsInEmail(digest).html.find((url) => url.startsWith(`${siteUrl}/unsubscribe?token=`))!;
    expect(unsubscribeUrl).toBeDefined();
    // A blank document first, so the digest is not shown under the site page's Content-Security-Policy.
    await page.goto('about:blank');
    await page.setContent(digest.body.html!);
    await shot('07-digest');

    await page.goto(unsubscribeUrl);
    await shot('08-unsubscribe');
    await checkLinksOnPage();
    expect((await app.subscribers.findByEmail(address))?.status).toBe('confirmed');
    await page.click(`form[action^="${basePath}/unsubscribe"] [type="submit"]`);
    await page.waitForLoadState();
    expect(await page.textContent('body')).toMatch(/unsubscribed/i);
    await checkLinksOnPage();
    await shot('09-unsubscribed');
    expect((await app.subscribers.findByEmail(address))?.status).toBe('unsubscribed');

    // The way back works under the base path: "Sign up again" opens the form.
    await page.click('a:text("Sign up again")');
    await page.waitForLoadState();
    expect(await page.locator(`form[action="${basePath}/subscribe"]`).count()).toBe(1);

    // Error pages link under the base path too: an expired-looking link and a missing page.
    await page.goto(`${siteUrl}/confirm?token=forged`);
    expect(await page.textContent('h1')).toMatch(/does not work/);
    await checkLinksOnPage();
    await page.goto(`${siteUrl}/nowhere`);
    expect(await page.textContent('h1')).toMatch(/not found/i);
    await checkLinksOnPage();
    await shot('10-not-found');

    // Every document the browser loaded was under the base path, none was a redirect, and only the
    // two error pages above failed.
    expect(documents.length).toBeGreaterThan(10);
    for (const document of documents) expect(underBase(document.url)).toBe(true);
    expect(documents.filter((document) => document.location !== undefined || (document.status >= 300 && document.status < 400))).toEqual([]);
    expect(documents.filter((document) => document.status >= 400).map((document) => new URL(document.url).pathname)).toEqual([
      `${basePath}/confirm`,
      `${basePath}/nowhere`,
    ]);

    clock.advance(24 * 3600_000);
    const before = (await emailsTo(address)).length;
    const next = await cycle();
    expect(next.subscribers.active).toBe(0);
    expect(await emailsTo(address)).toHaveLength(before);
  });

  if (basePath !== '') {
    it('answers outside the base path as API Gateway does: 403, whatever the path', async () => {
      for (const path of ['/', '/subscribe', `/preferences`, `${basePath}x/`]) {
        const response = await page.goto(`${origin}${path}`);
        expect(response?.status()).toBe(403);
      }
    });
  }
});
