// The send-digest Lambda over its own environment: dynalite, the SES mailbox, the keyring from a Secrets Manager secret (a local server answering as Secrets Manager does).
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { utcDay } from '../../lambdas/core/day';
import { parseKeyring, verifyToken } from '../../lambdas/core/tokens';
import type { TestMailbox } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import type { FakeAwsServer } from '../support/fake-aws';
import { captureOutput, lambdaContext, useEmailingLambda } from '../support/lambda-harness';

const KEYRING_JSON = JSON.stringify({ current: 'k1', k1: 'send-digest-test-secret-0123456789abcdef' });

let secrets: FakeAwsServer;
let mailbox: TestMailbox;
let subscribers: DynamoSubscriberStore;
let handler: typeof import('../../lambdas/handlers/send-digest').handler;

const record = (messageId: string, body: string): SQSRecord => ({ messageId, body }) as SQSRecord;
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

useEmailingLambda(
  {
    service: 'papertrend-send-digest',
    keyringJson: KEYRING_JSON,
    env: (tables) => ({ PAPERS_TABLE: tables.papers, SUBSCRIBERS_TABLE: tables.subscribers, LEDGER_TABLE: tables.ledger }),
    // The cold start: configuration read and clients built as the module loads.
    load: () => (require('../../lambdas/handlers/send-digest') as typeof import('../../lambdas/handlers/send-digest')).handler,
  },
  (started) => ({ mailbox, subscribers, secrets, handler } = started),
);

describe('send-digest handler', () => {
  it('reports malformed jobs as partial batch failures, acknowledges the rest, and logs with the request id', async () => {
    const { result, lines } = await captureOutput(() =>
      handler(
        batch(
          record('m-not-json', 'reader@example.org wants a digest'),
          record('m-bad-shape', JSON.stringify({ subscriberId: '', localDate: '28/11/2026' })),
          record('m-unknown', JSON.stringify({ subscriberId: 'sub-gone', localDate: '2026-11-28' })),
        ),
        lambdaContext('sqs-batch-1', 'papertrend-send-digest'),
      ),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-not-json' }, { itemIdentifier: 'm-bad-shape' }] });
    const failures = lines.filter((line) => line.message === 'digest job unreadable');
    expect(failures.map((line) => line.messageId)).toEqual(['m-not-json', 'm-bad-shape']);
    for (const line of failures) expect(line).toMatchObject({ level: 'ERROR', function_request_id: 'sqs-batch-1', service: 'papertrend-send-digest' });
    expect(JSON.stringify(lines)).not.toContain('reader@example.org');
  });

  it('sends a digest whose links are signed with the keyring from the secret, read once for warm invocations', async () => {
    const subscriber = makeSubscriber({ sendEmptyDigest: true });
    await subscribers.create(subscriber);
    await mailbox.clear();
    const localDate = utcDay(new Date());
    const job = JSON.stringify({ subscriberId: subscriber.id, localDate });
    const { result } = await captureOutput(() => handler(batch(record('m-1', job)), lambdaContext('sqs-batch-2')));
    expect(result).toEqual({ batchItemFailures: [] });
    // The same job again (an SQS redelivery): acknowledged, nothing sent twice, no second read of the secret.
    expect((await captureOutput(() => handler(batch(record('m-2', job)), lambdaContext('sqs-batch-3')))).result).toEqual({ batchItemFailures: [] });

    const [email, ...others] = await mailbox.emails();
    expect(others).toEqual([]);
    expect(email?.destination.to).toEqual([subscriber.email]);
    const token = /unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(email?.body.text ?? '')?.[1];
    expect(verifyToken(parseKeyring(KEYRING_JSON), token, 'unsubscribe', new Date())).toMatchObject({ ok: true, subscriberId: subscriber.id });
    expect(secrets.requests).toHaveLength(1);
    expect((await subscribers.get(subscriber.id))?.lastDigestDate).toBe(localDate);
  });
});
