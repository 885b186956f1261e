// A batch of queued digest jobs against dynalite, with SES faults injected through a fake SendEmail client: no dead-letter storm, and a paused account stops the batch.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SendEmailInput } from '../../lambdas/adapters/aws/ses-http';
import { SesMailer } from '../../lambdas/adapters/aws/ses-mailer';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Subscriber } from '../../lambdas/core/model';
import type { QueuedMessage } from '../../lambdas/ports';
import { sendDigestBatch, type SendDigestDeps } from '../../lambdas/use-cases/send-digest';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { recordingSes, sesError } from '../support/fake-ses';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

const DAY = '2026-12-01';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let app: App;
let metrics: MemoryMetrics;
let logLines: string[];

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  const clock = new ManualClock(`${DAY}T08:00:00Z`);
  logLines = [];
  metrics = new MemoryMetrics();
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), metrics, publicBaseUrl: 'http://127.0.0.1:3996' });
});

/** SES on a fake client: `fault` decides, per call, whether it throws; every call is recorded by recipient. */
function faultySes(fault: (to: string, call: number) => Error | undefined): {
  deps: SendDigestDeps;
  calls: Array<{ to: string; accepted: boolean }>;
  inputs: SendEmailInput[];
} {
  const calls: Array<{ to: string; accepted: boolean }> = [];
  const { client, inputs } = recordingSes((input, call) => {
    const to = input.Destination.ToAddresses[0]!;
    const error = fault(to, call);
    calls.push({ to, accepted: !error });
    return error;
  });
  return {
    deps: { ...app.sendDigestDeps(), mailer: new SesMailer({ client, fromAddress: 'digest@papertrend.local', configurationSetName: 'papertrend' }) },
    calls,
    inputs,
  };
}

async function subscribers(count: number): Promise<Subscriber[]> {
  const made = Array.from({ length: count }, () => makeSubscriber({ sendEmptyDigest: true }));
  for (const subscriber of made) expect(await app.subscribers.create(subscriber)).toBe(true);
  return made;
}

const queued = (subscriber: Subscriber): QueuedMessage => ({
  id: `sqs-${subscriber.id}`,
  body: JSON.stringify({ subscriberId: subscriber.id, localDate: DAY }),
});

const ledgerEntry = async (subscriber: Subscriber) =>
  (await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: `SUB#${subscriber.id}`, sk: `DIGEST#${DAY}` } }))).Item;

