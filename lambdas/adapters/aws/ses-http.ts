// SES v2 SendEmail as one SigV4-signed HTTPS POST, hand-written instead of @aws-sdk/client-sesv2 to keep the functions under 400 KB.
//
// Why by hand: SendEmail is the only SES call the functions make, and the SDK client costs ~82 KB
// per bundle. With it, send-digest bundled to 453 KB and api to 469 KB; with this module instead
// they bundle to 373 KB and 389 KB (esbuild, minified, SDK included). Signing and error parsing are
// signed-request.ts, shared with the SQS and Secrets Manager calls.
import { AwsError, isRecord, SignedRequester, type AwsCredentialSource } from './signed-request';

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

export interface SesSendEmailClientOptions {
  region: string;
  /** A local endpoint such as the SES mailbox's; defaults to `https://email.<region>.amazonaws.com`. */
  endpoint?: string;
  /** Fixed credentials, or a provider asked before every send (in Lambda: the role's, from the environment). */
  credentials: AwsCredentialSource;
  /** Give up on a request after this long (default 10 s); the send may or may not have gone out. */
  timeoutMs?: number;
}

/** An error SES answered, named as SES names it (MessageRejected, TooManyRequestsException...) so core/ses-errors.ts can classify it. */
export { AwsError as SesError };

/**
 * One attempt per call, never retried here: a retry after a timeout could send the email twice, and
 * the paced mailer already retries throttling. Any failure is thrown for the caller to classify.
 */
export class SesSendEmailClient implements SendEmailClient {
  private readonly url: URL;
  private readonly requester: SignedRequester;

  constructor(options: SesSendEmailClientOptions) {
    const endpoint = (options.endpoint ?? `https://email.${options.region}.amazonaws.com`).replace(/\/+$/, '');
    this.url = new URL(`${endpoint}/v2/email/outbound-emails`);
    this.requester = new SignedRequester({
      service: 'ses',
      label: 'SES',
      region: options.region,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs,
    });
  }

  async sendEmail(input: SendEmailInput): Promise<{ MessageId: string }> {
    const { body, metadata } = await this.requester.post({
      url: this.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
      operation: 'SendEmail',
    });
    const messageId = isRecord(body) ? body.MessageId : undefined;
    if (typeof messageId !== 'string' || messageId === '') {
      throw new AwsError('MissingMessageId', `SES answered HTTP ${metadata.httpStatusCode} without a message id`, metadata);
    }
    return { MessageId: messageId };
  }
}
