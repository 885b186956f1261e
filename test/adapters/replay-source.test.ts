import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReplaySource, replaySources } from '../../lambdas/adapters/replay-source';
import { mergeById } from '../../lambdas/core/merge-papers';

const FIXTURES = path.resolve(__dirname, '../fixtures/sources');

/** One HF item for a paper that the arXiv fixture also has, so the two records merge. */
const HF_OVERLAP = JSON.stringify([
  {
    paper: { id: '2608.05120', title: 'Wrapped Titles Are Still One Line', summary: 'Short.', authors: [{ name: 'Lena Fischer' }], upvotes: 40 },
    numComments: 4,
  },
]);

describe('ReplaySource', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'papertrend-replay-'));
    copyFileSync(path.join(FIXTURES, 'hf-daily-current.json'), path.join(dir, 'hf-daily-2026-08-13.json'));
    copyFileSync(path.join(FIXTURES, 'hf-daily-legacy-2024.json'), path.join(dir, 'hf-daily-legacy.json'));
    copyFileSync(path.join(FIXTURES, 'arxiv-atom-sample.xml'), path.join(dir, 'arxiv-atom-2026-08-12.xml'));
    copyFileSync(path.join(FIXTURES, 'arxiv-rss-sample.xml'), path.join(dir, 'arxiv-rss-2026-08-13.xml'));
    writeFileSync(path.join(dir, 'hf-overlap-2026-08-13.json'), HF_OVERLAP);
    writeFileSync(path.join(dir, 'broken.json'), '<html>captured an error page</html>');
    writeFileSync(path.join(dir, 'notes.md'), 'not a recording');
    mkdirSync(path.join(dir, 'folder.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses every recorded file, listing papers on the day in the file name; the fetch use case merges them', async () => {
    const batch = await new ReplaySource({ dir }).fetchDay('2026-09-01');
    // Each record as its file lists it: 2608.04211 twice in the HF file, 2608.05120 in the arXiv and overlap files.
    expect(batch.papers).toHaveLength(3 + 1 + 3 + 3 + 2 + 1);
    const papers = mergeById(batch.papers);
    const byId = new Map(papers.map((paper) => [paper.id, paper]));

    expect(batch.source).toBe('arxiv');
    expect(papers).toHaveLength(3 + 3 + 3 + 2);
    expect(byId.get('2608.04211')!.listedOn).toEqual(['2026-08-13']);
    expect(byId.get('2405.11802')!.listedOn).toEqual(['2026-09-01']);
    expect(byId.get('2608.06001')!.listedOn).toEqual(['2026-08-13']);

    const merged = byId.get('2608.05120')!;
    expect(merged.sources).toEqual(['arxiv', 'hf']);
    expect(merged.listedOn).toEqual(['2026-08-12', '2026-08-13']);
    expect(merged.categories).toEqual(['cs.CL', 'cs.LG']);
    expect(merged.title).toBe('Wrapped Titles Are Still One Line: Layout-Free Parsing of Scholarly Feeds');
    expect(merged.signals).toEqual({ upvotes: 40, comments: 4, githubStars: 0 });
  });

  it('skips a file whose payload cannot be parsed, naming the file', async () => {
    const batch = await new ReplaySource({ dir }).fetchDay('2026-09-01');
    expect(batch.skipped).toContainEqual({ source: 'hf', reason: 'file skipped: broken.json: not HF JSON, arXiv Atom or RSS' });
    expect(batch.skipped).toHaveLength(1 + 3 + 2 + 1);
  });

  it('is named "replay" unless told otherwise', () => {
    expect(new ReplaySource({ dir }).name).toBe('replay');
    expect(new ReplaySource({ dir, name: 'sample feed' }).name).toBe('sample feed');
  });

  it('fails clearly for a missing folder and for a folder without recordings', async () => {
    await expect(new ReplaySource({ dir: path.join(dir, 'missing') }).fetchDay('2026-09-01')).rejects.toThrow(
      /replay folder .*missing cannot be read \(ENOENT\)/,
    );
    const empty = mkdtempSync(path.join(tmpdir(), 'papertrend-replay-empty-'));
    try {
      await expect(new ReplaySource({ dir: empty }).fetchDay('2026-09-01')).rejects.toThrow('holds no recorded *.json or *.xml responses');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('replaySources', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'papertrend-replay-'));
    copyFileSync(path.join(FIXTURES, 'hf-daily-current.json'), path.join(dir, 'hf-daily-2026-08-13.json'));
    copyFileSync(path.join(FIXTURES, 'arxiv-atom-sample.xml'), path.join(dir, 'arxiv-atom-2026-08-12.xml'));
    writeFileSync(path.join(dir, 'broken.xml'), 'not xml at all');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives one source per kind, each reading only its own files', async () => {
    const sources = replaySources(dir);
    expect(sources.map((source) => source.name)).toEqual(['replay:hf', 'replay:arxiv']);
    const [hf, arxiv] = await Promise.all(sources.map((source) => source.fetchDay('2026-09-01')));
    expect(hf).toMatchObject({ source: 'hf', papers: [{ id: '2608.04211' }, { id: '2608.04377' }, { id: '2608.04402' }, { id: '2608.04211' }] });
    expect(hf!.skipped).toHaveLength(3);
    expect(arxiv!.source).toBe('arxiv');
    expect(arxiv!.papers.map((paper) => paper.id)).toEqual(['2608.05120', 'hep-th/9901001', '2607.01999']);
    expect(arxiv!.skipped).toContainEqual({ source: 'arxiv', reason: 'file skipped: broken.xml: not HF JSON, arXiv Atom or RSS' });
  });

  it('skips and names a file the XML parser rejects (an external-entity DOCTYPE) and still reads its siblings (issue 9, defect 8)', async () => {
    writeFileSync(
      path.join(dir, 'arxiv-xxe-2026-08-12.xml'),
      '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2608.00001v1</id><title>&x;</title></entry></feed>',
    );
    const [, arxiv] = replaySources(dir);
    const batch = await arxiv!.fetchDay('2026-09-01');
    expect(batch.papers.map((paper) => paper.id)).toEqual(['2608.05120', 'hep-th/9901001', '2607.01999']);
    expect(batch.skipped).toContainEqual({ source: 'arxiv', reason: expect.stringMatching(/^file skipped: arxiv-xxe-2026-08-12\.xml: /) });
    expect(batch.skipped.map((item) => item.reason).join('\n')).not.toContain('/etc/passwd');
  });

  it('returns an empty batch for a kind the folder has no files of', async () => {
    rmSync(path.join(dir, 'hf-daily-2026-08-13.json'));
    const [hf] = replaySources(dir);
    await expect(hf!.fetchDay('2026-09-01')).resolves.toEqual({ source: 'hf', papers: [], skipped: [] });
  });
});

describe('ReplaySource with recorded id_list answers', () => {
  it('leaves an id_list answer out of the day: it describes papers listed elsewhere', async () => {
    const dir = path.resolve(__dirname, '..', 'fixtures', 'metadata');
    const [hf, arxiv] = replaySources(dir);
    expect((await hf!.fetchDay('2026-08-13')).papers.map((paper) => paper.id)).toEqual(['2608.00677', '2608.12307', '2608.10615']);
    expect(await arxiv!.fetchDay('2026-08-13')).toEqual({ source: 'arxiv', papers: [], skipped: [] });
  });
});
