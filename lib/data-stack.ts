// Stateful resources, kept apart so the app stack can be replaced freely: the tables and the token keyring (all RETAIN).
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, TABLE_ROLES, type TableRole } from '../lambdas/adapters/aws/tables';

const attributeType = { S: AttributeType.STRING, N: AttributeType.NUMBER } as const;

export class DataStack extends Stack {
  readonly tables: Record<TableRole, ITableV2>;
  /** JSON keyring {"current": id, id: secret, ...} signing the links in emails (see core/tokens.ts). */
  readonly tokenKeyring: Secret;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    const tables = {} as Record<TableRole, ITableV2>;
    for (const role of TABLE_ROLES) {
      const definition = TABLE_DEFINITIONS[role];
      tables[role] = new TableV2(this, `${role[0]!.toUpperCase()}${role.slice(1)}Table`, {
        partitionKey: { name: definition.partitionKey.name, type: attributeType[definition.partitionKey.type] },
        ...(definition.sortKey ? { sortKey: { name: definition.sortKey.name, type: attributeType[definition.sortKey.type] } } : {}),
        globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
          indexName: index.indexName,
          partitionKey: { name: index.partitionKey.name, type: attributeType[index.partitionKey.type] },
          ...(index.sortKey ? { sortKey: { name: index.sortKey.name, type: attributeType[index.sortKey.type] } } : {}),
          projectionType: ProjectionType.ALL,
        })),
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.tables = tables;

    this.tokenKeyring = new Secret(this, 'TokenKeyring', {
      description: 'Papertrend link-signing keyring: {"current":"k1","k1":"<secret>"}; rotate by adding k2 and making it current',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
