// Server-rendered HTML pages of the sign-up site, sharing one layout, one inline style and the security headers.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../core/render/html';
import { countOf, formatCount, formatLongDate } from '../core/render/text-format';
import { schemeVariables } from '../core/render/palette';
import { safeHttpUrl } from '../core/safe-url';
import { canonicalTimeZone, RENAMED_TIME_ZONES, type TimeZoneGroup } from '../core/time-zones';
import { DEFAULT_PREFERENCES, MAX_TOPIC_FILTER_LENGTH, PAPERS_PER_EMAIL, type Preferences } from '../core/subscription';
import type { ProfileSummary } from '../core/feedback-profile';
import { sitePath } from './base-path';
import type { FieldErrors } from './forms';
import { digestSample, type DigestSample } from './digest-sample';

/** Form fields that can carry an error message. */
export type FieldName = 'email' | 'topics' | 'frequency' | 'weekday' | 'hour' | 'timeZone' | 'maxPapers';

/** The values of the sign-up and preferences forms; a value left out shows DEFAULT_PREFERENCES'. */
export interface SubscriptionForm extends Omit<Preferences, 'paused'> {
  email?: string;
  paused?: boolean;
}

/** Filters offered as one-click examples on the sign-up page. */
export const TOPIC_EXAMPLES: readonly string[] = ['quantization', 'cat:cs.CL, "language model"', 'author:"Tri Dao", -diffusion'];

