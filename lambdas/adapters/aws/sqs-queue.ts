// Queue port on SQS: jobs go out as JSON messages in batches of ten, and a partly failed batch is retried.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Queue } from '../../ports';

const BATCH_SIZE = 10;
const ATTEMPTS = 3;

export class SqsQueue<T> implements Queue<T> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: T[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
      let entries = jobs
        .slice(start, start + BATCH_SIZE)
        .map((job, offset) => ({ Id: String(start + offset), MessageBody: JSON.stringify(job) }));
      for (let attempt = 1; entries.length > 0; attempt += 1) {
        const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= ATTEMPTS) {
          throw new Error(`SQS refused ${entries.length} digest job(s) after ${ATTEMPTS} attempts`);
        }
      }
    }
  }
}
