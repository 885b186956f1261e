// Renders a digest email (subject, HTML and text) from DigestContent, filling the template compiled at build time.
import type { DigestContent, RenderedEmail } from '../model';
import { compiledTemplates } from './compiled-templates';
import { buildDigestView, CARD_DETAIL_LEVELS, type CardDetail, type DigestView, type PaperCard } from './digest-view';
import { digestText } from './digest-text';
import { escapeHtml } from './html';
import { Template, type TemplateView } from './template';

/** Largest digest HTML, in UTF-8 bytes: Gmail clips messages past ~102 KB, hiding the footer. */
export const DIGEST_HTML_BUDGET_BYTES = 95_000;

const digestTemplate = Template.parse(compiledTemplates.digest, escapeHtml);

/**
 * The digest email for `content`, at the fullest card detail whose HTML fits the size budget. With
 * no papers it is the short 'nothing new' variant, which the caller sends only on request.
 */
export function renderDigest(content: DigestContent): RenderedEmail {
  const [fullDetail, ...terserDetails] = CARD_DETAIL_LEVELS;
  let rendered = renderHtmlAt(content, fullDetail);
  for (const detail of terserDetails) {
    // A UTF-16 unit is at most 3 UTF-8 bytes: short digests skip counting.
    if (rendered.html.length * 3 <= DIGEST_HTML_BUDGET_BYTES || Buffer.byteLength(rendered.html, 'utf8') <= DIGEST_HTML_BUDGET_BYTES) break;
    rendered = renderHtmlAt(content, detail);
  }
  return { subject: rendered.view.subject, html: rendered.html, text: digestText(rendered.view) };
}

function renderHtmlAt(content: DigestContent, detail: CardDetail): { view: DigestView; html: string } {
  const view = buildDigestView(content, detail);
  return { view, html: digestTemplate.render(templateViewOf(view)) };
}

/** The values the digest template is filled with, at full card detail (the benchmark fills the MJML source with them). */
export function digestTemplateView(content: DigestContent): TemplateView {
  return templateViewOf(buildDigestView(content, CARD_DETAIL_LEVELS[0]));
}

/** Cards of the same paper share their links array (see paperCardOf), so its template view is made once. */
const linkViews = new WeakMap<PaperCard['links'], TemplateView[]>();

function linkViewsOf(links: PaperCard['links']): TemplateView[] {
  let views = linkViews.get(links);
  if (!views) linkViews.set(links, (views = links.map((link, index) => ({ ...link, first: index === 0 }))));
  return views;
}

function templateViewOf(view: DigestView): TemplateView {
  return {
    ...view,
    hasPapers: view.papers.length > 0,
    papers: view.papers.map((card) => ({ ...card, hasLinks: card.links.length > 0, links: linkViewsOf(card.links) })),
  };
}
