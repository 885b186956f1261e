// CDK assertions on the AppStack: each function's environment and grants, the queue and its trigger, schedules, SES events, outputs.
import { Match } from 'aws-cdk-lib/assertions';
import { ACTIVE_SUBSCRIBERS_INDEX } from '../../lambdas/adapters/aws/table-definitions';
import { DEFAULT_CLAIM_LEASE_SECONDS } from '../../lambdas/core/digest-ledger';
import { SIGN_UP_SENDERS, sendingPlan } from '../../lambdas/core/send-rate';
import { schedules } from '../../lambdas/schedules';
import { PLAN_DIGESTS_TIMEOUT, SEND_DIGEST_TIMEOUT, SIGN_UP_MAX_RECEIVES, SIGN_UP_TIMEOUT } from '../../lib/app-stack';
import type { HandlerName } from '../../lib/constructs/papertrend-function';
import { SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRY_ATTEMPTS } from '../../lib/constructs/scheduled-runs';
import { SES_EVENT_DETAIL_TYPES } from '../../lib/constructs/ses-events';
import { actionsOf, functionFor, HANDLERS, KEYRING_ID, SES, settingsWith, statementsFor, statementsOn, synthAppStack, TABLE_IDS } from './app-stack.fixture';

const { template, settings } = synthAppStack();

const POWERTOOLS = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
const EMAILING = ['SENDER_ADDRESS', 'PUBLIC_BASE_URL', 'POSTAL_ADDRESS', 'TOKEN_KEYRING_SECRET_ARN', 'SES_CONFIGURATION_SET', 'SES_MAX_SEND_RATE'];
/** The brief's per-function lists (AWS_REGION is set by Lambda itself). */
const ENVIRONMENT: Record<HandlerName, string[]> = {
  'fetch-papers': ['PAPERS_TABLE'],
  'plan-digests': ['SUBSCRIBERS_TABLE', 'DIGEST_QUEUE_URL'],
  'send-digest': ['PAPERS_TABLE', 'SUBSCRIBERS_TABLE', 'LEDGER_TABLE', ...EMAILING],
  'sign-up': ['SUBSCRIBERS_TABLE', ...EMAILING],
  api: ['PAPERS_TABLE', 'SUBSCRIBERS_TABLE', 'LEDGER_TABLE', 'PUBLIC_BASE_URL', 'POSTAL_ADDRESS', 'SIGN_UP_QUEUE_URL', 'TOKEN_KEYRING_SECRET_ARN'],
  'ses-events': ['SUBSCRIBERS_TABLE', 'LEDGER_TABLE'],
};

describe('functions', () => {
  it.each(HANDLERS)('%s runs on Node.js 24, arm64, traced, with exactly its own environment variables', (handler) => {
    const [, fn] = functionFor(template, handler);
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    const variables = fn.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual([...POWERTOOLS, ...ENVIRONMENT[handler]].sort());
    expect(variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: handler, POWERTOOLS_METRICS_NAMESPACE: 'Papertrend' });
  });

  it('puts no secret value in the template: the keyring goes by ARN, and no TOKEN_KEYRING variable exists', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/resolve:secretsmanager/);
    expect(json).not.toMatch(/"TOKEN_KEYRING"/);
    for (const handler of ['send-digest', 'sign-up', 'api'] as const) {
      const [, fn] = functionFor(template, handler);
      expect(JSON.stringify(fn.Properties.Environment.Variables.TOKEN_KEYRING_SECRET_ARN)).toContain(KEYRING_ID);
    }
  });

  it('passes the settings the emailing functions read', () => {
    for (const handler of ['send-digest', 'sign-up'] as const) {
      const [, fn] = functionFor(template, handler);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        SENDER_ADDRESS: settings.senderAddress,
        POSTAL_ADDRESS: settings.postalAddress,
        SES_CONFIGURATION_SET: SES.configurationSetName,
        SES_MAX_SEND_RATE: String(settings.sesMaxSendRate),
      });
    }
  });

  it('runs the planner one at a time, never retried asynchronously, with time for 100,000 subscribers', () => {
    const [planId, plan] = functionFor(template, 'plan-digests');
    expect(plan.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: PLAN_DIGESTS_TIMEOUT.toSeconds() });
    expect(PLAN_DIGESTS_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(180);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: planId }, MaximumRetryAttempts: 0 });
  });
});

