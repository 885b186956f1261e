import { BatchGetCommand, BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from '../../../lambdas/adapters/aws/clients';
import { UnprocessedItemsError } from '../../../lambdas/adapters/aws/dynamo-batch';
import { DynamoLedger } from '../../../lambdas/adapters/aws/dynamo-ledger';
import type { TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { localClientOptions, ManualClock, type TestDynamo, useDynamo } from '../../support/emulators';

const MINUTE = 60_000;
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 1 };

let dynamo: TestDynamo;
let tables: TableNames;
let clock: ManualClock;
let ledger: DynamoLedger;

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-11-02T07:00:00Z');
  ledger = new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock, leaseMs: 15 * MINUTE });
});

describe('DynamoLedger claims', () => {
  it('claims a slot once; a second claim is in progress until the first is marked sent', async () => {
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('in-progress');
    expect(await ledger.claim('sub-1', '2026-11-03')).toBe('claimed');
    expect(await ledger.claim('sub-2', '2026-11-02')).toBe('claimed');

    await ledger.markSent('sub-1', '2026-11-02', 'msg-1', ['2608.00001']);
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-sent');
    clock.advance(24 * 60 * MINUTE);
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-sent');
  });

  it('lets only one of many concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => ledger.claim('sub-1', '2026-11-02')));
    expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result === 'in-progress')).toHaveLength(5);
  });

  it('makes a released claim claimable again, but never releases a sent entry', async () => {
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');
    await ledger.release('sub-1', '2026-11-02');
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');

    await ledger.markSent('sub-1', '2026-11-02', 'msg-1', []);
    await ledger.release('sub-1', '2026-11-02');
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('already-sent');
    await ledger.release('sub-9', '2026-11-02');
  });

  it('lets a stale claim be taken again once its lease has run out', async () => {
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');
    clock.advance(14 * MINUTE);
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('in-progress');
    clock.advance(2 * MINUTE);
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('claimed');
    expect(await ledger.claim('sub-1', '2026-11-02')).toBe('in-progress');
  });
});

describe('DynamoLedger sent papers', () => {
  it('records the digest and each paper, with TTL attributes', async () => {
    // Four digest windows (28 days) after the send: long enough for a paper listed again later to stay "sent".
    const sentPaperExpiry = Date.parse('2026-11-30T07:00:00Z') / 1000;
    await ledger.claim('sub-1', '2026-11-02');
    await ledger.markSent('sub-1', '2026-11-02', 'msg-1', ['2608.00001', '2608.00002']);

    const { Item: digest } = await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: 'SUB#sub-1', sk: 'DIGEST#2026-11-02' } }));
    expect(digest).toMatchObject({
      status: 'sent',
      messageId: 'msg-1',
      paperIds: ['2608.00001', '2608.00002'],
      claimedAt: '2026-11-02T07:00:00.000Z',
      sentAt: '2026-11-02T07:00:00.000Z',
      expiresAt: Date.parse('2027-12-07T07:00:00Z') / 1000,
    });
    const { Items: sent } = await dynamo.client.send(
      new QueryCommand({
        TableName: tables.ledger,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sent)',
        ExpressionAttributeValues: { ':pk': 'SUB#sub-1', ':sent': 'SENT#' },
      }),
    );
    expect(sent).toEqual([
      { pk: 'SUB#sub-1', sk: 'SENT#2608.00001', sentOn: '2026-11-02', expiresAt: sentPaperExpiry },
      { pk: 'SUB#sub-1', sk: 'SENT#2608.00002', sentOn: '2026-11-02', expiresAt: sentPaperExpiry },
    ]);
  });

  it('leaves messageId out when no email was sent', async () => {
    await ledger.claim('sub-1', '2026-11-02');
    await ledger.markSent('sub-1', '2026-11-02', '', []);
    const { Item } = await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: 'SUB#sub-1', sk: 'DIGEST#2026-11-02' } }));
    expect(Item).toMatchObject({ status: 'sent', paperIds: [] });
    expect(Item).not.toHaveProperty('messageId');
  });

  it('answers alreadySent for more than 100 ids, per subscriber', async () => {
    const sentIds = Array.from({ length: 130 }, (_, index) => `2608.${String(index).padStart(5, '0')}`);
    await ledger.markSent('sub-1', '2026-11-02', 'msg-1', sentIds);
    const asked = [...sentIds.filter((_, index) => index % 2 === 0), '2608.99998', '2608.99999', sentIds[0]!];

    const found = await ledger.alreadySent('sub-1', asked);
    expect([...found].sort()).toEqual(sentIds.filter((_, index) => index % 2 === 0));
    expect(await ledger.alreadySent('sub-2', asked)).toEqual(new Set());
    expect(await ledger.alreadySent('sub-1', [])).toEqual(new Set());
  });
});

describe('DynamoLedger under throttling (faults injected with aws-sdk-client-mock)', () => {
  const tableName = 'ledger-mocked';

  function mockedLedger() {
    const client = createDocumentClient(localClientOptions('http://127.0.0.1:9'));
    const mock = mockClient(client);
    const mocked = new DynamoLedger({ client, tableName, clock: new ManualClock('2026-11-02T07:00:00Z'), unprocessedRetry: FAST_RETRY });
    return { mock, mocked };
  }

  it('retries UnprocessedItems until every SENT item is written', async () => {
    const { mock, mocked } = mockedLedger();
    mock.onAnyCommand().resolves({});
    const leftOver = [{ PutRequest: { Item: { pk: 'SUB#sub-1', sk: 'SENT#2608.00002', sentOn: '2026-11-02', expiresAt: 1 } } }];
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { [tableName]: leftOver } })
      .resolves({});

    await mocked.markSent('sub-1', '2026-11-02', 'msg-1', ['2608.00001', '2608.00002']);
    const calls = mock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.RequestItems).toEqual({ [tableName]: leftOver });
  });

  it('throws when items stay unprocessed after every attempt', async () => {
    const { mock, mocked } = mockedLedger();
    mock.onAnyCommand().resolves({});
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown> }) => ({ UnprocessedItems: input.RequestItems }));
    await expect(mocked.markSent('sub-1', '2026-11-02', 'msg-1', ['2608.00001'])).rejects.toBeInstanceOf(UnprocessedItemsError);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(FAST_RETRY.maxAttempts);
  });

  it('retries UnprocessedKeys and splits reads into chunks of 100', async () => {
    const { mock, mocked } = mockedLedger();
    const ids = Array.from({ length: 150 }, (_, index) => `2608.${String(index).padStart(5, '0')}`);
    const keyOf = (id: string) => ({ pk: 'SUB#sub-1', sk: `SENT#${id}` });
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [tableName]: [{ sk: 'SENT#2608.00000' }] }, UnprocessedKeys: { [tableName]: { Keys: [keyOf('2608.00001')] } } })
      .resolvesOnce({ Responses: { [tableName]: [{ sk: 'SENT#2608.00001' }] } })
      .resolves({ Responses: { [tableName]: [{ sk: 'SENT#2608.00149' }] } });

    const found = await mocked.alreadySent('sub-1', ids);
    expect(found).toEqual(new Set(['2608.00000', '2608.00001', '2608.00149']));
    const calls = mock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[tableName]?.Keys?.length);
    expect(calls).toEqual([100, 1, 50]);
  });
});
