// The site's routes, one named function each: read the request, call a use case, answer with a page or JSON.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { normaliseEmailAddress } from '../core/email-address';
import { maskedAddress } from '../core/privacy';
import type { Subscriber } from '../core/model';
import { timeZoneGroups } from '../core/time-zones';
import { DEFAULT_PREFERENCES, isWithdrawn, predatesConsent, preferencesOf, type Preferences } from '../core/subscription';
import { subscriptionLinks, type LinkSigning } from '../use-cases/emailing';
import { previewPreferences, sampleDigest } from '../use-cases/preview';
import { CONFIRMATION_LIMITS } from '../use-cases/sign-ups';
import { TOKEN_LIFETIMES_MS } from '../core/tokens';
import { dailyPapers, latestDailyPapers, type DailyPapers } from '../use-cases/daily-papers';
import { addDays, isIsoDay, utcDay } from '../core/day';
import { paperCards } from '../core/render/digest-view';
import { papersPage } from './papers-page';
import { digestWebVersion } from '../use-cases/digest-web-version';
import { digestPageResponse } from './digest-page';
import { learnedProfile, profileSummary } from '../core/feedback-profile';
import { feedbackTarget, giveFeedback, type FeedbackDeps, type FeedbackRefusal } from '../use-cases/feedback';
import { feedbackPage, feedbackRecordedPage, type MarkedPaperView } from './feedback-pages';
import type { FeedbackVote, Paper } from '../core/model';
import { digestSample, SAMPLE_CARDS, type DigestSample } from './digest-sample';
import { confirm, requestSignUp, subscriberForToken, unsubscribe, updatePreferences, type PreferencesChange } from '../use-cases/subscriptions';
import { sitePath } from './base-path';
import {
  bodyText,
  chosenPreferences,
  feedbackFormSchema,
  isTicked,
  topicFilterProblem,
  parseForm,
  preferencesSchema,
  readFields,
  signUpSchema,
  tokenFormSchema,
  typedPreferences,
  typedTopics,
  type FieldErrors,
} from './forms';
import {
  confirmedPage,
  confirmPage,
  messagePage,
  preferencesPage,
  signUpAcceptedPage,
  signUpPage,
  unsubscribedPage,
  unsubscribePage,
  resubscribePage,
  weekdayName,
  type ReaderStanding,
  type SubscriptionForm,
  type UnsubscribeAlternative,
} from './pages';
import { html, json, linkProblem, refused } from './responses';
import type { SiteDeps, SiteRequest } from './site-deps';

/** The forms' zone list, with each zone's offset as of this request. */
const timeZonesNow = (deps: SiteDeps) => timeZoneGroups(deps.clock.now());

const query = (event: APIGatewayProxyEvent, name: string) => event.queryStringParameters?.[name] ?? undefined;

/** Links from one page of the site to another stay relative to the host, under the base path the request came in by. */
const linksUnder = (deps: SiteDeps, base: string): LinkSigning => ({ keyring: deps.subscriptions.keyring, publicBaseUrl: base });

/** The checkboxes of the preferences form, as a browser that leaves an unticked box out means them. */
const UNTICKED = { paused: false, sendEmptyDigest: false } as const;

const formValues = (preferences: Preferences, email?: string): SubscriptionForm => ({ ...preferences, ...(email ? { email } : {}) });

export async function health(): Promise<APIGatewayProxyResult> {
  return json(200, { status: 'ok' });
}

/** How long a browser or CDN may keep a daily papers page: today's changes as papers are fetched, an earlier day's hardly. */
const PAPERS_CACHE = { latest: 'public, max-age=300', earlier: 'public, max-age=3600' } as const;

const withCache = (answer: APIGatewayProxyResult, cacheControl: string): APIGatewayProxyResult => ({
  ...answer,
  headers: { ...answer.headers, 'Cache-Control': cacheControl },
});

