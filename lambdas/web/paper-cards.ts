// The papers' cards as the site shows them (the digest's own cards, from core/render): the daily papers page's list and the sign-up page's sample.
import { escapeHtml } from '../core/render/html';
import type { PaperCard } from '../core/render/digest-view';
import { sitePath } from './base-path';

/** The path of a day's page, keeping the filter. */
export function papersPath(base: string, day: string, topics: string): string {
  return sitePath(base, `/papers/${day}${topics ? `?topics=${encodeURIComponent(topics)}` : ''}`);
}

/** `abstractHtml` and `whyHtml` come escaped from the renderer, the topic's words in <b>, as in the digest. */
function cardHtml(card: PaperCard): string {
  const title = card.titleUrl ? `<a href="${escapeHtml(card.titleUrl)}">${escapeHtml(card.title)}</a>` : escapeHtml(card.title);
  const line = (className: string, text: string) => (text ? `\n<p class="${className}">${escapeHtml(text)}</p>` : '');
  const links = card.links.length
    ? `\n<ul class="links">${card.links.map((link) => `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></li>`).join('')}</ul>`
    : '';
  return `<li class="card paper">
<h3>${title}</h3>${line('meta', card.authors)}${line('meta', card.stats)}${card.abstractHtml ? `\n<p class="abstract">${card.abstractHtml}</p>` : ''}${card.whyHtml ? `\n<p class="why">Why: ${card.whyHtml}</p>` : ''}${links}
</li>`;
}

/** The cards as an ordered list; '' for none. */
export function paperListHtml(cards: readonly PaperCard[]): string {
  return cards.length ? `<ol class="papers">\n${cards.map(cardHtml).join('\n')}\n</ol>` : '';
}
