import type { DigestContent, PickedPaper, WhyPart } from '../../../lambdas/core/model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DIGEST_HTML_BUDGET_BYTES, digestTemplateView, renderDigest, renderDigestPage } from '../../../lambdas/core/render/digest-email';
import { escapeHtml } from '../../../lambdas/core/render/html';
import { Template } from '../../../lambdas/core/render/template';
import { makePaper, type PaperOverrides } from '../../../dev/paper-factory';
import { worstCaseDigest } from '../../../dev/worst-case-digest';

const footer = {
  preferencesUrl: 'https://papertrend.example/preferences?token=pref123',
  unsubscribeUrl: 'https://papertrend.example/unsubscribe?token=unsub456',
  postalAddress: 'Papertrend\n1 Example Street\n10115 Berlin',
};

function pick(overrides: PaperOverrides, why: string | WhyPart[] = 'matches "quantization"'): PickedPaper {
  return { paper: makePaper(overrides), score: 1, why: typeof why === 'string' ? [{ text: why }] : why };
}

function digest(papers: PickedPaper[], extra: Partial<DigestContent> = {}): DigestContent {
  return { date: '2026-11-28', frequency: 'daily', topics: 'quantization, cat:cs.CL', papers, ...footer, ...extra };
}

const longAbstract =
  'We study post-training quantization of large language models and show that careful rounding of ' +
  'weights preserves accuracy at four bits. Our method calibrates per-channel scales on a small set ' +
  'of prompts, needs no retraining, and runs in minutes on a single GPU. Experiments on seven model ' +
  'families and twelve benchmarks show consistent gains over prior work, with perplexity within one ' +
  'percent of the full-precision baseline.';

const htmlBytes = (html: string) => new TextEncoder().encode(html).byteLength;

