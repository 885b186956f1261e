import { escapeHtml } from '../../lambdas/core/render/html';
// The sign-up site's pages: structure, labels, escaping, error wiring, CSP hashes, and no external assets.
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import {
  confirmedPage,
  confirmPage,
  messagePage,
  preferencesPage,
  SECURITY_HEADERS,
  signUpAcceptedPage,
  signUpPage,
  TOPIC_EXAMPLES,
  unsubscribedPage,
  unsubscribePage,
  type FieldName,
  type ReaderStanding,
  type SubscriptionForm,
} from '../../lambdas/web/pages';
import type { FieldErrors } from '../../lambdas/web/forms';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { groupTimeZones } from '../../lambdas/core/time-zones';
import type { PaperCard } from '../../lambdas/core/render/digest-view';
import type { DigestSample } from '../../lambdas/web/digest-sample';

const subscribed: ReaderStanding = { address: 'j***@example.org', state: 'subscribed', frequency: 'daily', weekday: 5 };

const HOSTILE = ['<script>alert(1)</script>', '"onmouseover=alert(1) x="', '&amp;'];
const HOSTILE_TEXT = HOSTILE.join(' ');
const ZONE_NAMES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
const TIME_ZONES = groupTimeZones(ZONE_NAMES, new Date('2026-11-28T12:00:00Z'));
const FIELDS: FieldName[] = ['email', 'topics', 'frequency', 'weekday', 'hour', 'timeZone', 'maxPapers'];

const savedForm: SubscriptionForm = {
  email: 'reader@example.org',
  topics: 'quantization, cat:cs.CL',
  frequency: 'weekly',
  weekday: 3,
  hour: 7,
  timeZone: 'Europe/Berlin',
  maxPapers: 12,
  paused: false,
  sendEmptyDigest: false,
};

const allErrors = (message: string): FieldErrors => Object.fromEntries(FIELDS.map((name) => [name, `${name}: ${message}`]));

const hostileCard: PaperCard = {
  title: HOSTILE_TEXT,
  authors: HOSTILE_TEXT,
  stats: '▲ 12 upvotes',
  abstract: HOSTILE_TEXT,
  abstractHtml: escapeHtml(HOSTILE_TEXT),
  why: 'Matches',
  whyHtml: 'Matches <b>quantization</b>',
  // No links: every page here is checked to link only within the site.
  links: [],
};

/** Every page under `base`, rendered with hostile values wherever the page takes text. */
function allPages(base = ''): Record<string, string> {
  return {
    signUpEmpty: signUpPage({ base, values: {}, timeZones: TIME_ZONES }),
    signUpHostile: signUpPage({
      base,
      values: { email: HOSTILE_TEXT, topics: HOSTILE_TEXT, timeZone: HOSTILE_TEXT },
      errors: { ...allErrors(HOSTILE_TEXT), form: HOSTILE_TEXT },
      timeZones: TIME_ZONES,
    }),
    signUpHostileSample: signUpPage({
      base,
      values: { topics: HOSTILE_TEXT },
      timeZones: TIME_ZONES,
      sample: { base, topics: HOSTILE_TEXT, shown: { day: '2026-11-28', cards: [hostileCard], picked: 4, listed: 12 } },
    }),
    accepted: signUpAcceptedPage({ base, cooldownMinutes: 10 }),
    confirm: confirmPage({ base, token: HOSTILE_TEXT, preferences: { ...DEFAULT_PREFERENCES, topics: HOSTILE_TEXT, timeZone: HOSTILE_TEXT } }),
    confirmed: confirmedPage({
      base,
      preferencesUrl: `${base}/preferences?token=${encodeURIComponent(HOSTILE_TEXT)}`,
      preferences: { ...DEFAULT_PREFERENCES, timeZone: HOSTILE_TEXT },
    }),
    preferences: preferencesPage({
      base,
      token: 'pref-token',
      values: savedForm,
      notice: 'Saved.',
      preview: { picked: 7, listed: 12, day: '2026-11-28' },
      timeZones: TIME_ZONES,
      unsubscribeUrl: `${base}/unsubscribe?token=u1`,
    }),
    preferencesHostile: preferencesPage({
      base,
      token: HOSTILE_TEXT,
      values: { ...savedForm, email: HOSTILE_TEXT, topics: HOSTILE_TEXT, paused: true },
      errors: { ...allErrors(HOSTILE_TEXT), form: HOSTILE_TEXT },
      notice: HOSTILE_TEXT,
      preview: { picked: 0, listed: 12, day: '2026-11-28' },
      timeZones: TIME_ZONES,
      unsubscribeUrl: `${base}/unsubscribe?x="${HOSTILE_TEXT}`,
    }),
    unsubscribe: unsubscribePage({ base, unsubscribeToken: HOSTILE_TEXT, standing: { ...subscribed, address: HOSTILE_TEXT } }),
    unsubscribed: unsubscribedPage({ base, address: HOSTILE_TEXT }),
    message: messagePage({ base, title: HOSTILE_TEXT, message: HOSTILE_TEXT, linkHref: `${base}/`, linkText: HOSTILE_TEXT }),
  };
}

