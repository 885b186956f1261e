import { mergePaper } from '../../lambdas/core/merge-papers';
import { makePaper } from '../../dev/paper-factory';

describe("mergePaper with arXiv's record", () => {
  const hf = makePaper({ id: '2608.00677', sources: ['hf'] });

  it("keeps arXiv's record when the other copy has none (a later HF listing never erases it)", () => {
    const known = { ...hf, categories: ['cs.CR'], arxiv: { primaryCategory: 'cs.CR', latestVersion: 2 } };
    expect(mergePaper(known, hf).arxiv).toEqual({ primaryCategory: 'cs.CR', latestVersion: 2 });
    expect(mergePaper(hf, known).arxiv).toEqual({ primaryCategory: 'cs.CR', latestVersion: 2 });
  });

  it('takes the record of the later version', () => {
    const v1 = { ...hf, arxiv: { primaryCategory: 'cs.CR', latestVersion: 1 } };
    const v3 = { ...hf, arxiv: { primaryCategory: 'cs.CR', journalRef: 'TMLR (2026)', latestVersion: 3 } };
    expect(mergePaper(v1, v3).arxiv).toEqual(v3.arxiv);
    expect(mergePaper(v3, v1).arxiv).toEqual(v3.arxiv);
  });
});
