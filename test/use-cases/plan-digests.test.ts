// The hourly planner over several days with a fixed clock, across DST changes and odd offsets: one job per subscriber per local day, at their hour.
import { DynamoLedger } from '../../lambdas/adapters/aws/dynamo-ledger';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import type { DigestJob } from '../../lambdas/core/digest-schedule';
import type { Frequency, Subscriber } from '../../lambdas/core/model';
import type { Logger, Queue } from '../../lambdas/ports';
import { planDigests } from '../../lambdas/use-cases/plan-digests';
import { ManualClock, type TestDynamo, useDynamo } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';

const HOUR = 3_600_000;
const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };

let dynamo: TestDynamo;
useDynamo((started) => (dynamo = started));

/** Wall clock in a zone, computed here with toLocaleString so the test does not lean on core/local-time. */
function wallClock(instant: Date, timeZone: string): { date: string; hour: number; weekday: number } {
  const text = instant.toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' }); // "2026-03-29 02:00:00"
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(instant.toLocaleString('en-US', { timeZone, weekday: 'short' })) + 1;
  return { date: text.slice(0, 10), hour: Number(text.slice(11, 13)), weekday };
}

interface Choice {
  timeZone: string;
  hour: number;
  frequency: Frequency;
  /** ISO weekday, weekly only. */
  weekday?: number;
}

const CHOICES: Choice[] = [
  // London: 01:00 is skipped on 2026-03-29 and happens twice on 2026-10-25 (both Sundays).
  ...[0, 1, 2, 23].map((hour) => ({ timeZone: 'Europe/London', hour, frequency: 'daily' as const })),
  { timeZone: 'Europe/London', hour: 1, frequency: 'weekly', weekday: 7 },
  // UTC+14: the local date is a day ahead of UTC for ten hours of every UTC day.
  ...[0, 7, 23].map((hour) => ({ timeZone: 'Pacific/Kiritimati', hour, frequency: 'daily' as const })),
  { timeZone: 'Pacific/Kiritimati', hour: 0, frequency: 'weekly', weekday: 1 },
  // UTC-3:30 / -2:30: ticks on the UTC hour land at :30 local. 02:00 is skipped on 2026-03-08, 01:00 repeated on 2026-11-01.
  ...[0, 1, 2, 3, 7, 23].map((hour) => ({ timeZone: 'America/St_Johns', hour, frequency: 'daily' as const })),
  { timeZone: 'America/St_Johns', hour: 2, frequency: 'weekly', weekday: 7 },
];

interface Run {
  subscribers: Array<Subscriber & Choice>;
  ticks: Date[];
  /** Every job queued, with the tick that queued it. */
  queued: Array<DigestJob & { at: Date }>;
}

/** A weekly subscriber's last digest: their weekday on or before `date`, so the next one falls on their weekday. */
function lastWeekday(date: string, weekday: number, todays: number): string {
  const back = (todays - weekday + 7) % 7;
  return new Date(Date.parse(`${date}T00:00:00Z`) - back * 24 * HOUR).toISOString().slice(0, 10);
}

/**
 * Tick the planner from `start` for `days` days at the given minutes past each UTC hour; after
 * each tick every job is delivered as the sender would (ledger claim, then markDigestSent).
 */
async function runPlanner(start: string, days: number, minutes: number[]): Promise<Run> {
  const tables: TableNames = await dynamo.createTables();
  const clock = new ManualClock(start);
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock });
  const ledger = new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock });
  const run: Run = { subscribers: [], ticks: [], queued: [] };
  for (const choice of CHOICES) {
    const local = wallClock(clock.now(), choice.timeZone);
    // Today (local) counts as done, so each day checked below starts before its hour.
    const lastDigestDate = choice.frequency === 'weekly' ? lastWeekday(local.date, choice.weekday!, local.weekday) : local.date;
    const subscriber = { ...makeSubscriber({ ...choice, weekday: choice.weekday ?? 1, lastDigestDate }), ...choice };
    expect(await subscribers.create(subscriber)).toBe(true);
    run.subscribers.push(subscriber);
  }
  let batch: DigestJob[] = [];
  const queue: Queue<DigestJob> = { enqueue: async (jobs) => void (batch = jobs) };
  const startMs = Date.parse(start);
  for (let hour = 0; hour < days * 24; hour += 1) {
    for (const minute of minutes) {
      clock.advance(startMs + hour * HOUR + minute * 60_000 - clock.now().getTime());
      run.ticks.push(clock.now());
      await planDigests({ subscribers, queue, clock, logger: silent, metrics: new MemoryMetrics() });
      for (const job of batch) {
        run.queued.push({ ...job, at: clock.now() });
        // A job planned twice would find its slot taken here.
        expect(await ledger.beginSend(job.subscriberId, job.localDate, [])).toBeDefined();
        await ledger.markSent(job.subscriberId, job.localDate, `m-${job.subscriberId}`);
        await subscribers.markDigestSent(job.subscriberId, job.localDate);
      }
    }
  }
  return run;
}

