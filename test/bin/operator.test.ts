// Operator commands against mocked CloudFormation, Lambda and SQS (no emulator serves these; the issue allows mocks here).
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudWatchOldestMessageAge, runOperatorCli, type OperatorClients } from '../../bin/operator';

const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const sqs = mockClient(SQSClient);

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/papertrend-digests';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/papertrend-digests-dlq';
const arnOf = (url: string) => `arn:aws:sqs:eu-west-1:123456789012:${url.split('/').at(-1)}`;

const OUTPUTS = {
  SiteUrl: 'https://papertrend.example.org/',
  FetchPapersFunctionName: 'PapertrendApp-FetchPapers-abc',
  PlanDigestsFunctionName: 'PapertrendApp-PlanDigests-def',
  DigestQueueUrl: QUEUE_URL,
  DigestDeadLetterQueueUrl: DLQ_URL,
};

let printed: string[];
let errors: string[];
let ages: string[];
let regions: Array<string | undefined>;
const clients = (region: string | undefined): OperatorClients => (
  regions.push(region),
  {
    cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }),
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    sqs: new SQSClient({ region: 'eu-west-1' }),
    oldestMessageAge: async (name) => {
      ages.push(name);
      return name.endsWith('-dlq') ? 7200 : 42;
    },
  }
);
const cli = (...argv: string[]) => runOperatorCli(argv, { clients, print: (text) => printed.push(text), printError: (text) => errors.push(text) });
const json = () => JSON.parse(printed.join('\n')) as unknown;

function stackWith(outputs: Record<string, string>) {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'PapertrendApp',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date('2026-11-01T00:00:00Z'),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

function queues(depths: Record<string, { waiting: number; inFlight?: number }>) {
  for (const [url, depth] of Object.entries(depths)) {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: url }).resolves({
      Attributes: {
        QueueArn: arnOf(url),
        ApproximateNumberOfMessages: String(depth.waiting),
        ApproximateNumberOfMessagesNotVisible: String(depth.inFlight ?? 0),
        ApproximateNumberOfMessagesDelayed: '0',
      },
    });
  }
}

// The SDK wraps the payload bytes in a blob adapter; the operator only reads the bytes.
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as NonNullable<InvokeCommandOutput['Payload']>;

beforeEach(() => {
  cloudFormation.reset();
  lambda.reset();
  sqs.reset();
  printed = [];
  errors = [];
  ages = [];
  regions = [];
  stackWith(OUTPUTS);
});

describe('npm run cli -- aws fetch|plan', () => {
  it('invokes fetch-papers synchronously with the day and prints its summary', async () => {
    const summary = { day: '2026-11-28', stored: 312, sources: [{ source: 'hf', papers: 40 }] };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode(summary) });
    expect(await cli('fetch', '--day', '2026-11-28', '--region', 'eu-west-1')).toBe(0);
    const call = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(call).toMatchObject({ FunctionName: OUTPUTS.FetchPapersFunctionName, InvocationType: 'RequestResponse' });
    expect(JSON.parse(new TextDecoder().decode(call.Payload as Uint8Array))).toEqual({ day: '2026-11-28' });
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'PapertrendApp' });
    expect(json()).toEqual(summary);
    expect(errors).toEqual([]);
    expect(regions).toEqual(['eu-west-1']);
  });

  it('invokes plan-digests of the stack named by --stack', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encode({ active: 100000, queued: 4100 }) });
    expect(await cli('plan', '--stack', 'PapertrendStaging')).toBe(0);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: 'PapertrendStaging' });
    expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input.FunctionName).toBe(OUTPUTS.PlanDigestsFunctionName);
    expect(json()).toEqual({ active: 100000, queued: 4100 });
  });

  it('says so and exits 1 when the function failed, with its error and log tail', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: encode({ errorType: 'EnqueueError', errorMessage: 'SQS did not take 20 of 4100 job(s): InternalError', trace: [] }),
      LogResult: Buffer.from('{"level":"ERROR","message":"planner failed"}\n').toString('base64'),
    });
    expect(await cli('plan')).toBe(1);
    expect(printed).toEqual([]);
    expect(errors.join('\n')).toContain(
      `${OUTPUTS.PlanDigestsFunctionName} failed (Unhandled): EnqueueError: SQS did not take 20 of 4100 job(s): InternalError`,
    );
    expect(errors.join('\n')).toContain('"message":"planner failed"');
  });

  it('names a missing stack and its region, and exits 1 without invoking anything', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: {}, message: 'Stack with id PapertrendApp does not exist' }),
      );
    expect(await cli('plan')).toBe(1);
    expect(errors).toEqual(['stack PapertrendApp not found in eu-west-1: deploy it (npx cdk deploy --all) or pass --stack/--region']);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('names an output the deployed stack lacks', async () => {
    const { PlanDigestsFunctionName: _missing, ...older } = OUTPUTS;
    stackWith(older);
    expect(await cli('plan')).toBe(1);
    expect(errors).toEqual(['stack PapertrendApp has no output PlanDigestsFunctionName: deploy the current version of the stack']);
  });

  it('refuses bad arguments with the usage and exit code 2, calling nothing', async () => {
    expect(await cli('fetch', '--day', '2026-02-30')).toBe(2);
    expect(await cli('plan', '--day', '2026-11-28')).toBe(2);
    expect(await cli('launch')).toBe(2);
    expect(await cli('status', '--color')).toBe(2);
    expect(errors.map((text) => text.split('\n')[0])).toEqual([
      'error: --day must be a real date written YYYY-MM-DD',
      'error: plan does not take --day',
      'error: unknown operator command "launch"',
      "error: Unknown option '--color'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--color\"",
    ]);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });
});

