// "More like this" and "Fewer like this" end to end on dynalite, the SES mailbox and the local HTTP gateway: links from a received digest, link scanners that change nothing, and the next digest's ranking.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import type { LocalApp as App } from '../../lambdas/compose';
import type { Paper, Subscriber } from '../../lambdas/core/model';
import { DigestSender } from '../../lambdas/use-cases/send-digest';
import { makePaper } from '../../dev/paper-factory';
import { ManualClock, type MailboxEmail, type TestDynamo, type TestMailbox, useEmulators } from '../support/emulators';
import { makeSubscriber } from '../support/subscriber-factory';
import { recordingLogger, testApp } from '../support/test-app';
import { startTestSite, type TestSite } from '../support/test-site';

const DAY_1 = '2026-12-01';
const DAY_2 = '2026-12-02';
const DAY_MS = 86_400_000;

let dynamo: TestDynamo;
let mailbox: TestMailbox;
let tables: TableNames;
let clock: ManualClock;
let app: App;
let site: TestSite | undefined;
let siteUrl: string;
let logLines: string[];

useEmulators((started) => ({ dynamo, mailbox } = started));

beforeAll(async () => {
  site = await startTestSite();
  siteUrl = site.url;
  tables = await dynamo.createTables();
  clock = new ManualClock(`${DAY_1}T08:00:00Z`);
  logLines = [];
  app = testApp({ dynamo, mailbox, tables, clock, logger: recordingLogger(logLines), publicBaseUrl: siteUrl });
  site.serve(app.siteDeps());
});

afterAll(async () => {
  await site?.close();
});

const listed = (day: string, papers: Parameters<typeof makePaper>[0][]): Paper[] => papers.map((paper) => makePaper({ ...paper, listedOn: [day] }));

/** Day 1: a paper on KV-cache quantization (to be marked "more"), one on legged robots (to be marked "fewer"), two others. */
const day1 = listed(DAY_1, [
  {
    id: '2612.00001',
    title: 'Legged robots learn parkour from human video',
    abstract: 'A legged robot learns agile parkour locomotion from video.',
    authors: ['Rodney Brooks'],
    categories: ['cs.RO'],
    signals: { upvotes: 90 },
  },
  {
    id: '2612.00002',
    title: 'Two-bit quantization of the KV cache for long-context LLMs',
    abstract: 'We quantize the key-value cache of LLMs to two bits; quantization error is corrected per channel.',
    authors: ['Ada Lovelace', 'Tri Dao'],
    categories: ['cs.LG'],
    signals: { upvotes: 70 },
  },
  { id: '2612.00003', title: 'A survey of web agents', abstract: 'Agents that browse the web.', signals: { upvotes: 60 } },
  { id: '2612.00004', title: 'Protein folding with language priors', abstract: 'Structure prediction for proteins.', signals: { upvotes: 50 } },
]);

/** Day 2: a robot paper and a quantization paper among three others, trending in the order written; the day-1 robot paper is listed again. */
const day2 = listed(DAY_2, [
  {
    id: '2612.00011',
    title: 'Quadruped robots: parkour locomotion in the wild',
    abstract: 'A legged robot policy for parkour locomotion.',
    categories: ['cs.RO'],
    signals: { upvotes: 60 },
  },
  { id: '2612.00012', title: 'Music generation with diffusion', abstract: 'Diffusion for symbolic music.', signals: { upvotes: 56 } },
  { id: '2612.00013', title: 'Weather forecasting at kilometre scale', abstract: 'Global forecasts at high resolution.', signals: { upvotes: 52 } },
  { id: '2612.00014', title: 'Sparse autoencoders for interpretability', abstract: 'Features of language models.', signals: { upvotes: 48 } },
  {
    id: '2612.00015',
    title: 'KV cache quantization for faster LLM serving',
    abstract: 'Quantization of the KV cache of LLMs cuts memory.',
    authors: ['Tri Dao'],
    categories: ['cs.LG'],
    signals: { upvotes: 44 },
  },
  { ...day1[0]!, signals: { upvotes: 95 } },
]);

/** Two readers with the same preferences; only `clicker` clicks. */
const clicker = makeSubscriber({ id: 'sub-clicker', email: 'clicker@example.com', topics: '', maxPapers: 4 });
const control = makeSubscriber({ id: 'sub-control', email: 'control@example.com', topics: '', maxPapers: 4 });

