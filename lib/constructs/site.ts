// The sign-up site: a regional REST API built from the shared route table, its stage limits and access logs, a WAF web ACL, and the optional custom domain.
import { Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  DomainName,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  RestApi,
  SecurityPolicy,
  type MethodDeploymentOptions,
  type IRestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AaaaRecord, ARecord, HostedZone, RecordTarget, type IHostedZone } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { sendingPlan } from '../../lambdas/core/send-rate';
import { routes } from '../../lambdas/routes';
import type { DeploySettings } from '../settings';

/** The API's only stage; the site lives under `/prod` at the stage URL. */
export const STAGE_NAME = 'prod';

/**
 * Stage limits, per method: each method gets its own bucket of these. Sign-ups get a much smaller
 * one, and one-click unsubscribes (which mail providers may send without retrying) their own, so a
 * flood of sign-ups can never use up the unsubscribes' share.
 */
export const THROTTLE = {
  default: { rateLimit: 50, burstLimit: 100 },
  unsubscribe: { rateLimit: 50, burstLimit: 100 },
} as const;

/**
 * Sign-ups per second: each may send a confirmation email, so they get no more than the share of
 * the SES rate kept for confirmations (core/send-rate.ts), whatever number of api instances run.
 */
export function subscribeThrottle(sesMaxSendRate: number): { rateLimit: number; burstLimit: number } {
  const rateLimit = Math.max(1, Math.floor(sendingPlan(sesMaxSendRate).confirmationRate));
  return { rateLimit, burstLimit: 2 * rateLimit };
}

/** Sign-ups one client IP may post in the WAF's 5-minute window before it is blocked. */
export const SUBSCRIBE_RATE_LIMIT_PER_IP = 50;
const SUBSCRIBE_RATE_WINDOW_SECONDS = 300;

/**
 * One JSON line per request. Only the route template ($context.resourcePath, e.g. /unsubscribe),
 * never $context.path or anything holding the query string or body: those carry signed tokens
 * and addresses. Error messages are left out too (integration errors may echo input).
 */
export const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  extendedRequestId: AccessLogField.contextExtendedRequestId(),
  time: AccessLogField.contextRequestTime(),
  ip: AccessLogField.contextIdentitySourceIp(),
  method: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  status: AccessLogField.contextStatus(),
  responseLength: AccessLogField.contextResponseLength(),
  latencyMs: AccessLogField.contextResponseLatency(),
  integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
  errorType: AccessLogField.contextErrorResponseType(),
  wafStatus: AccessLogField.contextWafResponseCode(),
};

export interface SiteProps {
  settings: Pick<DeploySettings, 'domainName' | 'hostedZoneId' | 'hostedZoneName' | 'certificateArn' | 'sesMaxSendRate'>;
}

