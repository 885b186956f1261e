// Use case: one whole cycle in one process (fetch, store, plan, send), for the local stack and `npm run digest`.
import type { DigestJob } from '../core/digest-schedule';
import { describeError } from '../core/errors';
import type { DrainOptions, WorkQueue } from '../ports';
import { fetchPapers, type FetchPapersDeps, type FetchPapersSummary } from './fetch-papers';
import { planDigests } from './plan-digests';
import { DigestSender, type DigestOutcome, type SendDigestDeps } from './send-digest';

export type DigestCycleDeps = FetchPapersDeps & SendDigestDeps & { queue: WorkQueue<DigestJob> };

export interface DigestCycleSummary {
  papers: FetchPapersSummary;
  subscribers: { active: number; due: number };
  digests: Record<DigestOutcome, number> & { failed: number };
  elapsedMs: number;
}

/**
 * Fetch and store `day`'s papers, then send the digest of every subscriber who is due (or, with
 * `ignoreHour`, everyone who has not had today's). Failed sends are retried, then counted as failed.
 * `asOf` replays another moment (`npm run digest -- --date`): it picks the local days planned and
 * the papers selected, while stored state and the links' tokens keep the real clock.
 */
export async function runDigestCycle(
  deps: DigestCycleDeps,
  options: { day: string; ignoreHour: boolean; asOf?: Date | undefined } & Pick<DrainOptions, 'maxAttempts' | 'backoff'>,
): Promise<DigestCycleSummary> {
  const started = performance.now();
  const papers = await fetchPapers(deps, options.day);
  const planned = await planDigests(deps, { ignoreHour: options.ignoreHour, asOf: options.asOf });
  const sender = new DigestSender(deps, { asOf: options.asOf });
  const drained = await deps.queue.drain((job) => sender.send(job), {
    maxAttempts: options.maxAttempts ?? 3,
    backoff: options.backoff,
  });

  const digests: DigestCycleSummary['digests'] = {
    sent: 0,
    empty: 0,
    'already-sent': 0,
    'in-progress': 0,
    'not-active': 0,
    'not-found': 0,
    rejected: 0,
    unknown: 0,
    'already-failed': 0,
    failed: drained.deadLettered.length,
  };
  for (const { result } of drained.done) digests[result] += 1;
  for (const { job, error } of drained.deadLettered) {
    deps.logger.error('digest failed after retries', { subscriberId: job.subscriberId, localDate: job.localDate, ...describeError(error) });
  }
  return {
    papers,
    subscribers: { active: planned.active, due: planned.queued },
    digests,
    elapsedMs: Math.round(performance.now() - started),
  };
}
