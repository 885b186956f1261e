// The SES feedback loop against dynalite and the SES mailbox: bounces, complaints, deliveries and rejects in both envelopes, each twice.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Subscriber } from '../../lambdas/core/model';
import type { ConfirmationLimits, OutgoingEmail } from '../../lambdas/ports';
import { sendDigestBatch } from '../../lambdas/use-cases/send-digest';
import { handleSesEvents, SesEventFormatError } from '../../lambdas/use-cases/ses-events';
import { DEFAULT_PREFERENCES } from '../../lambdas/core/subscription';
import { subscribe } from '../../lambdas/use-cases/sign-ups';
import { ManualClock, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { eventBridgeEvent, snsEvent, type SesEventSpec } from '../support/ses-events';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let metrics: MemoryMetrics;
let logLines: string[];

useEmulators((started) => ({ dynamo, mailbox } = started));
beforeEach(async () => {
  await mailbox.clear();
  tables = await dynamo.createTables();
  clock = new ManualClock('2026-12-01T08:00:00Z');
  logLines = [];
  metrics = new MemoryMetrics();
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), metrics, publicBaseUrl: 'http://127.0.0.1:3997' });
});

/** Deliver one event the way Lambda would; twice means a redelivery of the very same event. */
const feed = (event: unknown) => handleSesEvents(app.sesEventsDeps(), event);

async function addSubscriber(overrides: Partial<Subscriber> = {}): Promise<Subscriber> {
  const subscriber = makeSubscriber({ sendEmptyDigest: true, ...overrides });
  expect(await app.subscribers.create(subscriber)).toBe(true);
  return subscriber;
}

const stored = async (subscriber: Subscriber) => (await app.subscribers.get(subscriber.id))!;
const tagged = (subscriber: Subscriber, kind: 'digest' | 'confirmation' = 'digest') => ({ subscriber: subscriber.id, kind, localDate: '2026-12-01' });
const spec = (subscriber: Subscriber, overrides: Partial<SesEventSpec>): SesEventSpec => ({
  eventType: 'Bounce',
  recipients: [subscriber.email],
  tags: tagged(subscriber),
  sentAt: '2026-12-01T07:00:00.000Z',
  ...overrides,
});

