import { createHmac } from 'node:crypto';
import { parseKeyring, signToken, TOKEN_LIFETIMES_MS, verifyToken, type Keyring } from '../../lambdas/core/tokens';

const secret = (fill: string) => fill.repeat(40);
const ring = (current: string, keys: Record<string, string>): Keyring => parseKeyring(JSON.stringify({ current, ...keys }));

const now = new Date('2026-11-28T08:00:00Z');
const keyring = ring('k1', { k1: secret('a') });
const claims = { subscriberId: 'sub_123', purpose: 'unsubscribe' as const };

describe('signed tokens', () => {
  it('verifies a token it signed, for the same purpose, and names the subscriber', () => {
    const token = signToken(keyring, claims, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(keyring, token, 'unsubscribe', now)).toEqual({ ok: true, subscriberId: 'sub_123', issuedAt: now });
  });

  it('refuses a token for another purpose', () => {
    const token = signToken(keyring, claims, now);
    expect(verifyToken(keyring, token, 'confirm', now)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('keeps links signed with a retired key working after rotation, and signs with the new key', () => {
    const old = signToken(keyring, claims, now);
    const rotated = ring('k2', { k1: secret('a'), k2: secret('b') });
    expect(verifyToken(rotated, old, 'unsubscribe', now).ok).toBe(true);
    const fresh = signToken(rotated, claims, now);
    expect(verifyToken(keyring, fresh, 'unsubscribe', now)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('expires confirm tokens after 7 days but keeps unsubscribe links working past 60 days', () => {
    const confirm = signToken(keyring, { subscriberId: 's1', purpose: 'confirm' }, now);
    const later = (ms: number) => new Date(now.getTime() + ms);
    expect(verifyToken(keyring, confirm, 'confirm', later(TOKEN_LIFETIMES_MS.confirm - 1000)).ok).toBe(true);
    expect(verifyToken(keyring, confirm, 'confirm', later(TOKEN_LIFETIMES_MS.confirm + 1000))).toEqual({ ok: false, reason: 'expired' });
    const unsubscribe = signToken(keyring, claims, now);
    expect(verifyToken(keyring, unsubscribe, 'unsubscribe', later(61 * 24 * 3600 * 1000)).ok).toBe(true);
  });

  it('refuses a token signed by another keyring with the same key id', () => {
    const forged = signToken(ring('k1', { k1: secret('z') }), claims, now);
    expect(verifyToken(keyring, forged, 'unsubscribe', now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses every single-bit flip of a token', () => {
    const token = signToken(keyring, claims, now);
    const bytes = Buffer.from(token, 'latin1');
    for (let index = 0; index < bytes.length; index += 1) {
      const flipped = Buffer.from(bytes);
      flipped[index] = flipped[index]! ^ 0x01;
      expect(verifyToken(keyring, flipped.toString('latin1'), 'unsubscribe', now).ok).toBe(false);
    }
  });

  it.each([
    ['empty', ''],
    ['10 KB long', 'a'.repeat(10_240)],
    ['no separator', 'abcdef'],
    ['short signature', `${Buffer.from('k1.unsubscribe.sub_123.1').toString('base64url')}.abc`],
    ['three parts', 'a.b.c'],
    ['not a string', 42],
    ['undefined', undefined],
  ])('calls a %s token malformed', (_label, token) => {
    expect(verifyToken(keyring, token, 'unsubscribe', now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('never puts anything but the opaque id in the token', () => {
    expect(() => signToken(keyring, { subscriberId: 'someone@example.com', purpose: 'confirm' }, now)).toThrow();
  });
});

describe('parseKeyring', () => {
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['missing current key', JSON.stringify({ current: 'k9', k1: secret('a') }), /current key id/],
    ['short secret', JSON.stringify({ current: 'k1', k1: 'short' }), /32 characters/],
    ['bad key id', JSON.stringify({ current: 'k.1', 'k.1': secret('a') }), /key ids/],
    ['no keys at all', JSON.stringify({ current: 'k1' }), /current key id/],
  ])('rejects a keyring with %s', (_label, text, message) => {
    expect(() => parseKeyring(text)).toThrow(message);
  });
});

describe('signature spelling', () => {
  it('refuses a signature whose last character differs only in bits base64 ignores', () => {
    // Search issue times until the signature ends in a character with a lenient twin ('0'/'1', '4'/'5', '8'/'9').
    const twins: Record<string, string> = { '0': '1', '4': '5', '8': '9', E: 'F', Q: 'R', g: 'h', w: 'x' };
    for (let second = 0; second < 10_000; second += 1) {
      const token = signToken(keyring, claims, new Date(now.getTime() + second * 1000));
      const twin = twins[token.at(-1)!];
      if (!twin) continue;
      const at = new Date(now.getTime() + second * 1000);
      expect(verifyToken(keyring, token, 'unsubscribe', at).ok).toBe(true);
      expect(verifyToken(keyring, token.slice(0, -1) + twin, 'unsubscribe', at)).toEqual({ ok: false, reason: 'bad-signature' });
      return;
    }
    throw new Error('no signature with a lenient last character found');
  });
});

describe('key ids that name Object.prototype members', () => {
  /** A token with `keyId` in its body and a well-formed signature no key made. */
  const forged = (keyId: string, purpose = 'unsubscribe') =>
    `${Buffer.from(`${keyId}.${purpose}.sub_123.${Math.floor(now.getTime() / 1000).toString(36)}`).toString('base64url')}.${'A'.repeat(43)}`;

  it.each(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'])(
    'calls a token signed with key id %s an unknown key, without throwing',
    (keyId) => {
      expect(verifyToken(keyring, forged(keyId), 'unsubscribe', now)).toEqual({ ok: false, reason: 'unknown-key' });
    },
  );

  it('refuses a keyring whose key id is __proto__ rather than making the secret a prototype', () => {
    expect(() => parseKeyring(`{"current":"__proto__","__proto__":"${secret('p')}"}`)).toThrow(/current key id is not among the keys/);
  });
});

describe('tokens about one thing besides the subscriber', () => {
  const mac = (body: string) =>
    createHmac('sha256', Buffer.from(secret('a')))
      .update(body)
      .digest('base64url');
  const forge = (fields: string) => {
    const body = Buffer.from(fields).toString('base64url');
    return `${body}.${mac(body)}`;
  };

  it.each([
    ['view', '2026-11-28'],
    ['feedback', '2411.04965'],
    ['feedback', 'hep-th/9901001v2'],
  ] as const)('carries a %s subject (%s) and gives it back', (purpose, subject) => {
    const token = signToken(keyring, { subscriberId: 'sub_123', purpose, subject }, now);
    expect(verifyToken(keyring, token, purpose, now)).toEqual({ ok: true, subscriberId: 'sub_123', issuedAt: now, subject });
  });

  it('refuses to sign a view or feedback token without a subject, or another purpose with one', () => {
    expect(() => signToken(keyring, { subscriberId: 'sub_123', purpose: 'view' }, now)).toThrow(/view token/);
    expect(() => signToken(keyring, { subscriberId: 'sub_123', purpose: 'feedback', subject: 'a b' }, now)).toThrow(/feedback token/);
    expect(() => signToken(keyring, { subscriberId: 'sub_123', purpose: 'unsubscribe', subject: '2411.04965' }, now)).toThrow(/unsubscribe token/);
  });

  it('calls a correctly signed token malformed when its subject does not fit its purpose', () => {
    const issued = Math.floor(now.getTime() / 1000).toString(36);
    expect(verifyToken(keyring, forge(`k1.view.sub_123.${issued}`), 'view', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(keyring, forge(`k1.unsubscribe.sub_123.${issued}.2411.04965`), 'unsubscribe', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken(keyring, forge(`k1.feedback.sub_123.${issued}.<script>`), 'feedback', now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps view links working for a year', () => {
    const token = signToken(keyring, { subscriberId: 'sub_123', purpose: 'view', subject: '2026-11-28' }, now);
    expect(verifyToken(keyring, token, 'view', new Date(now.getTime() + 364 * 24 * 3600 * 1000)).ok).toBe(true);
    expect(verifyToken(keyring, token, 'view', new Date(now.getTime() + 366 * 24 * 3600 * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('does not let a view token stand in for a feedback one', () => {
    const token = signToken(keyring, { subscriberId: 'sub_123', purpose: 'view', subject: '2026-11-28' }, now);
    expect(verifyToken(keyring, token, 'feedback', now)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });
});
