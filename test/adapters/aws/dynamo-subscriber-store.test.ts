import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSubscriberStore, EmailInUseError } from '../../../lambdas/adapters/aws/dynamo-subscriber-store';
import { ConcurrentUpdateError } from '../../../lambdas/ports';
import { ACTIVE_SUBSCRIBERS_INDEX, SCHEDULE_ATTRIBUTES, type TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { ManualClock, type TestDynamo, useDynamo } from '../../support/emulators';
import { makeSubscriber } from '../../support/subscriber-factory';

let dynamo: TestDynamo;
let tables: TableNames;
let clock: ManualClock;
let store: DynamoSubscriberStore;

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-11-02T08:00:00Z');
  store = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock, pageSize: 3 });
});

async function allItems(): Promise<Array<Record<string, unknown>>> {
  const { Items } = await dynamo.client.send(new ScanCommand({ TableName: tables.subscribers }));
  return Items ?? [];
}

describe('DynamoSubscriberStore', () => {
  it('creates a subscriber, gets it by id and finds it by email', async () => {
    const { lastDigestDate: _never, ...subscriber } = makeSubscriber({ status: 'pending' });
    expect(await store.create(subscriber)).toBe(true);
    expect(await store.get(subscriber.id)).toEqual(subscriber);
    expect(await store.findByEmail(subscriber.email)).toEqual(subscriber);
    expect(await store.findByEmail('nobody@example.com')).toBeUndefined();
    expect(await store.get('missing')).toBeUndefined();
  });

  it('refuses a second sign-up with the same email and duplicates nothing', async () => {
    const first = makeSubscriber({ email: 'twice@example.com' });
    const second = makeSubscriber({ email: 'twice@example.com' });
    expect(await store.create(first)).toBe(true);
    expect(await store.create(second)).toBe(false);
    expect(await store.get(second.id)).toBeUndefined();
    expect(await store.findByEmail('twice@example.com')).toEqual(first);
    expect(await allItems()).toHaveLength(2);
  });

  it('lets only one of two concurrent sign-ups with the same email win', async () => {
    const contenders = Array.from({ length: 5 }, () => makeSubscriber({ email: 'race@example.com' }));
    const results = await Promise.all(contenders.map((subscriber) => store.create(subscriber)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const items = await allItems();
    expect(items.filter((item) => String(item.pk).startsWith('SUB#'))).toHaveLength(1);
  });

  it('refuses an id that already exists without taking over its email guard', async () => {
    const original = makeSubscriber();
    expect(await store.create(original)).toBe(true);
    const sameId = makeSubscriber({ id: original.id, email: 'other@example.com' });
    expect(await store.create(sameId)).toBe(false);
    expect(await store.get(original.id)).toEqual(original);
    expect(await store.findByEmail('other@example.com')).toBeUndefined();
    expect(await store.create(makeSubscriber({ email: 'other@example.com' }))).toBe(true);
  });

  it('recovers an email whose sign-up crashed after the guard, once the sign-up is stale', async () => {
    await dynamo.client.send(
      new PutCommand({
        TableName: tables.subscribers,
        Item: { pk: 'EMAIL#crashed@example.com', subscriberId: 'sub-crashed', claimedAt: clock.now().toISOString() },
      }),
    );
    const retry = makeSubscriber({ email: 'crashed@example.com' });
    expect(await store.findByEmail('crashed@example.com')).toBeUndefined();
    expect(await store.create(retry)).toBe(false);
    clock.advance(6 * 60_000);
    expect(await store.create(retry)).toBe(true);
    expect(await store.findByEmail('crashed@example.com')).toEqual(retry);
  });

  it('lists the schedules of confirmed, unpaused subscribers only, across pages', async () => {
    const active = Array.from({ length: 7 }, (_, n) => makeSubscriber({ status: 'confirmed', paused: false, hour: n, timeZone: 'Asia/Tokyo' }));
    const inactive = [makeSubscriber({ status: 'pending' }), makeSubscriber({ status: 'unsubscribed' }), makeSubscriber({ status: 'confirmed', paused: true })];
    for (const subscriber of [...active, ...inactive]) expect(await store.create(subscriber)).toBe(true);
    await store.markDigestSent(active[1]!.id, '2026-11-01');

    const send = jest.spyOn(dynamo.client, 'send');
    const listed = await store.listSchedules();
    expect(send.mock.calls.filter(([command]) => command instanceof QueryCommand).length).toBeGreaterThanOrEqual(3);
    send.mockRestore();
    expect(listed.map((s) => s.id).sort()).toEqual(active.map((s) => s.id).sort());
    const { id, status, paused, frequency, weekday, hour, timeZone } = active[1]!;
    expect(listed.find((s) => s.id === id)).toEqual({ id, status, paused, frequency, weekday, hour, timeZone, lastDigestDate: '2026-11-01' });

    await store.put({ ...active[0]!, paused: true });
    await store.put({ ...inactive[2]!, paused: false });
    const relisted = (await store.listSchedules()).map((s) => s.id);
    expect(relisted).not.toContain(active[0]!.id);
    expect(relisted).toContain(inactive[2]!.id);
  });

  it('keeps only the schedule attributes in the active index (INCLUDE projection), not addresses or topics', async () => {
    const subscriber = makeSubscriber({ topics: 'quantization', lastDigestDate: '2026-11-01' });
    await store.create(subscriber);
    // No ProjectionExpression: the index answers with everything it holds.
    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: tables.subscribers,
        IndexName: ACTIVE_SUBSCRIBERS_INDEX,
        KeyConditionExpression: 'activeBucket = :active',
        ExpressionAttributeValues: { ':active': 'ACTIVE' },
      }),
    );
    expect(Object.keys(Items![0]!).sort()).toEqual(['activeBucket', 'pk', ...SCHEDULE_ATTRIBUTES].sort());
  });

  it('put replaces the record and moves the email guard when the address changes', async () => {
    const subscriber = makeSubscriber({ email: 'old@example.com' });
    const neighbour = makeSubscriber({ email: 'taken@example.com' });
    await store.create(subscriber);
    await store.create(neighbour);

    const moved = { ...subscriber, email: 'new@example.com', topics: 'quantization' };
    await store.put(moved);
    expect(await store.get(subscriber.id)).toEqual(moved);
    expect(await store.findByEmail('new@example.com')).toEqual(moved);
    expect(await store.findByEmail('old@example.com')).toBeUndefined();
    expect(await store.create(makeSubscriber({ email: 'old@example.com' }))).toBe(true);

    await expect(store.put({ ...moved, email: 'taken@example.com' })).rejects.toBeInstanceOf(EmailInUseError);
    expect(await store.get(subscriber.id)).toEqual(moved);
  });

  it('markDigestSent sets only lastDigestDate (and updatedAt) and never creates a record', async () => {
    const subscriber = makeSubscriber();
    await store.create(subscriber);
    await store.markDigestSent(subscriber.id, '2026-11-02');
    expect(await store.get(subscriber.id)).toEqual({ ...subscriber, lastDigestDate: '2026-11-02', updatedAt: clock.now().toISOString() });

    await store.markDigestSent('sub-gone', '2026-11-02');
    const { Item } = await dynamo.client.send(new GetCommand({ TableName: tables.subscribers, Key: { pk: 'SUB#sub-gone' } }));
    expect(Item).toBeUndefined();
  });
});

