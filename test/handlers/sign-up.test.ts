// The sign-up Lambda over its own environment: dynalite, the SES mailbox, the keyring from a secret (a local server answering as Secrets Manager does); queued sign-ups in, records and confirmation emails out.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import type { SignUpJob } from '../../lambdas/core/sign-up-job';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { parseKeyring, verifyToken } from '../../lambdas/core/tokens';
import type { TestMailbox } from '../support/emulators';
import { captureOutput, lambdaContext, useEmailingLambda } from '../support/lambda-harness';

const KEYRING_JSON = JSON.stringify({ current: 'k1', k1: 'sign-up-test-secret-0123456789abcdef' });

let mailbox: TestMailbox;
let subscribers: DynamoSubscriberStore;
let handler: typeof import('../../lambdas/handlers/sign-up').handler;

const record = (messageId: string, body: string): SQSRecord => ({ messageId, body }) as SQSRecord;
const job = (email: string, requestedAt = '2026-11-28T09:59:58.000Z'): string =>
  JSON.stringify({ email, preferences: { ...DEFAULT_PREFERENCES, topics: 'agents' }, requestedAt } satisfies SignUpJob);

useEmailingLambda(
  {
    service: 'papertrend-sign-up',
    keyringJson: KEYRING_JSON,
    env: (tables) => ({ SUBSCRIBERS_TABLE: tables.subscribers }),
    load: () => (require('../../lambdas/handlers/sign-up') as typeof import('../../lambdas/handlers/sign-up')).handler,
  },
  (started) => ({ mailbox, subscribers, handler } = started),
);

describe('sign-up handler', () => {
  it('writes the pending sign-up, mails its confirmation, and reports unreadable jobs as partial batch failures without their bodies', async () => {
    await mailbox.clear();
    const event: SQSEvent = {
      Records: [
        record('m-not-json', 'reader@example.org wants to sign up'),
        record('m-bad-shape', JSON.stringify({ email: 'Not An Address', preferences: {}, requestedAt: 'yesterday' })),
        record('m-good', job('reader@example.org')),
      ],
    };
    const { result, lines } = await captureOutput(() => handler(event, lambdaContext('sqs-sign-up-1', 'papertrend-sign-up')));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-not-json' }, { itemIdentifier: 'm-bad-shape' }] });
    const failures = lines.filter((line) => line.message === 'sign-up job unreadable');
    expect(failures.map((line) => line.messageId)).toEqual(['m-not-json', 'm-bad-shape']);
    for (const line of failures) expect(line).toMatchObject({ level: 'ERROR', function_request_id: 'sqs-sign-up-1', service: 'papertrend-sign-up' });
    expect(JSON.stringify(lines)).not.toMatch(/reader@example\.org|Not An Address/);

    const stored = await subscribers.findByEmail('reader@example.org');
    expect(stored).toMatchObject({ status: 'pending', topics: 'agents', consent: { signedUpAt: '2026-11-28T09:59:58.000Z' } });
    const [email, ...others] = await mailbox.emails();
    expect(others).toEqual([]);
    expect(email?.destination.to).toEqual(['reader@example.org']);
    const token = /confirm\?token=([A-Za-z0-9_.-]+)/.exec(email?.body.text ?? '')?.[1];
    expect(verifyToken(parseKeyring(KEYRING_JSON), token, 'confirm', new Date())).toMatchObject({ ok: true, subscriberId: stored!.id });

    // The same job again (an SQS redelivery): acknowledged; the per-address cooldown holds the second email back.
    expect((await captureOutput(() => handler({ Records: [record('m-again', job('reader@example.org'))] }, lambdaContext('sqs-sign-up-2')))).result).toEqual({
      batchItemFailures: [],
    });
    expect(await mailbox.emails()).toHaveLength(1);
  });
});
