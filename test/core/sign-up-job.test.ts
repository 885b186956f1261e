import { readSignUpJob } from '../../lambdas/core/sign-up-job';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';

const job = { email: 'ada@example.com', preferences: { ...DEFAULT_PREFERENCES, topics: 'agents' }, requestedAt: '2026-11-28T10:00:00.000Z' };
const body = (changes: Record<string, unknown>) => JSON.stringify({ ...job, ...changes });

describe('readSignUpJob', () => {
  it('reads a job', () => {
    expect(readSignUpJob(JSON.stringify(job))).toEqual({ ok: true, job });
  });

  it('carries the "nothing new" choice, and reads a job queued before it existed as no email on such days', () => {
    const chosen = { ...job, preferences: { ...job.preferences, sendEmptyDigest: true } };
    expect(readSignUpJob(JSON.stringify(chosen))).toEqual({ ok: true, job: chosen });
    const { sendEmptyDigest: _left, ...older } = job.preferences;
    expect(readSignUpJob(JSON.stringify({ ...job, preferences: older }))).toEqual({ ok: true, job });
  });

  it.each([
    ['not json', 'not json', 'the message body is not JSON'],
    ['an address that is not normalised', body({ email: 'Ada@EXAMPLE.com' }), 'email: not a normalised email address'],
    ['a header injection', body({ email: 'a@x.com\r\nBcc: y@evil.test' }), 'email: not a normalised email address'],
    ['an hour out of range', body({ preferences: { ...job.preferences, hour: 24 } }), 'preferences.hour: Too big: expected number to be <=23'],
    ['an unknown time zone', body({ preferences: { ...job.preferences, timeZone: 'Mars/Olympus' } }), 'preferences.timeZone: unknown time zone'],
    ['a request time that is no time', body({ requestedAt: 'yesterday' }), 'requestedAt: Invalid ISO datetime'],
    ['an extra field', body({ status: 'confirmed' }), '(root): Unrecognized key: "status"'],
  ])('refuses %s, naming the field and never the address', (_label, text, problem) => {
    const reading = readSignUpJob(text);
    expect(reading).toEqual({ ok: false, problem });
    expect(JSON.stringify(reading)).not.toMatch(/example\.com|evil/i);
  });
});
