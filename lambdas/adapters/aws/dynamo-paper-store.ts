// PaperStore on DynamoDB: one merged record per paper, plus one listing item per (day, paper) pointing at it.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dayStart } from '../../core/day';
import { mergePaper } from '../../core/merge-papers';
import type { Paper, SkippedItem } from '../../core/model';
import { DAY_LISTING_RETENTION_DAYS, daysLater, PAPER_RETENTION_DAYS } from '../../core/retention';
import type { PaperStore, StoredDay } from '../../ports';
import { sleep } from '../sleep';
import { batchGetAll, DEFAULT_UNPROCESSED_RETRY, type UnprocessedRetry } from './dynamo-batch';
import { conditionalWrite } from './dynamo-writes';
import { epochSeconds } from './tables';

export interface DynamoPaperStoreOptions {
  /** A client from createDocumentClient (it must drop undefined attributes). */
  client: DynamoDBDocumentClient;
  /** The papers table (TABLE_DEFINITIONS.papers). */
  tableName: string;
  /** Days a day listing is kept after that day (TTL). Default DAY_LISTING_RETENTION_DAYS. */
  dayRetentionDays?: number;
  /** Days a paper record is kept after the last day it was listed (TTL); outlives its listings. Default PAPER_RETENTION_DAYS. */
  paperRetentionDays?: number;
  /** Papers written in parallel by putDay. Default 8. */
  writeConcurrency?: number;
  /** Attempts at a paper's optimistic-locking write before giving up. Default 10. */
  maxMergeAttempts?: number;
  unprocessedRetry?: UnprocessedRetry;
}

interface StoredPaperItem extends Paper {
  pk: string;
  sk: string;
  /** Optimistic-locking counter: each write expects the version it read. */
  version: number;
  expiresAt: number;
}

const paperKey = (id: string) => ({ pk: `PAPER#${id}`, sk: 'PAPER' });
const dayKey = (day: string, id: string) => ({ pk: `DAY#${day}`, sk: `PAPER#${id}` });
/** A day's change marker: a fresh value each time putDay finishes the day, so a reader knows its copy is stale. */
const stampKey = (day: string) => ({ pk: `STAMP#${day}`, sk: 'STAMP' });

/** Windows of papers kept per store: a daily and a weekly window per replayed or real hour is a handful. */
const CACHED_WINDOWS = 8;

function paperFromItem(item: StoredPaperItem): Paper {
  const { pk: _pk, sk: _sk, version: _version, expiresAt: _expiresAt, ...paper } = item;
  return paper;
}

/** Run `task` over `items` with at most `limit` in flight; after a failure no new item is started. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** DynamoDB's answer to an item over 400 KB: a ValidationException saying so (retrying cannot help). */
function isItemTooLarge(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException' && /item size has exceeded/i.test(error.message);
}

