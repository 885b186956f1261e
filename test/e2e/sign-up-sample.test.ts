// In a real browser against the local stack: the sign-up page's sample of the digest, above the fold at 1280x800 and 390x844, swapped in place by Preview with JavaScript and server-rendered without it (every value kept, nobody subscribed), and axe-core on the page; screenshots when SHOTS_DIR is set.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { utcDay } from '../../lambdas/core/day';
import { fetchPapers } from '../../lambdas/use-cases/fetch-papers';
import { launchBrowser } from '../support/browser';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { testApp } from '../support/test-app';
import { startTestSite, type TestSite } from '../support/test-site';

const SAMPLES = resolve(__dirname, '..', '..', 'samples');
/** Where screenshots go when SHOTS_DIR is set (they are for looking at, not asserted). */
const SHOTS_DIR = process.env.SHOTS_DIR ? resolve(process.env.SHOTS_DIR) : undefined;

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let browser: Browser;
let site: TestSite | undefined;
let siteUrl: string;
let app: App;
const clock = new ManualClock('2026-11-28T22:00:00Z');
const address = 'sam@example.org';

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeAll(async () => {
  browser = await launchBrowser();
  site = await startTestSite();
  siteUrl = site.url;
  tables = await dynamo.createTables();
  app = testApp({ dynamo, mailbox, tables, clock, logger: { info: () => {}, warn: () => {}, error: () => {} }, publicBaseUrl: siteUrl });
  site.serve(app.siteDeps());
  await fetchPapers(composeLocalCycle(app, { replayDir: SAMPLES }), utcDay(clock.now()));
  if (SHOTS_DIR) mkdirSync(SHOTS_DIR, { recursive: true });
}, 60_000);

afterAll(async () => {
  await site?.close();
  await browser?.close();
});

async function open(options: { width: number; height: number; javaScript?: boolean; colorScheme?: 'light' | 'dark'; bypassCSP?: boolean }): Promise<Page> {
  const context = await browser.newContext({
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: options.width, height: options.height },
    javaScriptEnabled: options.javaScript ?? true,
  });
  // Left open: with @sparticuz/chromium's --single-process, closing a context ends the browser; the scheme is set per page for the same reason.
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  if (SHOTS_DIR) await page.screenshot({ path: resolve(SHOTS_DIR, `${name}.png`) });
}

/** Whether the element's box lies wholly within the viewport, as the page first shows it (no scrolling). */
const withinViewport = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      return { top: Math.round(box.top), bottom: Math.round(box.bottom), fits: box.top >= 0 && box.bottom <= innerHeight && box.height > 0 };
    });

const cardTitles = (page: Page) => page.locator('#sample .paper h3').allTextContents();

/** Everything the subscribers table and the mailbox hold: a preview must leave both empty. */
async function subscribersAndEmails(): Promise<{ subscribers: number; emails: number }> {
  await app.settled();
  const scanned = await dynamo.client.send(new ScanCommand({ TableName: tables.subscribers }));
  const emails = (await mailbox.emails()).filter((email) => email.destination.to.includes(address));
  return { subscribers: scanned.Items?.length ?? 0, emails: emails.length };
}

describe.each([
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
])('at $width x $height', (viewport) => {
  it.each(['light', 'dark'] as const)('shows the sample’s first card without scrolling (%s)', async (colorScheme) => {
    const page = await open({ ...viewport, colorScheme });
    await page.goto(`${siteUrl}/`);
    await shoot(page, `sign-up-${viewport.width}-${colorScheme}`);
    if (SHOTS_DIR) await page.screenshot({ path: resolve(SHOTS_DIR, `sign-up-${viewport.width}-${colorScheme}-full.png`), fullPage: true });
    expect(await cardTitles(page)).toHaveLength(3);
    expect(await withinViewport(page, '#sample .paper')).toEqual(expect.objectContaining({ fits: true }));
    // On a wide screen the form sits beside the sample, its Subscribe button in view too.
    if (viewport.width >= 1280) expect(await withinViewport(page, '.subscribe button[type="submit"]')).toEqual(expect.objectContaining({ fits: true }));
  });
});

it('swaps in the cards the typed topics pick when Preview is pressed, without leaving the page, and announces them', async () => {
  const page = await open({ width: 1280, height: 800 });
  await page.goto(`${siteUrl}/`);
  const trending = await cardTitles(page);
  await page.fill('#email', address);
  await page.fill('#topics', 'quantization');
  // A mark on the window survives only if the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const sampleRequest = page.waitForRequest((request) => new URL(request.url()).pathname === '/sample');
  await page.click('button[name="preview"]');
  const request = await sampleRequest;
  expect(request.method()).toBe('GET');
  expect(request.url()).not.toContain('sam%40example.org');
  expect(request.url()).not.toContain(address);
  await page.waitForFunction(() => /quantization/.test(document.getElementById('sample-status')?.textContent ?? ''));
  const picked = await cardTitles(page);
  expect(picked.length).toBeGreaterThan(0);
  expect(picked).not.toEqual(trending);
  expect(picked.every((title) => /quantiz/i.test(title))).toBe(true);
  expect(await page.locator('#sample .paper .why').count()).toBe(picked.length);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(new URL(page.url()).pathname).toBe('/');
  expect(await page.getAttribute('#sample-status', 'role')).toBe('status');
  expect(await page.getAttribute('#sample', 'aria-busy')).toBeNull();
  // The sample is in view beside the form, so focus stays where the visitor pressed.
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('preview');
  expect(await page.inputValue('#email')).toBe(address);
  await shoot(page, 'sign-up-previewed-js-1280-light');

  // An example filter fills the field and previews in place too, the address still typed.
  await page.click('a[data-topics="cat:cs.CL, \\"language model\\""]');
  await page.waitForFunction(() => /cat:cs\.CL/.test(document.getElementById('sample-status')?.textContent ?? ''));
  expect(await page.inputValue('#topics')).toBe('cat:cs.CL, "language model"');
  expect(await cardTitles(page)).not.toEqual(picked);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  expect(await page.inputValue('#email')).toBe(address);
  expect(await subscribersAndEmails()).toEqual({ subscribers: 0, emails: 0 });
});

