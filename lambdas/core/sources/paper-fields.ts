// Small field normalisers shared by the source parsers: timestamps, safe links, text lists.
import { safeHttpUrl } from '../safe-url';
import { cleanText } from './clean-text';
import { clip, RAW_TEXT_FACTOR } from './field-limits';

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

/**
 * `raw` cleaned and cut to `maxLength` (a FIELD_LIMITS entry). Only the first RAW_TEXT_FACTOR ×
 * `maxLength` characters are read, so the cost of a field never depends on how much a feed sent.
 */
export function cleanField(raw: string, maxLength: number): string {
  return clip(cleanText(clip(raw, maxLength * RAW_TEXT_FACTOR)), maxLength);
}

/** Cleaned, non-empty, distinct texts, in order, each cut to `limit.length`, at most `limit.count` of them. */
export function cleanTexts(texts: readonly string[], limit: { count: number; length: number }): string[] {
  const kept = new Set<string>();
  for (const text of texts) {
    if (kept.size >= limit.count) break;
    const cleaned = cleanField(text, limit.length);
    if (cleaned.length > 0) kept.add(cleaned);
  }
  return [...kept];
}

/** A count from a source: a finite non-negative number, else 0. */
export function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
