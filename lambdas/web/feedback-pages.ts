// The pages a digest's "More like this" / "Fewer like this" links open: one button that posts (a link scanner's GET records nothing), then what was recorded.
import type { FeedbackVote } from '../core/model';
import { escapeHtml } from '../core/render/html';
import { shortenAuthorList } from '../core/render/text-format';
import { sitePath } from './base-path';
import { layout, safeHref, type SiteBase } from './pages';

/** The paper a feedback link names, as its page shows it; only the id when the paper is no longer stored. */
export interface MarkedPaperView {
  id: string;
  title?: string | undefined;
  authors?: readonly string[] | undefined;
  /** False when the paper is no longer kept: there is nothing to learn "more" from, only "fewer" to record. */
  stored?: boolean | undefined;
}

export interface FeedbackPageInput extends SiteBase {
  token: string;
  paper: MarkedPaperView;
  /** The direction the link chose; without one (the text email's link) the page offers both. */
  vote?: FeedbackVote | undefined;
  /** What the reader already said about this paper. */
  current?: FeedbackVote | undefined;
}

const BUTTON_LABELS: Readonly<Record<FeedbackVote, string>> = { more: 'More like this', fewer: 'Fewer like this' };

/** What each direction does, said before the button and after it. */
const EFFECTS: Readonly<Record<FeedbackVote, string>> = {
  more: 'From your next digest on, papers like it rank higher among those your topics pick.',
  fewer: 'It will not be picked for you again, and papers like it rank lower among those your topics pick.',
};

function paperBlock(paper: MarkedPaperView): string {
  const authors = paper.authors && paper.authors.length > 0 ? `<p class="lead">${escapeHtml(shortenAuthorList(paper.authors, 3))}</p>\n` : '';
  return `<p class="marked-title">${escapeHtml(paper.title || `arXiv ${paper.id}`)}</p>\n${authors}`;
}

function voteButton(vote: FeedbackVote, style: 'primary' | 'secondary'): string {
  return `<button type="submit" class="button${style === 'secondary' ? ' secondary' : ''} wide" name="vote" value="${vote}">${BUTTON_LABELS[vote]}</button>`;
}

/** The page a feedback link opens: the paper, what the click will do, and the button that does it (a POST). */
export function feedbackPage({ base, token, paper, vote: chosen, current }: FeedbackPageInput): string {
  const vote = paper.stored === false ? 'fewer' : chosen;
  const title = vote === 'more' ? 'More papers like this?' : vote === 'fewer' ? 'Fewer papers like this?' : 'More or fewer like this?';
  const already = current ? `<p class="notice">You already asked for ${current === 'more' ? 'more' : 'fewer'} papers like this one.</p>\n` : '';
  const effect = vote ? `<p>${EFFECTS[vote]}</p>` : `<p>${EFFECTS.more} Or choose fewer: ${EFFECTS.fewer.charAt(0).toLowerCase()}${EFFECTS.fewer.slice(1)}</p>`;
  const buttons = vote ? voteButton(vote, 'primary') : `<div class="actions">${voteButton('more', 'primary')}${voteButton('fewer', 'secondary')}</div>`;
  const gone =
    paper.stored === false ? `<p>This paper is no longer kept, so there is nothing to learn from it; you can still leave it out of your digests.</p>\n` : '';
  const body = `<h1>${title}</h1>
${already}${paperBlock(paper)}${gone}${effect}
<form method="post" action="${escapeHtml(sitePath(base, '/feedback'))}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${buttons}
</form>
<p class="help">You can see what your clicks taught, and forget it, on your preferences page.</p>`;
  return layout({ base, title, body });
}

/** Shown once the click is recorded, with the way to the preferences page, where the profile is shown and can be reset. */
export function feedbackRecordedPage({
  base,
  paper,
  vote,
  preferencesUrl,
}: SiteBase & { paper: MarkedPaperView; vote: FeedbackVote; preferencesUrl: string }): string {
  const title = vote === 'more' ? 'Noted: more like this' : 'Noted: fewer like this';
  const href = safeHref(preferencesUrl);
  const body = `<h1>${title}</h1>
${paperBlock(paper)}<p>${EFFECTS[vote]}</p>
${href ? `<p><a class="button secondary" href="${href}">See what your digest learned</a></p>` : ''}`;
  return layout({ base, title, body });
}