/** The sample of the digest for `topics` (which parse), from the latest listed day: the same cached read the daily papers page makes. */
async function sampleFor(deps: SiteDeps, base: string, topics: string): Promise<DigestSample> {
  const shown = await sampleDigest(deps.preview, topics);
  if (!shown) return { base, topics };
  return { base, topics, shown: { day: shown.day, cards: paperCards(shown.papers.slice(0, SAMPLE_CARDS)), picked: shown.papers.length, listed: shown.listed } };
}

/** A page (or the sample alone) for everyone, with no personal data: kept as long as today's papers page, unless the papers could not be read. */
const cachedSample = (answer: APIGatewayProxyResult, sample: DigestSample) => (sample.shown ? withCache(answer, PAPERS_CACHE.latest) : answer);

/** The sign-up form with a sample of the digest; `?topics=` (an example link) prefills the filter and picks the sample. */
export async function signUpForm(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const topics = typedTopics({ topics: query(event, 'topics') }) ?? '';
  const values = { ...DEFAULT_PREFERENCES, topics };
  const problem = topicFilterProblem(topics);
  if (problem) {
    const page = signUpPage({ base, values, errors: { topics: problem }, timeZones: timeZonesNow(deps), sample: { base, topics, invalid: true } });
    return html(400, page);
  }
  const sample = await sampleFor(deps, base, topics);
  return cachedSample(html(200, signUpPage({ base, values, timeZones: timeZonesNow(deps), sample })), sample);
}

/** `/sample?topics=`: the sign-up page's sample alone, which its script swaps in; 400 (and no sample) for topics that do not parse. */
export async function digestSampleSection(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const topics = typedTopics({ topics: query(event, 'topics') }) ?? '';
  if (topicFilterProblem(topics)) return html(400, digestSample({ base, topics, invalid: true }));
  const sample = await sampleFor(deps, base, topics);
  return cachedSample(html(200, digestSample(sample)), sample);
}

/** The address field as typed, to show again (never logged, never in a URL). */
const typedEmail = (fields: Record<string, unknown>) => (typeof fields.email === 'string' ? fields.email.slice(0, 300) : '');

/**
 * The form's Preview button without JavaScript: the sign-up page again with every value as typed and
 * the sample for its topics. Nobody is subscribed; a filter that does not parse gets the field error
 * a sign-up would get. A POST, so the address never lands in a URL.
 */
async function signUpPreview(deps: SiteDeps, base: string, fields: Record<string, unknown>): Promise<APIGatewayProxyResult> {
  const values = { ...DEFAULT_PREFERENCES, ...typedPreferences(fields), email: typedEmail(fields) };
  const problem = topicFilterProblem(typeof fields.topics === 'string' ? fields.topics : '');
  const sample = problem ? { base, topics: values.topics, invalid: true } : await sampleFor(deps, base, values.topics);
  const errors: FieldErrors = problem ? { topics: problem } : {};
  return html(problem ? 400 : 200, signUpPage({ base, values, errors, timeZones: timeZonesNow(deps), sample, typed: true }));
}

/**
 * A sign-up, from the form or the JSON API: queued for the sign-up worker, then the same 202
 * whatever the address's state, after the same work, so nobody learns whether it is subscribed;
 * only invalid fields get a 400.
 */
