// A Lambda function with the project's defaults; binding a resource sets its env var and its grant in one call.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';

/** The Lambda handlers, by their file name under lambdas/handlers/. */
export type HandlerName = 'fetch-papers' | 'plan-digests' | 'send-digest' | 'sign-up' | 'api' | 'ses-events';

/** The namespace of the Powertools (EMF) metrics; the dashboard and alarms read it. */
export const METRICS_NAMESPACE = 'Papertrend';

export interface PapertrendFunctionProps {
  handler: HandlerName;
  description: string;
  timeout: Duration;
  memorySize: number;
  reservedConcurrentExecutions?: number;
  /** Retries of asynchronous invocations (Lambda's default is 2). */
  retryAttempts?: number;
  /** Receives the asynchronous invocations that failed every attempt (scheduled and event-driven functions). */
  deadLetterQueue?: IQueue;
}

/**
 * What a function may do with a table. `read` and `readWrite` name the item actions the adapters
 * use (no Scan, no table management); `queryIndex` allows only Query on one index.
 */
/** Item reads, item reads and writes, a Query on one index only, or exactly the item actions listed. */
export type TableAccess = 'read' | 'readWrite' | { queryIndex: string } | { itemActions: readonly string[] };

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const root = join(__dirname, '..', '..');

/**
 * Credential providers the SDK's default chain imports lazily (`await import(...)`) only when no
 * credentials are in the environment. Lambda always sets them, so these are never loaded; left out
 * of the bundle (~110 KB), they would resolve to the runtime's own SDK copy if ever needed.
 */
const NEVER_LOADED_IN_LAMBDA = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  // The EC2/ECS metadata credentials, loaded by the same chain only when the environment has none.
  '@smithy/credential-provider-imds',
];

/**
 * One function: Node.js 24 on arm64, X-Ray tracing, its own log group with a retention, and a
 * bundle holding everything it imports (the AWS SDK included, so it runs the SDK version the tests
 * ran). Its environment is exactly what the bind* calls add, plus the Powertools service name and
 * metrics namespace.
 */
export class PapertrendFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly handler: HandlerName;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PapertrendFunctionProps) {
    super(scope, id);
    this.handler = props.handler;
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    // Its own role instead of AWSLambdaBasicExecutionRole, which may write to every log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Papertrend ${props.handler}` });
    this.logGroup.grantWrite(role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(root, 'lambdas', 'handlers', `${props.handler}.ts`),
      depsLockFilePath: join(root, 'package-lock.json'),
      projectRoot: root,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logGroup: this.logGroup,
      role,
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.retryAttempts === undefined ? {} : { retryAttempts: props.retryAttempts }),
      ...(props.deadLetterQueue === undefined ? {} : { deadLetterQueue: props.deadLetterQueue }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handler,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      bundling: {
        minify: true,
        // No source maps (they would double each bundle, and need NODE_OPTIONS, which is not in any
        // function's environment) and no kept names (4% more): errors are logged by their explicit
        // `name` and message, which minifying leaves intact.
        sourceMap: false,
        keepNames: false,
        format: OutputFormat.CJS,
        target: 'node24',
        // Bundle the SDK (no '@aws-sdk/*' externals): the version in the zip is the one the tests ran.
        bundleAwsSDK: true,
        externalModules: NEVER_LOADED_IN_LAMBDA,
        // The SDK's ES module builds, which esbuild can tree-shake (~25% less SDK code than dist-cjs).
        mainFields: ['module', 'main'],
      },
    });
    // X-Ray's PutTraceSegments and PutTelemetryRecords take no resource ARN.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    });
  }

  /** Set `envName` to the table's name and grant `access` to it (and its indexes where Query is allowed). */
  bindTable(table: ITableV2, envName: string, access: TableAccess): this {
    this.fn.addEnvironment(envName, table.tableName);
    if (typeof access === 'object' && 'itemActions' in access) {
      const actions = access.itemActions.map((action) => `dynamodb:${action}`);
      this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.tableArn] }));
      return this;
    }
    if (typeof access === 'object') {
      this.fn.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${access.queryIndex}`] }),
      );
      return this;
    }
    const actions = access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
    this.fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.tableArn] }));
    return this;
  }

  /** Set `envName` to the queue's URL and grant sending to it. */
  bindQueue(queue: IQueue, envName: string): this {
    this.fn.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this.fn);
    return this;
  }

  /** Set `envName` to the secret's ARN (never its value) and grant reading it. */
  bindSecret(secret: ISecret, envName: string): this {
    this.fn.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /**
   * Set `envName` to the configuration set's name and allow ses:SendEmail from the sending domain
   * through it. SES authorises SendEmail on the From identity and, when the request names a
   * configuration set, on that configuration set too; both ARNs are required.
   */
  bindSesSending(ses: { identityName: string; configurationSetName: string }, envName: string): this {
    this.fn.addEnvironment(envName, ses.configurationSetName);
    const stack = Stack.of(this);
    const arn = (resource: string) => `arn:${stack.partition}:ses:${stack.region}:${stack.account}:${resource}`;
    this.fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [arn(`identity/${ses.identityName}`), arn(`configuration-set/${ses.configurationSetName}`)],
      }),
    );
    return this;
  }

  /** A plain setting the function's configuration schema reads. */
  setEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }
}
