// Lambda (daily schedule): fetch a day's papers from every source, merge and store them.
import * as z from '../core/zod';
import { composeFetchPapers } from '../compose';
import { loadConfig } from '../config';
import { isIsoDay, utcDay } from '../core/day';
import { lambdaHandler } from '../lambda-handler';
import { fetchPapers, type FetchPapersSummary } from '../use-cases/fetch-papers';

/** EventBridge Scheduler input may name a day to (re)fetch; otherwise today's UTC day. Other fields are ignored. */
const eventSchema = z.nullish(z.object({ day: z.optional(z.string().check(z.refine(isIsoDay, 'must be a calendar day, YYYY-MM-DD'))) }));

/** An input the function cannot act on; the run does nothing and says why. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export const handler = lambdaHandler(composeFetchPapers(loadConfig(process.env, 'fetch-papers')), async (app, event: unknown): Promise<FetchPapersSummary> => {
  const input = eventSchema.safeParse(event);
  if (!input.success)
    throw new InvalidEventError(`fetch-papers input: ${input.error.issues.map((i) => `${i.path.join('.') || 'event'} ${i.message}`).join('; ')}`);
  return fetchPapers(app.fetchPapersDeps(), input.data?.day ?? utcDay(app.clock.now()));
});
