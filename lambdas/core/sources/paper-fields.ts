// Small field normalisers shared by the source parsers: timestamps, safe links, text lists.
import { safeHttpUrl } from '../safe-url';
import { cleanText } from './clean-text';

/** ISO 8601 timestamp of `raw` (ISO or RFC 822 date), or midnight UTC of `fallbackDay` when absent or unreadable. */
export function isoTimestamp(raw: string | undefined, fallbackDay: string): string {
  const parsed = raw === undefined ? Number.NaN : Date.parse(raw);
  return Number.isNaN(parsed) ? `${fallbackDay}T00:00:00.000Z` : new Date(parsed).toISOString();
}

/**
 * `raw`, trimmed, when safeHttpUrl accepts it (so no "javascript:" link reaches an email), else
 * undefined. Stored as the feed spells it; the renderer vets it again and writes the normalised form.
 */
export function httpUrl(raw: string | undefined): string | undefined {
  return safeHttpUrl(raw) ? raw!.trim() : undefined;
}

/** Cleaned, non-empty, distinct texts, in order. */
export function cleanTexts(texts: readonly string[]): string[] {
  return [...new Set(texts.map(cleanText).filter((text) => text.length > 0))];
}

/** A count from a source: a finite non-negative number, else 0. */
export function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
