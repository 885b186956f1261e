// Queue port on SQS: jobs go out as JSON messages in batches of ten, several batches in flight, and what SQS refuses is retried, then reported.
import type { SendMessageBatchClient, SendMessageBatchEntry } from './sqs-http';
import type { Queue } from '../../ports';
import { sleep } from '../sleep';

/** SendMessageBatch's limit. */
const BATCH_SIZE = 10;

export interface SqsQueueOptions {
  /**
   * Batches in flight at once. At ~25 ms a batch, 16 lanes queue ~6,000 jobs a second over at most
   * 16 sockets.
   */
  concurrency?: number;
  /** Calls per batch before its refused entries count as failed (the first call included). */
  attempts?: number;
  /** Wait before retrying a batch's refused entries; attempt is 1 for the first retry. */
  backoff?: (attempt: number) => Promise<void>;
}

export const DEFAULT_SQS_CONCURRENCY = 16;

/** Thrown after every batch was tried, when some jobs could not be queued; the rest were. */
export class EnqueueError extends Error {
  override readonly name = 'EnqueueError';
  constructor(
    readonly failed: number,
    readonly total: number,
    readonly reasons: string[],
  ) {
    super(`SQS did not take ${failed} of ${total} job(s): ${reasons.join('; ')}`);
  }
}

export class SqsQueue<T> implements Queue<T> {
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly backoff: (attempt: number) => Promise<void>;

  constructor(
    private readonly client: SendMessageBatchClient,
    private readonly queueUrl: string,
    options: SqsQueueOptions = {},
  ) {
    this.concurrency = options.concurrency ?? DEFAULT_SQS_CONCURRENCY;
    this.attempts = options.attempts ?? 3;
    this.backoff = options.backoff ?? ((attempt) => sleep(50 * 2 ** (attempt - 1)));
  }

  /** Queue every job; throws EnqueueError naming how many were not queued, after trying them all. */
  async enqueue(jobs: T[]): Promise<void> {
    const batches: SendMessageBatchEntry[][] = [];
    for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
      batches.push(jobs.slice(start, start + BATCH_SIZE).map((job, offset) => ({ Id: String(offset), MessageBody: JSON.stringify(job) })));
    }
    let failed = 0;
    const reasons = new Set<string>();
    let next = 0;
    const lane = async () => {
      for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
        const refused = await this.sendBatch(batch, reasons);
        failed += refused;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, lane));
    if (failed > 0) throw new EnqueueError(failed, jobs.length, [...reasons].slice(0, 5));
  }

  /** Send one batch, retrying the entries SQS refuses; returns how many never got in. */
  private async sendBatch(batch: SendMessageBatchEntry[], reasons: Set<string>): Promise<number> {
    let entries = batch;
    for (let attempt = 1; ; attempt += 1) {
      let refused: Set<string>;
      try {
        const result = await this.client.sendMessageBatch({ QueueUrl: this.queueUrl, Entries: entries });
        refused = new Set(result.Failed.map((failure) => failure.Id));
        for (const failure of result.Failed) reasons.add(failure.Code);
      } catch (error) {
        // A call that failed outright (timeout, 5xx, throttling): the whole batch is refused this time and retried.
        refused = new Set(entries.map((entry) => entry.Id));
        reasons.add(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      entries = entries.filter((entry) => refused.has(entry.Id));
      if (entries.length === 0) return 0;
      if (attempt >= this.attempts) return entries.length;
      await this.backoff(attempt);
    }
  }
}
