// SqsQueue against a mocked SQS client (no SQS emulator here): batching, bounded parallelism, refused entries retried then reported.
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { EnqueueError, SqsQueue } from '../../../lambdas/adapters/aws/sqs-queue';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/digests';
const sqs = mockClient(SQSClient);
const noWait = () => Promise.resolve();

interface Job {
  n: number;
}
const jobs = (count: number): Job[] => Array.from({ length: count }, (_, n) => ({ n }));

function bodiesSent(): number[] {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => (JSON.parse(entry.MessageBody!) as Job).n);
}

const succeedAll = (input: SendMessageBatchCommandInput) => ({
  Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id!, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
  Failed: [],
});

beforeEach(() => sqs.reset());

describe('SqsQueue', () => {
  it('sends every job once, as JSON, ten to a batch', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(succeedAll);
    await new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL).enqueue(jobs(95));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(10);
    expect(calls.every((call) => call.args[0].input.QueueUrl === QUEUE_URL && call.args[0].input.Entries!.length <= 10)).toBe(true);
    expect(bodiesSent().sort((a, b) => a - b)).toEqual(jobs(95).map((job) => job.n));
  });

  it('keeps several batches in flight, never more than its concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    sqs.on(SendMessageBatchCommand).callsFake(async (input: SendMessageBatchCommandInput) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return succeedAll(input);
    });
    await new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL, { concurrency: 4 }).enqueue(jobs(200));
    expect(most).toBe(4);
    expect(bodiesSent()).toHaveLength(200);
  });

  it('retries only the entries SQS refused', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .callsFakeOnce((input: SendMessageBatchCommandInput) => ({
        Successful: input.Entries!.slice(2).map((entry) => ({ Id: entry.Id!, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: input.Entries!.slice(0, 2).map((entry) => ({ Id: entry.Id!, Code: 'InternalError', SenderFault: false })),
      }))
      .callsFake(succeedAll);
    await new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL, { backoff: noWait }).enqueue(jobs(10));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((entry) => JSON.parse(entry.MessageBody!))).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('queues everything it can, then throws with the count of jobs SQS kept refusing', async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const refused = input.Entries!.filter((entry) => (JSON.parse(entry.MessageBody!) as Job).n % 10 === 3);
      return {
        Successful: input.Entries!.filter((entry) => !refused.includes(entry)).map((entry) => ({ Id: entry.Id!, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: refused.map((entry) => ({ Id: entry.Id!, Code: 'InternalError', SenderFault: false })),
      };
    });
    const queue = new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL, { attempts: 3, backoff: noWait });
    const error = await queue.enqueue(jobs(50)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnqueueError);
    expect(error).toMatchObject({ failed: 5, total: 50, message: 'SQS did not take 5 of 50 job(s): InternalError' });
    // Five batches, each retried twice for its one refused entry.
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(15);
  });

  it('counts a batch whose call fails outright, and still sends the others', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .callsFake(succeedAll);
    const queue = new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL, { concurrency: 1, attempts: 2, backoff: noWait });
    await expect(queue.enqueue(jobs(30))).rejects.toThrow('SQS did not take 10 of 30 job(s): TimeoutError');
    expect(new Set(bodiesSent()).size).toBe(30);
  });

  it('sends nothing for no jobs', async () => {
    await new SqsQueue<Job>(new SQSClient({ region: 'eu-west-1' }), QUEUE_URL).enqueue([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
