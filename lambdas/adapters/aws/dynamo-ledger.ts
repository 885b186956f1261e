// Ledger on DynamoDB: one item per (subscriber, local date) holding the digest's status and its papers, started with a conditional put.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../core/day';
import { isFinal, mayHaveReachedReader, type DigestRecipe, type DigestStatus } from '../../core/digest-ledger';
import type { Frequency } from '../../core/model';
import { daysLater, DIGEST_RETENTION_DAYS, SENT_PAPER_RETENTION_DAYS } from '../../core/retention';
import type { Clock, DigestHistory, Ledger, SentDigest } from '../../ports';
import { conditionalWrite } from './dynamo-writes';
import { epochSeconds } from './tables';

export interface DynamoLedgerOptions {
  client: DynamoDBDocumentClient;
  /** The ledger table (TABLE_DEFINITIONS.ledger). */
  tableName: string;
  clock: Clock;
  /** Days a digest entry is kept (TTL). Default DIGEST_RETENTION_DAYS. */
  digestRetentionDays?: number;
}

interface DigestEntryItem {
  pk: string;
  sk: string;
  status: DigestStatus;
  /** ISO time of the latest status; for `sending`, the attempt's identity. */
  at: string;
  /** The papers of the digest (absent when nothing was to be mailed). */
  paperIds?: string[];
  /** The recipe (DigestRecipe) the `sending` entry keeps for the web version; `window` is `from/to`. */
  topics?: string;
  frequency?: Frequency;
  window?: string;
  selectedAt?: string;
  /** Written only when some paper had a reason: most entries carry none. */
  profileReasons?: Record<string, string>;
  messageId?: string;
  /** Why a rejected or unknown digest did not (or may not have) go out: an SES error name. */
  reason?: string;
  /** 'ses-send-event' when SES's Send event recorded the day because its sender could not. */
  settledBy?: string;
  expiresAt: number;
}

/** A recipe's attributes: the window as `from/to`, the rest as they are, profile reasons only when there are some. */
function recipeItem(recipe: DigestRecipe): Partial<DigestEntryItem> {
  const { topics, frequency, selectedAt, profileReasons } = recipe;
  return {
    topics,
    frequency,
    window: `${recipe.windowFrom}/${recipe.windowTo}`,
    ...(selectedAt ? { selectedAt } : {}),
    ...(profileReasons && Object.keys(profileReasons).length > 0 ? { profileReasons: { ...profileReasons } } : {}),
  };
}

/** The recipe an item keeps; undefined for an entry from before recipes were kept. */
function recipeOfItem(item: Partial<DigestEntryItem>): DigestRecipe | undefined {
  const [windowFrom, windowTo] = (item.window ?? '').split('/');
  if (typeof item.topics !== 'string' || (item.frequency !== 'daily' && item.frequency !== 'weekly') || !windowFrom || !windowTo) return undefined;
  const reasons = Object.entries(item.profileReasons ?? {}).filter((pair): pair is [string, string] => typeof pair[1] === 'string');
  return {
    topics: item.topics,
    frequency: item.frequency,
    windowFrom,
    windowTo,
    ...(typeof item.selectedAt === 'string' ? { selectedAt: item.selectedAt } : {}),
    ...(reasons.length > 0 ? { profileReasons: Object.fromEntries(reasons) } : {}),
  };
}

const DIGEST_PREFIX = 'DIGEST#';
const subscriberPartition = (subscriberId: string) => `SUB#${subscriberId}`;
const digestKey = (subscriberId: string, date: string) => ({ pk: subscriberPartition(subscriberId), sk: `${DIGEST_PREFIX}${date}` });

/** The names every status update uses (`status` is a reserved word). */
const STATUS_NAME = { '#status': 'status' };

