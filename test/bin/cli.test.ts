// The CLI as a reader pipes it: `npm run -s cli -- rank ... --json` prints JSON alone on stdout, logs on stderr.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
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
