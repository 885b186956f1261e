// Benchmark: the whole digest pipeline for N subscribers on dynalite and the SES mailbox, through the real adapters and the queue path; prints one JSON line of throughput, DynamoDB units per digest and cost beyond SES.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { compileMjml } from '../bin/build-templates';
import { startDynamo, startMailbox } from '../dev/emulators';
import { syntheticPapers } from '../dev/paper-factory';
import { seedSubscribers } from '../dev/seed-subscribers';
import { sendEvent } from '../dev/ses-send-events';
import { createDocumentClient, createSesClient } from '../lambdas/adapters/aws/clients';
import { batchPutAll } from '../lambdas/adapters/aws/dynamo-batch';
import { DynamoLedger } from '../lambdas/adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from '../lambdas/adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore, subscriberToItem } from '../lambdas/adapters/aws/dynamo-subscriber-store';
import { SesMailer } from '../lambdas/adapters/aws/ses-mailer';
import { tableNames, type TableNames } from '../lambdas/adapters/aws/table-definitions';
import { ensureTables } from '../lambdas/adapters/aws/tables';
import { createJsonLogger } from '../lambdas/adapters/log/json-logger';
import { MemoryMetrics } from '../lambdas/adapters/metrics/memory-metrics';
import { addDays, utcDay } from '../lambdas/core/day';
import { DEFAULT_CLAIM_LEASE_SECONDS } from '../lambdas/core/digest-ledger';
import type { DigestJob } from '../lambdas/core/digest-schedule';
import { localTimeIn } from '../lambdas/core/local-time';
import type { DigestContent, Paper, Subscriber } from '../lambdas/core/model';
import { digestTemplateView, renderDigest } from '../lambdas/core/render/digest-email';
import { escapeHtml } from '../lambdas/core/render/html';
import { Template } from '../lambdas/core/render/template';
import { SENT_PAPER_RETENTION_DAYS } from '../lambdas/core/retention';
import { buildPaperIndex, selectPapersFor } from '../lambdas/core/select-papers';
import { DEFAULT_SES_MAX_SEND_RATE, sendingPlan } from '../lambdas/core/send-rate';
import { parseKeyring } from '../lambdas/core/tokens';
import type { Logger, Mailer, OutgoingEmail, SendOptions } from '../lambdas/ports';
import { planDigests } from '../lambdas/use-cases/plan-digests';
import { sendDigestBatch, type SendDigestDeps } from '../lambdas/use-cases/send-digest';
import { handleSesEvents } from '../lambdas/use-cases/ses-events';
import { addToTally, countingClient, emptyTally, subscriberOf, type CountedRequest, type RequestTally } from './dynamo-request-counter';
import { costPer1000Digests, DEPLOYED } from './e2e-cost';

const NOW = new Date('2026-11-30T08:00:00Z');
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    papers: { type: 'string', default: '500' },
    'history-days': { type: 'string', default: String(SENT_PAPER_RETENTION_DAYS) },
    'planner-subscribers': { type: 'string', default: '100000' },
    /** Concurrent senders; the deployed trigger's maximum concurrency at the default SES rate when absent. */
    senders: { type: 'string', default: String(sendingPlan(DEFAULT_SES_MAX_SEND_RATE).digestSenders) },
    serve: { type: 'boolean', default: false },
  },
});
const N = Number(values.subscribers);
const PAPERS = Number(values.papers);
const HISTORY_DAYS = Number(values['history-days']);
const PLANNER_N = Number(values['planner-subscribers']);
const HOST = '127.0.0.1';
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const seconds = (since: number) => (performance.now() - since) / 1000;

interface Services {
  dynamoUrl: string;
  sesUrl: string;
}

/** The child: dynalite and the mailbox, in their own process so the bench's own CPU and memory are the Lambdas' alone. */
async function serve(): Promise<void> {
  const [dynamo, mailbox] = await Promise.all([startDynamo({ host: HOST, port: 0 }), startMailbox({ host: HOST, port: 0 })]);
  process.send!({ dynamoUrl: dynamo.url, sesUrl: mailbox.url } satisfies Services);
  process.on('message', () => process.send!(process.cpuUsage()));
  process.on('disconnect', () => void Promise.all([dynamo.close(), mailbox.close()]).then(() => process.exit(0)));
}

