// Shaping feed text for display: one-line cleanup, truncation, author lists, counts, dates, wrapping.
import { dayStart } from '../day';
import { withoutLoneSurrogates } from '../sources/clean-text';

const ELLIPSIS = '…';
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const INVISIBLE_CONTROL = new RegExp(INVISIBLE_CONTROLS.source);
/** Whitespace that is not already a single plain space. */
const UNTIDY_WHITESPACES = /\s{2,}|[^\S ]/g;
const UNTIDY_WHITESPACE = new RegExp(UNTIDY_WHITESPACES.source);
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Text on one line: control and direction-override characters and lone surrogates (which no
 * mail header can carry) removed, whitespace runs collapsed.
 */
export function singleLine(text: string): string {
  // Most feed text is already clean: test before replacing, and replace only runs that change.
  const wellFormed = withoutLoneSurrogates(text);
  const visible = INVISIBLE_CONTROL.test(wellFormed) ? wellFormed.replace(INVISIBLE_CONTROLS, '') : wellFormed;
  return (UNTIDY_WHITESPACE.test(visible) ? visible.replace(UNTIDY_WHITESPACES, ' ') : visible).trim();
}

/**
 * `text` cut to at most `maxLength` characters, ellipsis included: at the last space when one falls
 * in the final 40%, otherwise mid-word. Trailing punctuation before the ellipsis is dropped.
 */
export function truncateAtWordBoundary(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let cut = maxLength - ELLIPSIS.length;
  const lastSpace = text.lastIndexOf(' ', cut);
  if (lastSpace >= cut * 0.6) cut = lastSpace;
  else if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return text.slice(0, cut).replace(/[\s,;:.\-–—]+$/, '') + ELLIPSIS;
}

/**
 * `truncateAtWordBoundary(singleLine(text), maxLength)`, cleaning only as much of `text` as the cut
 * needs: a 4,000-character abstract shown as 300 characters costs a 600-character cleanup. The
 * result is the same, because the cut never reaches the end of a prefix longer than `maxLength`.
 */
export function oneLineClipped(text: string, maxLength: number): string {
  for (let window = maxLength * 2 + 16; ; window *= 4) {
    if (window >= text.length) return truncateAtWordBoundary(singleLine(text), maxLength);
    const cleaned = singleLine(text.slice(0, window));
    if (cleaned.length > maxLength) return truncateAtWordBoundary(cleaned, maxLength);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Longest author name shown before it is truncated. */
export const MAX_AUTHOR_NAME_LENGTH = 60;

/** 'A, B, C et al.' beyond `shown` names; every name on one line and of bounded length. */
export function shortenAuthorList(authors: readonly string[], shown = 3): string {
  const names: string[] = [];
  for (const author of authors) {
    const name = oneLineClipped(author, MAX_AUTHOR_NAME_LENGTH);
    if (name.length === 0) continue;
    // One name past those shown is enough to know the list needs 'et al.'.
    if (names.length === shown) return `${names.join(', ')} et al.`;
    names.push(name);
  }
  return names.join(', ');
}

const COUNT_UNITS: ReadonlyArray<[number, string]> = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Counts from here up read as this: no paper comes near it, and String() of a bigger one is '1e+21'. */
const COUNT_CEILING = 1e15;

/**
 * The one way a count is shown, on the card and in the why line: exact below 10,000 (small counts
 * are what readers compare), then three significant figures. 987 -> '987', 4321 -> '4,321',
 * 12345 -> '12.3k', 2500000 -> '2.5M', 1e305 -> '1,000,000B+'; negative or NaN -> '0'.
 */
export function formatCount(count: number): string {
  if (Number.isNaN(count) || count <= 0) return '0';
  if (count >= COUNT_CEILING) return `${groupThousands(COUNT_CEILING / 1e9)}B+`;
  const whole = Math.floor(count);
  if (whole < 10_000) return groupThousands(whole);
  for (const [size, suffix] of COUNT_UNITS) {
    if (whole >= size * 0.9995) {
      const scaled = (whole / size).toFixed(whole >= size * 99.95 ? 0 : 1).replace(/\.0$/, '');
      return `${scaled.includes('.') ? scaled : groupThousands(Number(scaled))}${suffix}`;
    }
  }
  return String(whole);
}

/** 4321 -> '4,321'; Intl's toLocaleString costs microseconds per call on the render path. */
function groupThousands(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** '1 paper', '7 papers'. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** Date wording memoised per date: a batch of digests shares one or two dates. */
function memoisedByDate(format: (isoDate: string) => string): (isoDate: string) => string {
  const known = new Map<string, string>();
  return (isoDate) => {
    let formatted = known.get(isoDate);
    if (formatted === undefined) {
      formatted = format(isoDate);
      if (known.size >= 64) known.clear();
      known.set(isoDate, formatted);
    }
    return formatted;
  };
}

/** '2026-11-28' -> 'Saturday 28 November 2026'. */
export const formatLongDate = memoisedByDate(formatLongDateOnce);

/** '2026-11-28' -> 'Sat 28 Nov'. */
export const formatShortDate = memoisedByDate(formatShortDateOnce);

function formatLongDateOnce(isoDate: string): string {
  const date = dayStart(isoDate);
  return `${WEEKDAY_NAMES[date.getUTCDay()]} ${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function formatShortDateOnce(isoDate: string): string {
  const date = dayStart(isoDate);
  const weekday = WEEKDAY_NAMES[date.getUTCDay()]?.slice(0, 3);
  return `${weekday} ${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]?.slice(0, 3)}`;
}

/** Lines of at most `width` characters, breaking at spaces; a longer word (a URL) keeps a line to itself. */
export function wrapText(text: string, width: number): string[] {
  // Greedy by index rather than by words: one slice per line instead of one string per word.
  if (text.includes('  ')) return wrapText(text.replace(/ {2,}/g, ' '), width);
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.charCodeAt(start) === 32) {
      start += 1;
      continue;
    }
    if (text.length - start <= width) {
      const rest = text.slice(start).trimEnd();
      if (rest) lines.push(rest);
      break;
    }
    let cut = text.lastIndexOf(' ', start + width);
    if (cut <= start) {
      cut = text.indexOf(' ', start + width);
      if (cut < 0) cut = text.length;
    }
    lines.push(text.slice(start, cut));
    start = cut + 1;
  }
  return lines;
}
