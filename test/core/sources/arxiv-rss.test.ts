import { parseArxivRss } from '../../../lambdas/core/sources/arxiv-rss';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { sourceFixture } from './fixture';

const DAY = '2026-08-13';

describe('parseArxivRss', () => {
  const batch = parseArxivRss(sourceFixture('arxiv-rss-sample.xml'), DAY);

  it('keeps new and cross-listed items, filters replacements, and skips an item without an id', () => {
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.06001', '2608.05877']);
    expect(batch.filtered).toBe(1);
    expect(batch.skipped).toEqual([{ source: 'arxiv', reason: 'item 3: missing arXiv id' }]);
  });

  it('strips the announcement prefix, splits the creators and keeps the categories in order', () => {
    expect(batch.papers[0]).toEqual({
      id: '2608.06001',
      title: 'Counting Tokens Twice: Duplicate-Aware Tokenisers',
      abstract: 'Tokenisers that count repeated spans once save compute & memory.',
      authors: ['Sofia Marquez', 'Jian Wu', "Pat O'Neil"],
      categories: ['cs.CL', 'cs.LG'],
      publishedAt: '2026-08-13T04:00:00.000Z',
      links: { abs: 'https://arxiv.org/abs/2608.06001', pdf: 'https://arxiv.org/pdf/2608.06001' },
      signals: { upvotes: 0, comments: 0, githubStars: 0 },
      keywords: [],
      sources: ['arxiv'],
      listedOn: [DAY],
    });
    expect(batch.papers[1]).toMatchObject({ authors: ['Ravi Iyer'], categories: ['eess.AS', 'cs.CL'], abstract: 'A cross-listed abstract from eess.AS.' });
  });

  it('returns an empty batch for a listing without items (weekends)', () => {
    const empty = '<rss version="2.0"><channel><title>cs.LG updates on arXiv.org</title></channel></rss>';
    expect(parseArxivRss(empty, DAY)).toEqual({ source: 'arxiv', papers: [], skipped: [], filtered: 0 });
  });

  it('throws SourceFormatError for text that is not RSS', () => {
    expect(() => parseArxivRss('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', DAY)).toThrow(SourceFormatError);
    expect(() => parseArxivRss('nope', DAY)).toThrow('arXiv RSS listing is not well-formed XML');
  });
});
