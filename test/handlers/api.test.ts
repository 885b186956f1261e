// The api Lambda over its own environment: dynalite, the SES mailbox, a sign-up queue and a keyring secret (local servers answering as SQS and Secrets Manager do) that rotates under a warm function.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { KEYRING_TTL_MS } from '../../lambdas/adapters/aws/secret-keyring';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { readSignUpJob } from '../../lambdas/core/sign-up-job';
import { parseKeyring, signToken, verifyToken } from '../../lambdas/core/tokens';
import { type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { answerJson, jsonBody, startFakeAws, type FakeAwsServer } from '../support/fake-aws';
import { captureOutput, lambdaContext, LAMBDA_RUNTIME_ENV, setEnvironment } from '../support/lambda-harness';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';
const K1 = 'api-test-first-secret-0123456789abcdef';
const K2 = 'api-test-second-secret-0123456789abcdef';
const FIRST = JSON.stringify({ current: 'k1', k1: K1 });
const ROTATED = JSON.stringify({ current: 'k2', k1: K1, k2: K2 });
const subscriber = makeSubscriber({ id: 'sub-api-1' });

let secrets: FakeAwsServer;
let sqs: FakeAwsServer;
let dynamo: TestDynamo;
let mailbox: TestMailbox;
let handler: typeof import('../../lambdas/handlers/api').handler;
let restore: () => void;
let invocation = 0;

async function get(path: string, query: Record<string, string> | null = null): Promise<APIGatewayProxyResult> {
  return invoke('GET', path, query);
}

async function invoke(method: string, path: string, query: Record<string, string> | null = null, body: unknown = null): Promise<APIGatewayProxyResult> {
  invocation += 1;
  const event = {
    httpMethod: method,
    path,
    resource: path,
    headers: body === null ? {} : { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body === null ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: `api-${invocation}`, identity: { sourceIp: '127.0.0.1' } } as APIGatewayProxyEvent['requestContext'],
  } as APIGatewayProxyEvent;
  const { result, error } = await captureOutput(() => handler(event, lambdaContext(`api-${invocation}`, 'papertrend-api')));
  if (error) throw error;
  return result!;
}

const unsubscribeTokenIn = (page: string) => /unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(page)?.[1];

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeAll(async () => {
  // Only Date is faked: the keyring's TTL runs on the system clock, and the test moves it.
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  const tables = await dynamo.createTables();
  await new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock: { now: () => new Date() } }).create(subscriber);
  secrets = await startFakeAws((response, request) =>
    jsonBody<{ SecretId: string }>(request).SecretId === SECRET_ARN
      ? answerJson(response, 200, { ARN: SECRET_ARN, SecretString: secrets.requests.length === 1 ? FIRST : ROTATED })
      : answerJson(response, 400, { __type: 'ResourceNotFoundException', Message: 'no such secret' }),
  );
  sqs = await startFakeAws((response) => answerJson(response, 200, { Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: 'x' }], Failed: [] }));
  restore = setEnvironment({
    ...LAMBDA_RUNTIME_ENV,
    POWERTOOLS_SERVICE_NAME: 'papertrend-api',
    DYNAMODB_ENDPOINT: dynamo.url,
    PAPERS_TABLE: tables.papers,
    SUBSCRIBERS_TABLE: tables.subscribers,
    LEDGER_TABLE: tables.ledger,
    PUBLIC_BASE_URL: 'https://papertrend.example',
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    SIGN_UP_QUEUE_URL: `${sqs.endpoint}/123456789012/papertrend-sign-ups`,
    TOKEN_KEYRING_SECRET_ARN: SECRET_ARN,
    SECRETS_MANAGER_ENDPOINT: secrets.endpoint,
  });
  ({ handler } = require('../../lambdas/handlers/api') as typeof import('../../lambdas/handlers/api'));
});
afterAll(async () => {
  restore();
  await secrets.close();
  await sqs.close();
  jest.useRealTimers();
});

describe('api handler', () => {
  it('serves the site with the keyring from the secret, and picks up a rotation once the cache expires', async () => {
    expect((await get('/health')).statusCode).toBe(200);

    const k1Token = signToken(parseKeyring(FIRST), { subscriberId: subscriber.id, purpose: 'preferences' }, new Date());
    const before = await get('/preferences', { token: k1Token });
    expect(before.statusCode).toBe(200);
    expect(verifyToken(parseKeyring(FIRST), unsubscribeTokenIn(before.body), 'unsubscribe', new Date())).toMatchObject({
      ok: true,
      subscriberId: subscriber.id,
    });
    expect(secrets.requests).toHaveLength(1);

    // The secret rotates (k2 signs, k1 still verifies); a warm function sees it after the TTL.
    const k2Token = signToken(parseKeyring(ROTATED), { subscriberId: subscriber.id, purpose: 'preferences' }, new Date());
    expect((await get('/preferences', { token: k2Token })).statusCode).toBe(400);
    jest.setSystemTime(Date.now() + KEYRING_TTL_MS);
    const after = await get('/preferences', { token: k2Token });
    expect(after.statusCode).toBe(200);
    expect(verifyToken(parseKeyring(JSON.stringify({ current: 'k2', k2: K2 })), unsubscribeTokenIn(after.body), 'unsubscribe', new Date())).toMatchObject({
      ok: true,
    });
    expect((await get('/preferences', { token: k1Token })).statusCode).toBe(200);
    expect(secrets.requests).toHaveLength(2);
  });

  it('queues a sign-up on the sign-up queue and answers 202, writing no subscriber and sending no email', async () => {
    await mailbox.clear();
    const response = await invoke('POST', '/subscribe', null, { email: 'Reader@Example.org', topics: 'agents' });
    expect(response.statusCode).toBe(202);
    expect(sqs.requests).toHaveLength(1);
    expect(sqs.requests[0]!.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    const input = jsonBody<{ QueueUrl: string; Entries: Array<{ MessageBody: string }> }>(sqs.requests[0]!);
    expect(input.QueueUrl).toBe(`${sqs.endpoint}/123456789012/papertrend-sign-ups`);
    expect(input.Entries).toHaveLength(1);
    const job = readSignUpJob(input.Entries[0]!.MessageBody);
    expect(job).toMatchObject({ ok: true, job: { email: 'Reader@example.org', preferences: { topics: 'agents', frequency: 'daily' } } });
    expect(await mailbox.emails()).toEqual([]);
  });
});
