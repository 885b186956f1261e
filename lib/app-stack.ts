// Stateless resources: the functions with their grants, schedules, the digest and sign-up queues, SES event routing, the site, alarms and dashboard.
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ACTIVE_SUBSCRIBERS_INDEX, type TableRole } from '../lambdas/adapters/aws/table-definitions';
import { API_TIMEOUT_SECONDS, SIGN_UP_SENDERS, sendingPlan } from '../lambdas/core/send-rate';
import { Monitoring } from './constructs/monitoring';
import { PapertrendFunction, type HandlerName } from './constructs/papertrend-function';
import { deadLetterQueue, encryptedQueue } from './constructs/queues';
import { ScheduledRuns } from './constructs/scheduled-runs';
import { SesEventRouting } from './constructs/ses-events';
import { Site } from './constructs/site';
import type { DeploySettings } from './settings';

export interface AppStackProps extends StackProps {
  settings: DeploySettings;
  tables: Record<TableRole, ITableV2>;
  tokenKeyring: ISecret;
  /** The SES email identity (the sending domain) and configuration set made by the DataStack. */
  ses: { identityName: string; configurationSetName: string };
}

/** How long one send-digest invocation may take: a batch of 10 at the paced rate, with throttling back-off. */
export const SEND_DIGEST_TIMEOUT = Duration.seconds(60);
/** Receives before a digest job is dead-lettered. */
export const DIGEST_MAX_RECEIVES = 5;
/** How long one sign-up invocation may take: a batch of 10 sign-ups, their confirmation emails paced at the worker's share of the rate. */
export const SIGN_UP_TIMEOUT = Duration.seconds(60);
/** Receives before a sign-up job is dead-lettered. */
export const SIGN_UP_MAX_RECEIVES = 5;
/**
 * The planner's budget for 100,000 active subscribers all due in the same hour: the index query
 * reads ~20 MB of projected attributes in 1 MB pages (~20 sequential pages, ~5 s), and 10,000
 * SendMessageBatch calls of 10 jobs, sent 10 at a time at ~30 ms each, take ~30-60 s. Five
 * minutes leaves more than 3x headroom and still ends long before the next hourly run.
 */
export const PLAN_DIGESTS_TIMEOUT = Duration.minutes(5);

export class AppStack extends Stack {
  readonly functions: Record<HandlerName, PapertrendFunction>;
  readonly digestQueue: Queue;
  readonly digestDeadLetters: Queue;
  readonly signUpQueue: Queue;
  readonly signUpDeadLetters: Queue;
  readonly site: Site;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    this.digestDeadLetters = deadLetterQueue(this, 'DigestDeadLetters', 'the digest queue');
    this.digestQueue = encryptedQueue(this, 'DigestJobs', {
      // Six times the function's timeout, as Lambda advises for SQS event sources.
      visibilityTimeout: Duration.seconds(SEND_DIGEST_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.digestDeadLetters, maxReceiveCount: DIGEST_MAX_RECEIVES },
    });
    this.signUpDeadLetters = deadLetterQueue(this, 'SignUpDeadLetters', 'the sign-up queue');
    this.signUpQueue = encryptedQueue(this, 'SignUpJobs', {
      visibilityTimeout: Duration.seconds(SIGN_UP_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.signUpDeadLetters, maxReceiveCount: SIGN_UP_MAX_RECEIVES },
    });
    const scheduleDeadLetters = deadLetterQueue(this, 'ScheduleDeadLetters', 'the fetch and plan schedules and those functions’ failed runs');
    const sesEventDeadLetters = deadLetterQueue(this, 'SesEventDeadLetters', 'the SES event rule and the ses-events function’s failed events');
    this.site = new Site(this, 'Site', { settings: props.settings });

