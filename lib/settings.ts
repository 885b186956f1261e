// Deployment settings: one zod-validated object read from CDK context; a missing setting fails synth and deploy by name.
import * as z from 'zod';
import { DEFAULT_SES_MAX_SEND_RATE } from '../lambdas/core/send-rate';

const hostname = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain name such as papertrend.example.org');

/** `Name <address@domain>` or a bare address; the domain is the SES identity. */
const senderAddress = z
  .string()
  .regex(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'an address such as "Papertrend <digest@papertrend.example.org>"');

/** The domain of a sender address (`Name <user@domain>` or `user@domain`), lowercased. */
export function domainOf(address: string): string {
  return /@([^\s<>@]+)>?$/.exec(address)![1]!.toLowerCase();
}

/** Whether `domain` is `zone` itself or a name inside it. */
function inZone(domain: string, zone: string): boolean {
  return domain === zone || domain.endsWith(`.${zone}`);
}

// Each description is what a missing setting's error says and what the README's settings table explains.
export const settingsSchema = z
  .object({
    account: z
      .string()
      .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
      .describe('the AWS account id to deploy to (defaults to the account of the credentials in use)'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
      .describe('the AWS region, e.g. eu-west-1, where SES is verified and out of the sandbox'),
    senderAddress: senderAddress.describe('the From of every email, e.g. "Papertrend <digest@papertrend.example.org>"; its domain becomes the SES identity'),
    postalAddress: z.string().min(5, 'a postal address of 5 or more characters').describe("the sender's postal address, printed in every email's footer"),
    alarmEmail: z.email('an email address for the alarms').describe('the address the alarm topic emails (confirm the subscription once)'),
    domainName: hostname.optional().describe("the site's own domain; without it the site is served at the API's stage URL"),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{4,32}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
      .optional()
      .describe('Route 53 public hosted zone of the sending domain (and the site domain): DKIM, MAIL FROM, DMARC and alias records are made there'),
    hostedZoneName: hostname.optional().describe('the name of that hosted zone (given together with hostedZoneId)'),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:/, 'an ACM certificate ARN')
      .optional()
      .describe('ACM certificate for domainName in the same region; made and DNS-validated in the hosted zone when left out'),
    mailFromSubdomain: z
      .string()
      .regex(/^[a-z0-9-]{1,63}$/, 'one DNS label such as bounce')
      .default('bounce')
      .describe('the custom MAIL FROM domain is <mailFromSubdomain>.<sending domain>'),
    dmarcReportEmail: z
      .email('an email address for DMARC aggregate reports')
      .optional()
      .describe("where receivers send DMARC aggregate reports (the DMARC record's rua)"),
    sesMaxSendRate: z.coerce
      .number()
      .positive('a positive number of emails per second')
      .default(DEFAULT_SES_MAX_SEND_RATE)
      .describe("the account's SES maximum send rate per second (SES console, Account dashboard)"),
  })
  .refine((s) => (s.hostedZoneId === undefined) === (s.hostedZoneName === undefined), {
    message: 'hostedZoneId and hostedZoneName go together',
    path: ['hostedZoneName'],
  })
  .refine((s) => !s.domainName || s.certificateArn || s.hostedZoneId, {
    message: 'a domainName needs a certificateArn or a hosted zone to make one in',
    path: ['certificateArn'],
  })
  .refine((s) => !s.hostedZoneName || inZone(domainOf(s.senderAddress), s.hostedZoneName), {
    message: "the sender address's domain must be in the hosted zone, where its DKIM, MAIL FROM and DMARC records are made",
    path: ['hostedZoneName'],
  });

/** Setting names as passed with `-c name=value`. */
export type SettingName = keyof typeof settingsSchema.shape;

export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];

export type DeploySettings = z.infer<typeof settingsSchema> & {
  /** The domain of senderAddress: the SES email identity. */
  sendingDomain: string;
};

/**
 * Values that let `npm run synth` work offline with no account (`-c placeholders=true`); never for
 * deploy: the account is always the placeholder one then, so `cdk deploy` refuses real credentials.
 */
export const PLACEHOLDER_SETTINGS = {
  account: '123456789012',
  region: 'eu-west-1',
  senderAddress: 'Papertrend <digest@papertrend.example>',
  postalAddress: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
  alarmEmail: 'alarms@papertrend.example',
} as const;

/** A problem with the deployment settings, naming every missing or invalid one. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

function isRequired(name: SettingName): boolean {
  return !settingsSchema.shape[name].safeParse(undefined).success;
}

function describeProblems(raw: Record<string, unknown>, issues: z.core.$ZodIssue[]): string[] {
  const missing = SETTING_NAMES.filter((name) => raw[name] === undefined && isRequired(name));
  const invalid = issues
    .filter((issue) => !missing.includes(issue.path[0] as SettingName))
    .map((issue) => `  invalid ${issue.path.join('.') || 'settings'}: ${issue.message}`);
  return [...missing.map((name) => `  missing ${name}: ${settingsSchema.shape[name].description}`), ...invalid];
}

/**
 * The settings from CDK context (`-c name=value`; `account` falls back to the CLI's
 * CDK_DEFAULT_ACCOUNT, the account of the credentials in use). `region` has no fallback: the CLI
 * says us-east-1 when no profile names one, and SES identities, sandbox and quotas are per region.
 * With `placeholders=true`, missing values take PLACEHOLDER_SETTINGS.
 * Throws a SettingsError naming every missing or invalid setting.
 */
export function loadSettings(context: (name: string) => unknown, env: Record<string, string | undefined> = {}): DeploySettings {
  const placeholders = String(context('placeholders') ?? '') === 'true';
  const raw: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const value = context(name);
    if (value !== undefined && value !== '') raw[name] = value;
  }
  raw.account ??= env.CDK_DEFAULT_ACCOUNT || undefined;
  if (placeholders) {
    for (const [name, value] of Object.entries(PLACEHOLDER_SETTINGS)) raw[name] ??= value;
    raw.account = PLACEHOLDER_SETTINGS.account;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SettingsError(
      [
        'Papertrend deployment settings are missing or invalid. Pass each with -c name=value',
        '(e.g. npx cdk deploy --all -c account=123456789012 -c region=eu-west-1 ...), or -c placeholders=true',
        'for an offline synth that can never be deployed:',
        ...describeProblems(raw, parsed.error.issues),
      ].join('\n'),
    );
  }
  return { ...parsed.data, sendingDomain: domainOf(parsed.data.senderAddress) };
}