export async function signUp(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const body = readFields(event);
  if (!body.ok)
    return body.json
      ? json(body.status, { error: body.message })
      : refused(base, body.status, body.message, { linkHref: sitePath(base, '/'), linkText: 'Back to the form' });
  // The address as the visitor typed it, or as it will be stored once it is valid; the same for every state of that address.
  const typed = typeof body.fields.email === 'string' ? body.fields.email.trim().slice(0, 300) : '';
  const address = normaliseEmailAddress(body.fields.email);
  const accepted = () =>
    body.json
      ? json(202, {
          status: 'accepted',
          message: `If the address can receive email, a confirmation link is on its way (at most one every ${CONFIRMATION_LIMITS.cooldownMs / 60_000} minutes; an earlier link still works).`,
        })
      : html(202, signUpAcceptedPage({ base, cooldownMinutes: CONFIRMATION_LIMITS.cooldownMs / 60_000, address: address.ok ? address.address : typed }));
  if (!body.json && body.fields.preview !== undefined) return signUpPreview(deps, base, body.fields);
  // A filled honeypot is a bot: the same answer as anyone gets, before any other check, and nothing done.
  if (typeof body.fields.website === 'string' && body.fields.website !== '') {
    deps.logger.info('sign-up with the honeypot filled ignored');
    return accepted();
  }
  const form = parseForm(signUpSchema, body.fields);
  if (!form.ok || !address.ok) {
    const errors: FieldErrors = { ...(form.ok ? {} : form.errors), ...(address.ok ? {} : { email: address.reason }) };
    if (body.json) return json(400, { error: 'Please correct the fields named in errors.', errors });
    const values = { ...DEFAULT_PREFERENCES, ...typedPreferences(body.fields), email: typedEmail(body.fields) };
    const sample = errors.topics ? { base, topics: values.topics, invalid: true } : await sampleFor(deps, base, values.topics);
    return html(400, signUpPage({ base, values, errors, timeZones: timeZonesNow(deps), sample }));
  }
  await requestSignUp(deps.signUps, address.address, { ...DEFAULT_PREFERENCES, ...chosenPreferences(form.value) });
  return accepted();
}

/** A confirmation link opens a page with one button: a GET (a mail scanner following links) never confirms. */
export async function confirmForm(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const token = query(event, 'token');
  const found = await subscriberForToken(deps.subscriptions, token, 'confirm');
  if (!found.ok) return linkProblem(base, found.reason, 'confirm');
  // Said before the button, not after it: the POST would refuse a link from before the latest sign-up.
  if (predates(found.subscriber, found.issuedAt)) return linkProblem(base, 'superseded', 'confirm');
  const validUntil = found.issuedAt && new Date(found.issuedAt.getTime() + TOKEN_LIFETIMES_MS.confirm);
  return html(200, confirmPage({ base, token: token!, preferences: preferencesOf(found.subscriber), ...(validUntil ? { validUntil } : {}) }));
}

export async function confirmSubscription(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const body = readFields(event);
  if (!body.ok) return refused(base, body.status, body.message);
  const form = parseForm(tokenFormSchema, body.fields);
  if (!form.ok) return linkProblem(base, 'invalid', 'confirm');
  const outcome = await confirm(deps.subscriptions, form.value.token);
  if (!outcome.ok) return linkProblem(base, outcome.reason, 'confirm');
  const { preferencesUrl } = subscriptionLinks(linksUnder(deps, base), outcome.subscriber.id, deps.clock.now());
  return html(200, confirmedPage({ base, preferencesUrl, preferences: preferencesOf(outcome.subscriber) }));
}

/** The preferences page for `subscriber`, showing `shown` (what was saved, or what was typed beside its errors). */
async function preferencesResponse(
  deps: SiteDeps,
  base: string,
  status: number,
  page: { subscriber: Subscriber; token: string; shown: Preferences; errors?: FieldErrors; notice?: string },
): Promise<APIGatewayProxyResult> {
  const { subscriber, token, shown, ...extra } = page;
  const { unsubscribeUrl } = subscriptionLinks(linksUnder(deps, base), subscriber.id, deps.clock.now());
  // Nothing to preview while the form has errors: the filter shown may not even parse.
  const preview = extra.errors ? undefined : await previewPreferences(deps.preview, shown, subscriber.feedback);
  return html(
    status,
    preferencesPage({
      base,
      token,
      values: formValues(shown, subscriber.email),
      ...extra,
      preview,
      unsubscribeUrl,
      timeZones: timeZonesNow(deps),
      pausedNow: subscriber.paused,
      learned: profileSummary(learnedProfile(subscriber.feedback)),
    }),
  );
}

