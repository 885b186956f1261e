// A queued digest job read from its message body: the one schema the queue consumer and the local stack share.
import { isIsoDay } from './day';
import type { DigestJob } from './digest-schedule';
import { readQueuedJson, type QueuedReading } from './queued-message';
import * as z from './zod';

const digestJobSchema = z.object({
  subscriberId: z.string().check(z.minLength(1), z.maxLength(64)),
  localDate: z.string().check(z.refine(isIsoDay, 'not a YYYY-MM-DD date')),
  planned: z.optional(
    z.object({
      frequency: z.enum(['daily', 'weekly']),
      lastDigestDate: z.optional(z.string().check(z.refine(isIsoDay, 'not a YYYY-MM-DD date'))),
    }),
  ),
});

export type DigestJobReading = QueuedReading<DigestJob>;

/** Read a job from JSON; the problem names fields and rules, never the body (ids only, but still). */
export function readDigestJob(body: string): DigestJobReading {
  return readQueuedJson(digestJobSchema, body);
}
