import {
  describeTopicFilter,
  findMatchingAuthor,
  findMatchingCategory,
  formatTopicFilter,
  parseTopicFilter,
  TopicFilterError,
  type AuthorClause,
  type CategoryClause,
  type Topic,
} from '../../lambdas/core/topic-filter';
import { nameTokensOf, termOf } from '../../lambdas/core/text-terms';

function onlyTopic(text: string): Topic {
  const { topics } = parseTopicFilter(text);
  expect(topics).toHaveLength(1);
  return topics[0] as Topic;
}

function errorOf(text: string): TopicFilterError {
  try {
    parseTopicFilter(text);
  } catch (error) {
    if (error instanceof TopicFilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseTopicFilter', () => {
  it('reads an empty or blank filter as no filter', () => {
    expect(parseTopicFilter('')).toEqual({ topics: [] });
    expect(parseTopicFilter('   ')).toEqual({ topics: [] });
  });

  it('reads bare words as stemmed terms that must all match', () => {
    const topic = onlyTopic('Quantized LLMs');
    expect(topic.include).toEqual([
      { kind: 'text', text: 'Quantized', terms: [termOf('quantization')] },
      { kind: 'text', text: 'LLMs', terms: ['llm'] },
    ]);
    expect(topic.exclude).toEqual([]);
  });

  it('reads a quoted phrase as consecutive terms, keeping its common words', () => {
    expect(onlyTopic('"mixture of  experts"').include).toEqual([{ kind: 'text', text: '"mixture of experts"', terms: ['mixtur', 'of', 'expert'] }]);
  });

  it('reads a hyphenated word as a phrase of its parts', () => {
    expect(onlyTopic('test-time').include).toEqual([{ kind: 'text', text: 'test-time', terms: ['test', 'time'] }]);
  });

  it('accepts typographic quotes', () => {
    expect(formatTopicFilter(parseTopicFilter('\u201Cstate space\u201D'))).toBe('"state space"');
  });

  it('ignores bare common words next to specific ones', () => {
    expect(onlyTopic('models for the code').include.map((clause) => clause.text)).toEqual(['models', 'code']);
  });

  it('reads cat: as a case-insensitive category, and cat:archive.* as a prefix', () => {
    expect(onlyTopic('cat:cs.CL').include).toEqual([{ kind: 'category', text: 'cat:cs.CL', category: 'cs.cl', isPrefix: false }]);
    expect(onlyTopic('CAT:cs.*').include).toEqual([{ kind: 'category', text: 'cat:cs.*', category: 'cs.', isPrefix: true }]);
    expect(onlyTopic('cat:hep-th').include).toEqual([{ kind: 'category', text: 'cat:hep-th', category: 'hep-th', isPrefix: false }]);
  });

  it('reads author: with a bare surname or a quoted full name', () => {
    expect(onlyTopic('author:Dao').include).toEqual([{ kind: 'author', text: 'author:Dao', name: 'Dao', nameTokens: ['dao'] }]);
    expect(onlyTopic('author:"Tri  Dao"').include).toEqual([{ kind: 'author', text: 'author:"Tri Dao"', name: 'Tri Dao', nameTokens: ['tri', 'dao'] }]);
  });

  it('reads -word, -"phrase", -cat: and -author: as exclusions', () => {
    const topic = onlyTopic('diffusion -survey -"image generation" -cat:cs.CV -author:Smith');
    expect(topic.include.map((clause) => clause.text)).toEqual(['diffusion']);
    expect(topic.exclude.map((clause) => clause.text)).toEqual(['survey', '"image generation"', 'cat:cs.CV', 'author:Smith']);
  });

  it('allows a topic of exclusions only', () => {
    const topic = onlyTopic('-survey');
    expect(topic.include).toEqual([]);
    expect(topic.exclude).toHaveLength(1);
  });

  it('splits topics on commas outside quotes and numbers them', () => {
    const { topics } = parseTopicFilter('quantization, "speech, audio" cat:eess.AS ,author:Dao');
    expect(topics.map((topic) => [topic.number, topic.text])).toEqual([
      [1, 'quantization'],
      [2, '"speech, audio" cat:eess.AS'],
      [3, 'author:Dao'],
    ]);
  });

  it('accepts the limits exactly', () => {
    expect(parseTopicFilter(Array.from({ length: 10 }, (_, n) => `topic${n}`).join(',')).topics).toHaveLength(10);
    expect(() => parseTopicFilter('x'.repeat(500))).not.toThrow();
  });
});

describe('topic filter errors', () => {
  it.each([
    ['llm, "state space', 'unbalanced quote at position 1 in topic 2', 6, 2],
    ['foo:bar', 'unknown prefix "foo:" at position 1 in topic 1 (use cat: or author:)', 1, 1],
    ['llm, rag title:attention', 'unknown prefix "title:" at position 5 in topic 2 (use cat: or author:)', 10, 2],
    ['quantization, llm  OR rag', '"OR" at position 6 in topic 2 (separate alternative topics with commas)', 20, 2],
    ['llm,,rag', 'topic 2 is empty (extra comma at position 5)', 5, 2],
    ['llm,', 'topic 2 is empty (extra comma at position 4)', 4, 2],
    [', llm', 'topic 1 is empty (extra comma at position 1)', 1, 1],
    ['a - b', 'nothing to exclude after "-" at position 3 in topic 1 (write -word, -"phrase", -cat: or -author:)', 3, 1],
    ['cat:', 'cat: needs a value at position 1 in topic 1', 1, 1],
    ['rag author:', 'author: needs a value at position 5 in topic 1', 5, 1],
    ['cat:"cs CL"', 'invalid category "cs CL" at position 1 in topic 1 (write it like cat:cs.CL or cat:cs.*)', 1, 1],
    ['cat:cs.', 'invalid category "cs." at position 1 in topic 1 (write it like cat:cs.CL or cat:cs.*)', 1, 1],
    ['llm ""', 'empty quotes at position 5 in topic 1', 5, 1],
    ['llm OR rag', '"OR" at position 5 in topic 1 (separate alternative topics with commas)', 5, 1],
    ['++', '"++" has no letters or digits at position 1 in topic 1', 1, 1],
  ])('rejects %j: %s', (text, message, position, topicNumber) => {
    const error = errorOf(text);
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
    expect(error.topicNumber).toBe(topicNumber);
    expect(error.name).toBe('TopicFilterError');
  });

  it('rejects a topic of common words only', () => {
    expect(errorOf('llm, the of').message).toBe('topic 2 has only common words ("the", "of"); add a more specific word');
  });

  it('rejects input over 500 characters', () => {
    expect(errorOf('x '.repeat(260)).message).toBe('topic filter is 519 characters long; the limit is 500');
  });

  it('rejects more than 10 topics', () => {
    expect(errorOf(Array(11).fill('llm').join(',')).message).toBe('too many topics (11); the limit is 10');
  });
});

describe('formatTopicFilter and describeTopicFilter', () => {
  const text = 'quantization  LLM, cat:cs.CL -survey,author:"Tri Dao" , -"state space" -cat:cs.CV';

  it('formats a canonical filter that parses to the same filter', () => {
    const filter = parseTopicFilter(text);
    const canonical = formatTopicFilter(filter);
    expect(canonical).toBe('quantization LLM, cat:cs.CL -survey, author:"Tri Dao", -"state space" -cat:cs.CV');
    expect(parseTopicFilter(canonical)).toEqual(filter);
  });

  it('describes a filter in words', () => {
    expect(describeTopicFilter(parseTopicFilter(text))).toBe(
      'quantization and LLM; or in cs.CL, not survey; or by Tri Dao; or anything not "state space", not in cs.CV',
    );
    expect(describeTopicFilter(parseTopicFilter(''))).toBe('top trending papers');
  });
});

describe('category and author matching', () => {
  const category = (text: string) => onlyTopic(text).include[0] as CategoryClause;
  const author = (text: string) => onlyTopic(text).include[0] as AuthorClause;
  const authors = ['Tri Dao', 'Albert Gu', 'José Núñez', 'Ludwig van Beethoven'].map(nameTokensOf);

  it('matches categories exactly or by archive prefix', () => {
    expect(findMatchingCategory(category('cat:CS.cl'), ['cs.lg', 'cs.cl'])).toBe(1);
    expect(findMatchingCategory(category('cat:cs.C'), ['cs.cl'])).toBe(-1);
    expect(findMatchingCategory(category('cat:cs.*'), ['stat.ml', 'cs.lg'])).toBe(1);
    expect(findMatchingCategory(category('cat:cs.*'), ['physics.comp-ph'])).toBe(-1);
  });

  it('matches an author by surname or whole name, ignoring case and accents', () => {
    expect(findMatchingAuthor(author('author:dao'), authors)).toBe(0);
    expect(findMatchingAuthor(author('author:"tri dao"'), authors)).toBe(0);
    expect(findMatchingAuthor(author('author:"Jose Nunez"'), authors)).toBe(2);
    expect(findMatchingAuthor(author('author:NÚÑEZ'), authors)).toBe(2);
    expect(findMatchingAuthor(author('author:"van Beethoven"'), authors)).toBe(3);
  });

  it('does not match a first name alone or a different full name', () => {
    expect(findMatchingAuthor(author('author:Tri'), authors)).toBe(-1);
    expect(findMatchingAuthor(author('author:"Albert Dao"'), authors)).toBe(-1);
  });
});
