// The plain-text part of a digest email, laid out from the same DigestView as the HTML part.
import type { DigestView, PaperCard } from './digest-view';
import { wrapText } from './text-format';

const LINE_WIDTH = 72;
const SECTION_RULE = '='.repeat(LINE_WIDTH);
const CARD_RULE = '-'.repeat(LINE_WIDTH);

/** A readable plain-text digest: header, numbered cards with their links, footer. */
export function digestText(view: DigestView): string {
  const header = [
    `Papertrend · ${view.frequencyLabel}`,
    view.dateLong,
    ...wrapText(view.headline, LINE_WIDTH),
    ...(view.viewUrl ? ['', `View in browser: ${view.viewUrl}`] : []),
  ];
  const body =
    view.papers.length > 0
      ? view.papers.map((card, index) => cardText(card, index + 1, numberWidth(view.papers.length))).join(`\n${CARD_RULE}\n\n`)
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

/** Digits of the largest card number: numbers are right-aligned to it, so titles line up past 9 (" 9. ", "10. "). */
function numberWidth(cards: number): number {
  return String(cards).length;
}

interface CardBody {
  firstTitleLine: string;
  rest: string;
  links: string;
}

/**
 * The wrapped title, authors, stats and abstract of a card, laid out once per paper and indent: cards
 * of the same paper and detail share their `links` array (see paperCardOf), so it keys the cache.
 */
const cardBodies = new WeakMap<PaperCard['links'], Map<string, CardBody>>();

function cardBody(card: PaperCard, indent: string): CardBody {
  let byIndent = cardBodies.get(card.links);
  if (!byIndent) cardBodies.set(card.links, (byIndent = new Map()));
  let body = byIndent.get(indent);
  if (!body) {
    const width = LINE_WIDTH - indent.length;
    const [firstTitleLine = '', ...moreTitleLines] = wrapText(card.title, width);
    const rest = indented(moreTitleLines, indent);
    if (card.authors) rest.push(...indented(wrapText(card.authors, width), indent));
    if (card.stats) rest.push(indent + card.stats);
    if (card.abstract) rest.push('', ...indented(wrapText(card.abstract, width), indent));
    const labelWidth = Math.max(0, ...card.links.map((link) => link.label.length)) + 2;
    const links = card.links.map((link) => `\n${indent}${`${link.label}:`.padEnd(labelWidth)}${link.url}`).join('');
    body = { firstTitleLine, rest: rest.map((line) => `\n${line}`).join(''), links: links ? `\n${links}` : '' };
    byIndent.set(indent, body);
  }
  return body;
}

function cardText(card: PaperCard, number: number, width: number): string {
  const indent = ' '.repeat(width + 2);
  const { firstTitleLine, rest, links } = cardBody(card, indent);
  const why = card.why ? `\n\n${indented(wrapText(`Why: ${card.why}`, LINE_WIDTH - indent.length), indent).join('\n')}` : '';
  const feedback = card.feedbackUrl ? `\n${indent}More or fewer like this: ${card.feedbackUrl}` : '';
  return `${String(number).padStart(width)}. ${firstTitleLine}${rest}${why}${links}${feedback}\n`;
}

function indented(lines: string[], indent: string): string[] {
  return lines.map((line) => indent + line);
}