/** The HTML of the card whose title links to the abstract page of `paperId`. */
function cardHtml(html: string, paperId: string): string {
  const start = html.indexOf(`href="https://arxiv.org/abs/${paperId}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</td></tr>', start));
}
const TAG = /<\/?[a-z][^>]*>/i;

describe('renderDigest', () => {
  const papers = [
    pick({
      id: '2611.00001',
      title: 'Quantizing Transformers Without Tears',
      abstract: longAbstract,
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
      signals: { upvotes: 1234, comments: 5, githubStars: 12345 },
      links: {
        abs: 'https://arxiv.org/abs/2611.00001',
        pdf: 'https://arxiv.org/pdf/2611.00001',
        code: 'https://github.com/example/qwt',
        hf: 'https://huggingface.co/papers/2611.00001',
      },
    }),
    pick({ id: '2611.00002', title: 'Small Models, Big Claims', authors: ['Barbara Liskov', 'Donald Knuth'] }),
  ];
  const email = renderDigest(digest(papers));

  it('writes a subject with the count, the topics and the short date', () => {
    expect(email.subject).toBe('Papertrend · 2 new papers: quantization, computation and language · Sat 28 Nov');
  });

  it('links each title to its abstract page in the HTML', () => {
    expect(email.html).toContain(
      '<a href="https://arxiv.org/abs/2611.00001" style="color:#1d4ed8;text-decoration:none">Quantizing Transformers Without Tears</a>',
    );
    expect(email.html).toContain('>Small Models, Big Claims</a>');
  });

  it('shows the date and the topics in the header, and leaves no placeholder unfilled', () => {
    expect(email.html).toContain('Saturday 28 November 2026');
    expect(email.html).toContain('2 papers on quantization, cat:cs.CL');
    expect(email.html).not.toContain('{{');
  });

  it('shortens long author lists and keeps short ones whole', () => {
    expect(email.html).toContain('Ada Lovelace, Alan Turing, Grace Hopper et al.');
    expect(email.html).not.toContain('Dijkstra');
    expect(email.html).toContain('Barbara Liskov, Donald Knuth<');
  });

  it('cuts the abstract at a word boundary within 300 characters, with an ellipsis', () => {
    const shown = /<div style="padding-top:10px;font-size:14px;color:#374151">([^<]*)<\/div>/.exec(email.html)?.[1] ?? '';
    expect(shown.length).toBeLessThanOrEqual(300);
    expect(shown.length).toBeGreaterThan(250);
    expect(shown.endsWith('…')).toBe(true);
    expect(longAbstract.startsWith(shown.slice(0, -1))).toBe(true);
    expect(longAbstract[shown.length - 1]).toMatch(/[\s,.]/);
  });

  it('formats engagement numbers and the why line', () => {
    expect(email.html).toContain('▲ 1,234 upvotes · 5 comments · ★ 12.3k stars');
    expect(email.html).toContain('Why: matches &quot;quantization&quot;');
  });

  it('shows only the links a paper has', () => {
    const first = cardHtml(email.html, '2611.00001');
    expect(first).toContain('>Code</a>');
    expect(first).toContain('>Hugging Face</a>');
    expect(first).not.toContain('>Project page</a>');
    const second = cardHtml(email.html, '2611.00002');
    expect(second).toContain('>Abstract</a>');
    expect(second).toContain('>PDF</a>');
    expect(second).not.toContain('>Code</a>');
    expect(second).not.toContain('>Hugging Face</a>');
  });

  it('has preference and unsubscribe links and the postal address in the footer', () => {
    expect(email.html).toContain('<a href="https://papertrend.example/preferences?token=pref123"');
    expect(email.html).toContain('<a href="https://papertrend.example/unsubscribe?token=unsub456"');
    expect(email.html).toContain('Papertrend, 1 Example Street, 10115 Berlin');
  });

  it('makes a text part with the same titles, links and footer, and no tags', () => {
    expect(email.text).toContain('1. Quantizing Transformers Without Tears');
    expect(email.text).toContain('2. Small Models, Big Claims');
    expect(email.text).toContain('Ada Lovelace, Alan Turing, Grace Hopper et al.');
    expect(email.text).toContain('https://arxiv.org/abs/2611.00001');
    expect(email.text).toContain('https://github.com/example/qwt');
    expect(email.text).toContain('Unsubscribe: https://papertrend.example/unsubscribe?token=unsub456');
    expect(email.text).toContain('Change preferences: https://papertrend.example/preferences?token=pref123');
    expect(email.text).toContain('Papertrend, 1 Example Street, 10115 Berlin');
    expect(email.text).not.toMatch(TAG);
    expect(email.text).not.toContain('&quot;');
  });

  it('keeps text-part lines short except for links', () => {
    const longLines = email.text.split('\n').filter((line) => line.length > 72 && !line.includes('https://'));
    expect(longLines).toEqual([]);
  });
});

describe('renderDigest with hostile feed text', () => {
  const email = renderDigest(
    digest([
      pick(
        {
          title: '<script>alert("pwned")</script> Attention & "Friends"',
          authors: [`O'Brien <b>`],
          abstract: 'Error &#177; 0.5 and <img src=x onerror=alert(1)>',
        },
        `matches <i>"x"</i>`,
      ),
      pick({
        title: 'Hostile links',
        links: {
          abs: 'javascript:alert(1)',
          pdf: ' JAVASCRIPT:alert(2)',
          code: 'data:text/html,<script>alert(3)</script>',
          hf: '//evil.example/relative',
          project: 'http://ok.example/project?a=1&b="2"',
        },
      }),
      pick({ title: 'Nowhere to go', links: { abs: 'vbscript:msgbox(1)', pdf: 'ftp://files.example/paper.pdf' } }),
    ]),
  );

  it('escapes markup from titles, authors, abstracts and why lines', () => {
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('<i>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Attention &amp; &quot;Friends&quot;');
    expect(email.html).toContain('O&#39;Brien &lt;b&gt;');
  });

  it('shows entity-looking feed text literally', () => {
    expect(email.html).toContain('Error &amp;#177; 0.5');
    expect(email.text).toContain('Error &#177; 0.5');
  });

  it('drops links that are not absolute http(s) URLs and escapes the ones it keeps', () => {
    expect(email.html.toLowerCase()).not.toContain('javascript:');
    expect(email.html).not.toContain('data:text');
    expect(email.html).not.toContain('evil.example');
    expect(email.html).toContain('href="http://ok.example/project?a=1&amp;b=%222%22"');
    expect(email.text.toLowerCase()).not.toContain('javascript:');
    expect(email.text).toContain('Project page: http://ok.example/project?a=1&b=%222%22');
  });

  it('leaves a title with no usable link unlinked', () => {
    expect(email.html).toContain('line-height:1.35">Nowhere to go</div>');
    expect(email.html).not.toContain('files.example');
  });

  it('refuses footer links that are not http(s), since every email needs them', () => {
    expect(() => renderDigest(digest([], { unsubscribeUrl: 'javascript:alert(1)' }))).toThrow(/unsubscribeUrl/);
  });
});

