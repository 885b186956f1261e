import { readableTopics } from '../../../lambdas/core/render/subject-topics';

describe('readableTopics (issue 12, item 7)', () => {
  it('drops the quotes around phrases', () => {
    expect(readableTopics('quantization, "language model"', 60)).toBe('quantization, language model');
  });

  it('names the common categories and leaves others as written', () => {
    expect(readableTopics('cat:cs.CL, cat:stat.ML', 60)).toBe('computation and language, machine learning');
    expect(readableTopics('cat:cs.DS', 60)).toBe('cs.DS');
  });

  it('names a whole archive, or shows its pattern when unknown', () => {
    expect(readableTopics('cat:cs.*', 60)).toBe('computer science');
    expect(readableTopics('cat:astro-ph.*', 60)).toBe('astro-ph.*');
  });

  it('shows authors by name, without the prefix or quotes', () => {
    expect(readableTopics('author:Dao, author:"Tri Dao"', 60)).toBe('Dao, Tri Dao');
  });

  it('joins the clauses of one topic with spaces', () => {
    expect(readableTopics('"state space model" cat:cs.LG', 60)).toBe('state space model machine learning');
  });

  it('leaves exclusions out, unless they are all a topic has', () => {
    expect(readableTopics('quantization -survey -cat:cs.CV', 60)).toBe('quantization');
    expect(readableTopics('-survey -cat:cs.CV', 60)).toBe('anything but survey or computer vision');
  });

  it('shows a repeated description once', () => {
    expect(readableTopics('cat:cs.LG, cat:stat.ML, llm', 60)).toBe('machine learning, llm');
  });

  it('cuts at a word with an ellipsis', () => {
    const cut = readableTopics('quantization, "speculative decoding", "mixture of experts", cat:cs.CL', 60);
    expect(cut).toBe('quantization, speculative decoding, mixture of experts…');
    expect(cut.length).toBeLessThanOrEqual(60);
  });

  it('is empty for no filter', () => {
    expect(readableTopics('  ', 60)).toBe('');
  });

  it('shows a filter that no longer parses as written, without quotes', () => {
    expect(readableTopics('"unbalanced, llm', 60)).toBe('unbalanced, llm');
  });
});
