// Request bodies of the sign-up site: size and type checks, then one strict zod schema per form.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from '../core/zod';
import { isValidTimeZone } from '../core/local-time';
import { MAX_TOPIC_FILTER_LENGTH, PAPERS_PER_EMAIL, type Preferences } from '../core/subscription';
import { canonicalTimeZone } from '../core/time-zones';
import { parseTopicFilter, TopicFilterError } from '../core/topic-filter';

/** Largest body accepted; a form of ours is well under 1 KB. */
export const MAX_BODY_BYTES = 8 * 1024;

/** Error messages by field name; `form` is shown above the form. */
export type FieldErrors = Partial<Record<string, string>>;

export type BodyResult = { ok: true; fields: Record<string, unknown>; json: boolean } | { ok: false; status: 400 | 413 | 415; message: string; json: boolean };

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value ?? undefined;
  return undefined;
}

/** Whether the client sent or wants JSON (the API), rather than a browser form. */
export function wantsJson(event: APIGatewayProxyEvent): boolean {
  const type = header(event, 'content-type') ?? '';
  const accept = header(event, 'accept') ?? '';
  return type.includes('application/json') || (accept.includes('application/json') && !accept.includes('text/html'));
}

/** The raw body as text, refused past MAX_BODY_BYTES (API Gateway itself allows 10 MB). */
export function bodyText(event: APIGatewayProxyEvent): { ok: true; text: string } | { ok: false } {
  if (!event.body) return { ok: true, text: '' };
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) return { ok: false };
  return { ok: true, text: bytes.toString('utf8') };
}

/** Parse a form-encoded or JSON body into fields; every failure is a 4xx with a sentence for the visitor. */
export function readFields(event: APIGatewayProxyEvent): BodyResult {
  const json = wantsJson(event);
  const body = bodyText(event);
  if (!body.ok) return { ok: false, status: 413, message: `The request is too large (the limit is ${MAX_BODY_BYTES / 1024} KB).`, json };
  const type = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return { ok: false, status: 400, message: 'The body is not valid JSON.', json };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, status: 400, message: 'The body must be a JSON object of fields.', json };
    }
    return { ok: true, fields: parsed as Record<string, unknown>, json };
  }
  if (type === 'application/x-www-form-urlencoded' || (type === '' && body.text === '')) {
    const fields: Record<string, unknown> = {};
    for (const [name, value] of new URLSearchParams(body.text)) {
      if (Object.hasOwn(fields, name)) return { ok: false, status: 400, message: `Send one value for "${fieldLabel(name)}".`, json };
      fields[name] = value;
    }
    return { ok: true, fields, json };
  }
  return { ok: false, status: 415, message: 'Send the form as application/x-www-form-urlencoded or application/json.', json };
}

function fieldLabel(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'a field';
}

/** A whole number from a JSON number or a form string; an empty form field counts as missing. */
const wholeNumber = (min: number, max: number, what: string) => {
  const notWhole = `${what} must be a whole number`;
  const outOfRange = `${what} must be ${min} to ${max}`;
  return z.pipe(
    z.union([z.number(), z.pipe(z.string().check(z.trim(), z.regex(/^-?\d{1,6}$/, notWhole)), z.transform(Number))]),
    z.number().check(z.int(notWhole), z.gte(min, outOfRange), z.lte(max, outOfRange)),
  );
};

/** An empty form field counts as missing (a transform piped into `schema`: zod/mini has no `z.preprocess`). */
const emptyAsMissing = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? undefined : value)),
    schema,
  );

const token = z.string().check(z.maxLength(1000));

/** A checkbox: `on` from a browser (which leaves an unticked box out), a boolean from JSON. */
const checkbox = z.optional(z.union([z.boolean(), z.enum(['on', 'true', 'false'])]));

/** Whether a checkbox value is ticked. */
export const isTicked = (value: unknown): boolean => value === true || value === 'on' || value === 'true';

const preferenceFields = {
  topics: z.optional(
    z.string('Topics must be text').check(z.maxLength(MAX_TOPIC_FILTER_LENGTH, `Topics can be at most ${MAX_TOPIC_FILTER_LENGTH} characters`)),
  ),
  frequency: emptyAsMissing(z.optional(z.enum(['daily', 'weekly'], 'Choose daily or weekly'))),
  weekday: emptyAsMissing(z.optional(wholeNumber(1, 7, 'The weekday'))),
  hour: emptyAsMissing(z.optional(wholeNumber(0, 23, 'The hour'))),
  timeZone: emptyAsMissing(
    z.optional(
      z
        .string('The time zone must be text')
        .check(z.maxLength(64, 'Unknown time zone'), z.refine(isValidTimeZone, 'Unknown time zone; choose one from the list')),
    ),
  ),
  maxPapers: emptyAsMissing(z.optional(wholeNumber(PAPERS_PER_EMAIL.min, PAPERS_PER_EMAIL.max, 'Papers per email'))),
  sendEmptyDigest: checkbox,
};

