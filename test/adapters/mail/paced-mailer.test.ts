// Pacing on a fake clock: the mailer never exceeds its rate, and retries SES throttling without sending an email twice.
import { SesError, type SendEmailInput } from '../../../lambdas/adapters/aws/ses-http';
import { SesMailer } from '../../../lambdas/adapters/aws/ses-mailer';
import { PacedMailer, type Timer } from '../../../lambdas/adapters/mail/paced-mailer';
import type { OutgoingEmail } from '../../../lambdas/ports';
import { recordingSes, sesError } from '../../support/fake-ses';

/**
 * A fake clock with its own sleepers: `run` lets the work go as far as it can, then moves the
 * clock to the earliest wake-up and wakes that sleeper, so concurrent sleeps overlap as real ones do.
 */
class FakeTimer implements Timer {
  now = 1_000_000;
  readonly sleeps: number[] = [];
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  nowMs(): number {
    return this.now;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((wake) => this.sleepers.push({ at: this.now + ms, wake }));
  }
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (!next) continue;
      this.now = Math.max(this.now, next.at);
      next.wake();
    }
    return watched;
  }
}

const email = (n: number): OutgoingEmail => ({
  to: `reader${n}@example.com`,
  subject: `Digest ${n}`,
  html: '<p>papers</p>',
  text: 'papers',
  headers: {},
  tags: { subscriber: `sub-${n}`, kind: 'digest', localDate: '2026-12-01' },
});

const throttled = () => sesError('TooManyRequestsException', 'Maximum sending rate exceeded.', 429);

/** Most calls in any window [t, t + 1 s). */
function busiestSecond(times: number[]): number {
  return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1_000).length));
}

function recordedSes(timer: FakeTimer, failFirst: (input: SendEmailInput, call: number) => Error | undefined) {
  const calls: Array<{ at: number; subscriber: string; accepted: boolean }> = [];
  const { client } = recordingSes((input, call) => {
    const subscriber = input.EmailTags!.find((tag) => tag.Name === 'subscriber')!.Value;
    const failure = failFirst(input, call);
    calls.push({ at: timer.nowMs(), subscriber, accepted: !failure });
    return failure;
  });
  return { mailer: new SesMailer({ client, fromAddress: 'digest@papertrend.local', configurationSetName: 'papertrend' }), calls };
}

