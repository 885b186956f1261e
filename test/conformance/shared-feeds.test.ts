// Conformance: the parsers over the real responses recorded in ../shared/feeds, when that folder exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { replaySources } from '../../lambdas/adapters/replay-source';
import type { Paper, SourceBatch } from '../../lambdas/core/model';
import { dayFromFileName, parseRecorded } from '../../lambdas/core/sources/parse-recorded';

// ../shared/feeds beside the checkout; SHARED_FEEDS_DIR names it for a clone made elsewhere (see .ci/run).
const FEEDS_DIR = process.env.SHARED_FEEDS_DIR ? path.resolve(process.env.SHARED_FEEDS_DIR) : path.resolve(__dirname, '../../../shared/feeds');
const describeIfFeeds = existsSync(FEEDS_DIR) ? describe : describe.skip;

interface Expectation {
  /** Items in the file: papers plus skipped. */
  items: number;
  sample: {
    id: string;
    titleStart: string;
    firstAuthor: string;
    /** The first category (arXiv's primary); HF lists none. */
    firstCategory?: string;
    signals?: Partial<Paper['signals']>;
  };
}

/** Every recorded file, with its exact item count and one paper read by hand from the file. */
const EXPECTED: Record<string, Expectation> = {
  'hf-daily-2024-05-27.json': {
    items: 13,
    sample: {
      id: '2405.15738',
      titleStart: 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models',
      firstAuthor: 'Chunjiang Ge',
      signals: { upvotes: 32, comments: 3, githubStars: 0 },
    },
  },
  'hf-daily-2025-10-01.json': {
    items: 37,
    sample: {
      id: '2509.25541',
      titleStart: 'Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified Self-Play',
      firstAuthor: 'Qinsi Wang',
      signals: { upvotes: 55, comments: 1, githubStars: 6 },
    },
  },
  'hf-daily-2026-06-12-nodate.json': {
    items: 30,
    sample: {
      id: '2606.13681',
      titleStart: 'EvoArena: Tracking Memory Evolution',
      firstAuthor: 'Jundong Xu',
      signals: { upvotes: 118, comments: 3, githubStars: 9 },
    },
  },
  'hf-daily-2026-08-11.json': {
    items: 20,
    sample: { id: '2608.09802', titleStart: 'SWE-Bench ProMax: Benchmarking Agents', firstAuthor: 'Yuling Shi', signals: { upvotes: 70, comments: 1 } },
  },
  'hf-daily-2026-08-13.json': {
    items: 20,
    sample: {
      id: '2608.00677',
      titleStart: 'OpenART: Scaling Agent Red Teaming',
      firstAuthor: 'Yunhao Chen',
      signals: { upvotes: 98, comments: 2, githubStars: 8 },
    },
  },
  'hf-daily-2026-08-14.json': {
    items: 23,
    sample: {
      id: '2608.13489',
      titleStart: 'DreamX-Phi 1.0: Action-Conditioned Video World Model',
      firstAuthor: 'DreamX Team',
      signals: { upvotes: 61, comments: 2, githubStars: 23 },
    },
  },
  'arxiv-atom-all-electron-2025-11-21.xml': {
    items: 10,
    sample: { id: 'cond-mat/0011267', titleStart: 'The electronic structure of cuprates', firstAuthor: 'Mark S. Golden', firstCategory: 'cond-mat.supr-con' },
  },
  'arxiv-atom-cat-cs.LG-OR-cs.AI-2026-04-30.xml': {
    items: 20,
    sample: { id: '2604.26951', titleStart: 'Turning the TIDE: Cross-Architecture Distillation', firstAuthor: 'Gongbo Zhang', firstCategory: 'cs.CL' },
  },
  'arxiv-atom-oldformat-all-Einstein-2018-02-05.xml': {
    items: 10,
    sample: {
      id: '1801.05533',
      titleStart: 'Einstein-Weyl structures on almost cosymplectic manifolds',
      firstAuthor: 'Xiaomin Chen',
      firstCategory: 'math.DG',
    },
  },
  'arxiv-rss-cs.LG-2026-04-27.xml': {
    items: 3,
    sample: { id: '2604.21952', titleStart: 'Focus Session: Hardware and Software Techniques', firstAuthor: 'Muhammad Shafique', firstCategory: 'cs.LG' },
  },
};

