// The whole cycle against dynalite and the SES mailbox: fetch (recorded responses), store, plan, select, render, send.
import { resolve } from 'node:path';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { composeLocalCycle, type LocalApp as App } from '../../lambdas/compose';
import { verifyToken } from '../../lambdas/core/tokens';
import type { Mailer } from '../../lambdas/ports';
import { runDigestCycle } from '../../lambdas/use-cases/run-digest-cycle';
import { type MailboxEmail, ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'sources');
const DAY = '2026-11-20';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let logLines: string[];

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeEach(async () => {
  await mailbox.clear();
  tables = await dynamo.createTables();
  clock = new ManualClock(`${DAY}T09:30:00Z`);
  logLines = [];
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), publicBaseUrl: 'http://127.0.0.1:3999/' });
});

const cycle = (overrides: Partial<ReturnType<typeof composeLocalCycle>> = {}) =>
  runDigestCycle(
    { ...composeLocalCycle(app, { replayDir: FIXTURES }), ...overrides },
    { day: clock.now().toISOString().slice(0, 10), ignoreHour: true, backoff: async () => {} },
  );

const header = (email: MailboxEmail, name: string) => email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

async function addSubscribers() {
  const everything = makeSubscriber({ email: 'everything@example.com', topics: '' });
  const narrow = makeSubscriber({ email: 'narrow+papers@example.com', topics: 'quantization, "language model"', maxPapers: 2 });
  const paused = makeSubscriber({ email: 'paused@example.com', paused: true });
  const pending = makeSubscriber({ email: 'pending@example.com', status: 'pending' });
  for (const subscriber of [everything, narrow, paused, pending]) expect(await app.subscribers.create(subscriber)).toBe(true);
  return { everything, narrow, paused, pending };
}

describe('a digest cycle against dynalite and the SES mailbox', () => {
  it('sends one digest per active subscriber, with HTML, text and working List-Unsubscribe headers', async () => {
    const { everything, narrow } = await addSubscribers();
    const summary = await cycle();

    expect(summary.papers.stored).toBeGreaterThan(0);
    expect(summary.subscribers).toEqual({ active: 2, due: 2 });
    expect(summary.digests).toMatchObject({ sent: 2, failed: 0 });

    const emails = await mailbox.emails();
    expect(emails.map((email) => email.destination.to[0]).sort()).toEqual([everything.email, narrow.email].sort());
    for (const email of emails) {
      expect(email.body.html).toContain('<html');
      expect(email.body.text).toMatch(/\S/);
      expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const link = header(email, 'List-Unsubscribe')?.match(/^<(http:\/\/127\.0\.0\.1:3999\/unsubscribe\?token=([^>]+))>$/);
      expect(link).not.toBeNull();
      const check = verifyToken(app.config.keyring, decodeURIComponent(link![2]!), 'unsubscribe', clock.now());
      const owner = email.destination.to[0] === everything.email ? everything : narrow;
      expect(check).toMatchObject({ ok: true, subscriberId: owner.id });
      expect(email.body.html).toContain(link![1]!.replace(/&/g, '&amp;'));
    }
    const narrowEmail = emails.find((email) => email.destination.to[0] === narrow.email)!;
    expect(narrowEmail.body.text).toMatch(/quantization|language model/i);

    const stored = await app.subscribers.get(everything.id);
    expect(stored?.lastDigestDate).toBe(DAY);
    expect(logLines.join('\n')).not.toMatch(/@example\.com/);
  });

  it('sends nothing more when the same day runs again', async () => {
    await addSubscribers();
    await cycle();
    const first = await mailbox.emails();
    const again = await cycle();
    expect(await mailbox.emails()).toHaveLength(first.length);
    expect(again.digests.sent).toBe(0);
  });

  it('never sends a paper twice on a later day', async () => {
    const { narrow, everything } = await addSubscribers();
    await cycle();
    const { sentPaperIds: firstIds } = await app.ledger.history(everything.id, DAY);
    expect(firstIds.size).toBeGreaterThan(0);
    clock.advance(24 * 3600 * 1000);
    await cycle();
    const emails = await mailbox.emails();
    const secondEverything = emails.filter((email) => email.destination.to[0] === everything.email).slice(1);
    for (const email of secondEverything) for (const id of firstIds) expect(email.body.text).not.toContain(`arxiv.org/abs/${id}\n`);
    // The narrow filter's few matches were all sent the first day: nothing new, so no second email.
    expect(emails.filter((email) => email.destination.to[0] === narrow.email)).toHaveLength(1);
  });

  it('sends each digest once when two cycles race on the same day', async () => {
    await addSubscribers();
    const [a, b] = await Promise.all([cycle(), cycle()]);
    expect(a.digests.sent + b.digests.sent).toBe(2);
    const recipients = (await mailbox.emails()).map((email) => email.destination.to[0]);
    expect(new Set(recipients).size).toBe(recipients.length);
  });

  it('retries a failed send and delivers the digest exactly once', async () => {
    const { everything } = await addSubscribers();
    let failures = 0;
    const flaky: Mailer = {
      send: async (email, options) => {
        if (email.to === everything.email && failures === 0) {
          failures += 1;
          throw new Error('SES throttled');
        }
        return app.mailer.send(email, options);
      },
    };
    const summary = await cycle({ mailer: flaky });
    expect(failures).toBe(1);
    expect(summary.digests).toMatchObject({ sent: 2, failed: 0 });
    expect((await mailbox.emails()).filter((email) => email.destination.to[0] === everything.email)).toHaveLength(1);
  });

  it('counts a send that keeps failing as failed and leaves its day open for a later run', async () => {
    const { everything } = await addSubscribers();
    const broken: Mailer = { send: async () => Promise.reject(new Error('SES is down')) };
    const summary = await cycle({ mailer: broken });
    expect(summary.digests).toMatchObject({ sent: 0, failed: 2 });
    expect(logLines.some((line) => line.includes('digest failed after retries'))).toBe(true);
    const retry = await cycle();
    expect(retry.digests.sent).toBe(2);
    expect((await mailbox.emails()).filter((email) => email.destination.to[0] === everything.email)).toHaveLength(1);
  });
});

