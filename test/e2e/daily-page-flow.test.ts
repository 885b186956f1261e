// In a real browser against the local stack: the daily papers page, filtered, subscribed from (an error first, every value kept), then preferences and the unsubscribe page in each state, and a sent digest's web version; screenshots of each at 1280 and 390 px, light and dark, in test-output/e2e/flow/ (or SHOTS_DIR).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { utcDay } from '../../lambdas/core/day';
import { signToken } from '../../lambdas/core/tokens';
import { fetchPapers } from '../../lambdas/use-cases/fetch-papers';
import { DigestSender } from '../../lambdas/use-cases/send-digest';
import { makeSubscriber } from '../support/subscriber-factory';
import { launchBrowser } from '../support/browser';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { testApp } from '../support/test-app';
import { startTestSite, type TestSite } from '../support/test-site';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
/** Where screenshots go (they are for looking at, not asserted): SHOTS_DIR, else beside the subscription flow's. */
const SHOTS_DIR = resolve(process.env.SHOTS_DIR ?? resolve(__dirname, '..', '..', 'test-output', 'e2e', 'flow'));

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let browser: Browser;
let site: TestSite | undefined;
let siteUrl: string;
let app: App;
let page: Page;
const clock = new ManualClock('2026-11-28T22:00:00Z');
const today = utcDay(clock.now());
const address = 'jane@example.org';

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeAll(async () => {
  browser = await launchBrowser();
  site = await startTestSite();
  siteUrl = site.url;
  app = testApp({
    dynamo,
    mailbox,
    tables: await dynamo.createTables(),
    clock,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    publicBaseUrl: siteUrl,
  });
  site.serve(app.siteDeps());
  await fetchPapers(composeLocalCycle(app, { replayDir: SAMPLES }), today);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS_DIR, { recursive: true });
}, 60_000);

afterAll(async () => {
  await site?.close();
  await browser?.close();
});

/** The page as it is now, at both widths in both schemes; the page is left at 1280 px, light. */
async function shoot(name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: resolve(SHOTS_DIR, `flow-${name}-${width}-${colorScheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function submit(form: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(`${form} [type="submit"]`)]);
}

const cardTitles = () => page.locator('.paper h3').allTextContents();

it('shows the day’s papers, filters them, subscribes from the page keeping every value past an error, and tells each state on the unsubscribe page', async () => {
  await page.goto(`${siteUrl}/papers`);
  expect(await page.textContent('h1')).toBe('Trending papers, Saturday 28 November 2026');
  expect((await cardTitles()).length).toBe(12);
  await shoot('daily');

  await page.fill('#filter', 'quantization');
  await submit('form.filter');
  expect(new URL(page.url()).pathname).toBe(`/papers/${today}`);
  expect(new URL(page.url()).searchParams.get('topics')).toBe('quantization');
  const filtered = await cardTitles();
  expect(filtered.length).toBeGreaterThan(0);
  expect(filtered.length).toBeLessThan(12);
  expect(filtered.every((title) => /quantiz/i.test(title))).toBe(true);
  expect(await page.locator('.paper .why').count()).toBe(filtered.length);
  expect(await page.inputValue('textarea#topics')).toBe('quantization');
  await shoot('daily-filtered');

  await page.click('a[rel="prev"]');
  await page.waitForLoadState();
  expect(await page.textContent('p[role="status"]')).toMatch(/^No papers were listed on Friday 27 November 2026/);
  await page.goBack();

  // Subscribe from the page: a typo in the topics first; the schedule chosen must survive the error.
  await page.fill('#email', address);
  await page.fill('textarea#topics', 'quantization, llm "open');
  await page.check('#frequency-weekly');
  await page.selectOption('#weekday', '5');
  await page.selectOption('#hour', '18');
  await page.selectOption('#timeZone', 'Asia/Tokyo');
  await page.fill('#maxPapers', '12');
  await submit('form[action="/subscribe"]');
  expect(await page.title()).toMatch(/^Fix one field: Topics/);
  // Chromium runs autofocus at a later rendering step than load: wait for it (bounded) rather than read too early.
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 }).catch(() => undefined);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  expect(await page.getAttribute('textarea#topics', 'aria-invalid')).toBe('true');
  expect(await page.textContent('#error-summary a[href="#topics"]')).toContain('position 5 in topic 2');
  expect({
    email: await page.inputValue('#email'),
    topics: await page.inputValue('textarea#topics'),
    weekly: await page.isChecked('#frequency-weekly'),
    weekday: await page.inputValue('#weekday'),
    hour: await page.inputValue('#hour'),
    timeZone: await page.inputValue('#timeZone'),
    maxPapers: await page.inputValue('#maxPapers'),
  }).toEqual({ email: address, topics: 'quantization, llm "open', weekly: true, weekday: '5', hour: '18', timeZone: 'Asia/Tokyo', maxPapers: '12' });
  await shoot('sign-up-error-kept-values');

  await page.fill('textarea#topics', 'quantization, "language model"');
  await submit('form[action="/subscribe"]');
  expect(await page.textContent('h1')).toBe('Check your inbox');
  await shoot('check-inbox');
  await app.settled();
  const [confirmation] = (await mailbox.emails()).filter((email) => email.destination.to.includes(address));
  const confirmUrl = /https?:\/\/\S+\/confirm\?token=[\w.~%-]+/.exec(confirmation!.body.text ?? '')![0];
  await page.goto(confirmUrl);
  await submit('form[action="/confirm"]');
  const subscriber = (await app.subscribers.findByEmail(address))!;
  expect(subscriber).toMatchObject({ status: 'confirmed', frequency: 'weekly', weekday: 5, hour: 18, timeZone: 'Asia/Tokyo', maxPapers: 12 });

  await page.click('a[href^="/preferences?token="]');
  await page.waitForLoadState();
  await shoot('preferences');
  await page.check('#frequency-daily');
  await submit('form[action="/preferences"]');
  expect(await page.textContent('.notice')).toContain('Saved.');

  const unsubscribeToken = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'unsubscribe' }, clock.now());
  const unsubscribeUrl = `${siteUrl}/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
  const offered = () => page.locator('input[name="action"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  const choose = async (label: string) => {
    await Promise.all([page.waitForNavigation(), page.click(`button:text("${label}")`)]);
    await page.goto(unsubscribeUrl);
  };

  await page.goto(unsubscribeUrl);
  expect(await page.textContent('h1')).toBe('Unsubscribe j***@example.org?');
  expect(await offered()).toEqual(['pause', 'weekly']);
  await shoot('unsubscribe-subscribed');
  await choose('Switch to weekly (Fridays)');
  expect(await offered()).toEqual(['pause']);
  expect(await page.textContent('main')).toContain('on Fridays');
  await shoot('unsubscribe-weekly');
  await choose('Pause instead');
  expect(await offered()).toEqual(['resume']);
  await shoot('unsubscribe-paused');
  await choose('Resume digests');
  expect(await offered()).toEqual(['pause']);
  await Promise.all([page.waitForNavigation(), page.click('button:text("Unsubscribe")')]);
  await page.goto(unsubscribeUrl);
  expect(await page.textContent('main')).toContain('j***@example.org won');
  await shoot('unsubscribe-unsubscribed');

  const preferencesToken = signToken(app.config.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
  await page.goto(`${siteUrl}/preferences?token=${encodeURIComponent(preferencesToken)}`);
  expect(await page.textContent('main')).toContain('Subscribe again with the settings you had?');
  await shoot('preferences-unsubscribed');

  await page.goto(`${siteUrl}/`);
  await shoot('sign-up');
}, 120_000);

/** axe-core's rules run inside `target` (a page that lets the script in): the serious and critical findings (none is the bar). */
async function seriousViolations(target: Page): Promise<Array<{ id: string; help: string }>> {
  await target.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact?: string; help: string }> }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map(({ id, help }) => ({ id, help }));
}

