// The CLI as a reader pipes it: `npm run -s cli -- rank ... --json` prints JSON alone on stdout, logs on stderr.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

async function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('npm', ['run', '-s', 'cli', '--', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 10 * 1024 * 1024 });
}

describe('cli rank --json', () => {
  jest.setTimeout(120_000);

  it('prints only JSON on stdout, ranked rows for the filter', async () => {
    const { stdout } = await cli(['rank', '--replay', 'samples', '--topics', 'quantization', '--json']);
    const rows = JSON.parse(stdout) as Array<{ rank: number; title: string; why: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.rank)).toEqual(rows.map((_, index) => index + 1));
    expect(rows[0]?.why).toMatch(/quantization/i);
  });

  it('keeps stdout to JSON with --verbose and with no match', async () => {
    const verbose = await cli(['rank', '--replay', 'samples', '--topics', 'quantization', '--json', '--verbose']);
    expect(JSON.parse(verbose.stdout)).toEqual(expect.any(Array));
    const none = await cli(['rank', '--replay', 'samples', '--topics', 'zzzunmatchedzzz', '--json']);
    expect(JSON.parse(none.stdout)).toEqual([]);
  });
});

const FEEDS = process.env.SHARED_FEEDS_DIR ? resolve(process.env.SHARED_FEEDS_DIR) : resolve(ROOT, '..', 'shared', 'feeds');
const describeIfFeeds = existsSync(FEEDS) ? describe : describe.skip;
/** A count as the card writes it ("66 upvotes", "1,234 stars", "12.3k stars"). */
const CARD_COUNT = /\d[\d,.]*k? (upvote|comment|star)/;

describe('cli rank why lines and arXiv metadata', () => {
  jest.setTimeout(120_000);

  it('gives HF papers their categories from a recorded id_list answer, so cat: picks them by trending', async () => {
    const { stdout } = await cli(['rank', '--replay', 'test/fixtures/metadata', '--topics', 'cat:cs.CL', '--json']);
    const rows = JSON.parse(stdout) as Array<{ id: string; why: string }>;
    expect(rows.map((row) => row.id)).toEqual(['2608.00677', '2608.12307']);
    expect(rows.map((row) => row.why)).toEqual([
      'Matches "cat:cs.CL": cross-listed in cs.CL · #1 on Hugging Face today',
      'Matches "cat:cs.CL": primary category cs.CL · #2 on Hugging Face today · published in Transactions on Machine Learning Research (2026)',
    ]);
  });

  describeIfFeeds('on the recorded feeds', () => {
    it('puts the quantization papers in the top five for "quantization, cat:cs.CL", and no why line repeats a count', async () => {
      const { stdout } = await cli(['rank', '--replay', FEEDS, '--topics', 'quantization, cat:cs.CL', '--json']);
      const rows = JSON.parse(stdout) as Array<{ why: string }>;
      expect(rows.slice(0, 5).filter((row) => row.why.startsWith('Matches "quantization" in the')).length).toBeGreaterThanOrEqual(3);
      for (const row of rows) expect(row.why).not.toMatch(CARD_COUNT);
    });
  });
});
