// The daily papers page: one day's cards (the digest's own, from core/render), day navigation, a topic filter, and the sign-up form beside them.
import { formatLongDate } from '../core/render/text-format';
import { escapeHtml } from '../core/render/html';
import type { PaperCard } from '../core/render/digest-view';
import type { TimeZoneGroup } from '../core/time-zones';
import { MAX_TOPIC_FILTER_LENGTH } from '../core/subscription';
import { sitePath } from './base-path';
import { papersPath, paperListHtml } from './paper-cards';
import type { FieldErrors } from './forms';
import { errorSummary, layout, subscriptionForm, titleWithErrors, type SiteBase } from './pages';

/** Inputs of the daily papers page. */
export interface PapersPageInput extends SiteBase {
  day: string;
  /** The filter as typed ('' for none); shown in the box even when it has an error. */
  topics: string;
  /** The day's cards in page order; empty when the day has none or the filter has an error. */
  cards: readonly PaperCard[];
  /** Papers listed on the day before any filter. */
  listed: number;
  /** The day before, and the day after when it is not in the future. */
  previousDay: string;
  nextDay?: string | undefined;
  /** An error in the filter (`topics`), shown at the box. */
  errors?: FieldErrors;
  timeZones: readonly TimeZoneGroup[];
}

/** What the list holds, in a sentence. */
function countLine({ cards, listed, topics, errors = {} }: PapersPageInput, dayText: string): string {
  if (errors.topics) return 'Fix the filter to see the papers.';
  if (listed === 0) return `No papers were listed on ${dayText}. Try the day before.`;
  if (!topics) return `The ${cards.length === listed ? listed : `${cards.length} most trending of ${listed}`} papers listed on ${dayText}.`;
  if (cards.length === 0) return `None of the ${listed} papers listed on ${dayText} match this filter.`;
  return `${cards.length} of the ${listed} papers listed on ${dayText} match, best first.`;
}

function filterForm(input: PapersPageInput): string {
  const { base, day, topics, errors = {} } = input;
  const invalid = errors.topics ? ' aria-invalid="true" aria-describedby="filter-help filter-error"' : ' aria-describedby="filter-help"';
  return `<form class="filter" method="get" action="${escapeHtml(sitePath(base, `/papers/${day}`))}">
<div class="field">
<label for="filter">Filter by topics</label>
<input type="text" id="filter" name="topics" maxlength="${MAX_TOPIC_FILTER_LENGTH}" autocapitalize="off" autocomplete="off" spellcheck="false" value="${escapeHtml(topics)}"${invalid}>
</div>
<button type="submit" class="button">Filter</button>
${topics ? `<a href="${escapeHtml(papersPath(base, day, ''))}">Clear filter</a>` : ''}
<p class="help" id="filter-help">The digest's own language: commas between topics, "quotes" for a phrase, <span class="nowrap">cat:cs.CL</span>, <span class="nowrap">author:"Name"</span>, <span class="nowrap">-word</span> to leave out.</p>
${errors.topics ? `<p class="error" id="filter-error">${escapeHtml(errors.topics)}</p>` : ''}
</form>`;
}

/** The daily papers page; the sign-up form beside the list is prefilled with the filter when it parses. */
export function papersPage(input: PapersPageInput): string {
  const { base, day, topics, cards, previousDay, nextDay, errors = {}, timeZones } = input;
  const dayText = formatLongDate(day);
  const nav = `<nav class="daynav" aria-label="Days">
<a href="${escapeHtml(papersPath(base, previousDay, topics))}" rel="prev">← ${escapeHtml(formatLongDate(previousDay))}</a>
${nextDay ? `<a href="${escapeHtml(papersPath(base, nextDay, topics))}" rel="next">${escapeHtml(formatLongDate(nextDay))} →</a>` : ''}
</nav>`;
  const list = paperListHtml(cards);
  const body = `<div class="daily">
<section aria-labelledby="papers-title">
<h1 id="papers-title">Trending papers, ${escapeHtml(dayText)}</h1>
${nav}
${errorSummary(errors, { topics: 'filter' })}${filterForm(input)}
<p class="lead" role="status">${escapeHtml(countLine(input, dayText))}</p>
${list}
</section>
<aside class="card" aria-labelledby="subscribe-title">
<h2 id="subscribe-title">Get ${topics && !errors.topics ? 'these' : 'trending papers'} by email</h2>
<p class="lead">Daily or weekly, at the hour you choose. We send a confirmation link first.</p>
${subscriptionForm({ base, values: { topics: errors.topics ? '' : topics }, timeZones, compact: true })}
</aside>
</div>`;
  const title = titleWithErrors(`Trending papers, ${dayText}`, errors);
  return layout({ base, title, body, withScript: true, noindex: false, wide: true });
}
