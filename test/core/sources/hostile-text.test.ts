// Hostile feed text: every pass is linear and every stored field is capped (issue 9, defect 6).
import { TextIndex } from '../../../lambdas/core/relevance';
import { parseArxivAtom } from '../../../lambdas/core/sources/arxiv-atom';
import { cleanText } from '../../../lambdas/core/sources/clean-text';
import { FIELD_LIMITS } from '../../../lambdas/core/sources/field-limits';
import { parseHfDaily } from '../../../lambdas/core/sources/hf-daily';
import { MAX_STEMMED_WORD_LENGTH, termOf, termsOf } from '../../../lambdas/core/text-terms';

// Counts the stemmer's work: its cost grows with the square of a word's length.
const stemmedLengths: number[] = [];
jest.mock('wink-porter2-stemmer', () => {
  const actual = jest.requireActual<(word: string) => string>('wink-porter2-stemmer');
  return (word: string) => {
    stemmedLengths.push(word.length);
    return actual(word);
  };
});

const DAY = '2026-08-13';
// Sizes chosen so that a quadratic pass would run for minutes, far beyond jest's 5 s timeout.
const MEGABYTE_TITLE = 'Quantization '.repeat(80_000);
const LONG_WORD = 'a'.repeat(50_000);
const UNCLOSED_SCRIPTS = '<script>x'.repeat(10_000);

function hfItem(paper: Record<string, unknown>): unknown {
  return { paper: { id: '2608.04211', title: 'Fine', summary: 'Fine.', ...paper } };
}

describe('linear text passes (defect 6)', () => {
  it('cleanText finishes on 300,000 unclosed <script> tags and on 300,000 "<script" openers without ">"', () => {
    // Compared as booleans so that a failure does not print megabytes.
    expect(cleanText(`before ${'<script>x'.repeat(300_000)}`) === 'before').toBe(true);
    expect(cleanText('<script'.repeat(300_000)).length).toBeGreaterThan(0);
    expect(cleanText('<style>'.repeat(300_000)) === '').toBe(true);
  });

  it('still removes script elements, closed or not, and keeps the text around them', () => {
    expect(cleanText('a <script>alert(1)</script> b <style>p{}</style> c')).toBe('a b c');
    expect(cleanText('a <scr<script>x</script>ipt>alert(1)</script> b')).toBe('a b');
    expect(cleanText('kept <script>never closed')).toBe('kept');
  });

  it('termOf leaves a 50,000-letter word unstemmed instead of spending seconds on it', () => {
    stemmedLengths.length = 0;
    expect(termOf(LONG_WORD) === LONG_WORD).toBe(true);
    expect(termsOf(`${LONG_WORD.toUpperCase()} models`).map((term) => term.length)).toEqual([LONG_WORD.length, 'model'.length]);
    expect(termOf('quantization')).toBe('quantiz');
    expect(Math.max(...stemmedLengths)).toBeLessThanOrEqual(MAX_STEMMED_WORD_LENGTH);
  });

  it('ranks papers with a 1 MB title, a 50,000-letter word and 10,000 unclosed <script> tags', () => {
    stemmedLengths.length = 0;
    const index = new TextIndex([
      { title: MEGABYTE_TITLE, abstract: LONG_WORD, keywords: [LONG_WORD] },
      { title: 'Pruning', abstract: UNCLOSED_SCRIPTS, keywords: [] },
    ]);
    const scores = new Map(index.matchAll([termsOf('quantization')]));
    expect(scores.get(0)).toBeGreaterThan(0);
    expect(scores.has(1)).toBe(false);
    expect(Math.max(...stemmedLengths)).toBeLessThanOrEqual(MAX_STEMMED_WORD_LENGTH);
  });

  it('the HF parser finishes on hostile fields and caps every stored field', () => {
    const batch = parseHfDaily(
      JSON.stringify([
        hfItem({
          title: MEGABYTE_TITLE,
          summary: `${LONG_WORD} ${UNCLOSED_SCRIPTS}`,
          ai_summary: MEGABYTE_TITLE,
          authors: Array.from({ length: 5_000 }, (_, n) => ({ name: `Author ${n} ${'x'.repeat(1_000)}` })),
          ai_keywords: Array.from({ length: 5_000 }, (_, n) => `keyword ${n} ${'y'.repeat(1_000)}`),
        }),
      ]),
      DAY,
    );
    const [paper] = batch.papers;
    expect(paper).toBeDefined();
    expect(paper!.title.length).toBeLessThanOrEqual(FIELD_LIMITS.title);
    expect(paper!.title.startsWith('Quantization Quantization')).toBe(true);
    expect(paper!.abstract.length).toBeLessThanOrEqual(FIELD_LIMITS.abstract);
    expect(paper!.summary!.length).toBeLessThanOrEqual(FIELD_LIMITS.summary);
    expect(paper!.authors).toHaveLength(FIELD_LIMITS.authors.count);
    expect(Math.max(...paper!.authors.map((name) => name.length))).toBeLessThanOrEqual(FIELD_LIMITS.authors.length);
    expect(paper!.keywords).toHaveLength(FIELD_LIMITS.keywords.count);
    expect(Math.max(...paper!.keywords.map((keyword) => keyword.length))).toBeLessThanOrEqual(FIELD_LIMITS.keywords.length);
    expect(Buffer.byteLength(JSON.stringify(paper))).toBeLessThan(300_000);
  });

  it('the arXiv parser finishes on a 1 MB title and 10,000 unclosed <script> tags and caps them', () => {
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const xml =
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2608.04211v1</id>' +
      `<title>${MEGABYTE_TITLE}</title><summary>${escape(UNCLOSED_SCRIPTS)} ${LONG_WORD}</summary>` +
      `${'<author><name>A B</name></author>'.repeat(2)}</entry></feed>`;
    const [paper] = parseArxivAtom(xml, DAY).papers;
    expect(paper!.title.length).toBeLessThanOrEqual(FIELD_LIMITS.title);
    expect(paper!.abstract).toBe('');
  });
});