/** Every page at a domain's root and under API Gateway's stage path, named `base:page`. */
const pagesUnderEachBase = () =>
  ['', '/prod'].flatMap((base) => Object.entries(allPages(base)).map(([name, html]) => [`${base || '(root)'} ${name}`, html, base] as const));

interface Tag {
  name: string;
  attrs: Record<string, string>;
}

function decodeAttr(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity] ?? '');
}

/** Start tags named `names`, with their attributes; enough for markup whose attribute values are escaped. */
function tags(html: string, ...names: string[]): Tag[] {
  const found: Tag[] = [];
  const pattern = new RegExp(`<(${names.join('|')})\\b([^>]*)>`, 'gi');
  for (const match of html.matchAll(pattern)) {
    const attrs: Record<string, string> = {};
    for (const attr of (match[2] ?? '').matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attrs[attr[1]!.toLowerCase()] = decodeAttr(attr[2] ?? '');
    found.push({ name: match[1]!.toLowerCase(), attrs });
  }
  return found;
}

function elementText(html: string, id: string): string | undefined {
  return new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html)?.[2];
}

const invalidControls = (html: string) => tags(html, '[a-z]+').filter((tag) => 'aria-invalid' in tag.attrs);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('every page', () => {
  it.each(pagesUnderEachBase())('%s is a complete HTML document with a title and viewport', (_, html, base) => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`<a class="brand" href="${base}/">Papertrend</a>`);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it.each(Object.entries(allPages()))('%s labels every visible control, with unique ids', (_, html) => {
    const labelled = new Set(tags(html, 'label').map((label) => label.attrs.for));
    const controls = tags(html, 'input', 'select', 'textarea').filter((tag) => tag.attrs.type !== 'hidden' && tag.attrs.name !== 'website');
    for (const control of controls) {
      expect(control.attrs.id).toBeTruthy();
      expect(labelled.has(control.attrs.id)).toBe(true);
    }
    const ids = tags(html, '[a-z]+')
      .map((tag) => tag.attrs.id)
      .filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(Object.entries(allPages()))('%s escapes hostile values', (_, html) => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('"onmouseover=');
    expect(html).not.toMatch(/[^&]&amp;[^a]/);
    for (const tag of tags(html, '[a-z]+')) expect(Object.keys(tag.attrs)).not.toContain('onmouseover');
  });

  it.each(pagesUnderEachBase())('%s links and posts only under its base path', (_, html, base) => {
    const targets = [...tags(html, 'a').map((tag) => tag.attrs.href ?? ''), ...tags(html, 'form').map((tag) => tag.attrs.action ?? '')].filter(
      (target) => !target.startsWith('#'),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(new RegExp(`^${base}/(?:[a-z]|\\?|$)`));
  });

  it.each(pagesUnderEachBase())('%s loads nothing from other hosts', (_, html) => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(?:src|href|action)="\/\//i);
    expect(tags(html, 'img', 'iframe', 'object', 'embed')).toHaveLength(0);
    for (const link of tags(html, 'link')) expect(link.attrs.href).toBe('data:,');
    for (const script of tags(html, 'script')) expect(script.attrs.src).toBeUndefined();
  });

  it('escapes hostile text into visible text, not markup', () => {
    const html = messagePage({ base: '', title: HOSTILE_TEXT, message: HOSTILE_TEXT });
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) x=&quot; &amp;amp;');
  });
});

