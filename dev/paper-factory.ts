// Builds Paper records for tests, with overridable defaults and partial signals.
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
