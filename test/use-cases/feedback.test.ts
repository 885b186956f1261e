// The feedback use case on dynalite: a click lands while other writes race it, and the links it refuses.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import type { LocalApp as App } from '../../lambdas/compose';
import { signToken } from '../../lambdas/core/tokens';
import { feedbackTarget, giveFeedback, type FeedbackDeps } from '../../lambdas/use-cases/feedback';
import { updatePreferences } from '../../lambdas/use-cases/subscriptions';
import { ConcurrentUpdateError } from '../../lambdas/ports';
import { makePaper } from '../../dev/paper-factory';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

const DAY = '2026-11-28';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let deps: FeedbackDeps;

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock(`${DAY}T10:00:00Z`);
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger([]), publicBaseUrl: 'http://127.0.0.1:3997' });
  const site = app.siteDeps();
  deps = { ...site.subscriptions, papers: site.preview.papers };
  await app.papers.putDay(DAY, [makePaper({ id: '2611.00001', title: 'Quantizing the KV cache', listedOn: [DAY] })]);
});

const tokenFor = (subscriberId: string, paperId = '2611.00001', at = clock.now()) =>
  signToken(deps.keyring, { subscriberId, purpose: 'feedback', subject: paperId }, at);

describe('giveFeedback', () => {
  it('lands when a preference save slips in between its read and its write, and keeps what that saved', async () => {
    const subscriber = makeSubscriber();
    await app.subscribers.put(subscriber);
    let conflicts = 0;
    // The feedback's first write finds the record changed (a save got there first): it reads again and reapplies.
    const racing: FeedbackDeps = {
      ...deps,
      subscribers: {
        ...deps.subscribers,
        get: (id) => deps.subscribers.get(id),
        put: async (record, ifUpdatedAt) => {
          if (conflicts === 0) await updatePreferences(app.subscriptionDeps(), subscriber.id, { action: 'save', preferences: { maxPapers: 7 } });
          try {
            await deps.subscribers.put(record, ifUpdatedAt);
          } catch (error) {
            if (error instanceof ConcurrentUpdateError) conflicts += 1;
            throw error;
          }
        },
      },
    };
    const outcome = await giveFeedback(racing, tokenFor(subscriber.id), 'more');
    expect(outcome).toMatchObject({ ok: true, vote: 'more', paperId: '2611.00001' });
    expect(conflicts).toBe(1);
    const stored = await app.subscribers.get(subscriber.id);
    expect(stored?.feedback?.marked.map((marked) => marked.paperId)).toEqual(['2611.00001']);
    expect(stored?.maxPapers).toBe(7);
  });

  it('marks a paper no longer stored "fewer" by its id, but has nothing to learn "more" of', async () => {
    const subscriber = makeSubscriber();
    await app.subscribers.put(subscriber);
    expect(await giveFeedback(deps, tokenFor(subscriber.id, '2601.99999'), 'more')).toEqual({ ok: false, reason: 'paper-gone' });
    expect((await app.subscribers.get(subscriber.id))?.feedback).toBeUndefined();
    expect(await giveFeedback(deps, tokenFor(subscriber.id, '2601.99999'), 'fewer')).toMatchObject({ ok: true });
    expect((await app.subscribers.get(subscriber.id))?.feedback?.fewerPaperIds).toEqual(['2601.99999']);
  });

  it('refuses a token of another purpose, an expired one, one from before the latest sign-up, and an unsubscribed reader', async () => {
    const subscriber = makeSubscriber({ consent: { signedUpAt: `${DAY}T09:00:00.000Z`, formVersion: 'test' } });
    const gone = makeSubscriber({ status: 'unsubscribed' });
    await app.subscribers.put(subscriber);
    await app.subscribers.put(gone);
    const preferences = signToken(deps.keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now());
    expect(await giveFeedback(deps, preferences, 'more')).toEqual({ ok: false, reason: 'invalid' });
    expect(await giveFeedback(deps, tokenFor(subscriber.id, '2611.00001', new Date(`${DAY}T08:00:00Z`)), 'more')).toEqual({ ok: false, reason: 'superseded' });
    expect(await giveFeedback(deps, tokenFor(gone.id), 'fewer')).toEqual({ ok: false, reason: 'withdrawn' });
    const old = tokenFor(subscriber.id);
    clock.advance(366 * 86_400_000);
    expect(await feedbackTarget(deps, old)).toEqual({ ok: false, reason: 'expired' });
    expect((await app.subscribers.get(subscriber.id))?.feedback).toBeUndefined();
    expect((await app.subscribers.get(gone.id))?.feedback).toBeUndefined();
  });
});
