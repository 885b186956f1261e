// The one definition of how much of each paper field is kept at ingestion, so every item stays far below DynamoDB's 400 KB.

/**
 * Longest kept text per field, in UTF-16 code units, and the most list entries kept. Real arXiv
 * titles stay under 300 characters and abstracts under 2,000 (arXiv's own limit is 1,920); author
 * lists of collaborations reach a few thousand names, of which the digest shows three.
 * Worst case: (1,000 + 10,000 + 2,000 + 300 × 200 + 50 × 100) units × 3 UTF-8 bytes ≈ 234 KB.
 */
export const FIELD_LIMITS = {
  title: 1_000,
  abstract: 10_000,
  summary: 2_000,
  authors: { count: 300, length: 200 },
  keywords: { count: 50, length: 100 },
  categories: { count: 50 },
  /** arXiv's comment and journal reference: a line or two in practice. */
  arxivNote: 1_000,
} as const;

/**
 * Raw feed text read per field, as a multiple of its kept length: markup and character references
 * ("&amp;#177;") make raw text longer than the clean text. The rest is never looked at, so a 1 MB
 * title costs no more than a short one.
 */
export const RAW_TEXT_FACTOR = 8;

/** `text` cut to at most `maxLength` UTF-16 units, never between the two halves of a surrogate pair. */
export function clip(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const code = text.charCodeAt(maxLength - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxLength - 1 : maxLength);
}
