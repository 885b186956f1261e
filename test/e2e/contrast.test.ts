// Site pages and emails rendered in Chromium: every text against WCAG AA contrast in light, dark and Outlook-darkened schemes, axe-core finding nothing serious, and the emails' header and cards aligned at every width.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PickedPaper } from '../../lambdas/core/model';
import { renderConfirmationEmail } from '../../lambdas/core/render/confirm-email';
import { renderDigest, renderDigestPage } from '../../lambdas/core/render/digest-email';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { timeZoneGroups } from '../../lambdas/core/time-zones';
import * as pages from '../../lambdas/web/pages';
import { paperCards } from '../../lambdas/core/render/digest-view';
import { papersPage } from '../../lambdas/web/papers-page';
import { feedbackPage, feedbackRecordedPage } from '../../lambdas/web/feedback-pages';
import { makePaper } from '../../dev/paper-factory';
import { launchBrowser } from '../support/browser';

/** Where screenshots go when SHOTS_DIR is set (they are for looking at, not asserted). */
const SHOTS_DIR = process.env.SHOTS_DIR ? resolve(process.env.SHOTS_DIR) : undefined;

const footer = {
  preferencesUrl: 'https://papertrend.example/preferences?token=pref123',
  unsubscribeUrl: 'https://papertrend.example/unsubscribe?token=unsub456',
  postalAddress: 'Papertrend\n1 Example Street\n10115 Berlin',
};
const zones = timeZoneGroups(new Date('2026-11-28T12:00:00Z'));
const papers: PickedPaper[] = Array.from({ length: 11 }, (_, index) => ({
  paper: makePaper({
    id: `2611.${String(index + 1).padStart(5, '0')}`,
    title: index === 3 ? 'A paper with no link at all' : `Paper ${index + 1}: quantization of large language models at four bits`,
    ...(index === 3 ? { links: { abs: '', pdf: '' } } : {}),
    signals: { upvotes: 40 - index, comments: 3, githubStars: 120 },
  }),
  score: 1,
  why: [{ text: 'Matches "quantization" in the title: …large models with ' }, { text: 'quantization', match: true }, { text: ' at four bits…' }],
}));

const feedbackUrls = new Map(papers.map(({ paper }) => [paper.id, `https://papertrend.example/feedback?token=f${paper.id}`]));

const standing: pages.ReaderStanding = { address: 'r***@example.org', state: 'subscribed', frequency: 'daily', weekday: 5 };
const daily = { base: '', day: '2026-11-28', previousDay: '2026-11-27', timeZones: zones };

