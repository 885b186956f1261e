// Merges records of the same paper (from HF and arXiv, or from two days) into one.
import type { Paper } from './model';

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

/** The longer of two texts: sources truncate differently, and the fuller one reads better. */
function fuller(a: string, b: string): string {
  return b.length > a.length ? b : a;
}

/**
 * Merge two records of the same paper. Signals take the maximum (they only grow over a day),
 * arXiv's categories and authors win over HF's, links and listings are unioned.
 */
export function mergePaper(a: Paper, b: Paper): Paper {
  if (a.id !== b.id) throw new Error(`cannot merge different papers ${a.id} and ${b.id}`);
  const arxivFirst = b.sources.includes('arxiv') && !a.sources.includes('arxiv') ? [b, a] : [a, b];
  const [primary, secondary] = arxivFirst as [Paper, Paper];
  const summary = primary.summary ?? secondary.summary;
  const arxiv = newerRecord(a.arxiv, b.arxiv);
  return {
    id: a.id,
    title: primary.title || secondary.title,
    abstract: fuller(primary.abstract, secondary.abstract),
    authors: primary.authors.length > 0 ? primary.authors : secondary.authors,
    categories: union(primary.categories, secondary.categories),
    publishedAt: [a.publishedAt, b.publishedAt].filter(Boolean).sort()[0] ?? a.publishedAt,
    links: { ...secondary.links, ...primary.links, ...pickDefined(secondary.links, ['hf', 'code', 'project']) },
    signals: {
      upvotes: Math.max(a.signals.upvotes, b.signals.upvotes),
      comments: Math.max(a.signals.comments, b.signals.comments),
      githubStars: Math.max(a.signals.githubStars, b.signals.githubStars),
    },
    keywords: union(a.keywords, b.keywords),
    ...(summary === undefined ? {} : { summary }),
    ...(arxiv === undefined ? {} : { arxiv }),
    sources: union(a.sources, b.sources).sort(),
    listedOn: union(a.listedOn, b.listedOn).sort(),
  };
}

/** arXiv's record of the later version; on a tie the first one. */
function newerRecord(a: Paper['arxiv'], b: Paper['arxiv']): Paper['arxiv'] {
  if (!a || !b) return a ?? b;
  return b.latestVersion > a.latestVersion ? b : a;
}

/** Keep the defined optional links of `links` so a record without them never erases them. */
function pickDefined(links: Paper['links'], keys: Array<'hf' | 'code' | 'project'>): Partial<Paper['links']> {
  const out: Partial<Paper['links']> = {};
  for (const key of keys) {
    const value = links[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Collapse a list that may hold the same paper several times into one record per id, in first-seen order. */
export function mergeById(papers: readonly Paper[]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const paper of papers) {
    const seen = byId.get(paper.id);
    byId.set(paper.id, seen ? mergePaper(seen, paper) : paper);
  }
  return [...byId.values()];
}
