import {
  forgetFeedback,
  learnedProfile,
  markedPaperOf,
  MAX_FEWER_PAPER_IDS,
  MAX_MARKED_PAPERS,
  PER_PAPER,
  PROFILE_BOOST_LIMIT,
  PROFILE_CAPS,
  recordVote,
  tellingTermsOf,
  withVote,
} from '../../lambdas/core/feedback-profile';
import type { Paper } from '../../lambdas/core/model';
import { whyText } from '../../lambdas/core/render/why-line';
import { buildPaperIndex, selectPapersFor } from '../../lambdas/core/select-papers';
import { makePaper } from '../../dev/paper-factory';
import { makeSubscriber } from '../support/subscriber-factory';

const now = new Date('2026-08-14T12:00:00Z');

const quantized = makePaper({
  id: '2608.10001',
  title: 'Quantization of KV caches for long-context LLMs',
  abstract: 'We quantize the key-value cache to two bits and keep long-context accuracy; quantization error is corrected per channel.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Tri Dao'],
  categories: ['cs.LG', 'cs.CL'],
});
const robots = makePaper({
  id: '2608.10002',
  title: 'Legged robots learn parkour from video',
  abstract: 'A legged robot learns agile parkour skills from human video with a sim-to-real locomotion policy.',
  authors: ['Rodney Brooks'],
  categories: ['cs.RO'],
});

describe('what a marked paper contributes', () => {
  it('keeps the telling words (title first), never stop words, numbers or boilerplate, and acronyms as written', () => {
    const terms = tellingTermsOf(quantized);
    expect(terms[0]).toBe('quantization');
    expect(terms).toEqual(expect.arrayContaining(['KV', 'LLMs', 'caches', 'context']));
    for (const dull of ['of', 'for', 'we', 'two', 'and', 'the', 'per']) expect(terms).not.toContain(dull);
    expect(terms.length).toBeLessThanOrEqual(PER_PAPER.terms);
  });

  it('leaves out the halves of hyphenated compounds that mean nothing alone, keeping the telling half', () => {
    const terms = tellingTermsOf({ title: 'Calibration-free post-training quantization', abstract: 'A non-trivial, context-aware method.', keywords: [] });
    expect(terms).toEqual(expect.arrayContaining(['calibration', 'quantization', 'trivial', 'context']));
    for (const half of ['free', 'post', 'non', 'aware']) expect(terms).not.toContain(half);
  });

  it('names at most four authors, the last among them, and at most four categories', () => {
    const marked = markedPaperOf(quantized, 'more');
    expect(marked.authors).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Tri Dao']);
    expect(marked.categories).toEqual(['cs.LG', 'cs.CL']);
  });
});