const DOCUMENTS: Record<string, string> = {
  papers: papersPage({ ...daily, topics: '', cards: paperCards(papers), listed: 40 }),
  'papers-filtered': papersPage({ ...daily, topics: 'quantization', cards: paperCards(papers.slice(0, 3)), listed: 40, nextDay: '2026-11-29' }),
  'papers-empty': papersPage({ ...daily, topics: '', cards: [], listed: 0 }),
  'papers-error': papersPage({
    ...daily,
    topics: 'quantization, "open',
    cards: [],
    listed: 0,
    errors: { topics: 'unbalanced quote at position 1 in topic 2' },
  }),
  'sign-up': pages.signUpPage({ base: '', values: DEFAULT_PREFERENCES, timeZones: zones }),
  'sign-up-sample': pages.signUpPage({
    base: '',
    values: { ...DEFAULT_PREFERENCES, topics: 'quantization' },
    timeZones: zones,
    sample: { base: '', topics: 'quantization', shown: { day: '2026-11-28', cards: paperCards(papers.slice(0, 3)), picked: 7, listed: 40 } },
  }),
  'sign-up-errors': pages.signUpPage({
    base: '',
    values: { ...DEFAULT_PREFERENCES, email: 'not-an-address', maxPapers: 99 },
    errors: { email: 'Enter an email address like name@example.org', maxPapers: 'Choose 1 to 30 papers' },
    timeZones: zones,
  }),
  'check-inbox': pages.signUpAcceptedPage({ base: '', cooldownMinutes: 10, address: 'reader@example.org' }),
  confirm: pages.confirmPage({ base: '', token: 't', preferences: { ...DEFAULT_PREFERENCES, topics: 'quantization', paused: false } }),
  confirmed: pages.confirmedPage({ base: '', preferencesUrl: '/preferences?token=t', preferences: DEFAULT_PREFERENCES }),
  preferences: pages.preferencesPage({
    base: '',
    token: 't',
    values: { ...DEFAULT_PREFERENCES, email: 'reader@example.org', topics: 'quantization', paused: false },
    notice: 'Saved.',
    preview: { picked: 4, listed: 12, day: '2026-11-28' },
    timeZones: zones,
    unsubscribeUrl: '/unsubscribe?token=u',
  }),
  'preferences-learned': pages.preferencesPage({
    base: '',
    token: 't',
    values: { ...DEFAULT_PREFERENCES, email: 'reader@example.org', topics: '', paused: false },
    timeZones: zones,
    learned: { more: 3, fewer: 1, towards: { terms: ['quantization', 'KV', 'cache'], authors: ['Tri Dao'], categories: ['cs.LG'] }, awayFrom: ['robots'] },
  }),
  feedback: feedbackPage({ base: '', token: 't', paper: { id: '2611.00001', title: 'Quantizing the KV cache', authors: ['Tri Dao'] }, vote: 'fewer' }),
  'feedback-both': feedbackPage({ base: '', token: 't', paper: { id: '2611.00001' }, current: 'more' }),
  'feedback-recorded': feedbackRecordedPage({
    base: '',
    paper: { id: '2611.00001', title: 'Quantizing the KV cache' },
    vote: 'more',
    preferencesUrl: '/preferences?token=p',
  }),
  unsubscribe: pages.unsubscribePage({ base: '', unsubscribeToken: 'u', standing }),
  'unsubscribe-weekly': pages.unsubscribePage({ base: '', unsubscribeToken: 'u', standing: { ...standing, state: 'weekly', frequency: 'weekly' } }),
  'unsubscribe-paused': pages.unsubscribePage({ base: '', unsubscribeToken: 'u', standing: { ...standing, state: 'paused' } }),
  unsubscribed: pages.unsubscribedPage({ base: '', address: 'r***@example.org' }),
  resubscribe: pages.resubscribePage({
    base: '',
    email: 'reader@example.org',
    standing: { ...standing, state: 'unsubscribed' },
    preferences: { ...DEFAULT_PREFERENCES, topics: 'quantization' },
  }),
  error: pages.messagePage({ base: '', title: 'Link expired', message: 'This link is out of date.', linkHref: '/', linkText: 'Sign up again' }),
  'digest-email': renderDigest({
    date: '2026-11-28',
    frequency: 'daily',
    topics: 'quantization',
    papers,
    feedbackUrls,
    ...footer,
    viewUrl: 'https://papertrend.example/digest?token=v',
  }).html,
  'digest-web-version': renderDigestPage({ date: '2026-11-28', frequency: 'daily', topics: 'quantization', papers, feedbackUrls, ...footer }),
  'empty-digest-email': renderDigest({ date: '2026-11-28', frequency: 'weekly', topics: 'quantization', papers: [], ...footer }).html,
  'confirmation-email': renderConfirmationEmail({
    address: 'reader@example.org',
    confirmUrl: 'https://papertrend.example/confirm?token=c',
    postalAddress: footer.postalAddress,
  }).html,
};

interface TextContrast {
  text: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

/** Runs in the page: each visible text node (and form value) with its colour, the colour under it and the ratio. */
function measureContrast(): { texts: TextContrast[]; pageLuminance: number } {
  type Rgba = [number, number, number, number];
  const parse = (value: string): Rgba => {
    const parts = (value.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts.length > 3 ? (parts[3] ?? 1) : 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3];
    return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const canvas: Rgba = matchMedia('(prefers-color-scheme: dark)').matches ? [18, 18, 18, 1] : [255, 255, 255, 1];
  const backgroundOf = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) {
      const layer = parse(getComputedStyle(node).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    return layers.reduceRight<Rgba>((under, top) => over(top, under), canvas);
  };
  const visible = (element: Element) => {
    if (element.closest('[aria-hidden=true]')) return false;
    const style = getComputedStyle(element);
    if (style.visibility !== 'visible' || Number(style.opacity) === 0) return false;
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && box.right > 0 && box.bottom > 0;
  };
  const texts: TextContrast[] = [];
  const check = (element: Element, text: string) => {
    const style = getComputedStyle(element);
    const background = backgroundOf(element);
    const color = over(parse(style.color), background);
    const [light, dark] = [luminance(color), luminance(background)].sort((a, b) => b - a) as [number, number];
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const rgb = (c: Rgba) => `rgb(${c.slice(0, 3).map(Math.round).join(',')})`;
    texts.push({
      text: text.trim().slice(0, 40),
      color: rgb(color),
      background: rgb(background),
      ratio: (light + 0.05) / (dark + 0.05),
      needed: large ? 3 : 4.5,
    });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (node.textContent?.trim() && parent && !['SCRIPT', 'STYLE', 'OPTION'].includes(parent.tagName) && visible(parent)) check(parent, node.textContent);
  }
  for (const field of Array.from(document.querySelectorAll('input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select'))) {
    const value = field instanceof HTMLSelectElement ? (field.selectedOptions[0]?.text ?? '') : (field as HTMLInputElement).value;
    if (value && visible(field)) check(field, value);
  }
  return { texts, pageLuminance: luminance(backgroundOf(document.body)) };
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  if (SHOTS_DIR) mkdirSync(SHOTS_DIR, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(['light', 'dark'] as const)('in the %s scheme', (colorScheme) => {
  it('marks each invalid field with a border in the error colour', async () => {
    await page.emulateMedia({ colorScheme });
    // A new document each time: a browser runs autofocus once per document.
    await page.goto('about:blank');
    await page.setContent(DOCUMENTS['sign-up-errors']!, { waitUntil: 'load' });
    const borders = await page.evaluate(() =>
      ['email', 'maxPapers', 'topics'].map((id) => {
        const style = getComputedStyle(document.getElementById(id)!);
        return { id, color: style.borderTopColor, width: style.borderTopWidth, error: getComputedStyle(document.querySelector('.error')!).color };
      }),
    );
    for (const { id, color, width, error } of borders) {
      if (id === 'topics') expect(color).not.toBe(error);
      else expect({ id, color, width }).toEqual({ id, color: error, width: '2px' });
    }
    // The error summary takes focus as the page loads, so a screen reader starts there.
    // Chromium runs autofocus at a later rendering step than load: wait for it (bounded) rather than read too early.
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary', null, { timeout: 5_000 }).catch(() => undefined);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
  });

  it.each(Object.keys(DOCUMENTS))('%s: every text reaches WCAG AA contrast', async (name) => {
    await page.emulateMedia({ colorScheme });
    await page.setContent(DOCUMENTS[name]!, { waitUntil: 'load' });
    const { texts, pageLuminance } = await page.evaluate(measureContrast);
    if (SHOTS_DIR) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: resolve(SHOTS_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.filter((text) => text.ratio < text.needed)).toEqual([]);
    // The page follows the scheme: a dark background under dark, a light one under light.
    if (colorScheme === 'dark') expect(pageLuminance).toBeLessThan(0.05);
    else expect(pageLuminance).toBeGreaterThan(0.8);
  });
});

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's own rules (WCAG 2.x A and AA, best practices) run inside the page; the serious and critical findings. */
async function seriousViolations(): Promise<Array<{ id: string; impact: string; help: string; where: unknown[] }>> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact!, help: violation.help, where: violation.nodes.map((node) => node.target) }));
}

