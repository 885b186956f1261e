// Renders a digest email (subject, HTML and text) from DigestContent, filling the template compiled at build time.
import type { DigestContent, RenderedEmail } from '../model';
import { digestHtml } from './compiled-templates';
import { buildDigestView, CARD_DETAIL_LEVELS, type CardDetail, type DigestView, type PaperCard } from './digest-view';
import { digestText } from './digest-text';
import { escapeHtml } from './html';
import { Template, type TemplateView } from './template';

/** Largest digest HTML, in UTF-8 bytes: Gmail clips messages past ~102 KB, hiding the footer. */
export const DIGEST_HTML_BUDGET_BYTES = 95_000;

/**
 * The compiled digest, cut into the page around the cards and each card around its abstract, why
 * line and feedback links. A card's other parts depend only on the paper, so each is filled once per paper and detail and
 * reused by every digest of the batch (cards share their `links` array, see paperCardOf); per
 * digest only the page, the why lines and the joins are rendered.
 */
const digestParts = splitDigestTemplate(digestHtml);
const cardHtml = new WeakMap<PaperCard['links'], { head: string; middle: string; tail: string; end: string }>();

function splitDigestTemplate(html: string) {
  const cut = (text: string, open: string, close: string) => {
    const start = text.indexOf(open);
    const end = text.indexOf(close, start);
    if (start < 0 || end < 0 || text.indexOf(open, start + 1) >= 0) throw new Error(`the digest template needs exactly one ${open}...${close}`);
    return { before: text.slice(0, start), inside: text.slice(start + open.length, end), after: text.slice(end + close.length) };
  };
  const page = cut(html, '{{#papers}}', '{{/papers}}');
  const card = cut(page.inside, '{{#why}}', '{{/why}}');
  const head = cut(card.before, '{{#abstract}}', '{{/abstract}}');
  const tail = cut(card.after, '{{#moreUrl}}', '{{/moreUrl}}');
  const parse = (source: string) => Template.parse(source, escapeHtml);
  return {
    page: parse(`${page.before}{{&cardsHtml}}${page.after}`),
    cardHead: parse(head.before),
    abstract: parse(`{{#abstract}}${head.inside}{{/abstract}}`),
    cardMiddle: parse(head.after),
    why: parse(`{{#why}}${card.inside}{{/why}}`),
    cardTail: parse(tail.before),
    feedback: parse(`{{#moreUrl}}${tail.inside}{{/moreUrl}}`),
    cardEnd: parse(tail.after),
  };
}

function cardHtmlOf(card: PaperCard): string {
  let parts = cardHtml.get(card.links);
  if (!parts) {
    const view: TemplateView = { ...card, hasLinks: card.links.length > 0, links: linkViewsOf(card.links) };
    const render = (template: Template) => template.render(view);
    parts = {
      head: render(digestParts.cardHead),
      middle: render(digestParts.cardMiddle),
      tail: render(digestParts.cardTail),
      end: render(digestParts.cardEnd),
    };
    cardHtml.set(card.links, parts);
  }
  // The abstract's bold words, the why line and the feedback links are the reader's own; the rest is the paper's.
  const abstract = digestParts.abstract.render({ abstract: card.abstract, abstractHtml: card.abstractHtml });
  const feedback = card.moreUrl ? digestParts.feedback.render({ moreUrl: card.moreUrl, fewerUrl: card.fewerUrl ?? '' }) : '';
  return parts.head + abstract + parts.middle + digestParts.why.render({ why: card.why, whyHtml: card.whyHtml }) + parts.tail + feedback + parts.end;
}

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

/**
 * A digest's web version: the email's own HTML at full card detail (a page has no size budget),
 * without the link to itself, and marked for search engines to leave out.
 */
export function renderDigestPage(content: DigestContent): string {
  const { html } = renderHtmlAt({ ...content, viewUrl: undefined }, CARD_DETAIL_LEVELS[0]);
  return html.replace('<head>', '<head> <meta name="robots" content="noindex">');
}

function renderHtmlAt(content: DigestContent, detail: CardDetail): { view: DigestView; html: string } {
  const view = buildDigestView(content, detail);
  const { papers, ...page } = view;
  const cardsHtml = papers.map(cardHtmlOf).join('');
  return { view, html: digestParts.page.render({ ...page, hasPapers: papers.length > 0, cardsHtml }) };
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
    // A card without feedback links still names them: the template's sections need a value, even a false one.
    papers: view.papers.map((card) => ({
      ...card,
      moreUrl: card.moreUrl ?? false,
      fewerUrl: card.fewerUrl ?? '',
      hasLinks: card.links.length > 0,
      links: linkViewsOf(card.links),
    })),
  };
}
