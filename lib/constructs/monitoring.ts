// The alarm topic, the alarms an operator must act on, and one dashboard with the same figures and the app's own metrics.
import { Duration, Validations } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MetricName } from '../../lambdas/ports';
import { METRICS_NAMESPACE, type HandlerName, type PapertrendFunction } from './papertrend-function';

/** A digest job waiting longer than this means sending has stalled or cannot keep up. */
export const OLDEST_JOB_AGE_LIMIT = Duration.minutes(45);
/** A visitor waits for a confirmation email: a sign-up job this old means the sign-up worker stalled. */
export const OLDEST_SIGN_UP_AGE_LIMIT = Duration.minutes(15);
/** SES reviews an account at ~5% bounces and ~0.1% complaints; these alarms fire well before. */
export const SES_BOUNCE_RATE_LIMIT = 0.02;
export const SES_COMPLAINT_RATE_LIMIT = 0.0005;

/** How often each scheduled function must run; fewer than one invocation in this period alarms. */
export const EXPECTED_RUN_PERIOD: Partial<Record<HandlerName, Duration>> = {
  'fetch-papers': Duration.days(1),
  'plan-digests': Duration.hours(1),
};

export interface MonitoringProps {
  alarmEmail: string;
  functions: Record<HandlerName, PapertrendFunction>;
  digestQueue: IQueue;
  signUpQueue: IQueue;
  deadLetterQueues: Record<string, IQueue>;
  stage: Stage;
  tables: Record<string, ITableV2>;
}

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // No KMS key: notifications hold alarm names and metric values, never subscriber data, and
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key (a customer key is $1/month for nothing).
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Papertrend alarms', enforceSSL: true });
    const subscription = new EmailSubscription(props.alarmEmail);
    this.topic.addSubscription(subscription);
    Validations.of(this).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'The only subscription is the operator’s email; an undelivered alarm email has no reader for a dead-letter queue, and the alarm stays in ALARM in CloudWatch',
    });

    this.queueAlarms(props);
    this.functionAlarms(props.functions);
    this.siteAndSesAlarms(props.stage);
    for (const [role, table] of Object.entries(props.tables)) {
      this.alarm(`${capitalise(role)}TableThrottled`, `DynamoDB throttled requests on the ${role} table`, tableThrottles(table, role), {
        threshold: 1,
        operator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'Papertrend', widgets: dashboardRows(props) });
  }

  private queueAlarms(props: MonitoringProps): void {
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(
        `${name}NotEmpty`,
        `Messages in the ${name} dead-letter queue: inspect and redrive`,
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
        {
          threshold: 1,
          operator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        },
      );
    }
    this.alarm(
      'DigestJobsWaiting',
      `The oldest digest job has waited over ${OLDEST_JOB_AGE_LIMIT.toMinutes()} minutes: sending stalled or too slow`,
      props.digestQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) }),
      { threshold: OLDEST_JOB_AGE_LIMIT.toSeconds(), operator: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );
    this.alarm(
      'SignUpJobsWaiting',
      `The oldest sign-up has waited over ${OLDEST_SIGN_UP_AGE_LIMIT.toMinutes()} minutes: confirmation emails stalled`,
      props.signUpQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) }),
      { threshold: OLDEST_SIGN_UP_AGE_LIMIT.toSeconds(), operator: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );
  }

  private functionAlarms(functions: Record<HandlerName, PapertrendFunction>): void {
    for (const fn of Object.values(functions)) {
      const name = capitalise(fn.handler);
      const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
      const atLeastOne = { threshold: 1, operator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD };
      this.alarm(`${name}Errors`, `${fn.handler} failed`, fn.fn.metricErrors(fiveMinutes), atLeastOne);
      this.alarm(`${name}Throttles`, `${fn.handler} was throttled`, fn.fn.metricThrottles(fiveMinutes), atLeastOne);
      const period = EXPECTED_RUN_PERIOD[fn.handler];
      if (period) {
        this.alarm(
          `${name}NotRun`,
          `${fn.handler} did not run in ${period.toHumanString()}: check its schedule`,
          fn.fn.metricInvocations({ period, statistic: 'Sum' }),
          {
            threshold: 1,
            operator: ComparisonOperator.LESS_THAN_THRESHOLD,
            missing: TreatMissingData.BREACHING,
          },
        );
      }
    }
    this.alarm(
      'NoPapersStored',
      'A day’s fetch stored no papers: sources empty, changed or unreachable',
      appMetric('PapersStored', 'fetch-papers', Duration.days(1)),
      {
        threshold: 1,
        operator: ComparisonOperator.LESS_THAN_THRESHOLD,
        missing: TreatMissingData.BREACHING,
      },
    );
  }

  private siteAndSesAlarms(stage: Stage): void {
    this.alarm('SiteServerErrors', 'The site answered 5xx', stage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      operator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('SesBounceRate', `SES bounce rate above ${SES_BOUNCE_RATE_LIMIT * 100}% (SES reviews accounts at 5%)`, sesReputation('Reputation.BounceRate'), {
      threshold: SES_BOUNCE_RATE_LIMIT,
      operator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    this.alarm(
      'SesComplaintRate',
      `SES complaint rate above ${SES_COMPLAINT_RATE_LIMIT * 100}% (SES reviews accounts at 0.1%)`,
      sesReputation('Reputation.ComplaintRate'),
      {
        threshold: SES_COMPLAINT_RATE_LIMIT,
        operator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      },
    );
  }

  private alarm(
    id: string,
    description: string,
    metric: IMetric,
    options: { threshold: number; operator: ComparisonOperator; missing?: TreatMissingData },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: options.threshold,
      comparisonOperator: options.operator,
      evaluationPeriods: 1,
      treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function capitalise(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** A Powertools (EMF) metric of the app: namespace Papertrend, dimension `service` = the function's POWERTOOLS_SERVICE_NAME. */
export function appMetric(name: MetricName, service: HandlerName, period = Duration.hours(1)): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service }, statistic: 'Sum', period });
}

/** Account-level SES reputation (what SES itself reviews), as a rate between 0 and 1. */
function sesReputation(metricName: 'Reputation.BounceRate' | 'Reputation.ComplaintRate'): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
}

