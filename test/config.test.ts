// Per-function configuration: each schema takes its function's variables, names every missing one, and gives the keyring only to signers.
import { ConfigError, loadConfig, type FunctionName } from '../lambdas/config';
import { DEFAULT_SES_MAX_SEND_RATE } from '../lambdas/core/send-rate';

const KEYRING_JSON = JSON.stringify({ current: 'k1', k1: 'a-test-secret-of-at-least-32-characters' });
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:papertrend-token-keyring-AbCdEf';

const runtime = { AWS_REGION: 'eu-west-1', POWERTOOLS_SERVICE_NAME: 'papertrend', POWERTOOLS_METRICS_NAMESPACE: 'Papertrend' };
const keyringArn = { TOKEN_KEYRING_SECRET_ARN: SECRET_ARN };
const email = {
  SENDER_ADDRESS: 'Papertrend <digest@papertrend.example>',
  PUBLIC_BASE_URL: 'https://papertrend.example/',
  POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
  SES_CONFIGURATION_SET: 'papertrend',
  SES_MAX_SEND_RATE: '20',
  TOKEN_KEYRING_SECRET_ARN: SECRET_ARN,
};

/** The brief's list for each function, as the CDK stack sets it. */
const ENVIRONMENTS: Record<FunctionName, Record<string, string>> = {
  'fetch-papers': { ...runtime, PAPERS_TABLE: 'papertrend-papers' },
  'plan-digests': { ...runtime, SUBSCRIBERS_TABLE: 'papertrend-subscribers', DIGEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests' },
  'send-digest': { ...runtime, ...email, PAPERS_TABLE: 'papertrend-papers', SUBSCRIBERS_TABLE: 'papertrend-subscribers', LEDGER_TABLE: 'papertrend-ledger' },
  'sign-up': { ...runtime, ...email, SUBSCRIBERS_TABLE: 'papertrend-subscribers' },
  api: {
    ...runtime,
    ...keyringArn,
    PAPERS_TABLE: 'papertrend-papers',
    SUBSCRIBERS_TABLE: 'papertrend-subscribers',
    LEDGER_TABLE: 'papertrend-ledger',
    PUBLIC_BASE_URL: 'https://papertrend.example',
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    SIGN_UP_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sign-ups',
  },
  'ses-events': { ...runtime, SUBSCRIBERS_TABLE: 'papertrend-subscribers', LEDGER_TABLE: 'papertrend-ledger' },
};

const without = (env: Record<string, string>, name: string) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError thrown');
}

describe.each(Object.keys(ENVIRONMENTS) as FunctionName[])('the %s schema', (name) => {
  const env = ENVIRONMENTS[name];

  it('accepts its list of variables', () => {
    expect(() => loadConfig(env, name)).not.toThrow();
  });

  it.each(Object.keys(env).filter((variable) => variable !== 'SES_MAX_SEND_RATE'))('fails naming %s when it is missing', (variable) => {
    const message = configError(() => loadConfig(without(env, variable), name));
    expect(message).toContain(name);
    expect(message).toContain(variable);
  });
});

describe('per-function configuration', () => {
  it('names every missing variable at once', () => {
    const message = configError(() => loadConfig({ AWS_REGION: 'eu-west-1' }, 'send-digest'));
    for (const variable of [
      'POWERTOOLS_SERVICE_NAME',
      'PAPERS_TABLE',
      'SUBSCRIBERS_TABLE',
      'LEDGER_TABLE',
      'SENDER_ADDRESS',
      'PUBLIC_BASE_URL',
      'POSTAL_ADDRESS',
      'SES_CONFIGURATION_SET',
    ]) {
      expect(message).toContain(`${variable}: missing`);
    }
    expect(message).toContain('TOKEN_KEYRING_SECRET_ARN (or TOKEN_KEYRING locally): missing');
  });

  it('gives the api no email settings (the sign-up worker sends the confirmations), only the footer a digest’s web version repeats', () => {
    const config = loadConfig({ ...ENVIRONMENTS.api, ...email }, 'api');
    for (const name of ['SENDER_ADDRESS', 'SES_CONFIGURATION_SET', 'SES_MAX_SEND_RATE']) expect(config).not.toHaveProperty(name);
    expect(config).toMatchObject({ POSTAL_ADDRESS: email.POSTAL_ADDRESS, PUBLIC_BASE_URL: 'https://papertrend.example' });
  });

  it('reads only its own variables', () => {
    const config = loadConfig({ ...ENVIRONMENTS['fetch-papers'], SUBSCRIBERS_TABLE: 'papertrend-subscribers', SENDER_ADDRESS: 'x@y.z' }, 'fetch-papers');
    expect(config).not.toHaveProperty('SUBSCRIBERS_TABLE');
    expect(config).not.toHaveProperty('SENDER_ADDRESS');
    expect(config.ARXIV_CATEGORIES).toEqual(['cs.CL', 'cs.LG', 'cs.AI', 'cs.CV']);
  });

  it('names an invalid value', () => {
    expect(configError(() => loadConfig({ ...ENVIRONMENTS['sign-up'], SES_MAX_SEND_RATE: '-3' }, 'sign-up'))).toContain('SES_MAX_SEND_RATE');
    expect(configError(() => loadConfig({ ...ENVIRONMENTS.api, SIGN_UP_QUEUE_URL: 'sign-ups' }, 'api'))).toContain('SIGN_UP_QUEUE_URL');
    expect(configError(() => loadConfig({ ...ENVIRONMENTS['plan-digests'], DIGEST_QUEUE_URL: 'digests' }, 'plan-digests'))).toContain('DIGEST_QUEUE_URL');
  });

  it('defaults the send rate and trims the base URL', () => {
    const config = loadConfig(without(ENVIRONMENTS['send-digest'], 'SES_MAX_SEND_RATE'), 'send-digest');
    expect(config.SES_MAX_SEND_RATE).toBe(DEFAULT_SES_MAX_SEND_RATE);
    expect(config.PUBLIC_BASE_URL).toBe('https://papertrend.example');
    expect(loadConfig(ENVIRONMENTS['sign-up'], 'sign-up').SES_MAX_SEND_RATE).toBe(20);
  });

  it('leases a digest send for 15 minutes unless CLAIM_LEASE_SECONDS says otherwise, and refuses a lease that is not a whole positive number', () => {
    expect(loadConfig(ENVIRONMENTS['send-digest'], 'send-digest').CLAIM_LEASE_SECONDS).toBe(900);
    expect(loadConfig({ ...ENVIRONMENTS['send-digest'], CLAIM_LEASE_SECONDS: '2' }, 'send-digest').CLAIM_LEASE_SECONDS).toBe(2);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(configError(() => loadConfig({ ...ENVIRONMENTS['send-digest'], CLAIM_LEASE_SECONDS: bad }, 'send-digest'))).toContain('CLAIM_LEASE_SECONDS');
    }
  });
});

