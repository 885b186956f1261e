// Parses arXiv API Atom responses (the 2025+ format and the older one with inline namespaces) into papers.
import type { ArxivMetadata, ArxivRecord, Paper, SkippedItem, SourceBatch } from '../model';
import { arxivLinks, isArxivCategory, normaliseArxivId } from './arxiv-id';
import { FIELD_LIMITS } from './field-limits';
import { cleanField, cleanTexts, isoTimestamp } from './paper-fields';
import { SourceFormatError } from './source-format-error';
import { attribute, child, children, parseXmlDocument, textOf, type XmlNode } from './xml-document';

/** One page of an arXiv API response: its papers, how many entries it had, and the query's total. */
export interface ArxivAtomPage {
  batch: SourceBatch;
  /** Entries on this page, parsed or skipped (the paging loop stops on a short page). */
  entryCount: number;
  /** opensearch:totalResults: how many entries the whole query matches. */
  totalResults?: number;
}

/** Where arXiv's API puts the ids of the error entries it answers a bad query with. */
const ERROR_ENTRY_ID = /arxiv\.org\/api\/errors/i;

/**
 * Papers from an arXiv API Atom response, listed on `day`. Entries without a usable id or title
 * are skipped with a reason. Throws SourceFormatError when the text is not an Atom feed, or when
 * arXiv answered with an error entry (a rejected query), naming the error's id.
 */
export function parseArxivAtom(xml: string, day: string): SourceBatch {
  return parseArxivAtomPage(xml, day).batch;
}

/** parseArxivAtom, plus the counts a caller needs to page through a query. */
export function parseArxivAtomPage(xml: string, day: string): ArxivAtomPage {
  const feed = readFeed(xml);
  const entries = children(feed, 'entry');
  const errorEntry = entries.find(isErrorEntry);
  if (errorEntry !== undefined) {
    const errorId = (textOf(child(errorEntry, 'id')) ?? '').split('#')[1] ?? 'unknown';
    throw new SourceFormatError(`arXiv API answered with an error entry (${errorId.slice(0, 100)})`);
  }
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  for (const [index, entry] of entries.entries()) {
    const paper = toPaper(entry, day);
    if (typeof paper === 'string') skipped.push({ source: 'arxiv', reason: `entry ${index}: ${paper}`, ...idOf(entry) });
    else papers.push(paper);
  }
  const totalResults = readTotalResults(feed);
  return {
    batch: { source: 'arxiv', papers, skipped },
    entryCount: entries.length,
    ...(totalResults === undefined ? {} : { totalResults }),
  };
}

/**
 * The ids an arXiv API response was asked for with `id_list`, read from the feed's title (the query
 * it answers); undefined for a search query without one. Throws like parseArxivAtom.
 */
export function idListOf(xml: string): string[] | undefined {
  const title = textOf(child(readFeed(xml), 'title')) ?? '';
  const list = /[?&\s]id_list=([^&\s]+)/.exec(title.replaceAll('&amp;', '&'))?.[1];
  if (!list) return undefined;
  const ids = decodeURIComponent(list)
    .split(',')
    .map((raw) => normaliseArxivId(raw))
    .filter((id): id is string => id !== undefined);
  return ids.length > 0 ? ids : undefined;
}

/** arXiv's records in an API response (an `id_list` answer, say): each entry with categories. Throws like parseArxivAtom. */
export function parseArxivRecords(xml: string): ArxivRecord[] {
  const { papers } = parseArxivAtom(xml, '1970-01-01');
  return papers.flatMap(({ id, categories, arxiv }) => (arxiv ? [{ id, categories, arxiv }] : []));
}

/** opensearch:totalResults of an arXiv API response, or undefined when absent. Throws like parseArxivAtom. */
export function atomTotalResults(xml: string): number | undefined {
  return readTotalResults(readFeed(xml));
}

/** arXiv answers a rejected query with one entry titled "Error" whose id points at its error list. */
function isErrorEntry(entry: XmlNode): boolean {
  const rawId = textOf(child(entry, 'id')) ?? '';
  if (ERROR_ENTRY_ID.test(rawId)) return true;
  return textOf(child(entry, 'title'))?.trim() === 'Error' && normaliseArxivId(rawId) === undefined;
}

function readFeed(xml: string): XmlNode {
  const feed = parseXmlDocument(xml, 'arXiv API response', ['entry', 'author', 'category', 'link'])['feed'];
  if (feed === undefined) throw new SourceFormatError('arXiv API response is not an Atom feed');
  return feed;
}

function readTotalResults(feed: XmlNode): number | undefined {
  const total = Number(textOf(child(feed, 'totalResults')));
  return Number.isInteger(total) && total >= 0 ? total : undefined;
}

/** The paper, or the reason it cannot be one. */
function toPaper(entry: XmlNode, day: string): Paper | string {
  const rawId = textOf(child(entry, 'id'));
  if (rawId === undefined || rawId.trim() === '') return 'missing id';
  const id = normaliseArxivId(rawId);
  if (id === undefined) return 'id is not an arXiv id';
  const title = cleanField(textOf(child(entry, 'title')) ?? '', FIELD_LIMITS.title);
  if (title === '') return 'missing title';
  const primary = attribute(child(entry, 'primary_category'), 'term');
  const terms = children(entry, 'category').map((category) => attribute(category, 'term') ?? '');
  const categories = [...new Set([primary ?? '', ...terms].map((term) => term.trim()).filter(isArxivCategory))].slice(0, FIELD_LIMITS.categories.count);
  const arxiv = metadataOf(entry, rawId, categories);
  return {
    id,
    title,
    abstract: cleanField(textOf(child(entry, 'summary')) ?? '', FIELD_LIMITS.abstract),
    authors: cleanTexts(
      children(entry, 'author').map((author) => textOf(child(author, 'name')) ?? ''),
      FIELD_LIMITS.authors,
    ),
    categories,
    publishedAt: isoTimestamp(textOf(child(entry, 'published')) ?? textOf(child(entry, 'updated')), day),
    links: arxivLinks(id),
    signals: { upvotes: 0, comments: 0, githubStars: 0 },
    keywords: [],
    ...(arxiv ? { arxiv } : {}),
    sources: ['arxiv'],
    listedOn: [day],
  };
}

/** arXiv's record of an entry: primary category, comment, journal reference and version; undefined without categories. */
function metadataOf(entry: XmlNode, rawId: string, categories: readonly string[]): ArxivMetadata | undefined {
  const primaryCategory = categories[0];
  if (primaryCategory === undefined) return undefined;
  const comment = cleanField(textOf(child(entry, 'comment')) ?? '', FIELD_LIMITS.arxivNote);
  const journalRef = cleanField(textOf(child(entry, 'journal_ref')) ?? '', FIELD_LIMITS.arxivNote);
  const version = Number(/v(\d+)\s*$/.exec(rawId)?.[1] ?? 1);
  return {
    primaryCategory,
    ...(comment ? { comment } : {}),
    ...(journalRef ? { journalRef } : {}),
    latestVersion: Number.isSafeInteger(version) && version > 0 ? version : 1,
  };
}

function idOf(entry: XmlNode): { id?: string } {
  const id = normaliseArxivId(textOf(child(entry, 'id')) ?? '');
  return id ? { id } : {};
}
