// The sample feed stands in for the live sources on a machine with no internet: it must parse and give every seeded reader a digest.
import { resolve } from 'node:path';
import { ReplaySource } from '../lambdas/adapters/replay-source';
import { mergeById } from '../lambdas/core/merge-papers';
import { seedSubscribers } from '../dev/seed-subscribers';
import { selectPapersFor } from '../lambdas/core/select-papers';

const SAMPLES = resolve(__dirname, '..', 'samples');

describe('the sample feed in samples/', () => {
  it('parses without skipping anything, and HF and arXiv records of each paper merge into one', async () => {
    const batch = await new ReplaySource({ dir: SAMPLES, name: 'sample feed' }).fetchDay('2026-11-28');
    expect(batch.skipped).toEqual([]);
    // Merged by id as the fetch use case merges what its sources list.
    const papers = mergeById(batch.papers);
    expect(papers).toHaveLength(12);
    for (const paper of papers) {
      expect(paper.sources).toEqual(['arxiv', 'hf']);
      expect(paper.categories.length).toBeGreaterThan(0);
    }
  });

  it('gives every seeded topic filter at least one paper, so `npm run digest` mails every seeded reader', async () => {
    const papers = mergeById((await new ReplaySource({ dir: SAMPLES }).fetchDay('2026-11-28')).papers);
    const now = new Date('2026-11-28T12:00:00Z');
    const readers = seedSubscribers({ count: 12, now, newId: () => 'seed' });
    expect(new Set(readers.map((reader) => reader.topics)).size).toBe(12);
    for (const reader of readers) {
      const picked = selectPapersFor(reader, papers, { now, alreadySent: new Set() });
      expect({ topics: reader.topics, picked: picked.length > 0 }).toEqual({ topics: reader.topics, picked: true });
    }
  });
});
