// BM25 relevance of papers to query terms and phrases, and its blend with the trending score.
import { termsOf } from './text-terms';

/** The text of a paper that relevance looks at. */
export interface TextDocument {
  title: string;
  abstract: string;
  keywords: readonly string[];
}

/**
 * How much one occurrence counts in each field: a title word says more than an abstract word.
 * Keywords count as abstract words: Hugging Face extracts them from the abstract, listing every
 * technique a paper names, so a higher weight counted passing mentions twice (eval: P@5 0.631 -> 0.646).
 */
export const FIELD_WEIGHTS = { title: 3, keywords: 1, abstract: 1 } as const;
/** BM25 term-frequency saturation. */
export const BM25_K1 = 1.2;
/** BM25 length normalisation: 0 ignores document length, 1 fully normalises by it. */
export const BM25_B = 0.75;
/**
 * Share of relevance in the ordering score; the rest is normalised trending. Matched papers'
 * relevance spans about 0.5-0.9 while normalised trending spans 0.1-1, so at 0.6 a popular paper
 * naming the topic once outranked quieter papers about it (eval: P@5 0.662 -> 0.754, check set
 * nDCG@10 0.868 -> 0.923). At 0.8 trending's whole range weighs less than the gap between a title
 * match and a passing mention, and still orders papers that match alike.
 */
export const RELEVANCE_WEIGHT = 0.8;

/**
 * How much a concept a document lacks counts against it, relative to one it has: a paper with two
 * of three words is a weaker match, not a third as good.
 */
export const MISSING_CONCEPT_WEIGHT = 0.5;

/** A query unit: consecutive stemmed terms (one term for a plain word). */
export type TermSequence = readonly string[];

/** One thing a reader means, written any of several ways: "MoE" or "mixture of experts". */
export type Concept = readonly TermSequence[];

interface IndexedField {
  weight: number;
  positions: Map<string, number[]>;
}

interface IndexedDocument {
  fields: IndexedField[];
  weightedLength: number;
}

function indexField(terms: readonly string[], weight: number, gapsAfter: ReadonlySet<number> = new Set()): IndexedField {
  const positions = new Map<string, number[]>();
  let position = 0;
  terms.forEach((term, index) => {
    const list = positions.get(term);
    if (list) list.push(position);
    else positions.set(term, [position]);
    position += gapsAfter.has(index) ? 2 : 1;
  });
  return { weight, positions };
}

/** Keywords as one field, with a gap between keywords so a phrase never spans two of them. */
function indexKeywords(keywords: readonly string[]): { field: IndexedField; length: number } {
  const terms: string[] = [];
  const gapsAfter = new Set<number>();
  for (const keyword of keywords) {
    terms.push(...termsOf(keyword));
    gapsAfter.add(terms.length - 1);
  }
  return { field: indexField(terms, FIELD_WEIGHTS.keywords, gapsAfter), length: terms.length };
}

function indexDocument(document: TextDocument): { indexed: IndexedDocument; terms: Set<string> } {
  const title = termsOf(document.title);
  const abstract = termsOf(document.abstract);
  const keywords = indexKeywords(document.keywords);
  const fields = [indexField(title, FIELD_WEIGHTS.title), keywords.field, indexField(abstract, FIELD_WEIGHTS.abstract)];
  const weightedLength = FIELD_WEIGHTS.title * title.length + FIELD_WEIGHTS.keywords * keywords.length + FIELD_WEIGHTS.abstract * abstract.length;
  const terms = new Set(fields.flatMap((field) => [...field.positions.keys()]));
  return { indexed: { fields, weightedLength }, terms };
}

function occurrencesInField(field: IndexedField, sequence: TermSequence): number {
  const [first, ...rest] = sequence;
  const starts = first === undefined ? undefined : field.positions.get(first);
  if (!starts) return 0;
  if (rest.length === 0) return starts.length;
  const following = rest.map((term) => field.positions.get(term));
  if (following.some((positions) => positions === undefined)) return 0;
  return starts.filter((start) => following.every((positions, offset) => positions?.includes(start + offset + 1))).length;
}

/** Where one term sequence occurs: its BM25 contribution in each document that contains it. */
interface SequenceMatches {
  scores: Map<number, number>;
  /** The most the sequence can contribute to any document: idf x (k1 + 1). */
  ceiling: number;
}

/** Documents in every one of `matches`, found from the rarest, with BM25 over the ceiling of all. */
function everyMatch(matches: readonly SequenceMatches[], ceiling: number): Map<number, number> {
  const relevances = new Map<number, number>();
  const [rarest, ...others] = [...matches].sort((a, b) => a.scores.size - b.scores.size);
  candidates: for (const [number, rarestScore] of rarest?.scores ?? []) {
    let score = rarestScore;
    for (const other of others) {
      const contribution = other.scores.get(number);
      if (contribution === undefined) continue candidates;
      score += contribution;
    }
    relevances.set(number, score / ceiling);
  }
  return relevances;
}

/**
 * An inverted index over one day's candidate papers, built once and queried for every subscriber.
 * Documents are numbered in the order given. Scoring is BM25 over a weighted term frequency
 * (title x3, keywords x1, abstract x1) with the weighted length as document length. Each term or
 * phrase is scored across all documents the first time a query uses it; later queries reuse it.
 */
