// The sign-up page's sample of the digest: the cards a filter picks from the latest listed day, on the page and served alone for the page's script to swap in.
import type { PaperCard } from '../core/render/digest-view';
import { escapeHtml } from '../core/render/html';
import { formatLongDate, oneLineClipped } from '../core/render/text-format';
import { sitePath } from './base-path';
import { paperListHtml, papersPath } from './paper-cards';

/** How many cards the sample shows: enough to see what a digest holds, few enough to keep the form in view. */
export const SAMPLE_CARDS = 3;

/** What the sample shows. */
export interface DigestSample {
  base: string;
  /** The filter the sample is for, as typed ('' for the top trending). */
  topics: string;
  /** The latest listed day's pick: its first SAMPLE_CARDS cards, how many were picked and listed. Absent when the day could not be read or the topics do not parse. */
  shown?: { day: string; cards: readonly PaperCard[]; picked: number; listed: number } | undefined;
  /** The topics do not parse (the form shows why): no sample. */
  invalid?: boolean;
}

/** The sample's one sentence, also what a screen reader hears when the script swaps the cards. */
function statusLine({ topics, shown, invalid }: DigestSample): string {
  if (invalid) return 'Fix the topics to see a sample.';
  if (!shown) return "Today's papers cannot be shown right now; signing up works as usual.";
  const { day, cards, picked, listed } = shown;
  const dayText = formatLongDate(day);
  if (listed === 0) return `No papers have been listed on ${dayText} yet.`;
  if (!topics.trim()) return `The top ${cards.length} of ${listed} papers listed on ${dayText}; type topics and press Preview for yours.`;
  const filter = `“${oneLineClipped(topics.trim(), 60)}”`;
  if (picked === 0)
    return `${filter} picks none of the ${listed} papers listed on ${dayText}: on such a day you get no digest, or a short note if you ask for one.`;
  return `${filter} picks ${picked} of the ${listed} papers listed on ${dayText}${picked > cards.length ? `, best first; here are the first ${cards.length}` : ', best first'}.`;
}

/** A link to the day's page with the same filter, when it holds more than the sample. */
function moreLink({ base, topics, shown }: DigestSample): string {
  if (!shown) return '';
  const all = topics.trim() ? shown.picked : shown.listed;
  if (all <= shown.cards.length) return '';
  return `\n<p class="more"><a href="${escapeHtml(papersPath(base, shown.day, topics.trim()))}">See all ${all} on the ${escapeHtml(formatLongDate(shown.day))} page</a></p>`;
}

/**
 * The sample as a section: a heading, the sentence (a polite live region), and the cards. The page's
 * script fetches this same section from `/sample` and swaps in its cards and sentence.
 */
export function digestSample(sample: DigestSample): string {
  return `<section class="sample" id="sample" aria-labelledby="sample-title" data-url="${escapeHtml(sitePath(sample.base, '/sample'))}">
<h2 id="sample-title" tabindex="-1">A sample digest</h2>
<p class="lead" id="sample-status" role="status">${escapeHtml(statusLine(sample))}</p>
<div id="sample-cards">
${paperListHtml(sample.shown?.cards ?? [])}${moreLink(sample)}
</div>
</section>`;
}
