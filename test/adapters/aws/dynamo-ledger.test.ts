// DynamoLedger against dynalite: each day starts once, settles once, and keeps its papers in the same item the next selection reads.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '../../../lambdas/adapters/aws/clients';
import { DynamoLedger } from '../../../lambdas/adapters/aws/dynamo-ledger';
import type { TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { addDays } from '../../../lambdas/core/day';
import { SENT_PAPER_RETENTION_DAYS } from '../../../lambdas/core/retention';
import { localClientOptions, ManualClock, type TestDynamo, useDynamo } from '../../support/emulators';

const DAY = '2026-11-02';

let dynamo: TestDynamo;
let tables: TableNames;
let clock: ManualClock;
let ledger: DynamoLedger;

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock(`${DAY}T07:00:00Z`);
  ledger = new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock });
});

const entry = async (subscriberId: string, date: string) =>
  (await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: `SUB#${subscriberId}`, sk: `DIGEST#${date}` } }))).Item;

describe('DynamoLedger days', () => {
  it('begins a day once: later attempts, and an empty close, find it taken', async () => {
    const at = await ledger.beginSend('sub-1', DAY, ['2608.00001', '2608.00002', '2608.00001']);
    expect(at).toBe(`${DAY}T07:00:00.000Z`);
    expect(await ledger.beginSend('sub-1', DAY, [])).toBeUndefined();
    expect(await ledger.markEmpty('sub-1', DAY)).toBe(false);
    expect(await ledger.beginSend('sub-1', '2026-11-03', [])).toBeDefined();
    expect(await ledger.beginSend('sub-2', DAY, [])).toBeDefined();
    expect(await entry('sub-1', DAY)).toEqual({
      pk: 'SUB#sub-1',
      sk: `DIGEST#${DAY}`,
      status: 'sending',
      at,
      paperIds: ['2608.00001', '2608.00002'],
      // Kept 400 days, then deleted by TTL.
      expiresAt: Date.parse('2027-12-07T07:00:00Z') / 1000,
    });
  });

  it('lets only one of many concurrent attempts begin', async () => {
    const attempts = await Promise.all(Array.from({ length: 6 }, () => ledger.beginSend('sub-1', DAY, ['2608.00001'])));
    expect(attempts.filter((at) => at !== undefined)).toHaveLength(1);
  });

  it('marks a day sent with its message id, keeping its papers', async () => {
    const at = (await ledger.beginSend('sub-1', DAY, ['2608.00001']))!;
    clock.advance(1_000);
    await ledger.markSent('sub-1', DAY, 'msg-1');
    expect(await entry('sub-1', DAY)).toMatchObject({ status: 'sent', messageId: 'msg-1', paperIds: ['2608.00001'], at: `${DAY}T07:00:01.000Z` });
    expect((await ledger.history('sub-1', DAY)).day).toEqual({ status: 'sent', at: `${DAY}T07:00:01.000Z` });
    // Its attempt is over: neither abandoning nor closing it changes the sent day.
    await ledger.abandonSend('sub-1', DAY, at);
    expect(await ledger.closeSend('sub-1', DAY, at, 'unknown', 'Abandoned')).toBe(false);
    expect(await entry('sub-1', DAY)).toMatchObject({ status: 'sent' });
  });

  it('frees a day whose attempt SES did not take, but only that attempt', async () => {
    const at = (await ledger.beginSend('sub-1', DAY, []))!;
    await ledger.abandonSend('sub-1', DAY, 'some other attempt');
    expect(await entry('sub-1', DAY)).toBeDefined();
    await ledger.abandonSend('sub-1', DAY, at);
    expect(await entry('sub-1', DAY)).toBeUndefined();
    expect(await ledger.beginSend('sub-1', DAY, [])).toBeDefined();
  });

  it('closes an attempt as rejected or unknown once, with its reason', async () => {
    const at = (await ledger.beginSend('sub-1', DAY, ['2608.00001']))!;
    expect(await ledger.closeSend('sub-1', DAY, 'another attempt', 'unknown', 'Abandoned')).toBe(false);
    expect(await ledger.closeSend('sub-1', DAY, at, 'rejected', 'MessageRejected')).toBe(true);
    expect(await ledger.closeSend('sub-1', DAY, at, 'unknown', 'Abandoned')).toBe(false);
    expect(await entry('sub-1', DAY)).toMatchObject({ status: 'rejected', reason: 'MessageRejected' });
    expect(await ledger.beginSend('sub-1', DAY, [])).toBeUndefined();
  });

  it('turns a sending or unknown day into sent on SES’s Send event, once', async () => {
    await ledger.beginSend('sub-1', DAY, []);
    expect(await ledger.reconcileSent('sub-1', DAY, 'msg-1')).toBe(true);
    expect(await ledger.reconcileSent('sub-1', DAY, 'msg-1')).toBe(false);
    expect(await entry('sub-1', DAY)).toMatchObject({ status: 'sent', messageId: 'msg-1' });

    const at = (await ledger.beginSend('sub-2', DAY, []))!;
    await ledger.closeSend('sub-2', DAY, at, 'unknown', 'TimeoutError');
    expect(await ledger.reconcileSent('sub-2', DAY, 'msg-2')).toBe(true);
    expect(await entry('sub-2', DAY)).toMatchObject({ status: 'sent', messageId: 'msg-2' });
    expect(await entry('sub-2', DAY)).not.toHaveProperty('reason');

    // An event for a day the ledger never began (or a rejected one) creates nothing.
    expect(await ledger.reconcileSent('sub-3', DAY, 'msg-3')).toBe(false);
    expect(await entry('sub-3', DAY)).toBeUndefined();
  });
});