describe('the keyring variables', () => {
  it.each(['send-digest', 'sign-up', 'api'] as const)('%s takes the secret ARN in AWS', (name) => {
    expect(loadConfig(ENVIRONMENTS[name], name).keyring).toEqual({ secretArn: SECRET_ARN });
  });

  it.each(['send-digest', 'sign-up', 'api'] as const)('%s takes the keyring itself locally, parsed at cold start', (name) => {
    const config = loadConfig({ ...without(ENVIRONMENTS[name], 'TOKEN_KEYRING_SECRET_ARN'), TOKEN_KEYRING: KEYRING_JSON }, name);
    expect(config.keyring).toEqual({ keyring: { current: 'k1', keys: { k1: Buffer.from('a-test-secret-of-at-least-32-characters') } } });
  });

  it.each(['send-digest', 'sign-up', 'api'] as const)('%s refuses both and neither', (name) => {
    expect(configError(() => loadConfig({ ...ENVIRONMENTS[name], TOKEN_KEYRING: KEYRING_JSON }, name))).toMatch(
      /TOKEN_KEYRING_SECRET_ARN, TOKEN_KEYRING: set one of them, not both/,
    );
    expect(configError(() => loadConfig(without(ENVIRONMENTS[name], 'TOKEN_KEYRING_SECRET_ARN'), name))).toContain(
      'TOKEN_KEYRING_SECRET_ARN (or TOKEN_KEYRING locally): missing',
    );
  });

  it('names a keyring that does not parse, without its value', () => {
    const env = { ...without(ENVIRONMENTS.api, 'TOKEN_KEYRING_SECRET_ARN'), TOKEN_KEYRING: '{"current":"k1","k1":"short-secret-value"}' };
    const message = configError(() => loadConfig(env, 'api'));
    expect(message).toContain('TOKEN_KEYRING: keyring is invalid');
    expect(message).not.toContain('short-secret-value');
  });

  it('refuses an ARN that is not a Secrets Manager secret', () => {
    expect(configError(() => loadConfig({ ...ENVIRONMENTS.api, TOKEN_KEYRING_SECRET_ARN: 'arn:aws:s3:::bucket' }, 'api'))).toContain(
      'TOKEN_KEYRING_SECRET_ARN: not a Secrets Manager secret ARN',
    );
  });

  it.each(['fetch-papers', 'plan-digests', 'ses-events'] as const)('%s must not be given the keyring', (name) => {
    expect(configError(() => loadConfig({ ...ENVIRONMENTS[name], TOKEN_KEYRING_SECRET_ARN: SECRET_ARN }, name))).toContain(
      'TOKEN_KEYRING_SECRET_ARN: must not be set',
    );
    expect(configError(() => loadConfig({ ...ENVIRONMENTS[name], TOKEN_KEYRING: KEYRING_JSON }, name))).toContain('TOKEN_KEYRING: must not be set');
  });
});

describe('the local schema (every function in one process)', () => {
  const local = {
    AWS_REGION: 'local',
    PAPERS_TABLE: 'papers',
    SUBSCRIBERS_TABLE: 'subscribers',
    LEDGER_TABLE: 'ledger',
    SENDER_ADDRESS: 'digest@papertrend.local',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    TOKEN_KEYRING: KEYRING_JSON,
  };

  it('needs no Powertools settings, configuration set or queue, and holds the keyring itself', () => {
    const config = loadConfig(local);
    expect(config.keyring.current).toBe('k1');
    expect(config.SES_CONFIGURATION_SET).toBeUndefined();
    expect(config.SES_MAX_SEND_RATE).toBe(DEFAULT_SES_MAX_SEND_RATE);
  });

  it('names a missing keyring', () => {
    expect(configError(() => loadConfig(without(local, 'TOKEN_KEYRING')))).toContain('TOKEN_KEYRING: missing');
  });
});
