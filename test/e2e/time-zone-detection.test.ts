// In Chromium set to a zone by an old or aliased name, the fresh sign-up form selects the modern zone, not UTC.
import type { Browser } from 'playwright-core';
import { timeZoneGroups } from '../../lambdas/core/time-zones';
import { signUpPage } from '../../lambdas/web/pages';
import { launchBrowser } from '../support/browser';

const page = signUpPage({ base: '', values: {}, timeZones: timeZoneGroups(new Date('2026-11-28T12:00:00Z')) });

// One browser per zone: the packaged Chromium runs --single-process, where contexts share the first one's zone.
async function selectedZoneIn(timezoneId: string): Promise<string> {
  const browser: Browser = await launchBrowser();
  try {
    const context = await browser.newContext({ timezoneId });
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });
    return await tab.locator('#timeZone').inputValue();
  } finally {
    await browser.close();
  }
}

describe('time zone detection in Chromium', () => {
  jest.setTimeout(60_000);

  it.each([
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Europe/Berlin', 'Europe/Berlin'],
  ])('a browser in %s gets %s', async (browserZone, expected) => {
    expect(await selectedZoneIn(browserZone)).toBe(expected);
  });
});