describe('SECURITY_HEADERS', () => {
  const csp = SECURITY_HEADERS['Content-Security-Policy'] ?? '';
  const directives = new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it('locks the pages down', () => {
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('img-src')).toBe("'self' data:");
    // The sign-up page's script fetches its sample from the site, and nothing else anywhere.
    expect(directives.get('connect-src')).toBe("'self'");
    expect(SECURITY_HEADERS).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Content-Type': 'text/html; charset=utf-8',
    });
  });

  it('allows exactly the inline style of every page and the sign-up script', () => {
    const pages = Object.values(allPages());
    const styles = new Set(pages.map((html) => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1]));
    expect(styles.size).toBe(1);
    const [style] = [...styles];
    expect(directives.get('style-src')).toBe(`'sha256-${sha256(style ?? 'missing')}'`);

    const signUp = signUpPage({ base: '', values: {}, timeZones: TIME_ZONES });
    const scripts = [...signUp.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(scripts).toHaveLength(1);
    expect(directives.get('script-src')).toBe(`'sha256-${sha256(scripts[0] ?? 'missing')}'`);
    for (const html of pages.filter((page) => !page.includes('action="/subscribe"'))) expect(html).not.toContain('<script');
  });

  it('leaves no inline event handlers or style attributes for the CSP to block', () => {
    for (const html of Object.values(allPages())) {
      for (const tag of tags(html, '[a-z]+')) {
        expect(Object.keys(tag.attrs).filter((name) => name.startsWith('on') || name === 'style')).toEqual([]);
      }
    }
  });
});

