// Request bodies of the sign-up site: size and type checks, then one strict zod schema per form.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { isValidTimeZone } from '../core/local-time';
import { parseTopicFilter, TopicFilterError } from '../core/topic-filter';

/** Largest body accepted; a form of ours is well under 1 KB. */
export const MAX_BODY_BYTES = 8 * 1024;

export type FieldErrors = Partial<Record<string, string>>;

export type BodyResult =
  | { ok: true; fields: Record<string, unknown>; json: boolean }
  | { ok: false; status: 400 | 413 | 415; message: string; json: boolean };

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
const wholeNumber = (min: number, max: number, what: string) =>
  z
    .union([z.number(), z.string().trim().regex(/^-?\d{1,6}$/, `${what} must be a whole number`).transform(Number)])
    .pipe(z.number().int(`${what} must be a whole number`).min(min, `${what} must be ${min} to ${max}`).max(max, `${what} must be ${min} to ${max}`));

const emptyAsMissing = (value: unknown) => (value === '' ? undefined : value);

const preferenceFields = {
  topics: z.string('Topics must be text').max(500, 'Topics can be at most 500 characters').optional(),
  frequency: z.preprocess(emptyAsMissing, z.enum(['daily', 'weekly'], 'Choose daily or weekly').optional()),
  weekday: z.preprocess(emptyAsMissing, wholeNumber(1, 7, 'The weekday').optional()),
  hour: z.preprocess(emptyAsMissing, wholeNumber(0, 23, 'The hour').optional()),
  timeZone: z.preprocess(
    emptyAsMissing,
    z.string('The time zone must be text').max(64, 'Unknown time zone').refine(isValidTimeZone, 'Unknown time zone; choose one from the list').optional(),
  ),
  maxPapers: z.preprocess(emptyAsMissing, wholeNumber(1, 30, 'Papers per email').optional()),
};

export const signUpSchema = z
  .object({
    email: z.string('Enter one email address').max(1000, 'That address is too long'),
    ...preferenceFields,
    /** Honeypot: hidden from people, filled by bots. */
    website: z.string().max(1000).optional(),
  })
  .strict();

export const preferencesSchema = z
  .object({
    token: z.string().max(1000),
    action: z.enum(['save', 'pause', 'resume', 'weekly']).optional(),
    ...preferenceFields,
    paused: z.union([z.boolean(), z.enum(['on', 'true', 'false'])]).optional(),
  })
  .strict();

export const tokenFormSchema = z.object({ token: z.string().max(1000) }).strict();

export type FormParse<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Validate `fields` with `schema`, and the topics with the filter parser; errors keyed by field. */
export function parseForm<S extends z.ZodType>(schema: S, fields: Record<string, unknown>): FormParse<z.infer<S>> {
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
    try {
      parseTopicFilter(topics);
    } catch (error) {
      if (!(error instanceof TopicFilterError)) throw error;
      errors.topics = error.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}
