// Why a paper was picked, in words the card does not already say: where it matched, with a snippet, or why it trends.
import { addDays, utcDay } from './day';
import type { Paper, TextSpan, WhyPart } from './model';
import { CARD_DETAIL_LEVELS } from './render/digest-view';
import { formatShortDate, oneLineClipped, singleLine } from './render/text-format';
import type { PaperIndex } from './select-papers';
import { wordSpansOf, type WordSpan } from './text-terms';
import { textQueryOf } from './topic-query';
import {
  findMatchingAuthor,
  findMatchingCategory,
  type AuthorClause,
  type CategoryClause,
  type TextClause,
  type Topic,
  type TopicClause,
} from './topic-filter';

/** Longest snippet of a title or abstract a why line quotes, ellipses aside. */
export const MAX_SNIPPET_LENGTH = 140;
/** Characters of context a snippet keeps before the first matched word. */
const SNIPPET_LEAD = 40;
/** The fullest card: an author it names, or words of the abstract it shows, would only be repeated by the why line. */
const FULL_CARD = CARD_DETAIL_LEVELS[0];
const MAX_NOTE_LENGTH = 60;
/** Distinct topics whose why lines one day's index keeps per paper; past it the cache starts over. */
const WHY_CACHE_LIMIT = 20_000;

/** A stretch of a field that spells one of the topic's concepts. */
interface Occurrence {
  start: number;
  end: number;
  concept: number;
}

const isText = (clause: TopicClause): clause is TextClause => clause.kind === 'text';

/** A paper's why line for one topic, and where that topic's words are in its abstract. */
interface Explanation {
  why: WhyPart[];
  abstractMatches: readonly TextSpan[];
}

const NO_MATCHES: readonly TextSpan[] = [];

/**
 * The why line of paper `documentNumber` of `index`, picked for `topic` (undefined: top trending).
 * A topic with words says where they matched and quotes the abstract around them where the card
 * does not show it; a category, author or exclusions-only topic, which ranks by trending, says what
 * matched and why it trends. It never repeats the card's counts (upvotes, comments, stars).
 */
export function whyPicked(index: PaperIndex, documentNumber: number, topic: Topic | undefined): WhyPart[] {
  return explain(index, documentNumber, topic).why;
}

/** Where `topic`'s words are in the paper's one-line abstract, for the card to set in bold; none for a topic without words. */
export function abstractMatchesOf(index: PaperIndex, documentNumber: number, topic: Topic | undefined): readonly TextSpan[] {
  return explain(index, documentNumber, topic).abstractMatches;
}

/** One explanation per paper and topic text, shared by every subscriber of that topic in a batch. */
function explain(index: PaperIndex, documentNumber: number, topic: Topic | undefined): Explanation {
  const paper = index.papers[documentNumber];
  if (!paper) return { why: [], abstractMatches: NO_MATCHES };
  const key = `${documentNumber} ${topic?.text ?? ''}`;
  let cache = explanationCache.get(index);
  if (!cache) explanationCache.set(index, (cache = new Map()));
  let explanation = cache.get(key);
  if (!explanation) {
    explanation = buildExplanation(index, documentNumber, paper, topic);
    if (cache.size >= WHY_CACHE_LIMIT) cache.clear();
    cache.set(key, explanation);
  }
  return explanation;
}

const explanationCache = new WeakMap<PaperIndex, Map<string, Explanation>>();

/** `why` led by the reader's own reason (`Like papers you marked: …`, see feedback-profile.ts), first so a clipped line keeps it. */
export function withProfileReason(why: WhyPart[], reason: string | undefined): WhyPart[] {
  return reason ? [{ text: `${reason} · ` }, ...why] : why;
}

function buildExplanation(index: PaperIndex, documentNumber: number, paper: Paper, topic: Topic | undefined): Explanation {
  if (!topic) return { why: [{ text: withFacts('Top trending', trendingFacts(index, documentNumber)) }], abstractMatches: NO_MATCHES };
  if (topic.include.length === 0) {
    const without = topic.exclude.map((clause) => quoted(clause.text)).join(', ');
    return { why: [{ text: withFacts(`Top trending, without ${without}`, trendingFacts(index, documentNumber)) }], abstractMatches: NO_MATCHES };
  }
  const label = `Matches ${quoted(topic.text)}`;
  const textClauses = topic.include.filter(isText);
  if (textClauses.length > 0) return textWhy(label, paper, textClauses);
  const details = topic.include.flatMap((clause) => (isText(clause) ? [] : [metadataDetail(index, documentNumber, paper, clause)]));
  return { why: [{ text: [`${label}: ${details.join(', ')}`, ...trendingFacts(index, documentNumber)].join(' · ') }], abstractMatches: NO_MATCHES };
}

