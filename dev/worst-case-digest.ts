// A DigestContent at the limits of every field (markup-laden text, 40 authors, long links, huge counts), for size tests and benchmarks.
import type { DigestContent, PickedPaper } from '../lambdas/core/model';
import { makePaper } from './paper-factory';

const HOSTILE_WORDS = `<script>alert("x")</script> & 'quoted' "double" <b>bold</b> &#177; a<b c>d`;

function hostileText(length: number, seed: number): string {
  const sentence = `Paper ${seed}: scaling ${HOSTILE_WORDS} transformers with mixture-of-experts routing. `;
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

/** ~330 characters once normalised: feeds give code and project links verbatim; arXiv and HF links are built from the id. */
function longUrl(host: string, seed: number): string {
  const query = Array.from({ length: 6 }, (_, n) => `param${n}=value_${seed}_${n}&x${n}="<y>"`).join('&');
  return `https://${host}/${'deeply/nested/path/'.repeat(3)}${seed}?${query}`;
}

/** `paperCount` papers where every field is as long and as full of HTML-special characters as the feeds allow. */
export function worstCaseDigest(paperCount: number): DigestContent {
  const papers: PickedPaper[] = Array.from({ length: paperCount }, (_, n) => ({
    paper: makePaper({
      id: `2611.${String(n).padStart(5, '0')}`,
      title: hostileText(600, n),
      abstract: hostileText(4000, n),
      authors: Array.from({ length: 40 }, (_, a) => `Zoë "Ann" O'Brien-<Müller> & Søren ${n}-${a} van der Long-Surname`),
      categories: ['cs.CL', 'cs.LG', 'cs.AI', 'stat.ML'],
      links: {
        abs: `https://arxiv.org/abs/2611.${String(n).padStart(5, '0')}`,
        pdf: `https://arxiv.org/pdf/2611.${String(n).padStart(5, '0')}`,
        hf: `https://huggingface.co/papers/2611.${String(n).padStart(5, '0')}`,
        code: longUrl('github.com', n),
        project: longUrl('example-project-page.github.io', n),
      },
      signals: { upvotes: 987_654_321, comments: 123_456, githubStars: 9_876_543 },
    }),
    score: 1 - n / 1000,
    why: [{ text: 'matches ' }, { text: hostileText(200, n), match: true }, { text: ` ${hostileText(200, n + 1)}` }],
  }));
  return {
    date: '2026-11-28',
    frequency: 'daily',
    topics: `quantization, "state space model", cat:cs.CL, author:"O'Brien", ${hostileText(300, 0)}`,
    papers,
    // As long as real feedback links (a token of ~130 characters) on a longer site address than most.
    feedbackUrls: new Map(papers.map(({ paper }) => [paper.id, `https://papertrend.example/feedback?token=${'f'.repeat(140)}`])),
    preferencesUrl: `https://papertrend.example/preferences?token=${'t'.repeat(300)}`,
    unsubscribeUrl: `https://papertrend.example/unsubscribe?token=${'u'.repeat(300)}`,
    postalAddress: 'Papertrend, 1 Long Example Street, Suite <100> & "Co", 10115 Berlin, Germany',
  };
}
