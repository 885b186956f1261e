// The crash test: seeds readers on the local stack, kills `npm run digest` runs at random points, reruns until done, and counts what reached the mailbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Subscriber } from '../lambdas/core/model';
import { seedSubscribers } from './seed-subscribers';

const ROOT = resolve(__dirname, '..');

/** Where the stack under test answers, and what a digest run needs to reach it. */
export interface ChaosStack {
  /** The environment a child `npm run digest` gets (ports, data folder), added to this process's. */
  env: Record<string, string>;
  mailboxUrl: string;
  documentClient: DynamoDBDocumentClient;
  ledgerTable: string;
  createSubscriber(subscriber: Subscriber): Promise<boolean>;
}

export interface ChaosOptions {
  subscribers: number;
  kills: number;
  /** CLAIM_LEASE_SECONDS for the digest runs: how long an interrupted send waits before it is closed as unknown. */
  leaseSeconds: number;
  /** Progress lines (stderr). */
  say?: (line: string) => void;
  random?: () => number;
}

export interface ChaosReport {
  subscribers: number;
  /** Digests in the mailbox for the seeded readers. */
  digests: number;
  /** Digests beyond the first for a reader. */
  duplicates: number;
  /** Readers who got no digest. */
  missing: number;
  /** Days closed as unknown: a run died inside SendEmail, and SES sent no Send event for it. */
  unknownOutcome: number;
  /** Missing readers whose day is not unknown: a broken promise. */
  unexplainedMissing: number;
  /** The readers whose day is unknown (ids, never addresses). */
  unknownSubscribers: string[];
  /** Days recorded sent from SES's Send event: a run died after SES took the email, before it could record it. */
  settledBySendEvent: number;
  kills: number;
  runs: number;
  wallSeconds: number;
}

/** Digest runs after the kills before giving up on readers still `sending`. */
const MAX_RERUNS = 6;

export async function runChaos(stack: ChaosStack, options: ChaosOptions): Promise<ChaosReport> {
  const started = performance.now();
  const say = options.say ?? (() => {});
  const random = options.random ?? Math.random;
  const readers = await seed(stack, options.subscribers);
  say(`seeded ${readers.length} readers`);

  let kills = 0;
  let runs = 0;
  for (let kill = 1; kill <= options.kills; kill += 1) {
    // Kill after a random number of this run's digests, spreading the kills over the readers left.
    const left = readers.length - (await settledCount(stack, readers));
    const after = 1 + Math.floor(random() * Math.max(1, left / (options.kills - kill + 1)));
    const killed = await digestRun(stack, options, { killAfterDigests: after, extraDelayMs: random() * 40 });
    runs += 1;
    if (killed) kills += 1;
    say(`run ${runs}: ${killed ? `killed after ${after} digests` : 'finished before the kill'}`);
  }
  for (let rerun = 0; rerun < MAX_RERUNS; rerun += 1) {
    // An interrupted send stays `sending` for the lease; the next run closes it.
    await new Promise((done) => setTimeout(done, options.leaseSeconds * 1000 + 250));
    await digestRun(stack, options);
    runs += 1;
    const settled = await settledCount(stack, readers);
    say(`run ${runs}: ${settled} of ${readers.length} readers settled`);
    if (settled === readers.length) break;
  }
  return { ...(await count(stack, readers)), kills, runs, wallSeconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function seed(stack: ChaosStack, count: number): Promise<Subscriber[]> {
  const run = randomUUID().slice(0, 8);
  // Every reader gets an email every day, papers or not, so the mailbox tells exactly who got their day.
  const readers = seedSubscribers({ count, now: new Date(), newId: randomUUID, domain: `chaos-${run}.example`, seed: 7 }).map((reader) => ({
    ...reader,
    sendEmptyDigest: true,
  }));
  for (const reader of readers) if (!(await stack.createSubscriber(reader))) throw new Error('a seeded reader already exists');
  return readers;
}

/** One `npm run digest` (the recorded papers in samples/, listed today); with `kill`, SIGKILLed after that many digests. Resolves true if it was killed. */
async function digestRun(stack: ChaosStack, options: ChaosOptions, kill?: { killAfterDigests: number; extraDelayMs: number }): Promise<boolean> {
  // One process (node with tsx's loader), so SIGKILL kills the run itself; the tsx wrapper would leave its child running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/cli.ts', 'digest', '--replay', 'samples', '--verbose'], {
    cwd: ROOT,
    env: { ...process.env, ...stack.env, CLAIM_LEASE_SECONDS: String(options.leaseSeconds) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let killed = false;
  let done = 0;
  const killNow = () => {
    if (killed || child.exitCode !== null) return;
    killed = true;
    child.kill('SIGKILL');
  };
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (!line.includes('"digest done"')) return;
    done += 1;
    if (kill && done >= kill.killAfterDigests) setTimeout(killNow, kill.extraDelayMs);
  });
  await exited(child);
  options.say?.(`  digest run: ${done} digests logged, exit ${child.exitCode ?? child.signalCode}`);
  return killed;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => child.once('exit', () => done()));
}

interface DayRecord {
  status: string;
  settledBy?: string;
}

/** Each reader's ledger days (every local date: time zones put readers on different dates). */
async function ledgerDays(stack: ChaosStack, reader: Subscriber): Promise<DayRecord[]> {
  const { Items } = await stack.documentClient.send(
    new QueryCommand({
      TableName: stack.ledgerTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :digest)',
      ExpressionAttributeValues: { ':pk': `SUB#${reader.id}`, ':digest': 'DIGEST#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as DayRecord[];
}

/** Readers whose day is settled: an entry that is no longer `sending`. */
async function settledCount(stack: ChaosStack, readers: Subscriber[]): Promise<number> {
  const days = await Promise.all(readers.map((reader) => ledgerDays(stack, reader)));
  return days.filter((entries) => entries.length > 0 && entries.every((entry) => entry.status !== 'sending')).length;
}

async function count(stack: ChaosStack, readers: Subscriber[]): Promise<Omit<ChaosReport, 'kills' | 'runs' | 'wallSeconds'>> {
  const response = await fetch(`${stack.mailboxUrl}/store`);
  const { emails } = (await response.json()) as { emails: Array<{ destination: { to: string[] } }> };
  const received = new Map<string, number>();
  for (const email of emails) for (const to of email.destination.to) received.set(to, (received.get(to) ?? 0) + 1);

  const unknownSubscribers: string[] = [];
  let settledBySendEvent = 0;
  for (const reader of readers) {
    const days = await ledgerDays(stack, reader);
    if (days.some((day) => day.status === 'unknown')) unknownSubscribers.push(reader.id);
    settledBySendEvent += days.filter((day) => day.settledBy === 'ses-send-event').length;
  }
  const counts = readers.map((reader) => received.get(reader.email) ?? 0);
  const missingIds = readers.filter((_, index) => counts[index] === 0).map((reader) => reader.id);
  return {
    subscribers: readers.length,
    digests: counts.reduce((sum, n) => sum + n, 0),
    duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    missing: missingIds.length,
    unknownOutcome: unknownSubscribers.length,
    unexplainedMissing: missingIds.filter((id) => !unknownSubscribers.includes(id)).length,
    unknownSubscribers,
    settledBySendEvent,
  };
}
