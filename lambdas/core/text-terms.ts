// Turns text into the terms that topic filters and relevance scoring compare: folded, stemmed words.
import stem from 'wink-porter2-stemmer';

/** A word as it appears in a text, with the term it is indexed under. */
export interface TextWord {
  /** The word as written (NFC), e.g. "Quantized". */
  surface: string;
  /** Folded and stemmed, e.g. "quantiz". */
  term: string;
}

const WORD_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}/gu;

/** Letters that Unicode decomposition leaves alone but readers treat as their plain twin. */
const UNDECOMPOSABLE_LETTERS: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  þ: 'th',
};
const UNDECOMPOSABLE_PATTERN = new RegExp(`[${Object.keys(UNDECOMPOSABLE_LETTERS).join('')}]`, 'g');

/**
 * Common English function words. Bare query words in this set are ignored (they would make
 * "models for code" require "for"); the index keeps them so quoted phrases can contain them.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'into',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'our',
  'that',
  'the',
  'their',
  'this',
  'to',
  'toward',
  'towards',
  'via',
  'we',
  'with',
  'without',
]);

/** Lowercase, accents removed: "Łukasz Müller" becomes "lukasz muller". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(UNDECOMPOSABLE_PATTERN, (letter) => UNDECOMPOSABLE_LETTERS[letter] ?? letter);
}

/** The words of `text`, split on anything that is not a letter or digit ("test-time" is two words). */
export function wordsIn(text: string): string[] {
  return text.normalize('NFC').match(WORD_PATTERN) ?? [];
}

const ACRONYM_PLURAL = /^[A-Z0-9]*[A-Z][A-Z0-9]*s$/;
const HAS_VOWEL = /[aeiouy]/;

/**
 * Porter2 leaves acronym plurals alone ("LLMs" stays "llms"); strip the "s" when the word is
 * written as one (capitals then "s") or when the rest has no vowel, as in a lowercase "llms".
 */
function singularAcronym(folded: string, surface: string): string {
  if (folded.length < 3 || !folded.endsWith('s')) return folded;
  const rest = folded.slice(0, -1);
  return ACRONYM_PLURAL.test(surface) || !HAS_VOWEL.test(rest) ? rest : folded;
}

/**
 * Longest word the stemmer is given. The stemmer's cost grows with the square of a word's length
 * (a 50,000-letter word took 11 s); English words are far shorter, and longer "words" (hashes,
 * base64, junk) are indexed folded but unstemmed, so a text's cost stays linear in its length.
 */
export const MAX_STEMMED_WORD_LENGTH = 64;

/**
 * British spellings and their American twins, which Porter2 stems apart ("quantisation" to
 * "quantis", "quantization" to "quantiz"): these endings are read the American way before stemming,
 * so a topic written either way finds papers written the other. Only -isation and -ise after the
 * roots American spells -ize (normal-, optim-, quant-, token-, recogn-, parallel-, random-, synthes-...),
 * never "supervise", "precise", "promise", "exercise" or "rise", which American spells -ise too; -our, -tre and -ogue after a long enough root
 * ("four", "hour" and "rogue" stay).
 */
const BRITISH_SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/^([a-z]{3,})isation(s|al)?$/, '$1ization$2'],
  [/^([a-z]+(?:al|an|ar|as|at|el|en|er|es|et|gn|ic|il|im|it|nt|ol|on|or|rd|rn|ym))is(e|ed|es|er|ers|ing)$/, '$1iz$2'],
  // After -om only these: "promise" and "compromise" are -ise in American too.
  [/^(random|custom|atom|econom)is(e|ed|es|er|ers|ing)$/, '$1iz$2'],
  [/^([a-z]+)ys(e|ed|es|er|ers|ing)$/, '$1yz$2'],
  [/^([a-z]{2,})our(s|al|ally|ed|ing|ite|ites|able|ism|ist|ists)?$/, '$1or$2'],
  [/^([a-z]{2,})tre(s|d)?$/, '$1ter$2'],
  [/^([a-z]{3,})ogue(s)?$/, '$1og$2'],
];

/** `folded` with a British ending spelt the American way (see BRITISH_SPELLINGS). */
function americanSpelling(folded: string): string {
  for (const [pattern, replacement] of BRITISH_SPELLINGS) {
    if (pattern.test(folded)) return folded.replace(pattern, replacement);
  }
  return folded;
}

const TERM_CACHE_LIMIT = 50_000;
const termCache = new Map<string, string>();

/** The index term for one word: folded, spelt the American way, Porter2-stemmed, acronym plurals made singular. */
export function termOf(word: string): string {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  const folded = foldText(word);
  const term = folded.length > MAX_STEMMED_WORD_LENGTH ? folded : singularAcronym(stem(americanSpelling(folded)), word);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(word, term);
  return term;
}

/** The terms of `text`, in order; a term's index is its position (stop words included). */
export function termsOf(text: string): string[] {
  return wordsIn(text).map(termOf);
}

/** The words of `text` with their terms, for showing which words of a paper matched. */
export function textWordsOf(text: string): TextWord[] {
  return wordsIn(text).map((surface) => ({ surface, term: termOf(surface) }));
}

/** A word of a text with its term and where it stands in `text.normalize('NFC')`, for cutting snippets around matches. */
export interface WordSpan extends TextWord {
  start: number;
  end: number;
}

/** The words of `text` as textWordsOf reads them, with their offsets into the NFC form of `text`. */
export function wordSpansOf(text: string): WordSpan[] {
  return [...text.normalize('NFC').matchAll(WORD_PATTERN)].map((match) => ({
    surface: match[0],
    term: termOf(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Whether a bare query word is too common to filter on. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(foldText(word));
}

/** A person's name as folded words, for accent- and case-insensitive comparison. */
export function nameTokensOf(name: string): string[] {
  return wordsIn(foldText(name));
}
