import { atomTotalResults, idListOf, parseArxivAtom, parseArxivAtomPage } from '../../../lambdas/core/sources/arxiv-atom';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { sourceFixture } from './fixture';

const DAY = '2026-08-13';

describe('parseArxivAtom', () => {
  const xml = sourceFixture('arxiv-atom-sample.xml');
  const batch = parseArxivAtom(xml, DAY);
  const byId = new Map(batch.papers.map((paper) => [paper.id, paper]));

  it('keeps the usable entries and skips the one without an id and the one without a title', () => {
    expect(batch.source).toBe('arxiv');
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.05120', 'hep-th/9901001', '2607.01999']);
    expect(batch.skipped).toEqual([
      { source: 'arxiv', reason: 'entry 3: missing id' },
      { source: 'arxiv', reason: 'entry 4: missing title', id: '2608.05121' },
    ]);
  });

  it('maps every field, collapsing the wrapped title and putting the primary category first', () => {
    expect(byId.get('2608.05120')).toEqual({
      id: '2608.05120',
      title: 'Wrapped Titles Are Still One Line: Layout-Free Parsing of Scholarly Feeds',
      abstract: 'We parse feeds whose titles and abstracts are hard-wrapped at 80 columns.',
      authors: ['Lena Fischer', 'Omar Haddad'],
      categories: ['cs.CL', 'cs.LG'],
      publishedAt: '2026-08-12T15:01:00.000Z',
      links: { abs: 'https://arxiv.org/abs/2608.05120', pdf: 'https://arxiv.org/pdf/2608.05120' },
      signals: { upvotes: 0, comments: 0, githubStars: 0 },
      keywords: [],
      arxiv: { primaryCategory: 'cs.CL', latestVersion: 1 },
      sources: ['arxiv'],
      listedOn: [DAY],
    });
  });

  it('keeps old-style ids and drops MSC codes from the categories', () => {
    const paper = byId.get('hep-th/9901001')!;
    expect(paper.categories).toEqual(['hep-th', 'math.GT']);
    expect(paper.links.abs).toBe('https://arxiv.org/abs/hep-th/9901001');
  });

  it('drops the version of a v2 entry, keeps its first publication, and decodes entities', () => {
    const paper = byId.get('2607.01999')!;
    expect(paper.publishedAt).toBe('2026-07-02T11:30:00.000Z');
    expect(paper.title).toBe('Revised: Bounds Within ±2 Units & Beyond');
    expect(paper.abstract).toBe('Version two with $\\epsilon < 1$ bounds.');
    expect(paper.categories).toEqual(['stat.ML', 'cond-mat.dis-nn']);
  });

  it('reports the page counts for paging', () => {
    const page = parseArxivAtomPage(xml, DAY);
    expect(page.entryCount).toBe(5);
    expect(page.totalResults).toBe(5);
    expect(atomTotalResults(xml)).toBe(5);
  });

  it('returns an empty batch for a feed without entries', () => {
    const empty =
      '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>0</opensearch:totalResults></feed>';
    expect(parseArxivAtomPage(empty, DAY)).toEqual({ batch: { source: 'arxiv', papers: [], skipped: [] }, entryCount: 0, totalResults: 0 });
  });

  it('throws SourceFormatError for an error feed, naming the error but not its text', () => {
    const error = sourceFixture('arxiv-atom-error.xml');
    expect(() => parseArxivAtom(error, DAY)).toThrow(SourceFormatError);
    expect(() => parseArxivAtom(error, DAY)).toThrow('arXiv API answered with an error entry (incorrect_id_format_for_1234.5678v9)');
  });

  it('throws SourceFormatError for text that is not XML, and for XML that is not Atom', () => {
    expect(() => parseArxivAtom('Rate exceeded.', DAY)).toThrow(SourceFormatError);
    expect(() => parseArxivAtom('<html><body>busy</body></html>', DAY)).toThrow('arXiv API response is not an Atom feed');
    expect(() => parseArxivAtom('<feed><entry></feed>', DAY)).toThrow('not well-formed XML');
  });

  it('reads the ids an id_list answer was asked for from its title, and none from a search', () => {
    const answer = (query: string) => `<feed xmlns="http://www.w3.org/2005/Atom"><title>arXiv Query: ${query}</title></feed>`;
    expect(idListOf(answer('search_query=&amp;id_list=2608.00677,cond-mat/0011267v2&amp;start=0&amp;max_results=2'))).toEqual([
      '2608.00677',
      'cond-mat/0011267',
    ]);
    expect(idListOf(answer('search_query=all:electron&amp;id_list=&amp;start=0&amp;max_results=10'))).toBeUndefined();
    expect(idListOf(xml)).toBeUndefined();
  });
});
