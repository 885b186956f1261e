// A why line (PickedPaper.why) as plain text and as safe HTML with the matched words in bold, clipped alike.
import type { WhyPart } from '../model';
import { escapeHtml } from './html';
import { truncateAtWordBoundary } from './text-format';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** A part's text on one line: controls and invisible marks dropped, whitespace runs made one space. */
function tidy(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ');
}

/** The line as plain text, without markup. */
export function whyText(parts: readonly WhyPart[]): string {
  return parts
    .map((part) => tidy(part.text))
    .join('')
    .trim();
}

/** The line as HTML: every part escaped, matched words in <b>. */
export function whyHtml(parts: readonly WhyPart[]): string {
  return parts.map((part) => (part.match ? `<b>${escapeHtml(tidy(part.text))}</b>` : escapeHtml(tidy(part.text)))).join('');
}

/**
 * The parts with at most `maxLength` characters of text, cut as truncateAtWordBoundary cuts a line
 * (ellipsis included); a matched word the cut falls in keeps its bold on what is left of it.
 */
export function clipWhy(parts: readonly WhyPart[], maxLength: number): WhyPart[] {
  const tidied = parts.map((part) => ({ ...part, text: tidy(part.text) }));
  const full = tidied.map((part) => part.text).join('');
  if (full.length <= maxLength) return tidied;
  const clipped = truncateAtWordBoundary(full, maxLength);
  const kept = clipped.endsWith('…') ? clipped.slice(0, -1) : clipped;
  const out: WhyPart[] = [];
  let used = 0;
  for (const part of tidied) {
    if (used >= kept.length) break;
    const text = part.text.slice(0, kept.length - used);
    out.push(part.match ? { text, match: true } : { text });
    used += text.length;
  }
  if (kept.length < clipped.length) out.push({ text: '…' });
  return out;
}
