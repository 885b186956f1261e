// The load test's mix and checks at a small size, against its own stack on loopback: the same assertions `npm run load` makes at 2,000 requests.
import { startLoadStack } from '../../dev/load-stack';
import { confirmationProblems, requestMix, runLoad } from '../../dev/load-test';
import { isLoopbackUrl } from '../../bin/load';
import { CONFIRMATION_LIMITS } from '../../lambdas/use-cases/sign-ups';
import { recordingLogger } from '../support/test-app';

describe('the request mix', () => {
  it.each([50, 200, 2000, 2001])('adds up to exactly %s requests, with every kind present', (total) => {
    const { addresses, ...rest } = requestMix(total);
    const kinds = { addresses, ...rest };
    expect(Object.values(kinds).reduce((sum, count) => sum + count, 0)).toBe(total);
    for (const [kind, count] of Object.entries(kinds)) expect({ kind, present: count > 0 }).toEqual({ kind, present: true });
  });

  it('refuses a run too small to hold every kind', () => {
    expect(() => requestMix(10)).toThrow(RangeError);
  });
});

describe('the confirmation check', () => {
  const email = (to: string, at: number) => ({ destination: { to: [to] }, subject: 'Confirm your Papertrend subscription', body: {}, at });
  const accepted = new Set(['a@example.com', 'b@example.com']);

  it('passes one email per accepted address', () => {
    expect(confirmationProblems([email('a@example.com', 1000), email('b@example.com', 1001)], accepted)).toEqual([]);
  });

  it('catches a missing email, an email to an address never accepted, and two inside the cooldown', () => {
    const cooldownSeconds = CONFIRMATION_LIMITS.cooldownMs / 1000;
    expect(confirmationProblems([email('a@example.com', 1000)], accepted)).toEqual(['1 accepted addresses got no confirmation email']);
    expect(confirmationProblems([email('a@example.com', 1000), email('b@example.com', 1000), email('c@example.com', 1000)], accepted)).toEqual([
      '1 addresses that were never accepted got a confirmation email',
    ]);
    expect(
      confirmationProblems([email('a@example.com', 1000), email('a@example.com', 1000 + cooldownSeconds - 5), email('b@example.com', 1000)], accepted),
    ).toEqual(['an address got confirmation emails closer together than CONFIRMATION_LIMITS allow']);
    expect(
      confirmationProblems([email('a@example.com', 1000), email('a@example.com', 1000 + cooldownSeconds), email('b@example.com', 1000)], accepted),
    ).toEqual([]);
  });
});

describe('--url', () => {
  it.each(['http://127.0.0.1:3000', 'http://localhost:3000/prod', 'http://[::1]:3000', 'http://127.1.2.3'])('takes the loopback address %s', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each(['https://papertrend.example', 'http://10.0.0.5:3000', 'http://127.0.0.1.nip.io', 'http://[::ffff:8.8.8.8]', 'file:///etc/passwd', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(isLoopbackUrl(url)).toBe(false);
    },
  );
});

describe('a load run of 200 requests on its own stack', () => {
  it('answers no 5xx, stores each accepted address once, mails each one confirmation, and applies every unsubscribe', async () => {
    const lines: string[] = [];
    const stack = await startLoadStack(recordingLogger(lines));
    try {
      const report = await runLoad(stack, { requests: 200, concurrency: 16, maxSeconds: 120, runId: 'jest', seed: 7 });
      expect(report.failures).toEqual([]);
      expect(report).toMatchObject({ requests: 200, non2xx4xx: 0, lostUnsubscribes: 0, rateLimited: 0 });
      expect(report.storedSubscribers).toBe(report.distinctAddresses);
      expect(report.confirmationsSent).toBe(report.distinctAddresses);
      expect(report.unsubscribes).toBeGreaterThan(0);
      expect(report.signUps).toBeGreaterThan(report.distinctAddresses);
      expect(lines.filter((line) => /"level":"error"/.test(line))).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});
