import { mergeById } from '../../../lambdas/core/merge-papers';
import { parseHfDaily } from '../../../lambdas/core/sources/hf-daily';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { sourceFixture } from './fixture';

const DAY = '2026-08-13';

describe('parseHfDaily over the current schema', () => {
  const batch = parseHfDaily(sourceFixture('hf-daily-current.json'), DAY);
  // The fixture lists 2608.04211 twice (v1, then v2); merged as the fetch use case merges them.
  const byId = new Map(mergeById(batch.papers).map((paper) => [paper.id, paper]));

  it('keeps the well-formed items, a repeated id as listed (the fetch use case merges), and skips the rest with reasons', () => {
    expect(batch.source).toBe('hf');
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.04211', '2608.04377', '2608.04402', '2608.04211']);
    expect(batch.skipped).toEqual([
      { source: 'hf', reason: 'item 1: missing paper.id' },
      { source: 'hf', reason: 'item 2: missing title', id: '2608.04300' },
      { source: 'hf', reason: 'item 6: invalid item (expected object)' },
    ]);
  });

  it('maps every field of a full item', () => {
    expect(byId.get('2608.04211')).toEqual({
      id: '2608.04211',
      title: '$\\alpha$-Merge: Sparse Expert Merging for Small Language Models',
      abstract: 'We merge sparse experts with a learned $\\alpha$ gate; v2.',
      authors: ['Ana Lima', 'Kofi Mensah'],
      categories: [],
      publishedAt: '2026-08-12T00:00:00.000Z',
      links: {
        abs: 'https://arxiv.org/abs/2608.04211',
        pdf: 'https://arxiv.org/pdf/2608.04211',
        hf: 'https://huggingface.co/papers/2608.04211',
        code: 'https://github.com/example/alpha-merge',
        project: 'https://example.org/alpha-merge',
      },
      signals: { upvotes: 21, comments: 5, githubStars: 42 },
      keywords: ['expert merging', 'sparse experts', 'alpha gate'],
      summary: 'Sparse experts are merged with a learned gate.',
      sources: ['hf'],
      listedOn: [DAY],
    });
  });

  it('turns markup in titles and names into plain text and drops a non-http project link', () => {
    const paper = byId.get('2608.04377')!;
    expect(paper.title).toBe('Safe Rendering of Untrusted Titles');
    expect(paper.authors).toEqual(['Mallory Evil']);
    expect(paper.links.project).toBeUndefined();
    expect(paper.keywords).toEqual(['sanitisation']);
  });

  it('decodes twice-encoded entities and defaults the missing optional fields', () => {
    const paper = byId.get('2608.04402')!;
    expect(paper.title).toBe('Calibration Within ±1% Without Labels');
    expect(paper.abstract).toBe('Error bars of ±1% & more.');
    expect(paper.authors).toEqual(['Joško Horvat']);
    expect(paper.signals).toEqual({ upvotes: 0, comments: 0, githubStars: 0 });
    expect(paper.keywords).toEqual([]);
    expect(paper).not.toHaveProperty('summary');
    expect(paper.links).not.toHaveProperty('code');
  });

  it('accepts the payload already parsed', () => {
    expect(parseHfDaily(JSON.parse(sourceFixture('hf-daily-current.json')), DAY)).toEqual(batch);
  });
});

describe('parseHfDaily over the 2024 legacy schema', () => {
  const batch = parseHfDaily(sourceFixture('hf-daily-legacy-2024.json'), '2024-05-21');

  it('reads titles, upvotes from the paper and comments from the item', () => {
    expect(batch.skipped).toEqual([]);
    expect(batch.papers).toHaveLength(3);
    const [first] = batch.papers;
    expect(first).toMatchObject({
      id: '2405.11802',
      title: 'Token Dropping for Long-Context Vision Transformers',
      abstract: 'We drop redundant tokens in long contexts.',
      authors: ['Priya Raman', 'Tomas Berg'],
      publishedAt: '2024-05-20T17:02:11.000Z',
      signals: { upvotes: 12, comments: 2, githubStars: 0 },
      keywords: [],
      listedOn: ['2024-05-21'],
    });
    expect(first!.links).toEqual({
      abs: 'https://arxiv.org/abs/2405.11802',
      pdf: 'https://arxiv.org/pdf/2405.11802',
      hf: 'https://huggingface.co/papers/2405.11802',
    });
    expect(batch.papers[2]!.authors).toEqual([]);
  });
});

describe('parseHfDaily tolerance', () => {
  const item = (paper: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ paper: { id: '2608.00001', title: 'T', ...paper }, ...extra });

  it('drops an optional field of the wrong type instead of the paper', () => {
    const batch = parseHfDaily([item({ upvotes: 'many', githubRepo: 7, ai_keywords: 'x', authors: [{ name: 'A' }, { nope: 1 }, 'B'] })], DAY);
    expect(batch.skipped).toEqual([]);
    expect(batch.papers[0]).toMatchObject({ signals: { upvotes: 0, comments: 0, githubStars: 0 }, keywords: [], authors: ['A'] });
  });

  it('reads upvotes and links when they sit on the item', () => {
    const batch = parseHfDaily([item({}, { upvotes: 8, githubRepo: 'https://github.com/x/y', projectPage: 'https://x.org' })], DAY);
    expect(batch.papers[0]!.signals.upvotes).toBe(8);
    expect(batch.papers[0]!.links).toMatchObject({ code: 'https://github.com/x/y', project: 'https://x.org' });
  });

  it('falls back to the item title and to the listed day when the paper lacks them', () => {
    const batch = parseHfDaily([{ paper: { id: '2608.00002' }, title: 'From the item' }], DAY);
    expect(batch.papers[0]).toMatchObject({ title: 'From the item', publishedAt: `${DAY}T00:00:00.000Z` });
  });

  it('skips an id that is not an arXiv id without quoting it', () => {
    const batch = parseHfDaily([item({ id: 'secret text from the feed' })], DAY);
    expect(batch.papers).toEqual([]);
    expect(batch.skipped).toEqual([{ source: 'hf', reason: 'item 0: paper.id is not an arXiv id' }]);
  });

  it('reports a wrongly typed id without its value', () => {
    const batch = parseHfDaily([item({ id: 2608.00001 })], DAY);
    expect(batch.skipped).toEqual([{ source: 'hf', reason: 'item 0: invalid paper.id (expected string)' }]);
  });

  it('throws SourceFormatError for text that is not JSON, or JSON that is not an array', () => {
    expect(() => parseHfDaily('<html>rate limited</html>', DAY)).toThrow(SourceFormatError);
    expect(() => parseHfDaily('<html>rate limited</html>', DAY)).toThrow('HF daily papers response is not JSON');
    expect(() => parseHfDaily('{"error":"Invalid date"}', DAY)).toThrow('not a JSON array (got object)');
    expect(() => parseHfDaily(null, DAY)).toThrow('not a JSON array (got null)');
  });

  it('returns an empty batch for an empty day', () => {
    expect(parseHfDaily('[]', DAY)).toEqual({ source: 'hf', papers: [], skipped: [] });
  });
});
