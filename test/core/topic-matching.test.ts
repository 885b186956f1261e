// Matching a topic's words the way a researcher means them: most words, hyphenated parts, rare terms, acronyms.
import type { Paper } from '../../lambdas/core/model';
import { buildPaperIndex, selectPapersFor } from '../../lambdas/core/select-papers';
import { mostOf } from '../../lambdas/core/topic-query';
import { makePaper } from '../../dev/paper-factory';

const now = new Date('2026-08-14T12:00:00Z');
const filler =
  'We study training recipes for large models across many tasks and settings, covering data mixtures, optimisers, schedules, evaluation protocols and ablations. ';

/** A day of unrelated papers that all mention training, so "training" is a common word and rare words are rare. */
const day = Array.from({ length: 40 }, (_, n) => makePaper({ title: `Unrelated study ${n}`, abstract: `${filler}Topic ${n} of the series.` }));

function pickedIds(topics: string, papers: Paper[]): string[] {
  return selectPapersFor({ topics, maxPapers: 30 }, buildPaperIndex([...papers, ...day], now), { now, alreadySent: new Set() }).map((pick) => pick.paper.id);
}

describe('multi-word topics', () => {
  it('need all of two words and most of three or more', () => {
    expect([1, 2, 3, 4, 5, 6].map(mostOf)).toEqual([1, 2, 2, 3, 4, 4]);
  });

  it('match a paper that has most of the words', () => {
    const twoOfThree = makePaper({ title: 'Sparse attention kernels for long inputs' });
    expect(pickedIds('sparse attention accelerators compilers', [twoOfThree])).toEqual([]);
    expect(pickedIds('sparse attention accelerators', [twoOfThree])).toEqual([twoOfThree.id]);
  });

  it('still need both words of a two-word topic', () => {
    const oneWord = makePaper({ title: 'World knowledge in question answering' });
    expect(pickedIds('world models', [oneWord])).toEqual([]);
  });

  it('rank the words side by side above the same words apart in a shorter paper, and still match the words apart', () => {
    const apart = makePaper({ title: 'Worlds and models', abstract: 'We pair a world with a model.' });
    const together = makePaper({ title: 'Planning with world models', abstract: 'Agents plan in a learned simulator.' });
    expect(pickedIds('world models', [apart, together])).toEqual([together.id, apart.id]);
  });

  it('rank a paper with the words side by side above one with them apart', () => {
    const apart = makePaper({ title: 'World agents for models', abstract: 'We learn a model of the world for agents.' });
    const together = makePaper({ title: 'World models for agents', abstract: 'We learn a model of the world for agents.' });
    expect(pickedIds('world models', [apart, together])).toEqual([together.id, apart.id]);
  });
});

describe('hyphenated compounds', () => {
  const shorter = makePaper({ title: 'Inference Scaling for Long-Context RAG' });
  const longer = makePaper({ title: 'Inference-time compute scaling for reasoning' });
  const exact = makePaper({ title: 'Inference-time scaling laws' });

  it('match their parts: `inference-time scaling` finds "inference scaling" and "inference-time compute scaling"', () => {
    expect(pickedIds('inference-time scaling', [shorter, longer, exact]).sort()).toEqual([shorter.id, longer.id, exact.id].sort());
  });

  it('match the compound written without its hyphen', () => {
    const spaced = makePaper({ title: 'Test time adaptation for detectors' });
    expect(pickedIds('test-time adaptation', [spaced])).toEqual([spaced.id]);
  });
});

describe('British and American spellings', () => {
  it('find each other: `quantisation` finds "quantization", `tokenization` finds "tokenisers"', () => {
    const american = makePaper({ title: 'Post-training quantization of language models' });
    const british = makePaper({ title: 'Better tokenisers for code' });
    expect(pickedIds('quantisation', [american])).toEqual([american.id]);
    expect(pickedIds('tokenization', [british])).toEqual([british.id]);
  });
});

describe('a term named once in an abstract', () => {
  const longAbstract = `${filler.repeat(3)}`;

  it('counts when the term is rare in the day', () => {
    const bandits = makePaper({ title: 'Exploration with confidence', abstract: `${longAbstract}We frame the choice as bandits.` });
    expect(pickedIds('bandits', [bandits])).toEqual([bandits.id]);
  });

  it('does not count when the word is common in the day', () => {
    const common = Array.from({ length: 12 }, (_, n) => makePaper({ title: `Sampling study ${n}`, abstract: 'Sampling, sampling and more sampling.' }));
    const passing = makePaper({ title: 'Exploration with confidence', abstract: `${longAbstract}We use sampling once.` });
    expect(pickedIds('sampling', [...common, passing])).not.toContain(passing.id);
  });
});

describe('acronyms in topics', () => {
  it('match a paper that writes the words of the acronym out, and the reverse', () => {
    const spelled = makePaper({ title: 'Scaling mixture-of-experts language models' });
    const short = makePaper({ title: 'Routing in MoE layers' });
    expect(pickedIds('MoE', [spelled, short]).sort()).toEqual([spelled.id, short.id].sort());
    expect(pickedIds('mixture of experts', [spelled, short]).sort()).toEqual([spelled.id, short.id].sort());
  });

  it('show in the why line how the paper writes the acronym', () => {
    const spelled = makePaper({ title: 'Scaling language models', abstract: `${filler.repeat(3)}We scale mixture-of-experts language models.` });
    const picked = selectPapersFor({ topics: 'MoE', maxPapers: 5 }, buildPaperIndex([spelled, ...day], now), { now, alreadySent: new Set() });
    expect(picked[0]?.why[0]).toEqual({ text: 'Matches "MoE" in the abstract: ' });
    expect(picked[0]?.why.filter((part) => part.match)).toEqual([{ text: 'mixture-of-experts', match: true }]);
  });

  it('match a quoted expansion to the acronym', () => {
    const short = makePaper({ title: 'RLHF without a reward model' });
    expect(pickedIds('"reinforcement learning from human feedback"', [short])).toEqual([short.id]);
  });
});
