// conditionalWrite: a condition that does not hold is an answer, every other failure still throws.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, isConditionFailure } from '../../../lambdas/adapters/aws/dynamo-writes';

const put = new PutCommand({ TableName: 't', Item: { pk: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' });
const answering = (outcome: () => Promise<unknown>) => ({
  sent: [] as unknown[],
  send(command: unknown) {
    this.sent.push(command);
    return outcome();
  },
});

describe('conditionalWrite', () => {
  it('sends the command once and answers true when it was written', async () => {
    const client = answering(() => Promise.resolve({}));
    expect(await conditionalWrite(client, put)).toBe(true);
    expect(client.sent).toEqual([put]);
  });

  it('answers false when the condition does not hold', async () => {
    const failed = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    expect(isConditionFailure(failed)).toBe(true);
    expect(
      await conditionalWrite(
        answering(() => Promise.reject(failed)),
        new DeleteCommand({ TableName: 't', Key: { pk: 'x' } }),
      ),
    ).toBe(false);
  });

  it('rethrows any other error', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    expect(isConditionFailure(throttled)).toBe(false);
    await expect(
      conditionalWrite(
        answering(() => Promise.reject(throttled)),
        put,
      ),
    ).rejects.toBe(throttled);
  });
});
