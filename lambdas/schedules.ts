// The one schedule table: the CDK stack makes an EventBridge Scheduler schedule of each entry, the local stack a timer (dev/schedule-timers.ts).

/** Cron fields in UTC, as EventBridge Scheduler and CDK's `CronOptions` spell them ('*' for every). */
export interface CronFields {
  minute: string;
  hour: string;
}

export interface ScheduledRun {
  /** Names the run and says when it runs; the construct id of the schedule in the CDK stack. */
  name: string;
  /** The Lambda handler it invokes (file under lambdas/handlers/). */
  handler: 'fetch-papers' | 'plan-digests';
  cron: CronFields;
  /** What the run is for, for the schedule's description. */
  summary: string;
}

export const schedules: readonly ScheduledRun[] = [
  /*
   * Papers are stored by UTC day and a digest reads yesterday's and today's. arXiv lists a day's
   * papers from 00:00 UTC, but HF's daily list (the upvotes that make a paper trend) fills during
   * the US day, so a fetch early in the UTC day stores a nearly empty HF list that is never read
   * again. 21:30 UTC is late in the US working day (17:30 New York, 14:30 San Francisco) and still
   * before 07:00 local everywhere from UTC-12 to UTC+9: the Americas, Europe, Africa, India, China,
   * Korea and Japan get that day's full list in their morning digest. Only UTC+10 and east
   * (eastern Australia, New Zealand) see it a day later. Half past, so it finishes before the
   * planner's run on the hour.
   */
  {
    name: 'FetchPapersDaily2130Utc',
    handler: 'fetch-papers',
    cron: { minute: '30', hour: '21' },
    summary: 'Fetch, merge and store the UTC day’s trending papers',
  },
  { name: 'PlanDigestsHourly', handler: 'plan-digests', cron: { minute: '0', hour: '*' }, summary: 'Queue a digest job for every subscriber due this hour' },
];
