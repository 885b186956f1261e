// The subscription use cases on dynalite and the SES mailbox: withdrawal under contention, and what a confirm link confirms.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import type { LocalApp as App } from '../../lambdas/compose';
import { unsubscribe, updatePreferences } from '../../lambdas/use-cases/subscriptions';
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
