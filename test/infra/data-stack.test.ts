// CDK assertions on the stateful stack: tables, keyring, the SES identity, configuration set and DNS records, and cdk-nag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { TABLE_DEFINITIONS, TABLE_ROLES, type GlobalIndexDefinition } from '../../lambdas/adapters/aws/table-definitions';
import { addComplianceChecks } from '../../lib/checks';
import { DataStack, indexProjection, SES_CONFIGURATION_SET_NAME } from '../../lib/data-stack';
import { loadSettings } from '../../lib/settings';

process.env.CDK_VALIDATION = 'false';

const ZONE = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'papertrend.example' };

function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

function dataStack(app: App, context: Record<string, string> = {}): DataStack {
  const settings = loadSettings((name) => ({ placeholders: 'true', ...context })[name]);
  return new DataStack(app, 'Data', { env: { account: settings.account, region: settings.region }, settings });
}

function template(context: Record<string, string> = {}): Template {
  return Template.fromStack(dataStack(newApp(), context));
}

const withoutZone = template();
const withZone = template(ZONE);

function recordsOfType(t: Template, type: string) {
  return Object.values(t.findResources('AWS::Route53::RecordSet', { Properties: { Type: type } })).map((r) => r.Properties);
}

describe('tables', () => {
  it('keeps every table on stack deletion, with the keys and TTL attributes of TABLE_DEFINITIONS', () => {
    const tables = withoutZone.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(TABLE_ROLES.length);
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    for (const role of TABLE_ROLES) {
      const definition = TABLE_DEFINITIONS[role];
      withoutZone.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        TimeToLiveSpecification: definition.timeToLiveAttribute ? { AttributeName: definition.timeToLiveAttribute, Enabled: true } : Match.absent(),
      });
    }
  });

  it('gives each index the projection TABLE_DEFINITIONS names', () => {
    const expected = (projection: GlobalIndexDefinition['projection']) =>
      typeof projection === 'string'
        ? { ProjectionType: projection }
        : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...(projection as { include: readonly string[] }).include] };
    const indexes = TABLE_ROLES.flatMap((role) => TABLE_DEFINITIONS[role].globalIndexes);
    expect(indexes.length).toBeGreaterThan(0);
    for (const index of indexes) {
      withoutZone.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: index.indexName, Projection: expected(index.projection) })]),
      });
    }
  });

  it('maps every projection shape, including INCLUDE with its attributes', () => {
    expect(indexProjection('ALL')).toEqual({ projectionType: 'ALL' });
    expect(indexProjection('KEYS_ONLY')).toEqual({ projectionType: 'KEYS_ONLY' });
    // The `{ include }` shape of TABLE_DEFINITIONS (issue 7's planner work); cast so this compiles before and after it.
    const include = { include: ['timeZone', 'hour'] } as unknown as GlobalIndexDefinition['projection'];
    expect(indexProjection(include)).toEqual({ projectionType: 'INCLUDE', nonKeyAttributes: ['timeZone', 'hour'] });
  });
});

describe('token keyring', () => {
  it('is generated in the shape core/tokens.ts parses and kept on deletion', () => {
    withoutZone.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"current":"k1"}', GenerateStringKey: 'k1' }) },
    });
  });
});

describe('SES', () => {
  it('verifies the sending domain with 2048-bit Easy DKIM and a custom MAIL FROM domain, using the configuration set by default', () => {
    const identities = withoutZone.findResources('AWS::SES::EmailIdentity');
    expect(Object.values(identities).map((identity) => identity.Properties)).toEqual([
      {
        EmailIdentity: 'papertrend.example',
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
        MailFromAttributes: { MailFromDomain: 'bounce.papertrend.example', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: withoutZone.getResourceId('AWS::SES::ConfigurationSet') } },
      },
    ]);
  });

  it('takes the MAIL FROM subdomain from the settings', () => {
    template({ mailFromSubdomain: 'mail' }).hasResourceProperties('AWS::SES::EmailIdentity', {
      MailFromAttributes: { MailFromDomain: 'mail.papertrend.example' },
    });
  });

  it('has a configuration set named papertrend with reputation metrics, TLS required, sending on and suppression of bounces and complaints', () => {
    expect(SES_CONFIGURATION_SET_NAME).toBe('papertrend');
    withoutZone.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: SES_CONFIGURATION_SET_NAME,
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('publishes send, delivery, bounce, complaint, reject and delivery-delay events to the default event bus', () => {
    const destinations = Object.values(withoutZone.findResources('AWS::SES::ConfigurationSetEventDestination'));
    expect(destinations).toHaveLength(1);
    const { ConfigurationSetName, EventDestination } = destinations[0]!.Properties;
    expect(ConfigurationSetName).toEqual({ Ref: withoutZone.getResourceId('AWS::SES::ConfigurationSet') });
    expect(EventDestination.Enabled).toBe(true);
    expect([...EventDestination.MatchingEventTypes].sort()).toEqual(['bounce', 'complaint', 'delivery', 'deliveryDelay', 'reject', 'send']);
    expect(EventDestination.EventBridgeDestination.EventBusArn).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:123456789012:event-bus/default']],
    });
  });

  it('hands the AppStack the identity and configuration set names as plain strings', () => {
    const stack = dataStack(newApp());
    expect(stack.ses).toEqual({ identityName: 'papertrend.example', configurationSetName: SES_CONFIGURATION_SET_NAME });
  });
});

