// The only place adapters are chosen: AWS services (or local endpoints speaking their APIs), sources, queue, clock.
import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSesClient, type AwsClientOptions } from './adapters/aws/clients';
import { DynamoLedger } from './adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from './adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from './adapters/aws/dynamo-subscriber-store';
import { SesMailer } from './adapters/aws/ses-mailer';
import { PacedMailer, type Timer } from './adapters/mail/paced-mailer';
import { SqsQueue } from './adapters/aws/sqs-queue';
import { ArxivSource } from './adapters/http/arxiv-source';
import { HfDailySource } from './adapters/http/hf-daily-source';
import { InProcessQueue } from './adapters/local/in-process-queue';
import { ReplaySource, replaySources } from './adapters/replay-source';
import { createJsonLogger } from './adapters/log/json-logger';
import { MemoryMetrics } from './adapters/metrics/memory-metrics';
import { loadConfig, type Config } from './config';
import type { DigestJob } from './core/digest-schedule';
import { sendingPlan } from './core/send-rate';
import type { Clock, Ledger, Logger, Mailer, Metrics, PaperSource, PaperStore, Queue, SubscriberStore } from './ports';
import type { EmailingDeps } from './use-cases/emailing';
import type { DigestCycleDeps } from './use-cases/run-digest-cycle';
import type { SendDigestDeps } from './use-cases/send-digest';
import type { SesEventsDeps } from './use-cases/ses-events';
import type { SubscriptionDeps } from './use-cases/subscriptions';

export interface App {
  config: Config;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  documentClient: DynamoDBDocumentClient;
  papers: PaperStore;
  subscribers: SubscriberStore;
  ledger: Ledger;
  mailer: Mailer;
  /** The live paper sources (HF daily papers, arXiv API). */
  sources(): PaperSource[];
  /** The queue of digest jobs (SQS); needs DIGEST_QUEUE_URL. */
  digestQueue(): Queue<DigestJob>;
  sendDigestDeps(): SendDigestDeps;
  subscriptionDeps(): SubscriptionDeps;
  sesEventsDeps(): SesEventsDeps;
}

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  metrics?: Metrics;
  /** Static credentials, for local endpoints; in AWS the function's role is used. */
  credentials?: AwsClientOptions['credentials'];
  /** Real time for pacing sends (the business clock above may be a test's hand-moved one). */
  pacingTimer?: Timer;
}

export const systemClock: Clock = { now: () => new Date() };

/** Wire the application from a validated configuration. Clients are made here, never at module scope. */
export function composeApp(config: Config, options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createJsonLogger();
  const metrics = options.metrics ?? new MemoryMetrics();
  const aws = (endpoint: string | undefined): AwsClientOptions => ({
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const documentClient = createDocumentClient(aws(config.DYNAMODB_ENDPOINT));
  const papers = new DynamoPaperStore({ client: documentClient, tableName: config.PAPERS_TABLE });
  const subscribers = new DynamoSubscriberStore({ client: documentClient, tableName: config.SUBSCRIBERS_TABLE, clock });
  const ledger = new DynamoLedger({ client: documentClient, tableName: config.LEDGER_TABLE, clock });
  const mailer = new SesMailer({
    // One attempt per call: the paced mailer retries throttling, and an SDK retry after a timeout could send twice.
    client: createSesClient({ ...aws(config.SES_ENDPOINT), maxAttempts: 1 }),
    fromAddress: config.SENDER_ADDRESS,
    ...(config.SES_CONFIGURATION_SET ? { configurationSetName: config.SES_CONFIGURATION_SET } : {}),
  });
  // Each function paces its own sends at its share of the account's rate (core/send-rate.ts).
  const plan = sendingPlan(config.SES_MAX_SEND_RATE);
  const paced = (ratePerSecond: number) => new PacedMailer(mailer, { ratePerSecond, logger, ...(options.pacingTimer ? { timer: options.pacingTimer } : {}) });
  const http = { timeoutMs: config.SOURCE_TIMEOUT_MS, retries: config.SOURCE_RETRIES, userAgent: config.USER_AGENT };
  let queue: Queue<DigestJob> | undefined;
  let digestMailer: Mailer | undefined;
  let confirmationMailer: Mailer | undefined;
  const emailing: EmailingDeps = {
    subscribers,
    mailer,
    clock,
    logger,
    metrics,
    keyring: config.keyring,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    postalAddress: config.POSTAL_ADDRESS,
  };

  return {
    config,
    clock,
    logger,
    metrics,
    documentClient,
    papers,
    subscribers,
    ledger,
    mailer,
    sources: () => [
      new HfDailySource({ baseUrl: config.HF_BASE_URL, ...http }),
      new ArxivSource({ baseUrl: config.ARXIV_BASE_URL, categories: config.ARXIV_CATEGORIES, ...http }),
    ],
    digestQueue: () => {
      if (!config.DIGEST_QUEUE_URL) throw new Error('DIGEST_QUEUE_URL is not set; only the planner needs it');
      queue ??= new SqsQueue<DigestJob>(new SQSClient({ region: config.AWS_REGION }), config.DIGEST_QUEUE_URL);
      return queue;
    },
    sendDigestDeps: () => ({ ...emailing, mailer: (digestMailer ??= paced(plan.perSenderRate)), papers, ledger }),
    subscriptionDeps: () => ({ ...emailing, mailer: (confirmationMailer ??= paced(plan.confirmationRate)), newId: randomUUID }),
    sesEventsDeps: () => ({ subscribers, clock, logger, metrics }),
  };
}

/** The Lambda entry: configuration from the environment, failing at cold start with the variable's name. */
export function composeFromEnvironment(): App {
  return composeApp(loadConfig(process.env));
}

export interface LocalCycleOptions {
  /** Read recorded responses from this folder instead of the live sources. */
  replayDir?: string;
  /** Read when every live source fails: the project's sample feed. Local only; AWS never falls back. */
  fallbackDir?: string;
}

/** The dependencies of a whole in-process digest cycle, for the local stack and the CLI. */
export function composeLocalCycle(app: App, options: LocalCycleOptions = {}): DigestCycleDeps {
  const sources = options.replayDir ? replaySources(options.replayDir) : app.sources();
  return {
    ...app.sendDigestDeps(),
    sources,
    paperStore: app.papers,
    queue: new InProcessQueue<DigestJob>(),
    ...(options.fallbackDir && !options.replayDir ? { fallback: new ReplaySource({ dir: options.fallbackDir, name: 'sample feed' }) } : {}),
  };
}