describe('the feedback record', () => {
  it('is idempotent: the same vote on the same paper again returns the very same record and subscriber', () => {
    const once = withVote(undefined, markedPaperOf(quantized, 'more'));
    expect(withVote(once, markedPaperOf(quantized, 'more'))).toBe(once);
    const fewer = withVote(once, markedPaperOf(robots, 'fewer'));
    expect(withVote(fewer, markedPaperOf(robots, 'fewer'))).toBe(fewer);
    const subscriber = makeSubscriber({ feedback: fewer });
    expect(recordVote(subscriber, markedPaperOf(robots, 'fewer'))).toBe(subscriber);
  });

  it('switches a paper from "more" to "fewer" and back, keeping one entry for it', () => {
    const more = withVote(undefined, markedPaperOf(quantized, 'more'));
    const fewer = withVote(more, markedPaperOf(quantized, 'fewer'));
    expect(fewer.marked.map((m) => [m.paperId, m.vote])).toEqual([['2608.10001', 'fewer']]);
    expect(fewer.fewerPaperIds).toEqual(['2608.10001']);
    const back = withVote(fewer, markedPaperOf(quantized, 'more'));
    expect(back.marked.map((m) => [m.paperId, m.vote])).toEqual([['2608.10001', 'more']]);
    expect(back.fewerPaperIds).toEqual([]);
    expect(learnedProfile(back)).toEqual(learnedProfile(more));
  });

  it('stays bounded however many papers are marked, and so does the profile', () => {
    let record = undefined as ReturnType<typeof withVote> | undefined;
    for (let n = 0; n < 500; n += 1) {
      const paper = makePaper({
        id: `2609.${String(n).padStart(5, '0')}`,
        title: `Study ${n} of topic${n} with word${n} and term${n}`,
        abstract: `Alpha${n} beta${n} gamma${n} delta${n} epsilon${n} zeta${n} eta${n} theta${n} iota${n} kappa${n}.`,
        authors: [`Author${n} One`, `Author${n} Two`, `Author${n} Three`, `Author${n} Four`, `Author${n} Five`],
        categories: [`cs.X${n}`, `cs.Y${n}`, `cs.Z${n}`, `cs.W${n}`, `cs.V${n}`],
      });
      record = withVote(record, markedPaperOf(paper, n % 5 === 0 ? 'more' : 'fewer'));
    }
    expect(record!.marked).toHaveLength(MAX_MARKED_PAPERS);
    expect(record!.fewerPaperIds).toHaveLength(MAX_FEWER_PAPER_IDS);
    expect(record!.fewerPaperIds.at(-1)).toBe('2609.00499');
    expect(JSON.stringify(record).length).toBeLessThan(40_000);
    const profile = learnedProfile(record);
    expect(profile.terms).toHaveLength(PROFILE_CAPS.terms);
    expect(profile.authors).toHaveLength(PROFILE_CAPS.authors);
    expect(profile.categories).toHaveLength(PROFILE_CAPS.categories);
    for (const weight of [...profile.terms, ...profile.authors, ...profile.categories]) expect(Math.abs(weight.weight)).toBeLessThanOrEqual(1);
    // The newest "more" click (495; 499 is a "fewer" one, half as strong) leads the profile.
    expect(profile.terms[0]?.label).toMatch(/495$/);
  });

  it('pulls towards "more" papers and pushes away from "fewer" ones', () => {
    const profile = learnedProfile(withVote(withVote(undefined, markedPaperOf(quantized, 'more')), markedPaperOf(robots, 'fewer')));
    expect(profile).toMatchObject({ more: 1, fewer: 1 });
    const weightOf = (label: string) => profile.terms.find((term) => term.label === label)?.weight ?? 0;
    expect(weightOf('quantization')).toBeGreaterThan(0);
    expect(weightOf('robots')).toBeLessThan(0);
    expect(profile.authors.find((author) => author.label === 'Tri Dao')?.weight).toBeGreaterThan(0);
    expect(profile.fewerPaperIds.has('2608.10002')).toBe(true);
  });

  it('is forgotten on reset, "fewer" papers included, and a withdrawn reader is not changed', () => {
    const subscriber = makeSubscriber({ feedback: withVote(undefined, markedPaperOf(robots, 'fewer')) });
    const reset = forgetFeedback(subscriber);
    expect(reset.feedback).toBeUndefined();
    expect(forgetFeedback(reset)).toBe(reset);
    expect(learnedProfile(reset.feedback).fewerPaperIds.size).toBe(0);
    const gone = makeSubscriber({ status: 'unsubscribed' });
    expect(recordVote(gone, markedPaperOf(robots, 'more'))).toBe(gone);
  });
});

