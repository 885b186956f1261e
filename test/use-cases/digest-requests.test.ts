// Pins what a digest costs in DynamoDB requests and units, counted on dynalite, so a regression in the send path fails here (figures at scale: bench/e2e.ts).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addToTally, countingClient, emptyTally, type RequestTally } from '../../bench/dynamo-request-counter';
import { syntheticPapers } from '../../dev/paper-factory';
import { DynamoLedger } from '../../lambdas/adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import { parseKeyring } from '../../lambdas/core/tokens';
import type { Mailer, OutgoingEmail } from '../../lambdas/ports';
import type { DigestJob } from '../../lambdas/core/digest-schedule';
import { planDigests } from '../../lambdas/use-cases/plan-digests';
import { sendDigestBatch, type SendDigestDeps } from '../../lambdas/use-cases/send-digest';
import { handleSesEvents } from '../../lambdas/use-cases/ses-events';
import { sendEvent } from '../../dev/ses-send-events';
import { ManualClock, useDynamo, type TestDynamo } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';

const NOW = '2026-12-01T08:00:00Z';
const silent = { info: () => {}, warn: () => {}, error: () => {} };

let dynamo: TestDynamo;
let tables: TableNames;
let tally: RequestTally;
let client: DynamoDBDocumentClient;
const clock = new ManualClock(NOW);

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  tally = emptyTally();
  client = countingClient(dynamo.client, (request) => addToTally(tally, request));
  const days = ['2026-11-30', '2026-12-01'];
  const papers = syntheticPapers({ count: 60, now: clock.now(), days });
  const store = new DynamoPaperStore({ client: dynamo.client, tableName: tables.papers });
  for (const day of days)
    await store.putDay(
      day,
      papers.filter((paper) => paper.listedOn[0] === day),
    );
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock });
  for (let n = 0; n < 10; n += 1) await subscribers.create(makeSubscriber({ topics: '', lastDigestDate: '2026-11-30', sendEmptyDigest: true }));
});

/** Each email's tags and message id, so its Send event can be played. */
function recordingMailer(sent: Array<{ email: OutgoingEmail; messageId: string }>): Mailer {
  return {
    async send(email, options) {
      await options?.beforeSend?.();
      const messageId = `msg-${sent.length + 1}`;
      sent.push({ email, messageId });
      return messageId;
    },
  };
}

/** The planner's jobs, as bodies on the queue. */
async function plannedBodies(): Promise<string[]> {
  const bodies: string[] = [];
  const queue = { enqueue: async (jobs: DigestJob[]) => void bodies.push(...jobs.map((job) => JSON.stringify(job))) };
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock });
  await planDigests({ subscribers, queue, clock, logger: silent, metrics: new MemoryMetrics() });
  return bodies;
}

/** What every sender here shares besides its stores, clock and metrics: keys, links and lease. */
const SENDING = {
  logger: silent,
  keyring: parseKeyring(JSON.stringify({ current: 'k1', k1: 'digest-requests-test-secret-0123456789' })),
  publicBaseUrl: 'https://papertrend.example',
  postalAddress: 'Papertrend, 1 Example Street, Berlin',
  claimLeaseMs: 900_000,
};

