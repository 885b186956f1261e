// Stateful resources, kept apart so the app stack can be replaced freely: the tables and token keyring (RETAIN), and SES's identity and configuration set.
import { CfnOutput, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PublicHostedZone, TxtRecord, type IPublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  MailFromBehaviorOnMxFailure,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, TABLE_ROLES, type GlobalIndexDefinition, type TableRole } from '../lambdas/adapters/aws/table-definitions';
import type { DeploySettings } from './settings';

/** The SES configuration set every email goes through (SES_CONFIGURATION_SET of the sending functions). */
export const SES_CONFIGURATION_SET_NAME = 'papertrend';

/** The events SES publishes to EventBridge for the ses-events function and the alarms. */
export const SES_EVENT_TYPES = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
] as const;

/** SPF for the MAIL FROM domain: only SES sends bounces from it (the value CDK's EmailIdentity writes too). */
export const MAIL_FROM_SPF = 'v=spf1 include:amazonses.com ~all';

/** The SES feedback endpoint the MAIL FROM domain's MX record names. */
export function mailFromMxTarget(region: string): string {
  return `feedback-smtp.${region}.amazonses.com`;
}

/**
 * The DMARC policy. quarantine, not none: everything this domain sends goes through SES with
 * aligned Easy DKIM (and a MAIL FROM subdomain aligned for SPF), so a message that fails DMARC is a
 * forgery of a mail that carries unsubscribe and preference links. Relaxed alignment because the
 * MAIL FROM is a subdomain.
 */
export function dmarcRecordValue(settings: Pick<DeploySettings, 'dmarcReportEmail'>): string {
  const report = settings.dmarcReportEmail ? `; rua=mailto:${settings.dmarcReportEmail}` : '';
  return `v=DMARC1; p=quarantine; pct=100; adkim=r; aspf=r${report}`;
}

export interface DataStackProps extends StackProps {
  settings: DeploySettings;
}

/** What the AppStack needs to send: the identity to scope ses:SendEmail to and the configuration set to name. */
export interface SesBinding {
  identityName: string;
  configurationSetName: string;
}

/**
 * CDK's projection settings for an index of TABLE_DEFINITIONS: all attributes, keys only, or keys
 * plus the listed ones (`{ include }`, an INCLUDE projection).
 */
export function indexProjection(projection: GlobalIndexDefinition['projection']): { projectionType: ProjectionType; nonKeyAttributes?: string[] } {
  if (typeof projection === 'string') return { projectionType: ProjectionType[projection] };
  const { include } = projection as { include: readonly string[] };
  return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...include] };
}

const attributeType = { S: AttributeType.STRING, N: AttributeType.NUMBER } as const;

/** The sending domain inside the operator's zone (possibly a subdomain of it), so EmailIdentity writes DKIM and MAIL FROM records there. */
class DomainInZone extends Identity {
  constructor(
    readonly value: string,
    readonly hostedZone: IPublicHostedZone,
  ) {
    super();
  }
}