describe('ranking with a profile', () => {
  const day = ['2026-08-14'];
  /** Ten papers, trending in order: 0 best. Two are about quantization, two about robots. */
  const papers: Paper[] = [
    makePaper({ id: 'p0', title: 'A survey of agents', signals: { upvotes: 100 }, listedOn: day }),
    makePaper({
      id: 'p1',
      title: 'Legged robot locomotion with parkour policies',
      abstract: 'A robot policy for parkour.',
      categories: ['cs.RO'],
      signals: { upvotes: 90 },
      listedOn: day,
    }),
    makePaper({ id: 'p2', title: 'Image editing with diffusion', signals: { upvotes: 80 }, listedOn: day }),
    makePaper({ id: 'p3', title: 'Scaling laws for retrieval', signals: { upvotes: 70 }, listedOn: day }),
    makePaper({ id: 'p4', title: 'Speech recognition at scale', signals: { upvotes: 60 }, listedOn: day }),
    makePaper({ id: 'p5', title: 'Graph neural nets for chemistry', signals: { upvotes: 50 }, listedOn: day }),
    makePaper({ id: 'p6', title: 'Video world models', signals: { upvotes: 40 }, listedOn: day }),
    makePaper({ id: 'p7', title: 'Mathematical reasoning with tools', signals: { upvotes: 30 }, listedOn: day }),
    makePaper({
      id: 'p8',
      title: 'Two-bit quantization of the KV cache',
      abstract: 'Quantize the cache of long-context LLMs.',
      categories: ['cs.LG'],
      signals: { upvotes: 20 },
      listedOn: day,
    }),
    makePaper({ id: 'p9', title: 'Quantization-aware training for small LLMs', abstract: 'Quantization of LLMs.', signals: { upvotes: 28 }, listedOn: day }),
  ];
  const index = buildPaperIndex(papers, now);
  const profile = learnedProfile(withVote(withVote(undefined, markedPaperOf(quantized, 'more')), markedPaperOf(robots, 'fewer')));
  const pick = (topics: string, withProfile: boolean, maxPapers = 10) =>
    selectPapersFor({ topics, maxPapers }, index, { now, alreadySent: new Set(), ...(withProfile ? { profile } : {}) });
  const order = (picked: ReturnType<typeof pick>) => picked.map((one) => one.paper.id);

  it('moves papers like a "more" one up and like a "fewer" one down, within PROFILE_BOOST_LIMIT', () => {
    const before = order(pick('', false));
    const after = order(pick('', true));
    expect(after.indexOf('p8')).toBeLessThan(before.indexOf('p8'));
    expect(after.indexOf('p9')).toBeLessThan(before.indexOf('p9'));
    expect(after.indexOf('p1')).toBeGreaterThan(before.indexOf('p1'));
    // Bounded: the day's best paper, unrelated to the profile, stays first.
    expect(after[0]).toBe('p0');
    for (const one of pick('', true)) {
      const number = index.paperIds.indexOf(one.paper.id);
      expect(Math.abs(one.score - (index.normalisedTrending[number] ?? 0))).toBeLessThanOrEqual(PROFILE_BOOST_LIMIT + 1e-9);
    }
  });

  it('says so in the why line of a paper the profile helped pick, first, naming what it shares', () => {
    const picked = pick('', true);
    const why = whyText(picked.find((one) => one.paper.id === 'p8')!.why);
    expect(why).toMatch(/^Like papers you marked: [^·]*(quantization|caches)[^·]* · Top trending/);
    expect(whyText(picked.find((one) => one.paper.id === 'p2')!.why)).not.toMatch(/marked/);
  });

  it('never admits a paper the topic filter does not', () => {
    expect(order(pick('diffusion', true))).toEqual(['p2']);
    expect(order(pick('cat:cs.RO', true))).toEqual(['p1']);
  });

  it('never picks a paper marked "fewer" again, in any filter', () => {
    const marked = learnedProfile(withVote(undefined, markedPaperOf(papers[8]!, 'fewer')));
    const again = selectPapersFor({ topics: 'quantization', maxPapers: 10 }, index, { now, alreadySent: new Set(), profile: marked });
    expect(order(again)).toEqual(['p9']);
    const trending = selectPapersFor({ topics: '', maxPapers: 30 }, index, { now, alreadySent: new Set(), profile: marked });
    expect(order(trending)).not.toContain('p8');
  });

  it('changes nothing without a profile or with an empty one', () => {
    const empty = learnedProfile(undefined);
    expect(selectPapersFor({ topics: '', maxPapers: 10 }, index, { now, alreadySent: new Set(), profile: empty })).toEqual(pick('', false));
  });
});
