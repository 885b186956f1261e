// Benchmark: the planner for N active subscribers all due in the same hour, on dynalite and a local SQS stand-in with real batch latency; prints one JSON line.
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient } from '../lambdas/adapters/aws/clients';
import { batchPutAll } from '../lambdas/adapters/aws/dynamo-batch';
import { DynamoSubscriberStore, subscriberToItem } from '../lambdas/adapters/aws/dynamo-subscriber-store';
import { DEFAULT_SQS_CONCURRENCY, SqsQueue } from '../lambdas/adapters/aws/sqs-queue';
import { SCHEDULE_ATTRIBUTES, tableNames } from '../lambdas/adapters/aws/table-definitions';
import { ensureTables } from '../lambdas/adapters/aws/tables';
import { startDynamo } from '../dev/emulators';
import { MemoryMetrics } from '../lambdas/adapters/metrics/memory-metrics';
import { addDays } from '../lambdas/core/day';
import { localTimeIn } from '../lambdas/core/local-time';
import type { DigestSchedule, DigestJob } from '../lambdas/core/digest-schedule';
import { seedSubscribers } from '../dev/seed-subscribers';
import type { Queue } from '../lambdas/ports';
import { planDigests } from '../lambdas/use-cases/plan-digests';

const NOW = new Date('2026-11-30T08:00:00Z');
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    'sqs-latency-ms': { type: 'string', default: '25' },
    concurrency: { type: 'string', default: String(DEFAULT_SQS_CONCURRENCY) },
    serve: { type: 'boolean', default: false },
  },
});
const N = Number(values.subscribers);
const SQS_LATENCY_MS = Number(values['sqs-latency-ms']);
const CONCURRENCY = Number(values.concurrency);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** A stand-in for SQS's JSON protocol: answers SendMessageBatch after `latencyMs`, counting messages. */
async function startFakeSqs(latencyMs: number) {
  const counts = { batches: 0, messages: 0, maxInFlight: 0 };
  let inFlight = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      inFlight += 1;
      counts.maxInFlight = Math.max(counts.maxInFlight, inFlight);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: Array<{ Id: string; MessageBody: string }> };
      setTimeout(() => {
        inFlight -= 1;
        counts.batches += 1;
        counts.messages += input.Entries.length;
        const Successful = input.Entries.map((entry) => ({
          Id: entry.Id,
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
        }));
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ Successful, Failed: [] }));
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** N confirmed subscribers across time zones, every one due at NOW (their local hour, yesterday's digest done). */
function dueSubscribers(count: number) {
  return seedSubscribers({ count, now: NOW, newId: randomUUID, seed: 7 }).map((subscriber) => {
    const local = localTimeIn(NOW, subscriber.timeZone);
    return { ...subscriber, hour: local.hour, weekday: local.weekday, lastDigestDate: addDays(local.date, -1) };
  });
}

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits + 1, booleans 1). */
function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (typeof value === 'number') bytes += Math.ceil(String(value).replace(/\D/g, '').length / 2) + 1;
    else if (typeof value === 'boolean') bytes += 1;
  }
  return bytes;
}

interface Services {
  dynamoUrl: string;
  sqsUrl: string;
}

/** The child: dynalite and the SQS stand-in, in their own process so the planner's CPU is measured alone, as in a Lambda. */
async function serve(): Promise<void> {
  const dynamo = await startDynamo({ host: '127.0.0.1', port: 0 });
  const sqs = await startFakeSqs(SQS_LATENCY_MS);
  process.send!({ dynamoUrl: dynamo.url, sqsUrl: sqs.url } satisfies Services);
  process.on('message', () => process.send!(sqs.counts));
  process.on('disconnect', () => void Promise.all([sqs.close(), dynamo.close()]).then(() => process.exit(0)));
}

async function startServices() {
  const child = fork(process.argv[1]!, ['--serve', '--sqs-latency-ms', String(SQS_LATENCY_MS)], { execArgv: process.execArgv });
  const services = await new Promise<Services>((resolve) => child.once('message', (message) => resolve(message as Services)));
  const sqsCounts = () =>
    new Promise<{ batches: number; messages: number; maxInFlight: number }>((resolve) => {
      child.once('message', (message) => resolve(message as { batches: number; messages: number; maxInFlight: number }));
      child.send('counts');
    });
  return { ...services, sqsCounts, stop: () => child.disconnect() };
}

