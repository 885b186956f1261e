// The site's responses that are not one page's own: HTML and JSON envelopes, link problems, and the pages of the dispatcher's errors.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { tokenLifetimeText, type TokenPurpose } from '../core/tokens';
import { CONFIRMATION_LIMITS } from '../use-cases/sign-ups';
import { sitePath } from './base-path';
import { messagePage, SECURITY_HEADERS } from './pages';

export const html = (statusCode: number, body: string): APIGatewayProxyResult => ({ statusCode, headers: { ...SECURITY_HEADERS }, body });

export const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});

/** Why a link from an email cannot be used. */
export type LinkProblem = 'invalid' | 'expired' | 'superseded';

const LINK_PROBLEMS = {
  invalid: { title: 'This link does not work', message: 'The link is incomplete or was changed. Use the newest link from your email.' },
  superseded: { title: 'This link is out of date', message: 'It belongs to an earlier sign-up. Use the link in the newest email.' },
} as const;

/** What to do about an expired link of each purpose, with its lifetime from TOKEN_LIFETIMES_MS. */
export function expiredLinkMessage(purpose: TokenPurpose): string {
  const lifetime = tokenLifetimeText(purpose);
  switch (purpose) {
    case 'confirm':
      return `Confirmation links work for ${lifetime}. Sign up again to get a new one.`;
    case 'preferences':
      return `Preference links work for ${lifetime}. Every digest carries a fresh one.`;
    case 'unsubscribe':
      return `Unsubscribe links work for ${lifetime}. Every digest carries a fresh one; use the newest.`;
    case 'view':
      return `Web versions of a digest stay open for ${lifetime} after it was sent.`;
    case 'feedback':
      return `"More like this" and "Fewer like this" links work for ${lifetime}. Use the ones in a newer digest.`;
  }
}

/**
 * An old confirmation link after the address signed up again: a newer email may have been held back
 * by the per-address limit, so say when asking again sends one. Only the link's holder sees this.
 */
const SUPERSEDED_CONFIRMATION = {
  title: 'This link is out of date',
  message: `It belongs to an earlier sign-up. Use the link in the newest confirmation email. None arrived? We send one every ${CONFIRMATION_LIMITS.cooldownMs / 60_000} minutes at most: sign up again after that and a new link is sent.`,
};

/** The 400 page for a link of `purpose` that cannot be used, pointing back to the sign-up page. */
export function linkProblem(base: string, reason: LinkProblem, purpose: TokenPurpose): APIGatewayProxyResult {
  const problem =
    reason === 'expired'
      ? { title: 'This link has expired', message: expiredLinkMessage(purpose) }
      : reason === 'superseded' && purpose === 'confirm'
        ? SUPERSEDED_CONFIRMATION
        : LINK_PROBLEMS[reason];
  return html(400, messagePage({ base, ...problem, linkHref: sitePath(base, '/'), linkText: 'Go to the sign-up page' }));
}

/** The page for a request the site refuses (a body too large, of the wrong type, not JSON). */
export function refused(base: string, status: number, message: string, link?: { linkHref: string; linkText: string }): APIGatewayProxyResult {
  return html(status, messagePage({ base, title: 'That did not work', message, ...link }));
}

export function notAllowed(base: string, allow: string): APIGatewayProxyResult {
  const page = html(405, messagePage({ base, title: 'Not allowed', message: 'That page does not take this kind of request.' }));
  return { ...page, headers: { ...SECURITY_HEADERS, allow } };
}

export function notFound(base: string, asJson: boolean): APIGatewayProxyResult {
  if (asJson) return json(404, { error: 'not found' });
  return html(
    404,
    messagePage({ base, title: 'Page not found', message: 'There is nothing here.', linkHref: sitePath(base, '/'), linkText: 'Go to the sign-up page' }),
  );
}

export function failed(base: string): APIGatewayProxyResult {
  return html(503, messagePage({ base, title: 'Something went wrong', message: 'Please try again in a minute.' }));
}

/** A change that kept losing to other changes of the same record: nothing was saved, and trying again works. */
export function conflict(base: string): APIGatewayProxyResult {
  return html(409, messagePage({ base, title: 'That did not save', message: 'It was changed somewhere else at the same moment. Please try again.' }));
}
