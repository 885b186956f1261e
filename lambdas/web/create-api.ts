// The HTTP API as one function of an API Gateway proxy event; the Lambda and the local HTTP adapter both serve it.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { App } from '../compose';
import { findRoute, type Route } from '../routes';

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const key = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** Dispatch each request through the route table to its handler. */
export function createApiHandler(_app: App): ApiHandler {
  const handlers: Record<string, ApiHandler> = {
    'GET /health': async () => json(200, { status: 'ok' }),
  };
  return async (event) => {
    const route = findRoute(event.httpMethod, event.path);
    const routeHandler = route && handlers[key(route)];
    if (!routeHandler) return json(404, { error: 'not found' });
    return routeHandler(event);
  };
}
