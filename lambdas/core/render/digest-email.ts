// Renders a digest email (subject, HTML and text) from DigestContent, filling the template compiled at build time.
import type { DigestContent, RenderedEmail } from '../model';
import { compiledTemplates } from './compiled-templates';
import { buildDigestView, CARD_DETAIL_LEVELS, type CardDetail, type DigestView } from './digest-view';
import { digestText } from './digest-text';
import { escapeHtml } from './html';
import { Template, type TemplateView } from './template';

/** Largest digest HTML, in UTF-8 bytes: Gmail clips messages past ~102 KB, hiding the footer. */
export const DIGEST_HTML_BUDGET_BYTES = 95_000;

const digestTemplate = Template.parse(compiledTemplates.digest, escapeHtml);
const utf8 = new TextEncoder();

/**
 * The digest email for `content`, at the fullest card detail whose HTML fits the size budget. With
 * no papers it is the short 'nothing new' variant, which the caller sends only on request.
 */
export function renderDigest(content: DigestContent): RenderedEmail {
  const [fullDetail, ...terserDetails] = CARD_DETAIL_LEVELS;
  let rendered = renderHtmlAt(content, fullDetail);
  for (const detail of terserDetails) {
    if (utf8.encode(rendered.html).byteLength <= DIGEST_HTML_BUDGET_BYTES) break;
    rendered = renderHtmlAt(content, detail);
  }
  return { subject: rendered.view.subject, html: rendered.html, text: digestText(rendered.view) };
}

function renderHtmlAt(content: DigestContent, detail: CardDetail): { view: DigestView; html: string } {
  const view = buildDigestView(content, detail);
  return { view, html: digestTemplate.render(templateViewOf(view)) };
}

function templateViewOf(view: DigestView): TemplateView {
  return {
    ...view,
    hasPapers: view.papers.length > 0,
    papers: view.papers.map((card) => ({
      ...card,
      hasLinks: card.links.length > 0,
      links: card.links.map((link, index) => ({ ...link, first: index === 0 })),
    })),
  };
}
