// Batch reads and writes within DynamoDB's per-call limits, retrying whatever the service leaves unprocessed.
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../sleep';

type Item = Record<string, unknown>;

const MAX_GET_KEYS = 100;
const MAX_WRITE_ITEMS = 25;

export interface UnprocessedRetry {
  /** Calls per chunk before giving up (the first call included). */
  maxAttempts: number;
  /** First backoff; doubles per attempt, with full jitter, capped at 2 s. */
  baseDelayMs: number;
}

export const DEFAULT_UNPROCESSED_RETRY: UnprocessedRetry = { maxAttempts: 8, baseDelayMs: 25 };

/** Thrown when DynamoDB still leaves items unprocessed after every attempt (sustained throttling). */
export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

function backoff(attempt: number, retry: UnprocessedRetry): Promise<void> {
  const ceiling = Math.min(2_000, retry.baseDelayMs * 2 ** (attempt - 1));
  return sleep(Math.random() * ceiling);
}

/** Every item found under `keys` (missing ones are simply absent), in no particular order. */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: { projection?: string; expressionNames?: Record<string, string>; retry?: UnprocessedRetry } = {},
): Promise<Item[]> {
  const retry = options.retry ?? DEFAULT_UNPROCESSED_RETRY;
  const found: Item[] = [];
  for (const keysOfChunk of chunk(keys, MAX_GET_KEYS)) {
    let pending: Item[] = keysOfChunk;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > retry.maxAttempts) {
        throw new UnprocessedItemsError(`DynamoDB left ${pending.length} key(s) of ${tableName} unread after ${retry.maxAttempts} attempts`);
      }
      if (attempt > 1) await backoff(attempt - 1, retry);
      const result = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.expressionNames ? { ExpressionAttributeNames: options.expressionNames } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return found;
}

/** Put every item, 25 per call. */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  retry: UnprocessedRetry = DEFAULT_UNPROCESSED_RETRY,
): Promise<void> {
  for (const itemsOfChunk of chunk(items, MAX_WRITE_ITEMS)) {
    let pending = itemsOfChunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > retry.maxAttempts) {
        throw new UnprocessedItemsError(`DynamoDB left ${pending.length} item(s) of ${tableName} unwritten after ${retry.maxAttempts} attempts`);
      }
      if (attempt > 1) await backoff(attempt - 1, retry);
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
}
