// SQS SendMessageBatch as one SigV4-signed POST on SQS's AWS JSON 1.0 protocol, hand-written instead of @aws-sdk/client-sqs to keep the functions small.
//
// Why by hand: SendMessageBatch is the only SQS call the functions make (the planner, and the api
// for sign-ups), and the SDK client cost the api ~30 KB. The operator CLI (bin/) keeps the SDK client.
import { isRecord, SignedRequester, type AwsCredentialSource } from './signed-request';

export interface SendMessageBatchEntry {
  Id: string;
  MessageBody: string;
}

export interface SendMessageBatchInput {
  QueueUrl: string;
  Entries: SendMessageBatchEntry[];
}

/** An entry SQS refused, under SQS's names (BatchResultErrorEntry). */
export interface SendMessageBatchFailure {
  Id: string;
  Code: string;
  SenderFault: boolean;
  Message?: string;
}

/** What the queue reads of the answer: the entries refused (every other entry was taken). */
export interface SendMessageBatchOutput {
  Failed: SendMessageBatchFailure[];
}

/** What the queue needs from SQS: the real client below, or a fake in tests. */
export interface SendMessageBatchClient {
  sendMessageBatch(input: SendMessageBatchInput): Promise<SendMessageBatchOutput>;
}

export interface SqsSendMessageBatchClientOptions {
  region: string;
  /** A fixed endpoint; by default the queue URL's own origin, as the SDK does (`https://sqs.<region>.amazonaws.com`). */
  endpoint?: string | undefined;
  credentials: AwsCredentialSource;
  timeoutMs?: number | undefined;
}

/** One attempt per call: SqsQueue retries a failed batch itself. */
export class SqsSendMessageBatchClient implements SendMessageBatchClient {
  private readonly requester: SignedRequester;
  private readonly endpoint: string | undefined;

  constructor(options: SqsSendMessageBatchClientOptions) {
    this.endpoint = options.endpoint?.replace(/\/+$/, '');
    this.requester = new SignedRequester({
      service: 'sqs',
      label: 'SQS',
      region: options.region,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs,
    });
  }

  async sendMessageBatch(input: SendMessageBatchInput): Promise<SendMessageBatchOutput> {
    const { body } = await this.requester.post({
      url: new URL(`${this.endpoint ?? new URL(input.QueueUrl).origin}/`),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
      body: JSON.stringify({ QueueUrl: input.QueueUrl, Entries: input.Entries }),
      operation: 'SendMessageBatch',
    });
    const failed = isRecord(body) && Array.isArray(body.Failed) ? body.Failed.filter(isRecord) : [];
    return { Failed: failed.map(failureOf) };
  }
}

function failureOf(entry: Record<string, unknown>): SendMessageBatchFailure {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const message = text(entry.Message);
  return {
    Id: String(entry.Id),
    Code: text(entry.Code) ?? 'unknown',
    SenderFault: entry.SenderFault === true,
    ...(message === undefined ? {} : { Message: message }),
  };
}
