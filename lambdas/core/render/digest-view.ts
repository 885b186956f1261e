// What a digest email says, decided once from DigestContent and shared by its HTML and text parts.
import type { DigestContent, Frequency, Paper, PaperLinks, PickedPaper, TextSpan, WhyPart } from '../model';
import { safeHttpUrl } from '../safe-url';
import { escapeHtml } from './html';
import { readableTopics } from './subject-topics';
import { clipWhy, whyHtml, whyText } from './why-line';
import { countOf, formatLongDate, formatShortDate, oneLineClipped, shortenAuthorList, singleLine, truncateAtWordBoundary } from './text-format';

/** How much of each paper a card shows, in characters; 0 leaves the field out. */
export interface CardDetail {
  maxTitleLength: number;
  maxAbstractLength: number;
  maxWhyLength: number;
  authorsShown: number;
  /** Longer links are left out; arXiv and Hugging Face links are ~40 characters, code links rarely 100. */
  maxUrlLength: number;
}

/**
 * Card detail from full to terse. The renderer takes the first level whose HTML fits the size
 * budget; real digests of PAPERS_PER_EMAIL.max papers fit at full detail, text at every field's limit needs level 1.
 */
export const CARD_DETAIL_LEVELS: readonly [CardDetail, ...CardDetail[]] = [
  { maxTitleLength: 250, maxAbstractLength: 300, maxWhyLength: 200, authorsShown: 3, maxUrlLength: 2048 },
  { maxTitleLength: 160, maxAbstractLength: 150, maxWhyLength: 100, authorsShown: 2, maxUrlLength: 2048 },
  { maxTitleLength: 120, maxAbstractLength: 0, maxWhyLength: 80, authorsShown: 1, maxUrlLength: 1000 },
  { maxTitleLength: 100, maxAbstractLength: 0, maxWhyLength: 0, authorsShown: 1, maxUrlLength: 300 },
];

const MAX_TOPICS_LENGTH = 200;
const MAX_SUBJECT_TOPICS_LENGTH = 60;
const MAX_PREHEADER_LENGTH = 140;

export interface CardLink {
  label: string;
  url: string;
}

/** One paper as shown: display text already cleaned and cut, links already vetted. */
export interface PaperCard {
  title: string;
  /** Where the title links to; absent when the paper has no usable link. */
  titleUrl?: string | undefined;
  /** 'A, B, C et al.', or '' when no authors are known. */
  authors: string;
  /** '▲ 1,234 upvotes · 12 comments · ★ 3.4k stars', or '' when every signal is 0. */
  stats: string;
  abstract: string;
  /** The same cut as HTML, escaped, the topic's words in <b> (PickedPaper.abstractMatches). */
  abstractHtml: string;
  /** The why line as plain text (the text part), '' when left out. */
  why: string;
  /** The same line as HTML, escaped, the matched words in <b>. */
  whyHtml: string;
  /** Shared by every card of the same paper at the same detail; the text part caches its layout by it. */
  links: CardLink[];
  /** The reader's "More like this" and "Fewer like this" links (the HTML part), absent without feedback links. */
  moreUrl?: string | undefined;
  fewerUrl?: string | undefined;
  /** The page that offers both (the text part: one link instead of two). */
  feedbackUrl?: string | undefined;
}

export interface DigestView {
  subject: string;
  /** Inbox preview line. */
  preheader: string;
  /** 'Daily digest' or 'Weekly digest'. */
  frequencyLabel: string;
  /** 'daily' or 'weekly'. */
  frequencyWord: Frequency;
  /** 'Saturday 28 November 2026'. */
  dateLong: string;
  /** '7 papers on quantization, cat:cs.CL', or 'Nothing new on ...' for an empty digest. */
  headline: string;
  emptyHeading: string;
  emptyMessage: string;
  /** The subscriber's topics as written, or 'top trending papers'. */
  topicsLabel: string;
  papers: PaperCard[];
  preferencesUrl: string;
  unsubscribeUrl: string;
  postalAddress: string;
  /** The digest's web version, when the email links to it. */
  viewUrl?: string | undefined;
}

const LINK_LABELS: ReadonlyArray<[keyof PaperLinks, string]> = [
  ['abs', 'Abstract'],
  ['pdf', 'PDF'],
  ['code', 'Code'],
  ['hf', 'Hugging Face'],
  ['project', 'Project page'],
];
const TITLE_LINK_PREFERENCE: ReadonlyArray<keyof PaperLinks> = ['abs', 'hf', 'project', 'pdf'];

