import { parseSesEvents } from '../../lambdas/core/ses-event';
import { applySesFeedback } from '../../lambdas/core/ses-event-effect';
import { eventBridgeEvent, sesMessage, snsEvent } from '../support/ses-events';
import { makeSubscriber } from '../support/subscriber-factory';

const TAGS = { subscriber: 'sub-abc', kind: 'digest', localDate: '2026-12-01' } as const;
const AT = '2026-12-01T08:00:00.000Z';

describe('parseSesEvents', () => {
  it('reads a permanent bounce from EventBridge, tags and bounced recipients included', () => {
    const event = eventBridgeEvent({
      eventType: 'Bounce',
      bounceType: 'Permanent',
      recipients: ['a@example.com'],
      tags: TAGS,
      messageId: 'm-1',
      occurredAt: '2026-12-01T07:03:00.000Z',
    });
    const { feedback, problems } = parseSesEvents(event);
    expect(problems).toEqual([]);
    expect(feedback).toEqual([
      {
        eventId: event.id,
        type: 'bounce',
        bounceType: 'Permanent',
        messageId: 'm-1',
        sentAt: '2026-12-01T07:00:00.000Z',
        occurredAt: '2026-12-01T07:03:00.000Z',
        subscriberId: 'sub-abc',
        kind: 'digest',
        localDate: '2026-12-01',
        recipients: ['a@example.com'],
      },
    ]);
  });

  it('reads every record of an SNS event, eventType and notificationType alike', () => {
    const { feedback, problems } = parseSesEvents(
      snsEvent(
        { eventType: 'Complaint', recipients: ['a@example.com', 'b@example.com'], tags: TAGS },
        { eventType: 'Delivery', recipients: ['c@example.com'], field: 'notificationType' },
        { eventType: 'Bounce', bounceType: 'Transient', recipients: ['d@example.com'], tags: TAGS },
      ),
    );
    expect(problems).toEqual([]);
    expect(feedback.map(({ type, recipients, subscriberId, bounceType }) => ({ type, recipients, subscriberId, bounceType }))).toEqual([
      { type: 'complaint', recipients: ['a@example.com', 'b@example.com'], subscriberId: 'sub-abc', bounceType: undefined },
      { type: 'delivery', recipients: ['c@example.com'], subscriberId: undefined, bounceType: undefined },
      { type: 'bounce', recipients: ['d@example.com'], subscriberId: 'sub-abc', bounceType: 'Transient' },
    ]);
  });

  it('maps send, reject, delivery delay and unknown types without requiring more', () => {
    const types = (['Send', 'Reject', 'DeliveryDelay'] as const).map(
      (eventType) => parseSesEvents(eventBridgeEvent({ eventType, recipients: ['a@example.com'] })).feedback[0]?.type,
    );
    expect(types).toEqual(['send', 'reject', 'delivery-delay']);
    const open = parseSesEvents({ id: 'e-1', detail: { eventType: 'Open', mail: sesMessage({ eventType: 'Send', recipients: [] }).mail, open: {} } });
    expect(open).toEqual({ feedback: [expect.objectContaining({ type: 'other' })], problems: [] });
    expect(parseSesEvents(snsEvent()).problems).toHaveLength(1);
  });

  it('reports unreadable parts without their content and keeps the readable ones', () => {
    const good = snsEvent({ eventType: 'Complaint', recipients: ['a@example.com'], tags: TAGS });
    const records = good.Records as Array<{ Sns: { Message: string } }>;
    const broken = { ...records[0]!, Sns: { ...records[0]!.Sns, MessageId: 'bad-json', Message: '{"eventType": "Bounce", secret@example.com' } };
    const noBounce = {
      ...records[0]!,
      Sns: {
        ...records[0]!.Sns,
        MessageId: 'no-bounce',
        Message: JSON.stringify({ eventType: 'Bounce', mail: sesMessage({ eventType: 'Send', recipients: ['x@example.com'] }).mail }),
      },
    };
    const { feedback, problems } = parseSesEvents({ Records: [records[0], broken, noBounce] });
    expect(feedback).toHaveLength(1);
    expect(problems).toEqual(['record 1 (bad-json): the message is not JSON', 'record 2 (no-bounce): a Bounce event without bounce']);
    expect(problems.join()).not.toContain('@');
  });

  it('refuses a shape that is neither EventBridge nor SNS', () => {
    expect(parseSesEvents({ hello: 'world' }).problems).toEqual(['neither an EventBridge event with a detail nor an SNS event with Records']);
    expect(parseSesEvents({ id: 'e', detail: { eventType: 'Bounce', mail: { messageId: 'm' } } }).problems[0]).toMatch(/^event \(e\): mail\.timestamp/);
  });
});

