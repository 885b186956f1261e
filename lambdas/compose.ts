// The only place adapters are chosen: one composition per Lambda function, each building only the clients it uses, and the whole app for the local stack.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSecretsManagerClient, createSesClient, createSqsClient, type AwsClientOptions } from './adapters/aws/clients';
import { DynamoConfirmationThrottle } from './adapters/aws/dynamo-confirmation-throttle';
import { DynamoLedger } from './adapters/aws/dynamo-ledger';
import { DynamoPaperStore } from './adapters/aws/dynamo-paper-store';
import { DynamoSubscriberStore } from './adapters/aws/dynamo-subscriber-store';
import { SecretKeyring } from './adapters/aws/secret-keyring';
import { SesMailer } from './adapters/aws/ses-mailer';
import { PacedMailer, type Timer } from './adapters/mail/paced-mailer';
import { SqsQueue } from './adapters/aws/sqs-queue';
import { ArxivMetadataSource } from './adapters/http/arxiv-metadata-source';
import { ArxivSource } from './adapters/http/arxiv-source';
import { ARXIV_REQUEST_INTERVAL_MS, RequestPacer } from './adapters/http/request-pacer';
import { HfDailySource } from './adapters/http/hf-daily-source';
import { DrainingQueue } from './adapters/local/draining-queue';
import { InProcessQueue } from './adapters/local/in-process-queue';
import { createJsonLogger } from './adapters/log/json-logger';
import { createPowertoolsLogger, type InvocationLogger } from './adapters/log/powertools-logger';
import { EmfMetrics } from './adapters/metrics/emf-metrics';
import { MemoryMetrics } from './adapters/metrics/memory-metrics';
import { ReplayMetadataSource } from './adapters/replay-metadata-source';
import { ReplaySource, replaySources } from './adapters/replay-source';
import { sleep } from './adapters/sleep';
import { StaticKeyring } from './adapters/static-keyring';
import type { ApiConfig, FetchPapersConfig, KeyringSetting, LocalConfig, PlanDigestsConfig, SendDigestConfig, SesEventsConfig, SignUpConfig } from './config';
import type { DigestJob } from './core/digest-schedule';
import type { SignUpJob } from './core/sign-up-job';
import { CONFIRMATION_SENDING, SIGN_UP_SENDERS, sendingPlan } from './core/send-rate';
import type { Clock, KeyringSource, Ledger, Logger, Mailer, MetadataSource, Metrics, PaperSource, PaperStore, Queue, SubscriberStore } from './ports';
import type { EmailingDeps } from './use-cases/emailing';
import type { FetchPapersDeps } from './use-cases/fetch-papers';
import type { PlanDigestsDeps } from './use-cases/plan-digests';
import type { DigestCycleDeps } from './use-cases/run-digest-cycle';
import type { SendDigestDeps } from './use-cases/send-digest';
import type { SesEventsDeps } from './use-cases/ses-events';
import { runSignUpJob } from './use-cases/sign-ups';
import type { SubscriptionDeps } from './use-cases/subscriptions';
import type { SiteDeps } from './web/site-deps';

export interface AppOptions {
  clock?: Clock;
  /** Replaces the function's logger (Powertools in AWS, JSON lines locally). */
  logger?: Logger;
  /** Replaces the function's metrics (EMF in AWS, in memory locally). */
  metrics?: Metrics;
  /** Static credentials, for local endpoints; in AWS the function's role is used. */
  credentials?: AwsClientOptions['credentials'];
  /** Real time for pacing sends (the business clock above may be a test's hand-moved one). */
  pacingTimer?: Timer;
}

export const systemClock: Clock = { now: () => new Date() };

/** The whole application in one process, with a fixed keyring: the local stack, the CLI and the tests. */
export interface LocalApp {
  config: LocalConfig;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  papers: PaperStore;
  documentClient: DynamoDBDocumentClient;
  subscribers: SubscriberStore;
  ledger: Ledger;
  mailer: Mailer;
  /** The live paper sources (HF daily papers, arXiv API). */
  sources(): PaperSource[];
  /** arXiv's API by id_list, for papers the sources gave no categories. */
  metadata(): MetadataSource;
  /** The queue of digest jobs (SQS); needs DIGEST_QUEUE_URL. */
  digestQueue(): Queue<DigestJob>;
  sendDigestDeps(): SendDigestDeps;
  /** The sign-up worker's dependencies (it sends the confirmation emails). */
  subscriptionDeps(): SubscriptionDeps;
  /** What the site (lambdas/web) needs, for createApiHandler. */
  siteDeps(): SiteDeps;
  sesEventsDeps(): SesEventsDeps;
  /**
   * Resolves once the in-process sign-up queue is idle: every sign-up accepted so far has been
   * worked through (its record written, its confirmation email sent or held back).
   */
  settled(): Promise<void>;
}

