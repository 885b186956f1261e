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

export const settingsSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
    /** Verified SES sender; its domain gets the Easy DKIM identity and the MAIL FROM domain. */
    senderAddress,
    /** Printed in every email's footer (CAN-SPAM and similar laws ask for one). */
    postalAddress: z.string().min(5, 'a postal address of 5 or more characters'),
    /** Receives the alarms (SNS email subscription; confirm it once). */
    alarmEmail: z.email('an email address for the alarms'),
    /** The site's own domain; without it the site is served at the API's stage URL. */
    domainName: hostname.optional(),
    /** Route 53 hosted zone of the sending domain (and the site's domain): DKIM, MAIL FROM, DMARC and alias records are made there. */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ').optional(),
    hostedZoneName: hostname.optional(),
    /** ACM certificate (same region) for domainName; made and DNS-validated in the hosted zone when left out. */
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:/, 'an ACM certificate ARN').optional(),
    /** Subdomain of the sending domain used as the custom MAIL FROM domain. */
    mailFromSubdomain: z.string().regex(/^[a-z0-9-]{1,63}$/).default('bounce'),
    /** The account's SES maximum send rate, per second (SES console: Account dashboard). */
    sesMaxSendRate: z.coerce.number().positive().default(DEFAULT_SES_MAX_SEND_RATE),
  })
  .refine((s) => (s.hostedZoneId === undefined) === (s.hostedZoneName === undefined), {
    message: 'hostedZoneId and hostedZoneName go together',
    path: ['hostedZoneName'],
  })
  .refine((s) => !s.domainName || s.certificateArn || s.hostedZoneId, {
    message: 'a domainName needs a certificateArn or a hosted zone to make one in',
    path: ['certificateArn'],
  });

export type DeploySettings = z.infer<typeof settingsSchema> & {
  /** The domain of senderAddress: the SES email identity. */
  sendingDomain: string;
};

/** Values that let `npm run synth` work offline with no account (`-c placeholders=true`); never for deploy. */
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

/**
 * The settings from CDK context (`-c name=value`; `account` and `region` fall back to the CLI's
 * CDK_DEFAULT_* variables). With `placeholders=true`, missing values take PLACEHOLDER_SETTINGS.
 */
export function loadSettings(context: (name: string) => unknown, env: Record<string, string | undefined> = {}): DeploySettings {
  const placeholders = String(context('placeholders') ?? '') === 'true';
  const names = Object.keys(settingsSchema.shape);
  const raw: Record<string, unknown> = {};
  for (const name of names) {
    const value = context(name);
    if (value !== undefined && value !== '') raw[name] = value;
  }
  raw.account ??= env.CDK_DEFAULT_ACCOUNT;
  raw.region ??= env.CDK_DEFAULT_REGION;
  if (placeholders) for (const [name, value] of Object.entries(PLACEHOLDER_SETTINGS)) raw[name] ??= value;
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`);
    throw new SettingsError(`invalid deployment settings (pass each with -c name=value): ${problems.join('; ')}`);
  }
  const sendingDomain = /@([^\s<>@]+)>?$/.exec(parsed.data.senderAddress)![1]!.toLowerCase();
  return { ...parsed.data, sendingDomain };
}
