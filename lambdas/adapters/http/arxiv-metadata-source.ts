// arXiv's API asked by id_list: categories, comment, journal reference and version of papers only HF listed.
import { describeError } from '../../core/errors';
import type { ArxivRecord } from '../../core/model';
import { parseArxivRecords } from '../../core/sources/arxiv-atom';
import type { MetadataLookup, MetadataSource } from '../../ports';
import type { Sleep } from '../sleep';
import { fetchText, trimBaseUrl } from './http-client';
import { ARXIV_REQUEST_INTERVAL_MS, RequestPacer } from './request-pacer';

export interface ArxivMetadataSourceOptions {
  /** e.g. https://export.arxiv.org */
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  userAgent: string;
  /** Ids per request (default 50, which keeps the URL short). */
  batchSize?: number;
  /** Spaces every request, first attempts and retries' batches alike (default: one every 3 s on the real clock). */
  pacer?: RequestPacer;
  /** The retries' wait; defaults to a real timer. */
  sleep?: Sleep;
  /** Base of the retries' backoff; default 3 s, so a retry never comes sooner than arXiv asks. */
  backoffMs?: number;
}

const DEFAULT_BATCH_SIZE = 50;

export class ArxivMetadataSource implements MetadataSource {
  readonly name = 'arxiv-id-list';
  private readonly batchSize: number;
  private readonly pacer: RequestPacer;

  constructor(private readonly options: ArxivMetadataSourceOptions) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    this.batchSize = batchSize;
    this.pacer = options.pacer ?? new RequestPacer(ARXIV_REQUEST_INTERVAL_MS);
  }

  async lookup(ids: string[]): Promise<MetadataLookup> {
    const found: ArxivRecord[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    for (let start = 0; start < ids.length; start += this.batchSize) {
      const batch = ids.slice(start, start + this.batchSize);
      await this.pacer.next();
      try {
        const asked = new Set(batch);
        found.push(...parseArxivRecords(await this.fetchBatch(batch)).filter((record) => asked.has(record.id)));
      } catch (error) {
        failed.push(...batch);
        errors.push(describeError(error).error);
      }
    }
    return { found, failed, errors };
  }

  private fetchBatch(ids: string[]): Promise<string> {
    const { timeoutMs, retries, userAgent, sleep } = this.options;
    const url = `${trimBaseUrl(this.options.baseUrl)}/api/query?id_list=${ids.map(encodeURIComponent).join(',')}&max_results=${ids.length}`;
    return fetchText(url, {
      timeoutMs,
      retries,
      userAgent,
      backoffMs: this.options.backoffMs ?? ARXIV_REQUEST_INTERVAL_MS,
      ...(sleep ? { sleep } : {}),
      headers: { Accept: 'application/atom+xml' },
    });
  }
}
