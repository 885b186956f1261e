// The plan-digests Lambda over its own environment: subscribers in dynalite, the digest queue on a local server answering as SQS does.
import type { ServerResponse } from 'node:http';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { utcDay } from '../../lambdas/core/day';
import { type TestDynamo, useDynamo } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { answerJson, jsonBody, startFakeAws, type FakeAwsServer } from '../support/fake-aws';
import { captureOutput, emfValues, lambdaContext, LAMBDA_RUNTIME_ENV, setEnvironment } from '../support/lambda-harness';

let answer: (response: ServerResponse) => void = (response) => answerJson(response, 200, { Successful: [], Failed: [] });
let sqs: FakeAwsServer;
let queueUrl: string;
let dynamo: TestDynamo;
let handler: typeof import('../../lambdas/handlers/plan-digests').handler;
let restore: () => void;

useDynamo((started) => (dynamo = started));
beforeAll(async () => {
  const tables = await dynamo.createTables();
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock: { now: () => new Date() } });
  // Hour 0 in UTC is due at any hour of the day; a paused reader never is.
  await subscribers.create(makeSubscriber({ id: 'sub-due', hour: 0, timeZone: 'UTC' }));
  await subscribers.create(makeSubscriber({ id: 'sub-paused', hour: 0, paused: true }));
  sqs = await startFakeAws((response) => answer(response));
  queueUrl = `${sqs.endpoint}/123456789012/papertrend-digests`;
  restore = setEnvironment({
    ...LAMBDA_RUNTIME_ENV,
    POWERTOOLS_SERVICE_NAME: 'papertrend-plan-digests',
    DYNAMODB_ENDPOINT: dynamo.url,
    SUBSCRIBERS_TABLE: tables.subscribers,
    DIGEST_QUEUE_URL: queueUrl,
  });
  ({ handler } = require('../../lambdas/handlers/plan-digests') as typeof import('../../lambdas/handlers/plan-digests'));
});
afterAll(async () => {
  restore();
  await sqs.close();
});

describe('plan-digests handler', () => {
  it('queues one job per due subscriber on the digest queue and writes JobsQueued as EMF', async () => {
    const before = utcDay(new Date());
    const { result, lines } = await captureOutput(() => handler(undefined, lambdaContext('plan-1', 'papertrend-plan-digests')));
    const after = utcDay(new Date());
    expect(result).toEqual({ active: 1, queued: 1 });

    expect(sqs.requests).toHaveLength(1);
    const input = jsonBody<{ QueueUrl: string; Entries: Array<{ MessageBody: string }> }>(sqs.requests[0]!);
    expect(input.QueueUrl).toBe(queueUrl);
    const jobs = input.Entries.map((entry) => JSON.parse(entry.MessageBody) as { subscriberId: string; localDate: string });
    expect(jobs.map((job) => job.subscriberId)).toEqual(['sub-due']);
    expect([before, after]).toContain(jobs[0]!.localDate);

    expect(emfValues(lines, 'JobsQueued')).toEqual([{ value: 1, dimensions: [['service']] }]);
    expect(lines.find((line) => line.message === 'digests planned')).toMatchObject({ function_request_id: 'plan-1', active: 1, queued: 1 });
  });

  it('rethrows a failed enqueue so the scheduler retries, counting no jobs', async () => {
    answer = (response) => answerJson(response, 400, { __type: 'com.amazonaws.sqs#AccessDenied', message: 'not allowed' });
    const { error, lines } = await captureOutput(() => handler(undefined, lambdaContext('plan-2')));
    expect(error).toMatchObject({ name: 'EnqueueError', message: expect.stringContaining('AccessDenied') });
    expect(emfValues(lines, 'JobsQueued')).toEqual([]);
  });
});
