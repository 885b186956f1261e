// The one route table: the CDK stack builds API Gateway resources from it, the local HTTP adapter dispatches with it.

export type HttpMethod = 'GET' | 'POST';

export interface Route {
  method: HttpMethod;
  /** Path as API Gateway sees it (no trailing slash, no query); a `{name}` segment matches any one segment. */
  path: string;
  /** What the route does, for docs and the API's operation names. */
  summary: string;
}

export const routes = [
  { method: 'GET', path: '/', summary: 'Sign-up page' },
  { method: 'GET', path: '/sample', summary: "The sign-up page's sample of the digest, for its script" },
  { method: 'POST', path: '/subscribe', summary: 'Sign up (double opt-in)' },
  { method: 'GET', path: '/confirm', summary: 'Confirmation page with one button' },
  { method: 'POST', path: '/confirm', summary: 'Confirm a subscription' },
  { method: 'GET', path: '/preferences', summary: 'Preferences page' },
  { method: 'POST', path: '/preferences', summary: 'Save preferences' },
  { method: 'GET', path: '/unsubscribe', summary: 'Unsubscribe page' },
  { method: 'POST', path: '/unsubscribe', summary: 'Unsubscribe (RFC 8058 one-click)' },
  { method: 'GET', path: '/feedback', summary: 'More or fewer like this: a page with one button' },
  { method: 'POST', path: '/feedback', summary: 'Record more or fewer like this on a paper' },
  { method: 'GET', path: '/papers', summary: 'Daily papers page (the latest day)' },
  { method: 'GET', path: '/papers/{day}', summary: 'Daily papers page of one day' },
  { method: 'GET', path: '/digest', summary: "A digest's web version (signed link from the email)" },
  { method: 'GET', path: '/health', summary: 'Liveness check' },
] as const satisfies readonly Route[];

/** One of the routes above, with its method and path as literal types. */
export type KnownRoute = (typeof routes)[number];

/** Distributes over a union of routes, so each route makes its own key (not every method with every path). */
type KeyOf<R extends Route> = R extends Route ? `${R['method']} ${R['path']}` : never;

/** `GET /`, `POST /subscribe`, ...: one key per route and no other, so a map over RouteKey needs a handler for each route and takes none besides. */
export type RouteKey = KeyOf<KnownRoute>;

/** The route's key in a handler map. */
export function routeKey(route: KnownRoute): RouteKey {
  return `${route.method} ${route.path}` as RouteKey;
}

/** Whether `path` fits the route's path, segment by segment (`{day}` takes any one non-empty segment). */
function pathMatches(pattern: string, path: string): boolean {
  const wanted = pattern.split('/');
  const given = path.split('/');
  return wanted.length === given.length && wanted.every((segment, i) => segment === given[i] || (/^\{\w+\}$/.test(segment) && given[i] !== ''));
}

/** The route for a method and path, if any. */
export function findRoute(method: string, path: string): KnownRoute | undefined {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return routes.find((route) => route.method === method && pathMatches(route.path, normalised));
}
