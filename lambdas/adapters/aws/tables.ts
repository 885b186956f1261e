// The DynamoDB data model as data: table names, keys, indexes and TTL attributes, shared by the CDK stack and the local stack.
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
import type { DigestSchedule } from '../../core/digest-schedule';

/** The three tables, by the role they play. */
export type TableRole = 'papers' | 'subscribers' | 'ledger';

export type TableNames = Record<TableRole, string>;

/** A key attribute; the type letters are DynamoDB's (and CDK's AttributeType values). */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

/** What an index holds besides the keys: every attribute, none, or the ones listed (INCLUDE). */
export type IndexProjection = 'ALL' | 'KEYS_ONLY' | { include: readonly string[] };

export interface GlobalIndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: IndexProjection;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes: GlobalIndexDefinition[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item (not enforced by dynalite). */
  timeToLiveAttribute?: string;
}

/** Attribute names used by the adapters, so keys and indexes are spelled in one place. */
export const ATTRIBUTES = {
  partitionKey: 'pk',
  sortKey: 'sk',
  expiresAt: 'expiresAt',
  /** Set only on confirmed, unpaused subscribers: the key of the sparse active-subscriber index. */
  activeBucket: 'activeBucket',
} as const;

export const ACTIVE_SUBSCRIBERS_INDEX = 'activeSubscribers';

// A record over DigestSchedule's keys, so the compiler insists the projection is exactly that type.
const SCHEDULE_FIELDS: Record<keyof DigestSchedule, true> = {
  id: true,
  status: true,
  paused: true,
  frequency: true,
  weekday: true,
  hour: true,
  timeZone: true,
  lastDigestDate: true,
};

/** The subscriber attributes the active index projects: what the planner needs to decide who is due. */
export const SCHEDULE_ATTRIBUTES = Object.keys(SCHEDULE_FIELDS) as ReadonlyArray<keyof DigestSchedule>;

/**
 * Papers: `PAPER#<id>` / `PAPER` holds the merged paper (with a `version` for optimistic
 * locking); `DAY#<yyyy-mm-dd>` / `PAPER#<id>` lists a paper on a day and holds only its id.
 * Subscribers: `SUB#<id>` holds a subscriber; `EMAIL#<address>` is the uniqueness guard of an
 * address, naming the subscriber that owns it. Ledger: `SUB#<id>` / `DIGEST#<local date>` is one
 * digest's claim or record; `SUB#<id>` / `SENT#<paper id>` remembers a paper sent to a subscriber.
 */
export const TABLE_DEFINITIONS: Record<TableRole, TableDefinition> = {
  papers: {
    partitionKey: { name: ATTRIBUTES.partitionKey, type: 'S' },
    sortKey: { name: ATTRIBUTES.sortKey, type: 'S' },
    globalIndexes: [],
    timeToLiveAttribute: ATTRIBUTES.expiresAt,
  },
  subscribers: {
    partitionKey: { name: ATTRIBUTES.partitionKey, type: 'S' },
    globalIndexes: [
      {
        indexName: ACTIVE_SUBSCRIBERS_INDEX,
        partitionKey: { name: ATTRIBUTES.activeBucket, type: 'S' },
        sortKey: { name: ATTRIBUTES.partitionKey, type: 'S' },
        projection: { include: SCHEDULE_ATTRIBUTES },
      },
    ],
    timeToLiveAttribute: ATTRIBUTES.expiresAt,
  },
  ledger: {
    partitionKey: { name: ATTRIBUTES.partitionKey, type: 'S' },
    sortKey: { name: ATTRIBUTES.sortKey, type: 'S' },
    globalIndexes: [],
    timeToLiveAttribute: ATTRIBUTES.expiresAt,
  },
};

export const TABLE_ROLES = Object.keys(TABLE_DEFINITIONS) as TableRole[];

/** Table names `<prefix>-<role><suffix>`, e.g. `papertrend-papers` or `papertrend-papers-test1`. */
export function tableNames(options: { prefix?: string; suffix?: string } = {}): TableNames {
  const { prefix = 'papertrend', suffix = '' } = options;
  const name = (role: TableRole) => `${prefix}-${role}${suffix}`;
  return { papers: name('papers'), subscribers: name('subscribers'), ledger: name('ledger') };
}

/** Seconds since the epoch, as DynamoDB TTL attributes want them. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
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
  return typeof projection === 'string'
    ? { ProjectionType: projection }
    : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.include] };
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
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }),
  );
}
