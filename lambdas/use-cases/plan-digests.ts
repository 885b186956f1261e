// Use case: find the subscribers whose digest is due now, in their own time zone, and queue one job each.
import { digestDue, type DigestJob } from '../core/digest-schedule';
import type { Clock, Logger, Metrics, Queue, SubscriberStore } from '../ports';

export interface PlanDigestsDeps {
  subscribers: SubscriberStore;
  queue: Queue<DigestJob>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export interface PlanDigestsSummary {
  active: number;
  queued: number;
}

/** How a planning run decides who is due. */
export interface PlanOptions {
  /** Send today's digest regardless of the hour chosen. */
  ignoreHour?: boolean;
  /** The moment whose local days are planned (a replayed day); the clock's now when absent. */
  asOf?: Date | undefined;
}

/** Queue a digest job for every active subscriber who is due at `asOf` (now); `ignoreHour` sends that day's regardless of hour. */
export async function planDigests(deps: PlanDigestsDeps, options: PlanOptions = {}): Promise<PlanDigestsSummary> {
  const now = options.asOf ?? deps.clock.now();
  const active = await deps.subscribers.listSchedules();
  const jobs: DigestJob[] = [];
  for (const schedule of active) {
    const job = digestDue(schedule, now, options.ignoreHour ?? false);
    const { frequency, lastDigestDate } = schedule;
    if (job) jobs.push({ ...job, planned: lastDigestDate === undefined ? { frequency } : { frequency, lastDigestDate } });
  }
  await deps.queue.enqueue(jobs);
  const summary = { active: active.length, queued: jobs.length };
  deps.metrics.count('JobsQueued', jobs.length);
  deps.logger.info('digests planned', { ...summary });
  return summary;
}
