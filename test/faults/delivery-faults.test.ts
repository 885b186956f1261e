// The delivery guarantees under faults, on dynalite and the SES mailbox: a process that dies at any point, redeliveries, races and SES and DynamoDB failures end in at most one digest per subscriber and local day, never a paper twice.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { DynamoLedger } from '../../lambdas/adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Subscriber } from '../../lambdas/core/model';
import type { Mailer, QueuedMessage } from '../../lambdas/ports';
import type { Timer } from '../../lambdas/adapters/mail/paced-mailer';
import type { DigestJob } from '../../lambdas/core/digest-schedule';
import { DIGEST_MAX_RECEIVES } from '../../lib/app-stack';
import { DigestSender, sendDigestBatch, type SendDigestDeps } from '../../lambdas/use-cases/send-digest';
import { planDigests } from '../../lambdas/use-cases/plan-digests';
import { unsubscribe } from '../../lambdas/use-cases/subscriptions';
import { handleSesEvents } from '../../lambdas/use-cases/ses-events';
import { makePaper } from '../../dev/paper-factory';
import { ManualClock, type MailboxEmail, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { answerJson, startFakeSes, type FakeSesServer } from '../support/fake-ses';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

const DAY = '2026-12-01';
const NEXT_DAY = '2026-12-02';
const LEASE_MS = 900_000;

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let logLines: string[];
let metrics: MemoryMetrics;

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeEach(async () => {
  await mailbox.clear();
  tables = await dynamo.createTables();
  clock = new ManualClock(`${DAY}T08:00:00Z`);
  logLines = [];
  metrics = new MemoryMetrics();
  app = testApp({ dynamo, mailbox, tables, clock, metrics, logger: recordingLogger(logLines), publicBaseUrl: 'http://127.0.0.1:3995' });
  // Five papers listed on DAY, most upvoted first: a reader of two papers a day gets A and B, then C and D.
  await app.papers.putDay(
    DAY,
    ['A', 'B', 'C', 'D', 'E'].map((letter, rank) =>
      makePaper({ id: `2611.0000${rank + 1}`, title: `Paper ${letter} on nothing`, listedOn: [DAY], signals: { upvotes: 100 - rank * 10 } }),
    ),
  );
});

/**
 * One simulated process. Once it dies, every call it makes through the wrapped mailer and
 * DynamoDB client never returns: nothing after that point runs, as if the process were killed there.
 */
class DyingProcess {
  private dead = false;
  private onDeath: () => void = () => {};
  readonly died = new Promise<void>((resolve) => (this.onDeath = resolve));
  private readonly never = new Promise<never>(() => {});
  /** SES accepted an email from this process. */
  accepted = false;

  die(): Promise<never> {
    this.dead = true;
    this.onDeath();
    return this.never;
  }

  run<T>(call: () => Promise<T>): Promise<T> {
    return this.dead ? this.never : call();
  }
}

/**
 * - before-send: while it reads the day's papers to pick from (before SendEmail).
 * - in-ses-call: inside SendEmail, after the ledger recorded the send and before SES got the request.
 * - after-ses: as soon as SES accepted the email.
 * - after-ledger-write: right after the first ledger write that follows SES's acceptance.
 */
type CrashPoint = 'before-send' | 'in-ses-call' | 'after-ses' | 'after-ledger-write';

/** The sender's dependencies for one process that dies at `crash`. */
function dyingDeps(proc: DyingProcess, crash: CrashPoint): SendDigestDeps {
  const deps = app.sendDigestDeps();
  const client = dyingClient(proc, crash);
  const mailer: Mailer = {
    send: (email, options = {}) =>
      proc.run(async () => {
        const beforeSend = async () => {
          await options.beforeSend?.();
          if (crash === 'in-ses-call') await proc.die();
        };
        const messageId = await deps.mailer.send(email, { beforeSend });
        proc.accepted = true;
        return crash === 'after-ses' ? proc.die() : messageId;
      }),
  };
  return {
    ...deps,
    mailer,
    papers: new DynamoPaperStore({ client, tableName: tables.papers }),
    ledger: new DynamoLedger({ client, tableName: tables.ledger, clock }),
    subscribers: new DynamoSubscriberStore({ client, tableName: tables.subscribers, clock }),
  };
}

type SentCommand = { input: Record<string, unknown>; constructor: { name: string } };

/** The test's DynamoDB client with its `send` replaced by `send(command, realSend)`; everything else is the real client's. */
function clientWith(send: (command: SentCommand, realSend: (command: SentCommand) => Promise<unknown>) => Promise<unknown>): DynamoDBDocumentClient {
  const real = dynamo.client;
  const realSend = (command: SentCommand) => real.send(command as never);
  return new Proxy(real, { get: (target, key) => (key === 'send' ? (command: SentCommand) => send(command, realSend) : Reflect.get(target, key)) });
}

/** The test's DynamoDB client, dying at the ledger write `crash` names, if it names one. */
function dyingClient(proc: DyingProcess, crash: CrashPoint): DynamoDBDocumentClient {
  return clientWith((command, realSend) =>
    proc.run(async () => {
      const ledgerWrite = /Put|Update|Delete|Write/.test(command.constructor.name) && JSON.stringify(command.input).includes(tables.ledger);
      if (crash === 'before-send' && JSON.stringify(command.input).includes(tables.papers)) return proc.die();
      const result = await realSend(command);
      if (crash === 'after-ledger-write' && ledgerWrite && proc.accepted) return proc.die();
      return result;
    }),
  );
}

async function reader(overrides: Partial<Subscriber> = {}): Promise<Subscriber> {
  const subscriber = makeSubscriber({ maxPapers: 2, ...overrides });
  expect(await app.subscribers.create(subscriber)).toBe(true);
  return subscriber;
}

const digestsTo = async (subscriber: Subscriber): Promise<MailboxEmail[]> =>
  (await mailbox.emails()).filter((email) => email.destination.to.includes(subscriber.email));

const ledgerDay = async (subscriber: Subscriber, localDate = DAY) =>
  (await dynamo.client.send(new GetCommand({ TableName: tables.ledger, Key: { pk: `SUB#${subscriber.id}`, sk: `DIGEST#${localDate}` } }))).Item;

const titlesIn = (email: MailboxEmail | undefined) => [...(email?.body.text ?? '').matchAll(/Paper ([A-E]) on nothing/g)].map((match) => match[1]);

/** Send `subscriber`'s digest of `localDate` in a process that dies at `crash`; resolves once it has died. */
async function sendAndDie(subscriber: Subscriber, crash: CrashPoint, localDate = DAY): Promise<void> {
  const proc = new DyingProcess();
  void new DigestSender(dyingDeps(proc, crash)).send({ subscriberId: subscriber.id, localDate });
  await proc.died;
}

/** A fresh process (an SQS redelivery, or the planner's next run) sending the same job. */
const sendAgain = (subscriber: Subscriber, localDate = DAY) => new DigestSender(app.sendDigestDeps()).send({ subscriberId: subscriber.id, localDate });

describe('a process that dies while sending', () => {
  it('before SendEmail: the next delivery sends the digest at once, without waiting out a lease', async () => {
    const subscriber = await reader();
    await sendAndDie(subscriber, 'before-send');
    expect(await digestsTo(subscriber)).toHaveLength(0);

    expect(await sendAgain(subscriber)).toBe('sent');
    expect(await digestsTo(subscriber)).toHaveLength(1);
    expect(await sendAgain(subscriber)).toBe('already-sent');
  });

  it('right after SES accepted the email: never sent a second time, not even after the lease', async () => {
    const subscriber = await reader();
    await sendAndDie(subscriber, 'after-ses');
    expect(await digestsTo(subscriber)).toHaveLength(1);

    await sendAgain(subscriber);
    clock.advance(LEASE_MS + 1_000);
    await sendAgain(subscriber);
    clock.advance(LEASE_MS + 1_000);
    await sendAgain(subscriber);
    expect(await digestsTo(subscriber)).toHaveLength(1);
  });

  it('right after SES accepted, with SES’s Send event: the day is recorded sent, and the next delivery catches the subscriber up', async () => {
    const subscriber = await reader();
    mailbox.onSend((event) => handleSesEvents(app.sesEventsDeps(), event));
    await sendAndDie(subscriber, 'after-ses');
    await mailbox.eventsSettled();
    const [email] = await digestsTo(subscriber);
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'sent', messageId: email!.messageId, paperIds: ['2611.00001', '2611.00002'] });

    expect(await sendAgain(subscriber)).toBe('already-sent');
    expect((await app.subscribers.get(subscriber.id))?.lastDigestDate).toBe(DAY);
    expect(await digestsTo(subscriber)).toHaveLength(1);
  });

  it('inside SendEmail, before SES got it: no second try; after the lease the day is closed as unknown, counted and logged', async () => {
    const subscriber = await reader();
    await sendAndDie(subscriber, 'in-ses-call');
    expect(await sendAgain(subscriber)).toBe('in-progress');

    clock.advance(LEASE_MS);
    expect(await sendAgain(subscriber)).toBe('unknown');
    expect(await sendAgain(subscriber)).toBe('already-failed');
    expect(await digestsTo(subscriber)).toHaveLength(0);
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'unknown', reason: 'Abandoned' });
    expect(metrics.total('DigestsUnknown')).toBe(1);
    expect(logLines.filter((line) => line.includes('recorded as unknown, not resent') && line.includes(subscriber.id))).toHaveLength(1);
    expect(logLines.join('\n')).not.toContain('@');
    // Its papers may have reached the reader: they are not offered again.
    clock.advance(24 * 3_600_000);
    expect(await sendAgain(subscriber, NEXT_DAY)).toBe('sent');
    expect(titlesIn((await digestsTo(subscriber))[0])).toEqual(['C', 'D']);
  });

  it('inside SendEmail on the last delivery of its day: the next day’s digest closes that day as unknown and counts it', async () => {
    const subscriber = await reader();
    await sendAndDie(subscriber, 'in-ses-call');
    clock.advance(24 * 3_600_000);
    expect(await sendAgain(subscriber, NEXT_DAY)).toBe('sent');
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'unknown', reason: 'Abandoned' });
    expect(metrics.total('DigestsUnknown')).toBe(1);
    expect(titlesIn((await digestsTo(subscriber))[0])).toEqual(['C', 'D']);
  });

  it('right after the ledger recorded the digest: the next day never repeats its papers', async () => {
    const subscriber = await reader();
    await sendAndDie(subscriber, 'after-ledger-write');
    const [first] = await digestsTo(subscriber);
    expect(titlesIn(first)).toEqual(['A', 'B']);

    clock.advance(24 * 3_600_000);
    expect(await sendAgain(subscriber, NEXT_DAY)).toBe('sent');
    const [, second] = await digestsTo(subscriber);
    expect(titlesIn(second)).toEqual(['C', 'D']);
  });
});