describe('renderDigest why lines', () => {
  const why: WhyPart[] = [{ text: 'Matches "quantization" in the abstract: …we ' }, { text: 'quantize <weights>', match: true }, { text: ' & more…' }];
  const email = renderDigest(digest([pick({ id: '2611.00009' }, why)]));

  it('sets the matched words in bold in the HTML, escaped', () => {
    expect(cardHtml(email.html, '2611.00009')).toContain(
      'Why: Matches &quot;quantization&quot; in the abstract: …we <b>quantize &lt;weights&gt;</b> &amp; more…',
    );
  });

  it('writes the same line in the text part without markup', () => {
    expect(email.text.replace(/\s+/g, ' ')).toContain('Why: Matches "quantization" in the abstract: …we quantize <weights> & more…');
    expect(email.text).not.toContain('<b>');
  });
});

describe('renderDigest feedback links', () => {
  const papers = [pick({ id: '2611.00001', title: 'Quantizing Transformers' }), pick({ id: '2611.00002', title: 'Small Models' })];
  const feedbackUrls = new Map([
    ['2611.00001', 'https://papertrend.example/feedback?token=fb1'],
    ['2611.00002', 'https://papertrend.example/feedback?token=fb2'],
  ]);
  const email = renderDigest(digest(papers, { feedbackUrls }));

  it('gives each card "More like this" and "Fewer like this", one token per paper and the direction in the query', () => {
    const card = cardHtml(email.html, '2611.00002');
    expect(card).toContain('<a href="https://papertrend.example/feedback?token=fb2&amp;vote=more" style="color:#1d4ed8">More like this</a>');
    expect(card).toContain('<a href="https://papertrend.example/feedback?token=fb2&amp;vote=fewer" style="color:#1d4ed8">Fewer like this</a>');
    expect(cardHtml(email.html, '2611.00001')).toContain('token=fb1&amp;vote=more');
  });

  it('gives the text part one link per card, to the page that offers both', () => {
    expect(email.text).toContain('More or fewer like this: https://papertrend.example/feedback?token=fb1\n');
    expect(email.text).not.toContain('vote=');
  });

  it('leaves them out for a paper without a link, and for one whose link is not http(s)', () => {
    const partial = renderDigest(digest(papers, { feedbackUrls: new Map([['2611.00001', 'javascript:alert(1)']]) }));
    expect(partial.html).not.toContain('like this');
    expect(partial.text).not.toContain('like this');
  });
});

