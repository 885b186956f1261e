// Lambda (SQS consumer): run a batch of queued sign-ups (record, confirmation email); the jobs to retry are reported back, the rest are done.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { composeSignUp } from '../compose';
import { loadConfig } from '../config';
import { lambdaHandler } from '../lambda-handler';
import { signUpBatch } from '../use-cases/sign-ups';

export const handler = lambdaHandler(composeSignUp(loadConfig(process.env, 'sign-up')), async (app, event: SQSEvent): Promise<SQSBatchResponse> => {
  const jobs = event.Records.map((record) => ({ id: record.messageId, body: record.body }));
  const { retry } = await signUpBatch(await app.subscriptionDeps(), jobs);
  return { batchItemFailures: retry.map((itemIdentifier) => ({ itemIdentifier })) };
});
