// SubscriberStore on DynamoDB: subscriber items, an email-guard item per address for uniqueness, and a sparse index of active subscribers.
import { DeleteCommand, GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DigestSchedule } from '../../core/digest-schedule';
import type { Subscriber } from '../../core/model';
import { receivesDigests } from '../../core/subscription';
import { daysLater, PENDING_SIGN_UP_RETENTION_DAYS } from '../../core/retention';
import { ConcurrentUpdateError, type Clock, type SubscriberStore } from '../../ports';
import { conditionalWrite, isConditionFailure } from './dynamo-writes';
import { ACTIVE_SUBSCRIBERS_INDEX, SCHEDULE_ATTRIBUTES } from './table-definitions';
import { epochSeconds } from './tables';

const ACTIVE = 'ACTIVE';
const GUARD_CLAIM_ATTEMPTS = 3;

export interface DynamoSubscriberStoreOptions {
  /** A client from createDocumentClient (it must drop undefined attributes). */
  client: DynamoDBDocumentClient;
  /** The subscribers table (TABLE_DEFINITIONS.subscribers). */
  tableName: string;
  /** Stamps email guards, to tell a sign-up in progress from one that crashed. */
  clock: Clock;
  /**
   * How long an email guard whose subscriber was never written still counts as a sign-up in
   * progress; after that it is taken over by the next sign-up. Default 5 minutes.
   */
  pendingSignUpMs?: number;
  /** Page size of listSchedules' index query (DynamoDB's 1 MB page limit applies anyway). */
  pageSize?: number;
}

/** Thrown by put when the subscriber's address is owned by another subscriber. */
export class EmailInUseError extends Error {
  override readonly name = 'EmailInUseError';
  constructor(subscriberId: string) {
    super(`the new address of subscriber ${subscriberId} belongs to another subscriber`);
  }
}

interface EmailGuardItem {
  pk: string;
  subscriberId: string;
  /** ISO time the guard was written. */
  claimedAt: string;
  /** TTL of a pending subscriber's guard; never earlier than its subscriber's (see syncGuardExpiry). */
  expiresAt?: number;
}

const subscriberKey = (id: string) => ({ pk: `SUB#${id}` });
/** Mailbox providers treat the local part case-insensitively in practice, so one guard covers every casing. */
const emailGuardKey = (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}` });
const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * A pending sign-up expires PENDING_SIGN_UP_RETENTION_DAYS after its last write (a sign-up again
 * rewrites it, so the clock restarts); any other status keeps the record.
 */
function pendingExpiry(subscriber: Subscriber): number | undefined {
  if (subscriber.status !== 'pending') return undefined;
  return epochSeconds(daysLater(new Date(subscriber.updatedAt), PENDING_SIGN_UP_RETENTION_DAYS));
}

/** The stored item of a subscriber (exported for bench/ to load many fast). */
export function subscriberToItem(subscriber: Subscriber): Record<string, unknown> {
  const active = receivesDigests(subscriber);
  const expiresAt = pendingExpiry(subscriber);
  return {
    ...subscriber,
    ...subscriberKey(subscriber.id),
    ...(active ? { activeBucket: ACTIVE } : {}),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

function subscriberFromItem(item: Record<string, unknown>): Subscriber {
  const { pk: _pk, activeBucket: _activeBucket, expiresAt: _expiresAt, ...subscriber } = item;
  return subscriber as unknown as Subscriber;
}

// Every projected name goes through a placeholder: status and hour are DynamoDB reserved words.
const SCHEDULE_NAMES = Object.fromEntries(SCHEDULE_ATTRIBUTES.map((name, index) => [`#s${index}`, name]));
const SCHEDULE_PROJECTION = Object.keys(SCHEDULE_NAMES).join(', ');

/**
 * Email uniqueness without transactions (dynalite has none): the guard item `EMAIL#<address>` is
 * written conditionally first, then the subscriber. A crash between the two leaves a guard with
 * no subscriber; after `pendingSignUpMs` the next sign-up for that address takes it over. A guard
 * whose subscriber has since moved to another address is taken over at once. findByEmail goes
 * through the guard and checks the subscriber still has the address, so orphans never match.
 */
