// Per-function schemas over the environment, read once at cold start; a missing or invalid setting fails loudly by name.
import * as z from './core/zod';
import { DEFAULT_CLAIM_LEASE_SECONDS } from './core/digest-ledger';
import { DEFAULT_SES_MAX_SEND_RATE } from './core/send-rate';
import { parseKeyring, type Keyring } from './core/tokens';

const optionalUrl = z.union([
  z.optional(z.url()),
  z.pipe(
    z.literal(''),
    z.transform(() => undefined),
  ),
]);

const positiveInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.positive()), fallback);
const tableName = z.string().check(z.minLength(3));
const nonEmpty = z.string().check(z.minLength(1));

// The shared pieces; each function's schema is made of the ones it uses.
const region = { AWS_REGION: nonEmpty };
/** Powertools reads these too; the schema makes a function without them fail at cold start rather than log under a default. */
const powertools = { POWERTOOLS_SERVICE_NAME: nonEmpty, POWERTOOLS_METRICS_NAMESPACE: nonEmpty };
const dynamo = { DYNAMODB_ENDPOINT: optionalUrl };
const papersTable = { PAPERS_TABLE: tableName };
const subscribersTable = { SUBSCRIBERS_TABLE: tableName };
const ledgerTable = { LEDGER_TABLE: tableName };
/** Where a signing function reads its keyring secret: unset in AWS; a local server in tests. */
const secretsManager = { SECRETS_MANAGER_ENDPOINT: optionalUrl };
/** Seconds a digest may stay `sending` before it is closed as unknown; short only in tests and the chaos check. */
const claimLease = { CLAIM_LEASE_SECONDS: positiveInt(DEFAULT_CLAIM_LEASE_SECONDS) };
const sesShared = {
  SES_ENDPOINT: optionalUrl,
  SENDER_ADDRESS: z.string().check(z.minLength(3)),
  /** Emails per second the account may send; the senders split it (lambdas/core/send-rate.ts). */
  SES_MAX_SEND_RATE: z._default(z.coerce.number().check(z.positive()), DEFAULT_SES_MAX_SEND_RATE),
};
/** In AWS every email goes through the configuration set, whose events feed ses-events. */
const ses = { ...sesShared, SES_CONFIGURATION_SET: nonEmpty };
const siteLinks = {
  PUBLIC_BASE_URL: z.pipe(
    z.url(),
    z.transform((url: string) => url.replace(/\/+$/, '')),
  ),
  POSTAL_ADDRESS: z.string().check(z.minLength(5)),
};
const sources = {
  HF_BASE_URL: z._default(z.url(), 'https://huggingface.co'),
  ARXIV_BASE_URL: z._default(z.url(), 'https://export.arxiv.org'),
  ARXIV_CATEGORIES: z.pipe(
    z._default(z.string(), 'cs.CL,cs.LG,cs.AI,cs.CV'),
    z.transform((text: string) =>
      text
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ),
  SOURCE_TIMEOUT_MS: positiveInt(15_000),
  SOURCE_RETRIES: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(10)), 3),
  USER_AGENT: z._default(z.string(), 'Papertrend/0.1 (+https://github.com/papertrend)'),
};
const lambda = { ...region, ...powertools, ...dynamo };

/**
 * How a function gets the signing keyring: `secret` (send-digest, sign-up, api) takes exactly one of
 * TOKEN_KEYRING_SECRET_ARN (AWS) or TOKEN_KEYRING (the JSON itself, local and tests); `static` (the
 * local stack) takes TOKEN_KEYRING; `none` refuses both, so no other function can hold the keys.
 */
type KeyringRule = 'secret' | 'static' | 'none';

const SCHEMAS = {
  'fetch-papers': { env: z.object({ ...lambda, ...papersTable, ...sources }), keyring: 'none' },
  'plan-digests': { env: z.object({ ...lambda, ...subscribersTable, DIGEST_QUEUE_URL: z.url() }), keyring: 'none' },
  'send-digest': {
    env: z.object({ ...lambda, ...secretsManager, ...papersTable, ...subscribersTable, ...ledgerTable, ...claimLease, ...ses, ...siteLinks }),
    keyring: 'secret',
  },
  /** The site: reads and changes subscribers, queues sign-ups, reads ledger days for digests' web versions; sends no email (the sign-up worker does). */
  api: {
    env: z.object({ ...lambda, ...secretsManager, ...papersTable, ...subscribersTable, ...ledgerTable, ...siteLinks, SIGN_UP_QUEUE_URL: z.url() }),
    keyring: 'secret',
  },
  /** The sign-up worker (SQS consumer): writes the sign-up and sends its confirmation email. */
  'sign-up': { env: z.object({ ...lambda, ...secretsManager, ...subscribersTable, ...ses, ...siteLinks }), keyring: 'secret' },
  'ses-events': { env: z.object({ ...lambda, ...subscribersTable, ...ledgerTable }), keyring: 'none' },
  /** Every function in one process (the local stack, the CLI, the tests): the union of the above. */
  local: {
    env: z.object({
      ...region,
      ...dynamo,
      ...papersTable,
      ...subscribersTable,
      ...ledgerTable,
      ...claimLease,
      ...sesShared,
      SES_CONFIGURATION_SET: z.optional(nonEmpty),
      ...siteLinks,
      ...sources,
      /** Only the planner sends to the digest queue; locally the queue is in-process. */
      DIGEST_QUEUE_URL: optionalUrl,
    }),
    keyring: 'static',
  },
} as const satisfies Record<string, { env: z.ZodMiniObject; keyring: KeyringRule }>;

