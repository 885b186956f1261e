// The load test's request mix and its checks: sign-ups (some repeated), confirmations from the mailbox, preference saves, one-click unsubscribes and bad input against a site on loopback; `npm run load` and a jest test run it.
import { CONFIRMATION_LIMITS } from '../lambdas/use-cases/sign-ups';
import { seededRandom } from './seed-subscribers';

/** The site under load and what the checks read afterwards. */
export interface LoadTarget {
  /** The site's address, stage path included, without a trailing slash. */
  siteUrl: string;
  /** aws-ses-v2-local's address (`GET /store` lists what was sent). */
  mailboxUrl: string;
  /** Resolves once every sign-up accepted so far has been worked through (its record written, its email sent or held back). */
  settled(): Promise<void>;
  /** Every stored subscriber whose address starts with `prefix`. */
  subscribers(prefix: string): Promise<Array<{ email: string; status: string }>>;
}

export interface LoadOptions {
  /** Requests in all (at least 50). */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** The run fails when it takes longer than this, and stops sending. */
  maxSeconds: number;
  /** Names this run's addresses (`load-<runId>-<n>@example.com`), so a shared stack's other subscribers are left out of the checks. */
  runId: string;
  /** Seed of the request mix; the same seed sends the same mix. */
  seed?: number;
}

export interface LoadReport {
  requests: number;
  /** Answers neither 2xx nor 4xx: 5xx, redirects, and requests that got no answer at all. */
  non2xx4xx: number;
  p50Ms: number;
  p99Ms: number;
  /** One-click unsubscribes whose subscriber is not unsubscribed at the end. */
  lostUnsubscribes: number;
  signUps: number;
  distinctAddresses: number;
  storedSubscribers: number;
  confirmationsSent: number;
  confirmations: number;
  preferenceSaves: number;
  unsubscribes: number;
  badInput: number;
  /** Preference saves answered 409: they lost every try against racing saves of the same subscriber, and nothing was saved. */
  conflicts: number;
  /** 429s (a stack started with `npm start` limits POSTs per client); their sign-ups and unsubscribes are not expected to apply. */
  rateLimited: number;
  wallSeconds: number;
  /** Every check that failed, in words; empty when the run passed. */
  failures: string[];
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const TOKEN = '([A-Za-z0-9._~-]+)';
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
const TOPICS = ['agents', 'quantization, "language model"', 'diffusion', 'robotics -survey', ''];

/** How many requests of each kind a run of `total` sends; the preference saves take what is left, so the kinds add up to `total`. */
export function requestMix(total: number) {
  if (!Number.isInteger(total) || total < 50) throw new RangeError(`a load run needs at least 50 requests, not ${total}`);
  const addresses = Math.round(total * 0.15);
  const confirmations = Math.round(addresses * 0.8);
  const mix = {
    addresses,
    repeatsBefore: Math.round(total * 0.08),
    badBefore: Math.round(total * 0.05),
    confirmations,
    repeatsAfter: Math.round(total * 0.03),
    badAfter: Math.round(total * 0.04),
    firstSaves: confirmations,
    unsubscribes: Math.round(confirmations * 0.5),
    badLast: Math.round(total * 0.03),
  };
  const fixed = Object.values(mix).reduce((sum, count) => sum + count, 0);
  return { ...mix, racingSaves: total - fixed };
}

/** Runs `tasks` with at most `concurrency` at once, starting none after `deadline` (epoch ms). */
async function inPool(tasks: Array<() => Promise<void>>, concurrency: number, deadline: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let task = tasks[next++]; task !== undefined && Date.now() < deadline; task = tasks[next++]) await task();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, lane));
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

interface MailboxEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  /** Epoch seconds. */
  at: number;
}

async function confirmationEmails(target: LoadTarget, prefix: string): Promise<MailboxEmail[]> {
  const response = await fetch(`${target.mailboxUrl}/store`);
  if (!response.ok) throw new Error(`the mailbox answered ${response.status}`);
  const { emails } = (await response.json()) as { emails: MailboxEmail[] };
  return emails.filter((email) => /Confirm your Papertrend/.test(email.subject) && email.destination.to.some((to) => to.startsWith(prefix)));
}