describe('renderDigest size', () => {
  it('keeps 30 worst-case papers under 100 KB of HTML, within the budget', () => {
    const email = renderDigest(worstCaseDigest(30));
    expect(htmlBytes(email.html)).toBeLessThanOrEqual(DIGEST_HTML_BUDGET_BYTES);
    expect(email.html).not.toContain('<script');
    expect(email.html).toContain('papertrend.example/unsubscribe');
    expect(email.html.match(/>Code<\/a>/g)).toHaveLength(30);
    expect(email.html.match(/>More like this<\/a>/g)).toHaveLength(30);
  });

  it('renders 10 worst-case papers at full detail, with abstracts', () => {
    const email = renderDigest(worstCaseDigest(10));
    expect(htmlBytes(email.html)).toBeLessThan(DIGEST_HTML_BUDGET_BYTES);
    expect(email.html.match(/font-size:14px;color:#374151">Paper/g)).toHaveLength(10);
  });

  it('renders 30 typical papers at full detail', () => {
    const typical = Array.from({ length: 30 }, (_, n) =>
      pick({
        title: `A reasonably long paper title about efficient quantization of large language models, part ${n}`,
        abstract: longAbstract.repeat(4),
        authors: Array.from({ length: 8 }, (_, a) => `Author Number${a} Surname`),
        signals: { upvotes: 120, comments: 4, githubStars: 2300 },
        links: {
          abs: `https://arxiv.org/abs/2611.${n}`,
          pdf: `https://arxiv.org/pdf/2611.${n}`,
          hf: `https://huggingface.co/papers/2611.${n}`,
          code: `https://github.com/some-lab/efficient-quantization-${n}`,
        },
      }),
    );
    // Feedback links as long as real ones: a feedback token is ~130 characters.
    const feedbackUrls = new Map(typical.map(({ paper }) => [paper.id, `https://papertrend.example/feedback?token=${'f'.repeat(140)}`]));
    const email = renderDigest(digest(typical, { feedbackUrls }));
    expect(email.html.match(/font-size:14px;color:#374151">We study/g)).toHaveLength(30);
    expect(email.html.match(/>Fewer like this</g)).toHaveLength(30);
    expect(htmlBytes(email.html)).toBeLessThan(DIGEST_HTML_BUDGET_BYTES);
  });
});

describe('renderDigest with no papers', () => {
  const email = renderDigest(digest([]));

  it('sends a short nothing-new note with the footer', () => {
    expect(email.subject).toBe('Papertrend · Nothing new on quantization, computation and language · Sat 28 Nov');
    expect(email.html).toContain('Nothing new today');
    expect(email.html).toContain('We will write again tomorrow.');
    expect(email.html).not.toContain('{{');
    expect(email.html).toContain('papertrend.example/unsubscribe?token=unsub456');
    expect(email.text).toContain('Nothing new today');
    expect(email.text).toContain('Unsubscribe: https://papertrend.example/unsubscribe?token=unsub456');
    expect(email.text).not.toMatch(TAG);
  });

  it('speaks of the week in a weekly digest and of trending papers without topics', () => {
    const weekly = renderDigest(digest([], { frequency: 'weekly', topics: '' }));
    expect(weekly.subject).toBe('Papertrend weekly · Nothing new in trending papers · Sat 28 Nov');
    expect(weekly.html).toContain('Nothing new this week');
    expect(weekly.text).toContain('We will write again next week.');
  });
});

describe('renderDigest refuses what a mail client would mis-handle (issue 9, defect 12)', () => {
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it('writes subjects and titles without lone UTF-16 surrogates', () => {
    const email = renderDigest(digest([pick({ id: '2611.00003', title: 'Broken \uD800 title \uDFFF' })], { topics: 'quant\uD83Dization, \uDE00llm' }));
    expect(LONE_SURROGATE.test(email.subject)).toBe(false);
    expect(email.subject).toContain('quantization, llm');
    expect(LONE_SURROGATE.test(email.html)).toBe(false);
    expect(LONE_SURROGATE.test(email.text)).toBe(false);
  });

  it('leaves out a link that carries credentials', () => {
    const email = renderDigest(
      digest([
        pick({
          id: '2611.00004',
          links: { abs: 'https://arxiv.org/abs/2611.00004', pdf: 'https://arxiv.org/pdf/2611.00004', code: 'https://user:secret@github.com/example/x' },
        }),
      ]),
    );
    expect(email.html).not.toContain('secret');
    expect(email.text).not.toContain('secret');
    expect(email.html).toContain('https://arxiv.org/abs/2611.00004');
  });
});

describe('renderDigest text numbering and preheader', () => {
  const eleven = Array.from({ length: 11 }, (_, n) =>
    pick({ id: `2611.${String(n + 1).padStart(5, '0')}`, title: `Speculative decoding, part ${n + 1}`, authors: ['Ada Lovelace'] }),
  );
  const email = renderDigest(digest(eleven));

  it('aligns the titles past 9: numbers are padded, and "10. Title" keeps its space', () => {
    const numbered = email.text.split('\n').filter((line) => /^ *\d+\. /.test(line));
    expect(numbered).toHaveLength(11);
    expect(numbered[0]).toBe(' 1. Speculative decoding, part 1');
    expect(numbered[9]).toBe('10. Speculative decoding, part 10');
    const authorLines = email.text.split('\n').filter((line) => line.trim() === 'Ada Lovelace');
    expect(new Set(authorLines.map((line) => line.indexOf('Ada')))).toEqual(new Set([4]));
  });

  it('keeps three-space numbering up to 9 papers', () => {
    expect(renderDigest(digest(eleven.slice(0, 9))).text).toContain('\n9. Speculative decoding, part 9\n   Ada Lovelace');
  });

  it('previews the top paper and how many more follow, then pads the inbox line', () => {
    expect(email.html).toMatch(/overflow:hidden;">Speculative decoding, part 1 · and 10 more papers(&#847;&zwnj;&nbsp;)+<\/div>/);
    expect(renderDigest(digest(eleven.slice(0, 1))).html).toMatch(/overflow:hidden;">Speculative decoding, part 1&#847;/);
  });
});

describe('the View-in-browser link and the web version', () => {
  const viewUrl = 'https://papertrend.example/digest?token=view789';
  const papers = [pick({ id: '2611.00001', title: 'Quantizing Transformers Without Tears' }), pick({ id: '2611.00002', title: 'Rotations before rounding' })];
  const email = renderDigest(digest(papers, { viewUrl }));
  /** The text a reader sees, in order, without tags. */
  const visibleText = (html: string) =>
    html
      .slice(html.indexOf('<body'))
      .replace(/<div style="display:none[^>]*>.*?<\/div>/, '')
      .replace(/<!--.*?-->/gs, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();

  it('heads the email, after the preheader and its padding, so the inbox line still reads as the top paper', () => {
    expect(email.html).toContain(`<a href="${viewUrl}" style="color:#ffffff;text-decoration:underline">View in browser</a>`);
    const preheader = email.html.indexOf('overflow:hidden;">Quantizing Transformers Without Tears · and 1 more paper&#847;');
    expect(preheader).toBeGreaterThan(0);
    expect(email.html.indexOf('View in browser')).toBeGreaterThan(preheader);
    expect(visibleText(email.html)).toMatch(/^View in browser Papertrend · Daily digest Saturday 28 November 2026 2 papers on quantization, cat:cs.CL /);
  });

  it('is in the text part under the header, whose first lines still say what the email is', () => {
    expect(email.text.split('\n').slice(0, 5)).toEqual([
      'Papertrend · Daily digest',
      'Saturday 28 November 2026',
      '2 papers on quantization, cat:cs.CL',
      '',
      `View in browser: ${viewUrl}`,
    ]);
  });

  it('is left out when no link is given, and refused when it is not http(s)', () => {
    expect(renderDigest(digest(papers)).html).not.toContain('View in browser');
    expect(renderDigest(digest(papers)).text).not.toContain('View in browser');
    expect(() => renderDigest(digest(papers, { viewUrl: 'javascript:alert(1)' }))).toThrow(RangeError);
  });

  it('makes the web version from the same HTML: full detail, no link to itself, a page title and language, not indexed', () => {
    const page = renderDigestPage(digest(papers, { viewUrl }));
    expect(page).not.toContain('View in browser');
    expect(page).toMatch(
      /^<!doctype html> <html lang="en"[^>]*> <head> <meta name="robots" content="noindex"> <title>Papertrend · 2 new papers: quantization, computation and language · Sat 28 Nov<\/title>/,
    );
    expect(page).toBe(renderDigest(digest(papers)).html.replace('<head>', '<head> <meta name="robots" content="noindex">'));
  });
});

describe("the topic's words in the card's abstract", () => {
  const paper = makePaper({ id: '2611.00042', abstract: `<b>Fake</b> & quantization${' filler words here'.repeat(20)} quantization at the end.` });
  const spans = [...paper.abstract.matchAll(/quantization/g)].map((found) => ({ start: found.index, end: found.index + 'quantization'.length }));
  const picked: PickedPaper = { paper, score: 1, why: [{ text: 'Matches "quantization" in the abstract' }], abstractMatches: spans };

  it('are set in bold where the card shows them, the rest escaped, a match past the cut left out', () => {
    const card = cardHtml(renderDigest(digest([picked])).html, '2611.00042');
    expect(card).toContain('&lt;b&gt;Fake&lt;/b&gt; &amp; <b>quantization</b> filler words here');
    expect(card.match(/<b>quantization<\/b>/g)).toHaveLength(1);
    expect(card).not.toContain('at the end');
  });

  it('stay plain in the text part, and the same abstract without matches has no bold', () => {
    expect(renderDigest(digest([picked])).text).toContain('<b>Fake</b> & quantization filler words here');
    expect(cardHtml(renderDigest(digest([{ ...picked, abstractMatches: [] }])).html, '2611.00042')).not.toContain('<b>');
  });
});

describe('digestTemplateView (what the benchmarks fill the MJML source with)', () => {
  // Without the header comment, which names the placeholder syntax, as bench/e2e.ts reads it.
  const source = Template.parse(readFileSync(resolve(__dirname, '../../../templates/digest.mjml'), 'utf8').replace(/^<!--[\s\S]*?-->/, ''), escapeHtml);
  const picked = [pick({ id: '2611.00077', title: 'Quantized attention' })];

  it('fills every placeholder of the source, with feedback links or without', () => {
    const without = source.render(digestTemplateView(digest(picked)));
    expect(without).toContain('Quantized attention');
    expect(without).not.toContain('More like this');
    const feedbackUrls = new Map([['2611.00077', 'https://papertrend.example/feedback?token=f']]);
    expect(source.render(digestTemplateView(digest(picked, { feedbackUrls })))).toContain('https://papertrend.example/feedback?token=f&amp;vote=more');
  });
});
