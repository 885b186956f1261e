// Lambda (SQS consumer): send each queued digest job; failed jobs are reported for retry, then the DLQ.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { composeSendDigest } from '../compose';
import { loadConfig } from '../config';
import { describeError } from '../core/errors';
import { lambdaHandler } from '../lambda-handler';
import { DigestSender } from '../use-cases/send-digest';

const digestJobSchema = z.object({
  subscriberId: z.string().min(1).max(64),
  localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const handler = lambdaHandler(composeSendDigest(loadConfig(process.env, 'send-digest')), async (app, event: SQSEvent): Promise<SQSBatchResponse> => {
  const sender = new DigestSender(await app.sendDigestDeps());
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const job = digestJobSchema.parse(JSON.parse(record.body));
      await sender.send(job);
    } catch (error) {
      app.logger.error('digest job failed', { messageId: record.messageId, ...describeError(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
