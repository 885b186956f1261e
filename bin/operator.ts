// Operator commands against a deployed stack: run the fetch or the planner now, redrive dead-lettered digests, show the queues.
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { describeError } from '../lambdas/core/errors';
import { isIsoDay } from '../lambdas/core/day';

/** The application stack's name, as bin/app.ts deploys it. */
export const DEFAULT_STACK = 'PapertrendApp';

/** The CfnOutput ids of the application stack this module reads. */
export const STACK_OUTPUTS = {
  fetchFunction: 'FetchPapersFunctionName',
  planFunction: 'PlanDigestsFunctionName',
  queueUrl: 'DigestQueueUrl',
  deadLetterQueueUrl: 'DigestDeadLetterQueueUrl',
} as const;

export const OPERATOR_USAGE = `Operator commands (a deployed stack; credentials and region from the usual AWS environment):
  aws fetch [--day YYYY-MM-DD]   run fetch-papers now (for a day, default today UTC) and print its summary
  aws plan                       run plan-digests now and print its summary
  aws redrive                    move the dead-lettered digest jobs back to the digest queue
  aws status                     digest queue and dead-letter queue depths, and the oldest job's age
  options: --region REGION, --stack NAME (default ${DEFAULT_STACK})`;

export type OperatorCommand = 'fetch' | 'plan' | 'redrive' | 'status';
export const OPERATOR_COMMANDS: readonly OperatorCommand[] = ['fetch', 'plan', 'redrive', 'status'];

/** A problem the operator can fix (no stack, a failed function): printed alone, exit code 1. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}

export interface OperatorClients {
  cloudFormation: CloudFormationClient;
  lambda: LambdaClient;
  sqs: SQSClient;
  /** Seconds the oldest message of a queue has waited (CloudWatch's ApproximateAgeOfOldestMessage), or undefined when unknown. */
  oldestMessageAge?: (queueName: string) => Promise<number | undefined>;
}

export interface OperatorOptions {
  region?: string | undefined;
  stack?: string | undefined;
  day?: string | undefined;
}

/** SDK clients for the region given, or the environment's; nothing is created until a command runs. */
export function operatorClients(region: string | undefined): OperatorClients {
  const config = region ? { region } : {};
  return { cloudFormation: new CloudFormationClient(config), lambda: new LambdaClient(config), sqs: new SQSClient(config) };
}

/** The stack's outputs by id; a missing stack or output is an OperatorError naming it. */
async function stackOutputs(clients: OperatorClients, stack: string): Promise<Map<string, string>> {
  let outputs: Output[] | undefined;
  try {
    const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stack }));
    outputs = Stacks?.[0]?.Outputs;
    if (!Stacks?.[0]) throw new OperatorError(`stack ${stack} not found`);
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      const region = await clients.cloudFormation.config.region();
      throw new OperatorError(`stack ${stack} not found in ${region}: deploy it (npx cdk deploy --all) or pass --stack/--region`);
    }
    throw error;
  }
  return new Map((outputs ?? []).flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])));
}

function output(outputs: Map<string, string>, id: string, stack: string): string {
  const value = outputs.get(id);
  if (!value) throw new OperatorError(`stack ${stack} has no output ${id}: deploy the current version of the stack`);
  return value;
}

/** Invoke a function synchronously and return its JSON answer; a function error becomes an OperatorError with its message and log tail. */
async function invoke(clients: OperatorClients, functionName: string, payload: unknown): Promise<unknown> {
  const response = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      LogType: 'Tail',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: shown as it came.
  }
  if (response.FunctionError) {
    const { errorType, errorMessage } = (typeof body === 'object' && body !== null ? body : {}) as { errorType?: string; errorMessage?: string };
    const tail = response.LogResult ? `\n--- last log lines ---\n${Buffer.from(response.LogResult, 'base64').toString('utf8').trimEnd()}` : '';
    throw new OperatorError(`${functionName} failed (${response.FunctionError}): ${errorType ?? 'Error'}: ${errorMessage ?? text}${tail}`);
  }
  return body;
}

const DEPTH_ATTRIBUTES: QueueAttributeName[] = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

interface QueueState {
  arn: string;
  name: string;
  waiting: number;
  inFlight: number;
  delayed: number;
}

