// The topic filter language: parsing and validating a subscriber's topics, and describing them.
import { MAX_TOPIC_FILTER_LENGTH, MAX_TOPICS } from './subscription';
import { isStopWord, nameTokensOf, termsOf } from './text-terms';

/** Words and "quoted phrases": consecutive stemmed terms in the title, abstract or keywords. */
export interface TextClause {
  kind: 'text';
  /** As written: `quantization` or `"state space model"`. */
  text: string;
  /** Stemmed terms that must appear consecutively; one term for a plain word. */
  terms: string[];
}

/** `cat:cs.CL` (exact, case-insensitive) or `cat:cs.*` (every category of an archive). */
export interface CategoryClause {
  kind: 'category';
  text: string;
  /** Lowercase category, or the lowercase prefix ending in "." for `cat:cs.*`. */
  category: string;
  isPrefix: boolean;
}

/** `author:Dao` (surname) or `author:"Tri Dao"` (whole name), ignoring case and accents. */
export interface AuthorClause {
  kind: 'author';
  text: string;
  /** The name as written, for display. */
  name: string;
  /** Folded name words; an author matches when their name ends with these words. */
  nameTokens: string[];
}

export type TopicClause = TextClause | CategoryClause | AuthorClause;

/** One comma-separated topic: every `include` clause must match and no `exclude` clause may. */
export interface Topic {
  /** 1-based number of the topic in the filter. */
  number: number;
  /** The topic in canonical form: clauses separated by single spaces, exclusions with "-". */
  text: string;
  include: TopicClause[];
  exclude: TopicClause[];
}

/** A parsed filter: a paper matches when any topic matches. No topics means no filter. */
export interface TopicFilter {
  topics: Topic[];
}

/** A filter that cannot be parsed; the message says what is wrong and where. */
export class TopicFilterError extends Error {
  override readonly name = 'TopicFilterError';

  constructor(
    message: string,
    /** 1-based character position in the whole filter text, when the error has one (the message counts within the topic). */
    readonly position?: number,
    /** 1-based topic number, when the error is inside a topic. */
    readonly topicNumber?: number,
  ) {
    super(message);
  }
}

const KNOWN_PREFIXES = ['cat', 'author'] as const;
const PREFIX_PATTERN = /^(\p{L}+):(.*)$/su;
const CATEGORY_PATTERN = /^[a-z][a-z-]*(\.[a-z][a-z-]*)?$/;
const CATEGORY_PREFIX_PATTERN = /^[a-z][a-z-]*\.\*$/;
const TYPOGRAPHIC_QUOTES = /[\u201C\u201D\u201E\u201F\u2033]/g;

