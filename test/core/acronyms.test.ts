import { ACRONYMS, acronymVariantsOf } from '../../lambdas/core/acronyms';
import type { Paper } from '../../lambdas/core/model';
import { buildPaperIndex, selectPapersFor } from '../../lambdas/core/select-papers';
import { termsOf } from '../../lambdas/core/text-terms';
import { makePaper } from '../../dev/paper-factory';

const now = new Date('2026-08-14T12:00:00Z');

/** Unrelated papers, so no topic word is in every paper of the day. */
const background = ['Protein folding at scale', 'Robot grasping in clutter', 'Weather forecasting with graphs', 'Sorting networks revisited'].map((title) =>
  makePaper({ title }),
);

function pickedIds(topics: string, papers: Paper[]): string[] {
  return selectPapersFor({ topics, maxPapers: 10 }, buildPaperIndex([...papers, ...background], now), { now, alreadySent: new Set() }).map(
    (pick) => pick.paper.id,
  );
}

describe.each(Object.entries(ACRONYMS))('acronym %s', (acronym, expansions) => {
  it.each(expansions)('a topic naming it finds a paper that writes "%s", and the reverse', (expansion) => {
    const spelledOut = makePaper({ title: `Better ${expansion} training` });
    const abbreviated = makePaper({ title: `Better ${acronym} training` });
    expect(pickedIds(acronym, [spelledOut])).toEqual([spelledOut.id]);
    expect(pickedIds(`"${expansion}"`, [abbreviated])).toEqual([abbreviated.id]);
  });
});

describe('acronymVariantsOf', () => {
  it('reads plurals and any capitalisation of the acronym', () => {
    expect(acronymVariantsOf(termsOf('LLMs'))).toEqual([termsOf('large language model')]);
    expect(acronymVariantsOf(termsOf('moe'))).toEqual([termsOf('mixture of experts')]);
  });

  it('gives nothing for a word the table does not hold', () => {
    expect(acronymVariantsOf(termsOf('quantization'))).toEqual([]);
  });
});

describe('the acronym table', () => {
  it('holds the common ML acronyms with one dominant meaning', () => {
    const common = [
      'ASR',
      'DiT',
      'DPO',
      'GNN',
      'ICL',
      'KD',
      'LLM',
      'LoRA',
      'MCTS',
      'MoE',
      'OCR',
      'OOD',
      'PEFT',
      'PRM',
      'RAG',
      'RLHF',
      'RLVR',
      'SAE',
      'ViT',
      'VLM',
      'VQA',
    ];
    expect(Object.keys(ACRONYMS)).toEqual(expect.arrayContaining(common));
  });

  it('matches an acronym to the short form papers often write ("speech recognition" without "automatic", "LMMs")', () => {
    const speech = makePaper({ title: 'Speech recognition for noisy call centres' });
    const multimodal = makePaper({ title: 'Probing LMMs on charts' });
    expect(pickedIds('ASR', [speech])).toEqual([speech.id]);
    expect(pickedIds('VLM', [multimodal])).toEqual([multimodal.id]);
  });
});
