import type { Paper } from '../../lambdas/core/model';
import { buildPaperIndex, selectPapersFor, type SelectionOptions } from '../../lambdas/core/select-papers';
import { PAPERS_PER_EMAIL } from '../../lambdas/core/subscription';
import { TopicFilterError } from '../../lambdas/core/topic-filter';
import { makePaper } from '../../dev/paper-factory';
import { whyText } from '../../lambdas/core/render/why-line';

const now = new Date('2026-08-14T12:00:00Z');
const options: SelectionOptions = { now, alreadySent: new Set() };
const longAbstract =
  'We present a broad study of training recipes for large models across many tasks and settings. ' +
  'Our analysis covers data mixtures, optimisers, schedules, evaluation protocols and ablations. '.repeat(4);

function select(topics: string, papers: Paper[], extra: Partial<SelectionOptions> = {}, maxPapers = 10) {
  return selectPapersFor({ topics, maxPapers }, buildPaperIndex(papers, now), { ...options, ...extra });
}

const ids = (picked: { paper: Paper }[]) => picked.map((pick) => pick.paper.id);
const whys = (picked: { why: Parameters<typeof whyText>[0] }[]) => picked.map((pick) => whyText(pick.why));
/** Every count the card shows, as the card writes it: a why line must not repeat one. */
const CARD_COUNT = /\d[\d,.]*k? (upvote|comment|star)/;

function trendingPapers(count: number): Paper[] {
  return Array.from({ length: count }, (_, n) => makePaper({ id: `2608.${String(n).padStart(5, '0')}`, signals: { upvotes: 100 - n } }));
}

describe('selectPapersFor without a filter', () => {
  it('picks the top trending papers, best first, with a why line', () => {
    const quiet = makePaper({ signals: { upvotes: 2 }, listedOn: ['2026-08-14'] });
    const loud = makePaper({ signals: { upvotes: 42, comments: 8 }, listedOn: ['2026-08-14'] });
    const picked = select('', [quiet, loud]);
    expect(ids(picked)).toEqual([loud.id, quiet.id]);
    // The card shows the counts; the why line says what it does not: the paper's place on Hugging Face.
    expect(whys(picked)).toEqual(['Top trending · #1 on Hugging Face today', 'Top trending · #2 on Hugging Face today']);
    expect(picked[0]?.score).toBe(1);
  });

  it("never repeats the card's counts, and says when a paper has no votes yet", () => {
    const starred = makePaper({ signals: { upvotes: 1, comments: 1, githubStars: 1234 }, listedOn: ['2026-08-14'] });
    const popular = makePaper({ signals: { upvotes: 1234, githubStars: 12_345 }, listedOn: ['2026-08-14'] });
    const silent = makePaper();
    const lines = whys(select('', [starred, popular, silent]));
    expect(lines).toEqual(['Top trending · #1 on Hugging Face today', 'Top trending · #2 on Hugging Face today', 'Top trending · new, no votes yet']);
    for (const line of lines) expect(line).not.toMatch(CARD_COUNT);
  });

  it("names the day of an older day's list even when it is the latest the index holds (an earlier day's page)", () => {
    const older = makePaper({ signals: { upvotes: 9 }, listedOn: ['2026-08-10'] });
    expect(whys(select('', [older]))).toEqual(['Top trending · #1 on Hugging Face on Mon 10 Aug']);
  });

  it("names the day of a place on an earlier day's list, and says what arXiv says of acceptance and publication", () => {
    const accepted = makePaper({
      signals: { upvotes: 9 },
      listedOn: ['2026-08-10'],
      categories: ['cs.CL'],
      arxiv: { primaryCategory: 'cs.CL', comment: '9 pages; Accepted to ACL 2026 (Findings)', journalRef: 'Trans. ACL 14 (2026)', latestVersion: 2 },
    });
    const other = makePaper({ signals: { upvotes: 20 }, listedOn: ['2026-08-14'] });
    expect(whys(select('', [accepted, other]))).toEqual([
      'Top trending · #1 on Hugging Face today',
      'Top trending · #1 on Hugging Face on Mon 10 Aug · accepted at ACL 2026 · published in Trans. ACL 14 (2026)',
    ]);
  });

  it('never picks a paper already sent', () => {
    const papers = trendingPapers(3);
    const picked = select('', papers, { alreadySent: new Set([papers[0]?.id ?? '']) });
    expect(ids(picked)).toEqual([papers[1]?.id, papers[2]?.id]);
  });
});

