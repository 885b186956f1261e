// The delivery guarantees under faults, on dynalite and the SES mailbox: a process that dies at any point, redeliveries, races and SES and DynamoDB failures end in at most one digest per subscriber and local day, never a paper twice.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { DynamoLedger } from '../../lambdas/adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Subscriber } from '../../lambdas/core/model';
import type { Mailer } from '../../lambdas/ports';
import { DigestSender, type SendDigestDeps } from '../../lambdas/use-cases/send-digest';
import { handleSesEvents } from '../../lambdas/use-cases/ses-events';
import { makePaper } from '../../dev/paper-factory';
import { ManualClock, type MailboxEmail, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
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
 * - in-ses-call: inside SendEmail, before SES got the request.
 * - after-ses: as soon as SES accepted the email.
 * - after-ledger-write: right after the first ledger write that follows SES's acceptance.
 */
type CrashPoint = 'before-send' | 'in-ses-call' | 'after-ses' | 'after-ledger-write';

/** The sender's dependencies for one process that dies at `crash`. */
function dyingDeps(proc: DyingProcess, crash: CrashPoint): SendDigestDeps {
  const deps = app.sendDigestDeps();
  const client = dyingClient(proc, crash);
  const mailer: Mailer = {
    send: (email) =>
      proc.run(async () => {
        if (crash === 'in-ses-call') return proc.die();
        const messageId = await deps.mailer.send(email);
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

/** The test's DynamoDB client, dying at the ledger write `crash` names, if it names one. */
function dyingClient(proc: DyingProcess, crash: CrashPoint): DynamoDBDocumentClient {
  const real = dynamo.client;
  const send = (command: { input: Record<string, unknown>; constructor: { name: string } }) =>
    proc.run(async () => {
      const ledgerWrite = /Put|Update|Delete|Write/.test(command.constructor.name) && JSON.stringify(command.input).includes(tables.ledger);
      if (crash === 'before-send' && JSON.stringify(command.input).includes(tables.papers)) return proc.die();
      const result = await real.send(command as never);
      if (crash === 'after-ledger-write' && ledgerWrite && proc.accepted) return proc.die();
      return result;
    });
  return new Proxy(real, { get: (target, key) => (key === 'send' ? send : Reflect.get(target, key)) });
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
