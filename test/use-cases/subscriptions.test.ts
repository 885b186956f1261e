// The subscription use cases on dynalite and the SES mailbox: withdrawal under contention, and what a confirm link confirms.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import type { LocalApp as App } from '../../lambdas/compose';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { runSignUpJob, signUpBatch, subscribe } from '../../lambdas/use-cases/sign-ups';
import { confirm, unsubscribe, updatePreferences } from '../../lambdas/use-cases/subscriptions';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

const BASE_URL = 'http://127.0.0.1:3998';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeEach(async () => {
  await mailbox.clear();
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-11-28T10:00:00Z');
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger([]), publicBaseUrl: BASE_URL });
});

describe('one-click unsubscribe under contention', () => {
  it('applies and succeeds while 8 preference saves race it, every time', async () => {
    const deps = app.subscriptionDeps();
    for (let trial = 0; trial < 5; trial += 1) {
      const subscriber = makeSubscriber();
      await app.subscribers.put(subscriber);
      let withdrawn = false;
      // Eight visitors keep saving until the withdrawal is through (a save of a withdrawn record changes nothing).
      const saver = async (n: number) => {
        for (let round = 0; !withdrawn && round < 40; round += 1) {
          await updatePreferences(deps, subscriber.id, { action: 'save', preferences: { topics: `agents ${n}.${round}` } }).catch(() => undefined);
        }
      };
      const saves = Array.from({ length: 8 }, (_, n) => saver(n));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [withdrawal] = await Promise.allSettled([unsubscribe(deps, subscriber.id)]);
      withdrawn = true;
      await Promise.all(saves);
      expect(withdrawal).toEqual({ status: 'fulfilled', value: undefined });
      const stored = await app.subscribers.get(subscriber.id);
      expect(stored!.status).toBe('unsubscribed');
      expect(stored!.consent.withdrawnReason).toBe('unsubscribed');
    }
  });
});

describe('a sign-up of an address already pending', () => {
  const confirmTokens = async () =>
    (await mailbox.emails())
      .filter((email) => /Confirm your Papertrend/.test(email.subject))
      .map((email) => new URL(email.body.text!.match(/http\S+\/confirm\?token=\S+/)![0]).searchParams.get('token')!);

  it("cannot make the owner's link confirm a stranger's topics, schedule and time zone", async () => {
    const deps = app.subscriptionDeps();
    const owner = { ...DEFAULT_PREFERENCES, topics: 'quantization', hour: 7, timeZone: 'Europe/Berlin' };
    await subscribe(deps, 'owner@example.com', owner);
    clock.advance(11 * 60_000);
    await subscribe(deps, 'owner@example.com', {
      ...DEFAULT_PREFERENCES,
      topics: 'crypto scams',
      frequency: 'weekly',
      hour: 3,
      timeZone: 'Pacific/Kiritimati',
    });
    const [ownersLink] = await confirmTokens();
    const outcome = await confirm(deps, ownersLink);
    // Either the link is refused, or it confirms what the owner chose: never the stranger's settings.
    if (outcome.ok) expect(outcome.subscriber).toMatchObject({ topics: 'quantization', frequency: 'daily', hour: 7, timeZone: 'Europe/Berlin' });
    const stored = await app.subscribers.findByEmail('owner@example.com');
    expect(stored).toMatchObject({ topics: 'quantization', frequency: 'daily', hour: 7, timeZone: 'Europe/Berlin' });
    // The second sign-up still mailed the owner a link (within the limits), for the settings stored.
    expect(await confirmTokens()).toHaveLength(2);
  });

  it('takes new settings once the first link has expired, and every earlier link then stops working', async () => {
    const deps = app.subscriptionDeps();
    await subscribe(deps, 'late@example.com', { ...DEFAULT_PREFERENCES, topics: 'agents' });
    clock.advance(6 * 86_400_000);
    await subscribe(deps, 'late@example.com', { ...DEFAULT_PREFERENCES, topics: 'agents' });
    clock.advance(2 * 86_400_000);
    await subscribe(deps, 'late@example.com', { ...DEFAULT_PREFERENCES, topics: 'robotics' });
    const [, resent, latest] = await confirmTokens();
    expect(await confirm(deps, resent)).toEqual({ ok: false, reason: 'superseded' });
    expect(await confirm(deps, latest)).toMatchObject({ ok: true, subscriber: { topics: 'robotics', status: 'confirmed' } });
  });
});

describe('a batch of queued sign-ups', () => {
  const job = (email: string) => JSON.stringify({ email, preferences: DEFAULT_PREFERENCES, requestedAt: clock.now().toISOString() });

  it('hands back for a retry the job whose store call failed, and does the others', async () => {
    const lines: string[] = [];
    const deps = { ...app.subscriptionDeps(), logger: recordingLogger(lines) };
    const store = deps.subscribers;
    const failingStore: typeof store = Object.assign(Object.create(store) as typeof store, {
      create: async (subscriber: Parameters<typeof store.create>[0]) => {
        if (subscriber.email === 'unlucky@example.com') throw new Error('DynamoDB timed out');
        return store.create(subscriber);
      },
    });
    const { retry } = await signUpBatch({ ...deps, subscribers: failingStore }, [
      { id: 'm-1', body: job('unlucky@example.com') },
      { id: 'm-2', body: job('lucky@example.com') },
    ]);
    expect(retry).toEqual(['m-1']);
    expect((await app.subscribers.findByEmail('lucky@example.com'))?.status).toBe('pending');
    expect(await app.subscribers.findByEmail('unlucky@example.com')).toBeUndefined();
    expect((await mailbox.emails()).map((email) => email.destination.to[0])).toEqual(['lucky@example.com']);
    expect(lines.join('\n')).toContain('sign-up job failed');
    expect(lines.join('\n')).not.toContain('@example.com');
  });
});

describe('a queued sign-up worked through after the address unsubscribed', () => {
  it('leaves the unsubscribe when the sign-up was sent before it, and signs up again when sent after', async () => {
    const deps = app.subscriptionDeps();
    const subscriber = makeSubscriber({ email: 'late@example.com' });
    await app.subscribers.put(subscriber);
    const sentBefore = clock.now().toISOString();
    clock.advance(1000);
    await unsubscribe(deps, subscriber.id);
    clock.advance(11 * 60_000);
    await runSignUpJob(deps, { email: 'late@example.com', preferences: DEFAULT_PREFERENCES, requestedAt: sentBefore });
    expect((await app.subscribers.get(subscriber.id))!.status).toBe('unsubscribed');
    expect(await mailbox.emails()).toEqual([]);

    await runSignUpJob(deps, { email: 'late@example.com', preferences: DEFAULT_PREFERENCES, requestedAt: clock.now().toISOString() });
    expect((await app.subscribers.get(subscriber.id))!.status).toBe('pending');
    expect((await mailbox.emails()).map((email) => email.destination.to[0])).toEqual(['late@example.com']);
  });
});
