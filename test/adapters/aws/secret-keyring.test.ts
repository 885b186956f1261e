// The keyring from Secrets Manager (a local server answering GetSecretValue as Secrets Manager does) on a hand-moved clock: cache, rotation, shared reads, failures, signing.
import type { ServerResponse } from 'node:http';
import { KEYRING_MAX_STALE_MS, KEYRING_RETRY_MS, KEYRING_TTL_MS, KeyringUnavailableError, SecretKeyring } from '../../../lambdas/adapters/aws/secret-keyring';
import { SecretsManagerHttpClient } from '../../../lambdas/adapters/aws/secrets-http';
import { recordingLogger } from '../../support/test-app';
import { ManualClock } from '../../support/emulators';
import { answerJson, jsonBody, signatureIn, signatureOf, startFakeAws, type FakeAwsServer } from '../../support/fake-aws';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';
const K1 = 'first-secret-with-at-least-32-characters';
const K2 = 'second-secret-with-at-least-32-characters';
const FIRST = JSON.stringify({ current: 'k1', k1: K1 });
const ROTATED = JSON.stringify({ current: 'k2', k1: K1, k2: K2 });
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-1' };
const noWait = () => Promise.resolve();

let clock: ManualClock;
let logLines: string[];
let server: FakeAwsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answer GetSecretValue with a secret string, as Secrets Manager does. */
const secret = (value: string) => (response: ServerResponse) =>
  answerJson(response, 200, { ARN: SECRET_ARN, Name: 'papertrend-token-keyring', SecretString: value, VersionStages: ['AWSCURRENT'] });
/** Answer with a Secrets Manager error. */
const failure = (status: number, type: string, message: string) => (response: ServerResponse) =>
  answerJson(response, status, { __type: type, Message: message }, { 'content-type': 'application/x-amz-json-1.1' });

/** A keyring over a server that answers the nth read (from 0) with answers[n], the last one thereafter. */
async function keyringAnswering(...answers: Array<((response: ServerResponse) => void) | undefined>): Promise<SecretKeyring> {
  clock = new ManualClock('2026-11-28T06:00:00Z');
  logLines = [];
  await server?.close();
  server = await startFakeAws((response) => {
    const answer = answers[Math.min(server!.requests.length - 1, answers.length - 1)];
    answer?.(response);
  });
  const client = new SecretsManagerHttpClient({ region: 'eu-west-1', endpoint: server.endpoint, credentials, sleep: noWait });
  return new SecretKeyring({ client, secretId: SECRET_ARN, clock, logger: recordingLogger(logLines) });
}

const reads = () => server!.requests.length;

