// The arXiv API as a PaperSource: the previous day's submissions in the configured categories, page by page.
import type { Paper, SkippedItem, SourceBatch } from '../../core/model';
import { isArxivCategory } from '../../core/sources/arxiv-id';
import { parseArxivAtomPage } from '../../core/sources/arxiv-atom';
import type { PaperSource } from '../../ports';
import { addDays } from '../../core/day';
import { sleep as realSleep, type Sleep } from '../sleep';
import { fetchText, trimBaseUrl } from './http-client';
import type { RequestPacer } from './request-pacer';

export interface ArxivSourceOptions {
  /** e.g. https://export.arxiv.org */
  baseUrl: string;
  /** arXiv categories to read, e.g. ["cs.CL", "cs.LG"]. */
  categories: string[];
  timeoutMs: number;
  retries: number;
  userAgent: string;
  /** Entries per request (default 100). */
  pageSize?: number;
  /** Most entries read for one day (default 300). */
  maxResults?: number;
  /** Pause between page requests; arXiv asks for 3 s (the default). */
  pauseMs?: number;
  /** Spaces every page request instead of pauseMs, shared with the metadata lookup so the two never ask arXiv closer than it allows. */
  pacer?: RequestPacer;
  sleep?: Sleep;
  backoffMs?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_RESULTS = 300;
const ARXIV_PAUSE_MS = 3000;

/**
 * Papers submitted to arXiv in the configured categories. arXiv announces a day's submissions
 * the following evening (US Eastern), so the papers for `day` are those submitted on the day
 * before, 00:00–23:59 UTC; they are listed on `day`.
 */
export class ArxivSource implements PaperSource {
  readonly name = 'arxiv';
  private readonly pageSize: number;
  private readonly maxResults: number;
  private readonly pauseMs: number;
  private readonly sleep: Sleep;

  constructor(private readonly options: ArxivSourceOptions) {
    if (options.categories.length === 0) throw new RangeError('ArxivSource needs at least one category');
    const invalid = options.categories.filter((category) => !isArxivCategory(category));
    if (invalid.length > 0) throw new RangeError(`not arXiv categories: ${invalid.map((c) => JSON.stringify(c.slice(0, 30))).join(', ')}`);
    this.pageSize = positive(options.pageSize ?? DEFAULT_PAGE_SIZE, 'pageSize');
    this.maxResults = positive(options.maxResults ?? DEFAULT_MAX_RESULTS, 'maxResults');
    this.pauseMs = options.pauseMs ?? ARXIV_PAUSE_MS;
    this.sleep = options.sleep ?? realSleep;
  }

  /**
   * Read every page of the day's query until a short page, the query's total, or maxResults.
   * Throws SourceUnavailableError or SourceFormatError when a page cannot be read.
   */
  async fetchDay(day: string): Promise<SourceBatch> {
    const searchQuery = this.searchQuery(addDays(day, -1));
    const papers: Paper[] = [];
    const skipped: SkippedItem[] = [];
    for (let start = 0; start < this.maxResults; start += this.pageSize) {
      if (this.options.pacer) await this.options.pacer.next();
      else if (start > 0 && this.pauseMs > 0) await this.sleep(this.pauseMs);
      const pageSize = Math.min(this.pageSize, this.maxResults - start);
      const page = parseArxivAtomPage(await this.fetchPage(searchQuery, start, pageSize), day);
      papers.push(...page.batch.papers);
      skipped.push(...page.batch.skipped);
      const total = page.totalResults ?? Number.POSITIVE_INFINITY;
      if (page.entryCount < pageSize || start + page.entryCount >= total) break;
    }
    return { source: 'arxiv', papers, skipped };
  }

  /** (cat:A OR cat:B) AND submittedDate:[DAY0000 TO DAY2359], in UTC as the API reads it. */
  private searchQuery(submittedDay: string): string {
    const compact = submittedDay.replaceAll('-', '');
    const categories = this.options.categories.map((category) => `cat:${category}`).join(' OR ');
    return `(${categories}) AND submittedDate:[${compact}0000 TO ${compact}2359]`;
  }

  private fetchPage(searchQuery: string, start: number, pageSize: number): Promise<string> {
    const query = new URLSearchParams({
      search_query: searchQuery,
      sortBy: 'submittedDate',
      sortOrder: 'descending',
      start: String(start),
      max_results: String(pageSize),
    });
    const { timeoutMs, retries, userAgent, backoffMs } = this.options;
    return fetchText(`${trimBaseUrl(this.options.baseUrl)}/api/query?${query}`, {
      timeoutMs,
      retries,
      userAgent,
      sleep: this.sleep,
      ...(backoffMs === undefined ? {} : { backoffMs }),
      headers: { Accept: 'application/atom+xml' },
    });
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
