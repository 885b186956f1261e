// The plain-text part of a digest email, laid out from the same DigestView as the HTML part.
import type { DigestView, PaperCard } from './digest-view';
import { wrapText } from './text-format';

const LINE_WIDTH = 72;
const CARD_INDENT = '   ';
const SECTION_RULE = '='.repeat(LINE_WIDTH);
const CARD_RULE = '-'.repeat(LINE_WIDTH);

/** A readable plain-text digest: header, numbered cards with their links, footer. */
export function digestText(view: DigestView): string {
  const header = [`Papertrend · ${view.frequencyLabel}`, view.dateLong, ...wrapText(view.headline, LINE_WIDTH)];
  const body =
    view.papers.length > 0
      ? view.papers.map((card, index) => cardText(card, index + 1)).join(`\n${CARD_RULE}\n\n`)
      : [view.emptyHeading, ...wrapText(view.emptyMessage, LINE_WIDTH)].join('\n') + '\n';
  const footer = [
    ...wrapText(`You receive this ${view.frequencyWord} digest from Papertrend for: ${view.topicsLabel}`, LINE_WIDTH),
    '',
    `Change preferences: ${view.preferencesUrl}`,
    `Unsubscribe: ${view.unsubscribeUrl}`,
    '',
    ...wrapText(view.postalAddress, LINE_WIDTH),
  ];
  return [header.join('\n'), SECTION_RULE, `${body}\n${SECTION_RULE}`, footer.join('\n')].join('\n\n') + '\n';
}

/**
 * The wrapped title, authors, stats and abstract of a card, laid out once per paper: cards of the
 * same paper and detail share their `links` array (see paperCardOf), so it keys the cache.
 */
const cardBodies = new WeakMap<PaperCard['links'], { firstTitleLine: string; rest: string; links: string }>();

function cardBody(card: PaperCard): { firstTitleLine: string; rest: string; links: string } {
  let body = cardBodies.get(card.links);
  if (!body) {
    const [firstTitleLine = '', ...moreTitleLines] = wrapText(card.title, LINE_WIDTH - CARD_INDENT.length);
    const rest = indented(moreTitleLines);
    if (card.authors) rest.push(...indented(wrapText(card.authors, LINE_WIDTH - CARD_INDENT.length)));
    if (card.stats) rest.push(CARD_INDENT + card.stats);
    if (card.abstract) rest.push('', ...indented(wrapText(card.abstract, LINE_WIDTH - CARD_INDENT.length)));
    const labelWidth = Math.max(0, ...card.links.map((link) => link.label.length)) + 2;
    const links = card.links.map((link) => `\n${CARD_INDENT}${`${link.label}:`.padEnd(labelWidth)}${link.url}`).join('');
    body = { firstTitleLine, rest: rest.map((line) => `\n${line}`).join(''), links: links ? `\n${links}` : '' };
    cardBodies.set(card.links, body);
  }
  return body;
}

function cardText(card: PaperCard, number: number): string {
  const { firstTitleLine, rest, links } = cardBody(card);
  const why = card.why ? `\n\n${indented(wrapText(`Why: ${card.why}`, LINE_WIDTH - CARD_INDENT.length)).join('\n')}` : '';
  return `${`${number}.`.padEnd(CARD_INDENT.length)}${firstTitleLine}${rest}${why}${links}\n`;
}

function indented(lines: string[]): string[] {
  return lines.map((line) => CARD_INDENT + line);
}