describe('signUpPage', () => {
  const html = signUpPage({ base: '', values: {}, timeZones: TIME_ZONES });
  const form = tags(html, 'form');

  it('posts the named fields to /subscribe, under the base path when there is one', () => {
    expect(form).toEqual([{ name: 'form', attrs: { method: 'post', action: '/subscribe' } }]);
    expect(tags(signUpPage({ base: '/prod', values: {}, timeZones: TIME_ZONES }), 'form')).toEqual([
      { name: 'form', attrs: { method: 'post', action: '/prod/subscribe' } },
    ]);
    const names = new Set(tags(html, 'input', 'select', 'textarea').map((tag) => tag.attrs.name));
    expect([...names].sort()).toEqual([...FIELDS, 'sendEmptyDigest', 'website'].sort());
    expect(
      tags(html, 'input')
        .filter((tag) => tag.attrs.name === 'frequency')
        .map((tag) => [tag.attrs.type, tag.attrs.value]),
    ).toEqual([
      ['radio', 'daily'],
      ['radio', 'weekly'],
    ]);
  });

  it('shows defaults: daily, Monday, 07:00, UTC, 10 papers, hours as HH:00', () => {
    expect(html).toMatch(/id="frequency-daily" name="frequency" value="daily" checked/);
    expect(html).toContain('<option value="1" selected>Monday</option>');
    expect(html).toContain('<option value="7" selected>07:00</option>');
    expect(html).toContain('<option value="7">Sunday</option>');
    expect(html).toContain('<option value="23">23:00</option>');
    expect(html).toContain('<option value="UTC" selected>UTC</option>');
    expect(html).toMatch(/<select id="timeZone" name="timeZone" data-auto>/);
    const maxPapers = tags(html, 'input').find((tag) => tag.attrs.name === 'maxPapers');
    expect(maxPapers?.attrs).toMatchObject({ type: 'number', min: '1', max: '30', value: '10' });
  });

  it('keeps submitted values', () => {
    const again = signUpPage({ base: '', values: { ...savedForm, email: 'a@b.example' }, timeZones: TIME_ZONES });
    expect(again).toContain('value="a@b.example"');
    expect(again).toContain('>quantization, cat:cs.CL</textarea>');
    expect(again).toMatch(/value="weekly" checked/);
    expect(again).toContain('<option value="3" selected>Wednesday</option>');
    expect(again).toContain('<option value="7" selected>07:00</option>');
    expect(again).toContain('<option value="Europe/Berlin" selected>Berlin (UTC+01:00)</option>');
    expect(tags(again, 'select').find((tag) => tag.attrs.name === 'timeZone')?.attrs).not.toHaveProperty('data-auto');
    expect(again).toContain('value="12"');
  });

  it('hides the honeypot from people', () => {
    const honeypot = tags(html, 'input').find((tag) => tag.attrs.name === 'website');
    expect(honeypot?.attrs).toMatchObject({ tabindex: '-1', autocomplete: 'off', value: '' });
    expect(html).toMatch(/<div class="hp" aria-hidden="true">\s*<label for="website">Leave this empty<\/label>/);
    expect(html).toMatch(/\.hp\{position:absolute;left:-10000px/);
  });

  it('links URL-encoded topic examples that work without JavaScript', () => {
    const links = tags(html, 'a')
      .map((tag) => tag.attrs.href ?? '')
      .filter((href) => href.startsWith('/?topics='));
    expect(links).toEqual(TOPIC_EXAMPLES.map((example) => `/?topics=${encodeURIComponent(example)}`));
    for (const href of links) expect(href).toMatch(/^\/\?topics=[A-Za-z0-9%._~-]+$/);
    expect(links.map((href) => new URL(href, 'http://site.test').searchParams.get('topics'))).toEqual([...TOPIC_EXAMPLES]);
    const prefixed = tags(signUpPage({ base: '/prod', values: {}, timeZones: TIME_ZONES }), 'a')
      .map((tag) => tag.attrs.href ?? '')
      .filter((href) => href.includes('?topics='));
    expect(prefixed).toEqual(links.map((href) => `/prod${href}`));
  });

  it('puts each error next to its field, with aria-invalid and aria-describedby', () => {
    const withErrors = signUpPage({ base: '', values: {}, errors: allErrors('is wrong'), timeZones: TIME_ZONES });
    expect(withErrors).toContain('role="alert"');
    for (const field of FIELDS) {
      const controls = tags(withErrors, 'input', 'select', 'textarea', 'fieldset').filter(
        (tag) => tag.attrs.name === field || (tag.attrs.role === 'radiogroup' && field === 'frequency'),
      );
      const described = controls.filter((tag) => tag.attrs['aria-invalid'] === 'true');
      expect(described.length).toBeGreaterThan(0);
      for (const control of described) {
        const ids = (control.attrs['aria-describedby'] ?? '').split(' ');
        expect(ids).toContain(`${field}-error`);
        for (const id of ids) expect(elementText(withErrors, id)).toBeDefined();
      }
      expect(elementText(withErrors, `${field}-error`)).toBe(`${field}: is wrong`);
    }
    expect(invalidControls(html)).toEqual([]);
    expect(html).not.toContain('role="alert"');
  });

  it('shows a form-level error on its own', () => {
    const page = signUpPage({ base: '', values: {}, errors: { form: 'Too many sign-ups; try again in an hour.' }, timeZones: TIME_ZONES });
    expect(page).toContain('Too many sign-ups; try again in an hour.');
    expect(invalidControls(page)).toEqual([]);
  });

  it('lets the script pick the zone on a fresh form, even with UTC passed in, but not after errors', () => {
    const autoZone = (page: string) => 'data-auto' in (tags(page, 'select').find((tag) => tag.attrs.name === 'timeZone')?.attrs ?? {});
    expect(autoZone(signUpPage({ base: '', values: { timeZone: 'UTC' }, timeZones: TIME_ZONES }))).toBe(true);
    expect(autoZone(signUpPage({ base: '', values: { timeZone: 'UTC' }, errors: { email: 'Enter one email address' }, timeZones: TIME_ZONES }))).toBe(false);
  });

  it('offers a stored time zone missing from the list', () => {
    const page = signUpPage({ base: '', values: { timeZone: 'Pacific/Chatham' }, timeZones: TIME_ZONES });
    expect(page).toContain('<option value="Pacific/Chatham" selected>Pacific/Chatham</option>');
  });
});

describe('the sign-up page with a sample of the digest', () => {
  const sample = (over: Partial<DigestSample> = {}): DigestSample => ({
    base: '/prod',
    topics: 'quantization',
    shown: { day: '2026-11-28', cards: [hostileCard, hostileCard, hostileCard], picked: 7, listed: 12 },
    ...over,
  });
  const page = (over: Partial<DigestSample> = {}, typed = false) =>
    signUpPage({ base: '/prod', values: { email: 'a@b.example', topics: 'quantization' }, timeZones: TIME_ZONES, sample: sample(over), typed });

  it('offers Preview as a second submit button of the POST form, so the address never goes into a URL and Enter still subscribes', () => {
    const html = page();
    expect(tags(html, 'form')).toEqual([{ name: 'form', attrs: { method: 'post', action: '/prod/subscribe' } }]);
    const buttons = tags(html, 'button').map((tag) => tag.attrs);
    expect(buttons).toEqual([
      { type: 'submit', class: 'button' },
      { type: 'submit', class: 'button secondary', name: 'preview', value: '1', formnovalidate: '' },
    ]);
  });

  it('shows the cards with their why lines, a sentence in a live region, and the way to the rest of the day', () => {
    const html = page();
    expect(tags(html, 'section').find((tag) => tag.attrs.id === 'sample')?.attrs['data-url']).toBe('/prod/sample');
    expect(tags(html, 'p').find((tag) => tag.attrs.id === 'sample-status')?.attrs.role).toBe('status');
    expect(elementText(html, 'sample-status')).toBe(
      '“quantization” picks 7 of the 12 papers listed on Saturday 28 November 2026, best first; here are the first 3.',
    );
    expect(html.match(/<li class="card paper">/g)).toHaveLength(3);
    expect(html).toContain('<p class="why">Why: Matches <b>quantization</b></p>');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('<h3>&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) x=&quot; &amp;amp;</h3>');
    expect(html).toContain('<a href="/prod/papers/2026-11-28?topics=quantization">See all 7 on the Saturday 28 November 2026 page</a>');
  });

  it.each([
    [{ topics: '' }, 'The top 3 of 12 papers listed on Saturday 28 November 2026; type topics and press Preview for yours.'],
    [
      { shown: { day: '2026-11-28', cards: [], picked: 0, listed: 12 } },
      '“quantization” picks none of the 12 papers listed on Saturday 28 November 2026: on such a day you get no digest, or a short note if you ask for one.',
    ],
    [{ shown: { day: '2026-11-28', cards: [], picked: 0, listed: 0 } }, 'No papers have been listed on Saturday 28 November 2026 yet.'],
    [{ shown: undefined }, "Today's papers cannot be shown right now; signing up works as usual."],
    [{ invalid: true, shown: undefined }, 'Fix the topics to see a sample.'],
  ] as const)('says what the sample holds: %j', (over, sentence) => {
    expect(elementText(page(over), 'sample-status')?.replace(/&#39;/g, "'")).toBe(sentence);
  });

  it('never lets the browser replace a zone the visitor sent back with a preview', () => {
    expect(tags(page({}, true), 'select').find((tag) => tag.attrs.name === 'timeZone')?.attrs).not.toHaveProperty('data-auto');
    expect(tags(page({}, false), 'select').find((tag) => tag.attrs.name === 'timeZone')?.attrs).toHaveProperty('data-auto');
  });
});

describe('the time zone script', () => {
  const script = /<script>([\s\S]*?)<\/script>/.exec(signUpPage({ base: '', values: {}, timeZones: TIME_ZONES }))?.[1] ?? '';

  function run(browserZone: string, select: { auto: boolean; selected: number; userChanged?: boolean }) {
    const options = ZONE_NAMES.map((value, i) => ({ value, defaultSelected: i === select.selected && !select.userChanged }));
    const element = { selectedIndex: select.selected, options, hasAttribute: (name: string) => name === 'data-auto' && select.auto };
    const Intl = { DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: browserZone }) }) };
    runInNewContext(script, { document: { getElementById: (id: string) => (id === 'timeZone' ? element : null) }, Intl });
    return ZONE_NAMES[element.selectedIndex];
  }

  it('picks the browser zone when the select still shows the default', () => {
    expect(run('Asia/Tokyo', { auto: true, selected: 0 })).toBe('Asia/Tokyo');
  });

  it('leaves the select alone otherwise', () => {
    expect(run('Mars/Olympus', { auto: true, selected: 0 })).toBe('UTC');
    expect(run('Asia/Tokyo', { auto: false, selected: 1 })).toBe('Europe/Berlin');
    expect(run('Asia/Tokyo', { auto: true, selected: 2, userChanged: true })).toBe('America/New_York');
  });
});