it('moves focus to the swapped sample on a phone, where it is above the form', async () => {
  const page = await open({ width: 390, height: 844 });
  await page.goto(`${siteUrl}/`);
  await page.fill('#topics', 'quantization');
  await page.click('button[name="preview"]');
  await page.waitForFunction(() => document.activeElement?.id === 'sample-title');
  expect(await withinViewport(page, '#sample-title')).toMatchObject({ fits: true });
  expect((await cardTitles(page)).every((title) => /quantiz/i.test(title))).toBe(true);
  await shoot(page, 'sign-up-previewed-js-390-light');
});

it('without JavaScript, Preview shows the server-rendered sample with every value kept, and subscribes nobody', async () => {
  const page = await open({ width: 1280, height: 800, javaScript: false });
  await page.goto(`${siteUrl}/`);
  await page.fill('#email', address);
  await page.fill('#topics', 'quantization');
  await page.check('#frequency-weekly');
  await page.selectOption('#weekday', '5');
  await page.selectOption('#hour', '18');
  await page.selectOption('#timeZone', 'Asia/Tokyo');
  await page.fill('#maxPapers', '12');
  await page.check('#sendEmptyDigest');
  await Promise.all([page.waitForNavigation(), page.click('button[name="preview"]')]);
  expect(new URL(page.url()).pathname).toBe('/subscribe');
  expect(await page.textContent('#sample-status')).toMatch(/^“quantization” picks \d+ of the \d+ papers listed on Saturday 28 November 2026/);
  const picked = await cardTitles(page);
  expect(picked.length).toBeGreaterThan(0);
  expect(picked.every((title) => /quantiz/i.test(title))).toBe(true);
  expect({
    email: await page.inputValue('#email'),
    topics: await page.inputValue('#topics'),
    weekly: await page.isChecked('#frequency-weekly'),
    weekday: await page.inputValue('#weekday'),
    hour: await page.inputValue('#hour'),
    timeZone: await page.inputValue('#timeZone'),
    maxPapers: await page.inputValue('#maxPapers'),
    sendEmptyDigest: await page.isChecked('#sendEmptyDigest'),
  }).toEqual({
    email: address,
    topics: 'quantization',
    weekly: true,
    weekday: '5',
    hour: '18',
    timeZone: 'Asia/Tokyo',
    maxPapers: '12',
    sendEmptyDigest: true,
  });
  await shoot(page, 'sign-up-previewed-nojs-1280-light');
  // Weekly shows the day field too, in the same row: Subscribe stays in view.
  expect(await withinViewport(page, '.subscribe button[type="submit"]')).toEqual(expect.objectContaining({ fits: true }));
  expect(await withinViewport(page, '#sample .paper')).toEqual(expect.objectContaining({ fits: true }));
  expect(await subscribersAndEmails()).toEqual({ subscribers: 0, emails: 0 });
});

it('with JavaScript, a filter that does not parse falls back to the server, which marks the field', async () => {
  const page = await open({ width: 1280, height: 800 });
  await page.goto(`${siteUrl}/`);
  await page.fill('#email', address);
  await page.fill('#topics', 'quantization, "open');
  await page.selectOption('#timeZone', 'Asia/Tokyo');
  await Promise.all([page.waitForNavigation(), page.click('button[name="preview"]')]);
  expect(await page.title()).toMatch(/^Fix one field: Topics/);
  expect(await page.getAttribute('#topics', 'aria-invalid')).toBe('true');
  expect(await page.textContent('#sample-status')).toBe('Fix the topics to see a sample.');
  expect({ email: await page.inputValue('#email'), topics: await page.inputValue('#topics'), timeZone: await page.inputValue('#timeZone') }).toEqual({
    email: address,
    topics: 'quantization, "open',
    timeZone: 'Asia/Tokyo',
  });
  expect(await subscribersAndEmails()).toEqual({ subscribers: 0, emails: 0 });
});

interface AxeViolation {
  id: string;
  impact?: string | null;
  nodes: Array<{ target: unknown }>;
}

it.each(['light', 'dark'] as const)('axe-core finds nothing serious on the page with a sample for typed topics (%s)', async (colorScheme) => {
  // The page's CSP allows its own script only: the test's context lets axe-core in.
  const page = await open({ width: 1280, height: 800, colorScheme, bypassCSP: true });
  await page.goto(`${siteUrl}/?topics=${encodeURIComponent('quantization, "language model"')}`);
  expect((await cardTitles(page)).length).toBeGreaterThan(0);
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, where: v.nodes.map((n) => n.target) }))).toEqual(
    [],
  );
});
