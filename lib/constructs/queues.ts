// SQS queues with the project's defaults: SSE with SQS-managed keys, TLS only; dead-letter queues keep messages 14 days.
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** A queue encrypted at rest with SQS-managed keys that refuses requests without TLS. */
export function encryptedQueue(scope: Construct, id: string, props: QueueProps = {}): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}

/**
 * A dead-letter queue: where `what` ends up after its retries, for an operator to inspect and
 * redrive (an alarm fires when it is not empty). It has no dead-letter queue of its own.
 */
export function deadLetterQueue(scope: Construct, id: string, what: string): Queue {
  const queue = encryptedQueue(scope, id, { retentionPeriod: Duration.days(14) });
  const reason = `This queue is itself the dead-letter queue of ${what}; nothing consumes it automatically, so a further dead-letter queue would never receive anything`;
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  return queue;
}
