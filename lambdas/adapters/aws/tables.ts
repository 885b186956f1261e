// Runtime helpers over the table definitions: TTL values, and creating the tables for the local stack and tests.
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../sleep';
import { TABLE_DEFINITIONS, TABLE_ROLES, type IndexProjection, type KeyAttribute, type TableDefinition, type TableNames } from './table-definitions';

/** Seconds since the epoch, as DynamoDB TTL attributes want them. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [{ AttributeName: partitionKey.name, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : [])];
}

function attributeDefinitions(definition: TableDefinition): AttributeDefinition[] {
  const keys = [definition.partitionKey, definition.sortKey];
  for (const index of definition.globalIndexes) keys.push(index.partitionKey, index.sortKey);
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...byName.values()];
}

/** The DynamoDB API's form of a projection. */
export function apiProjection(projection: IndexProjection): Projection {
  return typeof projection === 'string' ? { ProjectionType: projection } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.include] };
}

function createTableCommand(tableName: string, definition: TableDefinition): CreateTableCommand {
  const indexes = definition.globalIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: apiProjection(index.projection),
  }));
  return new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    AttributeDefinitions: attributeDefinitions(definition),
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  });
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Create whichever of the tables is missing and wait until all are ACTIVE; for the local stack
 * and tests (in AWS the CDK stack owns the tables). TTL is not switched on: dynalite has no
 * UpdateTimeToLive, and the adapters write the TTL attributes regardless.
 */
export async function ensureTables(
  client: DynamoDBClient | DynamoDBDocumentClient,
  names: TableNames,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const { timeoutMs = 30_000, pollMs = 50 } = options;
  const base = client as DynamoDBClient;
  await Promise.all(
    TABLE_ROLES.map(async (role) => {
      const tableName = names[role];
      if ((await tableStatus(base, tableName)) === undefined) {
        try {
          await base.send(createTableCommand(tableName, TABLE_DEFINITIONS[role]));
        } catch (error) {
          if ((error as Error).name !== 'ResourceInUseException') throw error;
        }
      }
      const deadline = Date.now() + timeoutMs;
      while ((await tableStatus(base, tableName)) !== 'ACTIVE') {
        if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
        await sleep(pollMs);
      }
    }),
  );
}