const job = (subscriber: Subscriber, localDate = DAY): QueuedMessage => ({
  id: `sqs-${subscriber.id}-${localDate}`,
  body: JSON.stringify({ subscriberId: subscriber.id, localDate }),
});

/**
 * Deliver `messages` as SQS would to send-digest: each batch's retries come back until they are
 * done or have been received `maxReceives` times, when they move to the dead-letter queue.
 */
async function deliverLikeSqs(deps: SendDigestDeps, messages: QueuedMessage[], maxReceives = DIGEST_MAX_RECEIVES): Promise<{ deadLettered: string[] }> {
  const receives = new Map<string, number>();
  const deadLettered: string[] = [];
  let pending = messages;
  while (pending.length > 0) {
    for (const message of pending) receives.set(message.id, (receives.get(message.id) ?? 0) + 1);
    const { retry } = await sendDigestBatch(deps, pending);
    pending = pending.filter((message) => retry.includes(message.id));
    deadLettered.push(...pending.filter((message) => receives.get(message.id)! >= maxReceives).map((message) => message.id));
    pending = pending.filter((message) => !deadLettered.includes(message.id));
  }
  return { deadLettered };
}

/** Every reader's digests in the mailbox, by subscriber id. */
async function digestCounts(readers: Subscriber[]): Promise<number[]> {
  const emails = await mailbox.emails();
  return readers.map((subscriber) => emails.filter((email) => email.destination.to.includes(subscriber.email)).length);
}

