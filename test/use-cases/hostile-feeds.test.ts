// Hostile feed files (test/fixtures/hostile) replayed the way `rank` and `preview` read them: they finish, bad input is skipped and named, output is escaped (issue 9, prove-it 4).
import path from 'node:path';
import { replaySources } from '../../lambdas/adapters/replay-source';
import type { SkippedItem } from '../../lambdas/core/model';
import { renderDigest } from '../../lambdas/core/render/digest-email';
import { selectPapersFor } from '../../lambdas/core/select-papers';
import { FIELD_LIMITS } from '../../lambdas/core/sources/field-limits';
import { PAPERS_PER_EMAIL } from '../../lambdas/core/subscription';
import type { Logger } from '../../lambdas/ports';
import { collectPapers } from '../../lambdas/use-cases/fetch-papers';

const HOSTILE = path.resolve(__dirname, '../fixtures/hostile');
const DAY = '2026-11-28';
const NOW = new Date(`${DAY}T12:00:00Z`);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const footer = {
  preferencesUrl: 'https://papertrend.example/preferences?token=p',
  unsubscribeUrl: 'https://papertrend.example/unsubscribe?token=u',
  postalAddress: 'Papertrend\n1 Example Street',
};

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };

describe('hostile feed files, replayed as rank and preview read them', () => {
  let skipped: SkippedItem[];
  let papers: Awaited<ReturnType<typeof collectPapers>>['papers'];

  beforeAll(async () => {
    const batches = await Promise.all(replaySources(HOSTILE).map((source) => source.fetchDay(DAY)));
    skipped = batches.flatMap((batch) => batch.skipped);
    ({ papers } = await collectPapers({ sources: replaySources(HOSTILE), logger: silent, metrics: { count: () => {} } }, DAY));
  });

  it('reads the good files next to the bad ones', () => {
    const ids = papers.map((paper) => paper.id);
    expect(ids).toEqual(expect.arrayContaining(['2611.40001', '2611.40002', '2611.40003', '2611.40004', '2611.40012']));
  });

  it('skips and names every unreadable file and every item without an id or title', () => {
    const reasons = skipped.map((item) => item.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^file skipped: hf-not-an-array-2026-11-28\.json: /),
        expect.stringMatching(/^file skipped: arxiv-external-entity-2026-11-28\.xml: /),
        expect.stringMatching(/^file skipped: arxiv-not-xml-2026-11-28\.xml: /),
        'item 0: invalid item (expected object)',
        'item 0: missing paper.id',
        'item 2: paper.id is not an arXiv id',
        'entry 0: missing id',
        'entry 1: id is not an arXiv id',
        'entry 2: missing title',
      ]),
    );
    expect(reasons.join('\n')).not.toMatch(/passwd|root:/);
  });

  it('stores every field within its cap', () => {
    for (const paper of papers) {
      expect(paper.title.length).toBeLessThanOrEqual(FIELD_LIMITS.title);
      expect(paper.abstract.length).toBeLessThanOrEqual(FIELD_LIMITS.abstract);
      expect(paper.authors.length).toBeLessThanOrEqual(FIELD_LIMITS.authors.count);
      expect(paper.keywords.length).toBeLessThanOrEqual(FIELD_LIMITS.keywords.count);
      expect(Buffer.byteLength(JSON.stringify(paper))).toBeLessThan(300_000);
      for (const url of Object.values(paper.links)) expect(url).toMatch(/^https?:\/\/[^/@]+\//);
    }
  });

  it.each(['quantization', 'scripted, "data link", laughs, mallory', ''])('ranks and renders with topics %p: only escaped text and http(s) links', (topics) => {
    const picked = selectPapersFor({ topics, maxPapers: PAPERS_PER_EMAIL.max }, papers, { now: NOW, alreadySent: new Set() });
    expect(picked.length).toBeGreaterThan(0);
    const email = renderDigest({ date: DAY, frequency: 'daily', topics, papers: picked, ...footer });
    const hrefs = [...email.html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((match) => match[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\/[^/@]+\//);
    for (const part of [email.subject, email.html, email.text]) {
      expect(part).not.toMatch(/<script|<iframe|<img|onerror|onmouseover|javascript:|data:text|secret@/i);
      expect(LONE_SURROGATE.test(part)).toBe(false);
    }
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});
