// The one route table: the CDK stack builds API Gateway resources from it, the local HTTP adapter dispatches with it.

export type HttpMethod = 'GET' | 'POST';

export interface Route {
  method: HttpMethod;
  /** Path as API Gateway sees it (no trailing slash, no query). */
  path: string;
  /** What the route does, for docs and the API's operation names. */
  summary: string;
}

export const routes: readonly Route[] = [{ method: 'GET', path: '/health', summary: 'Liveness check' }];

/** The route for a method and path, if any. */
export function findRoute(method: string, path: string): Route | undefined {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return routes.find((route) => route.method === method && route.path === normalised);
}