/**
 * Whether a link issued at `issuedAt` predates the subscriber's latest sign-up (whole seconds, as
 * tokens carry them): a link from before an unsubscribe and a new consent belongs to the old
 * subscription and must not open this one's pages. The rule confirmSignUp applies to confirm links.
 */
const predates = (subscriber: Subscriber, issuedAt: Date | undefined): boolean => issuedAt !== undefined && predatesConsent(subscriber, issuedAt);

/** The subscriber a preferences token names, unless the token is bad or from before the latest sign-up; an unsubscribed one is `withdrawn`. */
async function preferencesSubscriber(
  deps: SiteDeps,
  token: unknown,
): Promise<
  | { ok: true; subscriber: Subscriber }
  | { ok: false; reason: 'invalid' | 'expired' | 'superseded' }
  | { ok: false; reason: 'withdrawn'; subscriber: Subscriber }
> {
  const found = await subscriberForToken(deps.subscriptions, token, 'preferences');
  if (!found.ok) return found;
  if (predates(found.subscriber, found.issuedAt)) return { ok: false, reason: 'superseded' };
  if (isWithdrawn(found.subscriber)) return { ok: false, reason: 'withdrawn', subscriber: found.subscriber };
  return { ok: true, subscriber: found.subscriber };
}

/** Where a subscriber stands, for the pages their signed links open. */
function standingOf(subscriber: Subscriber): ReaderStanding {
  const state = isWithdrawn(subscriber) ? 'unsubscribed' : subscriber.paused ? 'paused' : subscriber.frequency === 'weekly' ? 'weekly' : 'subscribed';
  return { address: maskedAddress(subscriber.email), state, frequency: subscriber.frequency, weekday: subscriber.weekday };
}

/** An unsubscribed reader's preferences link: subscribe again with the settings they had. */
const resubscribe = (base: string, status: number, subscriber: Subscriber) =>
  html(status, resubscribePage({ base, email: subscriber.email, standing: standingOf(subscriber), preferences: preferencesOf(subscriber) }));

export async function preferencesForm(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const token = query(event, 'token');
  const found = await preferencesSubscriber(deps, token);
  if (!found.ok) return found.reason === 'withdrawn' ? resubscribe(base, 200, found.subscriber) : linkProblem(base, found.reason, 'preferences');
  return preferencesResponse(deps, base, 200, { subscriber: found.subscriber, token: token!, shown: preferencesOf(found.subscriber) });
}

/** Save the preferences form, or act on one of its buttons (pause, resume, weekly). */
export async function savePreferences(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const body = readFields(event);
  if (!body.ok) return refused(base, body.status, body.message);
  const token = String(body.fields.token);
  const found = await preferencesSubscriber(deps, body.fields.token);
  // Nothing is saved for an unsubscribed reader: the page offers to subscribe again instead.
  if (!found.ok) return found.reason === 'withdrawn' ? resubscribe(base, 400, found.subscriber) : linkProblem(base, found.reason, 'preferences');
  const { subscriber } = found;
  const form = parseForm(preferencesSchema, body.fields);
  if (!form.ok) {
    // What was typed, unsaved, stays on the page beside its errors; a field left out shows what is saved. A browser leaves an unticked box out.
    const shown = { ...preferencesOf(subscriber), ...(body.json ? {} : UNTICKED), ...typedPreferences(body.fields) };
    return preferencesResponse(deps, base, 400, { subscriber, token, shown, errors: form.errors });
  }
  const { action = 'save', paused } = form.value;
  // A browser leaves an unticked checkbox out; a JSON client that leaves one out keeps it as it is.
  const chosen = { ...(body.json ? {} : UNTICKED), ...chosenPreferences(form.value), ...(paused === undefined ? {} : { paused: isTicked(paused) }) };
  const change: PreferencesChange = action === 'save' ? { action, preferences: chosen } : { action };
  const saved = await updatePreferences(deps.subscriptions, subscriber.id, change);
  if (!saved) return linkProblem(base, 'invalid', 'preferences');
  if (isWithdrawn(saved)) return resubscribe(base, 400, saved);
  const notice =
    action === 'forget-feedback'
      ? 'Forgotten: your digests no longer lean on your "More like this" and "Fewer like this" clicks, and papers you marked "fewer" may be picked again.'
      : action === 'resume'
        ? 'Digests resumed.'
        : saved.paused
          ? 'Saved. Digests are paused until you resume them here.'
          : 'Saved.';
  return preferencesResponse(deps, base, 200, { subscriber: saved, token, shown: preferencesOf(saved), notice });
}

