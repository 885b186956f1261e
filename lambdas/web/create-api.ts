// The HTTP API and pages as one function of an API Gateway proxy event; the Lambda and the local HTTP adapter both serve it.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { App } from '../compose';
import { normaliseEmailAddress } from '../core/email-address';
import { describeError } from '../core/errors';
import { addDays, utcDay } from '../core/local-time';
import type { Subscriber } from '../core/model';
import { selectPapersFor } from '../core/select-papers';
import type { TokenPurpose } from '../core/tokens';
import { signedLink } from '../use-cases/emailing';
import { findRoute, type Route } from '../routes';
import {
  confirm,
  DEFAULT_PREFERENCES,
  preferencesOf,
  subscribe,
  subscriberForToken,
  unsubscribe,
  updatePreferences,
  type Preferences,
  type SubscriptionDeps,
} from '../use-cases/subscriptions';
import { basePathOf, sitePath } from './base-path';
import { bodyText, parseForm, preferencesSchema, readFields, signUpSchema, tokenFormSchema, wantsJson, type FieldErrors } from './forms';
import {
  confirmedPage,
  confirmPage,
  messagePage,
  preferencesPage,
  SECURITY_HEADERS,
  signUpAcceptedPage,
  signUpPage,
  unsubscribedPage,
  unsubscribePage,
  type SubscriptionForm,
} from './pages';

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** A route's handler, given the base path the client reached the site under (every link it makes starts there). */
type RouteHandler = (event: APIGatewayProxyEvent, base: string) => Promise<APIGatewayProxyResult>;

const html = (statusCode: number, body: string): APIGatewayProxyResult => ({ statusCode, headers: { ...SECURITY_HEADERS }, body });

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});

const key = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** Every IANA zone this runtime knows, UTC first: the sign-up form's list. */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

const LINK_PROBLEMS = {
  invalid: { title: 'This link does not work', message: 'The link is incomplete or was changed. Use the newest link from your email.' },
  superseded: { title: 'This link is out of date', message: 'It belongs to an earlier sign-up. Use the link in the newest email.' },
} as const;

const EXPIRED: Record<TokenPurpose, string> = {
  confirm: 'Confirmation links work for 7 days. Sign up again to get a new one.',
  preferences: 'Preference links work for 180 days. Every digest carries a fresh one.',
  unsubscribe: 'Unsubscribe links work for a year. Every digest carries a fresh one; use the newest.',
};

function linkProblem(base: string, reason: keyof typeof LINK_PROBLEMS | 'expired', purpose: TokenPurpose): APIGatewayProxyResult {
  const problem = reason === 'expired' ? { title: 'This link has expired', message: EXPIRED[purpose] } : LINK_PROBLEMS[reason];
  return html(400, messagePage({ base, ...problem, linkHref: sitePath(base, '/'), linkText: 'Go to the sign-up page' }));
}

function mergePreferences(base: Preferences, value: Partial<Record<keyof Preferences, unknown>>): Preferences {
  return {
    topics: typeof value.topics === 'string' ? value.topics.trim() : base.topics,
    frequency: (value.frequency as Preferences['frequency'] | undefined) ?? base.frequency,
    weekday: (value.weekday as number | undefined) ?? base.weekday,
    hour: (value.hour as number | undefined) ?? base.hour,
    timeZone: (value.timeZone as string | undefined) ?? base.timeZone,
    maxPapers: (value.maxPapers as number | undefined) ?? base.maxPapers,
    paused: base.paused,
  };
}

const formValues = (preferences: Preferences, email?: string): SubscriptionForm => ({ ...preferences, ...(email ? { email } : {}) });

