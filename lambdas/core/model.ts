// Domain types shared by the core, the ports and the adapters: papers, subscribers, digests.

/** Where a paper record came from. */
export type SourceName = 'hf' | 'arxiv';

/** Engagement signals; 0 when a source does not report one. */
export interface PaperSignals {
  upvotes: number;
  comments: number;
  githubStars: number;
}

export interface PaperLinks {
  /** arXiv abstract page, https://arxiv.org/abs/ID */
  abs: string;
  /** arXiv PDF, https://arxiv.org/pdf/ID */
  pdf: string;
  /** Hugging Face paper page */
  hf?: string;
  /** Code repository (GitHub or similar) */
  code?: string;
  /** Project page */
  project?: string;
}

/** What arXiv's own record adds to a paper (its API's Atom entry), looked up once per paper. */
export interface ArxivMetadata {
  /** The category arXiv files the paper under; also first in Paper.categories. */
  primaryCategory: string;
  /** The authors' comment ("12 pages, accepted at ACL 2026"), when there is one. */
  comment?: string;
  /** Journal reference, when the paper is published. */
  journalRef?: string;
  /** Latest version number (the 2 of 2406.12345v2). */
  latestVersion: number;
}

/** arXiv's record of a paper found by id: its categories (primary first) and the rest of its metadata. */
export interface ArxivRecord {
  id: string;
  categories: string[];
  arxiv: ArxivMetadata;
}

/** One paper, normalised from any source. Identity is the arXiv id without version. */
export interface Paper {
  /** arXiv id without version: "2406.12345" or old-style "cond-mat/0011267". */
  id: string;
  /** Whitespace collapsed, entities decoded, plain text (never HTML). */
  title: string;
  abstract: string;
  authors: string[];
  /** arXiv categories, primary first; empty when only HF knows the paper. */
  categories: string[];
  /** ISO 8601 timestamp of first publication (arXiv v1, or HF publishedAt). */
  publishedAt: string;
  links: PaperLinks;
  signals: PaperSignals;
  /** HF ai_keywords, when present. */
  keywords: string[];
  /** HF ai_summary, when present. */
  summary?: string;
  /** arXiv's record: set by the arXiv source, or by the metadata lookup for papers only HF listed. */
  arxiv?: ArxivMetadata;
  sources: SourceName[];
  /** Days (YYYY-MM-DD, UTC) on which a source listed this paper as trending or new. */
  listedOn: string[];
}

/** An item a parser had to skip, with the reason; never contains feed text beyond an id. */
export interface SkippedItem {
  source: SourceName;
  reason: string;
  id?: string;
}

/** What one source produced for one request. */
export interface SourceBatch {
  source: SourceName;
  papers: Paper[];
  skipped: SkippedItem[];
}

export type Frequency = 'daily' | 'weekly';
export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed';

/**
 * Why a consent ended: the subscriber asked, their address bounced for good, they marked an email
 * as spam, or their mailbox kept refusing mail (see core/subscription.ts).
 */
export type WithdrawalReason = 'unsubscribed' | 'bounce' | 'complaint' | 'transient-bounces';

/** When and how the consent to receive email was given and withdrawn. */
export interface Consent {
  /** ISO timestamp of the sign-up. */
  signedUpAt: string;
  /** Version of the form the visitor used. */
  formVersion: string;
  confirmedAt?: string;
  withdrawnAt?: string;
  /** Set with withdrawnAt; absent on records withdrawn before reasons were kept (they were unsubscribes). */
  withdrawnReason?: WithdrawalReason;
}