it('sends each digest with one Query, one read of the subscriber and three writes, and reads the papers once per container', async () => {
  const bodies = await plannedBodies();
  expect(bodies).toHaveLength(10);
  const sent: Array<{ email: OutgoingEmail; messageId: string }> = [];
  // One warm container: its stores outlive the invocations.
  const container = {
    subscribers: new DynamoSubscriberStore({ client, tableName: tables.subscribers, clock }),
    papers: new DynamoPaperStore({ client, tableName: tables.papers }),
    ledger: new DynamoLedger({ client, tableName: tables.ledger, clock }),
    mailer: recordingMailer(sent),
  };
  const deps: SendDigestDeps = {
    ...container,
    clock,
    metrics: new MemoryMetrics(),
    ...SENDING,
  };
  const invoke = (slice: string[], offset: number) =>
    sendDigestBatch(
      deps,
      slice.map((body, k) => ({ id: `m-${offset + k}`, body })),
    );

  expect(await invoke(bodies.slice(0, 5), 0)).toEqual({ retry: [] });
  // The first invocation reads the window's papers: the days' stamps, each day's listing, the papers.
  expect(tally.byCommand).toEqual({ BatchGetCommand: 2, QueryCommand: 2 + 5, GetCommand: 5, PutCommand: 5, UpdateCommand: 10 });

  tally = emptyTally();
  expect(await invoke(bodies.slice(5), 5)).toEqual({ retry: [] });
  expect(sent).toHaveLength(10);
  // A later invocation checks the stamps only. Per digest: the ledger Query, the subscriber's read,
  // the day's conditional put, its `sent` and the subscriber's last digest day.
  expect(tally.byCommand).toEqual({ BatchGetCommand: 1, QueryCommand: 5, GetCommand: 5, PutCommand: 5, UpdateCommand: 10 });
  // Units as dynalite reports them (table units: the active index's write is DynamoDB's extra one).
  expect(tally.writeUnits).toBe(15);
  expect(tally.readUnits).toBeLessThanOrEqual(5 * 2 + 1);

  // The Send events find their days sent: a read each, no write.
  tally = emptyTally();
  const events = { subscribers: container.subscribers, ledger: container.ledger, clock, logger: silent, metrics: new MemoryMetrics(), sleep: async () => {} };
  for (const { email, messageId } of sent) {
    const tags = Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value }));
    await handleSesEvents(events, sendEvent({ Destination: { ToAddresses: [email.to] }, EmailTags: tags }, messageId, clock.now()));
  }
  expect(tally.byCommand).toEqual({ GetCommand: 10 });
  expect(tally.writeUnits).toBe(0);
});

it('reads the papers again once fetch-papers stored a day anew', async () => {
  const store = new DynamoPaperStore({ client, tableName: tables.papers });
  const first = await store.papersForDays(['2026-11-30', '2026-12-01']);
  expect(await store.papersForDays(['2026-11-30', '2026-12-01'])).toBe(first);
  const added = syntheticPapers({ count: 61, now: clock.now(), days: ['2026-12-01'] }).slice(60);
  await new DynamoPaperStore({ client: dynamo.client, tableName: tables.papers }).putDay('2026-12-01', added);
  const again = await store.papersForDays(['2026-11-30', '2026-12-01']);
  expect(again).not.toBe(first);
  expect(again.map((paper) => paper.id)).toContain(added[0]!.id);
});

it('sends a planned job nothing when the reader leaves while its papers load: the one read comes after them', async () => {
  const [body] = await plannedBodies();
  expect(JSON.parse(body!)).toMatchObject({ planned: { frequency: 'daily', lastDigestDate: '2026-11-30' } });
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock });
  const store = new DynamoPaperStore({ client: dynamo.client, tableName: tables.papers });
  const leaving = (await subscribers.get(JSON.parse(body!).subscriberId as string))!;
  const papers = {
    putDay: store.putDay.bind(store),
    papersById: store.papersById.bind(store),
    papersForDays: async (days: string[]) => {
      await subscribers.put({ ...leaving, status: 'unsubscribed' });
      return store.papersForDays(days);
    },
  };
  const sent: Array<{ email: OutgoingEmail; messageId: string }> = [];
  const deps: SendDigestDeps = {
    subscribers,
    papers,
    ledger: new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock }),
    mailer: recordingMailer(sent),
    clock,
    metrics: new MemoryMetrics(),
    ...SENDING,
  };
  expect(await sendDigestBatch(deps, [{ id: 'm-1', body: body! }])).toEqual({ retry: [] });
  expect(sent).toEqual([]);
});