/** Read and write throttle events of a table (its indexes included), summed. */
function tableThrottles(table: ITableV2, role: string): MathExpression {
  const options = { statistic: 'Sum', period: Duration.minutes(5) };
  return new MathExpression({
    expression: `FILL(reads_${role}, 0) + FILL(writes_${role}, 0)`,
    usingMetrics: { [`reads_${role}`]: table.metric('ReadThrottleEvents', options), [`writes_${role}`]: table.metric('WriteThrottleEvents', options) },
    label: `${role} throttle events`,
    period: Duration.minutes(5),
  });
}

function dashboardRows(props: MonitoringProps): IWidget[][] {
  return [
    [new TextWidget({ markdown: '# Papertrend\nDigests, papers, sign-ups and the alarms on them. Alarms mail the alarm topic.', width: 24, height: 2 })],
    ...appRows(),
    ...infrastructureRows(props),
  ];
}

/** The app's own counters (Powertools EMF) and SES reputation. */
function appRows(): IWidget[][] {
  const daily = (name: MetricName, service: HandlerName) => appMetric(name, service, Duration.days(1));
  const hourly = (name: MetricName, service: HandlerName) => appMetric(name, service, Duration.hours(1));
  // Per-source counts carry a `source` dimension too, so they are found by search.
  const bySource = (name: MetricName, label: string) =>
    new MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},service,source} MetricName="${name}"', 'Sum', 86400)`,
      label,
      period: Duration.days(1),
    });
  const papersFetched = bySource('PapersFetched', 'Papers fetched by source');
  return [
    [
      new GraphWidget({
        title: 'Digests (per hour)',
        width: 12,
        left: (['DigestsSent', 'DigestsEmpty', 'DigestsSkipped', 'DigestsFailed', 'DigestsUnknown'] as const).map((name) => hourly(name, 'send-digest')),
        right: [hourly('JobsQueued', 'plan-digests')],
      }),
      new GraphWidget({
        title: 'Papers (per day)',
        width: 12,
        left: [papersFetched, daily('PapersStored', 'fetch-papers'), bySource('ItemsSkipped', 'Feed items skipped by source')],
      }),
    ],
    [
      new GraphWidget({
        title: 'Sign-ups and SES feedback (per hour)',
        width: 12,
        left: [hourly('ConfirmationsSent', 'sign-up'), hourly('Bounces', 'ses-events'), hourly('Complaints', 'ses-events')],
      }),
      new GraphWidget({
        title: 'SES reputation (alarms at 2% bounces, 0.05% complaints)',
        width: 12,
        left: [sesReputation('Reputation.BounceRate'), sesReputation('Reputation.ComplaintRate')],
      }),
    ],
  ];
}

/** Functions, queues, tables and the site, as AWS reports them. */
function infrastructureRows(props: MonitoringProps): IWidget[][] {
  const functions = Object.values(props.functions);
  const perFunction = (title: string, metric: (fn: PapertrendFunction) => IMetric) => new GraphWidget({ title, width: 8, left: functions.map(metric) });
  const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
  return [
    [
      perFunction('Function errors', (fn) => fn.fn.metricErrors({ ...fiveMinutes, label: fn.handler })),
      perFunction('Function throttles', (fn) => fn.fn.metricThrottles({ ...fiveMinutes, label: fn.handler })),
      perFunction('Function invocations', (fn) => fn.fn.metricInvocations({ ...fiveMinutes, label: fn.handler })),
    ],
    [
      new GraphWidget({
        title: 'Digest and sign-up queues',
        width: 8,
        left: [
          props.digestQueue.metricApproximateNumberOfMessagesVisible({ label: 'Digest jobs waiting' }),
          props.signUpQueue.metricApproximateNumberOfMessagesVisible({ label: 'Sign-ups waiting' }),
        ],
        right: [
          props.digestQueue.metricApproximateAgeOfOldestMessage({ label: 'Oldest digest job (s)' }),
          props.signUpQueue.metricApproximateAgeOfOldestMessage({ label: 'Oldest sign-up (s)' }),
        ],
      }),
      new GraphWidget({
        title: 'Dead-letter queues',
        width: 8,
        left: Object.entries(props.deadLetterQueues).map(([name, queue]) => queue.metricApproximateNumberOfMessagesVisible({ label: name })),
      }),
      new GraphWidget({
        title: 'DynamoDB throttle events',
        width: 8,
        left: Object.entries(props.tables).map(([role, table]) => tableThrottles(table, role)),
      }),
    ],
    [
      new GraphWidget({
        title: 'Site requests and errors',
        width: 12,
        left: [props.stage.metricCount(fiveMinutes), props.stage.metricClientError(fiveMinutes), props.stage.metricServerError(fiveMinutes)],
      }),
      new GraphWidget({ title: 'Site latency (p90)', width: 12, left: [props.stage.metricLatency({ statistic: 'p90' })] }),
    ],
  ];
}
