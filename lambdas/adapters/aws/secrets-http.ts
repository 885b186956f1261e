// Secrets Manager GetSecretValue as one SigV4-signed POST on AWS JSON 1.1, hand-written instead of @aws-sdk/client-secrets-manager to keep the functions small.
//
// Why by hand: reading the keyring is the only Secrets Manager call the functions make, and the SDK
// client cost each signing function ~20 KB. The keyring caches the value and survives failed reads.
import { sleep as realSleep, type Sleep } from '../sleep';
import { AwsError, isRecord, SignedRequester, type AwsCredentialSource } from './signed-request';

/** What the keyring needs from Secrets Manager: the real client below, or a fake in tests. */
export interface GetSecretValueClient {
  /** The secret's string value, or undefined when it holds only a binary one. */
  getSecretValue(input: { SecretId: string }): Promise<{ SecretString?: string }>;
}

export interface SecretsManagerHttpClientOptions {
  region: string;
  /** A local endpoint; defaults to `https://secretsmanager.<region>.amazonaws.com`. */
  endpoint?: string | undefined;
  credentials: AwsCredentialSource;
  timeoutMs?: number | undefined;
  /** Calls per read, the first included (default 3, as the SDK): a cold start should not fail on one dropped request. */
  attempts?: number;
  sleep?: Sleep;
}

/** Errors worth asking again for: throttling, the service's own faults, and requests that got no answer. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof AwsError)) return true;
  const status = error.$metadata.httpStatusCode;
  return status === 429 || status >= 500 || /Throttling|TooManyRequests/.test(error.name);
}

/** A read is safe to repeat, so transient failures are retried here, a few times and quickly; the keyring copes with the rest. */
export class SecretsManagerHttpClient implements GetSecretValueClient {
  private readonly url: URL;
  private readonly requester: SignedRequester;
  private readonly attempts: number;
  private readonly sleep: Sleep;

  constructor(options: SecretsManagerHttpClientOptions) {
    this.attempts = options.attempts ?? 3;
    this.sleep = options.sleep ?? realSleep;
    this.url = new URL(`${(options.endpoint ?? `https://secretsmanager.${options.region}.amazonaws.com`).replace(/\/+$/, '')}/`);
    this.requester = new SignedRequester({
      service: 'secretsmanager',
      label: 'Secrets Manager',
      region: options.region,
      credentials: options.credentials,
      timeoutMs: options.timeoutMs,
    });
  }

  async getSecretValue(input: { SecretId: string }): Promise<{ SecretString?: string }> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.read(input.SecretId);
      } catch (error) {
        if (attempt >= this.attempts || !isTransient(error)) throw error;
        await this.sleep(100 * 2 ** (attempt - 1));
      }
    }
  }

  private async read(secretId: string): Promise<{ SecretString?: string }> {
    const { body } = await this.requester.post({
      url: this.url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretId }),
      operation: 'GetSecretValue',
    });
    const value = isRecord(body) ? body.SecretString : undefined;
    return typeof value === 'string' ? { SecretString: value } : {};
  }
}