/** Asks before unsubscribing, knowing where the reader stands; an unsubscribed reader is told so. */
export async function unsubscribeForm(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const token = query(event, 'token');
  const found = await subscriberForToken(deps.subscriptions, token, 'unsubscribe');
  if (!found.ok) return linkProblem(base, found.reason, 'unsubscribe');
  // The one-click POST still withdraws with an old link (a withdrawal is never refused); only the page that asks is refused.
  if (predates(found.subscriber, found.issuedAt)) return linkProblem(base, 'superseded', 'unsubscribe');
  const standing = standingOf(found.subscriber);
  if (standing.state === 'unsubscribed') return html(200, unsubscribedPage({ base, address: standing.address }));
  return html(200, unsubscribePage({ base, unsubscribeToken: token!, standing }));
}

/** What the unsubscribe page's alternatives did, in words; `weekly` names the day. */
function alternativeDone(action: UnsubscribeAlternative, saved: Subscriber): string {
  const { weekday } = standingOf(saved);
  switch (action) {
    case 'pause':
      return 'Your digests are paused. Open this unsubscribe link again, or the preferences link in any earlier digest, to resume them.';
    case 'resume':
      return saved.frequency === 'weekly' ? `Your digests are back: one a week, on ${weekdayName(weekday)}s.` : 'Your digests are back: one a day.';
    case 'weekly':
      return `You will get one digest a week, on ${weekdayName(weekday)}s, from now on.`;
  }
}

/**
 * RFC 8058 one-click: the token authorises, and any body unsubscribes (List-Unsubscribe=One-Click,
 * form-encoded or multipart, or our page's form) except our page's pause, resume and weekly choices.
 * Always 200, never a redirect, and the same again when repeated.
 */
export async function unsubscribeNow(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const body = bodyText(event);
  if (!body.ok) return html(413, messagePage({ base, title: 'That did not work', message: 'The request is too large.' }));
  const found = await subscriberForToken(deps.subscriptions, query(event, 'token'), 'unsubscribe');
  if (!found.ok) return linkProblem(base, found.reason, 'unsubscribe');
  const action = /^(?:[^&]*&)*action=(pause|resume|weekly)(?:&|$)/.exec(body.text)?.[1] as UnsubscribeAlternative | undefined;
  if (action && !isWithdrawn(found.subscriber)) {
    const saved = await updatePreferences(deps.subscriptions, found.subscriber.id, { action });
    if (saved && !isWithdrawn(saved)) return html(200, messagePage({ base, title: 'Done', message: alternativeDone(action, saved) }));
  }
  await unsubscribe(deps.subscriptions, found.subscriber.id);
  return html(200, unsubscribedPage({ base, address: maskedAddress(found.subscriber.email) }));
}

/** A digest's web version, from the signed link in the email (no address in it); an honest page for a day without one. */
export async function digestWebPage(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  return digestPageResponse(base, await digestWebVersion(deps.digests, query(event, 'token')));
}