const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?\/\d{7})$/;

describeIfFeeds('recorded responses in ../shared/feeds', () => {
  const recordedFiles = existsSync(FEEDS_DIR)
    ? readdirSync(FEEDS_DIR)
        .filter((name) => /\.(json|xml)$/.test(name))
        .sort()
    : [];
  const read = (name: string) => readFileSync(path.join(FEEDS_DIR, name), 'utf8');
  const batches = new Map<string, SourceBatch>();
  const batchOf = (name: string): SourceBatch => {
    let batch = batches.get(name);
    if (!batch) {
      batch = parseRecorded(name, read(name), dayFromFileName(name) ?? '2000-01-01');
      batches.set(name, batch);
    }
    return batch;
  };
  const paperOf = (name: string, id: string): Paper => {
    const paper = batchOf(name).papers.find((candidate) => candidate.id === id);
    if (!paper) throw new Error(`${name} has no paper ${id}`);
    return paper;
  };

  it('has an exact expectation for every recorded file, so a new file fails loudly', () => {
    expect(recordedFiles).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    it(`yields exactly ${expected.items} items, none skipped`, () => {
      const batch = batchOf(name);
      expect(batch.skipped).toEqual([]);
      expect(batch.papers.length + batch.skipped.length).toBe(expected.items);
      expect(batch.source).toBe(name.startsWith('hf-') ? 'hf' : 'arxiv');
    });

    it(`reads ${expected.sample.id} as recorded`, () => {
      const paper = paperOf(name, expected.sample.id);
      expect(paper.title.startsWith(expected.sample.titleStart)).toBe(true);
      expect(paper.authors[0]).toBe(expected.sample.firstAuthor);
      if (expected.sample.firstCategory) expect(paper.categories[0]).toBe(expected.sample.firstCategory);
      else expect(paper.categories).toEqual([]);
      if (expected.sample.signals) expect(paper.signals).toMatchObject(expected.sample.signals);
      expect(paper.links.abs).toBe(`https://arxiv.org/abs/${expected.sample.id}`);
      expect(paper.listedOn).toEqual([dayFromFileName(name)]);
    });

    it('gives every paper an arXiv id, a one-line plain title, authors, an abstract and a timestamp', () => {
      for (const paper of batchOf(name).papers) {
        expect(paper.id).toMatch(ARXIV_ID);
        expect(paper.title).not.toBe('');
        expect(paper.title).not.toMatch(/[\n\r\t]|\s{2}|<\/?[a-zA-Z]/);
        expect(paper.title).not.toMatch(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i);
        expect(paper.abstract).not.toBe('');
        expect(paper.authors.length).toBeGreaterThan(0);
        expect(paper.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        for (const category of paper.categories) expect(category).toMatch(/^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?$/);
      }
    });
  });

  it('collapses the wrapped titles of hf-daily-2025-10-01', () => {
    const raw = JSON.parse(read('hf-daily-2025-10-01.json')) as Array<{ paper: { id: string; title: string } }>;
    const wrapped = raw.filter((item) => item.paper.title.includes('\n'));
    expect(wrapped.length).toBeGreaterThan(10);
    for (const item of wrapped) {
      expect(paperOf('hf-daily-2025-10-01.json', item.paper.id).title).toBe(item.paper.title.replace(/\s+/g, ' ').trim());
    }
    expect(paperOf('hf-daily-2025-10-01.json', '2509.25541').title).toBe('Vision-Zero: Scalable VLM Self-Improvement via Strategic Gamified Self-Play');
  });

  it('reads no AI summary or keywords from the early capture of 2026-08-11, and both from 2026-08-13', () => {
    for (const paper of batchOf('hf-daily-2026-08-11.json').papers) {
      expect(paper.summary).toBeUndefined();
      expect(paper.keywords).toEqual([]);
    }
    for (const paper of batchOf('hf-daily-2026-08-13.json').papers) {
      expect(paper.summary).toBeTruthy();
      expect(paper.keywords.length).toBeGreaterThan(0);
    }
  });

  it('keeps old-style ids and drops versions in the electron file', () => {
    const ids = batchOf('arxiv-atom-all-electron-2025-11-21.xml').papers.map((paper) => paper.id);
    expect(ids).toEqual(expect.arrayContaining(['cond-mat/0011267', 'cond-mat/0211289', 'hep-th/0505137', 'cond-mat/0310718', '1401.3078', '1201.2815']));
    expect(paperOf('arxiv-atom-all-electron-2025-11-21.xml', 'hep-th/0505137').categories).toEqual(['hep-th', 'gr-qc']);
  });

  it("reads arXiv's metadata in the electron file: primary category, comment, journal reference, latest version", () => {
    const file = 'arxiv-atom-all-electron-2025-11-21.xml';
    expect(paperOf(file, 'cond-mat/0011267').arxiv).toEqual({
      primaryCategory: 'cond-mat.supr-con',
      comment: 'J. Electron Spec. Relat. Phenom.: special issue on electron correlation, in press',
      journalRef: 'J. Electron Spectr. Relat. Phenom. 117-118, 203 (2001)',
      latestVersion: 1,
    });
    expect(paperOf(file, '1401.3078').arxiv).toMatchObject({ primaryCategory: 'cond-mat.mtrl-sci', latestVersion: 2 });
    expect(paperOf('arxiv-atom-oldformat-all-Einstein-2018-02-05.xml', '1801.05533').arxiv).toMatchObject({
      primaryCategory: 'math.DG',
      comment: '12 pages, no figures',
    });
  });

  it('reads the pre-2025 format: wrapped titles, old-style ids, no MSC codes', () => {
    const file = 'arxiv-atom-oldformat-all-Einstein-2018-02-05.xml';
    expect(paperOf(file, '1505.03319').title).toBe('Quasi-Einstein and Generalized Quasi-Einstein Warped Products with an Affine Connection');
    expect(paperOf(file, 'math/0502287').categories).toEqual(['math.DG']);
    expect(paperOf(file, '0808.2097').categories).toEqual(['math.DG', 'math-ph', 'math.MP']);
  });

  it('strips the announcement prefix from RSS descriptions and splits the creators', () => {
    const paper = paperOf('arxiv-rss-cs.LG-2026-04-27.xml', '2604.21952');
    expect(paper.abstract.startsWith('This work presents a multi-layered methodology')).toBe(true);
    expect(paper.authors).toHaveLength(6);
    expect(paper.categories).toEqual(['cs.LG', 'cs.AI', 'cs.AR', 'cs.NE', 'cs.RO']);
  });

  it('replays the whole folder as one HF and one arXiv source without skipping anything', async () => {
    const [hf, arxiv] = replaySources(FEEDS_DIR);
    const hfBatch = await hf!.fetchDay('2026-08-14');
    const arxivBatch = await arxiv!.fetchDay('2026-08-14');
    expect(hfBatch.skipped).toEqual([]);
    expect(arxivBatch.skipped).toEqual([]);
    expect(hfBatch.papers.every((paper) => paper.sources.includes('hf'))).toBe(true);
    expect(arxivBatch.papers.every((paper) => paper.sources.join() === 'arxiv')).toBe(true);
    const hfIds = new Set(recordedFiles.filter((name) => name.endsWith('.json')).flatMap((name) => batchOf(name).papers.map((paper) => paper.id)));
    expect(hfBatch.papers).toHaveLength(hfIds.size);
  });
});
