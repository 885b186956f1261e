// A queued sign-up: the address, the chosen preferences and when the request came in; the one schema the api and the sign-up worker share.
import { normaliseEmailAddress } from './email-address';
import { isValidTimeZone } from './local-time';
import { readQueuedJson, type QueuedReading } from './queued-message';
import { MAX_TOPIC_FILTER_LENGTH, PAPERS_PER_EMAIL, type Preferences } from './subscription';
import * as z from './zod';

/** What the sign-up form asked for; the worker runs the subscribe use case on it. */
export interface SignUpJob {
  /** Already normalised by the api (normaliseEmailAddress). */
  email: string;
  preferences: Preferences;
  /** When the visitor sent the form (ISO 8601): the time of their consent. */
  requestedAt: string;
}

const wholeNumber = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

// Built on first read: a bundle that composes the worker without running it (the api) leaves the schema and its zod parts out.
let schema: ReturnType<typeof buildSchema> | undefined;

const buildSchema = () =>
  z.strictObject({
    email: z.string().check(
      z.maxLength(254),
      z.refine((email) => {
        const address = normaliseEmailAddress(email);
        return address.ok && address.address === email;
      }, 'not a normalised email address'),
    ),
    preferences: z.strictObject({
      topics: z.string().check(z.maxLength(MAX_TOPIC_FILTER_LENGTH)),
      frequency: z.enum(['daily', 'weekly']),
      weekday: wholeNumber(1, 7),
      hour: wholeNumber(0, 23),
      timeZone: z.string().check(z.maxLength(64), z.refine(isValidTimeZone, 'unknown time zone')),
      maxPapers: wholeNumber(PAPERS_PER_EMAIL.min, PAPERS_PER_EMAIL.max),
      paused: z.boolean(),
      // Jobs queued before the field existed read as the old behaviour: no email on a day with nothing new.
      sendEmptyDigest: z._default(z.boolean(), false),
    }),
    requestedAt: z.iso.datetime(),
  });

/** Read a sign-up job from its message body. */
export function readSignUpJob(body: string): QueuedReading<SignUpJob> {
  schema ??= buildSchema();
  return readQueuedJson(schema, body);
}
