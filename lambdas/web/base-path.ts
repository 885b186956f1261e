// Where the site lives under its host, read from the request, and the one way a page names another page of the site.
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A path of the site as the route table names it: `/`, `/subscribe`, `/unsubscribe?token=...`. */
export type SitePath = `/${string}`;

/**
 * `''` at a domain's root, or `/segment[/segment...]` with no trailing slash. Segments are
 * unreserved characters and not `.` or `..`, so a base path can never make `//host` or `/\host`
 * of a link, nor climb out of itself.
 */
const BASE_PATH = /^(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9._~-]+)*$/;

const withoutTrailingSlashes = (path: string) => path.replace(/\/+$/, '');

/**
 * The prefix the client put before the route's path: API Gateway's REST proxy event carries the
 * resource path in `event.path` (`/subscribe`) and the path the client used in
 * `requestContext.path` (`/prod/subscribe` at the execute-api URL, `/subscribe` behind a custom
 * domain mapped at its root), so the base path is the difference. `''` when the event says
 * nothing (a direct invocation) or something no gateway would send.
 */
export function basePathOf(event: Pick<APIGatewayProxyEvent, 'path'> & { requestContext?: { path?: string } | null }): string {
  const full = event.requestContext?.path;
  if (!full || !event.path) return '';
  const route = withoutTrailingSlashes(event.path);
  const used = withoutTrailingSlashes(full);
  if (!used.endsWith(route)) return '';
  const base = used.slice(0, used.length - route.length);
  return BASE_PATH.test(base) ? base : '';
}

/** `path` under `base` (from basePathOf): `sitePath('/prod', '/subscribe')` is `/prod/subscribe`, `sitePath('', '/')` is `/`. */
export function sitePath(base: string, path: SitePath): string {
  if (!BASE_PATH.test(base)) throw new Error('a base path is empty or /segment[/segment...] without a trailing slash');
  return `${base}${path}`;
}
