// Ledger on DynamoDB: a leased claim per (subscriber, local date) taken with a conditional put, and a SENT item per paper mailed.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, Clock, Ledger } from '../../ports';
import { batchGetAll, batchPutAll, DEFAULT_UNPROCESSED_RETRY, type UnprocessedRetry } from './dynamo-batch';
import { conditionalWrite } from './dynamo-writes';
import { daysLater, SENT_PAPER_RETENTION_DAYS } from '../../core/retention';
import { epochSeconds } from './tables';

const CLAIM_ATTEMPTS = 3;

export interface DynamoLedgerOptions {
  client: DynamoDBDocumentClient;
  /** The ledger table (TABLE_DEFINITIONS.ledger). */
  tableName: string;
  clock: Clock;
  /** How long a claim blocks others; a claim older than this was left by a crashed send and can be taken again. Default 15 minutes. */
  leaseMs?: number;
  /** Days a digest entry is kept (TTL). Default 400. */
  digestRetentionDays?: number;
  /** Days a paper stays "already sent" to a subscriber (TTL). Default SENT_PAPER_RETENTION_DAYS. */
  sentPaperRetentionDays?: number;
  unprocessedRetry?: UnprocessedRetry;
}

type DigestStatus = 'claimed' | 'sent' | 'failed';

interface DigestEntryItem {
  pk: string;
  sk: string;
  status: DigestStatus;
  /** ISO time of the claim; ISO strings of one format compare in time order. */
  claimedAt: string;
  sentAt?: string;
  /** Absent when nothing was mailed (an empty digest the subscriber does not want). */
  messageId?: string;
  paperIds?: string[];
  /** Why a failed digest can never be sent (an SES error name). */
  failedReason?: string;
  expiresAt: number;
}

/** What a claim answers when the day's entry is already there. */
const CLAIM_REFUSALS: Record<DigestStatus, ClaimResult> = { claimed: 'in-progress', sent: 'already-sent', failed: 'already-failed' };

const subscriberPartition = (subscriberId: string) => `SUB#${subscriberId}`;
const digestKey = (subscriberId: string, date: string) => ({ pk: subscriberPartition(subscriberId), sk: `DIGEST#${date}` });
const sentPaperKey = (subscriberId: string, paperId: string) => ({ pk: subscriberPartition(subscriberId), sk: `SENT#${paperId}` });

export class DynamoLedger implements Ledger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly digestRetentionDays: number;
  private readonly sentPaperRetentionDays: number;
  private readonly unprocessedRetry: UnprocessedRetry;

  constructor(options: DynamoLedgerOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.digestRetentionDays = options.digestRetentionDays ?? 400;
    this.sentPaperRetentionDays = options.sentPaperRetentionDays ?? SENT_PAPER_RETENTION_DAYS;
    this.unprocessedRetry = options.unprocessedRetry ?? DEFAULT_UNPROCESSED_RETRY;
  }

  /** Succeeds when no entry exists or the existing claim's lease ran out; otherwise says why not. */
  async claim(subscriberId: string, date: string): Promise<ClaimResult> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const now = this.clock.now();
      const entry: DigestEntryItem = {
        ...digestKey(subscriberId, date),
        status: 'claimed',
        claimedAt: now.toISOString(),
        expiresAt: this.expiry(now, this.digestRetentionDays),
      };
      const claimed = await conditionalWrite(
        this.client,
        new PutCommand({
          TableName: this.tableName,
          Item: entry,
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND claimedAt < :leaseStart)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':leaseStart': new Date(now.getTime() - this.leaseMs).toISOString() },
        }),
      );
      if (claimed) return 'claimed';
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: digestKey(subscriberId, date), ConsistentRead: true }));
      if (Item) return CLAIM_REFUSALS[(Item as DigestEntryItem).status];
    }
    return 'in-progress';
  }

  /**
   * Record the digest as sent, then remember each paper. The status goes first: it is what stops
   * a second email. Written unconditionally, since the email has already left whatever happened
   * to the claim.
   */
  async markSent(subscriberId: string, date: string, messageId: string, paperIds: string[]): Promise<void> {
    const now = this.clock.now();
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        UpdateExpression: `SET #status = :sent, sentAt = :now, paperIds = :paperIds, expiresAt = :expiresAt, claimedAt = if_not_exists(claimedAt, :now)${
          messageId ? ', messageId = :messageId' : ''
        }`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':now': now.toISOString(),
          ':paperIds': paperIds,
          ':expiresAt': this.expiry(now, this.digestRetentionDays),
          ...(messageId ? { ':messageId': messageId } : {}),
        },
      }),
    );
    const expiresAt = this.expiry(now, this.sentPaperRetentionDays);
    const sentItems = [...new Set(paperIds)].map((paperId) => ({
      ...sentPaperKey(subscriberId, paperId),
      sentOn: date,
      expiresAt,
    }));
    await batchPutAll(this.client, this.tableName, sentItems, this.unprocessedRetry);
  }

  /** Turns the day's entry into a failure that no later claim retries; kept as long as a sent entry. */
  async markFailed(subscriberId: string, date: string, reason: string): Promise<void> {
    const now = this.clock.now();
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        UpdateExpression: 'SET #status = :failed, failedAt = :now, failedReason = :reason, expiresAt = :expiresAt, claimedAt = if_not_exists(claimedAt, :now)',
        // A digest that did go out stays sent, whatever a late failure says.
        ConditionExpression: 'attribute_not_exists(#status) OR #status <> :sent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':sent': 'sent',
          ':now': now.toISOString(),
          ':reason': reason,
          ':expiresAt': this.expiry(now, this.digestRetentionDays),
        },
      }),
    );
  }

  /** Deletes the entry only while it is still a claim; a sent entry stays. */
  async release(subscriberId: string, date: string): Promise<void> {
    await conditionalWrite(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: digestKey(subscriberId, date),
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed' },
      }),
    );
  }

  async alreadySent(subscriberId: string, paperIds: string[]): Promise<Set<string>> {
    const keys = [...new Set(paperIds)].map((paperId) => sentPaperKey(subscriberId, paperId));
    const found = await batchGetAll(this.client, this.tableName, keys, { projection: 'sk', retry: this.unprocessedRetry });
    return new Set(found.map((item) => String(item.sk).slice('SENT#'.length)));
  }

  private expiry(from: Date, days: number): number {
    return epochSeconds(daysLater(from, days));
  }
}