/** A topic or clause as written, in double quotes unless it already has some (`author:"Tri Dao"`, `"state space model"`). */
function quoted(text: string): string {
  return text.includes('"') ? text : `"${text}"`;
}

function withFacts(lead: string, facts: readonly string[]): string {
  // Joined like the facts, not with a colon: the line already follows "Why:".
  return [lead, ...facts].join(' · ');
}

function metadataDetail(index: PaperIndex, documentNumber: number, paper: Paper, clause: CategoryClause | AuthorClause): string {
  if (clause.kind === 'category') {
    const category = paper.categories[findMatchingCategory(clause, index.categories[documentNumber] ?? [])] ?? '';
    if (!paper.arxiv) return `listed in ${category}`;
    return paper.arxiv.primaryCategory === category ? `primary category ${category}` : `cross-listed in ${category}`;
  }
  const position = findMatchingAuthor(clause, index.authorNameTokens[documentNumber] ?? []);
  const author = paper.authors[position] ?? '';
  return position >= FULL_CARD.authorsShown ? `by ${author} (author ${position + 1} of ${paper.authors.length})` : `by ${author}`;
}

/**
 * What the card does not show about why a paper trends: its place on Hugging Face, arXiv's word
 * that it is accepted or published, a revision. Only what the data says; no counts.
 */
/**
 * Whether a day's list reads as today's: the latest list, from today or yesterday (UTC) as a
 * digest sees it; an earlier day's page names its day instead.
 */
function isToday(day: string, latestDay: string, now: Date): boolean {
  return day === latestDay && day >= addDays(utcDay(now), -1);
}

function trendingFacts(index: PaperIndex, documentNumber: number): string[] {
  const paper = index.papers[documentNumber];
  if (!paper) return [];
  const facts: string[] = [];
  const { places, latestDay } = dailyPlacesOf(index);
  const place = places.get(documentNumber);
  if (place) facts.push(`#${place.rank} on Hugging Face ${isToday(place.day, latestDay, index.builtAt) ? 'today' : `on ${formatShortDate(place.day)}`}`);
  const accepted = acceptanceIn(paper.arxiv?.comment);
  if (accepted) facts.push(accepted);
  if (paper.arxiv?.journalRef) facts.push(`published in ${clipNote(paper.arxiv.journalRef)}`);
  if (facts.length === 0 && paper.signals.upvotes === 0) facts.push('new, no votes yet');
  return facts;
}

/** "accepted at NeurIPS 2025" from an arXiv comment such as "12 pages; Accepted to NeurIPS 2025 (spotlight)". */
function acceptanceIn(comment: string | undefined): string | undefined {
  const match = /\b(accepted (?:at|to|by|in|for)|to appear (?:at|in))\s+([^;,.()[\]]+)/i.exec(comment ?? '');
  if (!match) return undefined;
  const [, verb = '', venue = ''] = match;
  const phrase = `${verb.toLowerCase().startsWith('accepted') ? 'accepted at' : 'to appear in'} ${venue.trim()}`;
  return clipNote(phrase);
}

function clipNote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_NOTE_LENGTH ? line : `${line.slice(0, MAX_NOTE_LENGTH - 1).trimEnd()}…`;
}

/** A paper's place on Hugging Face's daily list: its rank by upvotes among the papers listed on its latest day. */
interface DailyPlace {
  rank: number;
  day: string;
}

const dailyPlaceCache = new WeakMap<PaperIndex, { places: Map<number, DailyPlace>; latestDay: string }>();

/**
 * Each upvoted paper's place on the Hugging Face list of the latest day it was listed, and the
 * index's latest day (which reads as "today"). Worked out once per index.
 */
function dailyPlacesOf(index: PaperIndex): { places: Map<number, DailyPlace>; latestDay: string } {
  const cached = dailyPlaceCache.get(index);
  if (cached) return cached;
  const byDay = new Map<string, number[]>();
  let latestDay = '';
  for (const [number, paper] of index.papers.entries()) {
    const day = paper.listedOn.at(-1);
    if (day === undefined || paper.signals.upvotes <= 0) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), number]);
    if (day > latestDay) latestDay = day;
  }
  const places = new Map<number, DailyPlace>();
  for (const [day, numbers] of byDay) {
    numbers.sort((a, b) => (index.papers[b]?.signals.upvotes ?? 0) - (index.papers[a]?.signals.upvotes ?? 0) || a - b);
    numbers.forEach((number, place) => places.set(number, { rank: place + 1, day }));
  }
  const result = { places, latestDay };
  dailyPlaceCache.set(index, result);
  return result;
}

