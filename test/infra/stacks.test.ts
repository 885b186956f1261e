// CDK assertions on the synthesized templates: what each resource must be, not just how many there are.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE_DEFINITIONS } from '../../lambdas/adapters/aws/tables';
import { routes } from '../../lambdas/routes';
import { AppStack } from '../../lib/app-stack';
import { DataStack } from '../../lib/data-stack';

process.env.CDK_VALIDATION = 'false';

function synth() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const env = { account: '123456789012', region: 'eu-west-1' };
  const data = new DataStack(app, 'Data', { env });
  const stack = new AppStack(app, 'App', {
    env,
    tables: data.tables,
    tokenKeyring: data.tokenKeyring,
    senderAddress: 'Papertrend <digest@papertrend.example>',
    publicBaseUrl: 'https://papertrend.example',
    postalAddress: 'Papertrend, 1 Example Street, Berlin',
  });
  return { data: Template.fromStack(data), app: Template.fromStack(stack) };
}

const { data, app } = synth();

function functionNamed(description: RegExp) {
  const functions = app.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description.source) } });
  const entries = Object.entries(functions);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('DataStack', () => {
  it('keeps every table on stack deletion, with the keys and TTL attribute the adapters use', () => {
    const tables = data.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: TABLE_DEFINITIONS.subscribers.globalIndexes[0]!.indexName })],
    });
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('generates the signing keyring in the shape core/tokens.ts parses, keeping it on deletion', () => {
    data.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"current":"k1"}', GenerateStringKey: 'k1' }) },
    });
  });
});

describe('AppStack', () => {
  it('runs every function on Node.js 24 arm64 with the table names it needs', () => {
    const functions = Object.values(app.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
        expect.arrayContaining(['PAPERS_TABLE', 'SUBSCRIBERS_TABLE', 'LEDGER_TABLE', 'TOKEN_KEYRING', 'PUBLIC_BASE_URL', 'SENDER_ADDRESS']),
      );
    }
  });

  it('feeds send-digest from the queue with partial batch failures, and dead-letters after five receives', () => {
    const [sendId] = functionNamed(/Select, render and send/);
    app.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: sendId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    app.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
      VisibilityTimeout: 360,
    });
  });

  it('lets send-digest (digests) and the site (confirmation emails) send email, and no other function', () => {
    const [, send] = functionNamed(/Select, render and send/);
    const [, site] = functionNamed(/Sign-up site/);
    const policies = Object.values(app.findResources('AWS::IAM::Policy'));
    const sesRoles = policies
      .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('ses:SendEmail'))
      .flatMap((policy) => policy.Properties.Roles.map((role: { Ref: string }) => role.Ref));
    expect(sesRoles.sort()).toEqual([send.Properties.Role['Fn::GetAtt'][0], site.Properties.Role['Fn::GetAtt'][0]].sort());
  });

  it('plans hourly and gives the planner the queue', () => {
    const [planId, plan] = functionNamed(/Queue a digest job/);
    expect(plan.Properties.Environment.Variables.DIGEST_QUEUE_URL).toBeDefined();
    app.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [planId, 'Arn'] } })],
    });
  });

  it('serves every route of the shared route table through API Gateway', () => {
    const resources = app.findResources('AWS::ApiGateway::Resource');
    const methods = Object.values(app.findResources('AWS::ApiGateway::Method'));
    for (const route of routes) {
      const part = route.path.split('/').filter(Boolean).at(-1);
      const resourceIds = Object.entries(resources)
        .filter(([, resource]) => resource.Properties.PathPart === part)
        .map(([id]) => id);
      const served = methods.some(
        (method) =>
          method.Properties.HttpMethod === route.method &&
          (part === undefined
            ? JSON.stringify(method.Properties.ResourceId).includes('RootResourceId')
            : resourceIds.includes(method.Properties.ResourceId.Ref)),
      );
      expect({ route: `${route.method} ${route.path}`, served }).toEqual({ route: `${route.method} ${route.path}`, served: true });
    }
    expect(methods).toHaveLength(routes.length);
  });
});
