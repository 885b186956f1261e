// Synthesizes the AppStack for assertions, with the DataStack's outputs as plain values (tables from a minimal stack).
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { TableRole } from '../../lambdas/adapters/aws/table-definitions';
import { AppStack } from '../../lib/app-stack';
import type { HandlerName } from '../../lib/constructs/papertrend-function';
import { loadSettings, type DeploySettings } from '../../lib/settings';

process.env.CDK_VALIDATION = 'false';

export const SES = { identityName: 'papertrend.example', configurationSetName: 'papertrend' };

/** Logical ids of the stand-in tables and keyring; cross-stack references to them carry these names. */
export const TABLE_IDS: Record<TableRole, string> = { papers: 'PapersTable', subscribers: 'SubscribersTable', ledger: 'LedgerTable' };
export const KEYRING_ID = 'TokenKeyring';

export function settingsWith(context: Record<string, string> = {}): DeploySettings {
  return loadSettings((name) => ({ placeholders: 'true', ...context })[name]);
}

export interface Synthesized {
  app: App;
  stack: AppStack;
  template: Template;
  settings: DeploySettings;
}

/** The AppStack for `settings` (placeholders by default), not bundled. */
export function synthAppStack(settings: DeploySettings = settingsWith()): Synthesized {
  const built = buildAppStack(settings);
  return { ...built, template: Template.fromStack(built.stack) };
}

/** The app and AppStack before synthesis (Template.fromStack synthesizes, and an app synthesizes once). */
export function buildAppStack(settings: DeploySettings = settingsWith()): Omit<Synthesized, 'template'> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const env = { account: settings.account, region: settings.region };
  const data = new Stack(app, 'Data', { env });
  // `as`: aws-cdk-lib is not built with exactOptionalPropertyTypes, so its classes do not type-check as their own interfaces under it.
  const table = (role: TableRole) => new TableV2(data, TABLE_IDS[role], { partitionKey: { name: 'pk', type: AttributeType.STRING } }) as ITableV2;
  const stack = new AppStack(app, 'App', {
    env,
    settings,
    tables: { papers: table('papers'), subscribers: table('subscribers'), ledger: table('ledger') },
    tokenKeyring: new Secret(data, KEYRING_ID) as ISecret,
    ses: SES,
  });
  return { app, stack, settings };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resource = { Type: string; Properties: any; Metadata?: any };

/** The Lambda function resource serving `handler` (found by its POWERTOOLS_SERVICE_NAME). */
export function functionFor(template: Template, handler: HandlerName): [string, Resource] {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === handler,
  );
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0] as [string, Resource];
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement on the role of `handler`'s function. */
export function statementsFor(template: Template, handler: HandlerName): Statement[] {
  const [, fn] = functionFor(template, handler);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** The statements of `handler` whose resources mention `needle` (a logical id or an ARN part). */
export function statementsOn(template: Template, handler: HandlerName, needle: string): Statement[] {
  return statementsFor(template, handler).filter((statement) => JSON.stringify(statement.Resource).includes(needle));
}

export const HANDLERS: HandlerName[] = ['fetch-papers', 'plan-digests', 'send-digest', 'sign-up', 'api', 'ses-events'];