describe('DynamoLedger history', () => {
  it('answers the day asked about and the papers of every digest that may have reached the reader, within the retention', async () => {
    const send = async (date: string, paperIds: string[], settle: 'sent' | 'rejected' | 'unknown' | 'sending') => {
      const at = (await ledger.beginSend('sub-1', date, paperIds))!;
      if (settle === 'sent') await ledger.markSent('sub-1', date, `msg-${date}`);
      if (settle === 'rejected' || settle === 'unknown') await ledger.closeSend('sub-1', date, at, settle, 'Test');
    };
    await send(addDays(DAY, -SENT_PAPER_RETENTION_DAYS - 1), ['too-old'], 'sent');
    await send(addDays(DAY, -SENT_PAPER_RETENTION_DAYS), ['oldest-kept'], 'sent');
    await send(addDays(DAY, -3), ['refused'], 'rejected');
    await send(addDays(DAY, -2), ['maybe-1', 'maybe-2'], 'unknown');
    await send(addDays(DAY, -1), ['interrupted'], 'sending');
    await ledger.markEmpty('sub-1', DAY);
    await send(addDays(DAY, 1), ['later'], 'sent');
    await ledger.beginSend('sub-2', DAY, ['someone-else']);

    const history = await ledger.history('sub-1', DAY);
    expect(history.day).toEqual({ status: 'empty', at: `${DAY}T07:00:00.000Z` });
    expect([...history.sentPaperIds].sort()).toEqual(['interrupted', 'maybe-1', 'maybe-2', 'oldest-kept']);
    expect(history.earlierSending).toEqual([{ date: addDays(DAY, -1), at: `${DAY}T07:00:00.000Z` }]);
    expect(await ledger.history('sub-9', DAY)).toEqual({ sentPaperIds: new Set(), earlierSending: [] });
  });

  it('reads a long history in one strongly consistent Query per page, never one read per paper', async () => {
    const client = createDocumentClient(localClientOptions('http://127.0.0.1:9'));
    const mock = mockClient(client);
    const page = (date: string, ids: string[]) => ({ pk: 'SUB#sub-1', sk: `DIGEST#${date}`, status: 'sent', at: 'x', paperIds: ids });
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [page('2026-10-20', ['a', 'b'])], LastEvaluatedKey: { pk: 'SUB#sub-1', sk: 'DIGEST#2026-10-20' } })
      .resolves({ Items: [page(DAY, ['c'])] });
    const mocked = new DynamoLedger({ client, tableName: 'ledger-mocked', clock });

    const history = await mocked.history('sub-1', DAY);
    expect(history).toEqual({ day: { status: 'sent', at: 'x' }, sentPaperIds: new Set(['a', 'b', 'c']), earlierSending: [] });
    const calls = mock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls.every((input) => input.ConsistentRead === true)).toBe(true);
    expect(calls[1]!.ExclusiveStartKey).toEqual({ pk: 'SUB#sub-1', sk: 'DIGEST#2026-10-20' });
    expect(mock.calls()).toHaveLength(2);
  });
});

