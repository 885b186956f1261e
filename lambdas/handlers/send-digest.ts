// Lambda (SQS consumer): send a batch of queued digest jobs; the jobs to retry are reported back, the rest are done.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { composeFromEnvironment } from '../compose';
import { sendDigestBatch } from '../use-cases/send-digest';

const app = composeFromEnvironment();

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const { retry } = await sendDigestBatch(app.sendDigestDeps(), event.Records.map((record) => ({ id: record.messageId, body: record.body })));
  return { batchItemFailures: retry.map((itemIdentifier) => ({ itemIdentifier })) };
}
