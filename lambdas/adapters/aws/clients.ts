// Builds the AWS clients (the DynamoDB SDK client, the hand-written SES, SQS and Secrets Manager calls) from explicit options; nothing is created at module scope, and each function builds only the ones it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SecretsManagerHttpClient } from './secrets-http';
import { SesSendEmailClient } from './ses-http';
import { SqsSendMessageBatchClient } from './sqs-http';

export interface AwsClientOptions {
  region: string;
  /** A local endpoint (dynalite, the SES mailbox, a test server); omitted in AWS. */
  endpoint?: string;
  /** Explicit credentials; omitted in AWS, where the Lambda role's are used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per request, retries included (SDK default 3); DynamoDB only. */
  maxAttempts?: number;
}

function sdkConfig(options: AwsClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
}

/** A DynamoDB document client that drops undefined attributes (optional fields of the model). */
export function createDocumentClient(options: AwsClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(sdkConfig(options)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * SES SendEmail over HTTPS (ses-http.ts, not the SDK client: see there why). One attempt per call
 * whatever `maxAttempts` says. Without explicit credentials it signs with the environment's, which
 * in Lambda are always the function role's.
 */
export function createSesClient(options: AwsClientOptions, timeoutMs?: number): SesSendEmailClient {
  return new SesSendEmailClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    credentials: options.credentials ?? fromEnv(),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** SQS SendMessageBatch over HTTPS (sqs-http.ts); by default to the queue URL's own host. */
export function createSqsClient(options: AwsClientOptions): SqsSendMessageBatchClient {
  return new SqsSendMessageBatchClient({ region: options.region, endpoint: options.endpoint, credentials: options.credentials ?? fromEnv() });
}

/** Secrets Manager GetSecretValue over HTTPS (secrets-http.ts). */
export function createSecretsManagerClient(options: AwsClientOptions): SecretsManagerHttpClient {
  return new SecretsManagerHttpClient({ region: options.region, endpoint: options.endpoint, credentials: options.credentials ?? fromEnv() });
}
