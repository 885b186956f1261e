import { normaliseEmailAddress } from '../../lambdas/core/email-address';

const ZWSP = '\u200b';
const label = (char: string, length: number) => char.repeat(length);
/** A syntactically valid domain of exactly `length` characters, ending in `.com`. */
function domainOfLength(length: number): string {
  const labels: string[] = [];
  let remaining = length - '.com'.length;
  for (const char of 'abcdefgh') {
    if (remaining <= 0) break;
    const size = Math.min(63, remaining);
    labels.push(label(char, size));
    remaining -= size + 1;
    if (remaining === 0) throw new Error('length leaves an empty label; pick another');
  }
  return `${labels.join('.')}.com`;
}

describe('normaliseEmailAddress accepts', () => {
  it.each([
    ['a plain address', 'user@example.com', 'user@example.com'],
    ['surrounding ASCII whitespace', ' \t user@example.com \r\n', 'user@example.com'],
    ['a leading zero-width space, keeping the local part and lowercasing the domain', `${ZWSP} Victim@EXAMPLE.com`, 'Victim@example.com'],
    ['zero-width joiners, word joiners and BOMs at the edges', '\ufeff\u2060user@example.com\u200d\u200c', 'user@example.com'],
    ['a plus tag, as typed', 'Jane.Doe+papers@Example.ORG', 'Jane.Doe+papers@example.org'],
    ['every atext character', "a!#$%&'*+/=?^_`{|}~-z@example.com", "a!#$%&'*+/=?^_`{|}~-z@example.com"],
    ['percent signs in the local part, literally (never decoded)', 'a%0d%0abcc@example.com', 'a%0d%0abcc@example.com'],
    ['an internationalised domain, as punycode', 'user@bücher.de', 'user@xn--bcher-kva.de'],
    ['an uppercase internationalised domain', 'user@BÜCHER.DE', 'user@xn--bcher-kva.de'],
    ['a subdomain with hyphens and digits', 'user@mail-2.example.co.uk', 'user@mail-2.example.co.uk'],
    ['a local part of 64 characters', `${label('l', 64)}@example.com`, `${label('l', 64)}@example.com`],
    ['an address of 254 characters', `${label('l', 64)}@${domainOfLength(189)}`, `${label('l', 64)}@${domainOfLength(189)}`],
  ])('%s', (_case, input, address) => {
    expect(normaliseEmailAddress(input)).toEqual({ ok: true, address });
  });

  it('the 254-character boundary case really is 254 characters', () => {
    expect(`${label('l', 64)}@${domainOfLength(189)}`).toHaveLength(254);
  });
});

/** The refusal each case must get, so a case cannot pass by failing an earlier, unrelated rule. */
const reason = {
  ENTER: /^Please enter your email address/,
  CONTROL: /invisible or control characters/,
  JUST_ONE: /just one email address/,
  BRACKETS: /without a name or angle brackets/,
  SPACES: /cannot contain spaces/,
  QUOTES: /quotation marks/,
  NEEDS_AT: /needs an @/,
  ONE_AT: /exactly one @/,
  LOCAL_MISSING: /before the @ is missing/,
  LOCAL_DOTS: /before the @ cannot start or end with a dot/,
  LOCAL_CHAR: /before the @ contains a character/,
  LOCAL_LONG: /before the @ is too long/,
  ACCENTED: /accented letters/,
  DOMAIN_MISSING: /after the @ is missing/,
  DOMAIN_CHAR: /after the @ contains a character domain names cannot use/,
  DOMAIN_DOTS: /after the @ cannot start or end with a dot/,
  DOMAIN_INVALID: /after the @ is not a valid domain name/,
  FULL_DOMAIN: /needs a full domain name/,
  IP: /IP address/,
  TOO_LONG: /address is too long/,
};

