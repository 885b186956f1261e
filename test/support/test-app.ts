// The application wired to a test's dynalite and SES mailbox, with a hand-moved clock and a log recorder.
import type { TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { composeApp, type LocalApp } from '../../lambdas/compose';
import { loadConfig } from '../../lambdas/config';
import type { Timer } from '../../lambdas/adapters/mail/paced-mailer';
import type { Clock, Logger, Metrics } from '../../lambdas/ports';
import type { TestDynamo, TestMailbox } from './emulators';

/** Records exactly what the code passes to the logger, before any redaction, so a leak cannot hide behind the logger's guard. */
export function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, message, ...fields }));
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export function testApp(options: {
  dynamo: TestDynamo;
  mailbox: TestMailbox;
  tables: TableNames;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string;
  /** Kept in memory, unread, unless a test passes its own. */
  metrics?: Metrics;
  /** The paced mailers' clock (pacing and throttling backoff); real time unless a test passes a fake one. */
  pacingTimer?: Timer;
  /** Extra settings (CLAIM_LEASE_SECONDS...). */
  env?: Record<string, string>;
}): LocalApp {
  const config = loadConfig({
    AWS_REGION: 'local',
    PAPERS_TABLE: options.tables.papers,
    SUBSCRIBERS_TABLE: options.tables.subscribers,
    LEDGER_TABLE: options.tables.ledger,
    DYNAMODB_ENDPOINT: options.dynamo.url,
    SES_ENDPOINT: options.mailbox.url,
    SENDER_ADDRESS: 'Papertrend <digest@papertrend.local>',
    PUBLIC_BASE_URL: options.publicBaseUrl,
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, Berlin',
    TOKEN_KEYRING: JSON.stringify({ current: 'test', test: 'test-keyring-secret-0123456789abcdefghij' }),
    ...options.env,
  });
  return composeApp(config, {
    clock: options.clock,
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.pacingTimer ? { pacingTimer: options.pacingTimer } : {}),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}