/** What every Lambda function has, with the hooks lambdas/lambda-handler.ts calls around each invocation. */
export interface FunctionApp<C> {
  config: C;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Logs from now on carry this invocation's request id. */
  startInvocation(context: Context): void;
  /** Writes the invocation's buffered metrics; called whether it succeeded or not. */
  endInvocation(): void;
}

export interface FetchPapersApp extends FunctionApp<FetchPapersConfig> {
  fetchPapersDeps(): FetchPapersDeps;
}

export interface PlanDigestsApp extends FunctionApp<PlanDigestsConfig> {
  planDigestsDeps(): PlanDigestsDeps;
}

export interface SendDigestApp extends FunctionApp<SendDigestConfig> {
  /** The sender's dependencies with the keyring current for this invocation. */
  sendDigestDeps(): Promise<SendDigestDeps>;
}

export interface ApiApp extends FunctionApp<ApiConfig> {
  /** What the site needs for this invocation; the same object while the keyring stays the same. */
  site(): Promise<SiteDeps>;
}

export interface SignUpApp extends FunctionApp<SignUpConfig> {
  /** The sign-up worker's dependencies with the keyring current for this invocation. */
  subscriptionDeps(): Promise<SubscriptionDeps>;
}

export interface SesEventsApp extends FunctionApp<SesEventsConfig> {
  sesEventsDeps(): SesEventsDeps;
}

const awsClient = (config: { AWS_REGION: string }, endpoint: string | undefined, options: AppOptions): AwsClientOptions => ({
  region: config.AWS_REGION,
  ...(endpoint ? { endpoint } : {}),
  ...(options.credentials ? { credentials: options.credentials } : {}),
});

/** Clock, Powertools logger and EMF metrics (unless the options replace them), and the invocation hooks. */
function functionApp<C extends { POWERTOOLS_SERVICE_NAME: string; POWERTOOLS_METRICS_NAMESPACE: string }>(config: C, options: AppOptions): FunctionApp<C> {
  const powertoolsLogger: InvocationLogger | undefined = options.logger ? undefined : createPowertoolsLogger({ serviceName: config.POWERTOOLS_SERVICE_NAME });
  const emf = options.metrics ? undefined : new EmfMetrics({ namespace: config.POWERTOOLS_METRICS_NAMESPACE, serviceName: config.POWERTOOLS_SERVICE_NAME });
  return {
    config,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? powertoolsLogger!,
    metrics: options.metrics ?? emf!,
    startInvocation: (context) => powertoolsLogger?.addContext(context),
    endInvocation: () => emf?.flush(),
  };
}

function keyringSource(
  setting: KeyringSetting,
  config: { AWS_REGION: string; SECRETS_MANAGER_ENDPOINT?: string | undefined },
  app: FunctionApp<unknown>,
  options: AppOptions,
): KeyringSource {
  if ('keyring' in setting) return new StaticKeyring(setting.keyring);
  const client = createSecretsManagerClient(awsClient(config, config.SECRETS_MANAGER_ENDPOINT, options));
  return new SecretKeyring({ client, secretId: setting.secretArn, clock: app.clock, logger: app.logger });
}

function sesMailer(
  config: { AWS_REGION: string; SES_ENDPOINT?: string | undefined; SENDER_ADDRESS: string; SES_CONFIGURATION_SET?: string | undefined },
  options: AppOptions,
  timeoutMs?: number,
): SesMailer {
  return new SesMailer({
    // One attempt per call (createSesClient never retries): the paced mailer retries throttling, and a retry after a timeout could send twice.
    client: createSesClient(awsClient(config, config.SES_ENDPOINT, options), timeoutMs),
    fromAddress: config.SENDER_ADDRESS,
    configurationSetName: config.SES_CONFIGURATION_SET,
  });
}

/** `mailer` paced at `ratePerSecond`, this function's share of the account's SES rate (core/send-rate.ts). */
function paced(mailer: Mailer, ratePerSecond: number, logger: Logger, options: AppOptions, maxAttempts?: number): Mailer {
  return new PacedMailer(mailer, { ratePerSecond, logger, timer: options.pacingTimer, maxAttempts });
}

type SourceConfig = Pick<LocalConfig, 'HF_BASE_URL' | 'ARXIV_BASE_URL' | 'ARXIV_CATEGORIES' | 'SOURCE_TIMEOUT_MS' | 'SOURCE_RETRIES' | 'USER_AGENT'>;

