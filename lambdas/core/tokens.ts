// Signed, purpose-bound tokens for the links in emails (confirm, preferences, unsubscribe, a digest's web version, feedback on a paper).
// Written on node:crypto rather than a JWT library: the format is four short fields, and a JWT
// would put a readable JSON payload and an algorithm choice into every unsubscribe URL.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DAY_MS } from './day';
import * as z from './zod';

export type TokenPurpose = 'confirm' | 'preferences' | 'unsubscribe' | 'view' | 'feedback';

const PURPOSES: readonly TokenPurpose[] = ['confirm', 'preferences', 'unsubscribe', 'view', 'feedback'];

/**
 * Purposes whose token names one thing besides the subscriber (a digest's date for `view`, a paper
 * for `feedback`); a token of these purposes without a subject, or of the others with one, is refused.
 */
const PURPOSES_WITH_SUBJECT: ReadonlySet<TokenPurpose> = new Set(['view', 'feedback']);

/** How long a token of each purpose stays valid after it is issued. */
export const TOKEN_LIFETIMES_MS: Readonly<Record<TokenPurpose, number>> = {
  confirm: 7 * DAY_MS,
  preferences: 180 * DAY_MS,
  // RFC 8058 and the mailbox providers ask that unsubscribe links keep working long after the send.
  unsubscribe: 365 * DAY_MS,
  // A digest's web version and its feedback links work as long as the email is worth reopening.
  view: 365 * DAY_MS,
  feedback: 365 * DAY_MS,
};

/** TOKEN_LIFETIMES_MS[purpose] in words, for the pages that explain an expired link: `7 days`, `a year`. */
export function tokenLifetimeText(purpose: TokenPurpose): string {
  const days = Math.round(TOKEN_LIFETIMES_MS[purpose] / DAY_MS);
  if (days % 365 === 0) return days === 365 ? 'a year' : `${days / 365} years`;
  return days === 1 ? 'a day' : `${days} days`;
}

/** Longest token accepted for verification; anything longer is refused before any hashing. */
export const MAX_TOKEN_LENGTH = 256;

/** Signing keys by id; `current` signs, every key verifies, so keys can rotate without breaking links. */
export interface Keyring {
  current: string;
  keys: Readonly<Record<string, Buffer>>;
}

export interface TokenClaims {
  subscriberId: string;
  purpose: TokenPurpose;
  /** What else the token is about: a digest's date (`view`), a paper id (`feedback`); required by those purposes only. */
  subject?: string | undefined;
}

export type TokenCheck =
  | { ok: true; subscriberId: string; issuedAt: Date; subject?: string | undefined }
  | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' | 'wrong-purpose' | 'expired' };

const keyIdPattern = /^[A-Za-z0-9_-]{1,16}$/;
const subscriberIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
/** Dates and paper ids, old-style arXiv ids (`hep-th/9901001`) included; the dot is allowed because the subject is the last field. */
const subjectPattern = /^[A-Za-z0-9._:/-]{1,64}$/;

function subjectFits(purpose: TokenPurpose, subject: string | undefined): boolean {
  return PURPOSES_WITH_SUBJECT.has(purpose) ? subject !== undefined && subjectPattern.test(subject) : subject === undefined;
}

const keyringSchema = z
  .catchall(
    z.object({ current: z.string().check(z.regex(keyIdPattern, 'key ids are 1-16 letters, digits, _ or -')) }),
    z.string().check(z.minLength(32, 'each key needs at least 32 characters of secret')),
  )
  .check(
    z.superRefine((ring, context) => {
      for (const id of Object.keys(ring)) {
        if (id !== 'current' && !keyIdPattern.test(id)) context.addIssue({ code: 'custom', message: 'key ids are 1-16 letters, digits, _ or -' });
      }
      if (!Object.hasOwn(ring, ring.current) || ring.current === 'current') {
        context.addIssue({ code: 'custom', message: 'the current key id is not among the keys' });
      }
    }),
  );

/**
 * Parse a keyring from JSON: `{"current":"k2","k1":"<secret>","k2":"<secret>"}`. Every property but
 * `current` is a key; flat, so a generated Secrets Manager secret has the right shape from the start.
 */
export function parseKeyring(text: string): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('keyring is not valid JSON');
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`keyring is invalid: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  const { current, ...secrets } = parsed.data;
  // No prototype: a key id from a token (`__proto__`, `constructor`) must find nothing but a key.
  const keys: Record<string, Buffer> = Object.create(null) as Record<string, Buffer>;
  for (const [id, secret] of Object.entries(secrets)) keys[id] = Buffer.from(secret as string, 'utf8');
  return { current, keys };
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

/**
 * Sign a token: `base64url(keyId.purpose.subscriberId.issuedSeconds[.subject]).base64url(hmac)`.
 * The subscriber id is opaque, so the token reveals no address.
 */
export function signToken(keyring: Keyring, claims: TokenClaims, now: Date): string {
  if (!subscriberIdPattern.test(claims.subscriberId)) throw new Error('subscriber id cannot be put in a token');
  if (!subjectFits(claims.purpose, claims.subject)) throw new Error(`a ${claims.purpose} token cannot carry that subject`);
  const key = keyring.keys[keyring.current];
  if (!key) throw new Error('the current signing key is missing');
  const issued = Math.floor(now.getTime() / 1000).toString(36);
  const subject = claims.subject === undefined ? '' : `.${claims.subject}`;
  const body = Buffer.from(`${keyring.current}.${claims.purpose}.${claims.subscriberId}.${issued}${subject}`).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** Verify a token for `purpose` at `now`: signature in constant time, then purpose and age. */
export function verifyToken(keyring: Keyring, token: unknown, purpose: TokenPurpose, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [body, signature] = parts as [string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return { ok: false, reason: 'malformed' };

  const fields = Buffer.from(body, 'base64url').toString('utf8').split('.');
  if (fields.length < 4) return { ok: false, reason: 'malformed' };
  const [keyId, tokenPurpose, subscriberId, issued] = fields as [string, string, string, string];
  const subject = fields.length > 4 ? fields.slice(4).join('.') : undefined;
  // Own keys only, and only Buffers: a keyring built by hand may still be a plain object.
  const key = Object.hasOwn(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (!Buffer.isBuffer(key)) return { ok: false, reason: 'unknown-key' };

  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  // Node decodes base64 leniently (the last character's spare bits are ignored), so a flipped spare
  // bit would still verify; only the canonical spelling of the signature is accepted.
  const canonical = given.toString('base64url') === signature;
  if (given.length !== expected.length || !timingSafeEqual(given, expected) || !canonical) return { ok: false, reason: 'bad-signature' };

  if (!PURPOSES.includes(tokenPurpose as TokenPurpose) || tokenPurpose !== purpose) return { ok: false, reason: 'wrong-purpose' };
  if (!subscriberIdPattern.test(subscriberId) || !/^[0-9a-z]{1,10}$/.test(issued) || !subjectFits(purpose, subject)) {
    return { ok: false, reason: 'malformed' };
  }
  const issuedAt = new Date(parseInt(issued, 36) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  // A token from the future (clock skew beyond a minute) is as suspect as an old one.
  if (age > TOKEN_LIFETIMES_MS[purpose] || age < -60_000) return { ok: false, reason: 'expired' };
  return subject === undefined ? { ok: true, subscriberId, issuedAt } : { ok: true, subscriberId, issuedAt, subject };
}
