// Benchmark: our digest render path against mjml2html per digest, digest sizes, and selection for 1,000 subscribers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMjml } from '../bin/build-templates';
import { digestTemplateView, renderDigest } from '../lambdas/core/render/digest-email';
import { escapeHtml } from '../lambdas/core/render/html';
import { Template } from '../lambdas/core/render/template';
import type { DigestContent } from '../lambdas/core/model';
import { seedSubscribers } from '../dev/seed-subscribers';
import { buildPaperIndex, selectPapersFor } from '../lambdas/core/select-papers';
import { syntheticPapers } from '../dev/paper-factory';
import { worstCaseDigest } from '../dev/worst-case-digest';

const NOW = new Date('2026-11-28T08:00:00Z');

/** Mean milliseconds per call of `run`, after `warmup` untimed calls. */
async function msPerCall(run: () => unknown, calls: number, warmup = Math.ceil(calls / 10)): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) await run();
  return Number(process.hrtime.bigint() - started) / 1e6 / calls;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const LINKS = {
  preferencesUrl: 'https://papertrend.example/preferences?token=aGVsbG8td29ybGQtdG9rZW4tdmFsdWUtaGVyZQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtMTIz',
  unsubscribeUrl: 'https://papertrend.example/unsubscribe?token=aGVsbG8td29ybGQtdG9rZW4tdmFsdWUtaGVyZQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtMTIz',
  postalAddress: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
};

/**
 * mjml2html per digest, the path we avoid: fill the MJML source with the same values, then compile
 * it with the options the build uses (compileMjml), so both paths make the same email.
 */
async function mjmlRender(content: DigestContent): Promise<string> {
  return compileMjml(mjmlTemplate.render(digestTemplateView(content)), TEMPLATE_PATH);
}

// The leading comment documents the placeholder syntax with sample placeholders; mjml drops it anyway.
const TEMPLATE_PATH = join(__dirname, '..', 'templates', 'digest.mjml');
const mjmlSource = readFileSync(TEMPLATE_PATH, 'utf8').replace(/^<!--[\s\S]*?-->/, '');
const mjmlTemplate = Template.parse(mjmlSource, escapeHtml);

async function main(): Promise<void> {
  const papers = syntheticPapers({ count: 500, now: NOW, days: ['2026-11-28'] });
  const subscribers = seedSubscribers({
    count: 1000,
    now: NOW,
    newId: (() => {
      let n = 0;
      return () => `bench-${(n += 1)}`;
    })(),
  });

  // Selection: index the day once, then rank and pick for every subscriber's filter.
  let digests: DigestContent[] = [];
  const selectMsPer1000Subscribers = await msPerCall(
    () => {
      const index = buildPaperIndex(papers, NOW);
      digests = subscribers.map((subscriber) => ({
        date: '2026-11-28',
        frequency: subscriber.frequency,
        topics: subscriber.topics,
        papers: selectPapersFor(subscriber, index, { now: NOW, alreadySent: new Set() }),
        ...LINKS,
      }));
    },
    5,
    1,
  );
  const tenPaperDigests = digests.filter((digest) => digest.papers.length === 10);

  // Rendering as the sender does it: every subscriber's digest of the day, papers shared between them.
  const renderMsPerDigest =
    (await msPerCall(
      () => {
        for (const digest of tenPaperDigests) renderDigest(digest);
      },
      5,
      0,
    )) / tenPaperDigests.length;
  // The same digests with every paper a fresh object, as when each digest reads its papers anew.
  const coldDigests = tenPaperDigests.slice(0, 100);
  let coldMs = 0;
  for (let round = 0; round < 3; round += 1) {
    const fresh = coldDigests.map((digest) => ({ ...digest, papers: digest.papers.map((pick) => ({ ...pick, paper: { ...pick.paper } })) }));
    coldMs += await msPerCall(
      () => {
        for (const digest of fresh) renderDigest(digest);
      },
      1,
      0,
    );
  }
  const renderMsPerDigestUnshared = coldMs / 3 / coldDigests.length;
  const mjmlSample = tenPaperDigests.slice(0, 20);
  const mjmlMsPerDigest =
    (await msPerCall(
      async () => {
        for (const digest of mjmlSample) await mjmlRender(digest);
      },
      2,
      1,
    )) / mjmlSample.length;

  // The worst case: every field at its limit, nothing shared (fresh papers each call).
  const renderMsPerWorstCaseDigest = await msPerCall(() => renderDigest(worstCaseDigest(10)), 200);
  const mjmlMsPerWorstCaseDigest = await msPerCall(() => mjmlRender(worstCaseDigest(10)), 20);
  const ten = worstCaseDigest(10);
  const thirty = worstCaseDigest(30);

  const result = {
    renderMsPerDigest: round(renderMsPerDigest),
    mjmlMsPerDigest: round(mjmlMsPerDigest),
    renderSpeedup: round(mjmlMsPerDigest / renderMsPerDigest, 1),
    renderMsPerDigestUnshared: round(renderMsPerDigestUnshared),
    unsharedSpeedup: round(mjmlMsPerDigest / renderMsPerDigestUnshared, 1),
    renderMsPerWorstCaseDigest: round(renderMsPerWorstCaseDigest),
    mjmlMsPerWorstCaseDigest: round(mjmlMsPerWorstCaseDigest),
    worstCaseSpeedup: round(mjmlMsPerWorstCaseDigest / renderMsPerWorstCaseDigest, 1),
    tenPaperDigestsRendered: tenPaperDigests.length,
    htmlBytes10: bytes(renderDigest(ten).html),
    htmlBytes30: bytes(renderDigest(thirty).html),
    htmlBudgetBytes: 100_000,
    selectMsPer1000Subscribers: round(selectMsPer1000Subscribers, 1),
    papersPerDay: papers.length,
    node: process.version,
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
