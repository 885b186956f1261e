// Topics share the digest: filters ranked by trending, turns before second turns, papers several topics want first, the most specific reason.
import { whyText } from '../../lambdas/core/render/why-line';
import type { Paper } from '../../lambdas/core/model';
import { buildPaperIndex, selectPapersFor } from '../../lambdas/core/select-papers';
import { takeTurns } from '../../lambdas/core/topic-share';
import { makePaper } from '../../dev/paper-factory';

const now = new Date('2026-08-14T12:00:00Z');

function select(topics: string, papers: Paper[], maxPapers = 10) {
  return selectPapersFor({ topics, maxPapers }, buildPaperIndex(papers, now), { now, alreadySent: new Set() });
}

const ids = (picked: { paper: Paper }[]) => picked.map((pick) => pick.paper.id);

describe('a category or author topic', () => {
  it('ranks the papers it admits by trending', () => {
    const quiet = makePaper({ title: 'Parsing', categories: ['cs.CL'], signals: { upvotes: 2 } });
    const loud = makePaper({ title: 'Parsing with a much longer title about parsing', categories: ['cs.CL'], signals: { upvotes: 40 } });
    expect(ids(select('cat:cs.CL', [quiet, loud]))).toEqual([loud.id, quiet.id]);
  });

  it('does not outrank every paper of a word topic beside it', () => {
    const busyCategory = Array.from({ length: 8 }, (_, n) => makePaper({ title: `Dialogue study ${n}`, categories: ['cs.CL'], signals: { upvotes: 90 - n } }));
    const quantization = makePaper({ title: 'Quantization of language models', signals: { upvotes: 3 } });
    expect(ids(select('quantization, cat:cs.CL', [...busyCategory, quantization], 5))).toContain(quantization.id);
  });
});

describe('several topics', () => {
  it('each get a turn before any gets a second', () => {
    const robots = Array.from({ length: 6 }, (_, n) => makePaper({ title: `Robot grasping ${n}`, signals: { upvotes: 100 - n } }));
    const speech = [1, 2].map((n) => makePaper({ title: `Speech recognition in noisy rooms, part ${n}`, signals: { upvotes: n } }));
    const picked = ids(select('robot, speech', [...robots, ...speech], 4));
    expect(picked).toHaveLength(4);
    expect(picked.filter((id) => speech.some((paper) => paper.id === id))).toHaveLength(2);
  });

  it('list the papers they took best score first', () => {
    const robots = [80, 60].map((upvotes) => makePaper({ title: 'Robot grasping', signals: { upvotes } }));
    const speech = [90, 10].map((upvotes) => makePaper({ title: 'Speech recognition', signals: { upvotes } }));
    expect(ids(select('robot, speech', [...robots, ...speech]))).toEqual([speech[0]?.id, robots[0]?.id, robots[1]?.id, speech[1]?.id]);
  });

  it('rank a paper that matches two of them above one that matches only one', () => {
    const one = makePaper({ title: 'Speech recognition for phones', signals: { upvotes: 10 } });
    const both = makePaper({ title: 'Speech recognition for robots', signals: { upvotes: 10 } });
    expect(ids(select('speech, robots', [one, both]))).toEqual([both.id, one.id]);
  });
});

describe('the why line', () => {
  it('names a word topic before a category that also matches', () => {
    const paper = makePaper({ title: 'Quantization of language models', categories: ['cs.CL'] });
    expect(whyText(select('cat:cs.CL, quantization', [paper])[0]?.why ?? [])).toMatch(/^Matches "quantization"/);
  });

  it('names an author topic before a category', () => {
    const paper = makePaper({ title: 'Fast attention', authors: ['Tri Dao'], categories: ['cs.LG'] });
    expect(whyText(select('cat:cs.LG, author:Dao', [paper])[0]?.why ?? [])).toMatch(/^Matches "author:Dao"/);
  });
});

describe('takeTurns', () => {
  it('takes a paper two topics offer once and lets the second topic offer its next', () => {
    const picked = takeTurns(
      [
        { documentNumber: 1, topicNumber: 1, score: 0.9 },
        { documentNumber: 1, topicNumber: 2, score: 0.8 },
        { documentNumber: 2, topicNumber: 2, score: 0.5 },
        { documentNumber: 3, topicNumber: 1, score: 0.7 },
      ],
      10,
    );
    expect(picked.map((pick) => pick.documentNumber)).toEqual([1, 2, 3]);
  });

  it('gives the first round to the strongest offers when topics outnumber the places', () => {
    const picked = takeTurns(
      [
        { documentNumber: 1, topicNumber: 1, score: 0.2 },
        { documentNumber: 2, topicNumber: 2, score: 0.9 },
        { documentNumber: 3, topicNumber: 3, score: 0.5 },
      ],
      2,
    );
    expect(picked.map((pick) => pick.documentNumber)).toEqual([2, 3]);
  });
});
