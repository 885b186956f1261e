// A digest's web version on dynalite: the email's own HTML made again from the ledger and the papers by id, a year long, and an honest answer for every day without one.
import { makePaper } from '../../dev/paper-factory';
import { DynamoLedger } from '../../lambdas/adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from '../../lambdas/adapters/aws/dynamo-subscriber-store';
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { MemoryMetrics } from '../../lambdas/adapters/metrics/memory-metrics';
import { DAY_MS } from '../../lambdas/core/day';
import { markedPaperOf, withVote } from '../../lambdas/core/feedback-profile';
import type { Subscriber } from '../../lambdas/core/model';
import { parseKeyring, signToken, verifyToken } from '../../lambdas/core/tokens';
import type { Mailer, OutgoingEmail } from '../../lambdas/ports';
import { digestWebVersion, type DigestWebVersionDeps } from '../../lambdas/use-cases/digest-web-version';
import { DigestSender, type SendDigestDeps } from '../../lambdas/use-cases/send-digest';
import { ManualClock, useDynamo, type TestDynamo } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';

const SENT_AT = '2026-12-01T08:00:00Z';
const DAY = '2026-12-01';
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const keyring = parseKeyring(JSON.stringify({ current: 'k1', k1: 'digest-web-version-test-secret-0123456789' }));
const signing = { keyring, publicBaseUrl: 'https://papertrend.example' };

let dynamo: TestDynamo;
let tables: TableNames;
let clock: ManualClock;
let subscriber: Subscriber;
let sent: OutgoingEmail[];
let deps: DigestWebVersionDeps;
let sender: SendDigestDeps;

useDynamo((started) => (dynamo = started));

beforeEach(async () => {
  tables = await dynamo.createTables();
  clock = new ManualClock(SENT_AT);
  const papers = new DynamoPaperStore({ client: dynamo.client, tableName: tables.papers });
  const subscribers = new DynamoSubscriberStore({ client: dynamo.client, tableName: tables.subscribers, clock });
  const ledger = new DynamoLedger({ client: dynamo.client, tableName: tables.ledger, clock });
  await papers.putDay('2026-11-30', [
    makePaper({ id: '2611.00001', title: 'Post-training quantization for small language models', listedOn: ['2026-11-30'], signals: { upvotes: 40 } }),
    makePaper({ id: '2611.00002', title: 'A survey of graph rewiring', categories: ['cs.LG'], listedOn: ['2026-11-30'], signals: { upvotes: 90 } }),
  ]);
  await papers.putDay(DAY, [
    makePaper({
      id: '2612.00003',
      title: 'Rotations before rounding',
      abstract: 'We make 4-bit quantization of the weights of large models lossless with learned rotations.',
      listedOn: [DAY],
      signals: { upvotes: 80 },
    }),
    makePaper({ id: '2612.00004', title: 'Speculative decoding, revisited', categories: ['cs.LG'], listedOn: [DAY], signals: { upvotes: 55 } }),
  ]);
  subscriber = makeSubscriber({ email: 'jane.doe@example.org', topics: 'quantization, cat:cs.LG', lastDigestDate: '2026-11-30' });
  await subscribers.create(subscriber);
  sent = [];
  const mailer: Mailer = {
    async send(email, options) {
      await options?.beforeSend?.();
      sent.push(email);
      return `msg-${sent.length}`;
    },
  };
  const common = { ...signing, subscribers, clock, postalAddress: 'Papertrend, 1 Example Street, Berlin' };
  sender = { ...common, mailer, papers, ledger, logger: silent, metrics: new MemoryMetrics(), claimLeaseMs: 900_000 };
  deps = { ...common, ledger, papers };
});

const sendDigest = (localDate = DAY) => new DigestSender(sender).send({ subscriberId: subscriber.id, localDate });
const viewToken = (localDate: string, at = clock.now(), subscriberId = subscriber.id) =>
  signToken(keyring, { subscriberId, purpose: 'view', subject: localDate }, at);
const tokenOf = (url: string) => new URL(url).searchParams.get('token');
const viewUrlOf = (email: OutgoingEmail | undefined) => /View in browser: (\S+)/.exec(email!.text)![1]!;
const footerUrls = (html: string) =>
  [...html.matchAll(/href="(https:\/\/papertrend\.example\/(?:preferences|unsubscribe|feedback)\?token=[^"]*)"/g)].map((match) => match[1]);
const whyLines = (html: string) => [...html.matchAll(/Why: (.*?)<\/div>/g)].map((match) => match[1]);

/** The email's HTML as its web version should be: without the link to itself, and kept out of search engines. */
const asPage = (html: string) =>
  html
    .replace(/<div style="padding-bottom:6px"><a href="[^"]*"[^>]*>View in browser<\/a><\/div>/, '')
    .replace('<head>', '<head> <meta name="robots" content="noindex">');

