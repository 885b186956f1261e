// CDK entry: validated deployment settings -> DataStack (stateful) + AppStack (stateless).
import { App } from 'aws-cdk-lib';
import * as z from 'zod';
import { AppStack } from '../lib/app-stack';
import { DataStack } from '../lib/data-stack';

const settingsSchema = z.object({
  account: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
  senderAddress: z.string().min(3),
  publicBaseUrl: z.string().url(),
  postalAddress: z.string().min(5),
  sesConfigurationSet: z.string().optional(),
});

const app = new App();
const context = (name: string, fallback?: string) => (app.node.tryGetContext(name) as string | undefined) ?? fallback;
// Placeholders let `cdk synth` run offline with no account; `cdk deploy -c account=... -c ...` sets the real ones.
const parsed = settingsSchema.safeParse({
  account: context('account', process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012'),
  region: context('region', process.env.CDK_DEFAULT_REGION ?? 'eu-west-1'),
  senderAddress: context('senderAddress', 'Papertrend <digest@papertrend.example>'),
  publicBaseUrl: context('publicBaseUrl', 'https://papertrend.example'),
  postalAddress: context('postalAddress', 'Papertrend, 1 Example Street, 10115 Berlin, Germany'),
  sesConfigurationSet: context('sesConfigurationSet'),
});
if (!parsed.success) {
  throw new Error(`invalid deployment settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}
const { account, region, ...settings } = parsed.data;
const env = { account, region };

const data = new DataStack(app, 'PapertrendData', { env, description: 'Papertrend: tables and signing keys (retained)' });
new AppStack(app, 'PapertrendApp', {
  env,
  description: 'Papertrend: functions, schedules, queue and API',
  tables: data.tables,
  tokenKeyring: data.tokenKeyring,
  ...settings,
});
