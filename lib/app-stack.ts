// Stateless resources: the functions, their schedules, the digest queue with its dead-letter queue, and the API.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableRole } from '../lambdas/adapters/aws/tables';
import { routes } from '../lambdas/routes';
import { PapertrendFunction } from './constructs/papertrend-function';

export interface AppStackProps extends StackProps {
  tables: Record<TableRole, ITableV2>;
  tokenKeyring: ISecret;
  /** Verified SES sender, e.g. `Papertrend <digest@papertrend.example>`. */
  senderAddress: string;
  /** Where the site is served, for the links in emails. */
  publicBaseUrl: string;
  postalAddress: string;
  sesConfigurationSet?: string;
}

/** How long one send-digest invocation may take; the queue hides a message six times as long. */
const SEND_TIMEOUT = Duration.seconds(60);

export class AppStack extends Stack {
  readonly api: RestApi;
  readonly digestQueue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const environment = {
      SENDER_ADDRESS: props.senderAddress,
      PUBLIC_BASE_URL: props.publicBaseUrl,
      POSTAL_ADDRESS: props.postalAddress,
      // Resolved by CloudFormation at deploy time; the template holds only a reference.
      TOKEN_KEYRING: props.tokenKeyring.secretValue.unsafeUnwrap(),
      ...(props.sesConfigurationSet ? { SES_CONFIGURATION_SET: props.sesConfigurationSet } : {}),
    };
    const withTables = (fn: PapertrendFunction, access: Partial<Record<TableRole, 'read' | 'readWrite'>>) => {
      fn.bindTable(props.tables.papers, 'PAPERS_TABLE', access.papers ?? 'read');
      fn.bindTable(props.tables.subscribers, 'SUBSCRIBERS_TABLE', access.subscribers ?? 'read');
      fn.bindTable(props.tables.ledger, 'LEDGER_TABLE', access.ledger ?? 'read');
      return fn;
    };

    this.deadLetterQueue = new Queue(this, 'DigestDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.digestQueue = new Queue(this, 'DigestJobs', {
      visibilityTimeout: SEND_TIMEOUT.plus(Duration.seconds(SEND_TIMEOUT.toSeconds() * 5)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    const fetchPapers = withTables(
      new PapertrendFunction(this, 'FetchPapers', {
        handler: 'fetch-papers',
        description: 'Fetch, merge and store the day’s trending papers',
        timeout: Duration.minutes(5),
        environment,
      }),
      { papers: 'readWrite' },
    );
    new Rule(this, 'FetchPapersDaily', {
      description: 'Fetch papers after HF and arXiv publish the day’s lists',
      schedule: Schedule.cron({ minute: '15', hour: '*/6' }),
      targets: [new LambdaFunction(fetchPapers.fn, { retryAttempts: 2 })],
    });

    const planDigests = withTables(
      new PapertrendFunction(this, 'PlanDigests', {
        handler: 'plan-digests',
        description: 'Queue a digest job for every subscriber due this hour in their time zone',
        timeout: Duration.minutes(2),
        environment,
      }),
      {},
    ).bindQueue(this.digestQueue, 'DIGEST_QUEUE_URL');
    new Rule(this, 'PlanDigestsHourly', {
      description: 'Plan the digests due this hour',
      schedule: Schedule.cron({ minute: '0' }),
      targets: [new LambdaFunction(planDigests.fn, { retryAttempts: 2 })],
    });

    const sendDigest = withTables(
      new PapertrendFunction(this, 'SendDigest', {
        handler: 'send-digest',
        description: 'Select, render and send one subscriber’s digest, once per local day',
        timeout: SEND_TIMEOUT,
        environment,
      }),
      { subscribers: 'readWrite', ledger: 'readWrite' },
    );
    sendDigest.fn.addEventSource(new SqsEventSource(this.digestQueue, { batchSize: 10, reportBatchItemFailures: true }));
    // SES authorises SendEmail on the sender identity and the configuration set; the identity is
    // verified outside this stack (see README), so the grant is by action.
    const sendEmail = new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:SendEmail'], resources: ['*'] });
    sendDigest.fn.addToRolePolicy(sendEmail);

    const api = withTables(
      new PapertrendFunction(this, 'Api', {
        handler: 'api',
        description: 'Sign-up site and subscription API',
        timeout: Duration.seconds(10),
        environment,
      }),
      { subscribers: 'readWrite' },
    );
    // The site sends the confirmation emails.
    api.fn.addToRolePolicy(sendEmail);
    this.api = new RestApi(this, 'Site', {
      description: 'Papertrend sign-up site',
      deployOptions: {
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
        // A flood of sign-ups must not crowd out one-click unsubscribes, which mail providers may not retry.
        methodOptions: { '/unsubscribe/POST': { throttlingRateLimit: 50, throttlingBurstLimit: 100 } },
      },
    });
    const integration = new LambdaIntegration(api.fn);
    // One resource and method per entry of the shared route table, as the local HTTP adapter serves them.
    for (const route of routes) {
      const resource = route.path === '/' ? this.api.root : this.api.root.resourceForPath(route.path);
      resource.addMethod(route.method, integration, { operationName: route.summary });
    }
  }
}