    const scheduled = this.scheduledFunctions(props, scheduleDeadLetters);
    const emailing = this.emailingFunctions(props);
    const sesEvents = new PapertrendFunction(this, 'SesEvents', {
      handler: 'ses-events',
      description: 'Withdraw subscribers on permanent bounces and complaints; count transient bounces; settle digests from Send events',
      timeout: Duration.seconds(30),
      memorySize: 256,
      deadLetterQueue: sesEventDeadLetters,
    })
      .bindTable(props.tables.subscribers, 'SUBSCRIBERS_TABLE', 'readWrite')
      // A Send event only turns a digest's `sending` or `unknown` entry into `sent`, read first so a day already sent costs no write.
      .bindTable(props.tables.ledger, 'LEDGER_TABLE', { itemActions: ['GetItem', 'UpdateItem'] });
    new SesEventRouting(this, 'SesEventRouting', {
      configurationSetName: props.ses.configurationSetName,
      handler: sesEvents.fn,
      deadLetterQueue: sesEventDeadLetters,
    });
    new ScheduledRuns(this, 'Schedules', { functions: scheduled, deadLetterQueue: scheduleDeadLetters });
    this.functions = { ...scheduled, ...emailing, 'ses-events': sesEvents };

    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmEmail: props.settings.alarmEmail,
      functions: this.functions,
      digestQueue: this.digestQueue,
      signUpQueue: this.signUpQueue,
      deadLetterQueues: {
        DigestDeadLetters: this.digestDeadLetters,
        SignUpDeadLetters: this.signUpDeadLetters,
        ScheduleDeadLetters: scheduleDeadLetters,
        SesEventDeadLetters: sesEventDeadLetters,
      },
      stage: this.site.api.deploymentStage,
      tables: props.tables,
    });
    this.outputs();
  }

  /** fetch-papers and plan-digests, run by the schedules; their failed runs go to `deadLetters`. */
  private scheduledFunctions(props: AppStackProps, deadLetters: Queue): Record<'fetch-papers' | 'plan-digests', PapertrendFunction> {
    const fetchPapers = new PapertrendFunction(this, 'FetchPapers', {
      handler: 'fetch-papers',
      description: 'Fetch, merge and store the day’s trending papers',
      timeout: Duration.minutes(5),
      memorySize: 512,
      deadLetterQueue: deadLetters,
    }).bindTable(props.tables.papers, 'PAPERS_TABLE', 'readWrite');

    const planDigests = new PapertrendFunction(this, 'PlanDigests', {
      handler: 'plan-digests',
      description: 'Queue a digest job for every subscriber due this hour in their time zone',
      timeout: PLAN_DIGESTS_TIMEOUT,
      memorySize: 1024,
      // One run at a time, and a failed run is not retried: the next hourly run catches up.
      reservedConcurrentExecutions: 1,
      retryAttempts: 0,
      deadLetterQueue: deadLetters,
    })
      .bindTable(props.tables.subscribers, 'SUBSCRIBERS_TABLE', { queryIndex: ACTIVE_SUBSCRIBERS_INDEX })
      .bindQueue(this.digestQueue, 'DIGEST_QUEUE_URL');
    Validations.of(planDigests).acknowledge({
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason:
        'A failed planner run goes to the schedule dead-letter queue (the function’s DeadLetterConfig) and is not retried: the next hourly run plans whatever it missed',
    });
    return { 'fetch-papers': fetchPapers, 'plan-digests': planDigests };
  }

  /** send-digest (fed by the digest queue), sign-up (fed by the sign-up queue) and api (serving the site): the functions that sign links. */
  private emailingFunctions(props: AppStackProps): Record<'send-digest' | 'sign-up' | 'api', PapertrendFunction> {
    const { settings, tables } = props;
    const emailing = (fn: PapertrendFunction) =>
      this.signsLinks(fn, props)
        .setEnvironment('SENDER_ADDRESS', settings.senderAddress)
        .bindSesSending(props.ses, 'SES_CONFIGURATION_SET')
        .setEnvironment('SES_MAX_SEND_RATE', String(settings.sesMaxSendRate));

    const sendDigest = emailing(
      new PapertrendFunction(this, 'SendDigest', {
        handler: 'send-digest',
        description: 'Select, render and send one subscriber’s digest, once per local day',
        timeout: SEND_DIGEST_TIMEOUT,
        memorySize: 512,
      })
        .bindTable(tables.papers, 'PAPERS_TABLE', 'read')
        // The sender reads a subscriber and records the day's digest on it; nothing else.
        .bindTable(tables.subscribers, 'SUBSCRIBERS_TABLE', { itemActions: ['GetItem', 'UpdateItem'] })
        // The sender reads a subscriber's recent days in one Query and writes only its day's entry.
        .bindTable(tables.ledger, 'LEDGER_TABLE', { itemActions: ['Query', 'PutItem', 'UpdateItem', 'DeleteItem'] }),
    );
    consumeQueue(sendDigest, this.digestQueue, 'digest', sendingPlan(settings.sesMaxSendRate).digestSenders);

    const signUp = emailing(
      new PapertrendFunction(this, 'SignUp', {
        handler: 'sign-up',
        description: 'Write a queued sign-up and send its confirmation email',
        timeout: SIGN_UP_TIMEOUT,
        memorySize: 256,
      }).bindTable(tables.subscribers, 'SUBSCRIBERS_TABLE', 'readWrite'),
    );
    consumeQueue(signUp, this.signUpQueue, 'sign-up', SIGN_UP_SENDERS);

    return { 'send-digest': sendDigest, 'sign-up': signUp, api: this.apiFunction(props) };
  }

  /** What every function that signs links needs: the keyring, the site's URL and the footer's postal address. */
  private signsLinks(fn: PapertrendFunction, props: AppStackProps): PapertrendFunction {
    return fn
      .setEnvironment('PUBLIC_BASE_URL', this.site.publicBaseUrl)
      .setEnvironment('POSTAL_ADDRESS', props.settings.postalAddress)
      .bindSecret(props.tokenKeyring, 'TOKEN_KEYRING_SECRET_ARN');
  }

  /**
   * The site's function. It sends no email: a sign-up is one message to the sign-up queue. Confirm,
   * preferences, feedback and unsubscribe read and replace subscriber records (and their address guards).
   */
  private apiFunction(props: AppStackProps): PapertrendFunction {
    const { tables } = props;
    const api = this.signsLinks(
      new PapertrendFunction(this, 'Api', {
        handler: 'api',
        description: 'Sign-up site and subscription API',
        timeout: Duration.seconds(API_TIMEOUT_SECONDS),
        memorySize: 512,
      })
        .bindTable(tables.papers, 'PAPERS_TABLE', 'read')
        .bindTable(tables.subscribers, 'SUBSCRIBERS_TABLE', { itemActions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] })
        // A digest's web version: one ledger day, and the footer the email has.
        .bindTable(tables.ledger, 'LEDGER_TABLE', { itemActions: ['GetItem'] }),
      props,
    ).bindQueue(this.signUpQueue, 'SIGN_UP_QUEUE_URL');
    this.site.serve(api.fn);
    Validations.of(api).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by API Gateway only; the caller gets the error, there is no event to dead-letter',
    });
    return api;
  }

  /** The outputs the operator CLI reads (DescribeStacks), under the agreed ids. */
  private outputs(): void {
    new CfnOutput(this, 'SiteUrl', { value: this.site.publicBaseUrl, description: 'Where readers sign up' });
    const names: Record<HandlerName, string> = {
      'fetch-papers': 'FetchPapersFunctionName',
      'plan-digests': 'PlanDigestsFunctionName',
      'send-digest': 'SendDigestFunctionName',
      'sign-up': 'SignUpFunctionName',
      api: 'ApiFunctionName',
      'ses-events': 'SesEventsFunctionName',
    };
    for (const [handler, id] of Object.entries(names)) new CfnOutput(this, id, { value: this.functions[handler as HandlerName].fn.functionName });
    new CfnOutput(this, 'DigestQueueUrl', { value: this.digestQueue.queueUrl });
    new CfnOutput(this, 'DigestDeadLetterQueueUrl', { value: this.digestDeadLetters.queueUrl });
    new CfnOutput(this, 'SignUpDeadLetterQueueUrl', { value: this.signUpDeadLetters.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn, description: 'Confirm the email subscription once after the first deploy' });
  }
}

/**
 * `fn` takes `queue`'s jobs ten at a time, reporting failed ones, with at most `maxConcurrency`
 * containers. It has no dead-letter queue or on-failure destination of its own: the queue's
 * redrive policy dead-letters.
 */
function consumeQueue(fn: PapertrendFunction, queue: Queue, name: string, maxConcurrency: number): void {
  fn.fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency }));
  Validations.of(fn).acknowledge(
    {
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked only by its SQS event source; failed jobs reach the ${name} dead-letter queue through the queue’s redrive policy`,
    },
    {
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: `SQS event source mappings take no on-failure destination; the ${name} queue’s redrive policy dead-letters a job after five receives`,
    },
  );
}
