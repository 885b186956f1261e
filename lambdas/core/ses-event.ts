// Amazon SES sending events, from EventBridge or wrapped in SNS, parsed into the few facts a subscriber's record needs.
import * as z from './zod';
import type { EmailTags } from './model';

/** What happened to an email, in SES's words mapped to ours; 'other' covers opens, clicks and the like. */
export type SesEventType = 'bounce' | 'complaint' | 'delivery' | 'send' | 'reject' | 'delivery-delay' | 'other';

export type BounceType = 'Permanent' | 'Transient' | 'Undetermined';

/** One SES event, reduced to what the feedback loop uses. */
export interface SesFeedback {
  /** The envelope's id (EventBridge event id, SNS message id): safe to log, names no one. */
  eventId: string;
  type: SesEventType;
  /** Present for bounces. */
  bounceType?: BounceType;
  /** SES's message id; absent only on notices that are about no email. */
  messageId?: string;
  /** When SES accepted the email (ISO). */
  sentAt?: string;
  /** When the event itself happened (ISO): the bounce, complaint or delivery time, else sentAt. */
  occurredAt?: string;
  /** The subscriber the email was for, from its `subscriber` tag; absent for untagged email. */
  subscriberId?: string;
  /** The email's kind and local date tags, when present. */
  kind?: string;
  localDate?: string;
  /** The addresses the event is about (bounced, complained or delivered recipients). Never log these. */
  recipients: string[];
}

export interface ParsedSesEvents {
  feedback: SesFeedback[];
  /** One line per part that could not be read, without its content (which holds addresses). */
  problems: string[];
}

const SES_TYPES: Record<string, SesEventType> = {
  Bounce: 'bounce',
  Complaint: 'complaint',
  Delivery: 'delivery',
  Send: 'send',
  Reject: 'reject',
  DeliveryDelay: 'delivery-delay',
};

const timestamp = z.string().check(z.refine((text) => !Number.isNaN(Date.parse(text)), 'not a timestamp'));
const nonEmpty = z.string().check(z.minLength(1));
const addressed = z.array(z.object({ emailAddress: nonEmpty }));

const mailSchema = z.object({
  messageId: nonEmpty,
  timestamp,
  destination: z._default(z.array(z.string()), []),
  tags: z._default(z.record(z.string(), z.array(z.string())), {}),
});

const sesMessageSchema = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  mail: z.optional(mailSchema),
  bounce: z.optional(
    z.object({ bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']), bouncedRecipients: addressed, timestamp: z.optional(timestamp) }),
  ),
  complaint: z.optional(z.object({ complainedRecipients: addressed, timestamp: z.optional(timestamp) })),
  delivery: z.optional(z.object({ recipients: z.array(z.string()), timestamp: z.optional(timestamp) })),
});
type SesMessage = z.output<typeof sesMessageSchema>;

const eventBridgeSchema = z.object({ id: nonEmpty, detail: z.unknown() });
const snsSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: nonEmpty, Message: z.string() }) })).check(z.minLength(1)),
});

/** Each part SES requires of an event we act on: the email and the section named after its type. */
const REQUIRED_SECTIONS: Partial<Record<SesEventType, Array<keyof SesMessage>>> = {
  bounce: ['mail', 'bounce'],
  complaint: ['mail', 'complaint'],
  delivery: ['mail', 'delivery'],
};

/**
 * Read an EventBridge event (`detail` is the SES event) or an SNS event (`Records[].Sns.Message`
 * is the SES event as JSON, `eventType` from a configuration set or `notificationType` from
 * identity notifications). Unreadable parts are reported in `problems`; the rest still count.
 */
export function parseSesEvents(input: unknown): ParsedSesEvents {
  const sns = snsSchema.safeParse(input);
  if (sns.success) {
    const parsed = sns.data.Records.map((record, index) => parseEnvelope(record.Sns.MessageId, () => JSON.parse(record.Sns.Message), `record ${index}`));
    return { feedback: parsed.flatMap((one) => one.feedback), problems: parsed.flatMap((one) => one.problems) };
  }
  const eventBridge = eventBridgeSchema.safeParse(input);
  if (eventBridge.success) return parseEnvelope(eventBridge.data.id, () => eventBridge.data.detail, 'event');
  return { feedback: [], problems: ['neither an EventBridge event with a detail nor an SNS event with Records'] };
}

function parseEnvelope(eventId: string, body: () => unknown, where: string): ParsedSesEvents {
  let content: unknown;
  try {
    content = body();
  } catch {
    return { feedback: [], problems: [`${where} (${eventId}): the message is not JSON`] };
  }
  const message = sesMessageSchema.safeParse(content);
  if (!message.success) return { feedback: [], problems: [`${where} (${eventId}): ${describeIssues(message.error)}`] };
  const sesType = message.data.eventType ?? message.data.notificationType;
  if (sesType === undefined) return { feedback: [], problems: [`${where} (${eventId}): no eventType or notificationType`] };
  const type = SES_TYPES[sesType] ?? 'other';
  const missing = (REQUIRED_SECTIONS[type] ?? []).filter((section) => message.data[section] === undefined);
  if (missing.length > 0) return { feedback: [], problems: [`${where} (${eventId}): a ${sesType} event without ${missing.join(' and ')}`] };
  return { feedback: [toFeedback(eventId, type, message.data)], problems: [] };
}

function toFeedback(eventId: string, type: SesEventType, message: SesMessage): SesFeedback {
  const { mail, bounce, complaint, delivery } = message;
  const tag = (name: keyof EmailTags) => mail?.tags[name]?.[0];
  const recipients =
    bounce?.bouncedRecipients.map((recipient) => recipient.emailAddress) ??
    complaint?.complainedRecipients.map((recipient) => recipient.emailAddress) ??
    delivery?.recipients ??
    mail?.destination ??
    [];
  const occurredAt = bounce?.timestamp ?? complaint?.timestamp ?? delivery?.timestamp ?? mail?.timestamp;
  return {
    eventId,
    type,
    ...(bounce ? { bounceType: bounce.bounceType } : {}),
    ...(mail ? { messageId: mail.messageId, sentAt: mail.timestamp } : {}),
    ...(occurredAt ? { occurredAt } : {}),
    ...optional('subscriberId', tag('subscriber')),
    ...optional('kind', tag('kind')),
    ...optional('localDate', tag('localDate')),
    recipients: [...new Set(recipients)],
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** Where and what, never the value (which may be an address). */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