// `.weekly-only` (the weekday field) shows only while Weekly is ticked: the server renders the checked
// radio and CSS :has() follows it live, with no script to allow through the CSP; without :has() it always shows.
const STYLE = `
:root{color-scheme:light dark;${schemeVariables()}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--page);color:var(--text);font:1rem/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
a{color:var(--link);text-underline-offset:.15em}
:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-10000px;top:0;background:var(--surface);padding:.75rem 1rem}
.skip:focus{left:.5rem;top:.5rem;z-index:1}
.top{background:var(--headerBg)}
.top .wrap{padding-top:1rem;padding-bottom:1rem}
.brand{display:inline-block;padding:.25rem 0;color:var(--headerText);font-weight:700;font-size:1.25rem;letter-spacing:.02em;text-decoration:none}
.brand:focus-visible,.navlink:focus-visible{outline-color:var(--headerText)}
.top .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem}
.navlink{display:inline-flex;align-items:center;min-height:2.75rem;color:var(--headerText);font-weight:600}
.wrap{max-width:36rem;margin:0 auto;padding:0 1rem}
main.wrap{padding-top:1.5rem;padding-bottom:2rem}
.card{background:var(--surface);border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 2px rgba(0,0,0,.08);border:1px solid var(--border)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem;color:var(--heading)}
p{margin:0 0 1rem}
.lead{color:var(--muted)}
.field{margin:0 0 1.25rem}
fieldset.field{border:0;padding:0;min-width:0}
label,legend{display:block;font-weight:600;margin:0 0 .35rem;padding:0}
.help{color:var(--muted);font-size:.925rem;margin:.35rem 0 0}
.nowrap{white-space:nowrap}
.address{overflow-wrap:anywhere}
.examples{margin:.35rem 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.5rem}
.examples a{display:inline-flex;align-items:center;min-height:2.75rem;padding:.25rem .75rem;border:1px solid var(--chipLine);border-radius:1.5rem;background:var(--chip);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem;text-decoration:none}
input[type=email],input[type=number],input[type=text],select,textarea{display:block;width:100%;min-height:2.75rem;padding:.5rem .75rem;font:inherit;color:inherit;background:var(--field);border:1px solid var(--fieldLine);border-radius:.375rem}
textarea{min-height:5.5rem;resize:vertical}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid var(--error)}
fieldset.field[aria-invalid=true]{border-left:4px solid var(--error);padding-left:.75rem}
.choice{display:flex;align-items:center;gap:.6rem;min-height:2.75rem;font-weight:400;margin:0}
.choice input{flex:none;width:1.35rem;height:1.35rem;margin:0;accent-color:var(--button)}
.row{display:flex;flex-wrap:wrap;gap:0 1rem}
.row>.field{flex:1 1 10rem}
form:has(#frequency-daily:checked) .weekly-only{display:none}
.error{color:var(--error);font-weight:600;margin:.35rem 0 0}
.alert{border-left:4px solid var(--error);background:var(--errorBg);padding:.75rem 1rem;margin:0 0 1.25rem}
.notice{border-left:4px solid var(--ok);background:var(--okBg);padding:.75rem 1rem;margin:0 0 1.25rem}
.alert>:last-child,.notice>:last-child{margin-bottom:0}
.readonly{font-weight:600;overflow-wrap:anywhere}
.settings{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:.35rem 1rem;margin:0 0 1rem}
.settings dt{color:var(--muted)}
.settings dd{margin:0;font-weight:600;overflow-wrap:break-word}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.6rem 1.4rem;font:inherit;font-weight:700;color:var(--buttonText);background:var(--button);border:2px solid var(--button);border-radius:.375rem;cursor:pointer;text-decoration:none}
.button:hover{background:var(--buttonHover)}
.button.secondary{color:var(--link);background:var(--surface);border-color:var(--link)}
.button.secondary:hover{background:var(--chip)}
.button.wide{width:100%}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:0 0 1rem}
.actions form{margin:0}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
footer{color:var(--muted);font-size:.875rem;padding-bottom:2rem}
.alert:focus{outline:3px solid var(--error);outline-offset:2px}
.alert h2{font-size:1.05rem;margin:0 0 .35rem;color:var(--error)}
.alert ul{margin:0;padding-left:1.25rem}
.alert a{color:var(--error);font-weight:600}
.wrap.wide{max-width:72rem}
.daily{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.daily>section{flex:999 1 30rem;min-width:0}
.daily>aside{flex:1 1 20rem;position:sticky;top:1rem}
.daily h2{font-size:1.2rem;line-height:1.3;margin:0 0 .5rem;color:var(--heading)}
.daynav{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 1rem}
.daynav a{display:inline-flex;align-items:center;min-height:2.75rem}
.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0 0 1rem}
.filter .field{flex:1 1 14rem;margin:0}
.filter>a{display:inline-flex;align-items:center;min-height:2.75rem}
.filter .help{flex:1 1 100%;margin:0}
.filter .error{flex:1 1 100%;margin:0}
.papers{list-style:none;margin:0;padding:0;display:grid;gap:1rem}
.paper h3{font-size:1.1rem;line-height:1.35;margin:0 0 .35rem}
.paper h3 a{text-decoration:none}
.paper p{margin:0 0 .35rem}
.paper .meta,.paper .why{color:var(--muted);font-size:.875rem}
.paper .why{font-style:italic}
.paper .abstract{color:var(--body)}
.paper .links{display:flex;flex-wrap:wrap;gap:0 1rem;margin:.5rem 0 0;padding:0;list-style:none;font-size:.875rem;font-weight:600}
.paper .links a{display:inline-flex;align-items:center;min-height:2.75rem}
.learned{border-top:1px solid var(--border);margin:1.5rem 0 0;padding:1rem 0 0}
.learned h2{font-size:1.15rem;line-height:1.3;margin:0 0 .5rem;color:var(--heading)}
.marked-title{font-weight:700;font-size:1.05rem;line-height:1.35;margin:0 0 .25rem;overflow-wrap:anywhere}
.signup{display:flex;flex-wrap:wrap;gap:1.5rem 2rem;align-items:flex-start}
.signup>.showcase{flex:999 1 28rem;min-width:0}
.signup>.subscribe{flex:1 1 36rem;min-width:0}
.signup h1{margin:0 0 .5rem}
.signup h2{font-size:1.2rem;line-height:1.3;margin:0 0 .35rem;color:var(--heading)}
.showcase>.lead{margin:0 0 1.25rem}
.sample .lead{margin:0 0 .75rem}
.sample .more{margin:.75rem 0 0}
.sample[aria-busy=true] #sample-cards{opacity:.55}
.subscribe form{display:flex;flex-wrap:wrap;gap:0 1rem}
.subscribe form>*{flex:1 1 100%}
.subscribe form>.row{display:contents}
.subscribe form>fieldset.field{flex:1 1 12rem}
.subscribe fieldset .choice{display:inline-flex;margin-right:1rem}
.subscribe .row>.field{flex:1 1 7.5rem}
.subscribe .row>.weekly-only{flex:1 1 9rem}
.subscribe form>.field:has(#timeZone){flex:3 1 15rem}
.subscribe form>.field:has(#maxPapers){flex:1 1 14rem}
.subscribe .actions{margin:0}
.subscribe .actions .button{flex:1 1 auto}
.subscribe .note{margin:.75rem 0 0}
.subscribe .field{margin-bottom:1rem}
.subscribe details{margin:.2rem 0 0}
.subscribe summary{cursor:pointer;color:var(--link);font-weight:600;padding:.15rem 0}
.subscribe textarea{min-height:4rem}
.subscribe .examples{margin-top:.5rem}
.subscribe .examples a{min-height:2.25rem;padding:.15rem .65rem}
`.trim();

// With JavaScript, Preview (and an example link, which also fills the topics field) fetches the sample
// for the typed topics from /sample and swaps its cards and sentence in place: no reload, nothing typed
// lost, and the sentence is a live region. When that fails (a filter that does not parse answers 400),
// Preview submits the form as it does without JavaScript, and the server shows the page with the error.
// Focus stays on the button, or moves to the sample's heading when the sample is out of view (phones).
const SAMPLE_SCRIPT = `(function(){var d=document,x=d.getElementById('sample'),n=0;if(!d.addEventListener)return;function post(f,b){var i=d.createElement('input');i.type='hidden';i.name=b.name;i.value=b.value;f.appendChild(i);f.submit();}function preview(f,b){if(!x||!window.fetch||!('content' in d.createElement('template'))){if(b)post(f,b);return;}var m=++n;x.setAttribute('aria-busy','true');fetch(x.getAttribute('data-url')+'?topics='+encodeURIComponent(f.elements.topics.value)).then(function(r){if(!r.ok)throw r;return r.text();}).then(function(h){if(m!==n)return;var t=d.createElement('template');t.innerHTML=h;var c=t.content.getElementById('sample-cards'),s=t.content.getElementById('sample-status');if(!c||!s)throw 0;d.getElementById('sample-cards').replaceWith(c);d.getElementById('sample-status').textContent=s.textContent;x.removeAttribute('aria-busy');var y=x.getBoundingClientRect().top;if(y<0||y>innerHeight-80)d.getElementById('sample-title').focus();}).catch(function(){if(m!==n)return;x.removeAttribute('aria-busy');if(b)post(f,b);});}d.addEventListener('click',function(e){var g=e.target,a=g&&g.closest&&g.closest('a[data-topics]'),b=g&&g.closest&&g.closest('button[name=preview]'),t=d.getElementById('topics');if(a&&t){e.preventDefault();t.value=a.getAttribute('data-topics');t.focus();if(t.form)preview(t.form);}else if(b&&b.form){e.preventDefault();preview(b.form,b);}});})();`;

