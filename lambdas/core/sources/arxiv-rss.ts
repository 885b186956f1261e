// Parses an arXiv RSS listing (rss.arxiv.org, 2024+ format) into the day's new and cross-listed papers.
import type { Paper, SkippedItem, SourceBatch } from '../model';
import { arxivLinks, isArxivCategory, normaliseArxivId } from './arxiv-id';
import { cleanText } from './clean-text';
import { FIELD_LIMITS, RAW_TEXT_FACTOR, clip } from './field-limits';
import { cleanField, cleanTexts, isoTimestamp } from './paper-fields';
import { SourceFormatError } from './source-format-error';
import { child, children, parseXmlDocument, textOf, type XmlNode } from './xml-document';

/** A parsed RSS listing; `filtered` counts the well-formed items left out on purpose (replacements). */
export interface ArxivRssBatch extends SourceBatch {
  filtered: number;
}

/**
 * Announce types that are news on the day: "new" submissions and "cross"-lists from other
 * categories. "replace" and "replace-cross" announce new versions of older papers; they are
 * left out and counted in `filtered`, not in `skipped`. Items without a type (older feeds) are kept.
 */
const LISTED_ANNOUNCE_TYPES = new Set(['new', 'cross']);

/** "arXiv:2604.21952v1 Announce Type: new \nAbstract: " in front of each description. */
const DESCRIPTION_PREFIX = /^\s*arXiv:\S+\s+Announce Type:\s*\S+\s*Abstract:\s*/i;

/** The raw "dc:creator" list read: enough for FIELD_LIMITS.authors, the rest is never looked at. */
const AUTHOR_LIST_RAW_LENGTH = FIELD_LIMITS.authors.count * FIELD_LIMITS.authors.length * RAW_TEXT_FACTOR;

/**
 * The new and cross-listed papers of an arXiv RSS listing, listed on `day`. Items without a
 * usable id or title are skipped with a reason. Throws SourceFormatError when the text is not RSS.
 */
export function parseArxivRss(xml: string, day: string): ArxivRssBatch {
  const document = parseXmlDocument(xml, 'arXiv RSS listing', ['item', 'category']);
  const channel = child(document['rss'], 'channel');
  if (channel === undefined) throw new SourceFormatError('arXiv RSS listing is not an RSS channel');
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  let filtered = 0;
  for (const [index, item] of children(channel, 'item').entries()) {
    const announceType = textOf(child(item, 'announce_type'))?.trim().toLowerCase();
    if (announceType !== undefined && !LISTED_ANNOUNCE_TYPES.has(announceType)) {
      filtered += 1;
      continue;
    }
    const paper = toPaper(item, day);
    if (typeof paper === 'string') skipped.push({ source: 'arxiv', reason: `item ${index}: ${paper}`, ...withId(idOf(item)) });
    else papers.push(paper);
  }
  return { source: 'arxiv', papers, skipped, filtered };
}

/** The item's arXiv id, from its OAI guid, its link, or the "arXiv:ID" opening its description. */
function idOf(item: XmlNode): string | undefined {
  const candidates = [textOf(child(item, 'guid')), textOf(child(item, 'link')), /^\s*arXiv:(\S+)/i.exec(textOf(child(item, 'description')) ?? '')?.[1]];
  for (const candidate of candidates) {
    const id = candidate === undefined ? undefined : normaliseArxivId(candidate);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The paper, or the reason it cannot be one. */
function toPaper(item: XmlNode, day: string): Paper | string {
  const id = idOf(item);
  if (id === undefined) return 'missing arXiv id';
  const title = cleanField(textOf(child(item, 'title')) ?? '', FIELD_LIMITS.title);
  if (title === '') return 'missing title';
  const creators = textOf(child(item, 'creator')) ?? '';
  return {
    id,
    title,
    abstract: cleanField((textOf(child(item, 'description')) ?? '').replace(DESCRIPTION_PREFIX, ''), FIELD_LIMITS.abstract),
    authors: cleanTexts(cleanText(clip(creators, AUTHOR_LIST_RAW_LENGTH)).split(/\s*,\s*|\s+and\s+/), FIELD_LIMITS.authors),
    categories: [
      ...new Set(
        children(item, 'category')
          .map((category) => (textOf(category) ?? '').trim())
          .filter(isArxivCategory),
      ),
    ].slice(0, FIELD_LIMITS.categories.count),
    publishedAt: isoTimestamp(textOf(child(item, 'pubDate')), day),
    links: arxivLinks(id),
    signals: { upvotes: 0, comments: 0, githubStars: 0 },
    keywords: [],
    sources: ['arxiv'],
    listedOn: [day],
  };
}

function withId(id: string | undefined): { id?: string } {
  return id === undefined ? {} : { id };
}
