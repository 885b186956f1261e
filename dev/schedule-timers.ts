// The local stack's stand-in for EventBridge Scheduler: a timer per entry of the schedule table.
import { schedules, type CronFields, type ScheduledRun } from '../lambdas/schedules';

/** The next time after `now` at which `cron` fires (minute and hour fields: a number or '*'). */
export function nextRun(cron: CronFields, now: Date): Date {
  const matches = (field: string, value: number) => field === '*' || Number(field) === value;
  const next = new Date(now);
  next.setUTCSeconds(0, 0);
  for (let i = 0; i < 48 * 60; i += 1) {
    next.setUTCMinutes(next.getUTCMinutes() + 1);
    if (matches(cron.minute, next.getUTCMinutes()) && matches(cron.hour, next.getUTCHours())) return next;
  }
  throw new RangeError(`cron ${cron.minute} ${cron.hour} never fires: use a number or '*' in each field`);
}

/**
 * The local stack's stand-in for EventBridge Scheduler: runs each schedule's runner at its times
 * (a `runners` entry is required for every handler in the table). Returns a function that stops it.
 */
export function startScheduleTimers(runners: Record<ScheduledRun['handler'], () => void>, now: () => Date = () => new Date()): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const arm = (run: ScheduledRun) => {
    const at = now();
    timers.set(
      run.name,
      setTimeout(
        () => {
          runners[run.handler]();
          arm(run);
        },
        nextRun(run.cron, at).getTime() - at.getTime(),
      ),
    );
  };
  for (const run of schedules) arm(run);
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