describe('grants', () => {
  const sesArn = (resource: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ses:${settings.region}:${settings.account}:${resource}`]],
  });

  it('lets fetch-papers read and write papers, and nothing on subscribers, the ledger, the keyring or SES', () => {
    expect(statementsOn(template, 'fetch-papers', TABLE_IDS.papers).flatMap(actionsOf)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']),
    );
    expect(statementsOn(template, 'fetch-papers', TABLE_IDS.subscribers)).toEqual([]);
    expect(statementsOn(template, 'fetch-papers', TABLE_IDS.ledger)).toEqual([]);
    const actions = statementsFor(template, 'fetch-papers').flatMap(actionsOf);
    expect(actions.filter((action) => /^(ses|secretsmanager|sqs:Receive)/.test(action))).toEqual([]);
  });

  it('lets the planner only Query the active-subscribers index and send to the digest queue', () => {
    const onSubscribers = statementsOn(template, 'plan-digests', TABLE_IDS.subscribers);
    expect(onSubscribers).toHaveLength(1);
    expect(onSubscribers[0]).toMatchObject({
      Action: 'dynamodb:Query',
      Resource: { 'Fn::Join': ['', [expect.anything(), `/index/${ACTIVE_SUBSCRIBERS_INDEX}`]] },
    });
    expect(statementsOn(template, 'plan-digests', TABLE_IDS.papers)).toEqual([]);
    expect(statementsOn(template, 'plan-digests', 'DigestJobs').flatMap(actionsOf)).toContain('sqs:SendMessage');
  });

  it('lets only send-digest, sign-up and api read the keyring', () => {
    for (const handler of HANDLERS) {
      const reads = statementsOn(template, handler, KEYRING_ID).flatMap(actionsOf);
      if (handler === 'send-digest' || handler === 'sign-up' || handler === 'api') expect(reads).toContain('secretsmanager:GetSecretValue');
      else expect({ handler, reads }).toEqual({ handler, reads: [] });
    }
  });

  it('lets only send-digest and sign-up send email (not the api), from the sending domain through the configuration set', () => {
    for (const handler of HANDLERS) {
      const ses = statementsFor(template, handler).filter((statement) => actionsOf(statement).some((action) => action.startsWith('ses:')));
      if (handler === 'send-digest' || handler === 'sign-up') {
        expect(ses).toEqual([
          {
            Effect: 'Allow',
            Action: 'ses:SendEmail',
            Resource: [sesArn(`identity/${SES.identityName}`), sesArn(`configuration-set/${SES.configurationSetName}`)],
          },
        ]);
      } else {
        expect({ handler, ses }).toEqual({ handler, ses: [] });
      }
    }
  });

  it('gives send-digest papers read-only, a subscriber’s read and update only, its ledger days; ses-events subscribers and ledger updates only', () => {
    const send = (table: string) => statementsOn(template, 'send-digest', table).flatMap(actionsOf);
    expect(send(TABLE_IDS.papers)).not.toContain('dynamodb:PutItem');
    expect(send(TABLE_IDS.papers)).toContain('dynamodb:Query');
    expect(send(TABLE_IDS.subscribers).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(send(TABLE_IDS.ledger).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(statementsOn(template, 'ses-events', TABLE_IDS.subscribers).flatMap(actionsOf)).toContain('dynamodb:UpdateItem');
    expect(statementsOn(template, 'ses-events', TABLE_IDS.papers)).toEqual([]);
    expect(statementsOn(template, 'ses-events', TABLE_IDS.ledger).flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  it('grants no action on every resource except X-Ray’s, and no table management or Scan', () => {
    for (const handler of HANDLERS) {
      const statements = statementsFor(template, handler);
      const onEverything = statements.filter((statement) => statement.Resource === '*').flatMap(actionsOf);
      expect(onEverything.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      const dynamo = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
      expect(dynamo.filter((action) => /Scan|Table|\*/.test(action))).toEqual([]);
    }
  });
});

describe('digest queue', () => {
  it('feeds send-digest in batches of 10 with partial failures, as many at once as the SES plan allows', () => {
    const [sendId] = functionFor(template, 'send-digest');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: sendId },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: sendingPlan(settings.sesMaxSendRate).digestSenders },
    });
  });

  it('derives the trigger’s concurrency from sesMaxSendRate', () => {
    const fast = synthAppStack(settingsWith({ sesMaxSendRate: '50' }));
    const senders = sendingPlan(50).digestSenders;
    expect(senders).toBeGreaterThan(sendingPlan(14).digestSenders);
    fast.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: senders } });
    const [, send] = functionFor(fast.template, 'send-digest');
    expect(send.Properties.Environment.Variables.SES_MAX_SEND_RATE).toBe('50');
  });

  it('leases a digest send for longer than send-digest can run, so only a dead sender’s entry outlives it', () => {
    const [, send] = functionFor(template, 'send-digest');
    expect(send.Properties.Environment.Variables).not.toHaveProperty('CLAIM_LEASE_SECONDS');
    expect(DEFAULT_CLAIM_LEASE_SECONDS).toBeGreaterThan(SEND_DIGEST_TIMEOUT.toSeconds());
  });

  it('hides a job for at least six function timeouts, dead-letters after five receives, encrypted and TLS-only', () => {
    const [, send] = functionFor(template, 'send-digest');
    expect(send.Properties.Timeout).toBe(SEND_DIGEST_TIMEOUT.toSeconds());
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DigestDeadLetters'), 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
    });
    const jobs = Object.values(template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }));
    expect(jobs).toHaveLength(2);
    const digestJobs = jobs.find((queue) => JSON.stringify(queue.Properties.RedrivePolicy).includes('DigestDeadLetters'))!;
    expect(digestJobs.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * SEND_DIGEST_TIMEOUT.toSeconds());
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies.length).toBe(Object.keys(template.findResources('AWS::SQS::Queue')).length);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('sign-up queue', () => {
  it('feeds the sign-up worker in batches of 10 with partial failures, as many at once as share the confirmation rate', () => {
    const [signUpId] = functionFor(template, 'sign-up');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: signUpId },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SignUpJobs'), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: SIGN_UP_SENDERS },
    });
  });

  it('hides a sign-up for six function timeouts and dead-letters it after five receives, encrypted', () => {
    const [, signUp] = functionFor(template, 'sign-up');
    expect(signUp.Properties.Timeout).toBe(SIGN_UP_TIMEOUT.toSeconds());
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * SIGN_UP_TIMEOUT.toSeconds(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SignUpDeadLetters'), 'Arn'] }, maxReceiveCount: SIGN_UP_MAX_RECEIVES },
      SqsManagedSseEnabled: true,
    });
  });

  it('lets the api only send to it (and the sign-up worker only consume it)', () => {
    const api = statementsOn(template, 'api', 'SignUpJobs').flatMap(actionsOf);
    expect(api).toContain('sqs:SendMessage');
    expect(api.filter((action) => /Receive|Delete/.test(action))).toEqual([]);
    expect(statementsOn(template, 'sign-up', 'SignUpJobs').flatMap(actionsOf)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(statementsOn(template, 'sign-up', 'SignUpJobs').flatMap(actionsOf)).not.toContain('sqs:SendMessage');
  });

  it('gives the api item reads and replacements on subscribers (confirm, preferences, unsubscribe) and no Query: finding an address is the worker’s; one ledger day’s read', () => {
    expect(statementsOn(template, 'api', TABLE_IDS.subscribers).flatMap(actionsOf).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    // The ledger: one day's GetItem, for a digest's web version (the test above).
    expect(statementsOn(template, 'api', TABLE_IDS.ledger).flatMap(actionsOf)).toEqual(['dynamodb:GetItem']);
  });
});

describe('schedules', () => {
  it.each(schedules)('$name invokes $handler at its UTC cron with retries, a maximum age and a dead-letter queue', (run) => {
    const [fnId] = functionFor(template, run.handler);
    const hour = run.cron.hour;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: `cron(${run.cron.minute} ${hour} * * ? *)`,
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds() },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ScheduleDeadLetters'), 'Arn'] } },
      },
    });
  });

  it('names the daily fetch after the UTC time it runs, and runs it before the planner’s hour', () => {
    const fetch = schedules.find((run) => run.handler === 'fetch-papers')!;
    const [, hh, mm] = /Daily(\d{2})(\d{2})Utc$/.exec(fetch.name) ?? [];
    expect({ hour: Number(hh), minute: Number(mm) }).toEqual({ hour: Number(fetch.cron.hour), minute: Number(fetch.cron.minute) });
    expect(Number(fetch.cron.minute)).toBeGreaterThan(0);
    expect(schedules.find((run) => run.handler === 'plan-digests')!.cron).toEqual({ minute: '0', hour: '*' });
  });

  it('dead-letters failed asynchronous runs of the scheduled functions and ses-events', () => {
    for (const [handler, queue] of [
      ['fetch-papers', 'ScheduleDeadLetters'],
      ['plan-digests', 'ScheduleDeadLetters'],
      ['ses-events', 'SesEventDeadLetters'],
    ] as const) {
      const [, fn] = functionFor(template, handler);
      expect(fn.Properties.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]).toMatch(new RegExp(`^${queue}`));
    }
  });
});

describe('SES events', () => {
  it('routes the configuration set’s events from the default bus to ses-events, retrying then dead-lettering', () => {
    const [fnId] = functionFor(template, 'ses-events');
    expect(SES_EVENT_DETAIL_TYPES).toEqual(expect.arrayContaining(['Email Bounced', 'Email Complaint Received', 'Email Delivered', 'Email Rejected']));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': SES_EVENT_DETAIL_TYPES,
        detail: { mail: { tags: { 'ses:configuration-set': [SES.configurationSetName] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SesEventDeadLetters'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        }),
      ],
    });
  });
});

describe('outputs', () => {
  it('exports what the operator CLI reads', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'SiteUrl',
        'FetchPapersFunctionName',
        'PlanDigestsFunctionName',
        'SendDigestFunctionName',
        'SignUpFunctionName',
        'ApiFunctionName',
        'SesEventsFunctionName',
        'DigestQueueUrl',
        'DigestDeadLetterQueueUrl',
        'SignUpDeadLetterQueueUrl',
        'AlarmTopicArn',
      ].sort(),
    );
    const [sendId] = functionFor(template, 'send-digest');
    expect(outputs.SendDigestFunctionName!.Value).toEqual({ Ref: sendId });
    expect(outputs.DigestDeadLetterQueueUrl!.Value.Ref).toMatch(/^DigestDeadLetters/);
  });
});
