// CDK assertions on the site: stage limits, access logs without tokens, the WAF web ACL and the optional custom domain.
import { Match } from 'aws-cdk-lib/assertions';
import { ACCESS_LOG_FIELDS, STAGE_NAME, SUBSCRIBE_RATE_LIMIT_PER_IP, subscribeThrottle, THROTTLE } from '../../lib/constructs/site';
import { sendingPlan } from '../../lambdas/core/send-rate';
import { functionFor, settingsWith, synthAppStack } from './app-stack.fixture';

const { template } = synthAppStack();

function stage() {
  const stages = Object.values(template.findResources('AWS::ApiGateway::Stage'));
  expect(stages).toHaveLength(1);
  return stages[0]!.Properties;
}

describe('stage', () => {
  it('is the regional API’s prod stage, traced', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    expect(stage()).toMatchObject({ StageName: STAGE_NAME, TracingEnabled: true });
  });

  it('throttles sign-ups far below unsubscribes, each method on its own limits', () => {
    const settings = stage().MethodSettings as Array<Record<string, unknown>>;
    const limits = (path: string, method: string) => settings.find((s) => s.ResourcePath === path && s.HttpMethod === method);
    expect(limits('/*', '*')).toMatchObject({ ThrottlingRateLimit: THROTTLE.default.rateLimit, ThrottlingBurstLimit: THROTTLE.default.burstLimit });
    const signUps = subscribeThrottle(settingsWith().sesMaxSendRate);
    expect(limits('/~1subscribe', 'POST')).toMatchObject({ ThrottlingRateLimit: signUps.rateLimit, ThrottlingBurstLimit: signUps.burstLimit });
    expect(limits('/~1unsubscribe', 'POST')).toMatchObject({
      ThrottlingRateLimit: THROTTLE.unsubscribe.rateLimit,
      ThrottlingBurstLimit: THROTTLE.unsubscribe.burstLimit,
    });
    expect(signUps.rateLimit * 5).toBeLessThanOrEqual(THROTTLE.unsubscribe.rateLimit);
  });

  it('lets no more sign-ups through than the confirmation share of the SES rate can email', () => {
    for (const rate of [1, 14, 50, 200]) {
      expect(subscribeThrottle(rate).rateLimit).toBeLessThanOrEqual(Math.max(1, sendingPlan(rate).confirmationRate));
    }
    expect(subscribeThrottle(14)).toEqual({ rateLimit: 2, burstLimit: 4 });
  });

  it('writes JSON access logs to a log group with a retention, holding the route template but no path, query or body', () => {
    const { AccessLogSetting } = stage();
    const format = JSON.parse(AccessLogSetting.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    expect(Object.values(format)).toEqual(
      expect.arrayContaining(['$context.resourcePath', '$context.status', '$context.requestId', '$context.identity.sourceIp']),
    );
    for (const variable of Object.values(format)) {
      expect(variable).not.toMatch(
        /^\$context\.(path|requestOverride|responseOverride|error\.message|error\.validationErrorString|integrationErrorMessage|authorizer|identity\.user)/,
      );
    }
    const logGroupId = AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('web ACL', () => {
  it('rate-limits POST …/subscribe per IP and runs the common and known-bad-inputs rule groups, with metrics', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      // No sampled requests: they would keep request URIs, which carry signed tokens.
      VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: Match.anyValue(), SampledRequestsEnabled: false },
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: SUBSCRIBE_RATE_LIMIT_PER_IP,
              EvaluationWindowSec: 300,
              ScopeDownStatement: {
                AndStatement: {
                  Statements: [
                    { ByteMatchStatement: Match.objectLike({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'ENDS_WITH', SearchString: '/subscribe' }) },
                    { ByteMatchStatement: Match.objectLike({ FieldToMatch: { Method: {} }, PositionalConstraint: 'EXACTLY', SearchString: 'POST' }) },
                  ],
                },
              },
            },
          },
          VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true }),
        }),
      ]),
    });
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    const groups = (
      acl!.Properties.Rules as Array<{
        Statement: { ManagedRuleGroupStatement?: { Name: string; VendorName: string } };
        VisibilityConfig: { CloudWatchMetricsEnabled: boolean };
      }>
    )
      .filter((rule) => rule.Statement.ManagedRuleGroupStatement)
      .map((rule) => ({ group: rule.Statement.ManagedRuleGroupStatement, metrics: rule.VisibilityConfig.CloudWatchMetricsEnabled }));
    expect(groups).toEqual([
      { group: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' }, metrics: true },
      {
        group: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
          // A one-click unsubscribe without a User-Agent is counted, never blocked.
          RuleActionOverrides: [{ Name: 'NoUserAgent_HEADER', ActionToUse: { Count: {} } }],
        },
        metrics: true,
      },
    ]);
    const everyRule = template.findResources('AWS::WAFv2::WebACL')[Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0]!]!.Properties.Rules as Array<{
      VisibilityConfig: { SampledRequestsEnabled: boolean };
    }>;
    expect(everyRule.map((rule) => rule.VisibilityConfig.SampledRequestsEnabled)).toEqual(everyRule.map(() => false));
  });

  it('is associated with the prod stage', () => {
    const [aclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
    const [stageId] = Object.keys(template.findResources('AWS::ApiGateway::Stage'));
    const [apiId] = Object.keys(template.findResources('AWS::ApiGateway::RestApi'));
    const [association] = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association!.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const arn = JSON.stringify(association!.Properties.ResourceArn);
    expect(arn).toContain(`{"Ref":"${apiId}"}`);
    expect(arn).toContain(`{"Ref":"${stageId}"}`);
  });
});

describe('site URL', () => {
  it('is the stage URL without a trailing slash when there is no custom domain', () => {
    const [apiId] = Object.keys(template.findResources('AWS::ApiGateway::RestApi'));
    const [, signUp] = functionFor(template, 'sign-up');
    const url = signUp.Properties.Environment.Variables.PUBLIC_BASE_URL;
    expect(url).toEqual({ 'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/${STAGE_NAME}`]] });
    expect(template.findOutputs('SiteUrl').SiteUrl!.Value).toEqual(url);
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
  });

  it('with a domain and hosted zone: DNS-validated certificate, regional domain mapped at the root, A and AAAA aliases', () => {
    const domain = synthAppStack(
      settingsWith({ domainName: 'digest.papertrend.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'papertrend.example' }),
    ).template;
    domain.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'digest.papertrend.example',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'digest.papertrend.example', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    domain.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'digest.papertrend.example',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    domain.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: Match.absent(), Stage: Match.anyValue() });
    for (const type of ['A', 'AAAA']) {
      domain.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'digest.papertrend.example.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [Match.anyValue(), 'RegionalDomainName'] } }),
      });
    }
    const [, signUp] = functionFor(domain, 'sign-up');
    expect(signUp.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://digest.papertrend.example');
    expect(domain.findOutputs('SiteUrl').SiteUrl!.Value).toBe('https://digest.papertrend.example');
  });

  it('with a domain and a certificate ARN but no zone: uses the certificate and makes no records', () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    const domain = synthAppStack(settingsWith({ domainName: 'digest.papertrend.example', certificateArn })).template;
    domain.hasResourceProperties('AWS::ApiGateway::DomainName', { RegionalCertificateArn: certificateArn });
    domain.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    domain.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});