describe('applySesFeedback', () => {
  const subscriber = makeSubscriber({ consent: { signedUpAt: '2026-11-01T00:00:00.000Z', formVersion: 'test', confirmedAt: '2026-11-01T00:05:00.000Z' } });
  const feedbackOf = (spec: Parameters<typeof eventBridgeEvent>[0]) => parseSesEvents(eventBridgeEvent(spec)).feedback[0]!;

  it('withdraws at once on a permanent bounce or a complaint, with the reason', () => {
    const bounced = applySesFeedback(subscriber, feedbackOf({ eventType: 'Bounce', bounceType: 'Permanent', recipients: [subscriber.email] }), AT);
    expect(bounced.outcome).toBe('withdrawn');
    expect(bounced.subscriber.consent).toMatchObject({ withdrawnAt: AT, withdrawnReason: 'bounce' });
    const complained = applySesFeedback(subscriber, feedbackOf({ eventType: 'Complaint', recipients: [subscriber.email] }), AT);
    expect(complained.subscriber).toMatchObject({ status: 'unsubscribed', consent: { withdrawnReason: 'complaint' } });
  });

  it('counts transient and undetermined bounces by the day they happened; a delivery forgets them', () => {
    const transient = feedbackOf({ eventType: 'Bounce', bounceType: 'Transient', recipients: [subscriber.email], occurredAt: '2026-11-30T23:59:00.000Z' });
    const once = applySesFeedback(subscriber, transient, AT);
    expect(once).toMatchObject({ outcome: 'bounce-counted', subscriber: { status: 'confirmed', softBounceDays: ['2026-11-30'] } });
    expect(applySesFeedback(once.subscriber, transient, AT)).toEqual({ subscriber: once.subscriber, outcome: 'unchanged' });
    const undetermined = feedbackOf({
      eventType: 'Bounce',
      bounceType: 'Undetermined',
      recipients: [subscriber.email],
      occurredAt: '2026-12-01T03:00:00.000Z',
    });
    const twice = applySesFeedback(once.subscriber, undetermined, AT);
    expect(twice.subscriber.softBounceDays).toEqual(['2026-11-30', '2026-12-01']);
    const delivered = applySesFeedback(
      twice.subscriber,
      feedbackOf({ eventType: 'Delivery', recipients: [subscriber.email], occurredAt: '2026-12-01T07:00:00.000Z' }),
      AT,
    );
    expect(delivered.outcome).toBe('bounces-forgotten');
    expect(delivered.subscriber.softBounceDays).toBeUndefined();
  });

  it('changes nothing for a withdrawn subscriber, an email from an earlier consent, or an event that is no feedback', () => {
    const withdrawn = makeSubscriber({ status: 'unsubscribed' });
    const complaint = feedbackOf({ eventType: 'Complaint', recipients: [withdrawn.email] });
    expect(applySesFeedback(withdrawn, complaint, AT)).toEqual({ subscriber: withdrawn, outcome: 'already-withdrawn' });
    const earlier = feedbackOf({ eventType: 'Complaint', recipients: [subscriber.email], sentAt: '2026-10-20T07:00:00.000Z' });
    expect(applySesFeedback(subscriber, earlier, AT)).toEqual({ subscriber, outcome: 'earlier-consent' });
    for (const eventType of ['Send', 'Reject', 'DeliveryDelay'] as const) {
      expect(applySesFeedback(subscriber, feedbackOf({ eventType, recipients: [subscriber.email] }), AT)).toEqual({ subscriber, outcome: 'ignored' });
    }
  });
});