/** For each subscriber: the local dates it must get a job on, and the first tick at or after its hour on each. */
function expectExactlyOnePerLocalDay(run: Run): void {
  for (const subscriber of run.subscribers) {
    const firstDate = wallClock(run.ticks[0]!, subscriber.timeZone).date;
    const expected = new Map<string, Date>();
    for (const tick of run.ticks) {
      const local = wallClock(tick, subscriber.timeZone);
      if (local.date === firstDate || local.hour < subscriber.hour || expected.has(local.date)) continue;
      if (subscriber.frequency === 'weekly' && local.weekday !== subscriber.weekday) continue;
      expected.set(local.date, tick);
    }
    const got = run.queued.filter((job) => job.subscriberId === subscriber.id);
    const label = `${subscriber.timeZone} ${subscriber.frequency} ${subscriber.hour}h`;
    expect({ label, jobs: got.map((job) => [job.localDate, job.at.toISOString()]) }).toEqual({
      label,
      jobs: [...expected].map(([date, tick]) => [date, tick.toISOString()]),
    });
    if (subscriber.frequency === 'daily') expect(expected.size).toBeGreaterThanOrEqual(3);
  }
}

const queuedAt = (run: Run, choice: Choice, localDate: string) =>
  run.queued
    .filter((job) => {
      const subscriber = run.subscribers.find((s) => s.id === job.subscriberId)!;
      return subscriber.timeZone === choice.timeZone && subscriber.hour === choice.hour && subscriber.frequency === choice.frequency;
    })
    .filter((job) => job.localDate === localDate)
    .map((job) => job.at.toISOString());

describe('planDigests, ticked hourly over DST changes and odd offsets', () => {
  it('Europe/London spring forward (2026-03-29): the skipped 01:00 sends at 02:00 BST, once', async () => {
    const run = await runPlanner('2026-03-27T00:00:00Z', 4, [0]);
    expectExactlyOnePerLocalDay(run);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 1, frequency: 'daily' }, '2026-03-29')).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 1, frequency: 'daily' }, '2026-03-30')).toEqual(['2026-03-30T00:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 1, frequency: 'weekly', weekday: 7 }, '2026-03-29')).toEqual(['2026-03-29T01:00:00.000Z']);
    // Kiritimati's midnight is 10:00 UTC the day before.
    expect(queuedAt(run, { timeZone: 'Pacific/Kiritimati', hour: 0, frequency: 'daily' }, '2026-03-29')).toEqual(['2026-03-28T10:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Pacific/Kiritimati', hour: 0, frequency: 'weekly', weekday: 1 }, '2026-03-30')).toEqual(['2026-03-29T10:00:00.000Z']);
  });

  it('Europe/London fall back (2026-10-25): the repeated 01:00 sends once, at the first one', async () => {
    const run = await runPlanner('2026-10-23T00:00:00Z', 4, [0]);
    expectExactlyOnePerLocalDay(run);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 1, frequency: 'daily' }, '2026-10-25')).toEqual(['2026-10-25T00:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 1, frequency: 'weekly', weekday: 7 }, '2026-10-25')).toEqual(['2026-10-25T00:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 2, frequency: 'daily' }, '2026-10-25')).toEqual(['2026-10-25T02:00:00.000Z']);
  });

  it('America/St_Johns on the UTC hour: each day at :30 past the chosen hour, across the 2026-03-08 change', async () => {
    const run = await runPlanner('2026-03-06T00:00:00Z', 4, [0]);
    expectExactlyOnePerLocalDay(run);
    // NST (UTC-3:30) before the change, NDT (UTC-2:30) after it.
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 7, frequency: 'daily' }, '2026-03-07')).toEqual(['2026-03-07T11:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 7, frequency: 'daily' }, '2026-03-09')).toEqual(['2026-03-09T10:00:00.000Z']);
    // 02:00 does not exist on 2026-03-08: the first tick after is 03:30 NDT.
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 2, frequency: 'daily' }, '2026-03-08')).toEqual(['2026-03-08T06:00:00.000Z']);
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 2, frequency: 'weekly', weekday: 7 }, '2026-03-08')).toEqual(['2026-03-08T06:00:00.000Z']);
  });

  it('America/St_Johns ticked at :00 and :30: on the hour itself, and once on the repeated 01:00 of 2026-11-01', async () => {
    const run = await runPlanner('2026-10-30T00:00:00Z', 4, [0, 30]);
    expectExactlyOnePerLocalDay(run);
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 7, frequency: 'daily' }, '2026-10-31')).toEqual(['2026-10-31T09:30:00.000Z']);
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 7, frequency: 'daily' }, '2026-11-02')).toEqual(['2026-11-02T10:30:00.000Z']);
    expect(queuedAt(run, { timeZone: 'America/St_Johns', hour: 1, frequency: 'daily' }, '2026-11-01')).toEqual(['2026-11-01T03:30:00.000Z']);
    expect(queuedAt(run, { timeZone: 'Europe/London', hour: 23, frequency: 'daily' }, '2026-10-31')).toEqual(['2026-10-31T23:00:00.000Z']); // GMT again by then
  });
});
