// Vets and normalises the one email address a visitor types into the sign-up form.
import { domainToASCII, domainToUnicode } from 'node:url';

export type EmailAddressCheck = { ok: true; address: string } | { ok: false; reason: string };

/** RFC 5321 limits, in octets; a normalised address is ASCII, so characters and octets agree. */
export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 254;

/** Inputs longer than this are refused before any other work. */
const MAX_INPUT_LENGTH = 1024;

const EDGE_JUNK = /^[\t\n\v\f\r \u200b-\u200d\u2060\ufeff]+|[\t\n\v\f\r \u200b-\u200d\u2060\ufeff]+$/g;
/** Controls (C0, DEL, C1), format characters (zero-width, bidi overrides, soft hyphen, BOM) and line separators. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const LIST_SEPARATOR = /[,;]/;
const ANGLE_BRACKET = /[<>]/;
const WHITESPACE = /\s/;
const NON_ASCII = /[^\x00-\x7f]/;
const ATEXT_RUN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** Percent signs, brackets, colons and the like: domainToASCII would decode or reinterpret some of them. */
const ASCII_OUTSIDE_HOSTNAME = /[\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const NUMERIC = /^[0-9]+$/;

const refuse = (reason: string): EmailAddressCheck => ({ ok: false, reason });

/**
 * The address to store and send to, or a short reason to show the visitor (it never echoes the
 * input). The local part is kept exactly as typed; the domain is lowercased and converted to
 * punycode. Only a single unquoted dot-atom address at a public-looking domain name is accepted.
 */
export function normaliseEmailAddress(input: unknown): EmailAddressCheck {
  if (typeof input !== 'string') return refuse('Please enter your email address.');
  if (input.length > MAX_INPUT_LENGTH) return refuse('That email address is too long.');
  const trimmed = input.replace(EDGE_JUNK, '');
  if (!trimmed) return refuse('Please enter your email address.');
  if (INVISIBLE_OR_CONTROL.test(trimmed)) return refuse('The email address contains invisible or control characters; please type it again.');
  if (LIST_SEPARATOR.test(trimmed)) return refuse('Please enter just one email address.');
  if (ANGLE_BRACKET.test(trimmed)) return refuse('Please enter just the email address, without a name or angle brackets.');
  if (WHITESPACE.test(trimmed)) return refuse('An email address cannot contain spaces.');
  if (trimmed.includes('"')) return refuse('Email addresses with quotation marks are not supported.');

  const at = trimmed.indexOf('@');
  if (at < 0) return refuse('That does not look like an email address: it needs an @.');
  if (trimmed.indexOf('@', at + 1) >= 0) return refuse('An email address has exactly one @.');
  const localPart = trimmed.slice(0, at);
  const domainPart = trimmed.slice(at + 1);

  const localProblem = localPartProblem(localPart);
  if (localProblem) return refuse(localProblem);
  const domain = normaliseDomain(domainPart);
  if (!domain.ok) return domain;

  const address = `${localPart}@${domain.address}`;
  if (address.length > MAX_ADDRESS_LENGTH) return refuse('That email address is too long.');
  return { ok: true, address };
}

function localPartProblem(localPart: string): string | undefined {
  if (!localPart) return 'The part before the @ is missing.';
  if (NON_ASCII.test(localPart)) {
    return 'Addresses with accented letters or other non-English characters before the @ cannot receive our email; please use another address.';
  }
  if (localPart.length > MAX_LOCAL_PART_LENGTH) return 'The part before the @ is too long.';
  const atoms = localPart.split('.');
  if (atoms.some((atom) => atom === '')) return 'The part before the @ cannot start or end with a dot, or have two dots in a row.';
  if (!atoms.every((atom) => ATEXT_RUN.test(atom))) return 'The part before the @ contains a character email addresses cannot use.';
  return undefined;
}

/**
 * An `xn--` label must decode to Unicode. Node 20's domainToASCII refused undecodable ones; Node 24's
 * passes them through unchanged, and so does domainToUnicode, which is what gives them away.
 */
function decodesAsPunycode(label: string): boolean {
  return !label.startsWith('xn--') || domainToUnicode(label) !== label;
}

/** The domain as lowercase punycode (in `address`), or the reason it is refused. */
function normaliseDomain(domainPart: string): EmailAddressCheck {
  if (!domainPart) return refuse('The part after the @ is missing.');
  if (domainPart.startsWith('[')) return refuse('Addresses at an IP address are not supported; please use one at a domain name.');
  if (ASCII_OUTSIDE_HOSTNAME.test(domainPart)) return refuse('The part after the @ contains a character domain names cannot use.');
  const domain = domainToASCII(domainPart.toLowerCase()).toLowerCase();
  if (!domain) return refuse('The part after the @ is not a valid domain name.');
  const labels = domain.split('.');
  if (labels.some((label) => label === '')) return refuse('The part after the @ cannot start or end with a dot, or have two dots in a row.');
  if (!labels.every((label) => LABEL.test(label) && decodesAsPunycode(label))) return refuse('The part after the @ is not a valid domain name.');
  const topLevel = labels[labels.length - 1] ?? '';
  if (labels.every((label) => NUMERIC.test(label))) return refuse('Addresses at an IP address are not supported; please use one at a domain name.');
  if (labels.length < 2 || topLevel === 'localhost') return refuse('The part after the @ needs a full domain name, like example.com.');
  if (NUMERIC.test(topLevel)) return refuse('The part after the @ is not a valid domain name.');
  return { ok: true, address: domain };
}