async function main(): Promise<void> {
  const services = await startServices();
  const dynamo = { url: services.dynamoUrl };
  const sqs = { url: services.sqsUrl };
  const client = createDocumentClient({ region: 'local', endpoint: dynamo.url, credentials });
  const names = tableNames({ prefix: 'bench' });
  await ensureTables(client, names);

  // Load: BatchWrite, 25 items a call, 16 calls in flight.
  const loadStarted = performance.now();
  const items = dueSubscribers(N).map(subscriberToItem);
  const CHUNK = 25 * 40;
  let nextChunk = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let start = nextChunk; start < items.length; start = nextChunk) {
        nextChunk += CHUNK;
        await batchPutAll(client, names.subscribers, items.slice(start, start + CHUNK));
      }
    }),
  );
  const loadMs = performance.now() - loadStarted;

  // Read capacity and pages, as dynalite reports them for the planner's queries.
  const reads = { pages: 0, capacityUnits: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { IndexName?: string; ReturnConsumedCapacity?: string };
      if (input.IndexName) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      if (input.IndexName) {
        reads.pages += 1;
        reads.capacityUnits += output.ConsumedCapacity?.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );

  const clock = { now: () => NOW };
  const store = new DynamoSubscriberStore({ client, tableName: names.subscribers, clock });
  let readMs = 0;
  let enqueueMs = 0;
  let schedules: DigestSchedule[] = [];
  const timedStore = Object.assign(Object.create(store) as DynamoSubscriberStore, {
    listSchedules: async () => {
      const started = performance.now();
      schedules = await store.listSchedules();
      readMs = performance.now() - started;
      return schedules;
    },
  });
  const sqsClient = createSqsClient({ region: 'local', endpoint: sqs.url, credentials });
  const sqsQueue = new SqsQueue<DigestJob>(sqsClient, `${sqs.url}/000000000000/digests`, { concurrency: CONCURRENCY });
  const queue: Queue<DigestJob> = {
    enqueue: async (jobs) => {
      const started = performance.now();
      await sqsQueue.enqueue(jobs);
      enqueueMs = performance.now() - started;
    },
  };
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await planDigests({ subscribers: timedStore, queue, clock, logger, metrics: new MemoryMetrics() });
  const cpu = process.cpuUsage(cpuBefore);
  const planMs = performance.now() - started;
  const counts = await services.sqsCounts();
  if (summary.queued !== N || counts.messages !== N) throw new Error(`expected ${N} jobs, queued ${summary.queued}, SQS got ${counts.messages}`);

  // What one index item weighs with the INCLUDE projection (keys included), for the AWS estimate.
  const probe = await client.send(
    new QueryCommand({
      TableName: names.subscribers,
      IndexName: 'activeSubscribers',
      KeyConditionExpression: 'activeBucket = :a',
      ExpressionAttributeValues: { ':a': 'ACTIVE' },
      Limit: 1000,
    }),
  );
  const probeItems = probe.Items ?? [];
  const indexItemBytes = probeItems.reduce((sum, item) => sum + itemBytes(item), 0) / Math.max(1, probeItems.length);
  const fullItemBytes = items.slice(0, 1000).reduce((sum, item) => sum + itemBytes(item), 0) / Math.min(1000, items.length);

  const batches = Math.ceil(N / 10);
  const awsPages = Math.ceil((N * indexItemBytes) / 1_048_576);
  const estimate = {
    indexItemBytes: round(indexItemBytes),
    fullItemBytesWithAllProjection: round(fullItemBytes),
    queryPages1MB: awsPages,
    readRequestUnits: Math.ceil((N * indexItemBytes) / 4096 / 2),
    // ~100 ms per 1 MB page read and unmarshalled in a Lambda (pages are read one after another).
    readSeconds: round(awsPages * 0.1),
    sqsSeconds: {
      at20ms: round((batches * 0.02) / CONCURRENCY),
      at30ms: round((batches * 0.03) / CONCURRENCY),
    },
  };
  console.log(
    JSON.stringify({
      bench: 'plan-digests',
      node: process.version,
      subscribers: N,
      projectedAttributes: SCHEDULE_ATTRIBUTES,
      loadMs: Math.round(loadMs),
      planMs: Math.round(planMs),
      readMs: Math.round(readMs),
      enqueueMs: Math.round(enqueueMs),
      decideMs: Math.round(planMs - readMs - enqueueMs),
      planCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      itemsPerSecond: Math.round(N / (planMs / 1000)),
      sqs: { latencyMs: SQS_LATENCY_MS, concurrency: CONCURRENCY, batches: counts.batches, maxInFlight: counts.maxInFlight },
      dynalite: { pages: reads.pages, readCapacityUnits: round(reads.capacityUnits) },
      awsEstimate: estimate,
    }),
  );
  client.destroy();
  services.stop();
}

(values.serve ? serve() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
