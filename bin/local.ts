// `npm start`: the local stack — dynalite, the SES mailbox, the site behind a local API Gateway, and timers for the schedules in lambdas/schedules.ts.
import { join } from 'node:path';
import { ensureTables } from '../lambdas/adapters/aws/tables';
import { startDynamo, startMailbox, type RunningEmulator } from '../dev/emulators';
import { createHttpGateway } from '../lambdas/adapters/local/http-gateway';
import { createJsonLogger } from '../lambdas/adapters/log/json-logger';
import { composeLocalCycle } from '../lambdas/compose';
import { describeError } from '../lambdas/core/errors';
import { utcDay } from '../lambdas/core/day';
import { createApiHandler } from '../lambdas/web/create-api';
import { MAX_BODY_BYTES } from '../lambdas/web/forms';
import { runDigestCycle } from '../lambdas/use-cases/run-digest-cycle';
import { startScheduleTimers } from '../dev/schedule-timers';
import type { SendEventHandler } from '../dev/ses-send-events';
import { handleSesEvents } from '../lambdas/use-cases/ses-events';
import { fallbackNotice, formatCycleSummary } from './cycle-report';
import { localApp, localSettings, SAMPLES_DIR } from './local-env';

async function start(what: string, port: number, run: () => Promise<RunningEmulator>): Promise<RunningEmulator> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`cannot start ${what} on port ${port} (${describeError(error).error}); is the stack already running?`);
  }
}

async function main(): Promise<void> {
  const settings = localSettings();
  const dynamo = await start('DynamoDB (dynalite)', settings.dynamoPort, () =>
    startDynamo({ host: settings.host, port: settings.dynamoPort, path: join(settings.dataDir, 'dynamo') }),
  );
  const logger = createJsonLogger({ process: 'local-stack' });
  // SES's Send events reach ses-events here, as EventBridge delivers them in AWS: they settle a digest whose sender died mid-send.
  let sesEvents: SendEventHandler = async () => {};
  const events = {
    onSend: (event: Record<string, unknown>) => sesEvents(event),
    onLost: (error: unknown) => logger.error('SES event lost', describeError(error)),
  };
  const mailbox = await start('the SES mailbox', settings.mailboxPort, () => startMailbox({ host: settings.host, port: settings.mailboxPort, events }));
  const app = localApp(settings, { logger });
  sesEvents = (event) => handleSesEvents(app.sesEventsDeps(), event);
  await ensureTables(app.documentClient, {
    papers: app.config.PAPERS_TABLE,
    subscribers: app.config.SUBSCRIBERS_TABLE,
    ledger: app.config.LEDGER_TABLE,
  });

  const site = createHttpGateway(createApiHandler(app.siteDeps()), {
    basePath: settings.basePath,
    maxBodyBytes: MAX_BODY_BYTES,
    postRateLimit: { requests: 20, windowMs: 60_000 },
    onError: (error) => logger.error('request failed', describeError(error)),
  });
  await new Promise<void>((resolve, reject) => {
    site.once('error', (error) => reject(new Error(`cannot start the site on port ${settings.port} (${error.message})`)));
    site.listen(settings.port, settings.host, resolve);
  });

  console.log(banner(settings));

  // The scheduler: one cycle at start and at each scheduled time, never two at once.
  let cycle: Promise<void> | undefined;
  const runCycle = () => {
    cycle ??= runDigestCycle(composeLocalCycle(app, { fallbackDir: SAMPLES_DIR }), { day: utcDay(new Date()), ignoreHour: false })
      .then((summary) => {
        const notice = fallbackNotice(summary.papers);
        console.log([...(notice ? [notice] : []), ...formatCycleSummary(summary)].join('\n'));
      })
      .catch((error) => logger.error('scheduled cycle failed', describeError(error)))
      .finally(() => {
        cycle = undefined;
      });
  };
  runCycle();
  // The deployed stack's schedules (lambdas/schedules.ts); locally each run is a whole cycle (fetch, plan, send).
  const stopSchedules = startScheduleTimers({ 'fetch-papers': runCycle, 'plan-digests': runCycle });

  const stop = async () => {
    stopSchedules();
    site.closeAllConnections();
    // Sign-ups already answered 202 get their record and email before the tables go away.
    await app.settled();
    await Promise.allSettled([new Promise((resolve) => site.close(resolve)), mailbox.close(), dynamo.close()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** What `npm start` prints once everything listens. */
function banner(settings: ReturnType<typeof localSettings>): string {
  return [
    '',
    'Papertrend local stack',
    `  site      ${settings.siteUrl}`,
    `  mailbox   ${settings.mailboxUrl}   (every email "sent" lands here)`,
    `  dynamodb  ${settings.dynamoUrl}   (data kept in ${settings.dataDir}/)`,
    '',
    "Digests go out at each subscriber's hour; `npm run digest` sends today's to everyone now.",
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(`npm start: ${describeError(error).error}`);
  process.exit(1);
});
