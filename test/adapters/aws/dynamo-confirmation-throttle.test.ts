// DynamoConfirmationThrottle against dynalite: one confirmation email per cooldown and a few a day per address, under concurrency.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConfirmationThrottle } from '../../../lambdas/adapters/aws/dynamo-confirmation-throttle';
import type { TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { ManualClock, type TestDynamo, useDynamo } from '../../support/emulators';

let dynamo: TestDynamo;
let tables: TableNames;
let clock: ManualClock;
let throttle: DynamoConfirmationThrottle;

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-11-02T08:00:00Z');
  throttle = new DynamoConfirmationThrottle({ client: dynamo.client, tableName: tables.subscribers, clock });
});

describe('DynamoConfirmationThrottle', () => {
  const limits = { cooldownMs: 10 * 60_000, perDay: 3 };

  it('gives one confirmation-email slot to 50 concurrent claims, then one per cooldown, three a day', async () => {
    const claims = await Promise.all(Array.from({ length: 50 }, () => throttle.claim('a@example.com', limits)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    clock.advance(9 * 60_000);
    expect(await throttle.claim('A@example.com', limits)).toBe(false);
    clock.advance(2 * 60_000);
    expect(await throttle.claim('a@example.com', limits)).toBe(true);
    clock.advance(11 * 60_000);
    expect(await throttle.claim('a@example.com', limits)).toBe(true);
    clock.advance(11 * 60_000);
    expect(await throttle.claim('a@example.com', limits)).toBe(false);
    expect(await throttle.claim('b@example.com', limits)).toBe(true);
    clock.advance(24 * 3600_000);
    expect(await throttle.claim('a@example.com', limits)).toBe(true);
  });

  it('gives a released slot back at once, and releases nothing that was never claimed', async () => {
    expect(await throttle.claim('back@example.com', limits)).toBe(true);
    await throttle.release('Back@example.com');
    expect(await throttle.claim('back@example.com', limits)).toBe(true);
    expect(await throttle.claim('back@example.com', limits)).toBe(false);
    await throttle.release('never@example.com');
    expect(await throttle.claim('never@example.com', limits)).toBe(true);
  });
});

describe('DynamoConfirmationThrottle data retention (TTL attribute; dynalite does not expire items)', () => {
  const DAY = 86_400;
  const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const item = async (pk: string) => (await dynamo.client.send(new GetCommand({ TableName: tables.subscribers, Key: { pk }, ConsistentRead: true }))).Item;

  it('expires a confirmation throttle item two days after its last send', async () => {
    await throttle.claim('throttled@example.com', { cooldownMs: 10 * 60_000, perDay: 3 });
    expect((await item('CONFIRM#throttled@example.com'))?.expiresAt).toBe(epoch('2026-11-02T08:00:00Z') + 2 * DAY);
    clock.advance(3600_000);
    await throttle.claim('throttled@example.com', { cooldownMs: 10 * 60_000, perDay: 3 });
    expect((await item('CONFIRM#throttled@example.com'))?.expiresAt).toBe(epoch('2026-11-02T09:00:00Z') + 2 * DAY);
  });
});