describe('DynamoSubscriberStore address handling', () => {
  it('treats addresses that differ only in case as one address', async () => {
    expect(await store.create(makeSubscriber({ email: 'Victim@example.com' }))).toBe(true);
    expect(await store.create(makeSubscriber({ email: 'victim@example.com' }))).toBe(false);
    expect((await store.findByEmail('VICTIM@example.com'))?.email).toBe('Victim@example.com');
  });
});

describe('DynamoSubscriberStore optimistic locking', () => {
  it('writes with ifUpdatedAt only while the record is unchanged since it was read', async () => {
    const subscriber = makeSubscriber();
    await store.create(subscriber);
    const read = (await store.get(subscriber.id))!;
    await store.put({ ...read, topics: 'first', updatedAt: '2026-11-02T08:00:01.000Z' }, read.updatedAt);
    await expect(store.put({ ...read, topics: 'second', updatedAt: '2026-11-02T08:00:02.000Z' }, read.updatedAt)).rejects.toThrow(ConcurrentUpdateError);
    expect((await store.get(subscriber.id))!.topics).toBe('first');
  });
});

describe('DynamoSubscriberStore data retention (TTL attribute; dynalite does not expire items)', () => {
  const DAY = 86_400;
  const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const item = async (pk: string) => (await dynamo.client.send(new GetCommand({ TableName: tables.subscribers, Key: { pk }, ConsistentRead: true }))).Item;

  it('expires a pending sign-up and its address guard 30 days after it was written', async () => {
    const pending = makeSubscriber({ status: 'pending', email: 'Later@example.com', updatedAt: '2026-11-02T08:00:00.000Z' });
    await store.create(pending);
    const expected = epoch('2026-11-02T08:00:00Z') + 30 * DAY;
    expect((await item(`SUB#${pending.id}`))?.expiresAt).toBe(expected);
    expect((await item('EMAIL#later@example.com'))?.expiresAt).toBe(expected);
    expect(await store.get(pending.id)).toEqual(pending);
  });

  it('moves the expiry when a pending address signs up again, and drops it on confirmation', async () => {
    const pending = makeSubscriber({ status: 'pending', email: 'again@example.com', updatedAt: '2026-11-02T08:00:00.000Z' });
    await store.create(pending);
    const resigned = { ...pending, updatedAt: '2026-11-20T09:00:00.000Z' };
    await store.put(resigned, pending.updatedAt);
    const moved = epoch('2026-11-20T09:00:00Z') + 30 * DAY;
    expect((await item(`SUB#${pending.id}`))?.expiresAt).toBe(moved);
    expect((await item('EMAIL#again@example.com'))?.expiresAt).toBe(moved);

    const confirmed = { ...resigned, status: 'confirmed' as const, updatedAt: '2026-11-21T09:00:00.000Z' };
    await store.put(confirmed, resigned.updatedAt);
    expect(await item(`SUB#${pending.id}`)).not.toHaveProperty('expiresAt');
    expect(await item('EMAIL#again@example.com')).not.toHaveProperty('expiresAt');
    expect(await store.get(pending.id)).toEqual(confirmed);
  });

  it('gives confirmed and unsubscribed records and their guards no expiry, and expires a returning pending one again', async () => {
    const confirmed = makeSubscriber({ email: 'kept@example.com' });
    await store.create(confirmed);
    expect(await item(`SUB#${confirmed.id}`)).not.toHaveProperty('expiresAt');
    expect(await item('EMAIL#kept@example.com')).not.toHaveProperty('expiresAt');
    const unsubscribed = { ...confirmed, status: 'unsubscribed' as const, updatedAt: '2026-11-03T00:00:00.000Z' };
    await store.put(unsubscribed);
    expect(await item(`SUB#${confirmed.id}`)).not.toHaveProperty('expiresAt');
    const back = { ...unsubscribed, status: 'pending' as const, updatedAt: '2026-11-04T00:00:00.000Z' };
    await store.put(back);
    expect((await item(`SUB#${confirmed.id}`))?.expiresAt).toBe(epoch('2026-11-04T00:00:00Z') + 30 * DAY);
    expect((await item('EMAIL#kept@example.com'))?.expiresAt).toBe(epoch('2026-11-04T00:00:00Z') + 30 * DAY);
  });

  it("gives a pending subscriber's new address guard the same expiry and frees the old one", async () => {
    const pending = makeSubscriber({ status: 'pending', email: 'first@example.com', updatedAt: '2026-11-02T08:00:00.000Z' });
    await store.create(pending);
    await store.put({ ...pending, email: 'second@example.com', updatedAt: '2026-11-05T08:00:00.000Z' });
    expect((await item('EMAIL#second@example.com'))?.expiresAt).toBe(epoch('2026-11-05T08:00:00Z') + 30 * DAY);
    expect(await item('EMAIL#first@example.com')).toBeUndefined();
  });
});