/**
 * `Matches "quantization" in the abstract: …weights of **quantized** LLMs…`: where the words are,
 * and a snippet around them from the part of the abstract the card does not show. When every match
 * is in the title or the abstract's opening the card shows, the line names where and quotes nothing.
 */
function textWhy(label: string, paper: Paper, clauses: readonly TextClause[]): Explanation {
  const sequences = (textQueryOf(clauses)?.concepts ?? []).flatMap((alternatives, concept) => alternatives.map((terms) => ({ terms, concept })));
  const inTitle = fieldOf(paper.title, sequences).occurrences.length > 0;
  // On one line, as the card shows it, so that offsets compare with the length of the card's cut.
  const abstract = fieldOf(singleLine(paper.abstract), sequences);
  const abstractMatches = abstract.occurrences.map(({ start, end }) => ({ start, end }));
  const inAbstract = abstract.occurrences.length > 0;
  if (inAbstract || inTitle) {
    const where = inTitle && inAbstract ? 'the title and abstract' : inTitle ? 'the title' : 'the abstract';
    const shown = shownAbstractLength(abstract.text);
    const quote = snippet({ text: abstract.text, occurrences: abstract.occurrences.filter((occurrence) => occurrence.end > shown) });
    return { why: quote.length > 0 ? [{ text: `${label} in ${where}: ` }, ...quote] : [{ text: `${label} in ${where}` }], abstractMatches };
  }
  const keywords = paper.keywords.filter((keyword) => fieldOf(keyword, sequences).occurrences.length > 0).slice(0, 3);
  if (keywords.length > 0) {
    const listed = keywords.flatMap((keyword, n) => [...(n > 0 ? [{ text: ', ' }] : []), { text: keyword, match: true as const }]);
    return { why: [{ text: `${label} in its keywords: ` }, ...listed], abstractMatches };
  }
  return { why: [{ text: label }], abstractMatches };
}

/** How many characters of the (one-line) abstract the fullest card shows, its ellipsis aside. */
function shownAbstractLength(abstract: string): number {
  const cut = oneLineClipped(abstract, FULL_CARD.maxAbstractLength);
  return cut.endsWith('…') ? cut.length - 1 : cut.length;
}

interface Field {
  text: string;
  occurrences: Occurrence[];
}

/** Where in `raw` the sequences are spelled, longest first at each word, never overlapping. */
function fieldOf(raw: string, sequences: ReadonlyArray<{ terms: readonly string[]; concept: number }>): Field {
  const text = raw.normalize('NFC');
  const words: WordSpan[] = wordSpansOf(text);
  const occurrences: Occurrence[] = [];
  for (let at = 0; at < words.length; at += 1) {
    let best: { length: number; concept: number } | undefined;
    for (const { terms, concept } of sequences) {
      if (terms.length > (best?.length ?? 0) && terms.every((term, offset) => words[at + offset]?.term === term)) best = { length: terms.length, concept };
    }
    if (!best) continue;
    const last = words[at + best.length - 1];
    occurrences.push({ start: words[at]?.start ?? 0, end: last?.end ?? 0, concept: best.concept });
    at += best.length - 1;
  }
  return { text, occurrences };
}

/** At most MAX_SNIPPET_LENGTH characters of the field around the stretch holding the most distinct concepts, matches marked. */
function snippet({ text, occurrences }: Field): WhyPart[] {
  let anchor = occurrences[0];
  let bestCount = 0;
  for (const candidate of occurrences) {
    const reach = candidate.start + MAX_SNIPPET_LENGTH - SNIPPET_LEAD;
    const count = new Set(occurrences.filter((o) => o.start >= candidate.start && o.end <= reach).map((o) => o.concept)).size;
    if (count > bestCount) [anchor, bestCount] = [candidate, count];
  }
  if (!anchor) return [];
  let start = Math.max(0, anchor.start - SNIPPET_LEAD);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < anchor.start ? space + 1 : anchor.start;
  }
  let end = Math.min(text.length, start + MAX_SNIPPET_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > anchor.end) end = space;
  }
  const parts: WhyPart[] = start > 0 ? [{ text: '…' }] : [];
  let at = start;
  for (const occurrence of occurrences) {
    if (occurrence.start < at || occurrence.end > end) continue;
    if (occurrence.start > at) parts.push({ text: text.slice(at, occurrence.start) });
    parts.push({ text: text.slice(occurrence.start, occurrence.end), match: true });
    at = occurrence.end;
  }
  if (end > at) parts.push({ text: text.slice(at, end) });
  // A snippet that ends its sentence needs no ellipsis: `rate.…` reads as a stray run of dots.
  if (end < text.length && !/[.!?]$/.test(text.slice(0, end))) parts.push({ text: '…' });
  return parts;
}