/** Sends the mix against `target`, waits for the queue, then checks the tables and the mailbox. */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadReport> {
  const mix = requestMix(options.requests);
  const random = seededRandom(options.seed ?? 20261130);
  const started = Date.now();
  const deadline = started + options.maxSeconds * 1000;
  const prefix = `load-${options.runId}-`;
  const addresses = Array.from({ length: mix.addresses }, (_, n) => `${prefix}${n}@example.com`);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const latencies: number[] = [];
  const counts = { non2xx4xx: 0, rateLimited: 0, conflicts: 0, signUps: 0, confirmations: 0, preferenceSaves: 0, unsubscribes: 0, badInput: 0 };
  const failures: string[] = [];
  const accepted = new Set<string>();
  const confirmedBy200 = new Set<string>();
  const unsubscribed = new Set<string>();

  const send = async (method: string, path: string, body?: { type: string; text: string }): Promise<Answer> => {
    const begun = performance.now();
    let answer: Answer;
    try {
      const response = await fetch(`${target.siteUrl}${path}`, {
        method,
        redirect: 'manual',
        headers: body ? { 'content-type': body.type } : {},
        ...(body ? { body: body.text } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      answer = { status: response.status, body: await response.text(), ms: performance.now() - begun };
    } catch {
      answer = { status: 0, body: '', ms: performance.now() - begun };
    }
    latencies.push(answer.ms);
    if (answer.status === 429) counts.rateLimited += 1;
    if (!((answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500))) counts.non2xx4xx += 1;
    return answer;
  };

  const signUp = async (email: string) => {
    counts.signUps += 1;
    const preferences = { topics: pick(TOPICS), hour: String(Math.floor(random() * 24)), timeZone: pick(TIME_ZONES) };
    const answer =
      random() < 0.5
        ? await send('POST', '/subscribe', { type: FORM, text: new URLSearchParams({ email, ...preferences }).toString() })
        : await send('POST', '/subscribe', { type: JSON_TYPE, text: JSON.stringify({ email, ...preferences, hour: Number(preferences.hour) }) });
    if (answer.status === 202) accepted.add(email);
    else if (answer.status !== 429) failures.push(`a valid sign-up answered ${answer.status}`);
  };

  const badInput = (n: number) => {
    counts.badInput += 1;
    const cases: Array<() => Promise<Answer>> = [
      () => send('POST', '/subscribe', { type: FORM, text: `email=${prefix}bad${n}%40example..com` }),
      () => send('POST', '/subscribe', { type: JSON_TYPE, text: JSON.stringify({ email: `${prefix}bad${n}@example.com\r\nBcc: x@evil.test` }) }),
      () => send('POST', '/subscribe', { type: JSON_TYPE, text: JSON.stringify({ email: `${prefix}bad${n}@example.com`, timeZone: 'Mars/Olympus' }) }),
      () => send('POST', '/subscribe', { type: JSON_TYPE, text: JSON.stringify({ email: `${prefix}bad${n}@example.com`, topics: '"unbalanced' }) }),
      () => send('POST', '/subscribe', { type: JSON_TYPE, text: '{"email":' }),
      () => send('POST', '/subscribe', { type: 'text/xml', text: '<xml/>' }),
      () => send('POST', '/subscribe', { type: FORM, text: `email=${prefix}bad${n}%40example.com&topics=${'x'.repeat(9 * 1024)}` }),
      () => send('POST', '/confirm', { type: FORM, text: `token=forged${n}` }),
      () => send('POST', `/unsubscribe?token=forged${n}`, { type: FORM, text: 'List-Unsubscribe=One-Click' }),
      () => send('POST', '/preferences', { type: FORM, text: `token=forged${n}&topics=agents` }),
      () => send('GET', `/preferences?token=${'A'.repeat(2000)}`),
    ];
    return async () => {
      const answer = await pick(cases)();
      if (answer.status !== 429 && (answer.status < 400 || answer.status >= 500)) failures.push(`bad input answered ${answer.status}`);
    };
  };

  // Phase 1: first sign-ups, repeats racing them, bad input.
  await inPool(
    shuffled(
      [
        ...addresses.map((email) => () => signUp(email)),
        ...Array.from({ length: mix.repeatsBefore }, () => () => signUp(pick(addresses))),
        ...Array.from({ length: mix.badBefore }, (_, n) => badInput(n)),
      ],
      random,
    ),
    options.concurrency,
    deadline,
  );
  await target.settled();

  // Phase 2: confirmations through the mailbox's links, repeats of addresses now pending or confirmed, bad input.
  const links = new Map<string, string>();
  for (const email of await confirmationEmails(target, prefix)) {
    const token = new RegExp(`/confirm\\?token=${TOKEN}`).exec(email.body.text ?? '')?.[1];
    if (token) links.set(email.destination.to[0]!, token);
  }
  // Rate-limited sign-ups leave fewer accepted addresses than planned: the rest confirm with no link (a 400), so the count holds.
  const acceptedNow = shuffled([...accepted], random);
  const toConfirm = Array.from({ length: mix.confirmations }, (_, n) => acceptedNow[n] ?? pick(addresses));
  const preferencesTokens = new Map<string, string>();
  const confirmOne = (email: string) => async () => {
    counts.confirmations += 1;
    const token = links.get(email);
    if (!token && accepted.has(email)) failures.push('an accepted sign-up got no confirmation email');
    const answer = await send('POST', '/confirm', { type: FORM, text: new URLSearchParams({ token: token ?? 'missing' }).toString() });
    if (answer.status === 200) {
      confirmedBy200.add(email);
      const preferences = new RegExp(`/preferences\\?token=${TOKEN}`).exec(answer.body)?.[1];
      if (preferences) preferencesTokens.set(email, preferences);
    } else if (token && answer.status !== 429) failures.push(`a confirmation from the mailbox answered ${answer.status}`);
  };
  await inPool(
    shuffled(
      [
        ...toConfirm.map(confirmOne),
        ...Array.from({ length: mix.repeatsAfter }, () => () => signUp(pick(addresses))),
        ...Array.from({ length: mix.badAfter }, (_, n) => badInput(mix.badBefore + n)),
      ],
      random,
    ),
    options.concurrency,
    deadline,
  );

  // Phase 3: a preference save for each confirmed subscriber (its answer carries the unsubscribe link), then one-click unsubscribes racing more saves.
  const unsubscribeTokens = new Map<string, string>();
  const save = (email: string) => async () => {
    counts.preferenceSaves += 1;
    const fields = { token: preferencesTokens.get(email) ?? 'missing', topics: pick(TOPICS), frequency: pick(['daily', 'weekly']), timeZone: pick(TIME_ZONES) };
    const answer = await send('POST', '/preferences', { type: FORM, text: new URLSearchParams(fields).toString() });
    const unsubscribe = new RegExp(`/unsubscribe\\?token=${TOKEN}`).exec(answer.body)?.[1];
    if (unsubscribe) unsubscribeTokens.set(email, unsubscribe);
    // A save after the unsubscribe is refused (400), one that kept losing to racing saves asks for a retry (409).
    if (answer.status === 409) counts.conflicts += 1;
    else if (answer.status !== 200 && answer.status !== 400 && answer.status !== 429) failures.push(`a preference save answered ${answer.status}`);
  };
  const withPreferences = [...preferencesTokens.keys()];
  await inPool(shuffled(withPreferences, random).slice(0, mix.firstSaves).map(save), options.concurrency, deadline);
  for (let n = withPreferences.length; n < mix.firstSaves; n += 1) await save(pick(addresses))();
  const leaving = shuffled([...unsubscribeTokens.keys()], random).slice(0, mix.unsubscribes);
  const unsubscribe = (email: string) => async () => {
    counts.unsubscribes += 1;
    const answer = await send('POST', `/unsubscribe?token=${unsubscribeTokens.get(email)}`, { type: FORM, text: 'List-Unsubscribe=One-Click' });
    if (answer.status !== 429) unsubscribed.add(email);
    if (answer.status !== 200 && answer.status !== 429) failures.push(`a one-click unsubscribe answered ${answer.status}`);
  };
  const racers = leaving.length > 0 ? leaving : withPreferences;
  await inPool(
    shuffled(
      [
        ...leaving.map(unsubscribe),
        // Fewer unsubscribe links than planned (confirmations refused): the difference goes to saves, so the count holds.
        ...Array.from({ length: mix.racingSaves + mix.unsubscribes - leaving.length }, () => save(pick(racers.length > 0 ? racers : addresses))),
        ...Array.from({ length: mix.badLast }, (_, n) => badInput(mix.badBefore + mix.badAfter + n)),
      ],
      random,
    ),
    options.concurrency,
    deadline,
  );
  await target.settled();
  const wallSeconds = (Date.now() - started) / 1000;

  // The checks.
  const requests = latencies.length;
  if (requests !== options.requests) failures.push(`sent ${requests} of ${options.requests} requests (time ran out after ${options.maxSeconds} s?)`);
  if (wallSeconds > options.maxSeconds) failures.push(`took ${wallSeconds.toFixed(1)} s, over the ${options.maxSeconds} s allowed`);
  if (counts.non2xx4xx > 0) failures.push(`${counts.non2xx4xx} answers were neither 2xx nor 4xx`);
  const stored = await target.subscribers(prefix);
  const storedEmails = new Set(stored.map((subscriber) => subscriber.email));
  const missing = [...accepted].filter((email) => !storedEmails.has(email));
  const extra = [...storedEmails].filter((email) => !accepted.has(email));
  if (stored.length !== storedEmails.size) failures.push(`${stored.length - storedEmails.size} addresses are stored twice`);
  if (missing.length > 0) failures.push(`${missing.length} accepted addresses are not stored`);
  if (extra.length > 0) failures.push(`${extra.length} stored addresses were never accepted (bad input stored?)`);
  const mailed = await confirmationEmails(target, prefix);
  failures.push(...confirmationProblems(mailed, accepted));
  const status = new Map(stored.map((subscriber) => [subscriber.email, subscriber.status]));
  const lost = [...unsubscribed].filter((email) => status.get(email) !== 'unsubscribed');
  const lostUnsubscribes = lost.length;
  if (lostUnsubscribes > 0)
    failures.push(`${lostUnsubscribes} one-click unsubscribes did not apply (left ${[...new Set(lost.map((email) => status.get(email)))].join(', ')})`);
  const lostConfirmations = [...confirmedBy200].filter((email) => !unsubscribed.has(email) && status.get(email) !== 'confirmed').length;
  if (lostConfirmations > 0) failures.push(`${lostConfirmations} confirmations answered 200 but the subscriber is not confirmed`);

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests,
    non2xx4xx: counts.non2xx4xx,
    p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
    p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
    lostUnsubscribes,
    signUps: counts.signUps,
    distinctAddresses: accepted.size,
    storedSubscribers: stored.length,
    confirmationsSent: mailed.length,
    confirmations: counts.confirmations,
    preferenceSaves: counts.preferenceSaves,
    unsubscribes: counts.unsubscribes,
    badInput: counts.badInput,
    conflicts: counts.conflicts,
    rateLimited: counts.rateLimited,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    failures: [...new Set(failures)],
  };
}

/** Every accepted address got a confirmation email, and none got more than CONFIRMATION_LIMITS allow (nor did any other address get one). */
export function confirmationProblems(emails: MailboxEmail[], accepted: Set<string>): string[] {
  const byAddress = new Map<string, number[]>();
  for (const email of emails) {
    const to = email.destination.to[0]!;
    byAddress.set(to, [...(byAddress.get(to) ?? []), email.at]);
  }
  const problems: string[] = [];
  const unmailed = [...accepted].filter((email) => !byAddress.has(email)).length;
  if (unmailed > 0) problems.push(`${unmailed} accepted addresses got no confirmation email`);
  const strangers = [...byAddress.keys()].filter((email) => !accepted.has(email)).length;
  if (strangers > 0) problems.push(`${strangers} addresses that were never accepted got a confirmation email`);
  for (const times of byAddress.values()) {
    const sorted = times.sort((a, b) => a - b);
    // The mailbox keeps whole seconds: a gap may read up to a second short.
    const tooSoon = sorted.some((at, i) => i > 0 && (at - sorted[i - 1]!) * 1000 < CONFIRMATION_LIMITS.cooldownMs - 1000);
    if (tooSoon || sorted.length > CONFIRMATION_LIMITS.perDay) {
      problems.push('an address got confirmation emails closer together than CONFIRMATION_LIMITS allow');
      break;
    }
  }
  return problems;
}