// On a fresh form the browser's zone replaces UTC: by its own name, its modern name (Asia/Calcutta
// -> Asia/Kolkata), or the runtime's canonical name for an alias (US/Eastern -> America/New_York).
const TIME_ZONE_SCRIPT = `(function(){var s=document.getElementById('timeZone');if(!s||!s.hasAttribute('data-auto'))return;var o=s.options[s.selectedIndex];if(o&&!o.defaultSelected)return;var R=${JSON.stringify(RENAMED_TIME_ZONES)};function pick(z){if(!z)return false;z=R[z]||z;for(var i=0;i<s.options.length;i++)if(s.options[i].value===z){s.selectedIndex=i;return true;}return false;}try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(pick(z))return;pick(new Intl.DateTimeFormat('en-US',{timeZone:z}).resolvedOptions().timeZone);}catch(e){}})();`;

/** The one script of the pages with a sign-up form, allowed by its hash. */
const PAGE_SCRIPT = TIME_ZONE_SCRIPT + SAMPLE_SCRIPT;

const cspHash = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** Headers for every HTML response of the site. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': [
    "default-src 'none'",
    `style-src ${cspHash(STYLE)}`,
    `script-src ${cspHash(PAGE_SCRIPT)}`,
    // The sign-up page's script fetches its sample from the site itself.
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Content-Type': 'text/html; charset=utf-8',
});

/** Every page knows where the site lives: `''` at a domain's root, `/prod` under API Gateway's stage path (see basePathOf). */
export interface SiteBase {
  base: string;
}

export interface LayoutOptions extends SiteBase {
  title: string;
  body: string;
  withScript?: boolean;
  noindex?: boolean;
  /** A wide page that lays out its own cards (the daily papers page) instead of one narrow card. */
  wide?: boolean;
}