describe('how many papers', () => {
  const papers = trendingPapers(40);

  it('takes the subscriber maxPapers', () => {
    expect(select('', papers, {}, 3)).toHaveLength(3);
  });

  it('defaults to 10 when maxPapers is invalid', () => {
    for (const maxPapers of [0, -2, 2.5, Number.NaN]) {
      expect(select('', papers, {}, maxPapers)).toHaveLength(PAPERS_PER_EMAIL.default);
    }
  });

  it('never exceeds 30, even when asked', () => {
    expect(select('', papers, {}, 50)).toHaveLength(PAPERS_PER_EMAIL.max);
    expect(select('', papers, { limit: 31 }, 5)).toHaveLength(PAPERS_PER_EMAIL.max);
  });

  it('lets options.limit override maxPapers', () => {
    expect(select('', papers, { limit: 2 }, 20)).toHaveLength(2);
  });
});

describe('selectPapersFor with a filter', () => {
  it('picks only matching papers and says which words matched', () => {
    const match = makePaper({ title: 'Serving at scale', abstract: `${longAbstract}We serve quantized LLMs at scale.`, signals: { upvotes: 42 } });
    const other = makePaper({ title: 'Robot grasping', signals: { upvotes: 300 } });
    const picked = select('quantization LLM', [match, other]);
    expect(ids(picked)).toEqual([match.id]);
    expect(picked[0]?.why.slice(0, 1)).toEqual([{ text: 'Matches "quantization LLM" in the abstract: ' }]);
    expect(picked[0]?.why.filter((part) => part.match)).toEqual([
      { text: 'quantized', match: true },
      { text: 'LLMs', match: true },
    ]);
  });

  it('shows a matched phrase as the paper writes it, without inner quotes in the label', () => {
    const paper = makePaper({ title: 'Notes', abstract: `${longAbstract}We keep scaling State-Space Models.`, signals: { upvotes: 5 } });
    expect(whyText(select('"state space model"', [paper])[0]?.why ?? [])).toMatch(
      /^Matches "state space model" in the abstract: ….* scaling State-Space Models\.$/,
    );
  });

  it('drops papers below the relevance floor', () => {
    const central = makePaper({ title: 'Speculative decoding made simple' });
    const passing = makePaper({ title: 'Training recipes', abstract: `${longAbstract} A note on speculative decoding.` });
    expect(ids(select('"speculative decoding"', [central, passing]))).toEqual([central.id]);
    expect(ids(select('"speculative decoding"', [central, passing], { relevanceFloor: 0 }))).toEqual([central.id, passing.id]);
  });

  it('orders matches by relevance blended with trending: trending orders papers that match alike, but does not lift a passing mention above a title', () => {
    const inTitle = makePaper({ title: 'Retrieval augmented generation', signals: { upvotes: 10 } });
    const inAbstract = makePaper({ abstract: 'We improve retrieval for question answering.', signals: { upvotes: 10 } });
    const inAbstractTrending = makePaper({ abstract: 'We improve retrieval for question answering.', signals: { upvotes: 200 } });
    expect(ids(select('retrieval', [inAbstract, inTitle, inAbstractTrending], { relevanceFloor: 0 }))).toEqual([
      inTitle.id,
      inAbstractTrending.id,
      inAbstract.id,
    ]);
  });

  it('ranks a paper about the topic above a far more trending one that names it in passing', () => {
    const about = makePaper({
      title: 'Speculative decoding with draft trees',
      abstract: 'Speculative decoding drafts tokens cheaply.',
      signals: { upvotes: 4 },
    });
    const passing = makePaper({ title: 'Training recipes', abstract: `${longAbstract} We also try speculative decoding.`, signals: { upvotes: 400 } });
    expect(ids(select('"speculative decoding"', [passing, about], { relevanceFloor: 0 }))).toEqual([about.id, passing.id]);
  });

  it('ORs topics and lists a paper matching two of them once', () => {
    const speech = makePaper({ title: 'Speech recognition', signals: { upvotes: 3 } });
    const both = makePaper({ title: 'Speech models for robots', signals: { upvotes: 9 } });
    const robots = makePaper({ title: 'Robots that fold laundry', signals: { upvotes: 6 } });
    const neither = makePaper({ title: 'Protein folding' });
    const picked = select('speech, robot', [speech, both, robots, neither]);
    expect(ids(picked).sort()).toEqual([speech.id, both.id, robots.id].sort());
  });

  it('applies exclusions within a topic', () => {
    const method = makePaper({ title: 'Diffusion for text' });
    const survey = makePaper({ title: 'A survey of diffusion models' });
    expect(ids(select('diffusion -survey', [method, survey]))).toEqual([method.id]);
  });

  it('reads a topic of exclusions only as everything except', () => {
    const listedOn = ['2026-08-14'];
    const method = makePaper({ title: 'Diffusion for text', signals: { upvotes: 3 }, listedOn });
    const survey = makePaper({ title: 'A survey of diffusion models', signals: { upvotes: 30 }, listedOn });
    const other = makePaper({ title: 'Robot grasping', signals: { upvotes: 8 }, listedOn });
    const picked = select('-survey', [method, survey, other]);
    expect(ids(picked)).toEqual([other.id, method.id]);
    // Places count every paper of the day, the excluded one too.
    expect(whys(picked)).toEqual(['Top trending, without "survey" · #2 on Hugging Face today', 'Top trending, without "survey" · #3 on Hugging Face today']);
  });

  it('matches categories and archive prefixes', () => {
    const nlp = makePaper({ categories: ['cs.CL', 'cs.LG'] });
    const stats = makePaper({ categories: ['stat.ML'] });
    expect(ids(select('cat:cs.cl', [nlp, stats]))).toEqual([nlp.id]);
    expect(whys(select('cat:cs.cl', [nlp]))).toEqual(['Matches "cat:cs.cl": listed in cs.CL · new, no votes yet']);
    const filed = { ...nlp, arxiv: { primaryCategory: 'cs.CL', latestVersion: 1 } };
    const crossListed = { ...stats, categories: ['stat.ML', 'cs.CL'], arxiv: { primaryCategory: 'stat.ML', latestVersion: 1 } };
    expect(whys(select('cat:cs.CL', [filed, crossListed]))).toEqual([
      'Matches "cat:cs.CL": primary category cs.CL · new, no votes yet',
      'Matches "cat:cs.CL": cross-listed in cs.CL · new, no votes yet',
    ]);
    expect(ids(select('cat:stat.*', [nlp, stats]))).toEqual([stats.id]);
  });

  it('matches authors by surname or full name, ignoring accents and case', () => {
    const paper = makePaper({ authors: ['Ana Pérez', 'José Núñez'], signals: { upvotes: 7 }, listedOn: ['2026-08-14'] });
    const other = makePaper({ authors: ['José Garcia'] });
    expect(ids(select('author:nunez', [paper, other]))).toEqual([paper.id]);
    const picked = select('author:"Jose Nunez"', [paper, other]);
    expect(ids(picked)).toEqual([paper.id]);
    // The author topic keeps its quotes; the place on Hugging Face is what the card does not say.
    expect(whys(picked)).toEqual(['Matches author:"Jose Nunez": by José Núñez · #1 on Hugging Face today']);
    const many = makePaper({ authors: ['A One', 'B Two', 'C Three', 'Jose Nunez', 'E Five'] });
    expect(whys(select('author:nunez', [many]))).toEqual(['Matches "author:nunez": by Jose Nunez (author 4 of 5) · new, no votes yet']);
  });

  it('combines words, categories and authors in one topic', () => {
    const wanted = makePaper({ title: 'Flash attention 4', categories: ['cs.LG'], authors: ['Tri Dao'] });
    const wrongCategory = makePaper({ title: 'Flash attention 4', categories: ['cs.AR'], authors: ['Tri Dao'] });
    const wrongAuthor = makePaper({ title: 'Flash attention 4', categories: ['cs.LG'], authors: ['Someone Else'] });
    expect(ids(select('attention cat:cs.LG author:Dao', [wanted, wrongCategory, wrongAuthor]))).toEqual([wanted.id]);
  });

  it('never picks a paper already sent', () => {
    const sent = makePaper({ title: 'Speech recognition', signals: { upvotes: 50 } });
    const fresh = makePaper({ title: 'Speech synthesis' });
    expect(ids(select('speech', [sent, fresh], { alreadySent: new Set([sent.id]) }))).toEqual([fresh.id]);
  });

  it('respects the limit', () => {
    const papers = Array.from({ length: 15 }, (_, n) => makePaper({ title: `Speech paper ${n}` }));
    expect(select('speech', papers)).toHaveLength(10);
    expect(select('speech', papers, {}, 4)).toHaveLength(4);
  });

  it('throws TopicFilterError for a filter that does not parse', () => {
    expect(() => select('foo:bar', [makePaper()])).toThrow(TopicFilterError);
  });
});

describe('buildPaperIndex', () => {
  it('gives the same picks as a plain list of candidates', () => {
    const papers = [makePaper({ title: 'Speech recognition', signals: { upvotes: 3 } }), makePaper({ title: 'Speech synthesis', signals: { upvotes: 8 } })];
    const index = buildPaperIndex(papers, now);
    const subscriber = { topics: 'speech', maxPapers: 10 };
    expect(selectPapersFor(subscriber, index, options)).toEqual(selectPapersFor(subscriber, papers, options));
  });

  it('orders papers by trending', () => {
    const first = makePaper({ signals: { upvotes: 1 } });
    const second = makePaper({ signals: { upvotes: 9 } });
    const index = buildPaperIndex([first, second], now);
    expect(index.paperIds).toEqual([second.id, first.id]);
    expect(index.papers[1]?.title).toBe(first.title);
  });
});