async function queueState(clients: OperatorClients, queueUrl: string): Promise<QueueState> {
  const { Attributes = {} } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: DEPTH_ATTRIBUTES }));
  const arn = Attributes.QueueArn ?? '';
  return {
    arn,
    name: arn.split(':').at(-1) ?? queueUrl,
    waiting: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

async function status(clients: OperatorClients, outputs: Map<string, string>, stack: string): Promise<unknown> {
  const [queue, deadLetters] = await Promise.all([
    queueState(clients, output(outputs, STACK_OUTPUTS.queueUrl, stack)),
    queueState(clients, output(outputs, STACK_OUTPUTS.deadLetterQueueUrl, stack)),
  ]);
  const age = async (name: string) => (clients.oldestMessageAge ? ((await clients.oldestMessageAge(name)) ?? null) : null);
  const [queueAge, deadLetterAge] = await Promise.all([age(queue.name), age(deadLetters.name)]);
  const view = ({ arn: _arn, ...state }: QueueState, oldestMessageAgeSeconds: number | null) => ({ ...state, oldestMessageAgeSeconds });
  return { queue: view(queue, queueAge), deadLetterQueue: view(deadLetters, deadLetterAge) };
}

async function redrive(clients: OperatorClients, outputs: Map<string, string>, stack: string): Promise<unknown> {
  const [queue, deadLetters] = await Promise.all([
    queueState(clients, output(outputs, STACK_OUTPUTS.queueUrl, stack)),
    queueState(clients, output(outputs, STACK_OUTPUTS.deadLetterQueueUrl, stack)),
  ]);
  if (deadLetters.waiting === 0) return { moved: 0, message: `${deadLetters.name} is empty: nothing to redrive` };
  const { TaskHandle } = await clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetters.arn, DestinationArn: queue.arn }));
  return { taskHandle: TaskHandle, from: deadLetters.name, to: queue.name, approximateMessages: deadLetters.waiting };
}

/** Run one operator command and return what to print (JSON-able). */
export async function runOperatorCommand(clients: OperatorClients, command: OperatorCommand, options: OperatorOptions = {}): Promise<unknown> {
  const stack = options.stack ?? DEFAULT_STACK;
  const outputs = await stackOutputs(clients, stack);
  if (command === 'fetch') return invoke(clients, output(outputs, STACK_OUTPUTS.fetchFunction, stack), options.day ? { day: options.day } : {});
  if (command === 'plan') return invoke(clients, output(outputs, STACK_OUTPUTS.planFunction, stack), {});
  if (command === 'redrive') return redrive(clients, outputs, stack);
  return status(clients, outputs, stack);
}

/** Errors the SDK raises before any call, said in the operator's terms. */
export function describeAwsSetupError(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (/region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or AWS_PROFILE with a region) or pass --region';
  if (error instanceof Error && error.name === 'CredentialsProviderError') return `no AWS credentials: ${message}`;
  return undefined;
}

/**
 * ApproximateAgeOfOldestMessage from CloudWatch (SQS itself does not report it): the latest
 * one-minute maximum of the last 15 minutes, or undefined when there is no recent datapoint.
 */
export function cloudWatchOldestMessageAge(client: CloudWatchClient, now: () => Date = () => new Date()) {
  return async (queueName: string): Promise<number | undefined> => {
    const end = now();
    const { Datapoints = [] } = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
        StartTime: new Date(end.getTime() - 15 * 60_000),
        EndTime: end,
        Period: 60,
        Statistics: ['Maximum'],
      }),
    );
    const latest = [...Datapoints].sort((x, y) => (y.Timestamp?.getTime() ?? 0) - (x.Timestamp?.getTime() ?? 0))[0];
    return latest?.Maximum;
  };
}

/** What `npm run cli -- aws ...` needs from the outside world; tests pass mocked clients and a recorder. */
export interface OperatorCliDeps {
  clients: (region: string | undefined) => OperatorClients;
  print: (text: string) => void;
  printError: (text: string) => void;
}

const defaultCliDeps: OperatorCliDeps = {
  clients: (region) => ({ ...operatorClients(region), oldestMessageAge: cloudWatchOldestMessageAge(new CloudWatchClient(region ? { region } : {})) }),
  print: (text) => console.log(text),
  printError: (text) => console.error(text),
};

/** `aws <command> [--day D] [--region R] [--stack S]`: prints JSON on success; returns the exit code (2 for bad arguments). */
export async function runOperatorCli(argv: string[], deps: OperatorCliDeps = defaultCliDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { day: { type: 'string' }, region: { type: 'string' }, stack: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    deps.printError(`error: ${(error as Error).message}\n\n${OPERATOR_USAGE}`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  const { day, region, stack } = parsed.values;
  const problem = !OPERATOR_COMMANDS.includes(command as OperatorCommand)
    ? `unknown operator command "${command ?? ''}"`
    : extra.length > 0
      ? `unexpected argument "${extra[0]}"`
      : day !== undefined && command !== 'fetch'
        ? `${command} does not take --day`
        : day !== undefined && !isIsoDay(day)
          ? '--day must be a real date written YYYY-MM-DD'
          : undefined;
  if (problem) {
    deps.printError(`error: ${problem}\n\n${OPERATOR_USAGE}`);
    return 2;
  }
  try {
    const result = await runOperatorCommand(deps.clients(region), command as OperatorCommand, { region, stack, day });
    deps.print(JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    deps.printError(error instanceof OperatorError ? error.message : `error: ${describeAwsSetupError(error) ?? describeError(error).error}`);
    return 1;
  }
}