export class DynamoPaperStore implements PaperStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly dayRetentionDays: number;
  private readonly paperRetentionDays: number;
  private readonly writeConcurrency: number;
  private readonly maxMergeAttempts: number;
  private readonly unprocessedRetry: UnprocessedRetry;
  /**
   * The papers of recent windows, by days, with the stamps they were read under. A store lives as
   * long as its warm Lambda container, so every invocation there reuses the same paper objects (and
   * the renderer's cards cached on them) until fetch-papers stamps one of the days anew: one small
   * read per window instead of every paper. A stamp rather than a TTL: a day changes when it is
   * fetched again, not at a fixed pace, and a test or replay that writes papers sees them at once.
   */
  private readonly windows = new Map<string, { stamps: string; papers: Promise<readonly Paper[]> }>();

  constructor(options: DynamoPaperStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.dayRetentionDays = options.dayRetentionDays ?? DAY_LISTING_RETENTION_DAYS;
    this.paperRetentionDays = options.paperRetentionDays ?? PAPER_RETENTION_DAYS;
    this.writeConcurrency = options.writeConcurrency ?? 8;
    this.maxMergeAttempts = options.maxMergeAttempts ?? 10;
    this.unprocessedRetry = options.unprocessedRetry ?? DEFAULT_UNPROCESSED_RETRY;
  }

  /**
   * Merge each paper into its record, then list it on `day`. The record is written before the
   * listing, so a listing never points at a missing record; a crash in between is repaired by
   * running the day again (both writes are idempotent). `papers` holds each id once (the port's
   * contract); a repeated id would still merge correctly, only written twice.
   */
  async putDay(day: string, papers: Paper[]): Promise<StoredDay> {
    const skipped: SkippedItem[] = [];
    await forEachLimited(papers, this.writeConcurrency, async (paper) => {
      try {
        await this.mergeIntoRecord({ ...paper, listedOn: [...new Set([...paper.listedOn, day])].sort() });
      } catch (error) {
        // Fields are capped at ingestion; a record that is still too large loses itself, not the day.
        if (!isItemTooLarge(error)) throw error;
        skipped.push({ source: paper.sources[0] ?? 'hf', id: paper.id, reason: 'record too large for a DynamoDB item (400 KB)' });
        return;
      }
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...dayKey(day, paper.id), paperId: paper.id, expiresAt: epochSeconds(daysLater(dayStart(day), this.dayRetentionDays)) },
        }),
      );
    });
    // After every listing, so a reader holding the old stamp reloads once the day is complete.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...stampKey(day), stamp: randomUUID(), expiresAt: epochSeconds(daysLater(dayStart(day), this.dayRetentionDays)) },
      }),
    );
    return { stored: papers.length - skipped.length, skipped };
  }

  /** The same array of the same paper objects while none of `days` was stamped anew since it was read. */
  async papersForDays(days: string[]): Promise<readonly Paper[]> {
    const key = days.join(',');
    const stamps = await this.stampsOf(days);
    const cached = this.windows.get(key);
    if (cached?.stamps === stamps) return cached.papers;
    const papers = this.readPapersForDays(days);
    this.windows.delete(key);
    this.windows.set(key, { stamps, papers });
    papers.catch(() => {
      if (this.windows.get(key)?.papers === papers) this.windows.delete(key);
    });
    while (this.windows.size > CACHED_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
    return papers;
  }

  /** The days' stamps in one read (a day never stamped reads as empty). */
  private async stampsOf(days: string[]): Promise<string> {
    const unique = [...new Set(days)];
    const items = await batchGetAll(
      this.client,
      this.tableName,
      unique.map((day) => stampKey(day)),
      { retry: this.unprocessedRetry },
    );
    const byDay = new Map(items.map((item) => [String(item.pk), String(item.stamp)]));
    return unique.map((day) => byDay.get(stampKey(day).pk) ?? '').join(',');
  }

  private async readPapersForDays(days: string[]): Promise<Paper[]> {
    const ids: string[] = [];
    for (const day of new Set(days)) ids.push(...(await this.paperIdsListedOn(day)));
    return this.papersById(ids);
  }

  async papersById(ids: string[]): Promise<Paper[]> {
    const order = [...new Set(ids)];
    if (order.length === 0) return [];
    const items = await batchGetAll(
      this.client,
      this.tableName,
      order.map((id) => paperKey(id)),
      { retry: this.unprocessedRetry },
    );
    const byId = new Map(items.map((item) => [String(item.id), paperFromItem(item as unknown as StoredPaperItem)]));
    return order.flatMap((id) => byId.get(id) ?? []);
  }

  private async paperIdsListedOn(day: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :day',
        ExpressionAttributeValues: { ':day': `DAY#${day}` },
        ProjectionExpression: 'paperId',
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) ids.push(String(item.paperId));
    }
    return ids;
  }

  /** Read-merge-write with a version check; a concurrent writer makes the check fail and the merge rerun. */
  private async mergeIntoRecord(incoming: Paper): Promise<void> {
    for (let attempt = 1; attempt <= this.maxMergeAttempts; attempt += 1) {
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: paperKey(incoming.id), ConsistentRead: true }));
      const stored = Item as StoredPaperItem | undefined;
      const previous = stored ? paperFromItem(stored) : undefined;
      const merged = previous ? mergePaper(previous, incoming) : incoming;
      if (previous && isDeepStrictEqual(previous, merged)) return;
      const lastListed = merged.listedOn.at(-1) ?? merged.publishedAt.slice(0, 10);
      const item: StoredPaperItem = {
        ...merged,
        ...paperKey(merged.id),
        version: (stored?.version ?? 0) + 1,
        expiresAt: epochSeconds(daysLater(dayStart(lastListed), this.paperRetentionDays)),
      };
      const written = await conditionalWrite(
        this.client,
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(stored
            ? {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': stored.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      if (written) return;
      await sleep(Math.random() * 10 * attempt);
    }
    throw new Error(`paper ${incoming.id}: gave up merging after ${this.maxMergeAttempts} concurrent-update conflicts`);
  }
}