describe('the SES feedback loop', () => {
  it.each([
    ['a permanent bounce', { eventType: 'Bounce', bounceType: 'Permanent' }, 'bounce'],
    ['a complaint', { eventType: 'Complaint' }, 'complaint'],
  ] as const)('withdraws at once on %s, from EventBridge and from SNS, and a redelivery changes nothing', async (_name, event, reason) => {
    const viaEventBridge = await addSubscriber();
    const viaSns = await addSubscriber();
    const events = [eventBridgeEvent(spec(viaEventBridge, event)), snsEvent(spec(viaSns, event))];

    for (const envelope of events) await feed(envelope);
    const first = await Promise.all([stored(viaEventBridge), stored(viaSns)]);
    for (const subscriber of first) {
      expect(subscriber.status).toBe('unsubscribed');
      expect(subscriber.consent).toMatchObject({ withdrawnAt: '2026-12-01T08:00:00.000Z', withdrawnReason: reason });
    }

    clock.advance(3_600_000);
    for (const envelope of events) expect((await feed(envelope)).outcomes).toEqual({ 'already-withdrawn': 1 });
    expect(await Promise.all([stored(viaEventBridge), stored(viaSns)])).toEqual(first);
    expect(metrics.total(reason === 'bounce' ? 'Bounces' : 'Complaints')).toBe(4);
  });

  it('counts transient bounces per day in both envelopes, forgets them on a delivery, and withdraws on the third bad day', async () => {
    const subscriber = await addSubscriber();
    const transient = (day: string) => spec(subscriber, { bounceType: 'Transient', sentAt: `${day}T07:00:00.000Z`, occurredAt: `${day}T09:00:00.000Z` });
    const dayOne = eventBridgeEvent(transient('2026-12-01'));
    const dayTwo = snsEvent(transient('2026-12-02'));
    for (const event of [dayOne, dayOne, dayTwo, dayTwo]) await feed(event);
    expect(await stored(subscriber)).toMatchObject({ status: 'confirmed', softBounceDays: ['2026-12-01', '2026-12-02'] });

    const delivered = spec(subscriber, { eventType: 'Delivery', sentAt: '2026-12-03T07:00:00.000Z', occurredAt: '2026-12-03T07:00:02.000Z' });
    for (const event of [eventBridgeEvent(delivered), snsEvent(delivered)]) {
      await feed(event);
      await feed(event);
    }
    const afterDelivery = await stored(subscriber);
    expect(afterDelivery.status).toBe('confirmed');
    expect(afterDelivery.softBounceDays).toBeUndefined();

    await feed(snsEvent(transient('2026-12-04'), transient('2026-12-05')));
    expect((await stored(subscriber)).status).toBe('confirmed');
    const dayThree = eventBridgeEvent({ ...transient('2026-12-06'), bounceType: 'Undetermined' });
    expect((await feed(dayThree)).outcomes).toEqual({ withdrawn: 1 });
    expect((await feed(dayThree)).outcomes).toEqual({ 'already-withdrawn': 1 });
    expect((await stored(subscriber)).consent.withdrawnReason).toBe('transient-bounces');
  });

  it('changes nothing on rejects, sends and delivery delays, in either envelope, twice', async () => {
    const subscriber = await addSubscriber({ softBounceDays: ['2026-12-01'] });
    const before = await stored(subscriber);
    const quiet = (['Reject', 'Send', 'DeliveryDelay'] as const).map((eventType) => spec(subscriber, { eventType }));
    const events = [...quiet.map(eventBridgeEvent), snsEvent(...quiet)];
    for (const event of [...events, ...events]) expect((await feed(event)).outcomes).toEqual({});
    expect(await stored(subscriber)).toEqual(before);
  });

  it('maps a tagged event with several recipients to its one subscriber, and looks up each recipient of an untagged one', async () => {
    const tagOwner = await addSubscriber();
    const bystander = await addSubscriber();
    const taggedComplaint = eventBridgeEvent(spec(tagOwner, { eventType: 'Complaint', recipients: [tagOwner.email, bystander.email] }));
    expect((await feed(taggedComplaint)).outcomes).toEqual({ withdrawn: 1 });
    expect((await stored(tagOwner)).status).toBe('unsubscribed');
    expect((await stored(bystander)).status).toBe('confirmed');

    const first = await addSubscriber();
    const second = await addSubscriber({ status: 'pending' });
    // Identity notifications: notificationType, no tags; the recipients' case differs from the stored address.
    const untagged = snsEvent({
      eventType: 'Bounce',
      bounceType: 'Permanent',
      field: 'notificationType',
      recipients: [first.email.toUpperCase(), second.email, 'nobody@example.org'],
      sentAt: '2026-12-01T07:00:00.000Z',
    });
    expect((await feed(untagged)).outcomes).toEqual({ withdrawn: 2 });
    expect((await feed(untagged)).outcomes).toEqual({ 'already-withdrawn': 2 });
    for (const subscriber of [first, second]) expect((await stored(subscriber)).consent.withdrawnReason).toBe('bounce');
  });

  it('acknowledges and logs an unknown or already-withdrawn subscriber, naming no address', async () => {
    const gone = await addSubscriber({
      status: 'unsubscribed',
      consent: { signedUpAt: '2026-11-01T00:00:00.000Z', formVersion: 'test', withdrawnAt: '2026-11-20T00:00:00.000Z', withdrawnReason: 'unsubscribed' },
    });
    const before = await stored(gone);
    expect((await feed(eventBridgeEvent(spec(gone, { eventType: 'Complaint' })))).outcomes).toEqual({ 'already-withdrawn': 1 });
    expect(await stored(gone)).toEqual(before);
    const stranger = makeSubscriber();
    expect((await feed(snsEvent(spec(stranger, { eventType: 'Complaint' })))).outcomes).toEqual({ 'unknown-subscriber': 1 });
    expect(logLines.some((line) => line.includes('SES event for no known subscriber'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('@');
  });

  it('ignores a late complaint about an email sent before the latest sign-up', async () => {
    const again = await addSubscriber({ consent: { signedUpAt: '2026-11-30T12:00:00.000Z', formVersion: 'test', confirmedAt: '2026-11-30T12:05:00.000Z' } });
    expect((await feed(eventBridgeEvent(spec(again, { eventType: 'Complaint', sentAt: '2026-11-10T07:00:00.000Z' })))).outcomes).toEqual({
      'earlier-consent': 1,
    });
    expect((await stored(again)).status).toBe('confirmed');
  });

  it('applies the readable records of an SNS batch, then fails naming the unreadable one', async () => {
    const subscriber = await addSubscriber();
    const event = snsEvent(spec(subscriber, { eventType: 'Complaint' }));
    const [record] = event.Records as Array<{ Sns: Record<string, unknown> }>;
    const broken = {
      ...record,
      Sns: { ...record!.Sns, MessageId: 'sns-broken', Message: `{"eventType":"Bounce","mail":{"destination":["${subscriber.email}"]}}` },
    };
    await expect(feed({ Records: [record, broken] })).rejects.toThrow(SesEventFormatError);
    expect((await stored(subscriber)).consent.withdrawnReason).toBe('complaint');
    expect(logLines.join('\n')).toContain('sns-broken');
    expect(logLines.join('\n')).not.toContain(subscriber.email);
  });
});

/** `target` with some methods replaced; the others still run on the real adapter. */
function withOverride<T extends object>(target: T, overrides: Partial<T>): T {
  return Object.assign(Object.create(target) as T, overrides);
}

describe('a withdrawn address gets no email', () => {
  const job = (subscriber: Subscriber) => ({ id: `msg-${subscriber.id}`, body: JSON.stringify({ subscriberId: subscriber.id, localDate: '2026-12-01' }) });

  it('gets no digest after a complaint', async () => {
    const complainer = await addSubscriber();
    const reader = await addSubscriber();
    await feed(eventBridgeEvent(spec(complainer, { eventType: 'Complaint' })));
    expect(await sendDigestBatch(app.sendDigestDeps(), [job(complainer), job(reader)])).toEqual({ retry: [] });
    expect((await mailbox.emails()).map((email) => email.destination.to[0])).toEqual([reader.email]);
    expect(metrics.total('DigestsSkipped')).toBe(1);
  });

  it('gets no digest when the bounce lands while the digest is being made, and the day stays open', async () => {
    const subscriber = await addSubscriber();
    const deps = app.sendDigestDeps();
    const papers = deps.papers;
    const racing = {
      ...deps,
      papers: withOverride(papers, {
        papersForDays: async (days: string[]) => {
          await feed(snsEvent(spec(subscriber, { bounceType: 'Permanent' })));
          return papers.papersForDays(days);
        },
      }),
    };
    expect(await sendDigestBatch(racing, [job(subscriber)])).toEqual({ retry: [] });
    expect(await mailbox.emails()).toEqual([]);
    expect((await app.ledger.history(subscriber.id, '2026-12-01')).day).toBeUndefined();
    expect(logLines.some((line) => line.includes('digest held back'))).toBe(true);
  });

  it('gets no confirmation when a bounce withdraws the sign-up just before the email goes', async () => {
    const deps = app.subscriptionDeps();
    const racing = {
      ...deps,
      confirmationThrottle: withOverride(deps.confirmationThrottle, {
        claim: async (email: string, limits: ConfirmationLimits) => {
          const pending = (await deps.subscribers.findByEmail(email))!;
          await feed(eventBridgeEvent(spec(pending, { bounceType: 'Permanent', tags: tagged(pending, 'confirmation'), sentAt: clock.now().toISOString() })));
          return deps.confirmationThrottle.claim(email, limits);
        },
      }),
    };
    await subscribe(racing, 'bounced@example.com', DEFAULT_PREFERENCES);
    expect(await mailbox.emails()).toEqual([]);
    expect(metrics.total('ConfirmationsSent')).toBe(0);
    expect((await app.subscribers.findByEmail('bounced@example.com'))?.consent.withdrawnReason).toBe('bounce');
    // The slot was given back: the limit did not stop this, the withdrawal did.
    expect(await deps.confirmationThrottle.claim('bounced@example.com', { cooldownMs: 600_000, perDay: 1 })).toBe(true);
  });

  it('sends the confirmation of a sign-up that stays pending, tagged as a confirmation', async () => {
    const deps = app.subscriptionDeps();
    const tags: OutgoingEmail['tags'][] = [];
    // The mailbox keeps no EmailTags, so the tags are recorded on the way to it.
    const recording = { send: (email: OutgoingEmail) => (tags.push(email.tags), deps.mailer.send(email)) };
    await subscribe({ ...deps, mailer: recording }, 'fine@example.com', DEFAULT_PREFERENCES);
    expect((await mailbox.emails()).map((email) => email.destination.to[0])).toEqual(['fine@example.com']);
    const pending = await app.subscribers.findByEmail('fine@example.com');
    expect(tags).toEqual([{ subscriber: pending!.id, kind: 'confirmation', localDate: '2026-12-01' }]);
    expect(metrics.total('ConfirmationsSent')).toBe(1);
  });
});