describe('digestWebVersion', () => {
  it('is the email itself, at the moment it was sent: the same cards, why lines and footer, less the link to itself', async () => {
    expect(await sendDigest()).toBe('sent');
    const [email] = sent;
    const viewUrl = /View in browser: (\S+)/.exec(email!.text)![1]!;
    expect(viewUrl).toMatch(/^https:\/\/papertrend\.example\/digest\?token=[\w.-]+$/);
    expect(email!.html).toContain(`href="${viewUrl}"`);

    // Opened ten days later: its links are the email's own, signed when it was sent, not fresh ones.
    clock.advance(10 * DAY_MS);
    const version = await digestWebVersion(deps, tokenOf(viewUrl));
    expect(version).toMatchObject({ ok: true, localDate: DAY });
    if (!version.ok) throw new Error('no web version');
    expect(version.html).toBe(asPage(email!.html));
    expect(footerUrls(version.html)).toEqual(footerUrls(email!.html));
    expect(footerUrls(version.html).filter((url) => /\/(preferences|unsubscribe)\?/.test(url!))).toHaveLength(2);
    expect(footerUrls(version.html).filter((url) => /\/feedback\?/.test(url!)).length).toBeGreaterThan(0);
    expect(whyLines(version.html)).toEqual(whyLines(email!.html));
    // Text matches quote the paper; category matches place it among the window's papers, as the email did.
    expect(whyLines(version.html)).toHaveLength(3);
    expect(whyLines(version.html).filter((line) => /on Hugging Face/.test(line!))).toHaveLength(2);
    expect(version.html).toContain('#2 on Hugging Face today');
    expect(version.html).not.toContain('View in browser');
  });

  it("still shows the same papers and why lines 364 days later, with the email's own links, which expire as the email's do", async () => {
    await sendDigest();
    const [email] = sent;
    const token = tokenOf(viewUrlOf(email));
    clock.advance(364 * DAY_MS);
    const version = await digestWebVersion(deps, token);
    if (!version.ok) throw new Error(`no web version: ${version.reason}`);
    expect(whyLines(version.html)).toEqual(whyLines(email!.html));
    const footerTokens = [...version.html.matchAll(/href="https:\/\/papertrend\.example\/(preferences|unsubscribe)\?token=([\w.-]+)"/g)];
    expect(footerTokens.map((match) => match[1])).toEqual(['preferences', 'unsubscribe']);
    for (const [, , same] of footerTokens) expect(email!.html).toContain(same!);
    // A shared link is no year-long key: its preferences link lapsed after 180 days, as the email's did.
    expect(verifyToken(keyring, footerTokens[0]![2], 'preferences', clock.now())).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('answers a link from before the reader signed up again as out of date, and one of a reader who unsubscribed with no links', async () => {
    await sendDigest();
    const oldToken = tokenOf(viewUrlOf(sent[0]));
    clock.advance(DAY_MS);
    const again = { ...subscriber, consent: { ...subscriber.consent, signedUpAt: clock.now().toISOString() } };
    await sender.subscribers.put(again);
    expect(await digestWebVersion(deps, oldToken)).toEqual({ ok: false, reason: 'superseded' });
    clock.advance(1000);
    expect(await digestWebVersion(deps, viewToken(DAY))).toMatchObject({ ok: true });
    const withdrawnAt = clock.now().toISOString();
    await sender.subscribers.put({ ...again, status: 'unsubscribed', consent: { ...again.consent, withdrawnAt } });
    expect(await digestWebVersion(deps, viewToken(DAY))).toEqual({ ok: false, reason: 'withdrawn', localDate: DAY });
  });

  it("shows the why lines the reader's own feedback gave, as the email did", async () => {
    const liked = makePaper({
      id: '2610.00009',
      title: 'Learned rotations for 4-bit quantization of large model weights',
      abstract: 'Rotations make 4-bit quantization of the weights of large models lossless.',
      listedOn: ['2026-10-01'],
    });
    await sender.subscribers.put({ ...subscriber, feedback: withVote(undefined, markedPaperOf(liked, 'more')) });
    expect(await sendDigest()).toBe('sent');
    const [email] = sent;
    expect(email!.html).toContain('Like papers you marked: ');
    clock.advance(DAY_MS);
    const version = await digestWebVersion(deps, tokenOf(viewUrlOf(email)));
    if (!version.ok) throw new Error(`no web version: ${version.reason}`);
    expect(whyLines(version.html)).toEqual(whyLines(email!.html));
    expect(version.html).toBe(asPage(email!.html));
  });

  it("keeps the moment the papers were selected, whenever SES's answer is recorded", async () => {
    const slow: Mailer = {
      async send(email, options) {
        await options?.beforeSend?.();
        clock.advance(20 * 60_000);
        sent.push(email);
        return 'msg-slow';
      },
    };
    expect(await new DigestSender({ ...sender, mailer: slow }).send({ subscriberId: subscriber.id, localDate: DAY })).toBe('sent');
    const entry = await sender.ledger.sentDigest(subscriber.id, DAY);
    expect(entry?.at).toBe(clock.now().toISOString());
    expect(entry?.recipe?.selectedAt).toBe(new Date(SENT_AT).toISOString());
  });

  it('refuses a changed token, an expired one (366 days) and one of another purpose, as links', async () => {
    await sendDigest();
    const token = viewToken(DAY);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await digestWebVersion(deps, tampered)).toEqual({ ok: false, reason: 'invalid' });
    expect(await digestWebVersion(deps, signToken(keyring, { subscriberId: subscriber.id, purpose: 'preferences' }, clock.now()))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await digestWebVersion(deps, undefined)).toEqual({ ok: false, reason: 'invalid' });
    clock.advance(366 * DAY_MS);
    expect(await digestWebVersion(deps, token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('has none for a day never sent, a day with nothing new, a day still sending, or a subscription that is gone', async () => {
    expect(await digestWebVersion(deps, viewToken('2026-11-29'))).toEqual({ ok: false, reason: 'not-sent', localDate: '2026-11-29' });
    await sender.ledger.markEmpty(subscriber.id, '2026-11-28');
    expect(await digestWebVersion(deps, viewToken('2026-11-28'))).toEqual({ ok: false, reason: 'empty', localDate: '2026-11-28' });
    await sender.ledger.beginSend(subscriber.id, '2026-11-27', ['2612.00003']);
    expect(await digestWebVersion(deps, viewToken('2026-11-27'))).toEqual({ ok: false, reason: 'sending', localDate: '2026-11-27' });
    const at = (await sender.ledger.beginSend(subscriber.id, '2026-11-26', ['2612.00003']))!;
    await sender.ledger.closeSend(subscriber.id, '2026-11-26', at, 'rejected', 'MessageRejected');
    expect(await digestWebVersion(deps, viewToken('2026-11-26'))).toEqual({ ok: false, reason: 'not-sent', localDate: '2026-11-26' });
    await sendDigest();
    expect(await digestWebVersion(deps, viewToken(DAY, clock.now(), 'sub-deleted'))).toEqual({ ok: false, reason: 'gone', localDate: DAY });
  });

  it('shows a day that may have reached the reader (unknown), and one sent before recipes were kept, without inventing why lines', async () => {
    const at = (await sender.ledger.beginSend(subscriber.id, '2026-11-25', ['2612.00003', '2611.00001']))!;
    await sender.ledger.closeSend(subscriber.id, '2026-11-25', at, 'unknown', 'Abandoned');
    const version = await digestWebVersion(deps, viewToken('2026-11-25'));
    if (!version.ok) throw new Error(`no web version: ${version.reason}`);
    expect(version.html.indexOf('Rotations before rounding')).toBeLessThan(version.html.indexOf('Post-training quantization'));
    expect(whyLines(version.html)).toEqual([]);
    expect(version.html).toContain('quantization, cat:cs.LG');
  });

  it('shows a "nothing new" digest sent on request as the email said it', async () => {
    await sender.subscribers.put({ ...subscriber, topics: 'protein folding', sendEmptyDigest: true });
    expect(await sendDigest()).toBe('sent');
    const version = await digestWebVersion(deps, tokenOf(/View in browser: (\S+)/.exec(sent[0]!.text)![1]!));
    if (!version.ok) throw new Error(`no web version: ${version.reason}`);
    expect(version.html).toBe(asPage(sent[0]!.html));
    expect(version.html).toContain('Nothing new today');
  });

  it('says so when the papers of the day are no longer kept', async () => {
    await sender.ledger.beginSend(subscriber.id, '2026-11-24', ['2401.99999'], {
      topics: 'quantization',
      frequency: 'daily',
      windowFrom: '2026-11-23',
      windowTo: '2026-11-24',
    });
    await sender.ledger.markSent(subscriber.id, '2026-11-24', 'msg-old');
    expect(await digestWebVersion(deps, viewToken('2026-11-24'))).toEqual({ ok: false, reason: 'papers-gone', localDate: '2026-11-24' });
  });

  it('links to it from the email without the address, in any spelling', async () => {
    await sendDigest();
    const [email] = sent;
    const viewUrl = /View in browser: (\S+)/.exec(email!.text)![1]!;
    const decoded = Buffer.from(tokenOf(viewUrl)!.split('.')[0]!, 'base64url').toString('utf8');
    for (const text of [viewUrl, decodeURIComponent(viewUrl), decoded]) {
      expect(text.toLowerCase()).not.toContain('jane');
      expect(text).not.toContain('example.org');
    }
    expect(decoded).toBe(`k1.view.${subscriber.id}.${Math.floor(Date.parse(SENT_AT) / 1000).toString(36)}.${DAY}`);
  });
});
