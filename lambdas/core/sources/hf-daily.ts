// Parses a Hugging Face daily papers API response (2024 legacy, 2025 and current schemas) into papers.
import * as z from '../zod';
import type { Paper, SkippedItem, SourceBatch } from '../model';
import { arxivLinks, normaliseArxivId } from './arxiv-id';
import { FIELD_LIMITS } from './field-limits';
import { cleanField, cleanTexts, count, httpUrl, isoTimestamp } from './paper-fields';
import { SourceFormatError } from './source-format-error';

/** An optional field whose wrong type drops the field, not the paper. */
function lenient<T extends z.ZodMiniType>(schema: T) {
  return z.catch(z.optional(schema), undefined);
}

/**
 * Fields HF has served on the item, on item.paper, or on both, depending on the schema year:
 * titles and summaries on both since 2025, ai_* and GitHub fields on the paper, comments on the item.
 */
const sharedFields = {
  title: lenient(z.string()),
  summary: lenient(z.string()),
  publishedAt: lenient(z.string()),
  upvotes: lenient(z.number()),
  numComments: lenient(z.number()),
  githubRepo: lenient(z.string()),
  githubStars: lenient(z.number()),
  projectPage: lenient(z.string()),
  ai_summary: lenient(z.string()),
  ai_keywords: lenient(z.array(z.string())),
};

const hfAuthorSchema = z.looseObject({ name: z.string() });

const hfPaperSchema = z.looseObject({
  ...sharedFields,
  id: z.string(),
  authors: lenient(z.array(z.unknown())),
});

const hfItemSchema = z.looseObject({ ...sharedFields, paper: hfPaperSchema });

type HfItem = z.output<typeof hfItemSchema>;

/**
 * Papers from one HF daily papers response, listed on `day`. `payload` is the parsed JSON or its
 * text. Items without an arXiv id or a title, or of the wrong shape, are skipped with a reason;
 * an id listed twice stays twice (the fetch use case merges). Throws SourceFormatError when the
 * payload is not a JSON array.
 */
export function parseHfDaily(payload: unknown, day: string): SourceBatch {
  const items = readArray(payload);
  const papers: Paper[] = [];
  const skipped: SkippedItem[] = [];
  for (const [index, raw] of items.entries()) {
    const parsed = hfItemSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ source: 'hf', reason: `item ${index}: ${describeIssue(parsed.error.issues[0], raw)}`, ...idOf(raw) });
      continue;
    }
    const paper = toPaper(parsed.data, day);
    if (typeof paper === 'string') skipped.push({ source: 'hf', reason: `item ${index}: ${paper}`, ...idOf(raw) });
    else papers.push(paper);
  }
  return { source: 'hf', papers, skipped };
}

function readArray(payload: unknown): unknown[] {
  let value = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch {
      throw new SourceFormatError('HF daily papers response is not JSON');
    }
  }
  if (!Array.isArray(value)) {
    throw new SourceFormatError(`HF daily papers response is not a JSON array (got ${value === null ? 'null' : typeof value})`);
  }
  return value;
}

/** The paper, or the reason it cannot be one. */
function toPaper(item: HfItem, day: string): Paper | string {
  const { paper } = item;
  const id = normaliseArxivId(paper.id);
  if (id === undefined) return 'paper.id is not an arXiv id';
  const title = cleanField(paper.title ?? item.title ?? '', FIELD_LIMITS.title);
  if (title === '') return 'missing title';
  const code = httpUrl(paper.githubRepo ?? item.githubRepo);
  const project = httpUrl(paper.projectPage ?? item.projectPage);
  const summary = cleanField(paper.ai_summary ?? item.ai_summary ?? '', FIELD_LIMITS.summary);
  return {
    id,
    title,
    abstract: cleanField(paper.summary ?? item.summary ?? '', FIELD_LIMITS.abstract),
    authors: cleanTexts(
      (paper.authors ?? []).flatMap((author) => {
        const named = hfAuthorSchema.safeParse(author);
        return named.success ? [named.data.name] : [];
      }),
      FIELD_LIMITS.authors,
    ),
    categories: [],
    publishedAt: isoTimestamp(paper.publishedAt ?? item.publishedAt, day),
    links: {
      ...arxivLinks(id),
      hf: `https://huggingface.co/papers/${id}`,
      ...(code ? { code } : {}),
      ...(project ? { project } : {}),
    },
    signals: {
      upvotes: Math.max(count(paper.upvotes), count(item.upvotes)),
      comments: Math.max(count(paper.numComments), count(item.numComments)),
      githubStars: Math.max(count(paper.githubStars), count(item.githubStars)),
    },
    keywords: cleanTexts(paper.ai_keywords ?? item.ai_keywords ?? [], FIELD_LIMITS.keywords),
    ...(summary ? { summary } : {}),
    sources: ['hf'],
    listedOn: [day],
  };
}

/** Where and how an item broke the schema, without quoting its content. */
function describeIssue(issue: z.core.$ZodIssue | undefined, raw: unknown): string {
  if (!issue) return 'invalid item';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'item';
  if (issue.code !== 'invalid_type') return `invalid ${where} (${issue.code})`;
  return valueAt(raw, issue.path) === undefined ? `missing ${where}` : `invalid ${where} (expected ${issue.expected})`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The item's arXiv id, when it has a readable one, for the skip report. */
function idOf(raw: unknown): { id?: string } {
  const paper = typeof raw === 'object' && raw !== null ? (raw as { paper?: unknown }).paper : undefined;
  const rawId = typeof paper === 'object' && paper !== null ? (paper as { id?: unknown }).id : undefined;
  const id = typeof rawId === 'string' ? normaliseArxivId(rawId) : undefined;
  return id ? { id } : {};
}