export class DynamoLedger implements Ledger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly digestRetentionDays: number;

  constructor(options: DynamoLedgerOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.digestRetentionDays = options.digestRetentionDays ?? DIGEST_RETENTION_DAYS;
  }

  /**
   * One strongly consistent Query over the subscriber's entries from SENT_PAPER_RETENTION_DAYS
   * before `date` through `date`: a handful of small items, however many papers the window holds.
   */
  async history(subscriberId: string, date: string): Promise<DigestHistory> {
    const history: DigestHistory = { sentPaperIds: new Set(), earlierSending: [] };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': subscriberPartition(subscriberId),
            ':from': `${DIGEST_PREFIX}${addDays(date, -SENT_PAPER_RETENTION_DAYS)}`,
            ':to': `${DIGEST_PREFIX}${date}`,
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (page.Items ?? []) as DigestEntryItem[]) {
        const itemDate = item.sk.slice(DIGEST_PREFIX.length);
        if (itemDate === date) history.day = { status: item.status, at: item.at };
        else if (item.status === 'sending') history.earlierSending.push({ date: itemDate, at: item.at });
        if (mayHaveReachedReader(item.status)) for (const id of item.paperIds ?? []) history.sentPaperIds.add(id);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return history;
  }

  async beginSend(subscriberId: string, date: string, paperIds: string[], recipe?: DigestRecipe): Promise<string | undefined> {
    const entry = this.entry(subscriberId, date, 'sending', { paperIds: [...new Set(paperIds)], ...(recipe ? recipeItem(recipe) : {}) });
    return (await this.putIfAbsent(entry)) ? entry.at : undefined;
  }

  async sentDigest(subscriberId: string, date: string): Promise<SentDigest | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        // Every name through a placeholder: DynamoDB reserves many plain words.
        ProjectionExpression: '#status, #at, paperIds, #topics, #frequency, #window, selectedAt, profileReasons',
        ExpressionAttributeNames: { ...STATUS_NAME, '#at': 'at', '#topics': 'topics', '#frequency': 'frequency', '#window': 'window' },
      }),
    );
    if (!Item) return undefined;
    const item = Item as Partial<DigestEntryItem>;
    const recipe = recipeOfItem(item);
    return { status: item.status as DigestStatus, at: item.at ?? '', paperIds: item.paperIds ?? [], ...(recipe ? { recipe } : {}) };
  }

  async markEmpty(subscriberId: string, date: string): Promise<boolean> {
    return this.putIfAbsent(this.entry(subscriberId, date, 'empty'));
  }

  async markSent(subscriberId: string, date: string, messageId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        // The sender's own record: whatever SES's event said first, it no longer stands in for the sender.
        UpdateExpression: 'SET #status = :sent, #at = :now, messageId = :messageId REMOVE reason, settledBy',
        ExpressionAttributeNames: { ...STATUS_NAME, '#at': 'at' },
        ExpressionAttributeValues: { ':sent': 'sent', ':now': this.clock.now().toISOString(), ':messageId': messageId },
      }),
    );
  }

  async abandonSend(subscriberId: string, date: string, at: string): Promise<void> {
    await conditionalWrite(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        ConditionExpression: '#status = :sending AND #at = :attempt',
        ExpressionAttributeNames: { ...STATUS_NAME, '#at': 'at' },
        ExpressionAttributeValues: { ':sending': 'sending', ':attempt': at },
      }),
    );
  }

  async closeSend(subscriberId: string, date: string, at: string, outcome: 'rejected' | 'unknown', reason: string): Promise<boolean> {
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        UpdateExpression: 'SET #status = :outcome, #at = :now, reason = :reason',
        ConditionExpression: '#status = :sending AND #at = :attempt',
        ExpressionAttributeNames: { ...STATUS_NAME, '#at': 'at' },
        ExpressionAttributeValues: { ':outcome': outcome, ':now': this.clock.now().toISOString(), ':reason': reason, ':sending': 'sending', ':attempt': at },
      }),
    );
  }

  /**
   * Most Send events arrive after the sender recorded the day itself, so the day is read first (an
   * eventually consistent read costs a tenth of a write unit's price) and written only when it may
   * need it. A final status never changes, so even a stale read that shows one shows the day as it is now.
   */
  async reconcileSent(subscriberId: string, date: string, messageId: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: digestKey(subscriberId, date), ProjectionExpression: '#status', ExpressionAttributeNames: STATUS_NAME }),
    );
    if (Item && isFinal(Item.status as DigestStatus)) return false;
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        // `settledBy` tells an operator this day was recorded from SES's event, not by its sender.
        UpdateExpression: 'SET #status = :sent, #at = :now, messageId = :messageId, settledBy = :event REMOVE reason',
        ConditionExpression: '#status IN (:sending, :unknown)',
        ExpressionAttributeNames: { ...STATUS_NAME, '#at': 'at' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':now': this.clock.now().toISOString(),
          ':messageId': messageId,
          ':sending': 'sending',
          ':unknown': 'unknown',
          ':event': 'ses-send-event',
        },
      }),
    );
  }

  private entry(subscriberId: string, date: string, status: DigestStatus, extra: Partial<DigestEntryItem> = {}): DigestEntryItem {
    const now = this.clock.now();
    return { ...digestKey(subscriberId, date), status, at: now.toISOString(), ...extra, expiresAt: epochSeconds(daysLater(now, this.digestRetentionDays)) };
  }

  private putIfAbsent(entry: DigestEntryItem): Promise<boolean> {
    return conditionalWrite(this.client, new PutCommand({ TableName: this.tableName, Item: entry, ConditionExpression: 'attribute_not_exists(pk)' }));
  }
}