async function startServices(): Promise<Services & { cpuSeconds(): Promise<number>; stop(): void }> {
  const child = fork(process.argv[1]!, ['--serve'], { execArgv: process.execArgv });
  const services = await new Promise<Services>((resolve) => child.once('message', (message) => resolve(message as Services)));
  const cpuSeconds = () =>
    new Promise<number>((resolve) => {
      child.once('message', (usage) => resolve(((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system) / 1e6));
      child.send('cpu');
    });
  return { ...services, cpuSeconds, stop: () => child.disconnect() };
}

/** Every subscriber due at NOW: the chosen hour is the local hour, the last digest a day (daily) or a week (weekly) ago. */
function dueSubscribers(count: number): Subscriber[] {
  let n = 0;
  return seedSubscribers({ count, now: NOW, newId: () => `bench-${(n += 1)}`, seed: 11 }).map((subscriber) => {
    const local = localTimeIn(NOW, subscriber.timeZone);
    const back = subscriber.frequency === 'daily' ? 1 : 7;
    return { ...subscriber, hour: local.hour, weekday: local.weekday, lastDigestDate: addDays(local.date, -back) };
  });
}

/** Run `task` over `items` in chunks of `size`, `parallel` chunks at once. */
async function inChunks<T>(items: readonly T[], size: number, parallel: number, task: (chunk: T[]) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) {
        const start = next;
        next += size;
        await task(items.slice(start, start + size));
      }
    }),
  );
}

/**
 * Each subscriber's digests of the last HISTORY_DAYS (daily, or weekly), as the ledger holds them
 * in steady state, so the never-twice Query reads what it would in production. One entry is made
 * through the ledger itself and copied, so the copies have its exact shape and size.
 */
async function seedHistory(client: DynamoDBDocumentClient, names: TableNames, subscribers: Subscriber[], papers: Paper[]): Promise<number> {
  if (HISTORY_DAYS <= 0) return 0;
  const model = new DynamoLedger({ client, tableName: names.ledger, clock: { now: () => NOW } });
  const ids = (offset: number) => Array.from({ length: 10 }, (_, k) => papers[(offset * 7 + k * 13) % papers.length]!.id);
  await model.beginSend('model', '2000-01-01', ids(0));
  await model.markSent('model', '2000-01-01', '0100019a-0000-0000-0000-000000000000-000000');
  const { Item: shape } = await client.send(new GetCommand({ TableName: names.ledger, Key: { pk: 'SUB#model', sk: 'DIGEST#2000-01-01' } }));
  const items: Record<string, unknown>[] = [];
  for (const [position, subscriber] of subscribers.entries()) {
    const today = localTimeIn(NOW, subscriber.timeZone).date;
    const step = subscriber.frequency === 'daily' ? 1 : 7;
    for (let back = step; back <= HISTORY_DAYS; back += step) {
      const day = addDays(today, -back);
      items.push({ ...shape, pk: `SUB#${subscriber.id}`, sk: `DIGEST#${day}`, at: `${day}T08:00:00.000Z`, paperIds: ids(position + back) });
    }
  }
  await inChunks(items, 25 * 20, 8, (chunk) => batchPutAll(client, names.ledger, chunk));
  return items.length;
}

async function seed(client: DynamoDBDocumentClient, names: TableNames) {
  await ensureTables(client, names);
  const days = Array.from({ length: 7 }, (_, back) => addDays(utcDay(NOW), back - 6));
  const papers = syntheticPapers({ count: PAPERS, now: NOW, days });
  const store = new DynamoPaperStore({ client, tableName: names.papers, writeConcurrency: 16 });
  for (const day of days)
    await store.putDay(
      day,
      papers.filter((paper) => paper.listedOn[0] === day),
    );
  const subscribers = dueSubscribers(N);
  await inChunks(subscribers.map(subscriberToItem), 25 * 20, 8, (chunk) => batchPutAll(client, names.subscribers, chunk));
  const historyEntries = await seedHistory(client, names, subscribers, papers);
  return { papers, subscribers, historyEntries };
}

/** What the SES mailbox was sent, for sizes and the Send events. */
interface SentRecord {
  to: string;
  tags: OutgoingEmail['tags'];
  messageId: string;
  htmlBytes: number;
}