/** The page around every body: header, main, footer, the one style sheet, and the script when asked for. */
export function layout({ base, title, body, withScript = false, noindex = true, wide = false }: LayoutOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
${noindex ? '<meta name="robots" content="noindex">\n' : ''}<title>${escapeHtml(title)} · Papertrend</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="wrap${wide ? ' wide' : ''}"><a class="brand" href="${escapeHtml(sitePath(base, '/'))}">Papertrend</a> <a class="navlink" href="${escapeHtml(sitePath(base, '/papers'))}">Today's papers</a></div></header>
<main id="main" class="wrap${wide ? ' wide' : ''}">
${wide ? body : `<div class="card">\n${body}\n</div>`}
</main>
<footer class="wrap${wide ? ' wide' : ''}"><p>Papertrend emails you trending research papers on your topics. Every email has a one-click unsubscribe.</p></footer>
${withScript ? `<script>${PAGE_SCRIPT}</script>\n` : ''}</body>
</html>
`;
}

/** A same-site path or an absolute http(s) URL, escaped for an attribute; undefined for anything else. */
export function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  if (href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/\\')) return escapeHtml(href);
  const url = safeHttpUrl(href);
  return url === undefined ? undefined : escapeHtml(url);
}

function errorId(name: FieldName): string {
  return `${name}-error`;
}

/** Attributes tying a control to its help text and error; empty when there is neither. */
function describedBy(name: FieldName, errors: FieldErrors, helpId?: string): string {
  const ids = [helpId, errors[name] ? errorId(name) : undefined].filter((id): id is string => id !== undefined);
  const invalid = errors[name] ? ' aria-invalid="true"' : '';
  return ids.length > 0 ? `${invalid} aria-describedby="${ids.join(' ')}"` : invalid;
}

function errorText(name: FieldName, errors: FieldErrors): string {
  const message = errors[name];
  return message ? `\n<p class="error" id="${errorId(name)}">${escapeHtml(message)}</p>` : '';
}

/** Each field's label, and the control its error links to (a radio group's first button). */
const FIELDS: Readonly<Record<FieldName, { label: string; control: string }>> = {
  email: { label: 'Email address', control: 'email' },
  topics: { label: 'Topics', control: 'topics' },
  frequency: { label: 'How often', control: 'frequency-daily' },
  weekday: { label: 'Day of the week', control: 'weekday' },
  hour: { label: 'Time of day', control: 'hour' },
  timeZone: { label: 'Time zone', control: 'timeZone' },
  maxPapers: { label: 'Papers per email', control: 'maxPapers' },
};

/** The fields with an error, in form order. */
const fieldsInError = (errors: FieldErrors) => (Object.keys(FIELDS) as FieldName[]).filter((name) => errors[name]);

/**
 * The error summary at the top of a form: focused when the page loads (so a screen reader reads it
 * first), one link per field to its control, and a form-wide problem as plain text. `controls`
 * names a control that differs from the usual one (the daily page's filter box for `topics`).
 */
export function errorSummary(errors: FieldErrors, controls: Partial<Record<FieldName, string>> = {}): string {
  const fields = fieldsInError(errors);
  if (fields.length === 0 && !errors.form) return '';
  const items = [
    ...(errors.form ? [`<li>${escapeHtml(errors.form)}</li>`] : []),
    ...fields.map((name) => `<li><a href="#${controls[name] ?? FIELDS[name].control}">${FIELDS[name].label}: ${escapeHtml(errors[name] ?? '')}</a></li>`),
  ];
  return `<div class="alert" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${escapeHtml(errorHeadline(errors))}</h2>
<ul>
${items.join('\n')}
</ul>
</div>
`;
}

/** "Fix 2 fields: Email address, Papers per email": the summary's heading, and the start of the page title. */
function errorHeadline(errors: FieldErrors): string {
  const fields = fieldsInError(errors);
  if (fields.length === 0) return 'The form could not be sent';
  return `Fix ${fields.length === 1 ? 'one field' : `${fields.length} fields`}: ${fields.map((name) => FIELDS[name].label).join(', ')}`;
}

/** A page's title, led by the error summary when the form has errors, so the tab and a screen reader say so first. */
export function titleWithErrors(title: string, errors: FieldErrors): string {
  return fieldsInError(errors).length > 0 || errors.form ? `${errorHeadline(errors)} – ${title}` : title;
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const TOPICS_HELP = `Separate topics with commas; a paper matching any one is picked. A topic's words must appear (both of two, most of three or more). Use "quotes" for a phrase, <span class="nowrap">cat:cs.CL</span> for an arXiv category, <span class="nowrap">author:"Name"</span> for an author, and <span class="nowrap">-word</span> to leave papers out. Leave empty for the top trending papers.`;

/**
 * The topics field. On the sign-up page (`signUpBase` given) the help is one line with the rules
 * folded away, and example filters follow, so the form and its buttons fit beside the sample.
 */
function topicsField(topics: string, errors: FieldErrors, signUpBase: string | undefined): string {
  const help =
    signUpBase === undefined
      ? `<p class="help" id="topics-help">${TOPICS_HELP}</p>`
      : `<p class="help" id="topics-help">Commas between topics; empty for the top trending.</p>
<details class="help"><summary>How topics match</summary>${TOPICS_HELP}</details>`;
  const examples =
    signUpBase !== undefined
      ? `\n<ul class="examples" aria-label="Example topics">
${TOPIC_EXAMPLES.map((example) => `<li><a href="${escapeHtml(sitePath(signUpBase, `/?topics=${encodeURIComponent(example)}`))}" data-topics="${escapeHtml(example)}">${escapeHtml(example)}</a></li>`).join('\n')}
</ul>`
      : '';
  return `<div class="field">
<label for="topics">Topics</label>
<textarea id="topics" name="topics" rows="${signUpBase === undefined ? 3 : 2}" maxlength="${MAX_TOPIC_FILTER_LENGTH}" autocapitalize="off" autocomplete="off" spellcheck="false"${describedBy('topics', errors, 'topics-help')}>${escapeHtml(topics)}</textarea>
${help}${errorText('topics', errors)}${examples}
</div>`;
}

function scheduleFields(values: Partial<SubscriptionForm>, errors: FieldErrors, timeZones: readonly TimeZoneGroup[], autoTimeZone: boolean): string {
  const frequency = values.frequency ?? DEFAULT_PREFERENCES.frequency;
  const weekday = values.weekday ?? DEFAULT_PREFERENCES.weekday;
  const hour = values.hour ?? DEFAULT_PREFERENCES.hour;
  const typedZone = values.timeZone || DEFAULT_PREFERENCES.timeZone;
  const timeZone = canonicalTimeZone(typedZone) ?? typedZone;
  const maxPapers = values.maxPapers ?? DEFAULT_PREFERENCES.maxPapers;
  const radio = (value: 'daily' | 'weekly', label: string) =>
    `<label class="choice" for="frequency-${value}"><input type="radio" id="frequency-${value}" name="frequency" value="${value}"${frequency === value ? ' checked' : ''}> ${label}</label>`;
  const hours = Array.from({ length: 24 }, (_, h) => option(String(h), `${String(h).padStart(2, '0')}:00`, h === hour));
  return `<fieldset class="field" role="radiogroup"${describedBy('frequency', errors)}>
<legend>How often</legend>
${radio('daily', 'Daily')}
${radio('weekly', 'Weekly')}${errorText('frequency', errors)}
</fieldset>
<div class="row">
<div class="field weekly-only">
<label for="weekday">${FIELDS.weekday.label}</label>
<select id="weekday" name="weekday"${describedBy('weekday', errors)}>
${WEEKDAYS.map((day, i) => option(String(i + 1), day, i + 1 === weekday)).join('\n')}
</select>${errorText('weekday', errors)}
</div>
<div class="field">
<label for="hour">Time of day</label>
<select id="hour" name="hour"${describedBy('hour', errors)}>
${hours.join('\n')}
</select>${errorText('hour', errors)}
</div>
</div>
<div class="field">
<label for="timeZone">Time zone</label>
<select id="timeZone" name="timeZone"${autoTimeZone ? ' data-auto' : ''}${describedBy('timeZone', errors)}>
${timeZoneOptions(timeZones, timeZone)}
</select>${errorText('timeZone', errors)}
</div>
<div class="field">
<label for="maxPapers">Papers per email (${PAPERS_PER_EMAIL.min} to ${PAPERS_PER_EMAIL.max})</label>
<input type="number" id="maxPapers" name="maxPapers" min="${PAPERS_PER_EMAIL.min}" max="${PAPERS_PER_EMAIL.max}" step="1" inputmode="numeric" value="${escapeHtml(String(maxPapers))}"${describedBy('maxPapers', errors)}>${errorText('maxPapers', errors)}
</div>
<div class="field">
<label class="choice" for="sendEmptyDigest"><input type="checkbox" id="sendEmptyDigest" name="sendEmptyDigest" value="on"${values.sendEmptyDigest ? ' checked' : ''}> Email me a short note when nothing new matches</label>
</div>`;
}

/** The zone select's options grouped by region; a zone not in the list (kept from an older runtime) comes first, alone. */
function timeZoneOptions(groups: readonly TimeZoneGroup[], selected: string): string {
  const listed = groups.some((group) => group.zones.some((zone) => zone.name === selected));
  const groupHtml = groups.map((group) =>
    group.zones.length === 1 && group.zones[0]?.name === group.region
      ? option(group.region, group.zones[0].label, group.region === selected)
      : `<optgroup label="${escapeHtml(group.region)}">\n${group.zones.map((zone) => option(zone.name, zone.label, zone.name === selected)).join('\n')}\n</optgroup>`,
  );
  return [...(listed ? [] : [option(selected, selected, true)]), ...groupHtml].join('\n');
}

/** Inputs of the sign-up page. */
export interface SignUpPageInput extends SiteBase {
  /** Leaves out the example filters (the daily papers page has its own filter box). */
  compact?: boolean;
  values: Partial<SubscriptionForm>;
  errors?: FieldErrors;
  /** The zones offered, grouped by region with their offsets (timeZoneGroups). */
  timeZones: readonly TimeZoneGroup[];
  /** The values come back as the visitor typed them (a preview): the browser's zone never replaces the one shown. */
  typed?: boolean;
  /** The sample of the digest beside the form (the sign-up page only). */
  sample?: DigestSample;
}

/**
 * The sign-up form, posting to `subscribe` under the same base: on the sign-up page and beside the
 * daily papers. The browser's zone replaces UTC only on a fresh form (not when re-shown with errors).
 */
export function subscriptionForm({ base, values, errors = {}, timeZones, compact = false, typed = false }: SignUpPageInput): string {
  return `${errorSummary(errors)}<form method="post" action="${escapeHtml(sitePath(base, '/subscribe'))}">
<div class="field">
<label for="email">Email address</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" autocapitalize="off" spellcheck="false" value="${escapeHtml(values.email ?? '')}"${describedBy('email', errors)}>${errorText('email', errors)}
</div>
${topicsField(values.topics ?? DEFAULT_PREFERENCES.topics, errors, compact ? undefined : base)}
${scheduleFields(values, errors, timeZones, !typed && (values.timeZone || DEFAULT_PREFERENCES.timeZone) === DEFAULT_PREFERENCES.timeZone && Object.keys(errors).length === 0)}
<div class="hp" aria-hidden="true">
<label for="website">Leave this empty</label>
<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">
</div>
${compact ? '<button type="submit" class="button wide">Subscribe</button>' : PREVIEW_AND_SUBSCRIBE}
</form>`;
}

// Subscribe comes first, so Enter in a field subscribes; Preview skips the browser's checks (no address needed yet).
const PREVIEW_AND_SUBSCRIBE = `<div class="actions">
<button type="submit" class="button">Subscribe</button>
<button type="submit" class="button secondary" name="preview" value="1" formnovalidate>Preview</button>
</div>`;

/**
 * The sign-up page at the site's root: a sample of the digest (the cards the typed topics pick from
 * the latest day) beside the form on a wide screen, above it on a phone. The only pages with the
 * script are this one and the daily papers page.
 */
export function signUpPage(input: SignUpPageInput): string {
  const { base, sample } = input;
  const body = `<div class="signup">
<div class="showcase">
<h1>Trending papers on your topics, by email</h1>
<p class="lead">Papertrend emails you the day's trending papers from Hugging Face and arXiv that match your topics, daily or weekly, at the hour you choose. <a href="${escapeHtml(sitePath(base, '/papers'))}">See today's papers</a>, or <a href="#subscribe-title">go to the form</a>.</p>
${sample ? digestSample(sample) : ''}
</div>
<section class="card subscribe" aria-labelledby="subscribe-title">
<h2 id="subscribe-title">Subscribe</h2>
${subscriptionForm(input)}
<p class="help note">We first send a confirmation link to your address, and nothing else arrives until you click it.</p>
</section>
</div>`;
  const title = titleWithErrors('Trending papers on your topics', input.errors ?? {});
  return layout({ base, title, body, withScript: true, noindex: false, wide: true });
}

/**
 * Shown after every sign-up attempt, whatever happened, and naming no address. It cannot say
 * whether an email went (that would tell a stranger the address's state), so it states the
 * per-address limit for everyone: within it, the link already sent still works.
 */
/**
 * The answer to every sign-up, whatever the address's state. It repeats the address as typed (as
 * stored, once valid), so a typo shows at once; that names no state, since anyone who typed it sees it.
 */
export function signUpAcceptedPage({ base, cooldownMinutes, address = '' }: SiteBase & { cooldownMinutes: number; address?: string }): string {
  const to = address ? `<strong class="address">${escapeHtml(address)}</strong>` : 'the address';
  const body = `<h1>Check your inbox</h1>
<p>If ${to} can receive email, a confirmation link is on its way. Nothing is sent until you confirm.</p>
<p>We send at most one confirmation email to an address every ${cooldownMinutes} minutes. Signed up in the last ${cooldownMinutes} minutes already? Use the link in that email: it still works.</p>
<p class="lead">No email after ${cooldownMinutes} minutes? Look in your spam folder, or <a href="${escapeHtml(sitePath(base, '/'))}">sign up again</a>.</p>`;
  return layout({ base, title: 'Check your inbox', body });
}

/** The settings a confirmation would start, in words: what the visitor is agreeing to. */
function settingsSummary(preferences: Preferences): string {
  const schedule = preferences.frequency === 'weekly' ? `Weekly, on ${WEEKDAYS[preferences.weekday - 1] ?? WEEKDAYS[0]}` : 'Daily';
  const rows: Array<[string, string]> = [
    ['Topics', preferences.topics || 'All trending papers'],
    ['Schedule', schedule],
    ['Time', `${String(preferences.hour).padStart(2, '0')}:00`],
    ['Time zone', preferences.timeZone],
    ['Papers per email', String(preferences.maxPapers)],
    ['When nothing new matches', preferences.sendEmptyDigest ? 'A short note' : 'No email'],
  ];
  return `<dl class="settings">\n${rows.map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}\n</dl>`;
}

/**
 * The page a confirmation link opens: the settings the sign-up holds, and one button that POSTs
 * the token (a GET never confirms). Showing them lets the owner see what they confirm.
 */
export function confirmPage({ base, token, preferences, validUntil }: SiteBase & { token: string; preferences: Preferences; validUntil?: Date }): string {
  const until = validUntil
    ? `\n<p class="lead">This link works until ${escapeHtml(formatLongDate(validUntil.toISOString().slice(0, 10)))}, ${validUntil.toISOString().slice(11, 16)} UTC, even if you sign up again meanwhile.</p>`
    : '';
  const body = `<h1>Confirm your subscription</h1>${until}
<p>One click and your digests start at the next time you chose:</p>
${settingsSummary(preferences)}
<p class="lead">Not what you chose? Confirm and change them on the preferences page, or ignore this link and nothing is sent.</p>
<form method="post" action="${escapeHtml(sitePath(base, '/confirm'))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit" class="button wide">Confirm subscription</button>
</form>`;
  return layout({ base, title: 'Confirm your subscription', body });
}

/** When digests go out, in words: 'every day at 07:00 (UTC)', 'every Friday at 18:00 (Asia/Tokyo)'. */
function scheduleInWords(preferences: Pick<Preferences, 'frequency' | 'weekday' | 'hour' | 'timeZone'>): string {
  const days = preferences.frequency === 'weekly' ? `every ${WEEKDAYS[preferences.weekday - 1] ?? WEEKDAYS[0]}` : 'every day';
  return `${days} at ${String(preferences.hour).padStart(2, '0')}:00 (${preferences.timeZone})`;
}

/** Shown once a subscription is confirmed. */
export function confirmedPage({ base, preferencesUrl, preferences }: SiteBase & { preferencesUrl: string; preferences: Preferences }): string {
  const href = safeHref(preferencesUrl);
  const body = `<h1>You're subscribed</h1>
<p>Digests go out ${escapeHtml(scheduleInWords(preferences))}, starting with the next. Every email has links to change your preferences or unsubscribe.</p>
${href ? `<p><a class="button secondary" href="${href}">Change preferences</a></p>` : ''}`;
  return layout({ base, title: "You're subscribed", body });
}

/** Inputs of the preferences page. */
export interface PreferencesPageInput extends SiteBase {
  /** Preferences token, sent back in a hidden field. */
  token: string;
  values: SubscriptionForm;
  errors?: FieldErrors;
  /** A short confirmation such as "Saved.". */
  notice?: string;
  /** How many papers the filter picks from one day's list. */
  preview?: { picked: number; listed: number; day: string } | undefined;
  timeZones: readonly TimeZoneGroup[];
  /** Where the "Unsubscribe" link goes; no link when absent. */
  unsubscribeUrl?: string;
  /** Whether the stored subscription is paused (the form may show unsaved changes): the page then offers to resume. */
  pausedNow?: boolean;
  /** What the reader's "More like this" / "Fewer like this" clicks taught; the section is left out without it. */
  learned?: ProfileSummary | undefined;
}

/** `a, b and c`. */
const listed = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** What the reader's clicks taught, in words, with the button that forgets it. */
function learnedSection(base: string, token: string, learned: ProfileSummary): string {
  const heading = '<h2 id="learned-heading">What your clicks taught us</h2>';
  if (learned.more + learned.fewer === 0) {
    return `<section class="learned" aria-labelledby="learned-heading">${heading}
<p class="help">Each paper in your digest has "More like this" and "Fewer like this" links. Use them and your digest learns what you want, from the next one on.</p>
</section>`;
  }
  const papers = (count: number) => `${count} ${count === 1 ? 'paper' : 'papers'}`;
  const asked = [learned.more > 0 ? `more like ${papers(learned.more)}` : '', learned.fewer > 0 ? `fewer like ${papers(learned.fewer)}` : '']
    .filter(Boolean)
    .join(' and ');
  const { terms, authors, categories } = learned.towards;
  const towards = [
    terms.length > 0 ? `words: ${listed(terms)}` : '',
    authors.length > 0 ? `authors: ${listed(authors)}` : '',
    categories.length > 0 ? `categories: ${listed(categories)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `<section class="learned" aria-labelledby="learned-heading">${heading}
<p>You asked for ${escapeHtml(asked)}.</p>
${
  towards
    ? `<p>Leaning towards ${escapeHtml(towards)}.</p>
`
    : ''
}${
    learned.awayFrom.length > 0
      ? `<p>Leaning away from ${escapeHtml(listed(learned.awayFrom))}.</p>
`
      : ''
  }${
    learned.fewer > 0 ? '<p class="help">Papers you marked "fewer" are not picked for you again.</p>\n' : ''
  }<form method="post" action="${escapeHtml(sitePath(base, '/preferences'))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><button type="submit" class="button secondary" name="action" value="forget-feedback">Forget what my clicks taught</button></p>
</form>
</section>`;
}

/** A paused reader's way back, above the form: one button. */
function resumeForm(base: string, token: string): string {
  return `<div class="notice"><p>Your digests are paused.</p>
<form method="post" action="${escapeHtml(sitePath(base, '/preferences'))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><button type="submit" class="button" name="action" value="resume">Resume digests</button></p>
</form>
</div>
`;
}

/** The preferences form, posting to `preferences` under the site's base; the address is shown but cannot be changed. */
export function preferencesPage({
  base,
  token,
  values,
  errors = {},
  notice,
  preview,
  timeZones,
  unsubscribeUrl,
  pausedNow = false,
  learned,
}: PreferencesPageInput): string {
  const unsubscribeHref = safeHref(unsubscribeUrl);
  const previewText = preview
    ? `<p class="lead">Your filter picks ${preview.picked === 0 ? 'none' : formatCount(preview.picked)} of the ${countOf(preview.listed, 'paper')} listed on ${escapeHtml(formatLongDate(preview.day))}.</p>\n`
    : '';
  const body = `<h1>Your preferences</h1>
${notice ? `<div class="notice" role="status"><p>${escapeHtml(notice)}</p></div>\n` : ''}${errorSummary(errors)}${
    values.email ? `<p>Digests go to <span class="readonly">${escapeHtml(values.email)}</span>.</p>\n` : ''
  }${pausedNow ? resumeForm(base, token) : ''}${previewText}<form method="post" action="${escapeHtml(sitePath(base, '/preferences'))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${topicsField(values.topics, errors, undefined)}
${scheduleFields(values, errors, timeZones, false)}
<div class="field">
<label class="choice" for="paused"><input type="checkbox" id="paused" name="paused" value="on"${values.paused ? ' checked' : ''}> Pause digests</label>
</div>
<button type="submit" class="button wide" name="action" value="save">Save preferences</button>
</form>
${learned ? `${learnedSection(base, token, learned)}\n` : ''}${unsubscribeHref ? `<p class="help"><a href="${unsubscribeHref}">Unsubscribe</a></p>` : ''}`;
  return layout({ base, title: titleWithErrors('Your preferences', errors), body });
}

/** Where a reader's subscription stands, as the pages reached by their signed links tell it. */
export interface ReaderStanding {
  /** The address masked (`j***@example.org`): the link may have been forwarded. */
  address: string;
  state: 'subscribed' | 'paused' | 'weekly' | 'unsubscribed';
  frequency: 'daily' | 'weekly';
  /** 1 (Monday) to 7: the day of weekly digests, and the day a switch to weekly would use. */
  weekday: number;
}

/** `Monday` for 1 to `Sunday` for 7, as the forms number weekdays. */
export const weekdayName = (weekday: number): string => WEEKDAYS[weekday - 1] ?? WEEKDAYS[0];

/** "You get a digest every day." and the like: the reader's schedule in one sentence. */
function standingSentence({ state, frequency, weekday }: ReaderStanding): string {
  const schedule = frequency === 'weekly' ? `one digest a week, on ${weekdayName(weekday)}s` : 'a digest every day';
  if (state === 'paused') return `Your digests (${schedule}) are paused.`;
  if (state === 'unsubscribed') return 'You get no digests.';
  return `You get ${schedule}.`;
}

/** The alternatives to unsubscribing that change something for a reader in this state. */
export type UnsubscribeAlternative = 'pause' | 'resume' | 'weekly';

export function alternativesFor(standing: ReaderStanding): UnsubscribeAlternative[] {
  if (standing.state === 'paused') return ['resume'];
  if (standing.state === 'weekly') return ['pause'];
  if (standing.state === 'subscribed') return ['pause', 'weekly'];
  return [];
}

/** The unsubscribe link's token, which every form of the page posts back, and the reader's standing. */
export interface UnsubscribePageInput extends SiteBase {
  unsubscribeToken: string;
  standing: ReaderStanding;
}

/**
 * Asks before unsubscribing, naming the address (masked) and its schedule, and offering only the
 * alternatives that change something: pause, weekly (on the reader's day), or resume. Every form
 * posts to the same unsubscribe URL (with an `action` for the alternatives), so the page never
 * hands out a longer-lived preferences link to whoever holds an unsubscribe link.
 */
export function unsubscribePage({ base, unsubscribeToken, standing }: UnsubscribePageInput): string {
  const action = escapeHtml(sitePath(base, `/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`));
  const labels: Record<UnsubscribeAlternative, string> = {
    pause: 'Pause instead',
    resume: 'Resume digests',
    weekly: `Switch to weekly (${weekdayName(standing.weekday)}s)`,
  };
  const alternatives = alternativesFor(standing).map(
    (choice) => `<form method="post" action="${action}">
<input type="hidden" name="action" value="${choice}">
<button type="submit" class="button secondary">${escapeHtml(labels[choice])}</button>
</form>`,
  );
  const body = `<h1>Unsubscribe ${escapeHtml(standing.address)}?</h1>
<p>${escapeHtml(standingSentence(standing))} After unsubscribing you will get no more digests.</p>
<form method="post" action="${action}">
<input type="hidden" name="confirm" value="yes">
<p><button type="submit" class="button wide">Unsubscribe</button></p>
</form>
<p class="lead">${standing.state === 'paused' ? 'Want them back instead?' : 'Too many emails? You can also:'}</p>
<div class="actions">
${alternatives.join('\n')}
</div>`;
  return layout({ base, title: 'Unsubscribe', body });
}

/** Shown after unsubscribing, and to an unsubscribed reader's unsubscribe link; names the address when known. */
export function unsubscribedPage({ base, address }: SiteBase & { address?: string }): string {
  const body = `<h1>You're unsubscribed</h1>
<p>${address ? `${escapeHtml(address)} won't get` : "You won't get"} any more digests.</p>
<p><a href="${escapeHtml(sitePath(base, '/'))}">Sign up again</a> whenever you like.</p>`;
  return layout({ base, title: "You're unsubscribed", body });
}

/**
 * An unsubscribed reader's preferences link: offers to subscribe again with the settings they had,
 * through the usual sign-up (a confirmation email first). The form carries the address, which only
 * the holder of this signed link sees, as on the preferences page.
 */
export function resubscribePage({
  base,
  email,
  standing,
  preferences,
}: SiteBase & { email: string; standing: ReaderStanding; preferences: Preferences }): string {
  const hidden = (name: string, value: string | number) => `<input type="hidden" name="${name}" value="${escapeHtml(String(value))}">`;
  const body = `<h1>You're unsubscribed</h1>
<p>${escapeHtml(standing.address)} gets no digests. Subscribe again with the settings you had?</p>
${settingsSummary(preferences)}
<form method="post" action="${escapeHtml(sitePath(base, '/subscribe'))}">
${hidden('email', email)}
${hidden('topics', preferences.topics)}
${hidden('frequency', preferences.frequency)}
${hidden('weekday', preferences.weekday)}
${hidden('hour', preferences.hour)}
${hidden('timeZone', preferences.timeZone)}
${hidden('maxPapers', preferences.maxPapers)}
${preferences.sendEmptyDigest ? `${hidden('sendEmptyDigest', 'on')}\n` : ''}<p><button type="submit" class="button wide">Subscribe again</button></p>
</form>
<p class="lead">We send a confirmation link first. To change the settings, <a href="${escapeHtml(sitePath(base, `/?topics=${encodeURIComponent(preferences.topics)}`))}">use the sign-up form</a>.</p>`;
  return layout({ base, title: "You're unsubscribed", body });
}

/** Inputs of a generic message page. */
export interface MessagePageInput extends SiteBase {
  title: string;
  message: string;
  /** A same-site path or http(s) URL; other schemes are dropped. */
  linkHref?: string;
  linkText?: string;
}

/** A plain page for errors and notices: expired links, rate limits, oversized bodies, 404s. */
export function messagePage({ base, title, message, linkHref, linkText }: MessagePageInput): string {
  const href = safeHref(linkHref);
  const body = `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
${href ? `<p><a href="${href}">${escapeHtml(linkText || 'Continue')}</a></p>` : ''}`;
  return layout({ base, title, body });
}
