// The local stack's settings: ports, endpoints and a signing keyring kept under .data/, shared by `npm start` and the CLI.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { tableNames } from '../lambdas/adapters/aws/table-definitions';
import { parseStagePath } from '../lambdas/adapters/local/http-gateway';
import { composeApp, type AppOptions, type LocalApp } from '../lambdas/compose';
import { loadConfig } from '../lambdas/config';
import { utcDay } from '../lambdas/core/day';
import { signToken, type Keyring } from '../lambdas/core/tokens';
import { DIGEST_PAGE_PATH } from '../lambdas/use-cases/emailing';

const localSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  MAILBOX_PORT: z.coerce.number().int().min(1).max(65535).default(8005),
  DYNAMODB_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DATA_DIR: z.string().default('.data'),
  /** A stage path such as `/prod`, to serve the site as API Gateway's execute-api URL does. */
  BASE_PATH: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseStagePath(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

const OVERRIDABLE = [
  'PAPERS_TABLE',
  'SUBSCRIBERS_TABLE',
  'LEDGER_TABLE',
  'CLAIM_LEASE_SECONDS',
  'SENDER_ADDRESS',
  'PUBLIC_BASE_URL',
  'POSTAL_ADDRESS',
  'TOKEN_KEYRING',
  'SES_CONFIGURATION_SET',
  'HF_BASE_URL',
  'ARXIV_BASE_URL',
  'ARXIV_CATEGORIES',
  'SOURCE_TIMEOUT_MS',
  'SOURCE_RETRIES',
  'USER_AGENT',
];

export interface LocalSettings {
  host: string;
  port: number;
  mailboxPort: number;
  dynamoPort: number;
  dataDir: string;
  /** `''`, or the stage path the site is served under (`/prod`). */
  basePath: string;
  /** The site's address, stage path included, without a trailing slash. */
  siteUrl: string;
  mailboxUrl: string;
  dynamoUrl: string;
  /** The environment the Lambda code reads (see lambdas/config.ts), pointed at the local servers. */
  env: Record<string, string>;
}

/** A keyring made once per data folder, so links in old local emails keep working across restarts. */
function localKeyring(dataDir: string): string {
  const file = resolve(dataDir, 'token-keyring.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const keyring = { current: 'local-1', 'local-1': randomBytes(32).toString('base64url') };
    writeFileSync(file, JSON.stringify(keyring), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}

/** Settings from the process environment, with the README's defaults. Throws naming a bad variable. */
export function localSettings(processEnv: NodeJS.ProcessEnv = process.env): LocalSettings {
  const parsed = localSchema.safeParse(processEnv);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { PORT, MAILBOX_PORT, DYNAMODB_PORT, DATA_DIR, BASE_PATH } = parsed.data;
  const host = '127.0.0.1';
  const siteUrl = `http://${host}:${PORT}${BASE_PATH}`;
  const mailboxUrl = `http://${host}:${MAILBOX_PORT}`;
  const dynamoUrl = `http://${host}:${DYNAMODB_PORT}`;
  const tables = tableNames();
  const env: Record<string, string> = {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    PAPERS_TABLE: tables.papers,
    SUBSCRIBERS_TABLE: tables.subscribers,
    LEDGER_TABLE: tables.ledger,
    DYNAMODB_ENDPOINT: dynamoUrl,
    SES_ENDPOINT: mailboxUrl,
    SENDER_ADDRESS: 'Papertrend <digest@papertrend.local>',
    PUBLIC_BASE_URL: siteUrl,
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
    TOKEN_KEYRING: localKeyring(DATA_DIR),
  };
  // Lambda settings set in the real environment win, so each can be tried locally; the endpoints
  // and credentials stay local so a stray AWS profile is never used.
  for (const name of OVERRIDABLE) {
    const value = processEnv[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return {
    host,
    port: PORT,
    mailboxPort: MAILBOX_PORT,
    dynamoPort: DYNAMODB_PORT,
    dataDir: DATA_DIR,
    basePath: BASE_PATH,
    siteUrl,
    mailboxUrl,
    dynamoUrl,
    env,
  };
}

/** The project's sample feed, read when the live sources cannot be reached. */
export const SAMPLES_DIR = resolve(__dirname, '..', 'samples');

/** Credentials for the local emulators: they accept any, and a real AWS profile must never be used. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The application wired to the local servers of `settings`. */
export function localApp(settings: LocalSettings, options: Omit<AppOptions, 'credentials'> = {}): LocalApp {
  // The local tools run on this machine's Node 20 by design; the SDK's notice about Node 22 would
  // print on every command. Lambda runs Node 24 and never sees it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return composeApp(loadConfig(settings.env), { ...options, credentials: LOCAL_CREDENTIALS });
}

/**
 * Whether the stack at `siteUrl` verifies links signed with `keyring`: it answers a web-version link
 * for a subscriber nobody has with 410 when the signature holds and 400 when it does not; undefined
 * when the answer tells neither. A CLI run with another DATA_DIR than `npm start` would otherwise
 * send emails whose every link, the unsubscribe included, the site refuses.
 */
export async function stackSharesKeyring(siteUrl: string, keyring: Keyring, now: Date): Promise<boolean | undefined> {
  const token = signToken(keyring, { subscriberId: 'keyring-probe', purpose: 'view', subject: utcDay(now) }, now);
  try {
    const response = await fetch(`${siteUrl}${DIGEST_PAGE_PATH}?token=${token}`, { signal: AbortSignal.timeout(2000) });
    return response.status === 410 ? true : response.status === 400 ? false : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the local stack of `settings` answers on its site port. */
export async function localStackIsUp(settings: LocalSettings): Promise<boolean> {
  try {
    const response = await fetch(`${settings.siteUrl}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}