/** The digest's wording; throws when a footer link is not an http(s) URL, since every email needs them. */
export function buildDigestView(content: DigestContent, detail: CardDetail = CARD_DETAIL_LEVELS[0]): DigestView {
  const topics = singleLine(content.topics);
  const papers = content.papers.map((picked) => paperCardOf(picked, detail, content.feedbackUrls?.get(picked.paper.id)));
  const isEmpty = papers.length === 0;
  const period = content.frequency === 'weekly' ? 'this week' : 'today';
  const brand = content.frequency === 'weekly' ? 'Papertrend weekly' : 'Papertrend';
  const subjectTopics = readableTopics(topics, MAX_SUBJECT_TOPICS_LENGTH);
  const subjectLine = isEmpty ? describeNothingNew(subjectTopics) : subjectPapers(papers.length, subjectTopics);
  const emptyMessage =
    `No new papers ${topics ? 'matched your topics' : 'were trending'} ${period}. ` +
    `We will write again ${content.frequency === 'weekly' ? 'next week' : 'tomorrow'}.`;

  return {
    subject: `${brand} · ${subjectLine} · ${formatShortDate(content.date)}`,
    preheader: isEmpty ? emptyMessage : preheaderOf(papers),
    frequencyLabel: content.frequency === 'weekly' ? 'Weekly digest' : 'Daily digest',
    frequencyWord: content.frequency,
    dateLong: formatLongDate(content.date),
    headline: isEmpty
      ? describeNothingNew(truncateAtWordBoundary(topics, MAX_TOPICS_LENGTH))
      : describePapers(papers.length, truncateAtWordBoundary(topics, MAX_TOPICS_LENGTH)),
    emptyHeading: `Nothing new ${period}`,
    emptyMessage,
    topicsLabel: topics ? truncateAtWordBoundary(topics, MAX_TOPICS_LENGTH) : 'top trending papers',
    papers,
    preferencesUrl: requiredLink('preferencesUrl', content.preferencesUrl),
    unsubscribeUrl: requiredLink('unsubscribeUrl', content.unsubscribeUrl),
    postalAddress: content.postalAddress.split(/\r?\n/).map(singleLine).filter(Boolean).join(', '),
    viewUrl: content.viewUrl === undefined ? undefined : requiredLink('viewUrl', content.viewUrl),
  };
}

/** The inbox preview line: the top paper's title, then how many more follow ("… · and 5 more papers"). */
function preheaderOf(papers: readonly PaperCard[]): string {
  const more = papers.length > 1 ? ` · and ${countOf(papers.length - 1, 'more paper')}` : '';
  return `${truncateAtWordBoundary(papers[0]?.title ?? '', MAX_PREHEADER_LENGTH - more.length)}${more}`;
}

function describePapers(count: number, topics: string): string {
  return topics ? `${countOf(count, 'paper')} on ${topics}` : countOf(count, 'trending paper');
}

/** '6 new papers: quantization, language model'; the header keeps the filter as written. */
function subjectPapers(count: number, topics: string): string {
  return topics ? `${countOf(count, 'new paper')}: ${topics}` : countOf(count, 'trending paper');
}

function describeNothingNew(topics: string): string {
  return topics ? `Nothing new on ${topics}` : 'Nothing new in trending papers';
}

function requiredLink(field: string, url: string): string {
  const safe = safeHttpUrl(url);
  if (!safe) throw new RangeError(`DigestContent.${field} is not an http(s) URL`);
  return safe;
}

/** The cards of `picked`, in order, as a digest shows them: the daily papers page uses the same cards. */
export function paperCards(picked: readonly PickedPaper[], detail: CardDetail = CARD_DETAIL_LEVELS[0]): PaperCard[] {
  return picked.map((one) => paperCardOf(one, detail));
}

/**
 * A paper's card without its why line, per detail level. A day's papers are shared objects across
 * every digest of a batch (see PaperIndex), so each is cleaned and vetted once, not per subscriber.
 */
const cardCache = new WeakMap<Paper, Map<CardDetail, CardBase>>();

/** What a card shows that depends on the paper alone. */
type CardBase = Omit<PaperCard, 'abstractHtml' | 'why' | 'whyHtml' | 'moreUrl' | 'fewerUrl' | 'feedbackUrl'>;

