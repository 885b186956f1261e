// SES v2 SendEmail as one SigV4-signed HTTPS POST, hand-written instead of @aws-sdk/client-sesv2 to keep the functions under 400 KB.
//
// Why by hand: SendEmail is the only SES call the functions make, and the SDK client costs ~82 KB
// per bundle. With it, send-digest bundled to 453 KB and api to 469 KB; with this module instead
// they bundle to 373 KB and 389 KB (esbuild, minified, SDK included). The signer and its SHA-256
// are the ones the DynamoDB client already bundles, so this adds only this file.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SesContent {
  Data: string;
  Charset?: string;
}

/** The members of SES v2 SendEmailRequest this project sends, under SES's own names (the JSON body as is). */
export interface SendEmailInput {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple: {
      Subject: SesContent;
      Body: { Html?: SesContent; Text?: SesContent };
      Headers?: Array<{ Name: string; Value: string }>;
    };
  };
  EmailTags?: Array<{ Name: string; Value: string }>;
  ConfigurationSetName?: string;
}

/** What a mailer needs from SES: the real client below, or a fake in tests. */
export interface SendEmailClient {
  sendEmail(input: SendEmailInput): Promise<{ MessageId?: string }>;
}

export interface SesCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SesSendEmailClientOptions {
  region: string;
  /** A local endpoint such as the SES mailbox's; defaults to `https://email.<region>.amazonaws.com`. */
  endpoint?: string;
  /** Fixed credentials, or a provider asked before every send (in Lambda: the role's, from the environment). */
  credentials: SesCredentials | (() => Promise<SesCredentials>);
  /** Give up on a request after this long (default 10 s); the send may or may not have gone out. */
  timeoutMs?: number;
}

export const DEFAULT_SES_TIMEOUT_MS = 10_000;

/** An error SES answered, named as SES names it (MessageRejected, TooManyRequestsException...) so core/ses-errors.ts can classify it. */
export class SesError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  constructor(name: string, message: string, $metadata: { httpStatusCode: number; requestId?: string }) {
    super(message);
    this.name = name;
    this.$metadata = $metadata;
  }
}

/**
 * One attempt per call, never retried here: a retry after a timeout could send the email twice, and
 * the paced mailer already retries throttling. Any failure is thrown for the caller to classify.
 */
export class SesSendEmailClient implements SendEmailClient {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly timeoutMs: number;

  constructor(options: SesSendEmailClientOptions) {
    const endpoint = (options.endpoint ?? `https://email.${options.region}.amazonaws.com`).replace(/\/+$/, '');
    this.url = new URL(`${endpoint}/v2/email/outbound-emails`);
    this.signer = new SignatureV4({ service: 'ses', region: options.region, credentials: options.credentials, sha256: Sha256 });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SES_TIMEOUT_MS;
  }

  async sendEmail(input: SendEmailInput): Promise<{ MessageId: string }> {
    const body = JSON.stringify(input);
    const { url } = this;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    // fetch sets Host itself, from the same URL the signature covers.
    const { host: _signedHost, ...headers } = signed.headers;
    const { status, requestId, answer } = await this.post(headers, body);
    const metadata = { httpStatusCode: status, ...(requestId ? { requestId } : {}) };
    if (status < 200 || status > 299) throw errorFrom(answer, metadata);
    const messageId = isRecord(answer.body) ? answer.body.MessageId : undefined;
    if (typeof messageId !== 'string' || messageId === '') {
      throw new SesError('MissingMessageId', `SES answered HTTP ${status} without a message id`, metadata);
    }
    return { MessageId: messageId };
  }

  /** The POST itself under the timeout (which also covers reading the body); the body parsed as JSON when it is. */
  private async post(
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; requestId: string | null; answer: { errorType: string | null; body: unknown } }> {
    try {
      const response = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await response.text();
      return {
        status: response.status,
        requestId: response.headers.get('x-amzn-requestid'),
        answer: { errorType: response.headers.get('x-amzn-errortype'), body: parseJson(text) },
      };
    } catch (error) {
      // Keep the name (TimeoutError, TypeError...): it is what the logs and the ledger record. Read by
      // shape: the timeout's DOMException is not an instance of this realm's Error everywhere (jest).
      const { name, message } = isRecord(error) ? error : {};
      const wrapped = new Error(`SES SendEmail request failed: ${typeof message === 'string' ? message : String(error)}`, { cause: error });
      wrapped.name = typeof name === 'string' && name !== '' ? name : 'Error';
      throw wrapped;
    }
  }
}

/** SES v2 speaks restJson1: the error type is in `x-amzn-ErrorType` or the body's `__type`/`code`, the message in `message`/`Message`. */
function errorFrom(answer: { errorType: string | null; body: unknown }, metadata: { httpStatusCode: number; requestId?: string }): SesError {
  const body = isRecord(answer.body) ? answer.body : {};
  const rawType = [answer.errorType, body.__type, body.code, body.Code].find((value): value is string => typeof value === 'string' && value !== '');
  // "MessageRejected:http://internal.amazon.com/..." or "com.amazonaws.sesv2#MessageRejected".
  const type = rawType?.split(':')[0]?.split('#').pop()?.trim();
  const message = [body.message, body.Message].find((value): value is string => typeof value === 'string');
  return new SesError(type || 'UnknownError', message ?? `SES answered HTTP ${metadata.httpStatusCode}`, metadata);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
