// The HTTP API and pages as one function of an API Gateway proxy event; the Lambda and the local HTTP adapter both serve it.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describeError } from '../core/errors';
import { findRoute, routeKey, type RouteKey } from '../routes';
import { basePathOf } from './base-path';
import { wantsJson } from './forms';
import { ConcurrentUpdateError } from '../ports';
import { conflict, failed, notAllowed, notFound } from './responses';
import {
  confirmForm,
  confirmSubscription,
  dailyPapersPage,
  digestWebPage,
  feedbackForm,
  digestSampleSection,
  health,
  preferencesForm,
  recordFeedback,
  savePreferences,
  signUp,
  signUpForm,
  unsubscribeForm,
  unsubscribeNow,
} from './route-handlers';
import type { RouteFunction, SiteDeps } from './site-deps';

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** One function per route of lambdas/routes.ts: a route left out, or a key that is no route, does not compile. */
const ROUTE_FUNCTIONS: { readonly [key in RouteKey]: RouteFunction } = {
  'GET /health': health,
  'GET /digest': digestWebPage,
  'GET /papers': dailyPapersPage,
  'GET /papers/{day}': dailyPapersPage,
  'GET /': signUpForm,
  'GET /sample': digestSampleSection,
  'POST /subscribe': signUp,
  'GET /confirm': confirmForm,
  'POST /confirm': confirmSubscription,
  'GET /preferences': preferencesForm,
  'POST /preferences': savePreferences,
  'GET /unsubscribe': unsubscribeForm,
  'POST /unsubscribe': unsubscribeNow,
  'GET /feedback': feedbackForm,
  'POST /feedback': recordFeedback,
};

/**
 * Dispatch each request through the route table to its function; a failure is logged and answered
 * with a 503 page, a change that lost every race with a 409. HEAD (API Gateway passes it on) is answered as the GET, without the body.
 */
export function createApiHandler(deps: SiteDeps): ApiHandler {
  const dispatch = dispatcher(deps);
  return async (event) => {
    if (event.httpMethod !== 'HEAD') return dispatch(event);
    const answer = await dispatch({ ...event, httpMethod: 'GET' });
    return { ...answer, body: '' };
  };
}

function dispatcher(deps: SiteDeps): ApiHandler {
  return async (event) => {
    const base = basePathOf(event);
    const route = findRoute(event.httpMethod, event.path);
    if (!route) {
      const allowed = findRoute(event.httpMethod === 'GET' ? 'POST' : 'GET', event.path);
      return allowed ? notAllowed(base, allowed.method) : notFound(base, wantsJson(event));
    }
    try {
      return await ROUTE_FUNCTIONS[routeKey(route)](deps, { event, base });
    } catch (error) {
      // A conflict is the visitor's to retry (409), not a failure of the site (503).
      if (error instanceof ConcurrentUpdateError) {
        deps.logger.warn('request lost every try against other changes of the record', { route: routeKey(route) });
        return conflict(base);
      }
      deps.logger.error('request failed', { route: routeKey(route), ...describeError(error) });
      return failed(base);
    }
  };
}
