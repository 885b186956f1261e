import { foldText, isStopWord, nameTokensOf, termOf, termsOf } from '../../lambdas/core/text-terms';

describe('termOf (Porter2 stemming)', () => {
  it.each([
    ['quantized', 'quantization'],
    ['quantizing', 'quantize'],
    ['Transformers', 'transformer'],
    ['agentic', 'agents'],
    ['reasoning', 'reasons'],
    ['diffused', 'diffusion'],
    ['generalization', 'generalize'],
  ])('gives %s and %s the same term', (a, b) => {
    expect(termOf(a)).toBe(termOf(b));
  });

  it.each([
    ['vision', 'visual'],
    ['attention', 'attend'],
    ['ran', 'run'],
  ])('keeps %s and %s apart (Porter2 does not join them)', (a, b) => {
    expect(termOf(a)).not.toBe(termOf(b));
  });

  it.each([
    ['LLMs', 'LLM'],
    ['llms', 'llm'],
    ['VLMs', 'vlm'],
    ['GPUs', 'GPU'],
  ])('makes the acronym plural %s match %s', (plural, singular) => {
    expect(termOf(plural)).toBe(termOf(singular));
  });

  it('leaves ordinary words ending in s to Porter2', () => {
    expect(termOf('Bias')).toBe('bias');
    expect(termOf('is')).toBe('is');
  });
});

describe('British and American spellings', () => {
  it.each([
    ['quantisation', 'quantization'],
    ['quantised', 'quantized'],
    ['optimising', 'optimizing'],
    ['tokeniser', 'tokenizer'],
    ['generalisation', 'generalization'],
    ['recognise', 'recognize'],
    ['analyse', 'analyze'],
    ['behavioural', 'behavioral'],
    ['colour', 'color'],
    ['centre', 'center'],
    ['dialogue', 'dialog'],
    ['parallelised', 'parallelized'],
    ['randomised', 'randomized'],
    ['standardised', 'standardized'],
    ['customised', 'customized'],
    ['anonymised', 'anonymized'],
    ['synthesised', 'synthesized'],
    ['hypothesise', 'hypothesize'],
    ['discretised', 'discretized'],
    ['criticised', 'criticized'],
    ['emphasised', 'emphasized'],
    ['lemmatised', 'lemmatized'],
    ['modernised', 'modernized'],
    ['symbolise', 'symbolize'],
    ['economise', 'economize'],
  ])('reads "%s" as "%s"', (british, american) => {
    expect(termOf(british)).toBe(termOf(american));
  });

  it('leaves words American spells with -ise or -our too', () => {
    expect(termOf('supervised')).toBe(termOf('supervision'));
    expect(termOf('precise')).toBe(termOf('precision'));
    expect(['four', 'hour', 'your', 'rise', 'promise'].map(termOf)).toEqual(['four', 'hour', 'your', 'rise', 'promis']);
    const alsoAmerican = ['compromise', 'exercise', 'advertise', 'expertise', 'merchandise', 'concise', 'premise', 'surprise', 'chastise', 'improvise'];
    expect(alsoAmerican.map(termOf)).toEqual(alsoAmerican.map((word) => termOf(word).replace(/z/g, 's')));
    expect(alsoAmerican.map(termOf).filter((term) => term.includes('iz'))).toEqual([]);
  });
});

describe('termsOf', () => {
  it('splits on anything but letters and digits, keeping order and stop words', () => {
    expect(termsOf('Test-time scaling of GPT-4')).toEqual(['test', 'time', 'scale', 'of', 'gpt', '4']);
  });

  it('ignores accents and case', () => {
    expect(termsOf('Café NAÏVE')).toEqual(termsOf('cafe naive'));
  });

  it('reads decomposed accents as part of the word', () => {
    expect(termsOf('Cafe\u0301 society')).toEqual(['cafe', 'societi']);
  });
});

describe('foldText and names', () => {
  it('folds letters that have no decomposition', () => {
    expect(foldText('Łukasz Sørensen Straße')).toBe('lukasz sorensen strasse');
  });

  it('splits names into folded words', () => {
    expect(nameTokensOf('José-María  Núñez')).toEqual(['jose', 'maria', 'nunez']);
  });

  it('knows common function words', () => {
    expect(isStopWord('The')).toBe(true);
    expect(isStopWord('transformer')).toBe(false);
  });
});
