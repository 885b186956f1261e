// Reading a queued job from its message body: JSON parsed, then checked against the job's schema; the one way every queue consumer reads its jobs.
import type * as z from './zod';

export type QueuedReading<T> = { ok: true; job: T } | { ok: false; problem: string };

/** Read a job from JSON with `schema`; the problem names fields and rules, never the body (it may hold an address). */
export function readQueuedJson<T>(schema: z.ZodMiniType<T>, body: string): QueuedReading<T> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the message body is not JSON' };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, job: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
}