function recordingMailer(inner: Mailer, sent: SentRecord[]): Mailer & { calls: number } {
  const mailer = {
    calls: 0,
    async send(email: OutgoingEmail, options?: SendOptions) {
      mailer.calls += 1;
      const messageId = await inner.send(email, options);
      sent.push({ to: email.to, tags: email.tags, messageId, htmlBytes: Buffer.byteLength(email.html) });
      return messageId;
    },
  };
  return mailer;
}

/** Log lines as the functions would write them, counted in bytes (the log ingestion cost) and dropped. */
function countingLogger(service: string): { logger: Logger; counted: { bytes: number; lines: number } } {
  const counted = { bytes: 0, lines: 0 };
  const logger = createJsonLogger({ service }, (line) => {
    counted.bytes += Buffer.byteLength(line) + 1;
    counted.lines += 1;
  });
  return { logger, counted };
}

export interface Phase {
  tally: RequestTally;
  byFrequency: Record<'daily' | 'weekly' | 'shared', RequestTally>;
}

function phaseCounter(frequencyOf: Map<string, Subscriber['frequency']>, subscribersTable: string) {
  const phase: Phase = { tally: emptyTally(), byFrequency: { daily: emptyTally(), weekly: emptyTally(), shared: emptyTally() } };
  const onRequest = (request: CountedRequest) => {
    // dynalite reports the table's units only; DynamoDB adds one per write that changes an item in the
    // active-subscribers index (it projects lastDigestDate, which the sender sets on every digest).
    const indexUnits = !request.read && request.table === subscribersTable && !request.failedCondition ? 1 : 0;
    const counted = { ...request, units: request.units + indexUnits };
    addToTally(phase.tally, counted);
    const id = subscriberOf(request.input);
    addToTally(phase.byFrequency[(id && frequencyOf.get(id)) || 'shared'], counted);
  };
  return { phase, onRequest };
}

async function run(): Promise<void> {
  const started = performance.now();
  const services = await startServices();
  const raw = createDocumentClient({ region: 'local', endpoint: services.dynamoUrl, credentials });
  const names = tableNames({ prefix: 'bench' });
  const { papers, subscribers, historyEntries } = await seed(raw, names);
  const seedSeconds = seconds(started);
  const frequencyOf = new Map(subscribers.map((subscriber) => [subscriber.id, subscriber.frequency]));
  const clock = { now: () => NOW };

  // Plan: the active index read, who is due, one job each as SqsQueue would send it (JSON bodies, batches of 10).
  const plan = phaseCounter(frequencyOf, names.subscribers);
  const planClient = countingClient(raw, plan.onRequest);
  const bodies: string[] = [];
  const planStarted = performance.now();
  await planDigests({
    subscribers: new DynamoSubscriberStore({ client: planClient, tableName: names.subscribers, clock }),
    queue: { enqueue: async (jobs: DigestJob[]) => void bodies.push(...jobs.map((job) => JSON.stringify(job))) },
    clock,
    logger: silent,
    metrics: new MemoryMetrics(),
  });
  const planSeconds = seconds(planStarted);

  const emulatorCpuBefore = await services.cpuSeconds();
  const send = await sendPhase(services, names, bodies, frequencyOf);
  const emulatorCpuSeconds = (await services.cpuSeconds()) - emulatorCpuBefore;
  const events = await sesEventsPhase(raw, names, send.sent, frequencyOf);
  services.stop();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const mjml = await renderBaselines(papers, subscribers);
  const planner = await plannerPer100k(planSeconds);
  report({ started, seedSeconds, planSeconds, historyEntries, plan: plan.phase, send, events, mjml, planner, peakRssMb, emulatorCpuSeconds });
  raw.destroy();
}

/**
 * One set of clients and stores per warm container, as composeSendDigest builds them once per
 * container. The mailer is not paced: this measures what the pipeline itself can do; SES's rate is
 * the projection's.
 */
function warmContainer(services: Services, names: TableNames, onRequest: (request: CountedRequest) => void, sent: SentRecord[]) {
  const clock = { now: () => NOW };
  const client = countingClient(createDocumentClient({ region: 'local', endpoint: services.dynamoUrl, credentials }), onRequest);
  const ses = new SesMailer({
    client: createSesClient({ region: 'local', endpoint: services.sesUrl, credentials }),
    fromAddress: 'Papertrend <digest@papertrend.local>',
  });
  return {
    subscribers: new DynamoSubscriberStore({ client, tableName: names.subscribers, clock }),
    papers: new DynamoPaperStore({ client, tableName: names.papers }),
    ledger: new DynamoLedger({ client, tableName: names.ledger, clock }),
    mailer: recordingMailer(ses, sent),
  };
}

