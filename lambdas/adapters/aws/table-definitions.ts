// The DynamoDB data model as data: table names, keys, indexes and TTL attributes; the CDK stacks, the local stack and the adapters read it.
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
 * locking); `DAY#<yyyy-mm-dd>` / `PAPER#<id>` lists a paper on a day and holds only its id;
 * `STAMP#<yyyy-mm-dd>` / `STAMP` changes each time the day is stored, so readers know to reload.
 * Subscribers: `SUB#<id>` holds a subscriber; `EMAIL#<address>` is the uniqueness guard of an
 * address, naming the subscriber that owns it. Ledger: `SUB#<id>` / `DIGEST#<local date>` is one
 * digest's record, holding the papers it sent.
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
