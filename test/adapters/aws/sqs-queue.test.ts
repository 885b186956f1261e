// SqsQueue over the hand-written SendMessageBatch, against a local server answering as SQS's JSON protocol does: batching, lanes, refused entries retried then reported, signing.
import type { ServerResponse } from 'node:http';
import { SqsSendMessageBatchClient, type SendMessageBatchInput } from '../../../lambdas/adapters/aws/sqs-http';
import { EnqueueError, SqsQueue } from '../../../lambdas/adapters/aws/sqs-queue';
import { answerJson, jsonBody, signatureIn, signatureOf, startFakeAws, type AwsRequest, type FakeAwsServer } from '../../support/fake-aws';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-1' };
const noWait = () => Promise.resolve();

interface Job {
  n: number;
}
const jobs = (count: number): Job[] => Array.from({ length: count }, (_, n) => ({ n }));

let sqs: FakeAwsServer | undefined;
afterEach(async () => {
  await sqs?.close();
  sqs = undefined;
});

/** A server playing SQS; `answer` gets each SendMessageBatch with its call number (from 0). */
async function serve(
  answer: (response: ServerResponse, input: SendMessageBatchInput, call: number) => void,
): Promise<{ queueUrl: string; client: SqsSendMessageBatchClient }> {
  let calls = 0;
  sqs = await startFakeAws((response, request) => answer(response, jsonBody<SendMessageBatchInput>(request), calls++));
  // No endpoint given: the client posts to the queue URL's own host, as the SDK does.
  return { queueUrl: `${sqs.endpoint}/123456789012/digests`, client: new SqsSendMessageBatchClient({ region: 'eu-west-1', credentials }) };
}

