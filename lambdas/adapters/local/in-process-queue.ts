// The local stand-in for SQS: jobs wait in memory and a worker drains them with retries and a dead-letter list.
import type { DrainOptions, DrainResult, WorkQueue } from '../../ports';
import { sleep } from '../sleep';

export class InProcessQueue<T> implements WorkQueue<T> {
  private pending: T[] = [];

  async enqueue(jobs: T[]): Promise<void> {
    this.pending.push(...jobs);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Work through every queued job (and any queued meanwhile). */
  async drain<R>(worker: (job: T) => Promise<R>, options: DrainOptions = {}): Promise<DrainResult<T, R>> {
    const concurrency = options.concurrency ?? 4;
    const maxAttempts = options.maxAttempts ?? 3;
    const backoff = options.backoff ?? ((attempt: number) => sleep(200 * 2 ** (attempt - 1)));
    const result: DrainResult<T, R> = { done: [], deadLettered: [] };

    const runOne = async (job: T): Promise<void> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          result.done.push({ job, result: await worker(job) });
          return;
        } catch (error) {
          if (attempt >= maxAttempts) {
            result.deadLettered.push({ job, error });
            return;
          }
          await backoff(attempt);
        }
      }
    };
    const lanes = Array.from({ length: concurrency }, async () => {
      for (let job = this.pending.shift(); job !== undefined; job = this.pending.shift()) await runOne(job);
    });
    await Promise.all(lanes);
    return result;
  }
}