export class TextIndex {
  private readonly documents: IndexedDocument[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly averageLength: number;
  private readonly sequenceMatches = new Map<string, SequenceMatches>();

  constructor(documents: readonly TextDocument[]) {
    documents.forEach((document, number) => {
      const { indexed, terms } = indexDocument(document);
      this.documents.push(indexed);
      for (const term of terms) {
        const list = this.postings.get(term);
        if (list) list.push(number);
        else this.postings.set(term, [number]);
      }
    });
    const totalLength = this.documents.reduce((sum, document) => sum + document.weightedLength, 0);
    this.averageLength = this.documents.length > 0 ? totalLength / this.documents.length || 1 : 1;
  }

  /** Number of documents. */
  get size(): number {
    return this.documents.length;
  }

  /**
   * Documents where every sequence occurs, ascending, each with its relevance: BM25 divided by
   * the most BM25 could give these sequences (each one's idf x (k1 + 1)), so 0 < relevance < 1
   * and a relevance floor means the same thing for every query. No sequences, no documents.
   */
  matchAll(sequences: readonly TermSequence[]): Map<number, number> {
    return this.matchAtLeast(
      sequences.map((sequence) => [sequence]),
      sequences.length,
    );
  }

  /**
   * Documents (in no particular order) containing at least `minimum` of the concepts (a concept is present when any of
   * its spellings occurs), each with its relevance: the BM25 of the concepts present over the
   * most they could give plus MISSING_CONCEPT_WEIGHT of the most the missing ones could, so a
   * document missing a concept scores lower, the more so the rarer the concept. In 0..1. No
   * concepts, no documents.
   */
  matchAtLeast(concepts: readonly Concept[], minimum: number): Map<number, number> {
    const relevances = new Map<number, number>();
    if (concepts.length === 0) return relevances;
    const matches = concepts.map((concept) => this.matchesOf(concept));
    const ceiling = matches.reduce((sum, match) => sum + match.ceiling, 0);
    if (minimum >= concepts.length) return everyMatch(matches, ceiling);
    const present = new Map<number, { count: number; score: number }>();
    for (const match of matches) {
      for (const [number, score] of match.scores) {
        const seen = present.get(number);
        if (seen) {
          seen.count += 1;
          seen.score += score;
        } else present.set(number, { count: 1, score });
      }
    }
    const needed = Math.max(1, minimum);
    for (const [number, { count, score }] of present) {
      if (count < needed) continue;
      const presentCeiling = matches.reduce((sum, match) => sum + (match.scores.has(number) ? match.ceiling : 0), 0);
      relevances.set(number, score / (presentCeiling + MISSING_CONCEPT_WEIGHT * (ceiling - presentCeiling)));
    }
    return relevances;
  }

  /** Whether `sequence` occurs in the document, in any field. */
  contains(documentNumber: number, sequence: TermSequence): boolean {
    return this.matchesOf([sequence]).scores.has(documentNumber);
  }

  /** How many documents contain `sequence`. */
  documentFrequency(sequence: TermSequence): number {
    return this.conceptDocumentFrequency([sequence]);
  }

  /** How many documents contain any spelling of `concept`. */
  conceptDocumentFrequency(concept: Concept): number {
    return this.matchesOf(concept).scores.size;
  }

  /** BM25 inverse document frequency, always positive: ln(1 + (N - df + 0.5) / (df + 0.5)). */
  inverseDocumentFrequency(sequence: TermSequence): number {
    return this.matchesOf([sequence]).ceiling / (BM25_K1 + 1);
  }

  /** The inverse document frequency of a sequence `documentFrequency` of the papers contain. */
  idfAt(documentFrequency: number): number {
    return Math.log(1 + (this.size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  private matchesOf(concept: Concept): SequenceMatches {
    const key = concept.map((sequence) => sequence.join(' ')).join('|');
    const cached = this.sequenceMatches.get(key);
    if (cached) return cached;
    const frequencies = new Map<number, number>();
    for (const sequence of concept) {
      for (const number of this.documentsWithTerms(sequence)) {
        const document = this.documents[number];
        const frequency = document ? document.fields.reduce((sum, field) => sum + field.weight * occurrencesInField(field, sequence), 0) : 0;
        if (frequency > 0) frequencies.set(number, (frequencies.get(number) ?? 0) + frequency);
      }
    }
    const idf = this.idfAt(frequencies.size);
    const scores = new Map<number, number>();
    for (const [number, frequency] of frequencies) {
      const length = this.documents[number]?.weightedLength ?? this.averageLength;
      const lengthFactor = BM25_K1 * (1 - BM25_B + (BM25_B * length) / this.averageLength);
      scores.set(number, (idf * frequency * (BM25_K1 + 1)) / (frequency + lengthFactor));
    }
    const matches = { scores, ceiling: idf * (BM25_K1 + 1) };
    this.sequenceMatches.set(key, matches);
    return matches;
  }

  /** Documents containing every term of `sequence`, consecutive or not. */
  private documentsWithTerms(sequence: TermSequence): number[] {
    const lists = [...new Set(sequence)].map((term) => this.postings.get(term) ?? []).sort((a, b) => a.length - b.length);
    const [shortest = [], ...others] = lists;
    const otherSets = others.map((list) => new Set(list));
    return shortest.filter((number) => otherSets.every((set) => set.has(number)));
  }
}

/**
 * Trending score mapped to 0..1 on a log scale relative to the day's best, so a 300-upvote paper
 * does not flatten the differences among the 5-to-50-upvote papers most filters match.
 */
export function normaliseTrending(score: number, bestScore: number): number {
  if (!(bestScore > 0) || !(score > 0)) return 0;
  return Math.min(1, Math.log1p(score) / Math.log1p(bestScore));
}

/** The ordering score of a matched paper: 0.8 x relevance + 0.2 x normalised trending, in 0..1. */
export function blendedScore(relevance: number, normalisedTrending: number): number {
  return RELEVANCE_WEIGHT * relevance + (1 - RELEVANCE_WEIGHT) * normalisedTrending;
}