async function sendPhase(services: Services, names: TableNames, bodies: string[], frequencyOf: Map<string, Subscriber['frequency']>) {
  const clock = { now: () => NOW };
  const counter = phaseCounter(frequencyOf, names.subscribers);
  const sent: SentRecord[] = [];
  const metrics = new MemoryMetrics();
  const { logger, counted: logged } = countingLogger('send-digest');
  const senders = Number(values.senders);
  const keyring = parseKeyring(JSON.stringify({ current: 'k1', k1: 'bench-secret-0123456789abcdef0123456789' }));
  const containers = Array.from({ length: senders }, () => warmContainer(services, names, counter.onRequest, sent));
  const batches = Array.from({ length: Math.ceil(bodies.length / 10) }, (_, b) =>
    bodies.slice(b * 10, b * 10 + 10).map((body, k) => ({ id: `m-${b * 10 + k}`, body })),
  );
  let next = 0;
  let retried = 0;
  const cpuBefore = process.cpuUsage();
  const sendStarted = performance.now();
  await Promise.all(
    containers.map(async (container) => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const deps: SendDigestDeps = {
          ...container,
          clock,
          logger,
          metrics,
          keyring,
          publicBaseUrl: 'https://papertrend.example',
          postalAddress: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
          claimLeaseMs: DEFAULT_CLAIM_LEASE_SECONDS * 1000,
        };
        retried += (await sendDigestBatch(deps, batch)).retry.length;
      }
    }),
  );
  const sendSeconds = seconds(sendStarted);
  const cpu = process.cpuUsage(cpuBefore);
  const sesCalls = containers.reduce((sum, container) => sum + container.mailer.calls, 0);
  return {
    ...counter,
    frequencyOf,
    sent,
    metrics,
    logBytes: logged.bytes,
    senders,
    batches: batches.length,
    retried,
    sendSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    sesCalls,
  };
}

/** ses-events invocations at once: EventBridge invokes it once per event, in parallel. */
const SES_EVENT_WORKERS = 4;

/** The Send event of every digest, as ses-events gets it: each settles its day, or finds it sent already. */
async function sesEventsPhase(raw: DynamoDBDocumentClient, names: TableNames, sent: SentRecord[], frequencyOf: Map<string, Subscriber['frequency']>) {
  const clock = { now: () => NOW };
  const counter = phaseCounter(frequencyOf, names.subscribers);
  const client = countingClient(raw, counter.onRequest);
  const { logger, counted: logged } = countingLogger('ses-events');
  const deps = {
    subscribers: new DynamoSubscriberStore({ client, tableName: names.subscribers, clock }),
    ledger: new DynamoLedger({ client, tableName: names.ledger, clock }),
    clock,
    logger,
    metrics: new MemoryMetrics(),
    sleep: async () => {},
  };
  let reconciled = 0;
  const started = performance.now();
  await inChunks(sent, 1, SES_EVENT_WORKERS, async ([email]) => {
    const tags = Object.entries(email!.tags).map(([Name, Value]) => ({ Name, Value }));
    const event = sendEvent({ Destination: { ToAddresses: [email!.to] }, EmailTags: tags }, email!.messageId, NOW);
    reconciled += (await handleSesEvents(deps, event)).reconciled;
  });
  return { ...counter, reconciled, seconds: seconds(started), logBytes: logged.bytes };
}

const TEMPLATE_PATH = join(__dirname, '..', 'templates', 'digest.mjml');