it('opens a sent digest’s web version from the email’s View-in-browser link: the same cards, its footer links, nothing serious for axe in either scheme', async () => {
  const reader = makeSubscriber({ email: 'web.version@example.org', topics: 'quantization, "language model"', timeZone: 'Europe/Berlin' });
  expect(await app.subscribers.create(reader)).toBe(true);
  expect(await new DigestSender(app.sendDigestDeps()).send({ subscriberId: reader.id, localDate: today })).toBe('sent');
  const [email] = (await mailbox.emails()).filter((sent) => sent.destination.to.includes(reader.email));
  const viewUrl = /View in browser: (\S+)/.exec(email!.body.text ?? '')![1]!;
  expect(viewUrl).not.toMatch(/web\.version|example\.org|%40/);

  // From a blank page: content set on a site page would inherit that page's CSP, which blocks the email's inline styles.
  await page.goto('about:blank');
  await page.setContent(email!.body.html!, { waitUntil: 'load' });
  await shoot('digest-email');
  await page.goto(viewUrl);
  expect(await page.title()).toBe(email!.subject);
  const titles = await page.locator('td.pt-card > div:first-child').allTextContents();
  expect(titles.length).toBeGreaterThan(1);
  expect(await page.locator('text=View in browser').count()).toBe(0);
  expect(await page.locator('a:text("Change preferences")').getAttribute('href')).toMatch(/\/preferences\?token=/);
  await shoot('digest-web-version');
  await Promise.all([page.waitForNavigation(), page.click('a:text("Unsubscribe")')]);
  expect(await page.textContent('h1')).toBe('Unsubscribe w***@example.org?');

  // The page's CSP allows no script, axe's included: a page that bypasses it, for the check only
  // (left open: with the packaged Chromium's --single-process, closing a context ends the browser).
  const checked = await browser.newPage({ bypassCSP: true });
  await checked.goto(viewUrl);
  for (const colorScheme of ['light', 'dark'] as const) {
    await checked.emulateMedia({ colorScheme });
    expect({ colorScheme, violations: await seriousViolations(checked) }).toEqual({ colorScheme, violations: [] });
  }
}, 60_000);