export class Site extends Construct {
  readonly api: RestApi;
  readonly webAcl: CfnWebACL;
  readonly accessLogs: LogGroup;
  /** Where readers reach the site (no trailing slash): the custom domain, or the stage URL. */
  readonly publicBaseUrl: string;
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const limit = (l: { rateLimit: number; burstLimit: number }): MethodDeploymentOptions => ({
      throttlingRateLimit: l.rateLimit,
      throttlingBurstLimit: l.burstLimit,
    });
    this.api = new RestApi(this, 'Api', {
      description: 'Papertrend sign-up site',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // API Gateway writes access logs through the account's CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        ...limit(THROTTLE.default),
        methodOptions: { '/subscribe/POST': limit(subscribeThrottle(props.settings.sesMaxSendRate)), '/unsubscribe/POST': limit(THROTTLE.unsubscribe) },
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // The stack's SiteUrl output says where the site is; RestApi's own stage-URL output would contradict it on a custom domain.
    this.api.node.tryRemoveChild('Endpoint');
    const stack = Stack.of(this);
    // Built from the API id and the stage name, not api.url: the stage depends on the methods, the
    // methods on the function, and the function's environment on this URL.
    const stageUrl = `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${STAGE_NAME}`;
    this.publicBaseUrl = props.settings.domainName ? `https://${props.settings.domainName}` : stageUrl;
    this.webAcl = this.firewall();
    if (props.settings.domainName) this.domain = this.customDomain(props.settings.domainName, props.settings);
    this.acknowledgeFindings();
  }

  /**
   * Serve every route of the shared route table with `fn` (Lambda proxy integration), and HEAD
   * beside each GET: the function answers it as the GET without the body, as the local gateway does.
   */
  serve(fn: IFunction): void {
    const integration = new LambdaIntegration(fn);
    for (const route of routes) {
      const resource = route.path === '/' ? this.api.root : this.api.root.resourceForPath(route.path);
      resource.addMethod(route.method, integration, { operationName: route.summary });
      if (route.method === 'GET') resource.addMethod('HEAD', integration, { operationName: `${route.summary} (headers only)` });
    }
  }

  private firewall(): CfnWebACL {
    // No sampled requests: WAF would keep whole URIs for 3 hours, and link URIs carry signed tokens.
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false });
    const managed = (name: string, priority: number, countOnly: readonly string[] = []): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0 ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('PapertrendSite'),
      rules: [
        subscribeRateRule(visibility('SubscribeRatePerIp')),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        // Counted, not blocked: RFC 8058 one-click unsubscribes come from mail providers' servers,
        // which need not send a User-Agent, and an unsubscribe must never be refused.
        managed('AWSManagedRulesCommonRuleSet', 2, ['NoUserAgent_HEADER']),
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: webAcl.attrArn,
    });
    return webAcl;
  }

  private customDomain(domainName: string, settings: SiteProps['settings']): DomainName {
    const zone: IHostedZone | undefined =
      settings.hostedZoneId && settings.hostedZoneName
        ? HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.hostedZoneId, zoneName: settings.hostedZoneName })
        : undefined;
    let certificate: ICertificate;
    if (settings.certificateArn) certificate = Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn);
    else if (zone) certificate = new Certificate(this, 'Certificate', { domainName, validation: CertificateValidation.fromDns(zone) });
    else throw new Error(`domainName ${domainName} needs a certificateArn or a hosted zone to validate a certificate in`);
    // A root base-path mapping: the site is served at https://<domain>/ with no stage prefix.
    const domain = new DomainName(this, 'Domain', {
      domainName,
      certificate,
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
      // `as`: aws-cdk-lib is not built with exactOptionalPropertyTypes, so its classes do not type-check as their own interfaces under it.
      mapping: this.api as IRestApi,
    });
    if (zone) {
      const target = RecordTarget.fromAlias(new ApiGatewayDomain(domain));
      new ARecord(this, 'AliasA', { zone, recordName: domainName, target });
      new AaaaRecord(this, 'AliasAaaa', { zone, recordName: domainName, target });
    }
    return domain;
  }

  private acknowledgeFindings(): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'The Lambda proxy validates every form and query with zod and answers 400 naming the field; API Gateway models would be a second copy of those rules',
      },
      { id: 'AwsSolutions-APIG4', reason: 'A public sign-up site: anyone may sign up; actions on a subscription need the signed token from its email link' },
      { id: 'AwsSolutions-COG4', reason: 'A public sign-up site has no user pool; subscription links carry signed, purpose-bound tokens instead' },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logging is off on purpose: it prints each method request’s query string, which holds signed tokens; JSON access logs without query strings record every request',
      },
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The account-wide role API Gateway uses to write access logs; AWS maintains this policy for exactly that role',
    });
  }
}

/** Blocks a client IP that posts more than SUBSCRIBE_RATE_LIMIT_PER_IP sign-ups in the window (any path ending /subscribe, so with or without /prod). */
function subscribeRateRule(visibilityConfig: CfnWebACL.VisibilityConfigProperty): CfnWebACL.RuleProperty {
  const matches = (fieldToMatch: CfnWebACL.FieldToMatchProperty, positionalConstraint: string, searchString: string, type: string) => ({
    byteMatchStatement: { fieldToMatch, positionalConstraint, searchString, textTransformations: [{ priority: 0, type }] },
  });
  return {
    name: 'SubscribeRatePerIp',
    priority: 0,
    action: { block: {} },
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: SUBSCRIBE_RATE_LIMIT_PER_IP,
        evaluationWindowSec: SUBSCRIBE_RATE_WINDOW_SECONDS,
        scopeDownStatement: {
          andStatement: {
            statements: [matches({ uriPath: {} }, 'ENDS_WITH', '/subscribe', 'LOWERCASE'), matches({ method: {} }, 'EXACTLY', 'POST', 'NONE')],
          },
        },
      },
    },
    visibilityConfig,
  };
}