function isBlank(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/** A scanner over the whole filter text, one topic at a time. */
class TopicFilterParser {
  private index = 0;
  private topicNumber = 1;
  /** Where the current topic's text starts (after its comma and blanks): messages count positions from there. */
  private topicStart = 0;

  constructor(private readonly source: string) {}

  parse(): TopicFilter {
    const topics: Topic[] = [];
    for (;;) {
      topics.push(this.parseTopic());
      if (this.index >= this.source.length) break;
      this.index += 1;
      this.topicNumber += 1;
    }
    if (topics.length > MAX_TOPICS) {
      throw new TopicFilterError(`too many topics (${topics.length}); the limit is ${MAX_TOPICS}`);
    }
    return { topics };
  }

  private fail(problem: string, index: number, hint?: string): never {
    const where = `at position ${index - this.topicStart + 1} in topic ${this.topicNumber}`;
    throw new TopicFilterError(`${problem} ${where}${hint ? ` (${hint})` : ''}`, index + 1, this.topicNumber);
  }

  private skipBlanks(): void {
    while (isBlank(this.source[this.index])) this.index += 1;
  }

  private atTopicEnd(): boolean {
    return this.index >= this.source.length || this.source[this.index] === ',';
  }

  private parseTopic(): Topic {
    const include: TopicClause[] = [];
    const exclude: TopicClause[] = [];
    const written: string[] = [];
    const ignoredWords: string[] = [];
    const precedingComma = this.index - 1;
    this.skipBlanks();
    this.topicStart = this.index;
    while (!this.atTopicEnd()) {
      const negated = this.source[this.index] === '-';
      if (negated) {
        this.index += 1;
        if (this.atTopicEnd() || isBlank(this.source[this.index])) {
          this.fail('nothing to exclude after "-"', this.index - 1, 'write -word, -"phrase", -cat: or -author:');
        }
      }
      const clause = this.parseClause();
      if ('stopWord' in clause) {
        ignoredWords.push(clause.stopWord);
      } else {
        (negated ? exclude : include).push(clause);
        written.push(negated ? `-${clause.text}` : clause.text);
      }
      this.skipBlanks();
    }
    if (written.length === 0) {
      if (ignoredWords.length > 0) {
        const quoted = ignoredWords.map((word) => `"${word}"`).join(', ');
        throw new TopicFilterError(`topic ${this.topicNumber} has only common words (${quoted}); add a more specific word`, undefined, this.topicNumber);
      }
      const extraComma = this.index < this.source.length ? this.index : precedingComma;
      throw new TopicFilterError(`topic ${this.topicNumber} is empty (extra comma at position ${extraComma + 1})`, extraComma + 1, this.topicNumber);
    }
    return { number: this.topicNumber, text: written.join(' '), include, exclude };
  }

  /** The next clause, or the bare stop word it turned out to be (ignored unless it is all there is). */
  private parseClause(): TopicClause | { stopWord: string } {
    const start = this.index;
    if (this.source[start] === '"') return this.phraseClause(this.readQuoted(), start);
    const word = this.readBare();
    const prefixed = PREFIX_PATTERN.exec(word);
    if (prefixed) {
      const prefix = (prefixed[1] ?? '').toLowerCase();
      if (!(KNOWN_PREFIXES as readonly string[]).includes(prefix)) {
        this.fail(`unknown prefix "${prefixed[1]}:"`, start, 'use cat: or author:');
      }
      let value = prefixed[2] ?? '';
      if (value === '' && this.source[this.index] === '"') value = this.readQuoted();
      if (value.trim() === '') this.fail(`${prefix}: needs a value`, start);
      return prefix === 'cat' ? this.categoryClause(value, start) : this.authorClause(value, start);
    }
    if (word === 'OR') this.fail('"OR"', start, 'separate alternative topics with commas');
    const terms = termsOf(word);
    if (terms.length === 0) this.fail(`"${word}" has no letters or digits`, start);
    if (terms.length === 1 && isStopWord(word)) return { stopWord: word };
    return { kind: 'text', text: word, terms };
  }

  /** Reads up to a blank, a comma or a quote. */
  private readBare(): string {
    const start = this.index;
    while (!this.atTopicEnd() && !isBlank(this.source[this.index]) && this.source[this.index] !== '"') {
      this.index += 1;
    }
    return this.source.slice(start, this.index);
  }

  /** Reads a quoted string starting at the opening quote; returns its trimmed content. */
  private readQuoted(): string {
    const open = this.index;
    const close = this.source.indexOf('"', open + 1);
    if (close < 0) this.fail('unbalanced quote', open);
    const content = this.source
      .slice(open + 1, close)
      .replace(/\s+/g, ' ')
      .trim();
    if (content === '') this.fail('empty quotes', open);
    this.index = close + 1;
    return content;
  }

  private phraseClause(phrase: string, start: number): TextClause {
    const terms = termsOf(phrase);
    if (terms.length === 0) this.fail(`"${phrase}" has no letters or digits`, start);
    return { kind: 'text', text: `"${phrase}"`, terms };
  }

  private categoryClause(value: string, start: number): CategoryClause {
    const category = value.trim().toLowerCase();
    if (CATEGORY_PREFIX_PATTERN.test(category)) {
      return { kind: 'category', text: `cat:${value.trim()}`, category: category.slice(0, -1), isPrefix: true };
    }
    if (!CATEGORY_PATTERN.test(category)) {
      this.fail(`invalid category "${value}"`, start, 'write it like cat:cs.CL or cat:cs.*');
    }
    return { kind: 'category', text: `cat:${value.trim()}`, category, isPrefix: false };
  }

  private authorClause(value: string, start: number): AuthorClause {
    const name = value.replace(/\s+/g, ' ').trim();
    const nameTokens = nameTokensOf(name);
    if (nameTokens.length === 0) this.fail(`author name "${name}" has no letters`, start);
    const text = name.includes(' ') ? `author:"${name}"` : `author:${name}`;
    return { kind: 'author', text, name, nameTokens };
  }
}

/**
 * Parse a topic filter. Grammar (case-insensitive, stemmed):
 *
 *     filter  := topic ("," topic)*        topics are ORed; "" means no filter
 *     topic   := term+                     every term must hold
 *     term    := "-"? (word | "phrase" | cat:CATEGORY | cat:ARCHIVE.* | author:NAME | author:"FULL NAME")
 *
 * Throws TopicFilterError naming the problem and its 1-based position in the whole text, e.g.
 * `unbalanced quote at position 12 in topic 2`.
 */
export function parseTopicFilter(text: string): TopicFilter {
  const source = text.replace(TYPOGRAPHIC_QUOTES, '"');
  if (source.trim() === '') return { topics: [] };
  const length = source.trim().length;
  if (length > MAX_TOPIC_FILTER_LENGTH) {
    throw new TopicFilterError(`topic filter is ${length} characters long; the limit is ${MAX_TOPIC_FILTER_LENGTH}`);
  }
  return new TopicFilterParser(source).parse();
}

/** The filter in canonical form ("" for no filter), without ignored common words; it parses to the same filter. */
export function formatTopicFilter(filter: TopicFilter): string {
  return filter.topics.map((topic) => topic.text).join(', ');
}

function describeClause(clause: TopicClause): string {
  switch (clause.kind) {
    case 'text':
      return clause.text;
    case 'category':
      return `in ${clause.text.slice('cat:'.length)}`;
    case 'author':
      return `by ${clause.name}`;
  }
}

function describeTopic(topic: Topic): string {
  const included = topic.include.map(describeClause).join(' and ');
  const excluded = topic.exclude.map((clause) => `not ${describeClause(clause)}`).join(', ');
  if (included === '') return `anything ${excluded}`;
  return excluded === '' ? included : `${included}, ${excluded}`;
}

/**
 * The filter in words, for emails and pages: `quantization and llm; or in cs.CL, not survey`.
 * No filter reads as "top trending papers".
 */
export function describeTopicFilter(filter: TopicFilter): string {
  if (filter.topics.length === 0) return 'top trending papers';
  return filter.topics.map(describeTopic).join('; or ');
}

/** Index of the first of `categories` (lowercase) that the clause matches, or -1. */
export function findMatchingCategory(clause: CategoryClause, categories: readonly string[]): number {
  return categories.findIndex((category) => (clause.isPrefix ? category.startsWith(clause.category) : category === clause.category));
}

/**
 * Index of the first author whose folded name words end with the clause's words, or -1:
 * `author:Dao` matches "Tri Dao", `author:"Tri Dao"` matches "Tri Dao" but not "Tri Nguyen".
 */
export function findMatchingAuthor(clause: AuthorClause, authorNameTokens: readonly (readonly string[])[]): number {
  const wanted = clause.nameTokens;
  return authorNameTokens.findIndex(
    (tokens) => tokens.length >= wanted.length && wanted.every((token, offset) => tokens[tokens.length - wanted.length + offset] === token),
  );
}