function paperCardOf({ paper, why, abstractMatches }: PickedPaper, detail: CardDetail, feedbackUrl?: string): PaperCard {
  let cards = cardCache.get(paper);
  if (!cards) cardCache.set(paper, (cards = new Map()));
  let card = cards.get(detail);
  if (!card) cards.set(detail, (card = paperCardBaseOf(paper, detail)));
  const line = whyLineOf(why, detail);
  // Spelled out rather than spread: this runs for every card of every digest, and a literal is several times faster.
  return {
    title: card.title,
    titleUrl: card.titleUrl,
    authors: card.authors,
    stats: card.stats,
    abstract: card.abstract,
    abstractHtml: abstractHtmlOf(card.abstract, abstractMatches),
    why: line.text,
    whyHtml: line.html,
    links: card.links,
    ...feedbackLinksOf(feedbackUrl),
  };
}

/** `url` as the text part's one link, and with `vote=more` and `vote=fewer` as the HTML part's two. */
function feedbackLinksOf(url: string | undefined): Pick<PaperCard, 'moreUrl' | 'fewerUrl' | 'feedbackUrl'> {
  const safe = safeHttpUrl(url);
  if (!safe) return {};
  const joiner = safe.includes('?') ? '&' : '?';
  return { feedbackUrl: safe, moreUrl: `${safe}${joiner}vote=more`, fewerUrl: `${safe}${joiner}vote=fewer` };
}

/** Abstracts with a topic's words in bold, shared like why lines: one per paper, topic and cut. */
const highlightedAbstracts = new WeakMap<readonly TextSpan[], Map<string, string>>();

/** `abstract` (the card's cut) as HTML with `matches` in bold: those inside the cut, the ellipsis aside. */
function abstractHtmlOf(abstract: string, matches: readonly TextSpan[] | undefined): string {
  if (!matches || matches.length === 0 || !abstract) return escapeHtml(abstract);
  let byCut = highlightedAbstracts.get(matches);
  if (!byCut) highlightedAbstracts.set(matches, (byCut = new Map()));
  let html = byCut.get(abstract);
  if (html === undefined) {
    // The cut is a prefix of the one-line abstract the offsets count in (see oneLineClipped), its ellipsis added.
    const shown = abstract.endsWith('…') ? abstract.length - 1 : abstract.length;
    const parts: WhyPart[] = [];
    let at = 0;
    for (const { start, end } of matches) {
      if (start < at || end > shown) continue;
      parts.push({ text: abstract.slice(at, start) }, { text: abstract.slice(start, end), match: true });
      at = end;
    }
    parts.push({ text: abstract.slice(at) });
    byCut.set(abstract, (html = whyHtml(parts)));
  }
  return html;
}

/** Why lines are shared by the subscribers of one topic (see whyPicked), so each is clipped and written once per detail. */
const whyLines = new WeakMap<readonly WhyPart[], Map<CardDetail, { text: string; html: string }>>();

function whyLineOf(why: readonly WhyPart[], detail: CardDetail): { text: string; html: string } {
  let byDetail = whyLines.get(why);
  if (!byDetail) whyLines.set(why, (byDetail = new Map()));
  let line = byDetail.get(detail);
  if (!line) {
    const clipped = detail.maxWhyLength > 0 ? clipWhy(why, detail.maxWhyLength) : [];
    byDetail.set(detail, (line = { text: whyText(clipped), html: whyHtml(clipped) }));
  }
  return line;
}

function paperCardBaseOf(paper: Paper, detail: CardDetail): CardBase {
  const vettedUrls = new Map(LINK_LABELS.map(([key]) => [key, shortEnough(safeHttpUrl(paper.links[key]), detail.maxUrlLength)]));
  const links = LINK_LABELS.flatMap(([key, label]) => {
    const url = vettedUrls.get(key);
    return url ? [{ label, url }] : [];
  });
  return {
    title: oneLineClipped(paper.title, detail.maxTitleLength) || paper.id,
    titleUrl: TITLE_LINK_PREFERENCE.map((key) => vettedUrls.get(key)).find(Boolean),
    authors: shortenAuthorList(paper.authors, detail.authorsShown),
    stats: statsOf(paper),
    abstract: detail.maxAbstractLength > 0 ? oneLineClipped(paper.abstract, detail.maxAbstractLength) : '',
    links,
  };
}

function shortEnough(url: string | undefined, maxLength: number): string | undefined {
  return url && url.length <= maxLength ? url : undefined;
}

function statsOf({ signals }: Paper): string {
  const stats: string[] = [];
  if (signals.upvotes > 0) stats.push(`▲ ${countOf(signals.upvotes, 'upvote')}`);
  if (signals.comments > 0) stats.push(countOf(signals.comments, 'comment'));
  if (signals.githubStars > 0) stats.push(`★ ${countOf(signals.githubStars, 'star')}`);
  return stats.join(' · ');
}
