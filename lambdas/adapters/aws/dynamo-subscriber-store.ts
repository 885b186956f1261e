// SubscriberStore on DynamoDB: subscriber items, an email-guard item per address for uniqueness, and a sparse index of active subscribers.
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Subscriber } from '../../core/model';
import { ConcurrentUpdateError, type Clock, type ConfirmationLimits, type SubscriberStore } from '../../ports';
import { isConditionFailure } from './dynamo-batch';
import { ACTIVE_SUBSCRIBERS_INDEX, epochSeconds } from './tables';

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
  /** Page size of listActive's index query (DynamoDB's 1 MB page limit applies anyway). */
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
}

const subscriberKey = (id: string) => ({ pk: `SUB#${id}` });
/** Mailbox providers treat the local part case-insensitively in practice, so one guard covers every casing. */
const emailGuardKey = (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}` });
const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const confirmationThrottleKey = (email: string) => ({ pk: `CONFIRM#${email.toLowerCase()}` });

function subscriberToItem(subscriber: Subscriber): Record<string, unknown> {
  const active = subscriber.status === 'confirmed' && !subscriber.paused;
  return { ...subscriber, ...subscriberKey(subscriber.id), ...(active ? { activeBucket: ACTIVE } : {}) };
}

function subscriberFromItem(item: Record<string, unknown>): Subscriber {
  const { pk: _pk, activeBucket: _activeBucket, ...subscriber } = item;
  return subscriber as unknown as Subscriber;
}

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
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: subscriberKey(id), ConsistentRead: true }),
    );
    return Item ? subscriberFromItem(Item) : undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const guard = await this.readGuard(email);
    if (!guard) return undefined;
    const owner = await this.get(guard.subscriberId);
    return owner && sameAddress(owner.email, email) ? owner : undefined;
  }

  async create(subscriber: Subscriber): Promise<boolean> {
    if (!(await this.claimEmail(subscriber.email, subscriber.id))) return false;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: subscriberToItem(subscriber),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.get(subscriber.id);
      if (!existing || !sameAddress(existing.email, subscriber.email)) await this.releaseEmail(subscriber.email, subscriber.id);
      return false;
    }
  }

  /**
   * Replace the record; a changed address claims the new guard first and frees the old one after.
   * With `ifUpdatedAt`, only when the stored record still has that updatedAt (optimistic locking).
   */
  async put(subscriber: Subscriber, ifUpdatedAt?: string): Promise<void> {
    const guard = await this.readGuard(subscriber.email);
    if (guard?.subscriberId !== subscriber.id && !(await this.claimEmail(subscriber.email, subscriber.id))) {
      throw new EmailInUseError(subscriber.id);
    }
    let previous: Record<string, unknown> | undefined;
    try {
      ({ Attributes: previous } = await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: subscriberToItem(subscriber),
          ReturnValues: 'ALL_OLD',
          ...(ifUpdatedAt === undefined
            ? {}
            : { ConditionExpression: 'updatedAt = :seen', ExpressionAttributeValues: { ':seen': ifUpdatedAt } }),
        }),
      ));
    } catch (error) {
      if (ifUpdatedAt !== undefined && isConditionFailure(error)) throw new ConcurrentUpdateError(subscriber.id);
      throw error;
    }
    const previousEmail = previous?.email;
    if (typeof previousEmail === 'string' && !sameAddress(previousEmail, subscriber.email)) {
      await this.releaseEmail(previousEmail, subscriber.id);
    }
  }

  async listActive(): Promise<Subscriber[]> {
    const active: Subscriber[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ACTIVE_SUBSCRIBERS_INDEX,
          KeyConditionExpression: 'activeBucket = :active',
          ExpressionAttributeValues: { ':active': ACTIVE },
          ExclusiveStartKey: startKey,
          ...(this.pageSize === undefined ? {} : { Limit: this.pageSize }),
        }),
      );
      for (const item of page.Items ?? []) {
        const subscriber = subscriberFromItem(item);
        if (subscriber.status === 'confirmed' && !subscriber.paused) active.push(subscriber);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return active;
  }

  /** Sets lastDigestDate only; a subscriber deleted in the meantime is left deleted. */
  async markDigestSent(id: string, localDate: string): Promise<void> {
    try {
      await this.client.send(
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
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Take one confirmation-email slot for `email`: at most one per `cooldownMs` and `perDay` per UTC
   * day. Atomic (conditional updates on a throttle item), so concurrent sign-ups send one email.
   */
  async claimConfirmationEmail(email: string, limits: ConfirmationLimits): Promise<boolean> {
    const now = this.clock.now();
    const day = now.toISOString().slice(0, 10);
    const cutoff = new Date(now.getTime() - limits.cooldownMs).toISOString();
    const common = {
      TableName: this.tableName,
      Key: confirmationThrottleKey(email),
    };
    const values = { ':now': now.toISOString(), ':cutoff': cutoff, ':day': day, ':expires': epochSeconds(now) + 2 * 86_400 };
    try {
      // Same day: count one more, if the cooldown has passed and the day's allowance is not used up.
      await this.client.send(
        new UpdateCommand({
          ...common,
          UpdateExpression: 'SET lastSentAt = :now, expiresAt = :expires ADD sentToday :one',
          ConditionExpression: 'sentOn = :day AND lastSentAt < :cutoff AND sentToday < :perDay',
          ExpressionAttributeValues: { ...values, ':one': 1, ':perDay': limits.perDay },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    try {
      // First send of a day (or ever): start the day's count, if the cooldown has passed.
      await this.client.send(
        new UpdateCommand({
          ...common,
          UpdateExpression: 'SET lastSentAt = :now, sentOn = :day, sentToday = :one, expiresAt = :expires',
          ConditionExpression: '(attribute_not_exists(sentOn) OR sentOn <> :day) AND (attribute_not_exists(lastSentAt) OR lastSentAt < :cutoff)',
          ExpressionAttributeValues: { ...values, ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async releaseConfirmationEmail(email: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: confirmationThrottleKey(email),
          UpdateExpression: 'SET lastSentAt = :never ADD sentToday :minusOne',
          ConditionExpression: 'sentToday > :zero',
          ExpressionAttributeValues: { ':never': new Date(0).toISOString(), ':minusOne': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async readGuard(email: string): Promise<EmailGuardItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: emailGuardKey(email), ConsistentRead: true }),
    );
    return Item as EmailGuardItem | undefined;
  }

  /** Make `subscriberId` the owner of `email`'s guard; false when another live subscriber owns it. */
  private async claimEmail(email: string, subscriberId: string): Promise<boolean> {
    for (let attempt = 1; attempt <= GUARD_CLAIM_ATTEMPTS; attempt += 1) {
      const now = this.clock.now();
      const guard: EmailGuardItem = { ...emailGuardKey(email), subscriberId, claimedAt: now.toISOString() };
      const current = attempt === 1 ? undefined : await this.readGuard(email);
      if (attempt > 1 && current) {
        if (current.subscriberId === subscriberId) return true;
        if (!(await this.isAbandoned(current, email, now))) return false;
      }
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: guard,
            ...(current
              ? { ConditionExpression: 'subscriberId = :abandonedBy', ExpressionAttributeValues: { ':abandonedBy': current.subscriberId } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return false;
  }

  /** A guard is abandoned when its subscriber has another address, or was never written and the sign-up is stale. */
  private async isAbandoned(guard: EmailGuardItem, email: string, now: Date): Promise<boolean> {
    const owner = await this.get(guard.subscriberId);
    if (owner) return !sameAddress(owner.email, email);
    return Date.parse(guard.claimedAt) < now.getTime() - this.pendingSignUpMs;
  }

  private async releaseEmail(email: string, subscriberId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: emailGuardKey(email),
          ConditionExpression: 'subscriberId = :owner',
          ExpressionAttributeValues: { ':owner': subscriberId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
