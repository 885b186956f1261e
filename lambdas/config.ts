// The one schema over the environment, read once at cold start; a bad or missing setting fails loudly by name.
import { z } from 'zod';
import { parseKeyring, type Keyring } from './core/tokens';
import { DEFAULT_SES_MAX_SEND_RATE } from './core/send-rate';

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const environmentSchema = z.object({
  AWS_REGION: z.string().min(1),
  PAPERS_TABLE: z.string().min(3),
  SUBSCRIBERS_TABLE: z.string().min(3),
  LEDGER_TABLE: z.string().min(3),
  DYNAMODB_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  SENDER_ADDRESS: z.string().min(3),
  SES_CONFIGURATION_SET: z.string().optional(),
  SES_MAX_SEND_RATE: z.coerce.number().positive().default(DEFAULT_SES_MAX_SEND_RATE),
  /** Only the planner sends to the digest queue; the other functions run without it. */
  DIGEST_QUEUE_URL: optionalUrl,
  PUBLIC_BASE_URL: z.string().url().transform((url) => url.replace(/\/+$/, '')),
  POSTAL_ADDRESS: z.string().min(5),
  TOKEN_KEYRING: z.string().min(2),
  HF_BASE_URL: z.string().url().default('https://huggingface.co'),
  ARXIV_BASE_URL: z.string().url().default('https://export.arxiv.org'),
  ARXIV_CATEGORIES: z
    .string()
    .default('cs.CL,cs.LG,cs.AI,cs.CV')
    .transform((text) => text.split(',').map((c) => c.trim()).filter(Boolean)),
  SOURCE_TIMEOUT_MS: positiveInt(15_000),
  SOURCE_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  USER_AGENT: z.string().default('Papertrend/0.1 (+https://github.com/papertrend)'),
});

export type Environment = z.infer<typeof environmentSchema>;
export type Config = Omit<Environment, 'TOKEN_KEYRING'> & { keyring: Keyring };

/** A configuration problem, naming every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse the environment; throws ConfigError naming each missing or invalid variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const { TOKEN_KEYRING, ...rest } = parsed.data;
  let keyring: Keyring;
  try {
    keyring = parseKeyring(TOKEN_KEYRING);
  } catch (error) {
    throw new ConfigError(`invalid configuration: TOKEN_KEYRING: ${(error as Error).message}`);
  }
  return { ...rest, keyring };
}