export class DataStack extends Stack {
  readonly tables: Record<TableRole, ITableV2>;
  /** JSON keyring {"current": id, id: secret, ...} signing the links in emails (see core/tokens.ts). */
  readonly tokenKeyring: ISecret;
  readonly ses: SesBinding;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.tables = this.makeTables();
    this.tokenKeyring = this.makeKeyring();
    const zone =
      settings.hostedZoneId && settings.hostedZoneName
        ? PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.hostedZoneId, zoneName: settings.hostedZoneName })
        : undefined;
    this.ses = this.makeSes(settings, zone);
  }

  private makeTables(): Record<TableRole, ITableV2> {
    const tables = {} as Record<TableRole, ITableV2>;
    for (const role of TABLE_ROLES) {
      const definition = TABLE_DEFINITIONS[role];
      // `as`: aws-cdk-lib is not built with exactOptionalPropertyTypes, so its classes do not type-check as their own interfaces under it.
      tables[role] = new TableV2(this, `${role[0]!.toUpperCase()}${role.slice(1)}Table`, {
        partitionKey: { name: definition.partitionKey.name, type: attributeType[definition.partitionKey.type] },
        ...(definition.sortKey ? { sortKey: { name: definition.sortKey.name, type: attributeType[definition.sortKey.type] } } : {}),
        globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
          indexName: index.indexName,
          partitionKey: { name: index.partitionKey.name, type: attributeType[index.partitionKey.type] },
          ...(index.sortKey ? { sortKey: { name: index.sortKey.name, type: attributeType[index.sortKey.type] } } : {}),
          ...indexProjection(index.projection),
        })),
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }) as ITableV2;
    }
    return tables;
  }

  private makeKeyring(): ISecret {
    const keyring = new Secret(this, 'TokenKeyring', {
      description: 'Papertrend link-signing keyring: {"current":"k1","k1":"<secret>"}; rotate by adding k2 and making it current',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(keyring).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation must add a key and keep the old ones, or every link in emails already sent (unsubscribe links live a year) breaks; ' +
        'a generic rotation Lambda replaces the value. The README rotates by hand (add k2, make it current); functions re-read the secret after a TTL.',
    });
    new CfnOutput(this, 'TokenKeyringSecretArn', { value: keyring.secretArn, description: 'Secrets Manager secret holding the link-signing keyring' });
    // `as`: aws-cdk-lib is not built with exactOptionalPropertyTypes, so its classes do not type-check as their own interfaces under it.
    return keyring as ISecret;
  }

  private makeSes(settings: DeploySettings, zone: IPublicHostedZone | undefined): SesBinding {
    const configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: SES_CONFIGURATION_SET_NAME,
      reputationMetrics: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      sendingEnabled: true,
      // A bounced or complaining address is refused by SES itself too, even if a send slips past ses-events.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    configurationSet.addEventDestination('EventBridge', {
      configurationSetEventDestinationName: 'eventbridge',
      // SES publishes to the default bus only.
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [...SES_EVENT_TYPES],
    });

    const mailFromDomain = `${settings.mailFromSubdomain}.${settings.sendingDomain}`;
    const identity = new EmailIdentity(this, 'SendingDomain', {
      identity: zone ? new DomainInZone(settings.sendingDomain, zone) : Identity.domain(settings.sendingDomain),
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain,
      // A missing MX falls back to amazonses.com: DMARC still passes on the aligned DKIM signature,
      // whereas REJECT_MESSAGE would turn a DNS slip into an outage of every digest.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
      // Sends that forget to name the configuration set still publish their events.
      configurationSet,
    });
    const dmarc = dmarcRecordValue(settings);
    if (zone) {
      new TxtRecord(this, 'DmarcTxtRecord', { zone, recordName: `_dmarc.${settings.sendingDomain}`, values: [dmarc] });
    }
    this.outputDnsRecords(identity, mailFromDomain, dmarc, settings);
    new CfnOutput(this, 'SesIdentityName', { value: settings.sendingDomain, description: 'SES email identity (the sending domain)' });
    new CfnOutput(this, 'SesConfigurationSetName', {
      value: configurationSet.configurationSetName,
      description: 'SES configuration set every email goes through',
    });
    return { identityName: settings.sendingDomain, configurationSetName: SES_CONFIGURATION_SET_NAME };
  }

  /** The DNS records the sending domain needs, as outputs to copy into DNS when there is no hosted zone (made in it when there is). */
  private outputDnsRecords(identity: EmailIdentity, mailFromDomain: string, dmarc: string, settings: DeploySettings): void {
    identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        value: Fn.join(' ', [record.name, 'CNAME', record.value]),
        description: `Easy DKIM record ${index + 1} of 3 for ${settings.sendingDomain}`,
      });
    });
    new CfnOutput(this, 'MailFromMxRecord', { value: `${mailFromDomain} MX 10 ${mailFromMxTarget(this.region)}`, description: 'MAIL FROM MX record' });
    new CfnOutput(this, 'MailFromSpfRecord', { value: `${mailFromDomain} TXT "${MAIL_FROM_SPF}"`, description: 'MAIL FROM SPF record' });
    new CfnOutput(this, 'DmarcRecord', { value: `_dmarc.${settings.sendingDomain} TXT "${dmarc}"`, description: 'DMARC record of the sending domain' });
  }
}