/** `/papers` (today, or yesterday until today's are fetched) and `/papers/YYYY-MM-DD`, filtered by `?topics=`. */
export async function dailyPapersPage(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const requested = /^\/papers\/([^/]+)\/?$/.exec(event.path)?.[1];
  const topics = query(event, 'topics') ?? '';
  const today = utcDay(deps.clock.now());
  const page = (shown: DailyPapers, status: number, errors: FieldErrors = {}) => {
    const nextDay = addDays(shown.day, 1);
    const cards = paperCards(shown.papers);
    return html(
      status,
      papersPage({
        base,
        day: shown.day,
        topics,
        cards,
        listed: shown.listed,
        previousDay: addDays(shown.day, -1),
        nextDay: nextDay <= today ? nextDay : undefined,
        errors,
        timeZones: timeZonesNow(deps),
      }),
    );
  };
  if (requested !== undefined && !isIsoDay(requested)) {
    const shown = requested.length > 20 ? `${requested.slice(0, 20)}…` : requested;
    return refused(base, 400, `"${shown}" is not a day. Write it as YYYY-MM-DD, for example /papers/${today}.`, {
      linkHref: sitePath(base, '/papers'),
      linkText: "See the latest day's papers",
    });
  }
  if (requested !== undefined && requested > today) {
    return refused(base, 404, `No papers for ${requested} yet: it is after today (${today}, UTC).`, {
      linkHref: sitePath(base, '/papers'),
      linkText: "See the latest day's papers",
    });
  }
  const problem = topicFilterProblem(topics);
  if (problem) return page({ day: requested ?? today, papers: [], listed: 0 }, 400, { topics: problem });
  const shown = requested === undefined ? await latestDailyPapers(deps.preview, topics) : await dailyPapers(deps.preview, requested, topics);
  return withCache(page(shown, 200), shown.day === today || requested === undefined ? PAPERS_CACHE.latest : PAPERS_CACHE.earlier);
}

/** The feedback use case's dependencies: the site's subscriber dependencies and the papers the preview reads. */
const feedbackDeps = (deps: SiteDeps): FeedbackDeps => ({ ...deps.subscriptions, papers: deps.preview.papers });

const voteIn = (value: string | undefined): FeedbackVote | undefined => (value === 'more' || value === 'fewer' ? value : undefined);

const markedPaperView = (paperId: string, paper: Paper | undefined): MarkedPaperView => ({
  id: paperId,
  title: paper?.title,
  authors: paper?.authors,
  stored: paper !== undefined,
});

/** Why a feedback link or its button cannot be used, as a page. */
function feedbackRefused(base: string, reason: FeedbackRefusal | 'paper-gone'): APIGatewayProxyResult {
  if (reason === 'withdrawn') return html(400, unsubscribedPage({ base }));
  if (reason === 'paper-gone') {
    return html(
      404,
      messagePage({ base, title: 'That paper is gone', message: 'We no longer keep that paper, so there is nothing to learn from it. Nothing was changed.' }),
    );
  }
  return linkProblem(base, reason, 'feedback');
}

/** A "More like this" / "Fewer like this" link opens a page with one button: a GET or HEAD (a link scanner) records nothing. */
export async function feedbackForm(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const token = query(event, 'token');
  const target = await feedbackTarget(feedbackDeps(deps), token);
  if (!target.ok) return feedbackRefused(base, target.reason);
  const page = feedbackPage({
    base,
    token: token!,
    paper: markedPaperView(target.paperId, target.paper),
    vote: voteIn(query(event, 'vote')),
    current: target.current,
  });
  return html(200, page);
}

/** The feedback page's button: records the vote (the same again changes nothing), then says what it does. */
export async function recordFeedback(deps: SiteDeps, { event, base }: SiteRequest): Promise<APIGatewayProxyResult> {
  const body = readFields(event);
  if (!body.ok) return refused(base, body.status, body.message);
  const form = parseForm(feedbackFormSchema, body.fields);
  if (!form.ok) return linkProblem(base, 'invalid', 'feedback');
  const outcome = await giveFeedback(feedbackDeps(deps), form.value.token, form.value.vote);
  if (!outcome.ok) return feedbackRefused(base, outcome.reason);
  const { preferencesUrl } = subscriptionLinks(linksUnder(deps, base), outcome.subscriber.id, deps.clock.now());
  return html(200, feedbackRecordedPage({ base, paper: markedPaperView(outcome.paperId, outcome.paper), vote: outcome.vote, preferencesUrl }));
}
