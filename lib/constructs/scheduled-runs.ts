// EventBridge Scheduler schedules for the scheduled functions, one per entry of the shared table lambdas/schedules.ts.
import { Duration, Stack, TimeZone, Validations, type CfnResource } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { schedules, type ScheduledRun } from '../../lambdas/schedules';
import type { PapertrendFunction } from './papertrend-function';

/** Attempts to invoke a function the scheduler makes before dead-lettering the run. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
/** A run the scheduler could not hand over within this time is dead-lettered: a later run supersedes it. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.minutes(30);

export interface ScheduledRunsProps {
  functions: Record<ScheduledRun['handler'], PapertrendFunction>;
  /** Receives the runs the scheduler could not hand over. */
  deadLetterQueue: IQueue;
}

export class ScheduledRuns extends Construct {
  readonly schedules: Record<string, Schedule> = {};

  constructor(scope: Construct, id: string, props: ScheduledRunsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    for (const run of schedules) {
      const fn = props.functions[run.handler].fn;
      // CDK's scheduler role (one per target, at stack level) may invoke the function and its versions.
      Validations.of(stack).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: `The scheduler's role may invoke ${run.handler} and its versions (ARN:*), the grant CDK's LambdaInvoke target makes; nothing else`,
      });
      this.schedules[run.name] = new Schedule(this, run.name, {
        description: run.summary,
        schedule: ScheduleExpression.cron({ ...run.cron, timeZone: TimeZone.ETC_UTC }),
        target: new LambdaInvoke(fn, {
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: props.deadLetterQueue,
        }),
      });
    }
  }
}
