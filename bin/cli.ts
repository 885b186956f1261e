// The command line: rank and preview papers on live or recorded sources, seed subscribers, run a digest cycle now; `aws ...` goes to the operator commands.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createJsonLogger } from '../lambdas/adapters/log/json-logger';
import { composeLocalCycle, type LocalApp as App } from '../lambdas/compose';
import { describeError } from '../lambdas/core/errors';
import { isIsoDay, utcDay } from '../lambdas/core/day';
import type { Paper, PickedPaper } from '../lambdas/core/model';
import { renderDigest } from '../lambdas/core/render/digest-email';
import { seedSubscribers } from '../dev/seed-subscribers';
import { selectPapersFor } from '../lambdas/core/select-papers';
import { PAPERS_PER_EMAIL } from '../lambdas/core/subscription';
import { parseTopicFilter, TopicFilterError } from '../lambdas/core/topic-filter';
import { parseKeyring } from '../lambdas/core/tokens';
import type { Logger } from '../lambdas/ports';
import { subscriptionLinks } from '../lambdas/use-cases/emailing';
import { collectPapers } from '../lambdas/use-cases/fetch-papers';
import { whyText } from '../lambdas/core/render/why-line';
import { runDigestCycle } from '../lambdas/use-cases/run-digest-cycle';
import { fallbackNotice, formatCycleSummary } from './cycle-report';
import { OPERATOR_USAGE, runOperatorCli } from './operator';
import { localApp, localSettings, localStackIsUp, SAMPLES_DIR, stackSharesKeyring, type LocalSettings } from './local-env';

const USAGE = `Usage: npm run -s cli -- <command> [options]
       (-s keeps npm's banner off stdout, so \`rank --json | jq\` gets JSON alone)

Commands:
  rank     [--replay DIR] [--topics "..."] [--limit N] [--date YYYY-MM-DD] [--json]
           Print the day's papers ranked for a topic filter, each with why it was picked.
  preview  [--replay DIR] [--topics "..."] [--limit N] [--date YYYY-MM-DD] --out FILE
           Write FILE.html and FILE.txt: the digest as it would be sent.
  seed     --subscribers N [--domain example.com]
           Add N confirmed subscribers with varied topics, time zones and limits to the running stack.
  digest   [--date YYYY-MM-DD] [--replay DIR]
           Run one full cycle now against the running stack (npm start): fetch, store, select,
           render and send today's digest to every confirmed subscriber who has not had it.
           --date replays that day's papers and local date; times stored and links keep the real clock.
  aws      fetch|plan|redrive|status: operator commands against a deployed stack (below).

Options:
  --replay DIR   read recorded responses (HF *.json, arXiv Atom/RSS *.xml) instead of the live sources
  --topics       topic filter, e.g. 'quantization, cat:cs.CL, author:"Tri Dao", -diffusion'
  --limit N      papers to show (${PAPERS_PER_EMAIL.min}-${PAPERS_PER_EMAIL.max}; default ${PAPERS_PER_EMAIL.default})
  --verbose      print every log line (to stderr)

${OPERATOR_USAGE}
`;

/** Bad arguments: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** Stack or source problems: printed alone, exit code 1. */
class CommandError extends Error {}

const options = {
  replay: { type: 'string' },
  topics: { type: 'string' },
  limit: { type: 'string' },
  date: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  subscribers: { type: 'string' },
  domain: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Options = ReturnType<typeof parseCommandLine>['values'];

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeError(error).error);
  }
}

const ALLOWED: Record<string, readonly (keyof typeof options)[]> = {
  rank: ['replay', 'topics', 'limit', 'date', 'json'],
  preview: ['replay', 'topics', 'limit', 'date', 'out'],
  seed: ['subscribers', 'domain'],
  digest: ['date', 'replay'],
};

function integerOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return number;
}

function dayOption(value: string | undefined): string | undefined {
  if (value !== undefined && !isIsoDay(value)) throw new UsageError('--date must be a real date written YYYY-MM-DD');
  return value;
}

function replayOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const dir = resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--replay ${value}: no such folder`);
  return dir;
}

function topicsOption(value: string | undefined): string {
  const topics = value ?? '';
  try {
    parseTopicFilter(topics);
  } catch (error) {
    if (error instanceof TopicFilterError) throw new UsageError(`--topics: ${error.message}`);
    throw error;
  }
  return topics;
}

/** Errors always; everything with --verbose. Logs go to stderr so stdout stays clean for --json. */
function cliLogger(verbose: boolean): Logger {
  const json = createJsonLogger({ process: 'cli' }, (line) => process.stderr.write(`${line}\n`));
  return verbose ? json : { info: () => {}, warn: () => {}, error: json.error };
}

/** Noon UTC on `day`: the same local date in nearly every time zone. */
const noonOf = (day: string) => new Date(`${day}T12:00:00Z`);

/**
 * The day's candidates, from recorded responses or the live sources. Recorded feeds are ranked as
 * of noon on the latest day they list, so their trending scores read as they did that day.
 */
async function candidates(app: App, values: Options): Promise<{ papers: Paper[]; now: Date }> {
  const replayDir = replayOption(values.replay);
  const day = dayOption(values.date) ?? utcDay(new Date());
  // Ranking needs no local stack: arXiv metadata comes from the lookup alone, not from stored papers.
  const { papers: _store, ...deps } = composeLocalCycle(app, { ...(replayDir ? { replayDir } : {}), fallbackDir: SAMPLES_DIR });
  const collected = await collectPapers(deps, day);
  const notice = fallbackNotice({ sources: collected.outcomes, ...(collected.usedFallback ? { usedFallback: collected.usedFallback } : {}) });
  if (notice) console.error(notice);
  const latestListed = collected.papers
    .flatMap((paper) => paper.listedOn)
    .sort()
    .at(-1);
  const asOf = values.date ?? (replayDir && latestListed ? latestListed : undefined);
  return { papers: collected.papers, now: asOf ? noonOf(asOf) : new Date() };
}

async function pick(app: App, values: Options): Promise<{ picked: PickedPaper[]; topics: string; now: Date }> {
  const topics = topicsOption(values.topics);
  const limit = integerOption(values.limit, 'limit', PAPERS_PER_EMAIL.min, PAPERS_PER_EMAIL.max, PAPERS_PER_EMAIL.default);
  const { papers, now } = await candidates(app, values);
  return { picked: selectPapersFor({ topics, maxPapers: limit }, papers, { now, alreadySent: new Set() }), topics, now };
}

async function rank(app: App, values: Options): Promise<void> {
  const { picked } = await pick(app, values);
  const rows = picked.map((pick, index) => ({
    rank: index + 1,
    id: pick.paper.id,
    title: pick.paper.title,
    score: Math.round(pick.score * 1000) / 1000,
    why: whyText(pick.why),
    url: pick.paper.links.hf ?? pick.paper.links.abs,
  }));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) console.log('No paper matches that filter.');
  for (const row of rows) console.log(`${String(row.rank).padStart(2)}. ${row.title}\n    ${row.id}  score ${row.score.toFixed(3)}  ${row.why}\n`);
}

async function preview(app: App, values: Options): Promise<void> {
  if (!values.out) throw new UsageError('preview needs --out FILE');
  const { picked, topics, now } = await pick(app, values);
  const day = values.date ?? utcDay(now);
  const email = renderDigest({
    date: day,
    frequency: 'daily',
    topics,
    papers: picked,
    postalAddress: app.config.POSTAL_ADDRESS,
    ...subscriptionLinks({ keyring: app.config.keyring, publicBaseUrl: app.config.PUBLIC_BASE_URL }, 'preview', now),
  });
  const base = resolve(values.out.replace(/\.(html|txt)$/i, ''));
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.html`, email.html);
  writeFileSync(`${base}.txt`, email.text);
  console.log(`Subject: ${email.subject}\nWrote ${base}.html (${Buffer.byteLength(email.html)} bytes) and ${base}.txt with ${picked.length} papers.`);
}

async function requireStack(settings: LocalSettings): Promise<void> {
  if (!(await localStackIsUp(settings))) {
    throw new CommandError(
      `The local stack is not answering at ${settings.siteUrl}: start it with \`npm start\` in another terminal. ` +
        'If it runs with PORT, BASE_PATH, MAILBOX_PORT, DYNAMODB_PORT or DATA_DIR set, set the same ones here.',
    );
  }
  if ((await stackSharesKeyring(settings.siteUrl, parseKeyring(settings.env.TOKEN_KEYRING ?? ''), new Date())) === false) {
    throw new CommandError(
      `The local stack at ${settings.siteUrl} signs links with another keyring than the one in DATA_DIR=${settings.dataDir}: ` +
        'emails sent from here would carry links it refuses, the unsubscribe included. Set the DATA_DIR `npm start` uses.',
    );
  }
}

async function seed(app: App, settings: LocalSettings, values: Options): Promise<void> {
  if (values.subscribers === undefined) throw new UsageError('seed needs --subscribers N');
  const count = integerOption(values.subscribers, 'subscribers', 1, 100_000, 0);
  await requireStack(settings);
  const domain = values.domain ?? 'example.com';
  let added = 0;
  let existing = 0;
  // Numbers already taken by earlier seeds are skipped, so seeding twice adds new readers.
  for (let next = 1; added < count;) {
    const batch = seedSubscribers({ count: count - added, now: new Date(), newId: randomUUID, firstNumber: next, domain, seed: next });
    next += batch.length;
    const created = await Promise.all(batch.map((subscriber) => app.subscribers.create(subscriber)));
    added += created.filter(Boolean).length;
    existing += created.filter((ok) => !ok).length;
  }
  console.log(`Added ${added} confirmed subscribers${existing ? ` (skipped ${existing} addresses already there)` : ''}.`);
}

async function digest(app: App, settings: LocalSettings, values: Options): Promise<void> {
  const day = dayOption(values.date);
  const replayDir = replayOption(values.replay);
  await requireStack(settings);
  const deps = composeLocalCycle(app, { ...(replayDir ? { replayDir } : {}), fallbackDir: SAMPLES_DIR });
  // A --date replays that day's papers and local day; the clock of stored state and tokens stays real.
  const summary = await runDigestCycle(deps, { day: day ?? utcDay(app.clock.now()), ignoreHour: true, asOf: day ? noonOf(day) : undefined });
  const notice = fallbackNotice(summary.papers);
  if (notice) console.log(notice);
  console.log(formatCycleSummary(summary).join('\n'));
  if (summary.digests.failed > 0) process.exitCode = 1;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'aws') {
    process.exitCode = await runOperatorCli(argv.slice(1));
    return;
  }
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError('no command given');
  const allowed = ALLOWED[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const misplaced = Object.keys(values).filter((name) => name !== 'verbose' && !allowed.includes(name as keyof typeof options));
  if (misplaced.length > 0) throw new UsageError(`${command} does not take --${misplaced[0]}`);

  const settings = localSettings();
  const app = localApp(settings, { logger: cliLogger(values.verbose ?? false) });
  if (command === 'rank') return rank(app, values);
  if (command === 'preview') return preview(app, values);
  if (command === 'seed') return seed(app, settings, values);
  return digest(app, settings, values);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error instanceof CommandError ? error.message : `error: ${describeError(error).error}`);
  process.exit(1);
});
