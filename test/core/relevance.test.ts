import { blendedScore, normaliseTrending, TextIndex } from '../../lambdas/core/relevance';
import { termsOf } from '../../lambdas/core/text-terms';

const filler = 'We study a method and report results on standard tasks with careful ablations.';
const doc = (title: string, abstract = filler, keywords: string[] = []) => ({ title, abstract, keywords });

function rankFor(index: TextIndex, query: string[]): number[] {
  return [...index.matchAll(query.map(termsOf))].sort((a, b) => b[1] - a[1]).map(([number]) => number);
}

describe('TextIndex relevance (BM25)', () => {
  it('ranks a title match above a keyword match above an abstract match', () => {
    const index = new TextIndex([
      doc('Efficient inference', `${filler} We also try quantization.`),
      doc('Quantization of language models'),
      doc('Efficient inference', filler, ['quantization']),
      doc('Unrelated paper'),
    ]);
    expect(rankFor(index, ['quantized'])).toEqual([1, 2, 0]);
  });

  it('ranks repeated mentions above a single one', () => {
    const index = new TextIndex([doc('A', `Pruning helps. ${filler}`), doc('B', `Pruning helps. Pruning at scale. Structured pruning. ${filler}`)]);
    expect(rankFor(index, ['pruning'])).toEqual([1, 0]);
  });

  it('favours the shorter document for the same count', () => {
    const index = new TextIndex([doc('Agents', `${filler} ${filler} ${filler} ${filler}`), doc('Agents', 'Short.')]);
    expect(rankFor(index, ['agents'])).toEqual([1, 0]);
  });

  it('weighs a rare term above a common one', () => {
    const index = new TextIndex([doc('Sparse attention for models'), doc('Models of models'), doc('More models'), doc('Yet more models')]);
    const sequences = [termsOf('models'), termsOf('sparse')];
    expect(index.inverseDocumentFrequency(termsOf('sparse'))).toBeGreaterThan(index.inverseDocumentFrequency(termsOf('models')));
    expect([...index.matchAll(sequences).keys()]).toEqual([0]);
  });

  it('matches a phrase only as consecutive terms, never across two keywords', () => {
    const index = new TextIndex([doc('State space models for audio'), doc('Space and state in models'), doc('Audio', filler, ['state', 'space model'])]);
    const phrase = termsOf('state space models');
    expect([...index.matchAll([phrase]).keys()]).toEqual([0]);
    expect([0, 1, 2].map((number) => index.contains(number, phrase))).toEqual([true, false, false]);
    expect(index.documentFrequency(phrase)).toBe(1);
  });

  it('keeps relevance between 0 and 1', () => {
    const index = new TextIndex([doc('Diffusion diffusion diffusion', 'Diffusion '.repeat(40), ['diffusion']), doc('Other')]);
    const relevance = index.matchAll([termsOf('diffusion')]).get(0) ?? 0;
    expect(relevance).toBeGreaterThan(0.9);
    expect(relevance).toBeLessThan(1);
  });

  it('matches nothing for no terms or an unknown term', () => {
    const index = new TextIndex([doc('One'), doc('Two')]);
    expect(index.matchAll([]).size).toBe(0);
    expect(index.matchAll([['zzz']]).size).toBe(0);
    expect(index.documentFrequency(['zzz'])).toBe(0);
  });

  it('lists matches in document order', () => {
    const index = new TextIndex([doc('Graph networks'), doc('Other'), doc('Graph graph graph networks')]);
    expect([...index.matchAll([termsOf('graph'), termsOf('networks')]).keys()]).toEqual([0, 2]);
  });
});

describe('blending with trending', () => {
  it('normalises trending on a log scale relative to the best', () => {
    expect(normaliseTrending(100, 100)).toBe(1);
    expect(normaliseTrending(0, 100)).toBe(0);
    expect(normaliseTrending(10, 100)).toBeCloseTo(Math.log1p(10) / Math.log1p(100));
    expect(normaliseTrending(5, 0)).toBe(0);
  });

  it('weighs relevance 0.8 and trending 0.2', () => {
    expect(blendedScore(1, 0)).toBeCloseTo(0.8);
    expect(blendedScore(0, 1)).toBeCloseTo(0.2);
    expect(blendedScore(0.5, 0.5)).toBeCloseTo(0.5);
  });
});