export type ConfigName = keyof typeof SCHEMAS;
/** The Lambda functions, each with its own schema. */
export type FunctionName = Exclude<ConfigName, 'local'>;

/** Where a signing function reads its keyring: a Secrets Manager secret, or the keyring itself. */
export type KeyringSetting = { secretArn: string } | { keyring: Keyring };

type KeyringFields<R extends KeyringRule> = R extends 'secret' ? { keyring: KeyringSetting } : R extends 'static' ? { keyring: Keyring } : unknown;

export type ConfigOf<N extends ConfigName> = z.output<(typeof SCHEMAS)[N]['env']> & KeyringFields<(typeof SCHEMAS)[N]['keyring']>;
export type FetchPapersConfig = ConfigOf<'fetch-papers'>;
export type PlanDigestsConfig = ConfigOf<'plan-digests'>;
export type SendDigestConfig = ConfigOf<'send-digest'>;
export type ApiConfig = ConfigOf<'api'>;
export type SignUpConfig = ConfigOf<'sign-up'>;
export type SesEventsConfig = ConfigOf<'ses-events'>;
export type LocalConfig = ConfigOf<'local'>;
/** The whole application's configuration (local stack, CLI, tests). */
export type Config = LocalConfig;

/** A configuration problem, naming every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;
type Problem = string;

const present = (env: Environment, name: string) => env[name] !== undefined && env[name] !== '';

/** The keyring fields for `rule`, or the problems that name the variables at fault. */
function keyringFor(rule: KeyringRule, env: Environment): { fields: object } | { problems: Problem[] } {
  const hasArn = present(env, 'TOKEN_KEYRING_SECRET_ARN');
  const hasJson = present(env, 'TOKEN_KEYRING');
  if (rule === 'none') {
    const given = ['TOKEN_KEYRING_SECRET_ARN', 'TOKEN_KEYRING'].filter((name) => present(env, name));
    return given.length === 0 ? { fields: {} } : { problems: given.map((name) => `${name}: must not be set, this function signs no links`) };
  }
  if (rule === 'secret' && hasArn && hasJson) return { problems: ['TOKEN_KEYRING_SECRET_ARN, TOKEN_KEYRING: set one of them, not both'] };
  if (rule === 'secret' && hasArn) {
    const arn = env.TOKEN_KEYRING_SECRET_ARN!;
    return /^arn:aws[a-z-]*:secretsmanager:/.test(arn)
      ? { fields: { keyring: { secretArn: arn } } }
      : { problems: ['TOKEN_KEYRING_SECRET_ARN: not a Secrets Manager secret ARN'] };
  }
  if (!hasJson) return { problems: [rule === 'secret' ? 'TOKEN_KEYRING_SECRET_ARN (or TOKEN_KEYRING locally): missing' : 'TOKEN_KEYRING: missing'] };
  try {
    const keyring = parseKeyring(env.TOKEN_KEYRING!);
    return { fields: { keyring: rule === 'secret' ? { keyring } : keyring } };
  } catch (error) {
    return { problems: [`TOKEN_KEYRING: ${(error as Error).message}`] };
  }
}

/**
 * Parse the environment with the schema of `name` (a Lambda function, or `local` for everything in
 * one process); throws one ConfigError naming each missing or invalid variable.
 */
export function loadConfig<N extends ConfigName = 'local'>(env: Environment, name?: N): ConfigOf<N> {
  const schema = SCHEMAS[name ?? 'local'];
  const parsed = schema.env.safeParse(env);
  const keyring = keyringFor(schema.keyring, env);
  const problems: Problem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        return `${variable}: ${env[variable] === undefined ? 'missing' : issue.message}`;
      });
  if ('problems' in keyring) problems.push(...keyring.problems);
  if (!parsed.success || 'problems' in keyring) {
    throw new ConfigError(`invalid configuration${name ? ` for ${name}` : ''}: ${problems.join('; ')}`);
  }
  return { ...parsed.data, ...keyring.fields } as ConfigOf<N>;
}