describe('the time zone script with renamed and aliased zones', () => {
  const names = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Kyiv'];
  const page = signUpPage({ base: '', values: {}, timeZones: groupTimeZones(names, new Date('2026-11-28T12:00:00Z')) });
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
  /** What a browser on ICU says: its own zone by an old or aliased name, and the canonical name ICU resolves a name to. */
  const icuCanonical: Record<string, string> = { 'US/Eastern': 'America/New_York', 'Asia/Kolkata': 'Asia/Calcutta' };

  function run(browserZone: string): string | undefined {
    const options = names.map((value, i) => ({ value, defaultSelected: i === 0 }));
    const element = { selectedIndex: 0, options, hasAttribute: (name: string) => name === 'data-auto' };
    const DateTimeFormat = function (_locale?: string, options?: { timeZone?: string }) {
      const zone = options?.timeZone ?? browserZone;
      return { resolvedOptions: () => ({ timeZone: options?.timeZone ? (icuCanonical[zone] ?? zone) : zone }) };
    };
    runInNewContext(script, { document: { getElementById: (id: string) => (id === 'timeZone' ? element : null) }, Intl: { DateTimeFormat } });
    return names[element.selectedIndex];
  }

  it('maps a retired name to the modern one the list offers', () => {
    expect(run('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(run('Europe/Kiev')).toBe('Europe/Kyiv');
  });

  it('maps an alias through the runtime to its canonical zone instead of staying on UTC', () => {
    expect(run('US/Eastern')).toBe('America/New_York');
  });
});

describe('the time zone select', () => {
  const zones = groupTimeZones(['UTC', 'Asia/Kolkata', 'Europe/Berlin', 'Europe/Kyiv'], new Date('2026-07-01T12:00:00Z'));

  it('groups zones by region, each labelled with its offset', () => {
    const page = signUpPage({ base: '', values: { timeZone: 'Europe/Berlin' }, timeZones: zones });
    expect(page).toContain('<option value="UTC">UTC</option>\n<optgroup label="Asia">\n<option value="Asia/Kolkata">Kolkata (UTC+05:30)</option>\n</optgroup>');
    expect(page).toContain(
      '<optgroup label="Europe">\n<option value="Europe/Berlin" selected>Berlin (UTC+02:00)</option>\n<option value="Europe/Kyiv">Kyiv (UTC+03:00)</option>',
    );
  });

  it('selects the modern name for a zone stored under an old one', () => {
    const page = signUpPage({ base: '', values: { timeZone: 'Asia/Calcutta' }, timeZones: zones });
    expect(page).toContain('<option value="Asia/Kolkata" selected>');
    expect(page).not.toContain('<option value="Asia/Calcutta"');
  });
});

describe('signUpAcceptedPage', () => {
  it('repeats the address typed, escaped, and nothing else about it', () => {
    const html = signUpAcceptedPage({ base: '/prod', cooldownMinutes: 10, address: 'reader+ml@example.org' });
    expect(html).toContain('If <strong class="address">reader+ml@example.org</strong> can receive email, a confirmation link is on its way.');
    expect(signUpAcceptedPage({ base: '/prod', cooldownMinutes: 10, address: '<b>x</b>' })).toContain('<strong class="address">&lt;b&gt;x&lt;/b&gt;</strong>');
  });

  it('reveals nothing about the address when none is given', () => {
    const html = signUpAcceptedPage({ base: '/prod', cooldownMinutes: 10 });
    expect(html).not.toContain('@');
    expect(html).toContain('Check your inbox');
    expect(html).toContain('Nothing is sent until you confirm.');
    expect(tags(html, 'input', 'form')).toHaveLength(0);
    expect(html).toContain('<a href="/prod/">sign up again</a>');
  });
});

describe('confirmPage', () => {
  it('confirms only through a POST button, never by itself', () => {
    const html = confirmPage({ base: '', token: 'tok.en-1', preferences: DEFAULT_PREFERENCES });
    expect(tags(html, 'form')).toEqual([{ name: 'form', attrs: { method: 'post', action: '/confirm' } }]);
    expect(tags(confirmPage({ base: '/prod', token: 't', preferences: DEFAULT_PREFERENCES }), 'form')).toEqual([
      { name: 'form', attrs: { method: 'post', action: '/prod/confirm' } },
    ]);
    expect(tags(html, 'input')).toEqual([{ name: 'input', attrs: { type: 'hidden', name: 'token', value: 'tok.en-1' } }]);
    expect(tags(html, 'button')).toHaveLength(1);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/http-equiv/i);
    expect(html).not.toMatch(/autofocus|submit\(/);
  });

  it('shows the topics, schedule, hour, time zone and papers per email the link would confirm', () => {
    const preferences = {
      ...DEFAULT_PREFERENCES,
      topics: 'cat:cs.CL, "language model"',
      frequency: 'weekly' as const,
      weekday: 3,
      hour: 6,
      timeZone: 'Asia/Tokyo',
      maxPapers: 5,
    };
    const html = confirmPage({ base: '', token: 't', preferences });
    for (const shown of ['cat:cs.CL, &quot;language model&quot;', 'Weekly, on Wednesday', '06:00', 'Asia/Tokyo', '>5<']) expect(html).toContain(shown);
    expect(confirmPage({ base: '', token: 't', preferences: DEFAULT_PREFERENCES })).toMatch(/Daily[\s\S]*07:00[\s\S]*UTC/);
  });
});

describe('confirmedPage', () => {
  it('links the preferences, and drops a non-http link', () => {
    const preferences = DEFAULT_PREFERENCES;
    expect(confirmedPage({ base: '', preferencesUrl: '/preferences?token=a&b', preferences })).toContain('href="/preferences?token=a&amp;b"');
    expect(confirmedPage({ base: '/prod', preferencesUrl: '/prod/preferences?token=a', preferences })).toContain('href="/prod/preferences?token=a"');
    expect(confirmedPage({ base: '', preferencesUrl: 'javascript:alert(1)', preferences })).not.toContain('javascript:');
  });

  it('says when digests go out', () => {
    expect(confirmedPage({ base: '', preferencesUrl: '/p', preferences: DEFAULT_PREFERENCES })).toContain('Digests go out every day at 07:00 (UTC)');
    const weekly = { ...DEFAULT_PREFERENCES, frequency: 'weekly' as const, weekday: 5, hour: 18, timeZone: 'Asia/Tokyo' };
    expect(confirmedPage({ base: '', preferencesUrl: '/p', preferences: weekly })).toContain('Digests go out every Friday at 18:00 (Asia/Tokyo)');
  });
});

describe('the weekday field follows the frequency (issue 12, item 3)', () => {
  const fieldOf = (html: string, control: string) => new RegExp(`<div class="([^"]*)">\\n<label for="${control}">`).exec(html)?.[1];
  const style = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';

  it.each([
    ['the sign-up page', (values: Partial<SubscriptionForm>) => signUpPage({ base: '', values, timeZones: TIME_ZONES })],
    [
      'the preferences page',
      (values: Partial<SubscriptionForm>) => preferencesPage({ base: '', token: 't', values: { ...savedForm, ...values }, timeZones: TIME_ZONES }),
    ],
  ])('on %s, is hidden by the style while Daily is checked, and only that field', (_page, render) => {
    for (const frequency of ['daily', 'weekly'] as const) {
      const html = render({ frequency });
      expect(fieldOf(html, 'weekday')).toBe('field weekly-only');
      expect(fieldOf(html, 'hour')).toBe('field');
      expect(html).toMatch(new RegExp(`id="frequency-daily" name="frequency" value="daily"${frequency === 'daily' ? ' checked' : ''}>`));
      expect(html).toMatch(new RegExp(`id="frequency-weekly" name="frequency" value="weekly"${frequency === 'weekly' ? ' checked' : ''}>`));
      expect(style(html)).toContain('form:has(#frequency-daily:checked) .weekly-only{display:none}');
    }
  });
});

describe('preferencesPage', () => {
  const html = allPages().preferences ?? '';

  it('posts the preferences with the token, showing the address as text', () => {
    expect(tags(html, 'form')).toEqual([{ name: 'form', attrs: { method: 'post', action: '/preferences' } }]);
    expect(tags(allPages('/prod').preferences ?? '', 'form')).toEqual([{ name: 'form', attrs: { method: 'post', action: '/prod/preferences' } }]);
    expect(tags(html, 'input').find((tag) => tag.attrs.type === 'hidden')?.attrs).toEqual({ type: 'hidden', name: 'token', value: 'pref-token' });
    expect(html).toContain('<span class="readonly">reader@example.org</span>');
    const names = new Set(tags(html, 'input', 'select', 'textarea').map((tag) => tag.attrs.name));
    expect([...names].sort()).toEqual(['frequency', 'hour', 'maxPapers', 'paused', 'sendEmptyDigest', 'timeZone', 'token', 'topics', 'weekday']);
    expect(html).not.toContain('/?topics=');
  });

  it('shows the notice, the preview, the pause box and the unsubscribe link', () => {
    expect(html).toContain('Saved.');
    expect(html).toContain('Your filter picks 7 of the 12 papers listed on Saturday 28 November 2026.');
    expect(tags(html, 'input').find((tag) => tag.attrs.name === 'paused')?.attrs).toEqual({ type: 'checkbox', id: 'paused', name: 'paused', value: 'on' });
    expect(html).toContain('<label class="choice" for="paused">');
    expect(html).toContain('<a href="/unsubscribe?token=u1">Unsubscribe</a>');
    expect(allPages().preferencesHostile).toMatch(/name="paused" value="on" checked/);
    expect(allPages().preferencesHostile).toContain('Your filter picks none of the 12 papers');
  });
});

describe('unsubscribePage', () => {
  const html = unsubscribePage({ base: '/prod', unsubscribeToken: 'a+b/c=?&', standing: subscribed });
  const offered = (standing: ReaderStanding) =>
    tags(unsubscribePage({ base: '', unsubscribeToken: 't', standing }), 'input')
      .map((tag) => tag.attrs.value)
      .filter((value) => value !== 'yes');

  it('unsubscribes by POST with confirm=yes, and offers pause or weekly instead through the same link', () => {
    const action = `/prod/unsubscribe?token=${encodeURIComponent('a+b/c=?&')}`;
    const forms = tags(html, 'form').map((tag) => tag.attrs.action);
    expect(forms).toEqual([action, action, action]);
    const hidden = tags(html, 'input').map((tag) => [tag.attrs.name, tag.attrs.value]);
    expect(hidden).toEqual([
      ['confirm', 'yes'],
      ['action', 'pause'],
      ['action', 'weekly'],
    ]);
    expect(html).toContain('Pause instead');
    expect(html).toContain('Switch to weekly (Fridays)');
    for (const form of tags(html, 'form')) expect(form.attrs.method).toBe('post');
  });

  it('names the masked address and the schedule, and offers only what changes something', () => {
    expect(html).toContain('<h1>Unsubscribe j***@example.org?</h1>');
    expect(html).toContain('You get a digest every day.');
    expect(offered(subscribed)).toEqual(['pause', 'weekly']);
    expect(offered({ ...subscribed, state: 'weekly', frequency: 'weekly' })).toEqual(['pause']);
    expect(offered({ ...subscribed, state: 'paused' })).toEqual(['resume']);
    const weekly = unsubscribePage({ base: '', unsubscribeToken: 't', standing: { ...subscribed, state: 'weekly', frequency: 'weekly', weekday: 2 } });
    expect(weekly).toContain('You get one digest a week, on Tuesdays.');
    const paused = unsubscribePage({ base: '', unsubscribeToken: 't', standing: { ...subscribed, state: 'paused' } });
    expect(paused).toContain('Your digests (a digest every day) are paused.');
    expect(paused).toContain('Resume digests');
    expect(paused).not.toContain('Pause instead');
  });
});

describe('unsubscribedPage and messagePage', () => {
  it('says goodbye with a way back', () => {
    const html = unsubscribedPage({ base: '' });
    expect(html).toContain("You won't get any more digests.");
    expect(html).toContain('<a href="/">Sign up again</a>');
    expect(unsubscribedPage({ base: '/prod' })).toContain('<a href="/prod/">Sign up again</a>');
  });

  it('links only to safe places', () => {
    const page = (linkHref: string) => messagePage({ base: '/prod', title: 't', message: 'm', linkHref, linkText: 'x' });
    expect(messagePage({ base: '', title: 'Not found', message: 'No such page.', linkHref: '/', linkText: 'Home' })).toContain('<a href="/">Home</a>');
    expect(page('/prod/')).toContain('<a href="/prod/">x</a>');
    expect(page('/prod/confirm?token=a&b')).toContain('<a href="/prod/confirm?token=a&amp;b">x</a>');
    expect(page('https://site.example/prod/')).toContain('<a href="https://site.example/prod/">x</a>');
    for (const unsafe of ['javascript:alert(1)', '//evil.example/', '/\\evil.example/', 'data:text/html,x', 'prod/relative']) {
      expect(page(unsafe)).not.toMatch(/evil\.example|javascript:|data:text|prod\/relative/);
      expect(tags(page(unsafe), 'a').map((tag) => tag.attrs.href)).toEqual(['#main', '/prod/', '/prod/papers']);
    }
    expect(messagePage({ base: '', title: 'Link expired', message: 'Ask for a new one.' })).toContain('<title>Link expired · Papertrend</title>');
  });
});