describe('npm run digest --date (a replay day)', () => {
  const FUTURE = '2026-12-05';

  it('selects the papers and local day of the date but stamps state and tokens with the real clock, and later runs still plan', async () => {
    const reader = makeSubscriber({ email: 'replay@example.com', sendEmptyDigest: true });
    expect(await app.subscribers.create(reader)).toBe(true);
    const deps = composeLocalCycle(app, { replayDir: FIXTURES });
    const replay = await runDigestCycle(deps, { day: FUTURE, asOf: new Date(`${FUTURE}T12:00:00Z`), ignoreHour: true, backoff: async () => {} });
    expect(replay.digests).toMatchObject({ sent: 1, failed: 0 });
    expect((await app.ledger.history(reader.id, FUTURE)).day).toMatchObject({ status: 'sent' });

    const realNow = clock.now();
    const stored = (await app.subscribers.get(reader.id))!;
    expect(Date.parse(stored.updatedAt)).toBeLessThanOrEqual(realNow.getTime());
    expect(stored.lastDigestDate === undefined || stored.lastDigestDate <= DAY).toBe(true);
    const [email] = await mailbox.emails();
    const token = decodeURIComponent(header(email!, 'List-Unsubscribe')!.match(/token=([^>]+)>$/)![1]!);
    const check = verifyToken(app.config.keyring, token, 'unsubscribe', realNow);
    expect(check).toMatchObject({ ok: true, subscriberId: reader.id });
    expect(check.ok && Math.abs(check.issuedAt.getTime() - realNow.getTime())).toBeLessThan(1000);

    const normal = await runDigestCycle(deps, { day: DAY, ignoreHour: true, backoff: async () => {} });
    expect(normal.subscribers.due).toBe(1);
    expect(normal.digests).toMatchObject({ sent: 1, failed: 0 });
  });
});