/** The live sources and the metadata lookup, sharing one pacer: every request to arXiv starts 3 s after the one before. */
function liveSources(config: SourceConfig): { sources: PaperSource[]; metadata: MetadataSource } {
  const pacer = new RequestPacer(ARXIV_REQUEST_INTERVAL_MS);
  const http = { timeoutMs: config.SOURCE_TIMEOUT_MS, retries: config.SOURCE_RETRIES, userAgent: config.USER_AGENT };
  return {
    sources: [
      new HfDailySource({ baseUrl: config.HF_BASE_URL, ...http }),
      new ArxivSource({ baseUrl: config.ARXIV_BASE_URL, categories: config.ARXIV_CATEGORIES, pacer, ...http }),
    ],
    metadata: new ArxivMetadataSource({ baseUrl: config.ARXIV_BASE_URL, pacer, ...http }),
  };
}

type EmailingParts = Omit<EmailingDeps, 'keyring'>;

function emailingParts(
  app: Pick<FunctionApp<unknown>, 'clock' | 'logger' | 'metrics'>,
  config: Pick<SignUpConfig, 'PUBLIC_BASE_URL' | 'POSTAL_ADDRESS'>,
  subscribers: SubscriberStore,
  mailer: Mailer,
): EmailingParts {
  const { clock, logger, metrics } = app;
  return { subscribers, mailer, clock, logger, metrics, publicBaseUrl: config.PUBLIC_BASE_URL, postalAddress: config.POSTAL_ADDRESS };
}

export function composeFetchPapers(config: FetchPapersConfig, options: AppOptions = {}): FetchPapersApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const deps: FetchPapersDeps = {
    ...liveSources(config),
    papers: new DynamoPaperStore({ client, tableName: config.PAPERS_TABLE }),
    logger: app.logger,
    metrics: app.metrics,
  };
  return { ...app, fetchPapersDeps: () => deps };
}

export function composePlanDigests(config: PlanDigestsConfig, options: AppOptions = {}): PlanDigestsApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const deps: PlanDigestsDeps = {
    subscribers: new DynamoSubscriberStore({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock }),
    queue: new SqsQueue<DigestJob>(createSqsClient(awsClient(config, undefined, options)), config.DIGEST_QUEUE_URL),
    clock: app.clock,
    logger: app.logger,
    metrics: app.metrics,
  };
  return { ...app, planDigestsDeps: () => deps };
}

export function composeSendDigest(config: SendDigestConfig, options: AppOptions = {}): SendDigestApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const subscribers = new DynamoSubscriberStore({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock });
  const mailer = paced(sesMailer(config, options), sendingPlan(config.SES_MAX_SEND_RATE).perSenderRate, app.logger, options);
  const emailing = emailingParts(app, config, subscribers, mailer);
  const stores = {
    papers: new DynamoPaperStore({ client, tableName: config.PAPERS_TABLE }),
    ledger: new DynamoLedger({ client, tableName: config.LEDGER_TABLE, clock: app.clock }),
  };
  const keyrings = keyringSource(config.keyring, config, app, options);
  const claimLeaseMs = config.CLAIM_LEASE_SECONDS * 1000;
  return { ...app, sendDigestDeps: async () => ({ ...emailing, ...stores, claimLeaseMs, keyring: await keyrings.keyring() }) };
}

export function composeApi(config: ApiConfig, options: AppOptions = {}): ApiApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const subscribers = new DynamoSubscriberStore({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock });
  const papers = new DynamoPaperStore({ client, tableName: config.PAPERS_TABLE });
  const ledger = new DynamoLedger({ client, tableName: config.LEDGER_TABLE, clock: app.clock });
  const signUps = new SqsQueue<SignUpJob>(createSqsClient(awsClient(config, undefined, options)), config.SIGN_UP_QUEUE_URL);
  const keyrings = keyringSource(config.keyring, config, app, options);
  let site: SiteDeps | undefined;
  return {
    ...app,
    async site() {
      const keyring = await keyrings.keyring();
      if (site?.subscriptions.keyring !== keyring) {
        const { clock, logger } = app;
        site = {
          subscriptions: { subscribers, keyring, clock, logger, sleep },
          signUps: { signUps, clock },
          preview: { papers, clock, logger },
          digests: { subscribers, ledger, papers, clock, keyring, publicBaseUrl: config.PUBLIC_BASE_URL, postalAddress: config.POSTAL_ADDRESS },
          clock,
          logger,
        };
      }
      return site;
    },
  };
}

/** The sign-up worker: reads queued sign-ups, writes the records and sends the confirmation emails at the confirmations' share of the SES rate. */
export function composeSignUp(config: SignUpConfig, options: AppOptions = {}): SignUpApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const subscribers = new DynamoSubscriberStore({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock });
  const confirmationThrottle = new DynamoConfirmationThrottle({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock });
  const rate = sendingPlan(config.SES_MAX_SEND_RATE).confirmationRate / SIGN_UP_SENDERS;
  const mailer = paced(sesMailer(config, options, CONFIRMATION_SENDING.requestTimeoutMs), rate, app.logger, options, CONFIRMATION_SENDING.attempts);
  const emailing = emailingParts(app, config, subscribers, mailer);
  const keyrings = keyringSource(config.keyring, config, app, options);
  return {
    ...app,
    subscriptionDeps: async () => ({ ...emailing, keyring: await keyrings.keyring(), newId: randomUUID, confirmationThrottle, sleep }),
  };
}

