// The keyring from Secrets Manager (mocked: no emulator for it) on a hand-moved clock: cache, rotation, shared reads, failures.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { KEYRING_MAX_STALE_MS, KEYRING_RETRY_MS, KEYRING_TTL_MS, KeyringUnavailableError, SecretKeyring } from '../../../lambdas/adapters/aws/secret-keyring';
import { recordingLogger } from '../../support/test-app';
import { ManualClock } from '../../support/emulators';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';
const K1 = 'first-secret-with-at-least-32-characters';
const K2 = 'second-secret-with-at-least-32-characters';
const FIRST = JSON.stringify({ current: 'k1', k1: K1 });
const ROTATED = JSON.stringify({ current: 'k2', k1: K1, k2: K2 });

const secrets = mockClient(SecretsManagerClient);
let clock: ManualClock;
let logLines: string[];
let source: SecretKeyring;

const reads = () => secrets.commandCalls(GetSecretValueCommand).length;

beforeEach(() => {
  secrets.reset();
  clock = new ManualClock('2026-11-28T06:00:00Z');
  logLines = [];
  source = new SecretKeyring({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: SECRET_ARN, clock, logger: recordingLogger(logLines) });
});

describe('SecretKeyring', () => {
  it('reads the secret on first use and parses it', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: FIRST });
    const keyring = await source.keyring();
    expect(keyring.current).toBe('k1');
    expect(keyring.keys.k1?.toString()).toBe(K1);
    expect(reads()).toBe(1);
  });

  it('answers from the cache within the TTL', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: FIRST });
    const first = await source.keyring();
    clock.advance(KEYRING_TTL_MS - 1);
    expect(await source.keyring()).toBe(first);
    expect(reads()).toBe(1);
  });

  it('keeps the same keyring object when a read after the TTL finds the secret unchanged', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: FIRST });
    const first = await source.keyring();
    clock.advance(KEYRING_TTL_MS);
    expect(await source.keyring()).toBe(first);
    expect(reads()).toBe(2);
  });

  it('reads again after the TTL, so a rotation reaches a warm function', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: FIRST }).resolves({ SecretString: ROTATED });
    expect((await source.keyring()).current).toBe('k1');
    clock.advance(KEYRING_TTL_MS);
    const rotated = await source.keyring();
    expect(rotated.current).toBe('k2');
    expect(Object.keys(rotated.keys)).toEqual(['k1', 'k2']);
    expect(reads()).toBe(2);
  });

  it('shares one read among concurrent callers', async () => {
    let release: (value: { SecretString: string }) => void = () => {};
    secrets.on(GetSecretValueCommand).callsFake(() => new Promise((resolve) => (release = resolve)));
    const waiting = Promise.all([source.keyring(), source.keyring(), source.keyring()]);
    while (reads() === 0) await new Promise((resolve) => setImmediate(resolve));
    release({ SecretString: FIRST });
    const [a, b, c] = await waiting;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(reads()).toBe(1);
  });

  it('keeps signing with the cached keyring when a refresh fails, logs it without the secret, and retries later', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: FIRST }).rejects(new Error('Secrets Manager is down'));
    const first = await source.keyring();
    clock.advance(KEYRING_TTL_MS);
    expect(await source.keyring()).toBe(first);
    expect(reads()).toBe(2);
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toContain('token keyring refresh failed');
    expect(logLines[0]).toContain('Secrets Manager is down');
    expect(logLines[0]).not.toContain(K1);

    clock.advance(KEYRING_RETRY_MS - 1);
    await source.keyring();
    expect(reads()).toBe(2);
    clock.advance(1);
    await source.keyring();
    expect(reads()).toBe(3);
  });

  it('fails once the cached keyring is too old to trust', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: FIRST }).rejects(new Error('AccessDeniedException'));
    await source.keyring();
    clock.advance(KEYRING_TTL_MS + KEYRING_MAX_STALE_MS);
    await expect(source.keyring()).rejects.toThrow(KeyringUnavailableError);
    expect(logLines.at(-1)).toContain('token keyring unavailable');
  });

  it('fails with no keyring at all, and reads again on the next call', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('ResourceNotFoundException')).resolves({ SecretString: FIRST });
    await expect(source.keyring()).rejects.toThrow(`cannot read the token keyring secret ${SECRET_ARN}: ResourceNotFoundException`);
    expect((await source.keyring()).current).toBe('k1');
  });

  it('names a secret that is not a keyring, without its value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k1=not-json-at-all' });
    const failure = source.keyring();
    await expect(failure).rejects.toThrow(`the token keyring secret ${SECRET_ARN} holds no valid keyring: keyring is not valid JSON`);
    await expect(failure).rejects.not.toThrow('not-json-at-all');
    expect(logLines.join('\n')).not.toContain('not-json-at-all');
  });

  it('names a keyring of the wrong shape and a secret with no string value', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ current: 'k9', k1: K1 }) })
      .resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(source.keyring()).rejects.toThrow('holds no valid keyring: keyring is invalid: the current key id is not among the keys');
    await expect(source.keyring()).rejects.toThrow('has no string value');
  });
});
