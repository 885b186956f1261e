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

function cardText(card: PaperCard, number: number): string {
  const numberPrefix = `${number}.`.padEnd(CARD_INDENT.length);
  const [firstTitleLine = '', ...moreTitleLines] = wrapText(card.title, LINE_WIDTH - CARD_INDENT.length);
  const lines = [numberPrefix + firstTitleLine, ...indented(moreTitleLines)];
  if (card.authors) lines.push(...indented(wrapText(card.authors, LINE_WIDTH - CARD_INDENT.length)));
  if (card.stats) lines.push(CARD_INDENT + card.stats);
  if (card.abstract) lines.push('', ...indented(wrapText(card.abstract, LINE_WIDTH - CARD_INDENT.length)));
  if (card.why) lines.push('', ...indented(wrapText(`Why: ${card.why}`, LINE_WIDTH - CARD_INDENT.length)));
  if (card.links.length > 0) {
    const labelWidth = Math.max(...card.links.map((link) => link.label.length)) + 2;
    lines.push('', ...card.links.map((link) => `${CARD_INDENT}${`${link.label}:`.padEnd(labelWidth)}${link.url}`));
  }
  return lines.join('\n') + '\n';
}

function indented(lines: string[]): string[] {
  return lines.map((line) => CARD_INDENT + line);
}
