// CDK assertions on observability: the alarm topic, each alarm's metric and threshold, and the dashboard.
import { Match } from 'aws-cdk-lib/assertions';
import { OLDEST_JOB_AGE_LIMIT, OLDEST_SIGN_UP_AGE_LIMIT, SES_BOUNCE_RATE_LIMIT, SES_COMPLAINT_RATE_LIMIT } from '../../lib/constructs/monitoring';
import { functionFor, HANDLERS, synthAppStack, TABLE_IDS, type Resource } from './app-stack.fixture';

const { template, settings } = synthAppStack();
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));

/** The alarms on `metricName` (directly or inside a math expression) whose JSON mentions `needle`. */
function alarmsOn(metricName: string, needle = ''): Resource[] {
  return alarms.filter((alarm) => {
    const json = JSON.stringify(alarm.Properties);
    return json.includes(`"MetricName":"${metricName}"`) && json.includes(needle);
  });
}

describe('alarm topic', () => {
  it('mails the operator and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: settings.alarmEmail, TopicArn: { Ref: topicId } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('receives every alarm', () => {
    expect(alarms.length).toBeGreaterThan(20);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });
});

describe('alarms', () => {
  it('fire on any message in each dead-letter queue', () => {
    for (const queue of ['DigestDeadLetters', 'SignUpDeadLetters', 'ScheduleDeadLetters', 'SesEventDeadLetters']) {
      const found = alarmsOn('ApproximateNumberOfMessagesVisible', `"${queue}`);
      expect({ queue, count: found.length }).toEqual({ queue, count: 1 });
      expect(found[0]!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' });
    }
  });

  it('fire when the oldest digest job waited over 45 minutes', () => {
    const [age] = alarmsOn('ApproximateAgeOfOldestMessage', '"DigestJobs');
    expect(age!.Properties).toMatchObject({ Threshold: OLDEST_JOB_AGE_LIMIT.toSeconds(), ComparisonOperator: 'GreaterThanThreshold' });
    expect(OLDEST_JOB_AGE_LIMIT.toMinutes()).toBe(45);
  });

  it('fire when the oldest sign-up waited over 15 minutes', () => {
    const [age] = alarmsOn('ApproximateAgeOfOldestMessage', '"SignUpJobs');
    expect(age!.Properties).toMatchObject({ Threshold: OLDEST_SIGN_UP_AGE_LIMIT.toSeconds(), ComparisonOperator: 'GreaterThanThreshold' });
    expect(OLDEST_SIGN_UP_AGE_LIMIT.toMinutes()).toBe(15);
  });

  it.each(HANDLERS)('fire on errors and throttles of %s', (handler) => {
    const [fnId] = functionFor(template, handler);
    for (const metric of ['Errors', 'Throttles']) {
      const found = alarmsOn(metric, `{"Ref":"${fnId}"}`);
      expect({ metric, count: found.length }).toEqual({ metric, count: 1 });
      expect(found[0]!.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('fire when the planner misses an hour or the fetch a day, counting no data as a miss', () => {
    for (const [handler, period] of [
      ['plan-digests', 3600],
      ['fetch-papers', 86400],
    ] as const) {
      const [fnId] = functionFor(template, handler);
      const [notRun] = alarmsOn('Invocations', `{"Ref":"${fnId}"}`);
      expect(notRun!.Properties).toMatchObject({
        Period: period,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
    expect(alarmsOn('Invocations')).toHaveLength(2);
  });

  it('fire when a day’s fetch stored no papers (Powertools metric, service dimension)', () => {
    const [stored] = alarmsOn('PapersStored');
    expect(stored!.Properties).toMatchObject({
      Namespace: 'Papertrend',
      Dimensions: [{ Name: 'service', Value: 'fetch-papers' }],
      Period: 86400,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('fire on any 5xx from the site’s stage', () => {
    const [errors] = alarmsOn('5XXError');
    expect(errors!.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect((errors!.Properties.Dimensions as Array<{ Name: string }>).map((d) => d.Name).sort()).toEqual(['ApiName', 'Stage']);
  });

  it('fire above 2% bounces and 0.05% complaints, well before SES reviews the account', () => {
    expect(alarmsOn('Reputation.BounceRate')[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: SES_BOUNCE_RATE_LIMIT,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarmsOn('Reputation.ComplaintRate')[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: SES_COMPLAINT_RATE_LIMIT,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect([SES_BOUNCE_RATE_LIMIT, SES_COMPLAINT_RATE_LIMIT]).toEqual([0.02, 0.0005]);
  });

  it('fire on read or write throttling of each table', () => {
    for (const id of Object.values(TABLE_IDS)) {
      const found = alarmsOn('ReadThrottleEvents', id);
      expect({ id, count: found.length }).toEqual({ id, count: 1 });
      expect(JSON.stringify(found[0]!.Properties)).toContain('"MetricName":"WriteThrottleEvents"');
      expect(found[0]!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });
});

describe('dashboard', () => {
  it('shows the app’s own counters next to the alarmed figures', () => {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    for (const name of [
      'DigestsSent',
      'DigestsEmpty',
      'DigestsSkipped',
      'DigestsFailed',
      'JobsQueued',
      'PapersFetched',
      'PapersStored',
      'Bounces',
      'Complaints',
    ]) {
      expect({ name, shown: body.includes(name) }).toEqual({ name, shown: true });
    }
    for (const figure of ['ApproximateAgeOfOldestMessage', 'Reputation.BounceRate', 'ReadThrottleEvents', '5XXError', 'Throttles', 'Errors']) {
      expect({ figure, shown: body.includes(figure) }).toEqual({ figure, shown: true });
    }
  });
});
