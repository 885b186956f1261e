// The last-line guard of every logger: masks email addresses and link tokens that slip into a log line anyway.
import { maskAddresses } from '../../core/privacy';

/**
 * A signed token as lambdas/core/tokens.ts writes it: a base64url body (at least 18 characters for
 * the shortest claims) and a dot before the 43-character base64url HMAC-SHA256.
 */
const TOKEN_PATTERN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
/** Whatever follows `token=` in a URL, well-formed or not: a cut or altered token is still someone's link. */
const TOKEN_PARAMETER_PATTERN = /([?&]token=)[^&#\s"'<>]+/g;

/** Callers must never log addresses or tokens; this masks any that slip through anyway. */
export function redact(text: string): string {
  return maskAddresses(text, '[redacted-email]').replace(TOKEN_PARAMETER_PATTERN, '$1[redacted-token]').replace(TOKEN_PATTERN, '[redacted-token]');
}