describe('normaliseEmailAddress refuses', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, reason.ENTER],
    ['undefined', undefined, reason.ENTER],
    ['a number', 42, reason.ENTER],
    ['an array of addresses', ['user@example.com'], reason.ENTER],
    ['an object', { email: 'user@example.com' }, reason.ENTER],
    ['an empty string', '', reason.ENTER],
    ['only whitespace and zero-width spaces', ` ${ZWSP}\t`, reason.ENTER],
    ['a header injection with CR LF', 'a@x.com\r\nBcc: y@evil.test', reason.CONTROL],
    ['a header injection with a bare LF', 'a@x.com\nBcc:y@evil.test', reason.CONTROL],
    ['a percent-encoded header injection', 'a@x.com%0d%0aBcc:y@evil.test', reason.ONE_AT],
    ['percent-encoded CR LF in the domain, with a single @', 'a@x.com%0d%0aBcc:evil.test', reason.DOMAIN_CHAR],
    ['a percent-encoded dot in the domain (domainToASCII would decode it)', 'a@x%2ecom', reason.DOMAIN_CHAR],
    ['a tab inside', 'a\tb@example.com', reason.CONTROL],
    ['a NUL inside', 'a\u0000b@example.com', reason.CONTROL],
    ['DEL inside', 'a\u007fb@example.com', reason.CONTROL],
    ['a C1 control inside', 'a\u0085b@example.com', reason.CONTROL],
    ['a zero-width space inside', `vic${ZWSP}tim@example.com`, reason.CONTROL],
    ['a zero-width space in the domain', `victim@exa${ZWSP}mple.com`, reason.CONTROL],
    ['a right-to-left override', 'user@exam\u202eelpmax.com', reason.CONTROL],
    ['a soft hyphen in the domain (IDNA would drop it)', 'user@exam\u00adple.com', reason.CONTROL],
    ['a line separator', 'user@example.com\u2028x', reason.CONTROL],
    ['no @', 'user.example.com', reason.NEEDS_AT],
    ['two @', 'a@b@example.com', reason.ONE_AT],
    ['a quoted local part with a space', '"a b"@x.com', reason.SPACES],
    ['a quoted local part', '"ab"@x.com', reason.QUOTES],
    ['two addresses with a comma', 'a@x.com,b@y.com', reason.JUST_ONE],
    ['two addresses with a semicolon', 'a@x.com;b@y.com', reason.JUST_ONE],
    ['two addresses with a space', 'a@x.com b@y.com', reason.SPACES],
    ['a display name with angle brackets', 'Jane <jane@example.com>', reason.BRACKETS],
    ['angle brackets alone', '<jane@example.com>', reason.BRACKETS],
    ['a non-breaking space inside', 'a\u00a0b@example.com', reason.SPACES],
    ['an empty local part', '@example.com', reason.LOCAL_MISSING],
    ['an empty domain', 'user@', reason.DOMAIN_MISSING],
    ['two dots in a row', 'a..b@x.com', reason.LOCAL_DOTS],
    ['a leading dot', '.a@x.com', reason.LOCAL_DOTS],
    ['a trailing dot', 'a.@x.com', reason.LOCAL_DOTS],
    ['a comment in the local part', 'a(comment)@x.com', reason.LOCAL_CHAR],
    ['a backslash in the local part', 'a\\b@x.com', reason.LOCAL_CHAR],
    ['a non-ASCII local part', 'josé@x.com', reason.ACCENTED],
    ['an IPv4 literal', 'a@[1.2.3.4]', reason.IP],
    ['an IPv6 literal', 'a@[IPv6:::1]', reason.IP],
    ['a bare IPv4 address', 'a@1.2.3.4', reason.IP],
    ['an all-numeric top-level domain', 'a@example.123', reason.DOMAIN_INVALID],
    ['localhost', 'a@localhost', reason.FULL_DOMAIN],
    ['a .localhost name', 'a@app.localhost', reason.FULL_DOMAIN],
    ['a single-label domain', 'a@example', reason.FULL_DOMAIN],
    ['a leading dot in the domain', 'a@.example.com', reason.DOMAIN_DOTS],
    ['a trailing dot in the domain', 'a@example.com.', reason.DOMAIN_DOTS],
    ['two dots in the domain', 'a@example..com', reason.DOMAIN_DOTS],
    ['a label starting with a hyphen', 'a@-example.com', reason.DOMAIN_INVALID],
    ['a label ending with a hyphen', 'a@example-.com', reason.DOMAIN_INVALID],
    ['an underscore in the domain', 'a@ex_ample.com', reason.DOMAIN_CHAR],
    ['a port', 'a@example.com:25', reason.DOMAIN_CHAR],
    ['a path', 'a@example.com/x', reason.DOMAIN_CHAR],
    ['invalid punycode', 'a@xn--zz.com', reason.DOMAIN_INVALID],
    ['a label of 64 characters', `a@${label('d', 64)}.com`, reason.DOMAIN_INVALID],
    ['a local part of 65 characters', `${label('l', 65)}@example.com`, reason.LOCAL_LONG],
    ['an address of 255 characters', `${label('l', 64)}@${domainOfLength(190)}`, reason.TOO_LONG],
    ['an enormous input', `${'a'.repeat(100_000)}@example.com`, reason.TOO_LONG],
  ])('%s', (_case, input, expected) => {
    expect(normaliseEmailAddress(input)).toEqual({ ok: false, reason: expect.stringMatching(expected) });
  });

  it('the 255-character boundary case really is 255 characters', () => {
    expect(`${label('l', 64)}@${domainOfLength(190)}`).toHaveLength(255);
  });

  it('explains a non-ASCII local part in words the visitor can act on', () => {
    const result = normaliseEmailAddress('josé@x.com');
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/accented letters.*before the @.*cannot receive our email/) });
  });

  it.each(['a@x.com\r\nBcc: y@evil.test', 'Jane <jane@secret.example>', 'josé@private.example', 'a..b@x.com', '"quoted"@x.com', 'x@localhost'])(
    'gives a short sentence that never repeats the input: %j',
    (input) => {
      const result = normaliseEmailAddress(input);
      if (result.ok) throw new Error('expected a refusal');
      expect(result.reason).toMatch(/^[A-Z].{10,160}\.$/);
      for (const piece of input.split(/[^A-Za-z0-9]+/).filter((word) => word.length >= 4)) {
        expect(result.reason.toLowerCase()).not.toContain(piece.toLowerCase());
      }
    },
  );
});
