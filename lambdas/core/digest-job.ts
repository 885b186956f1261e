// A queued digest job read from its message body: the one schema the queue consumer and the local stack share.
import { isIsoDay } from './day';
import type { DigestJob } from './digest-schedule';
import * as z from './zod';

const digestJobSchema = z.object({
  subscriberId: z.string().check(z.minLength(1), z.maxLength(64)),
  localDate: z.string().check(z.refine(isIsoDay, 'not a YYYY-MM-DD date')),
});

export type DigestJobReading = { ok: true; job: DigestJob } | { ok: false; problem: string };

/** Read a job from JSON; the problem names fields and rules, never the body (ids only, but still). */
export function readDigestJob(body: string): DigestJobReading {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the message body is not JSON' };
  }
  const parsed = digestJobSchema.safeParse(value);
  if (parsed.success) return { ok: true, job: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
}