export class DynamoSubscriberStore implements SubscriberStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly pendingSignUpMs: number;
  private readonly pageSize: number | undefined;

  constructor(options: DynamoSubscriberStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.pendingSignUpMs = options.pendingSignUpMs ?? 5 * 60_000;
    this.pageSize = options.pageSize;
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: subscriberKey(id), ConsistentRead: true }));
    return Item ? subscriberFromItem(Item) : undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const guard = await this.readGuard(email);
    if (!guard) return undefined;
    const owner = await this.get(guard.subscriberId);
    return owner && sameAddress(owner.email, email) ? owner : undefined;
  }

  async create(subscriber: Subscriber): Promise<boolean> {
    if (!(await this.claimEmail(subscriber.email, subscriber.id, pendingExpiry(subscriber)))) return false;
    const written = await conditionalWrite(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: subscriberToItem(subscriber),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (written) return true;
    const existing = await this.get(subscriber.id);
    if (!existing || !sameAddress(existing.email, subscriber.email)) await this.releaseEmail(subscriber.email, subscriber.id);
    return false;
  }

  /**
   * Replace the record; a changed address claims the new guard first and frees the old one after.
   * With `ifUpdatedAt`, only when the stored record still has that updatedAt (optimistic locking).
   */
  async put(subscriber: Subscriber, ifUpdatedAt?: string): Promise<void> {
    const guard = await this.readGuard(subscriber.email);
    const expiresAt = pendingExpiry(subscriber);
    const ownsGuard = guard?.subscriberId === subscriber.id;
    if (!ownsGuard && !(await this.claimEmail(subscriber.email, subscriber.id, expiresAt))) {
      throw new EmailInUseError(subscriber.id);
    }
    // A guard may outlive its subscriber (an orphan guard is taken over), never the other way
    // round: an expiry that moves later or goes away is written to the guard first, a new one after.
    const guardFirst = ownsGuard && guard.expiresAt !== undefined && (expiresAt === undefined || expiresAt > guard.expiresAt);
    const guardAfter = ownsGuard && !guardFirst && guard.expiresAt !== expiresAt;
    if (guardFirst) await this.setGuardExpiry(subscriber.email, subscriber.id, expiresAt);
    const previous = await this.putItem(subscriber, ifUpdatedAt);
    if (guardAfter) await this.setGuardExpiry(subscriber.email, subscriber.id, expiresAt);
    const previousEmail = previous?.email;
    if (typeof previousEmail === 'string' && !sameAddress(previousEmail, subscriber.email)) {
      await this.releaseEmail(previousEmail, subscriber.id);
    }
  }

  /** Write the subscriber item; returns the item it replaced. */
  private async putItem(subscriber: Subscriber, ifUpdatedAt: string | undefined): Promise<Record<string, unknown> | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: subscriberToItem(subscriber),
          ReturnValues: 'ALL_OLD',
          ...(ifUpdatedAt === undefined ? {} : { ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': ifUpdatedAt } }),
        }),
      );
      return Attributes;
    } catch (error) {
      if (ifUpdatedAt !== undefined && isConditionFailure(error)) throw new ConcurrentUpdateError(subscriber.id);
      throw error;
    }
  }

  /** Reads only the active index's projected attributes, page by page. */
  async listSchedules(): Promise<DigestSchedule[]> {
    const schedules: DigestSchedule[] = [];
    const pages = paginateQuery(
      { client: this.client, ...(this.pageSize === undefined ? {} : { pageSize: this.pageSize }) },
      {
        TableName: this.tableName,
        IndexName: ACTIVE_SUBSCRIBERS_INDEX,
        KeyConditionExpression: '#bucket = :active',
        ProjectionExpression: SCHEDULE_PROJECTION,
        ExpressionAttributeNames: { '#bucket': 'activeBucket', ...SCHEDULE_NAMES },
        ExpressionAttributeValues: { ':active': ACTIVE },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) schedules.push(item as DigestSchedule);
    }
    return schedules;
  }

  /** Sets lastDigestDate only; a subscriber deleted in the meantime is left deleted. */
  async markDigestSent(id: string, localDate: string): Promise<void> {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: subscriberKey(id),
        // updatedAt moves too, so a preferences save based on an earlier read conflicts and retries
        // instead of writing back the old lastDigestDate.
        UpdateExpression: 'SET lastDigestDate = :date, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':date': localDate, ':now': this.clock.now().toISOString() },
      }),
    );
  }

  private async readGuard(email: string): Promise<EmailGuardItem | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: emailGuardKey(email), ConsistentRead: true }));
    return Item as EmailGuardItem | undefined;
  }

  /** Make `subscriberId` the owner of `email`'s guard; false when another live subscriber owns it. */
  private async claimEmail(email: string, subscriberId: string, expiresAt: number | undefined): Promise<boolean> {
    for (let attempt = 1; attempt <= GUARD_CLAIM_ATTEMPTS; attempt += 1) {
      const now = this.clock.now();
      const guard: EmailGuardItem = {
        ...emailGuardKey(email),
        subscriberId,
        claimedAt: now.toISOString(),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      };
      const current = attempt === 1 ? undefined : await this.readGuard(email);
      if (attempt > 1 && current) {
        if (current.subscriberId === subscriberId) return true;
        if (!(await this.isAbandoned(current, email, now))) return false;
      }
      const written = await conditionalWrite(
        this.client,
        new PutCommand({
          TableName: this.tableName,
          Item: guard,
          ...(current
            ? { ConditionExpression: 'subscriberId = :abandonedBy', ExpressionAttributeValues: { ':abandonedBy': current.subscriberId } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      if (written) return true;
    }
    return false;
  }

  /** A guard is abandoned when its subscriber has another address, or was never written and the sign-up is stale. */
  private async isAbandoned(guard: EmailGuardItem, email: string, now: Date): Promise<boolean> {
    const owner = await this.get(guard.subscriberId);
    if (owner) return !sameAddress(owner.email, email);
    return Date.parse(guard.claimedAt) < now.getTime() - this.pendingSignUpMs;
  }

  /** Set (or, with undefined, remove) the TTL of `email`'s guard, if `subscriberId` still owns it. */
  private async setGuardExpiry(email: string, subscriberId: string, expiresAt: number | undefined): Promise<void> {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: emailGuardKey(email),
        UpdateExpression: expiresAt === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :expiresAt',
        ConditionExpression: 'subscriberId = :owner',
        ExpressionAttributeValues: { ':owner': subscriberId, ...(expiresAt === undefined ? {} : { ':expiresAt': expiresAt }) },
      }),
    );
  }

  private async releaseEmail(email: string, subscriberId: string): Promise<void> {
    await conditionalWrite(
      this.client,
      new DeleteCommand({
        TableName: this.tableName,
        Key: emailGuardKey(email),
        ConditionExpression: 'subscriberId = :owner',
        ExpressionAttributeValues: { ':owner': subscriberId },
      }),
    );
  }
}