describe('PacedMailer over SES', () => {
  it.each([5, 5.95, 2.1])('sends 40 emails at %d per second, never more than the rate (rounded up) in any one-second window', async (rate) => {
    const timer = new FakeTimer();
    const { mailer, calls } = recordedSes(timer, () => undefined);
    const paced = new PacedMailer(mailer, { ratePerSecond: rate, timer });
    for (let n = 0; n < 40; n += 1) await timer.run(paced.send(email(n)));
    const times = calls.map((call) => call.at);
    expect(times).toHaveLength(40);
    // A whole rate is never exceeded; a fractional one (5.95) can reach its next whole number in a second, never beyond.
    expect(busiestSecond(times)).toBeLessThanOrEqual(Math.ceil(rate));
    expect(busiestSecond(times)).toBeGreaterThanOrEqual(Math.floor(rate));
    const elapsedSeconds = (times[times.length - 1]! - times[0]!) / 1_000;
    expect(39 / elapsedSeconds).toBeLessThanOrEqual(rate);
  });

  it('retries TooManyRequests with growing, jittered waits and sends each email exactly once', async () => {
    const timer = new FakeTimer();
    // SES throttles the first three tries of email 2 and the first try of email 4.
    const refusals = new Map([
      ['sub-2', 3],
      ['sub-4', 1],
    ]);
    const { mailer, calls } = recordedSes(timer, (input) => {
      const subscriber = input.EmailTags!.find((tag) => tag.Name === 'subscriber')!.Value;
      const left = refusals.get(subscriber) ?? 0;
      if (left === 0) return undefined;
      refusals.set(subscriber, left - 1);
      return throttled();
    });
    const jitter = [0.9, 0.1, 0.5, 0.3];
    const paced = new PacedMailer(mailer, { ratePerSecond: 5, timer, random: () => jitter.shift() ?? 0, backoff: { baseMs: 200, maxMs: 5_000 } });
    const ids: string[] = [];
    for (let n = 0; n < 6; n += 1) ids.push(await timer.run(paced.send(email(n))));

    const accepted = calls.filter((call) => call.accepted).map((call) => call.subscriber);
    expect(accepted).toEqual(['sub-0', 'sub-1', 'sub-2', 'sub-3', 'sub-4', 'sub-5']);
    expect(calls.filter((call) => !call.accepted).map((call) => call.subscriber)).toEqual(['sub-2', 'sub-2', 'sub-2', 'sub-4']);
    expect(new Set(ids).size).toBe(6);
    // Backoffs: 100 + 0.9*100, 200 + 0.1*200, 400 + 0.5*400, then 100 + 0.3*100; token waits come between.
    expect(timer.sleeps).toEqual(expect.arrayContaining([190, 220, 600, 130]));
    expect(busiestSecond(calls.map((call) => call.at))).toBeLessThanOrEqual(5);
  });

  it('calls beforeSend once, after the wait for a token and before the first request, across throttled retries', async () => {
    const timer = new FakeTimer();
    const events: string[] = [];
    const { mailer, calls } = recordedSes(timer, (_input, call) => (events.push(`request ${call}`), call === 1 || call === 2 ? throttled() : undefined));
    const paced = new PacedMailer(mailer, { ratePerSecond: 2, timer, random: () => 0 });
    await timer.run(paced.send(email(0)));
    const second = paced.send(email(1), { beforeSend: async () => void events.push(`beforeSend at ${timer.nowMs()}`) });
    await timer.run(second);
    const tokenAt = calls[1]!.at;
    expect(events).toEqual(['request 0', `beforeSend at ${tokenAt}`, 'request 1', 'request 2', 'request 3']);
    expect(tokenAt).toBeGreaterThanOrEqual(calls[0]!.at + 500);
  });

  it('sends nothing when beforeSend throws, and throws its error', async () => {
    const timer = new FakeTimer();
    const { mailer, calls } = recordedSes(timer, () => undefined);
    const paced = new PacedMailer(mailer, { ratePerSecond: 10, timer });
    const refused = new Error('the day is taken');
    await expect(timer.run(paced.send(email(1), { beforeSend: async () => Promise.reject(refused) }))).rejects.toBe(refused);
    expect(calls).toHaveLength(0);
  });

  it('gives up after maxAttempts throttled tries and throws the throttling error, having sent nothing', async () => {
    const timer = new FakeTimer();
    const { mailer, calls } = recordedSes(timer, () => throttled());
    const paced = new PacedMailer(mailer, { ratePerSecond: 10, timer, maxAttempts: 4, random: () => 0 });
    await expect(timer.run(paced.send(email(1)))).rejects.toThrow('Maximum sending rate exceeded.');
    expect(calls).toHaveLength(4);
    expect(calls.every((call) => !call.accepted)).toBe(true);
  });

  it('does not retry an error that is not throttling', async () => {
    const timer = new FakeTimer();
    const { mailer, calls } = recordedSes(timer, () => sesError('MessageRejected', 'Email address is not verified.'));
    const paced = new PacedMailer(mailer, { ratePerSecond: 10, timer });
    const sending = timer.run(paced.send(email(1)));
    await expect(sending).rejects.toBeInstanceOf(SesError);
    await expect(sending).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(calls).toHaveLength(1);
  });

  it('shares one rate between concurrent callers', async () => {
    const timer = new FakeTimer();
    const { mailer, calls } = recordedSes(timer, () => undefined);
    const paced = new PacedMailer(mailer, { ratePerSecond: 4, timer });
    await timer.run(Promise.all(Array.from({ length: 12 }, (_, n) => paced.send(email(n)))));
    expect(calls).toHaveLength(12);
    expect(busiestSecond(calls.map((call) => call.at))).toBeLessThanOrEqual(4);
  });
});
