// `npm run load`: the load test on loopback, against a stack of its own (free ports) or the running one (`--url`); the last line is one JSON object, and the exit code is 1 when a check fails.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { createJsonLogger } from '../lambdas/adapters/log/json-logger';
import { describeError } from '../lambdas/core/errors';
import type { Logger } from '../lambdas/ports';
import { startLoadStack, scanSubscribers } from '../dev/load-stack';
import { runLoad, type LoadTarget } from '../dev/load-test';
import { localApp, localSettings } from './local-env';

const USAGE = `Usage: npm run load -- [--requests N] [--concurrency N] [--max-seconds S] [--seed N] [--url http://127.0.0.1:3000]

Sends N requests (default 2000, at most --concurrency at once, default 32) mixing sign-ups, repeats,
confirmations from the mailbox, preference saves, one-click unsubscribes and bad input; waits for the
sign-up queue; checks no 5xx, one stored subscriber per accepted address, confirmation emails within
the per-address limits, every unsubscribe applied. Without --url it starts its own stack on free
loopback ports; with --url it uses the running local stack (npm start; its mailbox and DynamoDB ports
from the same environment), whose per-client POST limit answers most of a run with 429.`;

/** Only this machine: a load test is never pointed at anyone else's server. */
export function isLoopbackUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

const positive = (name: string, value: string | undefined, fallback: number): number => {
  const number = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive whole number`);
  return number;
};

/** The running local stack as a load target: its site at `url`, its mailbox and tables from the local settings. */
function runningStack(url: string, logger: Logger, runId: string): LoadTarget & { close(): Promise<void> } {
  const settings = localSettings();
  const app = localApp(settings, { logger });
  const prefix = `load-${runId}-`;
  const snapshot = async () => {
    const store = (await (await fetch(`${settings.mailboxUrl}/store`)).json()) as { emails: unknown[] };
    return `${store.emails.length}/${(await scanSubscribers(app.documentClient, app.config.SUBSCRIBERS_TABLE, prefix)).length}`;
  };
  return {
    siteUrl: url.replace(/\/+$/, ''),
    mailboxUrl: settings.mailboxUrl,
    // Another process works the queue: settled once the mailbox and the table stop changing for a second (at most 60 s).
    async settled() {
      let last = await snapshot();
      for (let waited = 0, quiet = 0; quiet < 1000 && waited < 60_000; waited += 250) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const now = await snapshot();
        quiet = now === last ? quiet + 250 : 0;
        last = now;
      }
    },
    subscribers: (prefix) => scanSubscribers(app.documentClient, app.config.SUBSCRIBERS_TABLE, prefix),
    close: async () => app.documentClient.destroy(),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      'max-seconds': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.url !== undefined && !isLoopbackUrl(values.url))
    throw new Error(`--url must be a loopback address (127.0.0.1, ::1 or localhost), not ${values.url}`);
  // Application errors only, on stderr: stdout ends with the report.
  const stderr = createJsonLogger({ process: 'load' }, (line) => process.stderr.write(`${line}\n`));
  const logger: Logger = { info: () => {}, warn: stderr.warn, error: stderr.error };
  const runId = randomBytes(4).toString('hex');
  const target = values.url === undefined ? await startLoadStack(logger) : runningStack(values.url, logger, runId);
  try {
    const report = await runLoad(target, {
      requests: positive('requests', values.requests, 2000),
      concurrency: positive('concurrency', values.concurrency, 32),
      maxSeconds: positive('max-seconds', values['max-seconds'], 120),
      seed: positive('seed', values.seed, 20261130),
      runId,
    });
    for (const failure of report.failures) console.error(`load: FAILED ${failure}`);
    if (report.rateLimited > 0) console.error(`load: ${report.rateLimited} requests were rate-limited (429); run without --url to load the site itself`);
    console.log(JSON.stringify(report));
    return report.failures.length === 0 ? 0 : 1;
  } finally {
    await target.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`npm run load: ${describeError(error).error}`);
      process.exit(1);
    },
  );
}
