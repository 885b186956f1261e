import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SCHEDULE_ATTRIBUTES, TABLE_DEFINITIONS, tableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { apiProjection, ensureTables } from '../../../lambdas/adapters/aws/tables';
import { localClientOptions, type TestDynamo, useDynamo } from '../../support/emulators';

let dynamo: TestDynamo;

useDynamo((started) => (dynamo = started));

describe('tableNames', () => {
  it('names tables <prefix>-<role><suffix>', () => {
    expect(tableNames()).toEqual({ papers: 'papertrend-papers', subscribers: 'papertrend-subscribers', ledger: 'papertrend-ledger' });
    expect(tableNames({ prefix: 'pt', suffix: '-dev' }).ledger).toBe('pt-ledger-dev');
  });
});

describe('ensureTables', () => {
  it('creates the tables with their keys and indexes, and is a no-op the second time', async () => {
    const names = tableNames({ prefix: 'ensure' });
    await ensureTables(dynamo.client, names);
    await ensureTables(dynamo.client, names);

    const { Table: subscribers } = await dynamo.client.send(new DescribeTableCommand({ TableName: names.subscribers }));
    expect(subscribers?.TableStatus).toBe('ACTIVE');
    expect(subscribers?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(subscribers?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(
      TABLE_DEFINITIONS.subscribers.globalIndexes.map((index) => index.indexName),
    );
    expect(subscribers?.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: [...SCHEDULE_ATTRIBUTES] });
    const { Table: ledger } = await dynamo.client.send(new DescribeTableCommand({ TableName: names.ledger }));
    expect(ledger?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('accepts a plain DynamoDB client as well as a document client', async () => {
    const client = new DynamoDBClient(localClientOptions(dynamo.url));
    await ensureTables(client, tableNames({ prefix: 'plain' }));
    client.destroy();
  });

  it('spells each projection in the DynamoDB API form', () => {
    expect(apiProjection('ALL')).toEqual({ ProjectionType: 'ALL' });
    expect(apiProjection('KEYS_ONLY')).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(apiProjection({ include: ['hour'] })).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['hour'] });
  });

  it('declares a TTL attribute on the tables whose items expire', () => {
    expect(TABLE_DEFINITIONS.papers.timeToLiveAttribute).toBe('expiresAt');
    expect(TABLE_DEFINITIONS.ledger.timeToLiveAttribute).toBe('expiresAt');
    expect(TABLE_DEFINITIONS.subscribers.timeToLiveAttribute).toBe('expiresAt');
  });
});
