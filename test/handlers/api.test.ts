// The api Lambda over its own environment: dynalite, the SES mailbox, and the keyring from a (mocked) secret that rotates under a warm function.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { KEYRING_TTL_MS } from '../../lambdas/adapters/aws/secret-keyring';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { parseKeyring, signToken, verifyToken } from '../../lambdas/core/tokens';
import { type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { captureOutput, lambdaContext, LAMBDA_RUNTIME_ENV, setEnvironment } from '../support/lambda-harness';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';
const K1 = 'api-test-first-secret-0123456789abcdef';
const K2 = 'api-test-second-secret-0123456789abcdef';
const FIRST = JSON.stringify({ current: 'k1', k1: K1 });
const ROTATED = JSON.stringify({ current: 'k2', k1: K1, k2: K2 });
const subscriber = makeSubscriber({ id: 'sub-api-1' });

const secrets = mockClient(SecretsManagerClient);
let dynamo: TestDynamo;
let mailbox: TestMailbox;
let handler: typeof import('../../lambdas/handlers/api').handler;
let restore: () => void;
let invocation = 0;

async function get(path: string, query: Record<string, string> | null = null): Promise<APIGatewayProxyResult> {
  invocation += 1;
  const event = {
    httpMethod: 'GET',
    path,
    resource: path,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
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
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolvesOnce({ SecretString: FIRST }).resolves({ SecretString: ROTATED });
  restore = setEnvironment({
    ...LAMBDA_RUNTIME_ENV,
    POWERTOOLS_SERVICE_NAME: 'papertrend-api',
    DYNAMODB_ENDPOINT: dynamo.url,
    SES_ENDPOINT: mailbox.url,
    PAPERS_TABLE: tables.papers,
    SUBSCRIBERS_TABLE: tables.subscribers,
    SENDER_ADDRESS: 'Papertrend <digest@papertrend.example>',
    PUBLIC_BASE_URL: 'https://papertrend.example',
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    SES_CONFIGURATION_SET: 'papertrend',
    TOKEN_KEYRING_SECRET_ARN: SECRET_ARN,
  });
  ({ handler } = require('../../lambdas/handlers/api') as typeof import('../../lambdas/handlers/api'));
});
afterAll(() => {
  restore();
  secrets.restore();
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
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);

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
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
