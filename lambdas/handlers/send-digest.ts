// Lambda (SQS consumer): send a batch of queued digest jobs; the jobs to retry are reported back, the rest are done.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { composeSendDigest } from '../compose';
import { loadConfig } from '../config';
import { lambdaHandler } from '../lambda-handler';
import { sendDigestBatch } from '../use-cases/send-digest';

export const handler = lambdaHandler(composeSendDigest(loadConfig(process.env, 'send-digest')), async (app, event: SQSEvent): Promise<SQSBatchResponse> => {
  const jobs = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
  const { retry } = await sendDigestBatch(await app.sendDigestDeps(), jobs);
  return { batchItemFailures: retry.map((itemIdentifier) => ({ itemIdentifier })) };
});
