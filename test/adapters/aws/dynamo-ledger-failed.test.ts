// DynamoLedger.markFailed against dynalite: a digest SES will never accept is recorded once and never retried.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoLedger } from '../../../lambdas/adapters/aws/dynamo-ledger';
import type { TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { ManualClock, type TestDynamo, useDynamo } from '../../support/emulators';

let dynamo: TestDynamo;
let tables: TableNames;
let ledger: DynamoLedger;
const clock = new ManualClock('2026-11-02T07:00:00Z');

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  ledger = new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock });
});

const entry = async (subscriberId: string, date: string) =>
  (await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: `SUB#${subscriberId}`, sk: `DIGEST#${date}` } }))).Item;

describe('DynamoLedger.markFailed', () => {
  it('turns a claim into a failure with its reason; later claims answer already-failed, even after the lease', async () => {
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');
    await ledger.markFailed('sub-1', '2026-11-02', 'MessageRejected');
    expect(await entry('sub-1', '2026-11-02')).toMatchObject({ status: 'failed', failedReason: 'MessageRejected', failedAt: '2026-11-02T07:00:00.000Z' });
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-failed');
    clock.advance(3_600_000);
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-failed');
    await ledger.release('sub-1', '2026-11-02');
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-failed');
    expect(await ledger.claim('sub-1', '2026-11-03')).toBe('claimed');
  });

  it('never turns a sent digest into a failure', async () => {
    await ledger.claim('sub-1', '2026-11-02');
    await ledger.markSent('sub-1', '2026-11-02', 'msg-1', []);
    await ledger.markFailed('sub-1', '2026-11-02', 'MessageRejected');
    expect(await entry('sub-1', '2026-11-02')).toMatchObject({ status: 'sent', messageId: 'msg-1' });
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-sent');
  });
});
