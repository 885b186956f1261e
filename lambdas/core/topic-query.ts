// Turns a topic's words and phrases into the concepts the text index scores: acronyms, hyphenated parts, most-words matching.
import { acronymsSpelledOutIn, acronymVariantsOf } from './acronyms';
import type { Concept, TermSequence } from './relevance';
import type { TextClause } from './topic-filter';

/** What a topic's text clauses ask of a paper. */
export interface TopicTextQuery {
  /** Quoted phrases, each required, then the bare words. */
  concepts: Concept[];
  /** Least number of concepts a paper must contain: every phrase and most of the words. */
  minimum: number;
  /** Each pair of bare words written next to each other: a paper that has them together too ranks higher. */
  adjacentPairs: Concept[];
}

/** Of n bare words, how many a paper must contain: all of one or two, two of three, three of four... */
export function mostOf(count: number): number {
  return count <= 2 ? count : Math.ceil((2 * count) / 3);
}

const isQuoted = (clause: TextClause) => clause.text.startsWith('"');

function phraseConcept(terms: TermSequence): Concept {
  return [terms, ...acronymVariantsOf(terms)];
}

/** One concept per distinct bare word: the word, its expansion if it is an acronym, and any acronym the words spell out. */
function wordConcepts(words: readonly string[]): Concept[] {
  const spelledOut = acronymsSpelledOutIn(words);
  return words.map((word) => {
    const alternatives: TermSequence[] = [[word], ...acronymVariantsOf([word])];
    for (const { acronym, words: expansion } of spelledOut) if (expansion.includes(word)) alternatives.push(acronym);
    return alternatives;
  });
}

/**
 * The text query of a topic's include clauses, or undefined when it has none. A bare hyphenated
 * compound counts as its parts (`inference-time scaling` is three words, two of which must appear),
 * so "inference scaling" and "inference-time compute scaling" both match.
 */
export function textQueryOf(clauses: readonly TextClause[]): TopicTextQuery | undefined {
  if (clauses.length === 0) return undefined;
  const phrases = clauses.filter(isQuoted).map((clause) => phraseConcept(clause.terms));
  const written = clauses.filter((clause) => !isQuoted(clause)).flatMap((clause) => clause.terms);
  const words = [...new Set(written)];
  const concepts = [...phrases, ...wordConcepts(words)];
  return {
    concepts,
    minimum: phrases.length + mostOf(words.length),
    adjacentPairs: written.slice(1).map((term, index) => [[written[index] ?? '', term]]),
  };
}