/** Digests per second rendering with mjml2html per digest (the baseline), and with our renderer, over the same digests. */
async function renderBaselines(papers: Paper[], subscribers: Subscriber[]) {
  const mjmlTemplate = Template.parse(readFileSync(TEMPLATE_PATH, 'utf8').replace(/^<!--[\s\S]*?-->/, ''), escapeHtml);
  const index = buildPaperIndex(papers, NOW);
  const links = {
    preferencesUrl: 'https://papertrend.example/preferences?token=aGVsbG8td29ybGQtdG9rZW4tdmFsdWUtaGVyZQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtMTIz',
    unsubscribeUrl: 'https://papertrend.example/unsubscribe?token=aGVsbG8td29ybGQtdG9rZW4tdmFsdWUtaGVyZQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtMTIz',
    postalAddress: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
  };
  const digests: DigestContent[] = subscribers
    .slice(0, 400)
    .map((subscriber) => ({
      date: '2026-11-30',
      frequency: subscriber.frequency,
      topics: subscriber.topics,
      papers: selectPapersFor(subscriber, index, { now: NOW, alreadySent: new Set() }),
      ...links,
    }))
    .filter((digest) => digest.papers.length > 0)
    .slice(0, 40);
  await compileMjml(mjmlTemplate.render(digestTemplateView(digests[0]!)), TEMPLATE_PATH);
  let started = performance.now();
  for (const digest of digests) await compileMjml(mjmlTemplate.render(digestTemplateView(digest)), TEMPLATE_PATH);
  const mjmlPerSecond = digests.length / seconds(started);
  started = performance.now();
  for (let pass = 0; pass < 10; pass += 1) for (const digest of digests) renderDigest(digest);
  return { mjmlBaselineDigestsPerSecond: mjmlPerSecond, rendererDigestsPerSecond: (digests.length * 10) / seconds(started), sample: digests.length };
}

