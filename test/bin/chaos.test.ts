// `npm run chaos` at a small size: real digest runs SIGKILLed mid-send on a local stack of its own, then rerun; no reader gets two digests, and every missing one is a named unknown.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../dev/emulators';

const ROOT = resolve(__dirname, '..', '..');

describe('npm run chaos', () => {
  it('kills digest runs and reruns them: zero duplicates, and missing equals the unknown outcomes it names', async () => {
    // A free site port: whatever stack a developer runs is not found, so the command starts its own.
    const env = { ...process.env, PORT: String(await freePort()) };
    const { stdout } = await promisify(execFile)(resolve(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/chaos.ts', '--subscribers', '12', '--kills', '2'], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ subscribers: 12, duplicates: 0, unexplainedMissing: 0 });
    expect(report.kills).toBeGreaterThanOrEqual(1);
    expect(report.missing).toBe(report.unknownOutcome);
    expect(report.unknownSubscribers).toHaveLength(report.unknownOutcome);
    expect(report.digests).toBe(12 - report.missing);
  }, 150_000);
});