export const signUpSchema = z.strictObject({
  email: z.string('Enter one email address').check(z.maxLength(1000, 'That address is too long')),
  ...preferenceFields,
  /** Honeypot: hidden from people, filled by bots. */
  website: z.optional(z.string().check(z.maxLength(1000))),
});

export const preferencesSchema = z.strictObject({
  token,
  action: z.optional(z.enum(['save', 'pause', 'resume', 'weekly', 'forget-feedback'])),
  ...preferenceFields,
  paused: checkbox,
});

export const tokenFormSchema = z.strictObject({ token });

/** The feedback page's button: the token and the direction it takes. */
export const feedbackFormSchema = z.strictObject({ token, vote: z.enum(['more', 'fewer']) });

/** What is wrong with a typed topic filter (too long, or what the filter parser says), or undefined when it parses. */
export function topicFilterProblem(topics: string): string | undefined {
  if (topics.length > MAX_TOPIC_FILTER_LENGTH) return `Topics can be at most ${MAX_TOPIC_FILTER_LENGTH} characters`;
  try {
    parseTopicFilter(topics);
    return undefined;
  } catch (error) {
    if (!(error instanceof TopicFilterError)) throw error;
    return error.message;
  }
}

export type FormParse<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Validate `fields` with `schema`, and the topics with the filter parser; errors keyed by field. */
export function parseForm<S extends z.ZodMiniType>(schema: S, fields: Record<string, unknown>): FormParse<z.output<S>> {
  const parsed = schema.safeParse(fields);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        errors.form = `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.map(fieldLabel).join(', ')}.`;
        continue;
      }
      const field = String(issue.path[0] ?? 'form');
      errors[field] ??= issue.message;
    }
  }
  const topics = typeof fields.topics === 'string' ? fields.topics : undefined;
  if (topics !== undefined && errors.topics === undefined) {
    const problem = topicFilterProblem(topics);
    if (problem) errors.topics = problem;
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** The preferences a parsed form chose, topics trimmed; a field left out stays out (keeping the current or default value). */
export function chosenPreferences(value: Partial<Record<keyof Preferences, unknown>>): Partial<Preferences> {
  const chosen: Partial<Preferences> = {};
  if (typeof value.topics === 'string') chosen.topics = value.topics.trim();
  if (value.frequency !== undefined) chosen.frequency = value.frequency as Preferences['frequency'];
  if (value.weekday !== undefined) chosen.weekday = value.weekday as number;
  if (value.hour !== undefined) chosen.hour = value.hour as number;
  // An alias or retired spelling (US/Eastern, Asia/Calcutta) is kept under the zone's modern name.
  if (value.timeZone !== undefined) chosen.timeZone = canonicalTimeZone(value.timeZone as string) ?? (value.timeZone as string);
  if (value.maxPapers !== undefined) chosen.maxPapers = value.maxPapers as number;
  if (value.sendEmptyDigest !== undefined) chosen.sendEmptyDigest = isTicked(value.sendEmptyDigest);
  return chosen;
}

/**
 * The preferences as typed, for a form shown again beside its errors: every field that is valid on
 * its own is kept (so an error in one field never resets the schedule or the time zone), the topics
 * as written, and a whole number out of range as typed (99 papers stays 99 beside its error).
 */
export function typedPreferences(fields: Record<string, unknown>): Partial<Preferences> {
  const valid: Partial<Record<keyof Preferences, unknown>> = {};
  for (const [name, schema] of Object.entries(preferenceFields) as [keyof typeof preferenceFields, z.ZodMiniType][]) {
    const parsed = schema.safeParse(fields[name]);
    if (parsed.success && parsed.data !== undefined) valid[name] = parsed.data;
  }
  const typed = chosenPreferences(valid);
  const topics = typedTopics(fields);
  if (topics !== undefined) typed.topics = topics;
  const count = typeof fields.maxPapers === 'string' ? fields.maxPapers.trim() : fields.maxPapers;
  if (typed.maxPapers === undefined && (typeof count === 'number' || (typeof count === 'string' && /^-?\d{1,6}$/.test(count)))) {
    typed.maxPapers = Number(count);
  }
  if (fields.paused !== undefined) typed.paused = isTicked(fields.paused);
  return typed;
}

/** A typed topics field as the visitor sent it, cut to the longest a filter may be, to show again beside its error. */
export function typedTopics(fields: Record<string, unknown>): string | undefined {
  return typeof fields.topics === 'string' ? fields.topics.slice(0, MAX_TOPIC_FILTER_LENGTH) : undefined;
}