/** Dispatch each request through the route table to its handler. */
export function createApiHandler(app: App): ApiHandler {
  const deps: SubscriptionDeps = app.subscriptionDeps();
  /** Links from one page of the site to another stay relative to the host, under the base path the request came in by. */
  const linksUnder = (base: string) => ({ keyring: app.config.keyring, publicBaseUrl: base });
  const query = (event: APIGatewayProxyEvent, name: string) => event.queryStringParameters?.[name] ?? undefined;

  /** How many of the latest listed day's papers `preferences` would pick; left out when the papers cannot be read. */
  async function preview(preferences: Preferences): Promise<{ picked: number; day: string } | undefined> {
    try {
      return await previewOf(preferences);
    } catch (error) {
      app.logger.warn('preferences preview failed', describeError(error));
      return undefined;
    }
  }

  async function previewOf(preferences: Preferences): Promise<{ picked: number; day: string } | undefined> {
    const now = app.clock.now();
    for (const day of [utcDay(now), addDays(utcDay(now), -1)]) {
      const papers = await app.papers.papersForDays([day]);
      if (papers.length === 0) continue;
      const picked = selectPapersFor({ ...preferences, maxPapers: 30 }, papers, { now, alreadySent: new Set() });
      return { picked: picked.length, day };
    }
    return undefined;
  }

  async function preferencesResponse(
    base: string,
    status: number,
    subscriber: Subscriber,
    token: string,
    shown: Preferences,
    extra: { errors?: FieldErrors; notice?: string },
  ): Promise<APIGatewayProxyResult> {
    return html(
      status,
      preferencesPage({
        base,
        token,
        values: formValues(shown, subscriber.email),
        ...extra,
        ...(extra.errors ? {} : { preview: await preview(shown) }),
        unsubscribeUrl: signedLink(linksUnder(base), '/unsubscribe', 'unsubscribe', subscriber.id, app.clock.now()),
        timeZones: TIME_ZONES,
      }),
    );
  }

  const handlers: Record<string, RouteHandler> = {
    'GET /health': async () => json(200, { status: 'ok' }),

    'GET /': async (event, base) => {
      const topics = query(event, 'topics');
      return html(200, signUpPage({ base, values: { ...DEFAULT_PREFERENCES, ...(topics ? { topics: topics.slice(0, 500) } : {}) }, timeZones: TIME_ZONES }));
    },

    'POST /subscribe': async (event, base) => {
      const body = readFields(event);
      if (!body.ok) return body.json ? json(body.status, { error: body.message }) : html(body.status, messagePage({ base, title: 'That did not work', message: body.message, linkHref: sitePath(base, '/'), linkText: 'Back to the form' }));
      const accepted = () =>
        body.json
          ? json(202, { status: 'accepted', message: 'If the address can receive email, a confirmation link is on its way.' })
          : html(202, signUpAcceptedPage({ base }));
      // A filled honeypot is a bot: the same answer as anyone gets, before any other check, and nothing done.
      if (typeof body.fields.website === 'string' && body.fields.website !== '') {
        app.logger.info('sign-up with the honeypot filled ignored');
        return accepted();
      }
      const form = parseForm(signUpSchema, body.fields);
      let errors: FieldErrors = form.ok ? {} : form.errors;
      const address = normaliseEmailAddress(body.fields.email);
      if (!address.ok) errors = { ...errors, email: address.reason };
      if (!form.ok || !address.ok) {
        if (body.json) return json(400, { error: 'Please correct the fields named in errors.', errors });
        const typed = mergePreferences(DEFAULT_PREFERENCES, form.ok ? form.value : {});
        const email = typeof body.fields.email === 'string' ? body.fields.email.slice(0, 300) : '';
        return html(400, signUpPage({ base, values: { ...typed, topics: typeof body.fields.topics === 'string' ? body.fields.topics.slice(0, 500) : typed.topics, email }, errors, timeZones: TIME_ZONES }));
      }
      await subscribe(deps, address.address, mergePreferences(DEFAULT_PREFERENCES, form.value));
      return accepted();
    },

    'GET /confirm': async (event, base) => {
      const token = query(event, 'token');
      const found = await subscriberForToken(deps, token, 'confirm');
      if (!found.ok) return linkProblem(base, found.reason, 'confirm');
      return html(200, confirmPage({ base, token: token! }));
    },

    'POST /confirm': async (event, base) => {
      const body = readFields(event);
      if (!body.ok) return html(body.status, messagePage({ base, title: 'That did not work', message: body.message }));
      const form = parseForm(tokenFormSchema, body.fields);
      if (!form.ok) return linkProblem(base, 'invalid', 'confirm');
      const outcome = await confirm(deps, form.value.token);
      if (!outcome.ok) return linkProblem(base, outcome.reason, 'confirm');
      return html(200, confirmedPage({ base, preferencesUrl: signedLink(linksUnder(base), '/preferences', 'preferences', outcome.subscriber.id, app.clock.now()) }));
    },

    'GET /preferences': async (event, base) => {
      const token = query(event, 'token');
      const found = await subscriberForToken(deps, token, 'preferences');
      if (!found.ok || found.subscriber.status === 'unsubscribed') return linkProblem(base, found.ok ? 'superseded' : found.reason, 'preferences');
      return preferencesResponse(base, 200, found.subscriber, token!, preferencesOf(found.subscriber), {});
    },

    'POST /preferences': async (event, base) => {
      const body = readFields(event);
      if (!body.ok) return html(body.status, messagePage({ base, title: 'That did not work', message: body.message }));
      const token = body.fields.token;
      const found = await subscriberForToken(deps, token, 'preferences');
      if (!found.ok || found.subscriber.status === 'unsubscribed') return linkProblem(base, found.ok ? 'superseded' : found.reason, 'preferences');
      const { subscriber } = found;
      const form = parseForm(preferencesSchema, body.fields);
      if (!form.ok) {
        const current = preferencesOf(subscriber);
        const typed = { ...current, topics: typeof body.fields.topics === 'string' ? body.fields.topics.slice(0, 500) : current.topics };
        return preferencesResponse(base, 400, subscriber, String(token), typed, { errors: form.errors });
      }
      const { action = 'save', paused } = form.value;
      // A browser leaves an unticked checkbox out; a JSON client that leaves `paused` out keeps it as it is.
      const pausedChoice = paused === undefined ? (body.json ? undefined : false) : paused === true || paused === 'on' || paused === 'true';
      const saved = await updatePreferences(deps, subscriber.id, (current) => {
        if (action === 'pause') return { ...current, paused: true };
        if (action === 'resume') return { ...current, paused: false };
        if (action === 'weekly') return { ...current, frequency: 'weekly', paused: false };
        return { ...mergePreferences(current, form.value), paused: pausedChoice ?? current.paused };
      });
      if (!saved || saved.status === 'unsubscribed') return linkProblem(base, 'superseded', 'preferences');
      const notice = saved.paused ? 'Saved. Digests are paused until you resume them here.' : 'Saved.';
      return preferencesResponse(base, 200, saved, String(token), preferencesOf(saved), { notice });
    },

    'GET /unsubscribe': async (event, base) => {
      const token = query(event, 'token');
      const found = await subscriberForToken(deps, token, 'unsubscribe');
      if (!found.ok) return linkProblem(base, found.reason, 'unsubscribe');
      if (found.subscriber.status === 'unsubscribed') return html(200, unsubscribedPage({ base }));
      return html(200, unsubscribePage({ base, unsubscribeToken: token! }));
    },

    // RFC 8058 one-click: the token authorises, and any body unsubscribes (List-Unsubscribe=One-Click,
    // form-encoded or multipart, or our page's form) except our page's pause and weekly choices.
    // Always 200, never a redirect, and the same again when repeated.
    'POST /unsubscribe': async (event, base) => {
      const body = bodyText(event);
      if (!body.ok) return html(413, messagePage({ base, title: 'That did not work', message: 'The request is too large.' }));
      const found = await subscriberForToken(deps, query(event, 'token'), 'unsubscribe');
      if (!found.ok) return linkProblem(base, found.reason, 'unsubscribe');
      const action = /^(?:[^&]*&)*action=(pause|weekly)(?:&|$)/.exec(body.text)?.[1];
      if (action && found.subscriber.status !== 'unsubscribed') {
        await updatePreferences(deps, found.subscriber.id, (current) =>
          action === 'pause' ? { ...current, paused: true } : { ...current, frequency: 'weekly', paused: false },
        );
        const done = action === 'pause' ? 'Your digests are paused. Use the preferences link in any earlier digest to resume them.' : 'You will get one digest a week from now on.';
        return html(200, messagePage({ base, title: 'Done', message: done }));
      }
      await unsubscribe(deps, found.subscriber.id);
      return html(200, unsubscribedPage({ base }));
    },
  };

  return async (event) => {
    const base = basePathOf(event);
    const route = findRoute(event.httpMethod, event.path);
    const routeHandler = route && handlers[key(route)];
    if (!routeHandler) {
      const allowed = findRoute(event.httpMethod === 'GET' ? 'POST' : 'GET', event.path);
      if (allowed) return { ...html(405, messagePage({ base, title: 'Not allowed', message: 'That page does not take this kind of request.' })), headers: { ...SECURITY_HEADERS, allow: allowed.method } };
      return wantsJson(event) ? json(404, { error: 'not found' }) : html(404, messagePage({ base, title: 'Page not found', message: 'There is nothing here.', linkHref: sitePath(base, '/'), linkText: 'Go to the sign-up page' }));
    }
    try {
      return await routeHandler(event, base);
    } catch (error) {
      app.logger.error('request failed', { route: key(route), ...describeError(error) });
      return html(503, messagePage({ base, title: 'Something went wrong', message: 'Please try again in a minute.' }));
    }
  };
}
