// One SigV4-signed JSON POST to an AWS service, shared by the hand-written SES, SQS and Secrets Manager calls: signing, timeout, answer and error parsing.
//
// Why by hand: each SDK client weighs 15-80 KB per bundle for the one call the functions make; the
// signer and its SHA-256 are the ones the DynamoDB client already bundles, so this costs only itself.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Fixed credentials, or a provider asked before every request (in Lambda: the role's, from the environment). */
export type AwsCredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

export const DEFAULT_AWS_TIMEOUT_MS = 10_000;

export interface AwsMetadata {
  httpStatusCode: number;
  requestId?: string;
}

/** An error the service answered, named as the service names it (MessageRejected, QueueDoesNotExist...) so it can be classified like an SDK error. */
export class AwsError extends Error {
  readonly $metadata: AwsMetadata;
  constructor(name: string, message: string, $metadata: AwsMetadata) {
    super(message);
    this.name = name;
    this.$metadata = $metadata;
  }
}

export interface SignedRequesterOptions {
  /** The signing name: `ses`, `sqs`, `secretsmanager`. */
  service: string;
  /** The service as messages name it: `SES`, `SQS`, `Secrets Manager`. */
  label: string;
  region: string;
  credentials: AwsCredentialSource;
  /** Give up on a request after this long (default 10 s), reading the answer included. */
  timeoutMs?: number | undefined;
}

export interface SignedPost {
  url: URL;
  /** The headers to sign besides host (content-type, x-amz-target). */
  headers: Record<string, string>;
  body: string;
  /** Names the call in a failed request's message, after the service: `SendEmail`. */
  operation: string;
}

/**
 * Signs and sends one POST; never retries (whether a retry is safe is the caller's to know). A 2xx
 * answers its body parsed as JSON; anything else throws an AwsError, a failed request an Error
 * named as the failure (TimeoutError, TypeError...).
 */
export class SignedRequester {
  private readonly signer: SignatureV4;
  private readonly timeoutMs: number;
  private readonly label: string;

  constructor(options: SignedRequesterOptions) {
    this.label = options.label;
    this.signer = new SignatureV4({ service: options.service, region: options.region, credentials: options.credentials, sha256: Sha256 });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_AWS_TIMEOUT_MS;
  }

  async post({ url, headers, body, operation }: SignedPost): Promise<{ body: unknown; metadata: AwsMetadata }> {
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { ...headers, host: url.host },
      body,
    });
    // fetch sets Host itself, from the same URL the signature covers.
    const { host: _signedHost, ...sent } = signed.headers;
    const answer = await this.send(url, sent, body, `${this.label} ${operation}`);
    const metadata = { httpStatusCode: answer.status, ...(answer.requestId ? { requestId: answer.requestId } : {}) };
    if (answer.status < 200 || answer.status > 299) throw errorFrom(answer, metadata, this.label);
    return { body: answer.body, metadata };
  }

  /** The POST itself under the timeout (which also covers reading the body); the body parsed as JSON when it is. */
  private async send(
    url: URL,
    headers: Record<string, string>,
    body: string,
    label: string,
  ): Promise<{ status: number; requestId: string | null; errorType: string | null; body: unknown }> {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await response.text();
      return {
        status: response.status,
        requestId: response.headers.get('x-amzn-requestid'),
        errorType: response.headers.get('x-amzn-errortype'),
        body: parseJson(text),
      };
    } catch (error) {
      // Keep the name (TimeoutError, TypeError...): it is what the logs and the ledger record. Read by
      // shape: the timeout's DOMException is not an instance of this realm's Error everywhere (jest).
      const { name, message } = isRecord(error) ? error : {};
      const wrapped = new Error(`${label} request failed: ${typeof message === 'string' ? message : String(error)}`, { cause: error });
      wrapped.name = typeof name === 'string' && name !== '' ? name : 'Error';
      throw wrapped;
    }
  }
}

/**
 * restJson1 and AWS JSON 1.0/1.1 name the error in `x-amzn-ErrorType` or the body's `__type`/`code`,
 * with the message in `message`/`Message`.
 */
function errorFrom(answer: { errorType: string | null; body: unknown }, metadata: AwsMetadata, label: string): AwsError {
  const body = isRecord(answer.body) ? answer.body : {};
  const rawType = [answer.errorType, body.__type, body.code, body.Code].find((value): value is string => typeof value === 'string' && value !== '');
  // "MessageRejected:http://internal.amazon.com/..." or "com.amazonaws.sqs#QueueDoesNotExist".
  const type = rawType?.split(':')[0]?.split('#').pop()?.trim();
  const message = [body.message, body.Message].find((value): value is string => typeof value === 'string');
  return new AwsError(type || 'UnknownError', message ?? `${label} answered HTTP ${metadata.httpStatusCode}`, metadata);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