export interface Subscriber {
  /** Opaque random id; the only handle that appears in logs and tokens. */
  id: string;
  /** Normalised address (domain lowercased and punycoded, local part as typed). */
  email: string;
  status: SubscriberStatus;
  /** Topic filter in the query language (see core/topic-filter.ts); empty means top trending. */
  topics: string;
  frequency: Frequency;
  /** ISO weekday for weekly digests: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Local hour 0-23 at which the digest is due. */
  hour: number;
  /** IANA time zone name. */
  timeZone: string;
  /** Papers per email, within PAPERS_PER_EMAIL (core/subscription.ts). */
  maxPapers: number;
  paused: boolean;
  /** Send a short "nothing new today" email instead of nothing. */
  sendEmptyDigest: boolean;
  /** Subscriber-local date (YYYY-MM-DD) of the last digest sent. */
  lastDigestDate?: string;
  consent: Consent;
  /** Earlier consents, oldest first, kept when the address signs up again after unsubscribing. */
  consentHistory?: Consent[];
  /** UTC days (YYYY-MM-DD, ascending) with a transient bounce since the last delivery; see recordTransientBounce. */
  softBounceDays?: string[];
  /** What their "More like this" and "Fewer like this" clicks taught (core/feedback-profile.ts); absent until the first. */
  feedback?: FeedbackRecord;
  createdAt: string;
  updatedAt: string;
}

/** A reader's verdict on one paper of a digest. */
export type FeedbackVote = 'more' | 'fewer';

/** One paper a reader marked, with what ranking learns from it (kept, so the profile can be worked out again exactly). */
export interface MarkedPaper {
  paperId: string;
  vote: FeedbackVote;
  /** The paper's most telling words as written, best first. */
  terms: string[];
  /** Its first and last authors, as written. */
  authors: string[];
  /** Its arXiv categories, primary first. */
  categories: string[];
}

/** A subscriber's feedback: the latest papers marked (oldest first) and every paper marked "fewer", both bounded. */
export interface FeedbackRecord {
  marked: MarkedPaper[];
  /** Papers never to be picked again for this reader, oldest first. */
  fewerPaperIds: string[];
}

/**
 * One stretch of a why line. `match` marks the paper's own words that matched the topic: the HTML
 * renderer sets them in bold, the text renderer prints them as they are (core/render/why-line.ts).
 */
export interface WhyPart {
  text: string;
  match?: true;
}

/** A paper picked for one subscriber, with the reason it was picked. */
export interface PickedPaper {
  paper: Paper;
  /** Combined score used for ordering (relevance blended with trending). */
  score: number;
  /**
   * Why it was picked, in parts whose texts joined make the plain line, e.g. `Matches "quantization"
   * in the abstract: …we **quantize** the weights…` (bold: match parts). Never repeats the card's counts.
   */
  why: WhyPart[];
  /**
   * Where the topic's words are in the abstract (offsets into it on one line, as the card shows it),
   * so the card can set them in bold: the why line quotes only what the card leaves out.
   */
  abstractMatches?: readonly TextSpan[] | undefined;
  /** The reason the reader's feedback profile gave, already leading `why`; kept so the web version can say it again. */
  profileReason?: string | undefined;
}

/** A stretch of a text, from `start` up to (not including) `end`. */
export interface TextSpan {
  start: number;
  end: number;
}

/** Everything needed to render one digest email; HTML and text are made from this alone. */
export interface DigestContent {
  /** Subscriber-local date the digest is for, YYYY-MM-DD. */
  date: string;
  frequency: Frequency;
  /** The subscriber's topic filter as they wrote it ('' for top trending). */
  topics: string;
  papers: PickedPaper[];
  /**
   * Per paper id, the signed link to the page that takes this reader's "More like this" / "Fewer
   * like this" on it (without `vote`); a paper without one gets no such links.
   */
  feedbackUrls?: ReadonlyMap<string, string>;
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** Sender's postal address (CAN-SPAM). */
  postalAddress: string;
  /** The digest's web version (signed); left out of the web version itself. */
  viewUrl?: string | undefined;
}

/** What an email is: the kinds SES events are told apart by. */
export type EmailKind = 'digest' | 'confirmation';

/**
 * Tags every email carries to SES (EmailTags) and SES hands back in its events, so an event finds
 * its subscriber without an address. Values use only letters, digits, '-' and '_' (SES's rule).
 */
export interface EmailTags {
  /** The subscriber's opaque id. */
  subscriber: string;
  kind: EmailKind;
  /** The digest's local date; for a confirmation, the UTC day it was sent (YYYY-MM-DD). */
  localDate: string;
}

/** A rendered email, ready for the mailer. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