describe('npm run cli -- aws redrive|status', () => {
  it('moves the dead-letter queue back to the digest queue and prints the task handle', async () => {
    queues({ [QUEUE_URL]: { waiting: 0 }, [DLQ_URL]: { waiting: 37 } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-handle-1' });
    expect(await cli('redrive')).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({ SourceArn: arnOf(DLQ_URL), DestinationArn: arnOf(QUEUE_URL) });
    expect(json()).toEqual({ taskHandle: 'task-handle-1', from: 'papertrend-digests-dlq', to: 'papertrend-digests', approximateMessages: 37 });
  });

  it('starts no move task when the dead-letter queue is empty', async () => {
    queues({ [QUEUE_URL]: { waiting: 3 }, [DLQ_URL]: { waiting: 0 } });
    expect(await cli('redrive')).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    expect(json()).toEqual({ moved: 0, message: 'papertrend-digests-dlq is empty: nothing to redrive' });
  });

  it('prints both queues’ depths and the age of their oldest message', async () => {
    queues({ [QUEUE_URL]: { waiting: 1200, inFlight: 14 }, [DLQ_URL]: { waiting: 2 } });
    expect(await cli('status')).toBe(0);
    expect(json()).toEqual({
      queue: { name: 'papertrend-digests', waiting: 1200, inFlight: 14, delayed: 0, oldestMessageAgeSeconds: 42 },
      deadLetterQueue: { name: 'papertrend-digests-dlq', waiting: 2, inFlight: 0, delayed: 0, oldestMessageAgeSeconds: 7200 },
    });
    expect(ages.sort()).toEqual(['papertrend-digests', 'papertrend-digests-dlq']);
  });
});

describe('cloudWatchOldestMessageAge', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  const now = new Date('2026-11-30T01:00:00Z');
  afterEach(() => cloudWatch.reset());

  it('reads the queue’s ApproximateAgeOfOldestMessage over the last 15 minutes and takes the latest minute', async () => {
    cloudWatch.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [
        { Timestamp: new Date('2026-11-30T00:58:00Z'), Maximum: 300 },
        { Timestamp: new Date('2026-11-30T00:59:00Z'), Maximum: 360 },
        { Timestamp: new Date('2026-11-30T00:50:00Z'), Maximum: 1 },
      ],
    });
    expect(await cloudWatchOldestMessageAge(new CloudWatchClient({ region: 'eu-west-1' }), () => now)('papertrend-digests')).toBe(360);
    const [call] = cloudWatch.commandCalls(GetMetricStatisticsCommand);
    expect(call!.args[0].input).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: 'papertrend-digests' }],
      StartTime: new Date('2026-11-30T00:45:00Z'),
      EndTime: now,
      Statistics: ['Maximum'],
    });
  });

  it('answers undefined when the queue has no recent datapoint', async () => {
    cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
    expect(await cloudWatchOldestMessageAge(new CloudWatchClient({ region: 'eu-west-1' }), () => now)('papertrend-digests')).toBeUndefined();
  });
});
