// Running a handler module as Lambda would: a fresh module load over a given environment, a context per invocation, stdout captured.
import type { Context } from 'aws-lambda';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { type TestDynamo, type TestMailbox, useEmulators } from './emulators';
import { answerJson, startFakeAws, type FakeAwsServer } from './fake-aws';

/** Set `env` on process.env (the SDK reads credentials from it on each first request); returns the undo. */
export function setEnvironment(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Load a handler module afresh, as a cold start does: its configuration is read and its app composed now. */
export function coldStart<M>(load: () => M): M {
  let loaded: M | undefined;
  jest.isolateModules(() => {
    loaded = load();
  });
  return loaded!;
}

export function lambdaContext(awsRequestId: string, functionName = 'papertrend-test'): Context {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** The JSON lines (Powertools logs and EMF metrics) written to stdout and stderr while `run` runs. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; lines: Array<Record<string, unknown>> }> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return { result: await run(), error: undefined, lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  } catch (error) {
    return { result: undefined, error, lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The value of `metric` in the EMF lines, with the line's dimensions. */
export function emfValues(lines: Array<Record<string, unknown>>, metric: string): Array<{ value: unknown; dimensions: string[][] }> {
  return lines
    .filter((line) => line._aws !== undefined && metric in line)
    .map((line) => ({
      value: line[metric],
      dimensions: (line._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }).CloudWatchMetrics[0]!.Dimensions,
    }));
}

export const LAMBDA_RUNTIME_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_METRICS_NAMESPACE: 'Papertrend',
};

/** The signing keyring's secret in the handler tests (served by a local Secrets Manager). */
export const KEYRING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';

/** What a function that signs links and sends email reads, with its keyring from the Secrets Manager at `secretsEndpoint`. */
export function emailingEnv(secretsEndpoint: string): Record<string, string> {
  return {
    SENDER_ADDRESS: 'Papertrend <digest@papertrend.example>',
    PUBLIC_BASE_URL: 'https://papertrend.example',
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    SES_CONFIGURATION_SET: 'papertrend',
    TOKEN_KEYRING_SECRET_ARN: KEYRING_SECRET_ARN,
    SECRETS_MANAGER_ENDPOINT: secretsEndpoint,
  };
}

/** What useEmailingLambda started: the emulators, the subscriber table, and the handler as loaded at cold start. */
export interface EmailingLambda<H> {
  dynamo: TestDynamo;
  mailbox: TestMailbox;
  subscribers: DynamoSubscriberStore;
  /** The Secrets Manager stand-in, to count how often the keyring was read. */
  secrets: FakeAwsServer;
  handler: H;
}

/**
 * Hooks that run an emailing Lambda (send-digest, sign-up) as deployed: dynalite, the SES mailbox,
 * its keyring from a local server answering as Secrets Manager does, then the module loaded over
 * `env(tables)` (the cold start). The environment is restored and the server closed after the file.
 */
export function useEmailingLambda<H>(
  options: { service: string; keyringJson: string; env: (tables: TableNames) => Record<string, string>; load: () => H },
  onStart: (lambda: EmailingLambda<H>) => void,
): void {
  let emulators: { dynamo: TestDynamo; mailbox: TestMailbox };
  let secrets: FakeAwsServer | undefined;
  let restore = () => {};
  useEmulators((started) => (emulators = started));
  beforeAll(async () => {
    const { dynamo, mailbox } = emulators;
    const tables = await dynamo.createTables();
    const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock: { now: () => new Date() } });
    const server = await startFakeAws((response) => answerJson(response, 200, { ARN: KEYRING_SECRET_ARN, SecretString: options.keyringJson }));
    secrets = server;
    restore = setEnvironment({
      ...LAMBDA_RUNTIME_ENV,
      POWERTOOLS_SERVICE_NAME: options.service,
      DYNAMODB_ENDPOINT: dynamo.url,
      SES_ENDPOINT: mailbox.url,
      ...options.env(tables),
      ...emailingEnv(server.endpoint),
    });
    onStart({ dynamo, mailbox, subscribers, secrets: server, handler: options.load() });
  });
  afterAll(async () => {
    restore();
    await secrets?.close();
  });
}
