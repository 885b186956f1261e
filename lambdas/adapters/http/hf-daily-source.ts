// The Hugging Face daily papers API as a PaperSource.
import { parseHfDaily } from '../../core/sources/hf-daily';
import type { SourceBatch } from '../../core/model';
import type { PaperSource } from '../../ports';
import { requireIsoDay } from '../../core/day';
import type { Sleep } from '../sleep';
import { fetchText, trimBaseUrl } from './http-client';

export interface HfDailySourceOptions {
  /** e.g. https://huggingface.co */
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  userAgent: string;
  sleep?: Sleep;
  backoffMs?: number;
}

/** HF's page of the day's papers; more than any day has had, so one request reads the whole day. */
const DAILY_LIMIT = 100;

/** Papers on Hugging Face's daily papers page, with their upvotes, comments and code links. */
export class HfDailySource implements PaperSource {
  readonly name = 'hf';

  constructor(private readonly options: HfDailySourceOptions) {}

  /** GET /api/daily_papers?date=DAY. Throws SourceUnavailableError or SourceFormatError when the day cannot be read. */
  async fetchDay(day: string): Promise<SourceBatch> {
    const query = new URLSearchParams({ date: requireIsoDay(day), limit: String(DAILY_LIMIT) });
    const { baseUrl, ...http } = this.options;
    const text = await fetchText(`${trimBaseUrl(baseUrl)}/api/daily_papers?${query}`, { ...http, headers: { Accept: 'application/json' } });
    return parseHfDaily(text, day);
  }
}
