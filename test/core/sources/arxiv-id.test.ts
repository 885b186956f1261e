import { arxivLinks, isArxivCategory, normaliseArxivId } from '../../../lambdas/core/sources/arxiv-id';

describe('normaliseArxivId', () => {
  it.each([
    ['2406.12345', '2406.12345'],
    ['2406.12345v2', '2406.12345'],
    ['  2406.12345v12 ', '2406.12345'],
    ['http://arxiv.org/abs/2406.12345v1', '2406.12345'],
    ['https://arxiv.org/abs/2406.12345', '2406.12345'],
    ['https://export.arxiv.org/abs/2406.12345v3', '2406.12345'],
    ['arxiv.org/pdf/2406.12345v1', '2406.12345'],
    ['https://arxiv.org/pdf/2406.12345v1.pdf', '2406.12345'],
    ['https://arxiv.org/abs/2406.12345?context=cs.LG', '2406.12345'],
    ['oai:arXiv.org:2406.12345', '2406.12345'],
    ['oai:arXiv.org:2604.21952v1', '2604.21952'],
    ['arXiv:2406.12345v2', '2406.12345'],
    ['0704.0001', '0704.0001'],
    ['1412.9999v1', '1412.9999'],
    ['cond-mat/0011267v1', 'cond-mat/0011267'],
    ['http://arxiv.org/abs/cond-mat/0011267v1', 'cond-mat/0011267'],
    ['math.GT/0309136', 'math.GT/0309136'],
    ['hep-th/9901001', 'hep-th/9901001'],
    ['oai:arXiv.org:math/0502287', 'math/0502287'],
  ])('reads %s as %s', (raw, id) => {
    expect(normaliseArxivId(raw)).toBe(id);
  });

  it.each([
    '',
    'hello',
    '2406.1234',
    '2406.123456',
    '1412.12345',
    '2413.12345',
    '2400.12345',
    '2406.12345v',
    '2406.12345x',
    'https://example.org/abs/2406.12345',
    'cond-mat/001126',
    'Cond-Mat/0011267',
    'cond-mat/0013267',
    '../../etc/passwd',
    '2406.12345 DROP TABLE',
    '<script>2406.12345</script>',
  ])('rejects %j', (raw) => {
    expect(normaliseArxivId(raw)).toBeUndefined();
  });
});

describe('arxivLinks', () => {
  it('links the abstract page and the PDF of the unversioned id', () => {
    expect(arxivLinks('2406.12345')).toEqual({ abs: 'https://arxiv.org/abs/2406.12345', pdf: 'https://arxiv.org/pdf/2406.12345' });
    expect(arxivLinks('cond-mat/0011267').pdf).toBe('https://arxiv.org/pdf/cond-mat/0011267');
  });
});

describe('isArxivCategory', () => {
  it.each(['cs.LG', 'math.GT', 'cond-mat.str-el', 'hep-th', 'physics.hist-ph', 'quant-ph', 'stat.ML', 'math-ph'])('accepts %s', (term) => {
    expect(isArxivCategory(term)).toBe(true);
  });

  it.each(['53C25', '53D10, 53D15', 'I.2.7', '68T05', '', 'cs.LG OR cat:x', '32V05, 53A30 (Primary)'])('rejects %j', (term) => {
    expect(isArxivCategory(term)).toBe(false);
  });
});
