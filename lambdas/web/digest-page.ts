// The responses of a digest's web version: the email's HTML served as a private, unindexed page, and an honest page for each day without one.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { formatLongDate } from '../core/render/text-format';
import type { DigestWebVersion, NoWebVersion } from '../use-cases/digest-web-version';
import { sitePath } from './base-path';
import { messagePage, SECURITY_HEADERS } from './pages';
import { linkProblem, type LinkProblem } from './responses';

/** Kept out of search engines, whatever the page says; a link shared by mistake is still not indexed. */
const NOT_INDEXED = { 'X-Robots-Tag': 'noindex, nofollow' } as const;

/**
 * The site's headers, but for styles: the email's HTML carries inline style attributes, which no
 * hash can allow, and runs no script. Private: its footer links are the reader's own, signed for them.
 */
const DIGEST_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...SECURITY_HEADERS,
  ...NOT_INDEXED,
  'Content-Security-Policy': [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'Cache-Control': 'private, max-age=3600',
});

interface NoWebVersionPage {
  status: number;
  title: string;
  message: string;
  /** Where the page points; the latest papers unless said. */
  link?: 'sign-up';
}

/** The page for each day without a web version; `{day}` is the digest's date in words. */
const NO_WEB_VERSION: Record<Exclude<NoWebVersion, LinkProblem>, NoWebVersionPage> = {
  gone: { status: 410, title: 'This digest is no longer available', message: 'The subscription it was sent to no longer exists.' },
  withdrawn: {
    status: 410,
    title: 'You unsubscribed',
    message: 'The web versions of your digests closed when you unsubscribed. Sign up again to get new ones.',
    link: 'sign-up',
  },
  empty: { status: 404, title: 'No digest for {day}', message: 'Nothing new matched your topics that day, so no digest was sent.' },
  sending: { status: 404, title: 'This digest is on its way', message: 'The digest for {day} is being sent right now. Open the link again in a few minutes.' },
  'not-sent': { status: 404, title: 'No digest for {day}', message: 'No digest was sent to you for that day.' },
  'papers-gone': { status: 410, title: 'This digest is no longer available', message: 'The papers of the digest for {day} are no longer kept.' },
};

const isLinkProblem = (reason: NoWebVersion): reason is LinkProblem => reason === 'invalid' || reason === 'expired' || reason === 'superseded';

/** The web version, or the page that says why there is none. */
export function digestPageResponse(base: string, version: DigestWebVersion): APIGatewayProxyResult {
  if (version.ok) return { statusCode: 200, headers: { ...DIGEST_PAGE_HEADERS }, body: version.html };
  if (isLinkProblem(version.reason)) {
    const problem = linkProblem(base, version.reason, 'view');
    return { ...problem, headers: { ...problem.headers, ...NOT_INDEXED } };
  }
  const { status, title, message, link } = NO_WEB_VERSION[version.reason];
  const day = version.localDate ? formatLongDate(version.localDate) : 'that day';
  const page = messagePage({
    base,
    title: title.replace('{day}', day),
    message: message.replace('{day}', day),
    ...(link === 'sign-up'
      ? { linkHref: sitePath(base, '/'), linkText: 'Go to the sign-up page' }
      : { linkHref: sitePath(base, '/papers'), linkText: 'See the latest trending papers' }),
  });
  return { statusCode: status, headers: { ...SECURITY_HEADERS, ...NOT_INDEXED }, body: page };
}
