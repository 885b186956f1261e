// Builds SES sending events as SES publishes them (AWS docs' examples), in the EventBridge and the SNS envelope.
import { randomUUID } from 'node:crypto';
import type { EmailTags } from '../../lambdas/core/model';

export interface SesEventSpec {
  eventType: 'Bounce' | 'Complaint' | 'Delivery' | 'Send' | 'Reject' | 'DeliveryDelay';
  recipients: string[];
  tags?: Partial<EmailTags>;
  bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
  /** When SES accepted the email. */
  sentAt?: string;
  /** When the bounce, complaint or delivery happened. */
  occurredAt?: string;
  messageId?: string;
  /** Identity notifications (no configuration set) say notificationType and carry no tags. */
  field?: 'eventType' | 'notificationType';
}

/** The SES event JSON (EventBridge `detail`, SNS `Message`). */
export function sesMessage(spec: SesEventSpec): Record<string, unknown> {
  const sentAt = spec.sentAt ?? '2026-12-01T07:00:00.000Z';
  const occurredAt = spec.occurredAt ?? new Date(Date.parse(sentAt) + 60_000).toISOString();
  const tags: Record<string, string[]> = { 'ses:configuration-set': ['papertrend'], 'ses:source-ip': ['192.0.2.0'] };
  for (const [name, value] of Object.entries(spec.tags ?? {})) tags[name] = [value];
  const mail = {
    timestamp: sentAt,
    source: 'Papertrend <digest@papertrend.local>',
    sendingAccountId: '123456789012',
    messageId: spec.messageId ?? `0100019${randomUUID()}-000000`,
    destination: spec.recipients,
    headersTruncated: false,
    ...(spec.field === 'notificationType' ? {} : { tags }),
  };
  const sections: Record<string, unknown> = {
    Bounce: {
      bounce: {
        bounceType: spec.bounceType ?? 'Permanent',
        bounceSubType: spec.bounceType === 'Transient' ? 'MailboxFull' : 'General',
        bouncedRecipients: spec.recipients.map((emailAddress) => ({
          emailAddress,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        })),
        timestamp: occurredAt,
        feedbackId: `feedback-${randomUUID()}`,
        reportingMTA: 'dsn; mta.example.com',
      },
    },
    Complaint: {
      complaint: {
        complainedRecipients: spec.recipients.map((emailAddress) => ({ emailAddress })),
        timestamp: occurredAt,
        feedbackId: `feedback-${randomUUID()}`,
        complaintFeedbackType: 'abuse',
      },
    },
    Delivery: {
      delivery: {
        timestamp: occurredAt,
        processingTimeMillis: 546,
        recipients: spec.recipients,
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'mta.example.com',
      },
    },
    Send: { send: {} },
    Reject: { reject: { reason: 'Bad content' } },
    DeliveryDelay: {
      deliveryDelay: {
        timestamp: occurredAt,
        delayType: 'TransientCommunicationFailure',
        delayedRecipients: spec.recipients.map((emailAddress) => ({ emailAddress, status: '4.4.1', diagnosticCode: 'smtp; 421 4.4.1 Unable to connect' })),
      },
    },
  };
  return { [spec.field ?? 'eventType']: spec.eventType, mail, ...(sections[spec.eventType] as object) };
}

const DETAIL_TYPES: Record<SesEventSpec['eventType'], string> = {
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Delivery: 'Email Delivered',
  Send: 'Email Sent',
  Reject: 'Email Rejected',
  DeliveryDelay: 'Email Delivery Delayed',
};

/** The event an EventBridge rule on source aws.ses hands to a Lambda. */
export function eventBridgeEvent(spec: SesEventSpec): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPES[spec.eventType],
    source: 'aws.ses',
    account: '123456789012',
    time: spec.occurredAt ?? spec.sentAt ?? '2026-12-01T07:01:00Z',
    region: 'eu-west-1',
    resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/papertrend'],
    detail: sesMessage(spec),
  };
}

/** The event an SNS subscription hands to a Lambda: one record per SES event, the event as a JSON string. */
export function snsEvent(...specs: SesEventSpec[]): Record<string, unknown> {
  return {
    Records: specs.map((spec) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events:0d3f',
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
        Subject: null,
        Message: JSON.stringify(sesMessage(spec)),
        Timestamp: spec.occurredAt ?? '2026-12-01T07:01:00.000Z',
        SignatureVersion: '1',
        MessageAttributes: {},
      },
    })),
  };
}
