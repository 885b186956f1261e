// Builds Paper records for tests (overridable defaults, partial signals) and realistic-looking days of papers for benchmarks.
import type { Paper, PaperSignals } from '../lambdas/core/model';

/** Any Paper field, with `signals` given in part. */
export type PaperOverrides = Partial<Omit<Paper, 'signals'>> & { signals?: Partial<PaperSignals> };

let counter = 0;

/** A paper with neutral text (matching no likely topic), no signals and a fixed publication time. */
export function makePaper(overrides: PaperOverrides = {}): Paper {
  counter += 1;
  const id = overrides.id ?? `2608.${counter.toString().padStart(5, '0')}`;
  const { signals, ...rest } = overrides;
  return {
    id,
    title: 'Untitled test paper',
    abstract: 'An abstract about nothing in particular.',
    authors: ['Test Author'],
    categories: [],
    publishedAt: '2026-08-13T00:00:00.000Z',
    links: { abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` },
    keywords: [],
    sources: ['hf'],
    listedOn: [],
    ...rest,
    signals: { upvotes: 0, comments: 0, githubStars: 0, ...signals },
  };
}

/**
 * `count` papers drawn from a fixed vocabulary with a seeded generator, listed round the `days`
 * (UTC, YYYY-MM-DD) in turn, each published up to three days before the end of its day (or `now`).
 */
export function syntheticPapers(options: { count: number; now: Date; days: readonly string[] }): Paper[] {
  const words = (
    'quantization pruning distillation transformer attention sparse mixture experts reinforcement learning policy reward ' +
    'diffusion video image segmentation detection language model multilingual speech audio retrieval agent planning ' +
    'robotics world model benchmark evaluation alignment safety reasoning mathematics code generation graph neural ' +
    'optimization scaling efficient inference memory long context tokenizer embedding contrastive self supervised'
  ).split(' ');
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const phrase = (length: number) => Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ');
  const categories = ['cs.CL', 'cs.LG', 'cs.AI', 'cs.CV', 'cs.RO', 'eess.AS', 'stat.ML'];
  return Array.from({ length: options.count }, (_, n) => {
    const day = options.days[n % options.days.length]!;
    const dayEnd = Math.min(options.now.getTime(), Date.parse(`${day}T00:00:00Z`) + 86_400_000);
    return makePaper({
      id: `2611.${String(n).padStart(5, '0')}`,
      title: phrase(10),
      abstract: phrase(180),
      authors: Array.from({ length: 1 + Math.floor(random() * 8) }, (_, a) => (a === 0 && n % 40 === 0 ? 'Tri Dao' : `Author ${n}-${a}`)),
      categories: [categories[n % categories.length]!, categories[(n * 3) % categories.length]!],
      keywords: [phrase(2), phrase(1)],
      publishedAt: new Date(dayEnd - (n % 72) * 3600_000).toISOString(),
      listedOn: [day],
      signals: { upvotes: Math.floor(random() * 200), comments: Math.floor(random() * 20), githubStars: Math.floor(random() * 3000) },
    });
  });
}