/** bench/plan-digests.ts run as it is (its own dynalite, an SQS stand-in with 25 ms per batch) for PLANNER_N subscribers; else this run's planner scaled. */
async function plannerPer100k(planSeconds: number): Promise<{ seconds: number; measuredOn: number; how: string }> {
  if (PLANNER_N <= 0) return { seconds: (planSeconds * 100_000) / N, measuredOn: N, how: 'this run, in-memory queue, scaled linearly' };
  const child = fork(join(__dirname, 'plan-digests.ts'), ['--subscribers', String(PLANNER_N)], { execArgv: process.execArgv, silent: true });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`plan-digests exited ${code}`)))));
  const last = JSON.parse(out.trim().split('\n').at(-1)!) as { planMs: number };
  return {
    seconds: ((last.planMs / 1000) * 100_000) / PLANNER_N,
    measuredOn: PLANNER_N,
    how: 'bench/plan-digests.ts: dynalite + SQS stand-in, 25 ms per SendMessageBatch',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function perDigest(tally: RequestTally, digests: number) {
  return {
    requests: round(tally.requests / digests),
    readUnits: round(tally.readUnits / digests),
    writeUnits: round(tally.writeUnits / digests),
  };
}

type SendResult = Awaited<ReturnType<typeof sendPhase>>;
type EventsResult = Awaited<ReturnType<typeof sesEventsPhase>>;

/** Everything a run measured, for the report. */
interface RunFigures {
  started: number;
  seedSeconds: number;
  planSeconds: number;
  historyEntries: number;
  plan: Phase;
  send: SendResult;
  events: EventsResult;
  mjml: Awaited<ReturnType<typeof renderBaselines>>;
  planner: Awaited<ReturnType<typeof plannerPer100k>>;
  peakRssMb: number;
  emulatorCpuSeconds: number;
}

function report(run: RunFigures): void {
  const { send, events, plan } = run;
  const digests = send.sent.length;
  const total = emptyTally();
  for (const tally of [send.phase.tally, events.phase.tally]) {
    total.requests += tally.requests;
    total.readUnits += tally.readUnits;
    total.writeUnits += tally.writeUnits;
  }
  const { perFrequency, busySecondsPerDigest, cost } = costFigures(run, digests);
  const byCommand = Object.fromEntries(Object.entries(send.phase.tally.byCommand).map(([name, count]) => [name, round(count / digests, 3)]));
  console.log(
    JSON.stringify({
      bench: 'e2e',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      subscribers: N,
      papers: PAPERS,
      historyEntriesSeeded: run.historyEntries,
      jobs: send.batches ? send.metrics.total('DigestsSent') + send.metrics.total('DigestsEmpty') + send.metrics.total('DigestsSkipped') : 0,
      digests,
      emptyDays: send.metrics.total('DigestsEmpty'),
      retried: send.retried,
      wallSeconds: round(seconds(run.started), 1),
      seedSeconds: round(run.seedSeconds, 1),
      planSeconds: round(run.planSeconds, 2),
      sendSeconds: round(send.sendSeconds, 2),
      sesEventsSeconds: round(events.seconds, 2),
      digestSenders: send.senders,
      digestsPerSecond: round(digests / (run.planSeconds + send.sendSeconds), 1),
      cpuMsPerDigest: round((send.cpuSeconds * 1000) / digests, 2),
      emulatorCpuMsPerDigest: round((run.emulatorCpuSeconds * 1000) / digests, 2),
      dynamoRequestsPerDigest: round(total.requests / digests),
      dynamoReadUnitsPerDigest: round(total.readUnits / digests),
      dynamoWriteUnitsPerDigest: round(total.writeUnits / digests),
      dynamoUnitsSource:
        'dynalite ReturnConsumedCapacity TOTAL on every call (table units), plus 1 write unit per subscriber write for the active index and 1 per failed conditional write (dynalite reports neither)',
      dynamoSendPerDigest: { ...perDigest(send.phase.tally, digests), byCommand },
      dynamoSesEventsPerDigest: perDigest(events.phase.tally, digests),
      dynamoPlannerPerDigest: perDigest(plan.tally, digests),
      perFrequency,
      reconciledFromSendEvents: events.reconciled,
      sesCallsPerDigest: round(send.sesCalls / digests, 3),
      peakRssMb: Math.round(run.peakRssMb),
      htmlBytesMedian: median(send.sent.map((email) => email.htmlBytes)),
      htmlBytesMax: Math.max(...send.sent.map((email) => email.htmlBytes)),
      mjmlBaselineDigestsPerSecond: round(run.mjml.mjmlBaselineDigestsPerSecond, 1),
      rendererDigestsPerSecond: round(run.mjml.rendererDigestsPerSecond, 0),
      plannerSecondsPer100k: round(run.planner.seconds, 2),
      plannerMeasured: { subscribers: run.planner.measuredOn, how: run.planner.how },
      lambdaBusySecondsPerDigest: round(busySecondsPerDigest, 4),
      deployed: DEPLOYED,
      costPer1000DigestsUsd: cost,
    }),
  );
}

function costFigures(run: { send: SendResult; events: EventsResult; plan: Phase; planner: { seconds: number } }, digests: number) {
  const { send, events } = run;
  const perFrequency = frequencyFigures(run, digests);
  const busySecondsPerDigest = (send.sendSeconds * send.senders) / Math.max(1, digests);
  const cost = costPer1000Digests({
    busySecondsPerDigest,
    sesEventsSecondsPerDigest: (events.seconds * SES_EVENT_WORKERS) / Math.max(1, digests),
    plannerSecondsPerDigest: run.planner.seconds / 100_000,
    logBytesPerDigest: send.logBytes / Math.max(1, digests),
    sesEventsLogBytesPerDigest: events.logBytes / Math.max(1, digests),
    batchesPerDigest: send.batches / Math.max(1, digests),
    unitsPerDigest: { daily: perFrequency.daily, weekly: perFrequency.weekly },
  });
  return { perFrequency, busySecondsPerDigest, cost };
}

/** Units per digest for daily and for weekly readers: their own requests, plus an even share of the shared ones (papers, planner). */
function frequencyFigures(run: { send: SendResult; events: EventsResult; plan: Phase }, digests: number) {
  const countOf = (frequency: 'daily' | 'weekly') => run.send.sent.filter((email) => run.send.frequencyOf.get(email.tags.subscriber) === frequency).length;
  const figures = (frequency: 'daily' | 'weekly') => {
    const own = countOf(frequency);
    const sum = (pick: (tally: RequestTally) => number) =>
      [run.send, run.events, { phase: run.plan }].reduce(
        (total, phase) => total + pick(phase.phase.byFrequency[frequency]) / Math.max(1, own) + pick(phase.phase.byFrequency.shared) / Math.max(1, digests),
        0,
      );
    return { digests: own, requests: round(sum((t) => t.requests)), readUnits: round(sum((t) => t.readUnits)), writeUnits: round(sum((t) => t.writeUnits)) };
  };
  return { daily: figures('daily'), weekly: figures('weekly') };
}

(values.serve ? serve() : run()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