describe.each(['light', 'dark'] as const)('axe-core in the %s scheme', (colorScheme) => {
  it.each(Object.keys(DOCUMENTS))('%s: no serious or critical violation', async (name) => {
    await page.emulateMedia({ colorScheme });
    await page.goto('about:blank');
    await page.setContent(DOCUMENTS[name]!, { waitUntil: 'load' });
    expect(await seriousViolations()).toEqual([]);
  });
});

// Outlook.com and the Outlook apps darken a message themselves and mark what they changed with
// data-ogsc (text) and data-ogsb (background); the emails' own rules under those hooks keep it legible.
describe('emails as Outlook darkens them', () => {
  it.each(Object.keys(DOCUMENTS).filter((name) => name.endsWith('-email')))('%s: every text reaches WCAG AA contrast', async (name) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setContent(DOCUMENTS[name]!, { waitUntil: 'load' });
    await page.evaluate(() => {
      document.documentElement.setAttribute('data-ogsc', '');
      document.documentElement.setAttribute('data-ogsb', '');
    });
    const { texts, pageLuminance } = await page.evaluate(measureContrast);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.filter((text) => text.ratio < text.needed)).toEqual([]);
    expect(pageLuminance).toBeLessThan(0.05);
  });
});

describe('email layout', () => {
  it.each([320, 390, 480, 600, 1280])('at %i px the header is as wide as the cards and its text starts where theirs does', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    for (const name of ['digest-email', 'empty-digest-email', 'confirmation-email']) {
      await page.setContent(DOCUMENTS[name]!, { waitUntil: 'load' });
      const boxes = await page.evaluate(() => {
        const box = (element: Element | null | undefined) => {
          const rect = element!.getBoundingClientRect();
          return { left: Math.round(rect.left), right: Math.round(rect.right) };
        };
        const textLeft = (element: Element | null | undefined) => {
          const range = document.createRange();
          range.selectNodeContents(element!);
          return Math.round(range.getBoundingClientRect().left);
        };
        const header = document.querySelector('.pt-header')!.closest('table')!.closest('td')!;
        const card = document.querySelector('td.pt-card') ?? document.querySelector('.pt-card > table > tbody > tr > td');
        const cardText = card!.querySelector('div a, div div') ?? card!.querySelector('div');
        return { header: box(header), card: box(card), headerText: textLeft(document.querySelector('.pt-header div')), cardText: textLeft(cardText) };
      });
      // A collapsed 1px border puts a card's box half a pixel inside its drawn edge.
      expect({ name, left: Math.abs(boxes.header.left - boxes.card.left) <= 1, right: Math.abs(boxes.header.right - boxes.card.right) <= 1 }).toEqual({
        name,
        left: true,
        right: true,
      });
      expect(Math.abs(boxes.headerText - boxes.cardText)).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
