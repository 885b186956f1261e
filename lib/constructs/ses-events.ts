// Routes the SES configuration set's events (EventBridge, default bus) to the ses-events function, dead-lettering what cannot be delivered.
import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * EventBridge detail types of the events the configuration set publishes (SEND, DELIVERY, BOUNCE,
 * COMPLAINT, REJECT, DELIVERY_DELAY). SES also sends account events (e.g. "Sending Status
 * Disabled") from `aws.ses`; the configuration-set tag below keeps those out.
 */
export const SES_EVENT_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Rejected',
  'Email Delivery Delayed',
];

/** Attempts EventBridge makes to invoke the function before dead-lettering an event. */
export const SES_EVENT_RETRY_ATTEMPTS = 8;
export const SES_EVENT_MAX_AGE = Duration.hours(6);

export interface SesEventRoutingProps {
  configurationSetName: string;
  handler: IFunction;
  deadLetterQueue: IQueue;
}

export class SesEventRouting extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SesEventRoutingProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: `SES events of configuration set ${props.configurationSetName} to the ses-events function`,
      eventPattern: {
        source: ['aws.ses'],
        detailType: SES_EVENT_DETAIL_TYPES,
        // SES tags every event of a configuration set with its name.
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(props.handler, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: SES_EVENT_RETRY_ATTEMPTS,
          maxEventAge: SES_EVENT_MAX_AGE,
        }),
      ],
    });
  }
}