describe('sendDigestBatch', () => {
  it('tags each digest with its subscriber, kind and local date, through the configuration set', async () => {
    const [reader] = await subscribers(1);
    const { deps, inputs } = faultySes(() => undefined);
    expect(await sendDigestBatch(deps, [queued(reader!)])).toEqual({ retry: [] });
    expect(inputs.map((input) => [input.ConfigurationSetName, input.EmailTags])).toEqual([
      [
        'papertrend',
        [
          { Name: 'subscriber', Value: reader!.id },
          { Name: 'kind', Value: 'digest' },
          { Name: 'localDate', Value: DAY },
        ],
      ],
    ]);
  });

  it('acknowledges a job SES rejects for good, records it failed, and never sends it on a second delivery', async () => {
    const [first, rejected, last] = await subscribers(3);
    const { deps, calls } = faultySes((to) =>
      to === rejected!.email ? sesError('MessageRejected', `Email address is not verified: ${rejected!.email}`, 400) : undefined,
    );

    expect(await sendDigestBatch(deps, [first!, rejected!, last!].map(queued))).toEqual({ retry: [] });
    expect(await ledgerEntry(rejected!)).toMatchObject({ status: 'rejected', reason: 'MessageRejected' });
    expect(await ledgerEntry(last!)).toMatchObject({ status: 'sent' });
    expect(metrics.total('DigestsFailed')).toBe(1);
    expect(metrics.total('DigestsSent')).toBe(2);

    // SQS delivers the same message again (at-least-once): acknowledged, and SES is not called.
    expect(await sendDigestBatch(deps, [queued(rejected!)])).toEqual({ retry: [] });
    expect(calls.filter((call) => call.to === rejected!.email)).toHaveLength(1);
    expect(metrics.total('DigestsSkipped')).toBe(1);
    expect(logLines.join('\n')).not.toContain('@');
  });

  it('never resends a digest SES did not answer for, records why, and closes the day for the planner', async () => {
    const [reader, next] = await subscribers(2);
    const timeout = Object.assign(new Error('SES SendEmail request failed: The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { deps, calls } = faultySes((to) => (to === reader!.email ? timeout : undefined));

    expect(await sendDigestBatch(deps, [reader!, next!].map(queued))).toEqual({ retry: [] });
    expect(await ledgerEntry(reader!)).toMatchObject({ status: 'unknown', reason: 'TimeoutError' });
    expect(await ledgerEntry(next!)).toMatchObject({ status: 'sent' });
    expect((await deps.subscribers.get(reader!.id))?.lastDigestDate).toBe(DAY);
    expect(metrics.total('DigestsUnknown')).toBe(1);
    expect(metrics.total('DigestsFailed')).toBe(0);

    // Redelivered by SQS, or planned again: the entry stays, so SES is never called a second time.
    expect(await sendDigestBatch(deps, [queued(reader!)])).toEqual({ retry: [] });
    expect(calls.filter((call) => call.to === reader!.email)).toHaveLength(1);
    expect(logLines.filter((line) => line.includes('did not say whether'))).toHaveLength(1);
  });

  it('stops the batch when the account is paused: the rest stay queued, untouched, and their claims are free', async () => {
    const jobs = await subscribers(4);
    let paused = true;
    const { deps, calls } = faultySes((_to, call) =>
      paused && call === 1 ? sesError('SendingPausedException', 'Sending is paused for this account.', 400) : undefined,
    );

    const result = await sendDigestBatch(deps, jobs.map(queued));
    expect(result.retry).toEqual(jobs.slice(1).map((subscriber) => `sqs-${subscriber.id}`));
    expect(calls).toEqual([
      { to: jobs[0]!.email, accepted: true },
      { to: jobs[1]!.email, accepted: false },
    ]);
    expect(await ledgerEntry(jobs[0]!)).toMatchObject({ status: 'sent' });
    for (const waiting of jobs.slice(1)) expect(await ledgerEntry(waiting)).toBeUndefined();
    expect(logLines.some((line) => line.includes('SES sending is paused for the account') && line.includes('"jobsLeft":3'))).toBe(true);
    expect(metrics.total('DigestsFailed')).toBe(0);

    // Once the account sends again, SQS redelivers the three and each goes out once.
    paused = false;
    expect(await sendDigestBatch(deps, jobs.slice(1).map(queued))).toEqual({ retry: [] });
    expect(calls.filter((call) => call.accepted).map((call) => call.to)).toEqual(jobs.map((subscriber) => subscriber.email));
  });

  it('retries a job that failed for another reason, and keeps going with the rest', async () => {
    const [flaky, fine] = await subscribers(2);
    const { deps, calls } = faultySes((to, call) =>
      to === flaky!.email && call === 0 ? sesError('InternalFailure', 'An internal failure occurred', 500) : undefined,
    );
    expect(await sendDigestBatch(deps, [queued(flaky!), queued(fine!), { id: 'sqs-garbage', body: '{"subscriberId":' }])).toEqual({
      retry: [`sqs-${flaky!.id}`, 'sqs-garbage'],
    });
    expect(await ledgerEntry(flaky!)).toBeUndefined();
    expect(calls.map((call) => call.accepted)).toEqual([false, true]);
    expect(logLines.some((line) => line.includes('digest job unreadable') && line.includes('not JSON'))).toBe(true);
  });
});
