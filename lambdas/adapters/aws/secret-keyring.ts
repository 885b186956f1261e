// The signing keyring from a Secrets Manager secret: read at cold start, cached with a TTL so a rotation reaches warm functions.
import { describeError } from '../../core/errors';
import { parseKeyring, type Keyring } from '../../core/tokens';
import type { Clock, KeyringSource, Logger } from '../../ports';
import type { GetSecretValueClient } from './secrets-http';

const MINUTE_MS = 60_000;

/** How long a read keyring is used before the secret is read again. */
export const KEYRING_TTL_MS = 5 * MINUTE_MS;
/** After a failed refresh, how long past its TTL the last keyring still signs (an outage of Secrets Manager is not ours). */
export const KEYRING_MAX_STALE_MS = 60 * MINUTE_MS;
/** After a failed refresh, how long to wait before reading the secret again. */
export const KEYRING_RETRY_MS = 30_000;

/** No keyring could be read: the secret is unreachable, not a string, or not a keyring. Never carries the secret. */
export class KeyringUnavailableError extends Error {
  override readonly name = 'KeyringUnavailableError';
}

export interface SecretKeyringOptions {
  client: GetSecretValueClient;
  /** The secret's ARN (or name). */
  secretId: string;
  clock: Clock;
  logger: Logger;
  ttlMs?: number;
  maxStaleMs?: number;
  retryMs?: number;
}

export class SecretKeyring implements KeyringSource {
  private cached: { keyring: Keyring; text: string; readAt: number } | undefined;
  private nextReadAt = 0;
  private inFlight: Promise<Keyring> | undefined;

  constructor(private readonly options: SecretKeyringOptions) {}

  /** The cached keyring while it is fresh; otherwise one read shared by every concurrent caller. */
  async keyring(): Promise<Keyring> {
    if (this.cached && this.options.clock.now().getTime() < this.nextReadAt) return this.cached.keyring;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async refresh(): Promise<Keyring> {
    const { clock, logger, ttlMs = KEYRING_TTL_MS, maxStaleMs = KEYRING_MAX_STALE_MS, retryMs = KEYRING_RETRY_MS } = this.options;
    try {
      const text = await this.read();
      // An unchanged secret keeps the same keyring object, so callers that key on it rebuild nothing.
      const keyring = this.cached?.text === text ? this.cached.keyring : this.parse(text);
      const now = clock.now().getTime();
      this.cached = { keyring, text, readAt: now };
      this.nextReadAt = now + ttlMs;
      return keyring;
    } catch (error) {
      const now = clock.now().getTime();
      const cached = this.cached;
      if (cached && now - cached.readAt < ttlMs + maxStaleMs) {
        this.nextReadAt = now + retryMs;
        logger.warn('token keyring refresh failed; signing with the keyring read earlier', {
          secretId: this.options.secretId,
          keyringAgeSeconds: Math.round((now - cached.readAt) / 1000),
          ...describeError(error),
        });
        return cached.keyring;
      }
      logger.error('token keyring unavailable', { secretId: this.options.secretId, ...describeError(error) });
      throw error;
    }
  }

  private async read(): Promise<string> {
    const { secretId } = this.options;
    let text: string | undefined;
    try {
      text = (await this.options.client.getSecretValue({ SecretId: secretId })).SecretString;
    } catch (error) {
      throw new KeyringUnavailableError(`cannot read the token keyring secret ${secretId}: ${describeError(error).error}`);
    }
    if (text === undefined) throw new KeyringUnavailableError(`the token keyring secret ${secretId} has no string value`);
    return text;
  }

  private parse(text: string): Keyring {
    try {
      return parseKeyring(text);
    } catch (error) {
      // parseKeyring's messages name the problem, never the value.
      throw new KeyringUnavailableError(`the token keyring secret ${this.options.secretId} holds no valid keyring: ${describeError(error).error}`);
    }
  }
}
