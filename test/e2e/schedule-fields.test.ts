// In Chromium, the weekday field of the sign-up and preferences forms shows only while Weekly is chosen, with no script.
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { timeZoneGroups } from '../../lambdas/core/time-zones';
import { preferencesPage, signUpPage } from '../../lambdas/web/pages';
import { launchBrowser } from '../support/browser';

const timeZones = timeZoneGroups(new Date('2026-11-28T12:00:00Z'));
const PAGES = {
  'sign-up': (frequency: 'daily' | 'weekly') => signUpPage({ base: '', values: { frequency }, timeZones }),
  preferences: (frequency: 'daily' | 'weekly') =>
    preferencesPage({ base: '', token: 't', values: { ...DEFAULT_PREFERENCES, email: 'reader@example.org', frequency }, timeZones }),
};

let browser: Browser;
let tab: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // JavaScript off: the field must follow the radios by markup and style alone.
  tab = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } })).newPage();
}, 60_000);
afterAll(() => browser?.close());

describe.each(Object.entries(PAGES))('the %s form in Chromium', (_name, render) => {
  it('hides the weekday for a daily digest and shows it once Weekly is chosen, and back', async () => {
    await tab.setContent(render('daily'), { waitUntil: 'load' });
    expect(await tab.locator('#weekday').isVisible()).toBe(false);
    expect(await tab.locator('#hour').isVisible()).toBe(true);
    await tab.locator('#frequency-weekly').check();
    expect(await tab.locator('#weekday').isVisible()).toBe(true);
    await tab.locator('#frequency-daily').check();
    expect(await tab.locator('#weekday').isVisible()).toBe(false);
  });

  it('shows the weekday when the page is rendered for a weekly digest', async () => {
    await tab.setContent(render('weekly'), { waitUntil: 'load' });
    expect(await tab.locator('#weekday').isVisible()).toBe(true);
  });
});