const sendDigest = (subscriber: Subscriber, localDate: string) => new DigestSender(app.sendDigestDeps()).send({ subscriberId: subscriber.id, localDate });

async function digestTo(address: string, day: string): Promise<MailboxEmail> {
  const emails = (await mailbox.emails()).filter(
    (email) => email.destination.to.includes(address) && email.subject.includes(day === DAY_1 ? '1 Dec' : '2 Dec'),
  );
  expect(emails).toHaveLength(1);
  return emails[0]!;
}

/** The cards of a digest's HTML part, in order: each card's title and its links by label. */
function cardsOf(email: MailboxEmail): Array<{ title: string; links: Map<string, string>; why: string }> {
  const html = email.body.html ?? '';
  return html
    .split('class="pt-card">')
    .slice(1)
    .map((card) => {
      const body = card.slice(0, card.indexOf('</td></tr>'));
      const links = new Map([...body.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((match) => [match[2]!, match[1]!.replace(/&amp;/g, '&')]));
      const title = /<a href="[^"]*"[^>]*>([^<]*)<\/a>/.exec(body)?.[1] ?? '';
      const why = (/>Why: (.*?)<\/div>/.exec(body)?.[1] ?? '').replace(/<[^>]+>/g, '');
      return { title, links, why };
    });
}

const cardTitled = (email: MailboxEmail, title: string) => cardsOf(email).find((card) => card.title === title)!;