/** Answer SendMessageBatch as SQS does, refusing the entries `refuse` picks. */
function answerBatch(response: ServerResponse, input: SendMessageBatchInput, refuse: (n: number) => boolean = () => false): void {
  const refused = input.Entries.filter((entry) => refuse((JSON.parse(entry.MessageBody) as Job).n));
  answerJson(
    response,
    200,
    {
      Successful: input.Entries.filter((entry) => !refused.includes(entry)).map((entry) => ({
        Id: entry.Id,
        MessageId: `m-${entry.Id}`,
        MD5OfMessageBody: 'x',
      })),
      Failed: refused.map((entry) => ({ Id: entry.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' })),
    },
    { 'content-type': 'application/x-amz-json-1.0' },
  );
}

const batches = (): SendMessageBatchInput[] => sqs!.requests.map((request: AwsRequest) => jsonBody<SendMessageBatchInput>(request));
const bodiesSent = (): number[] => batches().flatMap((batch) => batch.Entries.map((entry) => (JSON.parse(entry.MessageBody) as Job).n));

describe('SqsQueue', () => {
  it('sends every job once, as JSON, ten to a batch, each batch naming the queue', async () => {
    const { queueUrl, client } = await serve((response, input) => answerBatch(response, input));
    await new SqsQueue<Job>(client, queueUrl).enqueue(jobs(95));
    expect(batches()).toHaveLength(10);
    expect(batches().every((batch) => batch.QueueUrl === queueUrl && batch.Entries.length <= 10)).toBe(true);
    expect(bodiesSent().sort((a, b) => a - b)).toEqual(jobs(95).map((job) => job.n));
  });

  it('keeps several batches in flight, never more than its concurrency', async () => {
    let held: Array<() => void> = [];
    let most = 0;
    const { queueUrl, client } = await serve((response, input) => {
      held.push(() => answerBatch(response, input));
      most = Math.max(most, held.length);
      // Answer a round once four are waiting; a queue with fewer lanes is answered a second later.
      const release = () => {
        const round = held;
        held = [];
        for (const answer of round) answer();
      };
      if (held.length >= 4) setImmediate(release);
      else setTimeout(() => held.length > 0 && held.length < 4 && release(), 1000);
    });
    await new SqsQueue<Job>(client, queueUrl, { concurrency: 4 }).enqueue(jobs(200));
    expect(most).toBe(4);
    expect(bodiesSent()).toHaveLength(200);
  });

  it('retries only the entries SQS refused', async () => {
    const { queueUrl, client } = await serve((response, input, call) => answerBatch(response, input, (n) => call === 0 && n < 2));
    await new SqsQueue<Job>(client, queueUrl, { backoff: noWait }).enqueue(jobs(10));
    expect(batches()).toHaveLength(2);
    expect(batches()[1]!.Entries.map((entry) => JSON.parse(entry.MessageBody) as Job)).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('queues everything it can, then throws with the count of jobs SQS kept refusing', async () => {
    const { queueUrl, client } = await serve((response, input) => answerBatch(response, input, (n) => n % 10 === 3));
    const queue = new SqsQueue<Job>(client, queueUrl, { attempts: 3, backoff: noWait });
    const error = await queue.enqueue(jobs(50)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnqueueError);
    expect(error).toMatchObject({ failed: 5, total: 50, message: 'SQS did not take 5 of 50 job(s): InternalError' });
    // Five batches, each retried twice for its one refused entry.
    expect(batches()).toHaveLength(15);
  });

  it('counts a batch whose call SQS answers with an error, and still sends the others', async () => {
    const { queueUrl, client } = await serve((response, input, call) =>
      call < 2
        ? answerJson(
            response,
            400,
            { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
            { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
          )
        : answerBatch(response, input),
    );
    const queue = new SqsQueue<Job>(client, queueUrl, { concurrency: 1, attempts: 2, backoff: noWait });
    await expect(queue.enqueue(jobs(30))).rejects.toThrow('SQS did not take 10 of 30 job(s): QueueDoesNotExist: The specified queue does not exist.');
    expect(new Set(bodiesSent()).size).toBe(30);
  });

  it('gives up on a call SQS never answers, after the timeout, and retries the batch', async () => {
    const { queueUrl } = await serve((response, input, call) => (call === 0 ? undefined : answerBatch(response, input)));
    const client = new SqsSendMessageBatchClient({ region: 'eu-west-1', credentials, timeoutMs: 100 });
    await new SqsQueue<Job>(client, queueUrl, { backoff: noWait }).enqueue(jobs(10));
    expect(batches()).toHaveLength(2);
    expect(batches()[1]!.Entries).toHaveLength(10);
  });

  it('reports a call that times out every time by its name', async () => {
    const { queueUrl } = await serve(() => undefined);
    const client = new SqsSendMessageBatchClient({ region: 'eu-west-1', credentials, timeoutMs: 50 });
    await expect(new SqsQueue<Job>(client, queueUrl, { attempts: 2, backoff: noWait }).enqueue(jobs(3))).rejects.toThrow(
      /^SQS did not take 3 of 3 job\(s\): TimeoutError: SQS SendMessageBatch request failed: /,
    );
  });

  it('sends nothing for no jobs', async () => {
    const { queueUrl, client } = await serve((response, input) => answerBatch(response, input));
    await new SqsQueue<Job>(client, queueUrl).enqueue([]);
    expect(sqs!.requests).toHaveLength(0);
  });
});

describe('SqsSendMessageBatchClient', () => {
  it('POSTs the batch to / on the JSON 1.0 protocol, signed with SigV4 for sqs in the region', async () => {
    sqs = await startFakeAws((response, request) => answerBatch(response, jsonBody<SendMessageBatchInput>(request)));
    // A real queue URL with the endpoint set: the request goes to the endpoint and names the queue in its body.
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/papertrend-sign-ups';
    const client = new SqsSendMessageBatchClient({ region: 'eu-west-1', endpoint: `${sqs.endpoint}/`, credentials });
    const input = { QueueUrl: queueUrl, Entries: [{ Id: '0', MessageBody: '{"email":"reader@example.org"}' }] };
    expect(await client.sendMessageBatch(input)).toEqual({ Failed: [] });

    const [request] = sqs.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(request!.body).toBe(JSON.stringify(input));
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    expect(request!.headers['x-amz-security-token']).toBe('session-token-1');
    const amzDate = request!.headers['x-amz-date'] as string;
    expect(request!.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${amzDate.slice(0, 8)}/eu-west-1/sqs/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=`,
      ),
    );
    expect(signatureOf(request!, credentials.secretAccessKey)).toBe(signatureIn(request!));
  });

  it('reads the refused entries with their code, sender fault and message', async () => {
    sqs = await startFakeAws((response) =>
      answerJson(response, 200, {
        Successful: [{ Id: '1', MessageId: 'm-1' }],
        Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true, Message: 'bad' }],
      }),
    );
    const client = new SqsSendMessageBatchClient({ region: 'eu-west-1', credentials });
    const result = await client.sendMessageBatch({
      QueueUrl: `${sqs.endpoint}/123456789012/q`,
      Entries: [
        { Id: '0', MessageBody: '\u0000' },
        { Id: '1', MessageBody: 'ok' },
      ],
    });
    expect(result).toEqual({
      Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true, Message: 'bad' }],
    });
  });

  it('throws an answered error under its SQS name with the HTTP status', async () => {
    sqs = await startFakeAws((response) => answerJson(response, 400, { __type: 'com.amazonaws.sqs#RequestThrottled', message: 'Rate exceeded' }));
    const client = new SqsSendMessageBatchClient({ region: 'eu-west-1', credentials });
    const error: unknown = await client.sendMessageBatch({ QueueUrl: `${sqs.endpoint}/123456789012/q`, Entries: [] }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'RequestThrottled', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
  });
});
