// The site's base path as API Gateway's REST proxy events reveal it, and the links made under it.
import { basePathOf, sitePath } from '../../lambdas/web/base-path';

/** The two path fields of a REST proxy event: the resource path, and the path the client used. */
const event = (path: string, requestPath?: string) => ({ path, requestContext: requestPath === undefined ? {} : { path: requestPath } });

describe('basePathOf', () => {
  it.each([
    ['the execute-api URL (stage in the path)', '/subscribe', '/prod/subscribe', '/prod'],
    ['the stage root with a slash', '/', '/prod/', '/prod'],
    ['the stage root without one', '/', '/prod', '/prod'],
    ['a route with a trailing slash', '/preferences/', '/prod/preferences/', '/prod'],
    ['a custom domain mapped at its root', '/subscribe', '/subscribe', ''],
    ['a custom domain root', '/', '/', ''],
    ['a base path mapping of two segments', '/confirm', '/api/v1/confirm', '/api/v1'],
    ['a stage named with - and _', '/health', '/my-stage_2/health', '/my-stage_2'],
  ])('reads %s', (_, path, requestPath, base) => {
    expect(basePathOf(event(path, requestPath))).toBe(base);
  });

  it.each([
    ['no requestContext.path (a direct invocation)', event('/subscribe')],
    ['no requestContext at all', { path: '/subscribe' }],
    ['a null requestContext', { path: '/subscribe', requestContext: null }],
    ['a request path that does not end with the route', event('/subscribe', '/prod/confirm')],
    ['a prefix that is not whole segments', event('/subscribe', '/prodsubscribe')],
    ['a prefix that would make a protocol-relative link', event('/subscribe', '//evil.example/subscribe')],
    ['a prefix with a backslash', event('/subscribe', '/\\evil.example/subscribe')],
    ['a prefix with an empty segment', event('/subscribe', '/prod//subscribe')],
    ['a prefix with a quote or angle bracket', event('/subscribe', '/a"b<c/subscribe')],
    ['a prefix with a dot segment', event('/subscribe', '/../subscribe')],
  ])('is empty for %s', (_, input) => {
    expect(basePathOf(input)).toBe('');
  });
});

describe('sitePath', () => {
  it('puts the route under the base', () => {
    expect(sitePath('', '/')).toBe('/');
    expect(sitePath('', '/subscribe')).toBe('/subscribe');
    expect(sitePath('/prod', '/')).toBe('/prod/');
    expect(sitePath('/prod', '/subscribe')).toBe('/prod/subscribe');
    expect(sitePath('/prod', '/?topics=a%20b')).toBe('/prod/?topics=a%20b');
  });

  it.each(['/', 'prod', '/prod/', '//evil.example', '/\\evil.example', '/a b', '/..', '/prod/.'])(
    'refuses the base %j, which could make a link leave the site',
    (base) => {
      expect(() => sitePath(base, '/')).toThrow(/base path/);
    },
  );
});