/** An item's size as DynamoDB bills a write: names and values in UTF-8, numbers at about a byte per two digits, a list's or map's 3 bytes and 1 per element. */
function itemBytes(item: Record<string, unknown>): number {
  const valueBytes = (value: unknown): number =>
    typeof value === 'string'
      ? Buffer.byteLength(value)
      : typeof value === 'number'
        ? Math.ceil(String(value).length / 2) + 1
        : Array.isArray(value)
          ? 3 + value.reduce((sum: number, element) => sum + 1 + valueBytes(element), 0)
          : typeof value === 'object' && value !== null
            ? 3 + Object.entries(value).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueBytes(element), 0)
            : 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

describe('DynamoLedger web versions', () => {
  const recipe = { topics: 'quantization, "language model"', frequency: 'weekly' as const, windowFrom: '2026-10-27', windowTo: '2026-11-02' };

  it('keeps how the digest was made with its papers, in order, and reads it back whatever becomes of the day', async () => {
    const at = (await ledger.beginSend('sub-1', DAY, ['2611.00002', '2611.00001'], recipe))!;
    expect(await ledger.sentDigest('sub-1', DAY)).toEqual({ status: 'sending', at, paperIds: ['2611.00002', '2611.00001'], recipe });
    await ledger.markSent('sub-1', DAY, 'msg-1');
    expect(await ledger.sentDigest('sub-1', DAY)).toMatchObject({ status: 'sent', paperIds: ['2611.00002', '2611.00001'], recipe });
    expect(await entry('sub-1', DAY)).toMatchObject({ topics: recipe.topics, frequency: 'weekly', window: '2026-10-27/2026-11-02' });
    expect(await ledger.sentDigest('sub-1', '2026-11-01')).toBeUndefined();
    await ledger.markEmpty('sub-1', '2026-11-03');
    expect(await ledger.sentDigest('sub-1', '2026-11-03')).toEqual({ status: 'empty', at: expect.any(String), paperIds: [] });
  });

  it('keeps the moment of selection and the reasons a feedback profile gave, only for the papers that had one', async () => {
    const full = { ...recipe, selectedAt: '2026-11-02T08:00:00.000Z', profileReasons: { '2611.00002': 'Like papers you marked: quantization' } };
    await ledger.beginSend('sub-1', DAY, ['2611.00002', '2611.00001'], full);
    await ledger.markSent('sub-1', DAY, 'msg-1');
    expect(await ledger.sentDigest('sub-1', DAY)).toMatchObject({ status: 'sent', recipe: full });
    await ledger.beginSend('sub-1', '2026-11-03', ['2611.00003'], { ...recipe, selectedAt: full.selectedAt, profileReasons: {} });
    expect(await entry('sub-1', '2026-11-03')).not.toHaveProperty('profileReasons');
    expect((await ledger.sentDigest('sub-1', '2026-11-03'))?.recipe).toEqual({ ...recipe, selectedAt: full.selectedAt });
  });

  it('reads an entry from before recipes were kept as one without a recipe', async () => {
    await ledger.beginSend('sub-1', DAY, ['2611.00001']);
    expect(await ledger.sentDigest('sub-1', DAY)).toEqual({ status: 'sending', at: expect.any(String), paperIds: ['2611.00001'] });
  });

  it('keeps a sent digest of 10 papers within one write unit (1 KB) with its recipe, and one of 30 papers and a 100-character filter too', async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, n) => `2611.${String(n + 10_000).padStart(5, '0')}`);
    const selectedAt = '2026-11-02T08:00:00.000Z';
    await ledger.beginSend('sub-0123456789abcdef0123456789abcdef', DAY, ids(10), { ...recipe, selectedAt });
    const typical = itemBytes((await entry('sub-0123456789abcdef0123456789abcdef', DAY))!);
    const profileReasons = Object.fromEntries(ids(3).map((id) => [id, 'Like papers you marked: quantization, KV cache, Tri Dao']));
    await ledger.beginSend('sub-0123456789abcdef0123456789abcdef', '2026-11-03', ids(30), { ...recipe, topics: 'q'.repeat(100), selectedAt, profileReasons });
    const large = itemBytes((await entry('sub-0123456789abcdef0123456789abcdef', '2026-11-03'))!);
    expect(typical).toBeLessThan(400);
    expect(large).toBeLessThan(1024);
  });
});
