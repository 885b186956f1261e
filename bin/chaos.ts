// `npm run chaos -- --subscribers N --kills K`: the crash test on the local stack (the running one, or one it starts and stops); its last line is JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runChaos, type ChaosStack } from '../dev/chaos';
import { describeError } from '../lambdas/core/errors';
import { localApp, localSettings, localStackIsUp, type LocalSettings } from './local-env';
import { freePort } from '../dev/emulators';

const USAGE = 'Usage: npm run chaos -- --subscribers N --kills K [--lease SECONDS]';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { subscribers: { type: 'string' }, kills: { type: 'string' }, lease: { type: 'string' } } });
  const subscribers = whole(values.subscribers, 'subscribers', 1, 2_000);
  const kills = whole(values.kills, 'kills', 0, 50);
  const leaseSeconds = whole(values.lease ?? '2', 'lease', 1, 60);

  const running = localSettings();
  const own = (await localStackIsUp(running)) ? undefined : await startOwnStack();
  try {
    const settings = own?.settings ?? running;
    console.error(own ? `chaos: started a local stack of its own at ${settings.siteUrl}` : `chaos: on the running local stack at ${settings.siteUrl}`);
    const report = await runChaos(stackOf(settings, own?.env ?? {}), {
      subscribers,
      kills,
      leaseSeconds,
      say: (line) => console.error(`chaos: ${line}`),
    });
    console.log(JSON.stringify(report));
    return report.duplicates === 0 && report.unexplainedMissing === 0 ? 0 : 1;
  } finally {
    await own?.stop();
  }
}

function whole(value: string | undefined, name: string, min: number, max: number): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min || number > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
  }
  return number;
}

function stackOf(settings: LocalSettings, env: Record<string, string>): ChaosStack {
  const app = localApp(settings);
  return {
    env,
    mailboxUrl: settings.mailboxUrl,
    documentClient: app.documentClient,
    ledgerTable: app.config.LEDGER_TABLE,
    createSubscriber: (subscriber) => app.subscribers.create(subscriber),
  };
}

/**
 * `npm start` on free ports with a throwaway data folder. Resolves once its first cycle (run at
 * start, before any reader exists) is over, so every digest of the test comes from a chaos run.
 */
async function startOwnStack(): Promise<{ settings: LocalSettings; env: Record<string, string>; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'papertrend-chaos-'));
  const env = { PORT: String(await freePort()), MAILBOX_PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), DATA_DIR: dataDir };
  const child = spawn(resolve(__dirname, '..', 'node_modules', '.bin', 'tsx'), ['bin/local.ts'], {
    cwd: resolve(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await firstCycle(child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { settings: localSettings({ ...process.env, ...env }), env, stop };
}

function firstCycle(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`the local stack exited (code ${code}) before its first cycle`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('  time:')) done();
    });
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`npm run chaos: ${describeError(error).error}`);
    process.exit(2);
  });
