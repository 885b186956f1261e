// ConfirmationThrottle on DynamoDB: one `CONFIRM#<address>` item per address in the subscribers table, counting the day's confirmation emails.
import { utcDay } from '../../core/day';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFIRMATION_THROTTLE_RETENTION_DAYS, daysLater } from '../../core/retention';
import type { Clock, ConfirmationLimits, ConfirmationThrottle } from '../../ports';
import { conditionalWrite } from './dynamo-writes';
import { epochSeconds } from './tables';

export interface DynamoConfirmationThrottleOptions {
  client: DynamoDBDocumentClient;
  /** The subscribers table (TABLE_DEFINITIONS.subscribers): the throttle items live beside the subscribers. */
  tableName: string;
  clock: Clock;
}

/** One item per address, whatever its casing. */
const confirmationThrottleKey = (email: string) => ({ pk: `CONFIRM#${email.toLowerCase()}` });

export class DynamoConfirmationThrottle implements ConfirmationThrottle {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: DynamoConfirmationThrottleOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
  }

  /**
   * Take one confirmation-email slot for `email`: at most one per `cooldownMs` and `perDay` per UTC
   * day. Atomic (conditional updates on a throttle item), so concurrent sign-ups send one email.
   */
  async claim(email: string, limits: ConfirmationLimits): Promise<boolean> {
    const now = this.clock.now();
    const day = utcDay(now);
    const cutoff = new Date(now.getTime() - limits.cooldownMs).toISOString();
    const common = {
      TableName: this.tableName,
      Key: confirmationThrottleKey(email),
    };
    const values = {
      ':now': now.toISOString(),
      ':cutoff': cutoff,
      ':day': day,
      ':expires': epochSeconds(daysLater(now, CONFIRMATION_THROTTLE_RETENTION_DAYS)),
    };
    // Same day: count one more, if the cooldown has passed and the day's allowance is not used up.
    const counted = await conditionalWrite(
      this.client,
      new UpdateCommand({
        ...common,
        UpdateExpression: 'SET lastSentAt = :now, expiresAt = :expires ADD sentToday :one',
        ConditionExpression: 'sentOn = :day AND lastSentAt < :cutoff AND sentToday < :perDay',
        ExpressionAttributeValues: { ...values, ':one': 1, ':perDay': limits.perDay },
      }),
    );
    if (counted) return true;
    // First send of a day (or ever): start the day's count, if the cooldown has passed.
    return conditionalWrite(
      this.client,
      new UpdateCommand({
        ...common,
        UpdateExpression: 'SET lastSentAt = :now, sentOn = :day, sentToday = :one, expiresAt = :expires',
        ConditionExpression: '(attribute_not_exists(sentOn) OR sentOn <> :day) AND (attribute_not_exists(lastSentAt) OR lastSentAt < :cutoff)',
        ExpressionAttributeValues: { ...values, ':one': 1 },
      }),
    );
  }

  async release(email: string): Promise<void> {
    await conditionalWrite(
      this.client,
      new UpdateCommand({
        TableName: this.tableName,
        Key: confirmationThrottleKey(email),
        UpdateExpression: 'SET lastSentAt = :never ADD sentToday :minusOne',
        ConditionExpression: 'sentToday > :zero',
        ExpressionAttributeValues: { ':never': new Date(0).toISOString(), ':minusOne': -1, ':zero': 0 },
      }),
    );
  }
}