describe('SecretKeyring', () => {
  it('reads the secret on first use and parses it', async () => {
    const source = await keyringAnswering(secret(FIRST));
    const keyring = await source.keyring();
    expect(keyring.current).toBe('k1');
    expect(keyring.keys.k1?.toString()).toBe(K1);
    expect(reads()).toBe(1);
  });

  it('answers from the cache within the TTL', async () => {
    const source = await keyringAnswering(secret(FIRST));
    const first = await source.keyring();
    clock.advance(KEYRING_TTL_MS - 1);
    expect(await source.keyring()).toBe(first);
    expect(reads()).toBe(1);
  });

  it('keeps the same keyring object when a read after the TTL finds the secret unchanged', async () => {
    const source = await keyringAnswering(secret(FIRST));
    const first = await source.keyring();
    clock.advance(KEYRING_TTL_MS);
    expect(await source.keyring()).toBe(first);
    expect(reads()).toBe(2);
  });

  it('reads again after the TTL, so a rotation reaches a warm function', async () => {
    const source = await keyringAnswering(secret(FIRST), secret(ROTATED));
    expect((await source.keyring()).current).toBe('k1');
    clock.advance(KEYRING_TTL_MS);
    const rotated = await source.keyring();
    expect(rotated.current).toBe('k2');
    expect(Object.keys(rotated.keys)).toEqual(['k1', 'k2']);
    expect(reads()).toBe(2);
  });

  it('shares one read among concurrent callers', async () => {
    let release: () => void = () => {};
    const source = await keyringAnswering((response) => (release = () => secret(FIRST)(response)));
    const waiting = Promise.all([source.keyring(), source.keyring(), source.keyring()]);
    while (reads() === 0) await new Promise((resolve) => setImmediate(resolve));
    release();
    const [a, b, c] = await waiting;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(reads()).toBe(1);
  });

  it('keeps signing with the cached keyring when a refresh fails, logs it without the secret, and retries later', async () => {
    const source = await keyringAnswering(secret(FIRST), failure(400, 'AccessDeniedException', 'Secrets Manager is down'));
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
    const source = await keyringAnswering(secret(FIRST), failure(400, 'AccessDeniedException', 'not allowed'));
    await source.keyring();
    clock.advance(KEYRING_TTL_MS + KEYRING_MAX_STALE_MS);
    await expect(source.keyring()).rejects.toThrow(KeyringUnavailableError);
    expect(logLines.at(-1)).toContain('token keyring unavailable');
  });

  it('fails with no keyring at all, and reads again on the next call', async () => {
    const source = await keyringAnswering(failure(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret."), secret(FIRST));
    await expect(source.keyring()).rejects.toThrow(`cannot read the token keyring secret ${SECRET_ARN}: Secrets Manager can't find the specified secret.`);
    expect((await source.keyring()).current).toBe('k1');
  });

  it('retries a throttled or failed read at once, a few times, before giving up', async () => {
    const source = await keyringAnswering(failure(400, 'ThrottlingException', 'Rate exceeded'), failure(500, 'InternalServiceError', 'oops'), secret(FIRST));
    expect((await source.keyring()).current).toBe('k1');
    expect(reads()).toBe(3);

    const failing = await keyringAnswering(failure(500, 'InternalServiceError', 'oops'));
    await expect(failing.keyring()).rejects.toThrow(KeyringUnavailableError);
    expect(reads()).toBe(3);
  });

  it('names a secret that is not a keyring, without its value', async () => {
    const source = await keyringAnswering(secret('k1=not-json-at-all'));
    const failed = source.keyring();
    await expect(failed).rejects.toThrow(`the token keyring secret ${SECRET_ARN} holds no valid keyring: keyring is not valid JSON`);
    await expect(failed).rejects.not.toThrow('not-json-at-all');
    expect(logLines.join('\n')).not.toContain('not-json-at-all');
  });

  it('names a keyring of the wrong shape and a secret with no string value', async () => {
    const source = await keyringAnswering(secret(JSON.stringify({ current: 'k9', k1: K1 })), (response) =>
      answerJson(response, 200, { ARN: SECRET_ARN, SecretBinary: 'AQI=' }),
    );
    await expect(source.keyring()).rejects.toThrow('holds no valid keyring: keyring is invalid: the current key id is not among the keys');
    await expect(source.keyring()).rejects.toThrow('has no string value');
  });
});

describe('SecretsManagerHttpClient', () => {
  it('POSTs GetSecretValue to / on the JSON 1.1 protocol, signed with SigV4 for secretsmanager in the region', async () => {
    await keyringAnswering(secret(FIRST));
    const client = new SecretsManagerHttpClient({ region: 'eu-west-1', endpoint: server!.endpoint, credentials });
    expect(await client.getSecretValue({ SecretId: SECRET_ARN })).toEqual({ SecretString: FIRST });

    const [request] = server!.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(jsonBody(request!)).toEqual({ SecretId: SECRET_ARN });
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request!.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(request!.headers['x-amz-security-token']).toBe('session-token-1');
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=/,
    );
    expect(signatureOf(request!, credentials.secretAccessKey)).toBe(signatureIn(request!));
  });

  it('throws an answered error under its Secrets Manager name, without retrying a refusal', async () => {
    await keyringAnswering(failure(400, 'com.amazonaws.secretsmanager#ResourceNotFoundException', 'no such secret'));
    const client = new SecretsManagerHttpClient({ region: 'eu-west-1', endpoint: server!.endpoint, credentials, sleep: noWait });
    const error: unknown = await client.getSecretValue({ SecretId: SECRET_ARN }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'no such secret', $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
    expect(reads()).toBe(1);
  });
});
