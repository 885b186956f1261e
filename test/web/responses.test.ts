// The dispatcher's contract with the route table, and the link problem pages' wording.
import { routes, type RouteKey } from '../../lambdas/routes';
import { expiredLinkMessage, linkProblem } from '../../lambdas/web/responses';

describe('the handler map type', () => {
  it('has one key per route, so a route without a handler, or a handler without a route, does not compile', () => {
    const keys: Record<RouteKey, true> = Object.fromEntries(routes.map((route) => [`${route.method} ${route.path}`, true])) as Record<RouteKey, true>;
    // @ts-expect-error a map missing a route's handler
    const missing: Record<RouteKey, true> = { 'GET /health': true };
    // @ts-expect-error a handler for a method and path that are not one route
    const extra: Record<RouteKey, true> = { ...keys, 'POST /health': true };
    expect(Object.keys(keys)).toHaveLength(routes.length);
    expect([missing, extra]).toHaveLength(2);
  });
});

describe('expired link pages', () => {
  it('give each purpose its lifetime from TOKEN_LIFETIMES_MS', () => {
    expect(expiredLinkMessage('confirm')).toBe('Confirmation links work for 7 days. Sign up again to get a new one.');
    expect(expiredLinkMessage('preferences')).toBe('Preference links work for 180 days. Every digest carries a fresh one.');
    expect(expiredLinkMessage('unsubscribe')).toBe('Unsubscribe links work for a year. Every digest carries a fresh one; use the newest.');
  });

  it('answer 400 with the message and a way back to the sign-up page under the base path', () => {
    const page = linkProblem('/prod', 'expired', 'preferences');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Preference links work for 180 days.');
    expect(page.body).toContain('href="/prod/"');
  });
});