export function composeSesEvents(config: SesEventsConfig, options: AppOptions = {}): SesEventsApp {
  const app = functionApp(config, options);
  const client = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const subscribers = new DynamoSubscriberStore({ client, tableName: config.SUBSCRIBERS_TABLE, clock: app.clock });
  const ledger = new DynamoLedger({ client, tableName: config.LEDGER_TABLE, clock: app.clock });
  const { clock, logger, metrics } = app;
  return { ...app, sesEventsDeps: () => ({ subscribers, ledger, clock, logger, metrics, sleep }) };
}

/**
 * Every function in one process, from the local schema: the local stack, the CLI and the tests.
 * Logs are JSON lines through the local JSON logger rather than Powertools: its writer can be
 * swapped (the CLI logs to stderr so `--json` output stays clean on stdout) and there is no Lambda
 * context to add. Metrics are kept in memory; nothing reads EMF off a laptop's stdout.
 */
export function composeApp(config: LocalConfig, options: AppOptions = {}): LocalApp {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createJsonLogger();
  const metrics = options.metrics ?? new MemoryMetrics();
  const documentClient = createDocumentClient(awsClient(config, config.DYNAMODB_ENDPOINT, options));
  const papers = new DynamoPaperStore({ client: documentClient, tableName: config.PAPERS_TABLE });
  const subscribers = new DynamoSubscriberStore({ client: documentClient, tableName: config.SUBSCRIBERS_TABLE, clock });
  const confirmationThrottle = new DynamoConfirmationThrottle({ client: documentClient, tableName: config.SUBSCRIBERS_TABLE, clock });
  const ledger = new DynamoLedger({ client: documentClient, tableName: config.LEDGER_TABLE, clock });
  const mailer = sesMailer(config, options);
  const plan = sendingPlan(config.SES_MAX_SEND_RATE);
  const digestMailer = paced(mailer, plan.perSenderRate, logger, options);
  const confirmationMailer = paced(mailer, plan.confirmationRate, logger, options, CONFIRMATION_SENDING.attempts);
  const emailing: EmailingDeps = { ...emailingParts({ clock, logger, metrics }, config, subscribers, mailer), keyring: config.keyring };
  const { sources, metadata } = liveSources(config);
  const subscriptionDeps = (): SubscriptionDeps => ({ ...emailing, mailer: confirmationMailer, newId: randomUUID, confirmationThrottle, sleep });
  // Drained by this process as soon as a job arrives, as the sign-up Lambda would be invoked.
  const signUps = new DrainingQueue<SignUpJob>((job) => runSignUpJob(subscriptionDeps(), job), { logger, jobName: 'sign-up job' });
  let queue: Queue<DigestJob> | undefined;

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
    sources: () => sources,
    metadata: () => metadata,
    digestQueue: () => {
      if (!config.DIGEST_QUEUE_URL) throw new Error('DIGEST_QUEUE_URL is not set; only the planner needs it');
      queue ??= new SqsQueue<DigestJob>(createSqsClient(awsClient(config, undefined, options)), config.DIGEST_QUEUE_URL);
      return queue;
    },
    sendDigestDeps: () => ({ ...emailing, mailer: digestMailer, papers, ledger, claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000 }),
    subscriptionDeps,
    siteDeps: () => ({
      subscriptions: subscriptionDeps(),
      signUps: { signUps, clock },
      preview: { papers, clock, logger },
      digests: { ...emailing, ledger, papers },
      clock,
      logger,
    }),
    sesEventsDeps: () => ({ subscribers, ledger, clock, logger, metrics, sleep }),
    settled: () => signUps.settled(),
  };
}

export interface LocalCycleOptions {
  /** Read recorded responses from this folder instead of the live sources. */
  replayDir?: string;
  /** Read when every live source fails: the project's sample feed. Local only; AWS never falls back. */
  fallbackDir?: string;
}

/** The dependencies of a whole in-process digest cycle, for the local stack and the CLI. */
export function composeLocalCycle(app: LocalApp, options: LocalCycleOptions = {}): DigestCycleDeps {
  const sources = options.replayDir ? replaySources(options.replayDir) : app.sources();
  return {
    ...app.sendDigestDeps(),
    sources,
    metadata: options.replayDir ? new ReplayMetadataSource(options.replayDir) : app.metadata(),
    queue: new InProcessQueue<DigestJob>(),
    ...(options.fallbackDir && !options.replayDir ? { fallback: new ReplaySource({ dir: options.fallbackDir, name: 'sample feed' }) } : {}),
  };
}