/** What a form on a page would POST: its action and its fields, the pressed button's name and value among them. */
function buttonForm(page: string, buttonText: string): { action: string; fields: URLSearchParams } {
  const form = [...page.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].find((match) => match[2]!.includes(`>${buttonText}</button>`));
  expect(form).toBeDefined();
  const fields = new URLSearchParams();
  for (const hidden of form![2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.set(hidden[1]!, hidden[2]!.replace(/&amp;/g, '&'));
  const button = new RegExp(`name="([^"]*)" value="([^"]*)">${buttonText}</button>`).exec(form![2]!);
  if (button) fields.set(button[1]!, button[2]!);
  return { action: form![1]!, fields };
}

async function post(path: string, fields: URLSearchParams): Promise<{ status: number; text: string }> {
  const response = await fetch(`${siteUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  return { status: response.status, text: await response.text() };
}

describe('feedback from a digest', () => {
  let moreUrl: string;
  let fewerUrl: string;

  it('gives every card of the received digest its two links, one token per paper', async () => {
    await app.papers.putDay(DAY_1, day1);
    for (const subscriber of [clicker, control]) {
      expect(await app.subscribers.create(subscriber)).toBe(true);
      expect(await sendDigest(subscriber, DAY_1)).toBe('sent');
    }
    const email = await digestTo(clicker.email, DAY_1);
    const cards = cardsOf(email);
    expect(cards).toHaveLength(4);
    for (const card of cards) {
      const more = new URL(card.links.get('More like this')!);
      const fewer = new URL(card.links.get('Fewer like this')!);
      expect(`${more.origin}${more.pathname}`).toBe(`${siteUrl}/feedback`);
      expect(more.searchParams.get('vote')).toBe('more');
      expect(fewer.searchParams.get('vote')).toBe('fewer');
      expect(fewer.searchParams.get('token')).toBe(more.searchParams.get('token'));
    }
    expect(new Set(cards.map((card) => new URL(card.links.get('More like this')!).searchParams.get('token'))).size).toBe(4);
    // The text part: one link per card, to the page that offers both.
    expect(email.body.text?.match(/More or fewer like this: http:\/\/127\.0\.0\.1:\d+\/feedback\?token=\S+\n/g)).toHaveLength(4);
    moreUrl = cardTitled(email, day1[1]!.title).links.get('More like this')!;
    fewerUrl = cardTitled(email, day1[0]!.title).links.get('Fewer like this')!;
  });

  it('lets link scanners GET and HEAD both links as often as they like without storing anything', async () => {
    const before = await app.subscribers.get(clicker.id);
    for (const url of [moreUrl, fewerUrl, moreUrl.replace(/&vote=more$/, '')]) {
      for (const method of ['GET', 'HEAD', 'GET']) {
        const response = await fetch(url, { method });
        expect(response.status).toBe(200);
        const text = await response.text();
        if (method === 'HEAD') expect(text).toBe('');
      }
    }
    const page = await (await fetch(moreUrl)).text();
    expect(page).toContain('More papers like this?');
    expect(page).toContain('Two-bit quantization of the KV cache for long-context LLMs');
    expect(page.match(/<button /g)).toHaveLength(1);
    expect(await app.subscribers.get(clicker.id)).toEqual(before);
    expect(before?.feedback).toBeUndefined();
  });

  it('records "more" and "fewer" when the page’s button is pressed, once however often it is pressed', async () => {
    for (const [url, label, noted] of [
      [moreUrl, 'More like this', 'Noted: more like this'],
      [fewerUrl, 'Fewer like this', 'Noted: fewer like this'],
    ] as const) {
      const page = await (await fetch(url)).text();
      const { action, fields } = buttonForm(page, label);
      const done = await post(action, fields);
      expect(done).toMatchObject({ status: 200 });
      expect(done.text).toContain(noted);
      const stored = await app.subscribers.get(clicker.id);
      expect(await post(action, fields)).toMatchObject({ status: 200 });
      expect((await app.subscribers.get(clicker.id))?.feedback).toEqual(stored?.feedback);
    }
    const feedback = (await app.subscribers.get(clicker.id))?.feedback;
    expect(feedback?.marked.map((marked) => [marked.paperId, marked.vote])).toEqual([
      ['2612.00002', 'more'],
      ['2612.00001', 'fewer'],
    ]);
    expect(feedback?.fewerPaperIds).toEqual(['2612.00001']);
    // No address, token or paper in any log line.
    for (const line of logLines) expect(line).not.toMatch(/@example\.com|token=|2612\.0000/);
  });

  it('moves the next digest: papers like the "more" one up, like the "fewer" one down, the "fewer" one never back', async () => {
    clock.advance(DAY_MS);
    await app.papers.putDay(DAY_2, day2);
    for (const subscriber of [clicker, control]) expect(await sendDigest(subscriber, DAY_2)).toBe('sent');
    const order = async (address: string) => cardsOf(await digestTo(address, DAY_2)).map((card) => card.title);
    const clicked = await order(clicker.email);
    const unclicked = await order(control.email);
    const quantization = day2[4]!.title;
    const robots = day2[0]!.title;
    expect(unclicked).toEqual([robots, day2[1]!.title, day2[2]!.title, day2[3]!.title]);
    expect(clicked).toContain(quantization);
    expect(clicked.indexOf(quantization)).toBeLessThan(unclicked.includes(quantization) ? unclicked.indexOf(quantization) : unclicked.length);
    expect(clicked.includes(robots) ? clicked.indexOf(robots) : clicked.length).toBeGreaterThan(unclicked.indexOf(robots));
    expect(clicked).not.toContain(day1[0]!.title);
    const why = cardTitled(await digestTo(clicker.email, DAY_2), quantization).why;
    expect(why).toMatch(/^Like papers you marked: .*(quantization|KV|Tri Dao)/);
  });

  it('shows what was learned on the preferences page, leaves the "fewer" paper out of its preview, and forgets it all on reset', async () => {
    const email = await digestTo(clicker.email, DAY_2);
    const preferencesUrl = /href="([^"]*\/preferences\?token=[^"]*)"/.exec(email.body.html ?? '')![1]!.replace(/&amp;/g, '&');
    const page = await (await fetch(preferencesUrl)).text();
    expect(page).toContain('You asked for more like 1 paper and fewer like 1 paper.');
    expect(page).toMatch(/Leaning towards words: [^<]*quantization/);
    expect(page).toMatch(/authors: [^<]*Tri Dao/);
    expect(page).toMatch(/Leaning away from [^<]*robot/);
    // Today's six papers, less the one marked "fewer".
    expect(page).toMatch(/Your filter picks 5 of the \d+ papers listed on Wednesday 2 December 2026\./);
    const { action, fields } = buttonForm(page, 'Forget what my clicks taught');
    const reset = await post(action, fields);
    expect(reset.status).toBe(200);
    expect(reset.text).toContain('Forgotten: your digests no longer lean on your');
    expect(reset.text).toMatch(/Your filter picks 6 of the \d+ papers listed on Wednesday 2 December 2026\./);
    expect(reset.text).not.toContain('You asked for');
    expect((await app.subscribers.get(clicker.id))?.feedback).toBeUndefined();
  });
});
