// The local stand-in for an SQS queue with a Lambda consumer: each enqueue starts working through the in-process queue at once, and settled() says when it is idle.
import { describeError } from '../../core/errors';
import type { DrainOptions, Logger, Queue } from '../../ports';
import { InProcessQueue } from './in-process-queue';

export interface DrainingQueueOptions extends DrainOptions {
  logger: Logger;
  /** What the queue holds, for the dead-letter log line ("sign-up job"). */
  jobName: string;
}

export class DrainingQueue<T> implements Queue<T> {
  private readonly queue = new InProcessQueue<T>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly worker: (job: T) => Promise<unknown>,
    private readonly options: DrainingQueueOptions,
  ) {}

  async enqueue(jobs: T[]): Promise<void> {
    await this.queue.enqueue(jobs);
    this.start();
  }

  /** Resolves once every job queued so far (and any queued meanwhile) is done or dead-lettered. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      // A job queued after the last lane finished but before this drain ended: start again for it.
      if (this.queue.size > 0) this.start();
    });
  }

  private async drain(): Promise<void> {
    const { logger, jobName, ...drainOptions } = this.options;
    try {
      const { deadLettered } = await this.queue.drain(this.worker, drainOptions);
      for (const { error } of deadLettered) {
        logger.error(`${jobName} dead-lettered`, describeError(error));
      }
    } catch (error) {
      logger.error(`${jobName} queue failed`, describeError(error));
    }
  }
}