describe('redeliveries and races', () => {
  it('sends once when the same plan is delivered twice', async () => {
    const readers = await Promise.all([reader(), reader(), reader()]);
    const planned: DigestJob[] = [];
    const queue = { enqueue: async (jobs: DigestJob[]) => void planned.push(...jobs) };
    for (let run = 0; run < 2; run += 1) await planDigests({ ...app, queue }, { ignoreHour: true });
    expect(planned).toHaveLength(6);

    const messages = planned.map((planned, index) => ({ id: `sqs-${index}`, body: JSON.stringify(planned) }));
    expect(await deliverLikeSqs(app.sendDigestDeps(), messages)).toEqual({ deadLettered: [] });
    expect(await digestCounts(readers)).toEqual([1, 1, 1]);
  });

  it('sends once when two consumers work on the same job at once', async () => {
    const readers = await Promise.all([reader(), reader(), reader(), reader()]);
    const outcomes = await Promise.all(readers.flatMap((subscriber) => [sendAgain(subscriber), sendAgain(subscriber)]));
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(4);
    expect(outcomes.filter((outcome) => outcome !== 'sent').every((outcome) => outcome === 'in-progress' || outcome === 'already-sent')).toBe(true);
    expect(await digestCounts(readers)).toEqual([1, 1, 1, 1]);
  });

  it('sends nothing to a reader who unsubscribed between planning and sending', async () => {
    const [leaving, staying] = await Promise.all([reader(), reader()]);
    await unsubscribe(app.subscriptionDeps(), leaving!.id);
    expect(await deliverLikeSqs(app.sendDigestDeps(), [job(leaving!), job(staying!)])).toEqual({ deadLettered: [] });
    expect(await digestCounts([leaving!, staying!])).toEqual([0, 1]);
    expect(await ledgerDay(leaving!)).toBeUndefined();
  });
});