describe('DNS records', () => {
  it('with a hosted zone, makes the three DKIM CNAMEs, the MAIL FROM MX and SPF records and a DMARC record there', () => {
    const identityId = withZone.getResourceId('AWS::SES::EmailIdentity');
    const cnames = recordsOfType(withZone, 'CNAME');
    expect(cnames).toEqual(
      [1, 2, 3].map((n) => ({
        HostedZoneId: ZONE.hostedZoneId,
        Name: { 'Fn::GetAtt': [identityId, `DkimDNSTokenName${n}`] },
        ResourceRecords: [{ 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${n}`] }],
        TTL: '1800',
        Type: 'CNAME',
      })),
    );
    expect(recordsOfType(withZone, 'MX')).toEqual([
      expect.objectContaining({
        HostedZoneId: ZONE.hostedZoneId,
        Name: 'bounce.papertrend.example.',
        ResourceRecords: ['10 feedback-smtp.eu-west-1.amazonses.com'],
      }),
    ]);
    const txt = recordsOfType(withZone, 'TXT').map((record) => [record.Name, record.ResourceRecords]);
    expect(txt.sort()).toEqual([
      ['_dmarc.papertrend.example.', ['"v=DMARC1; p=quarantine; pct=100; adkim=r; aspf=r"']],
      ['bounce.papertrend.example.', ['"v=spf1 include:amazonses.com ~all"']],
    ]);
  });

  it('sends DMARC aggregate reports where the settings say', () => {
    const records = recordsOfType(template({ ...ZONE, dmarcReportEmail: 'dmarc@papertrend.example' }), 'TXT');
    expect(records.find((record) => record.Name === '_dmarc.papertrend.example.')?.ResourceRecords).toEqual([
      '"v=DMARC1; p=quarantine; pct=100; adkim=r; aspf=r; rua=mailto:dmarc@papertrend.example"',
    ]);
  });

  it('verifies a sending subdomain of the zone, not the zone apex', () => {
    const sub = template({ ...ZONE, senderAddress: 'Papertrend <digest@mail.papertrend.example>' });
    sub.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'mail.papertrend.example' });
    expect(recordsOfType(sub, 'MX').map((record) => record.Name)).toEqual(['bounce.mail.papertrend.example.']);
    expect(
      recordsOfType(sub, 'TXT')
        .map((record) => record.Name)
        .sort(),
    ).toEqual(['_dmarc.mail.papertrend.example.', 'bounce.mail.papertrend.example.']);
  });

  it('without a hosted zone, makes no records and outputs each one to add by hand', () => {
    withoutZone.resourceCountIs('AWS::Route53::RecordSet', 0);
    const outputs = withoutZone.toJSON().Outputs;
    const identityId = withoutZone.getResourceId('AWS::SES::EmailIdentity');
    expect(outputs.DkimRecord2.Value).toEqual({
      'Fn::Join': [' ', [{ 'Fn::GetAtt': [identityId, 'DkimDNSTokenName2'] }, 'CNAME', { 'Fn::GetAtt': [identityId, 'DkimDNSTokenValue2'] }]],
    });
    expect(outputs.DkimRecord1).toBeDefined();
    expect(outputs.DkimRecord3).toBeDefined();
    expect(outputs.MailFromMxRecord.Value).toBe('bounce.papertrend.example MX 10 feedback-smtp.eu-west-1.amazonses.com');
    expect(outputs.MailFromSpfRecord.Value).toBe('bounce.papertrend.example TXT "v=spf1 include:amazonses.com ~all"');
    expect(outputs.DmarcRecord.Value).toBe('_dmarc.papertrend.example TXT "v=DMARC1; p=quarantine; pct=100; adkim=r; aspf=r"');
    expect(outputs.SesConfigurationSetName.Value).toEqual({ Ref: withoutZone.getResourceId('AWS::SES::ConfigurationSet') });
  });
});

describe('cdk-nag', () => {
  /** Synthesize with the AwsSolutions and Serverless packs and return the validation report CDK writes to the assembly. */
  function nagReport(build: (app: App) => void): { pluginReports: { pluginName: string; violations: unknown[] }[] } {
    const app = newApp();
    addComplianceChecks(app);
    build(app);
    const assembly = app.synth();
    return JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  }

  it('reports no unacknowledged finding on the DataStack, with or without a hosted zone', () => {
    for (const context of [{}, ZONE]) {
      const report = nagReport((app) => dataStack(app, context));
      expect(report.pluginReports).toEqual([]);
    }
  });

  it('would fail the synth on a finding nobody acknowledged (the packs really run here)', () => {
    expect(() =>
      nagReport((app) => {
        const stack = new Stack(app, 'Bare', { env: { account: '123456789012', region: 'eu-west-1' } });
        new Secret(stack, 'Unrotated');
      }),
    ).toThrow(/AwsSolutions-SMG4/);
  });
});
