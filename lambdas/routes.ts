// The one route table: the CDK stack builds API Gateway resources from it, the local HTTP adapter dispatches with it.

export type HttpMethod = 'GET' | 'POST';

export interface Route {
  method: HttpMethod;
  /** Path as API Gateway sees it (no trailing slash, no query). */
  path: string;
  /** What the route does, for docs and the API's operation names. */
  summary: string;
}

export const routes: readonly Route[] = [
  { method: 'GET', path: '/', summary: 'Sign-up page' },
  { method: 'POST', path: '/subscribe', summary: 'Sign up (double opt-in)' },
  { method: 'GET', path: '/confirm', summary: 'Confirmation page with one button' },
  { method: 'POST', path: '/confirm', summary: 'Confirm a subscription' },
  { method: 'GET', path: '/preferences', summary: 'Preferences page' },
  { method: 'POST', path: '/preferences', summary: 'Save preferences' },
  { method: 'GET', path: '/unsubscribe', summary: 'Unsubscribe page' },
  { method: 'POST', path: '/unsubscribe', summary: 'Unsubscribe (RFC 8058 one-click)' },
  { method: 'GET', path: '/health', summary: 'Liveness check' },
];

/** The route for a method and path, if any. */
export function findRoute(method: string, path: string): Route | undefined {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return routes.find((route) => route.method === method && route.path === normalised);
}
