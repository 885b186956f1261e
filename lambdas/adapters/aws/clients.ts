// Builds the AWS SDK clients from explicit options; nothing is created at module scope, and each function builds only the ones it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClientOptions {
  region: string;
  /** A local endpoint (dynalite, the SES mailbox); omitted in AWS. */
  endpoint?: string;
  /** Explicit credentials; omitted in AWS, where the Lambda role's are used. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per request, retries included (SDK default 3). */
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

export function createSesClient(options: AwsClientOptions): SESv2Client {
  return new SESv2Client(sdkConfig(options));
}

export function createSqsClient(options: AwsClientOptions): SQSClient {
  return new SQSClient(sdkConfig(options));
}

export function createSecretsManagerClient(options: AwsClientOptions): SecretsManagerClient {
  return new SecretsManagerClient(sdkConfig(options));
}
