// A Lambda function with the project's defaults; binding a resource sets its env var and its grant in one call.
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays, LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { join } from 'node:path';

export interface PapertrendFunctionProps {
  /** File name under lambdas/handlers/, without extension. */
  handler: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  environment: Record<string, string>;
}

const root = join(__dirname, '..', '..');

export class PapertrendFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: PapertrendFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(root, 'lambdas', 'handlers', `${props.handler}.ts`),
      depsLockFilePath: join(root, 'package-lock.json'),
      projectRoot: root,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: { minify: true, sourceMap: true, format: OutputFormat.CJS, target: 'node24', externalModules: ['@aws-sdk/*'] },
    });
  }

  /** Set `envName` to the table's name and grant the access the function needs, together. */
  bindTable(table: ITable, envName: string, access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment(envName, table.tableName);
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    return this;
  }

  /** Set `envName` to the queue's URL and grant sending to it. */
  bindQueue(queue: IQueue, envName: string): this {
    this.fn.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this.fn);
    return this;
  }
}
