import { dayFromFileName, detectRecordedFormat, parseRecorded } from '../../../lambdas/core/sources/parse-recorded';
import { SourceFormatError } from '../../../lambdas/core/sources/source-format-error';
import { sourceFixture } from './fixture';

describe('detectRecordedFormat', () => {
  it('tells HF JSON, Atom and RSS apart by content', () => {
    expect(detectRecordedFormat(sourceFixture('hf-daily-current.json'))).toBe('hf-json');
    expect(detectRecordedFormat('\uFEFF  []')).toBe('hf-json');
    expect(detectRecordedFormat(sourceFixture('arxiv-atom-sample.xml'))).toBe('arxiv-atom');
    expect(detectRecordedFormat(sourceFixture('arxiv-rss-sample.xml'))).toBe('arxiv-rss');
    expect(detectRecordedFormat('<?xml version="1.0"?>\n<!-- recorded -->\n<rss version="2.0"></rss>')).toBe('arxiv-rss');
    expect(detectRecordedFormat('<html></html>')).toBeUndefined();
    expect(detectRecordedFormat('plain text')).toBeUndefined();
  });
});

describe('parseRecorded', () => {
  it('parses each format with its parser', () => {
    expect(parseRecorded('a.json', sourceFixture('hf-daily-legacy-2024.json'), '2024-05-21').source).toBe('hf');
    expect(parseRecorded('b.xml', sourceFixture('arxiv-atom-sample.xml'), '2026-08-13').papers).toHaveLength(3);
    const rss = parseRecorded('c.xml', sourceFixture('arxiv-rss-sample.xml'), '2026-08-13');
    expect(rss).toEqual({ source: 'arxiv', papers: expect.any(Array), skipped: expect.any(Array) });
    expect(rss.papers[0]!.listedOn).toEqual(['2026-08-13']);
  });

  it('throws SourceFormatError naming the file for an unknown or broken payload', () => {
    expect(() => parseRecorded('page.html', '<html></html>', '2026-08-13')).toThrow(new SourceFormatError('page.html: not HF JSON, arXiv Atom or RSS'));
    expect(() => parseRecorded('broken.json', '[{', '2026-08-13')).toThrow('broken.json: HF daily papers response is not JSON');
  });
});

describe('dayFromFileName', () => {
  it.each([
    ['hf-daily-2026-08-13.json', '2026-08-13'],
    ['hf-daily-2026-06-12-nodate.json', '2026-06-12'],
    ['arxiv-atom-cat-cs.LG-OR-cs.AI-2026-04-30.xml', '2026-04-30'],
    ['/some/dir/2024-02-29-leap.json', '2024-02-29'],
    ['hf-daily-sample.json', undefined],
    ['hf-2026-02-30.json', undefined],
    ['x-12026-08-13.json', undefined],
  ])('reads %s as %s', (name, day) => {
    expect(dayFromFileName(name)).toBe(day);
  });
});