/** SES in front of the mailbox: `fault(call)` answers an SES error for the calls it picks; the rest reach the mailbox. */
async function sesWithFaults(fault: (call: number) => { status: number; type: string; message: string } | undefined): Promise<FakeSesServer> {
  let calls = 0;
  const ses = await startFakeSes((response, request) => {
    const error = fault((calls += 1));
    if (error) return answerJson(response, error.status, { message: error.message }, { 'x-amzn-ErrorType': error.type });
    const headers = { 'content-type': 'application/json', authorization: String(request.headers.authorization) };
    void fetch(`${mailbox.url}${request.path}`, { method: request.method, headers, body: request.body }).then(async (answer) =>
      answerJson(response, answer.status, await answer.json()),
    );
  });
  closers.push(() => ses.close());
  return ses;
}

/** A pacing clock whose waits pass at once, so backoff is tested without waiting for it. */
function instantTimer(): Timer & { waited: number[] } {
  let now = 0;
  const waited: number[] = [];
  return { waited, nowMs: () => now, sleep: async (ms) => void waited.push((now += ms)) };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('SES faults', () => {
  const appOn = (ses: FakeSesServer, timer = instantTimer()) =>
    testApp({
      dynamo,
      mailbox: { ...mailbox, url: ses.endpoint },
      tables,
      clock,
      metrics,
      pacingTimer: timer,
      logger: recordingLogger(logLines),
      publicBaseUrl: 'http://127.0.0.1:3995',
    });

  it('throttled five times, then accepted: one digest, sent by the sixth try', async () => {
    const subscriber = await reader();
    const ses = await sesWithFaults((call) =>
      call <= 5 ? { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' } : undefined,
    );
    const timer = instantTimer();
    expect(await deliverLikeSqs(appOn(ses, timer).sendDigestDeps(), [job(subscriber)])).toEqual({ deadLettered: [] });
    expect(ses.requests).toHaveLength(6);
    expect(timer.waited.length).toBeGreaterThanOrEqual(5);
    expect(await digestsTo(subscriber)).toHaveLength(1);
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'sent' });
  });

  it('paused mid-run: stops, keeps the rest queued and their days free, and sends each once when resumed', async () => {
    const readers = await Promise.all(Array.from({ length: 5 }, () => reader()));
    let paused = false;
    let sent = 0;
    const ses = await sesWithFaults(() => {
      if (!paused && sent === 2) paused = true;
      if (paused) return { status: 400, type: 'SendingPausedException', message: 'Sending is paused for this account.' };
      sent += 1;
      return undefined;
    });
    const deps = appOn(ses).sendDigestDeps();

    const { retry } = await sendDigestBatch(
      deps,
      readers.map((subscriber) => job(subscriber)),
    );
    expect(retry).toEqual(readers.slice(2).map((subscriber) => job(subscriber).id));
    expect(await digestCounts(readers)).toEqual([1, 1, 0, 0, 0]);
    for (const waiting of readers.slice(2)) expect(await ledgerDay(waiting)).toBeUndefined();

    paused = false;
    sent = -Infinity;
    expect(
      await deliverLikeSqs(
        deps,
        readers.map((subscriber) => job(subscriber)),
      ),
    ).toEqual({ deadLettered: [] });
    expect(await digestCounts(readers)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('poison jobs', () => {
  it('dead-letters only the jobs that can never work, after every receive, and sends the rest once', async () => {
    const [before, after] = await Promise.all([reader(), reader()]);
    // A stored filter the parser no longer accepts: its selection throws on every try.
    const poisoned = await reader({ topics: '"unclosed quote' });
    const messages = [job(before!), { id: 'sqs-garbled', body: '{"subscriberId":' }, job(poisoned), job(after!)];

    const { deadLettered } = await deliverLikeSqs(app.sendDigestDeps(), messages);
    expect(deadLettered.sort()).toEqual([job(poisoned).id, 'sqs-garbled'].sort());
    expect(await digestCounts([before!, poisoned, after!])).toEqual([1, 0, 1]);
    expect(await ledgerDay(poisoned)).toBeUndefined();
    expect(logLines.join('\n')).not.toContain('@');
  });
});

/** The test's DynamoDB client, failing the writes `fails` picks with `error` (DynamoDB's throttling or a timeout). */
function faultyClient(fails: (command: string, input: string) => boolean, error: Error): DynamoDBDocumentClient {
  return clientWith(async (command, realSend) => {
    if (fails(command.constructor.name, JSON.stringify(command.input))) throw error;
    return realSend(command);
  });
}

const throughputExceeded = () =>
  Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), { name: 'ProvisionedThroughputExceededException' });
const timedOut = () => Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' });

describe('DynamoDB faults', () => {
  const withLedgerClient = (client: DynamoDBDocumentClient): SendDigestDeps => ({
    ...app.sendDigestDeps(),
    ledger: new DynamoLedger({ client, tableName: tables.ledger, clock }),
  });

  it('throttled on the write before SendEmail: no email for that job, and the retry sends it once', async () => {
    const subscriber = await reader();
    let failures = 2;
    const client = faultyClient((command, input) => command === 'PutCommand' && input.includes(tables.ledger) && failures-- > 0, throughputExceeded());
    expect(await sendDigestBatch(withLedgerClient(client), [job(subscriber)])).toEqual({ retry: [job(subscriber).id] });
    expect(await digestsTo(subscriber)).toHaveLength(0);

    expect(await deliverLikeSqs(withLedgerClient(client), [job(subscriber)])).toEqual({ deadLettered: [] });
    expect(await digestsTo(subscriber)).toHaveLength(1);
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'sent' });
  });

  it('timing out on the write after SES accepted: never resent; the Send event records the day', async () => {
    const subscriber = await reader();
    mailbox.onSend((event) => handleSesEvents(app.sesEventsDeps(), event));
    const client = faultyClient((command, input) => command === 'UpdateCommand' && input.includes(tables.ledger), timedOut());

    expect(await deliverLikeSqs(withLedgerClient(client), [job(subscriber)])).toEqual({ deadLettered: [] });
    await mailbox.eventsSettled();
    expect(await digestsTo(subscriber)).toHaveLength(1);
    expect(await ledgerDay(subscriber)).toMatchObject({ status: 'sent' });
    clock.advance(LEASE_MS * 2);
    expect(await sendAgain(subscriber)).toBe('already-sent');
    expect(await digestsTo(subscriber)).toHaveLength(1);
  });
});

describe('a run killed after k of N digests', () => {
  it('ends, after a rerun with a short lease, with exactly one digest each', async () => {
    const readers = await Promise.all(Array.from({ length: 8 }, () => reader()));
    mailbox.onSend((event) => handleSesEvents(app.sesEventsDeps(), event));
    const shortLease = testApp({
      dynamo,
      mailbox,
      tables,
      clock,
      metrics,
      env: { CLAIM_LEASE_SECONDS: '2' },
      logger: recordingLogger(logLines),
      publicBaseUrl: 'http://127.0.0.1:3995',
    });

    // The run dies as SES accepts its fourth digest.
    const proc = new DyingProcess();
    const deps = shortLease.sendDigestDeps();
    let accepted = 0;
    const mailer: Mailer = {
      send: (email, options) => proc.run(async () => (await deps.mailer.send(email, options), (accepted += 1) === 4 ? proc.die() : 'ok')),
    };
    void sendDigestBatch(
      { ...deps, mailer },
      readers.map((subscriber) => job(subscriber)),
    );
    await proc.died;
    await mailbox.eventsSettled();
    expect(await digestCounts(readers)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);

    clock.advance(2_000);
    expect(
      await deliverLikeSqs(
        shortLease.sendDigestDeps(),
        readers.map((subscriber) => job(subscriber)),
      ),
    ).toEqual({ deadLettered: [] });
    expect(await digestCounts(readers)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    for (const subscriber of readers) expect(await ledgerDay(subscriber)).toMatchObject({ status: 'sent' });
  });
});
