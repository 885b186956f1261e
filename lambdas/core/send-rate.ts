// How the account's SES sending rate is shared: a reserve for confirmation emails, the rest split evenly across digest senders.

/** SES's sending rate for a new production account in most regions, per second. */
export const DEFAULT_SES_MAX_SEND_RATE = 14;

/** Share of the rate kept for confirmation emails, which a reader is waiting for. */
const CONFIRMATION_SHARE = 0.15;

/**
 * What one digest sender can do per second: SendEmail takes ~50-100 ms, sent one after another.
 * More rate than this per sender needs another concurrent sender.
 */
const RATE_PER_SENDER = 10;

/** SQS event sources cannot run fewer than two concurrent invocations. */
const MIN_SENDERS = 2;

export interface SendingPlan {
  /** Maximum concurrency of the digest queue's trigger. */
  digestSenders: number;
  /** Emails per second each digest sender may send. */
  perSenderRate: number;
  /** Emails per second left for confirmation emails. */
  confirmationRate: number;
}

/** The plan for an account allowed `maxSendRate` emails per second (fractions allowed, e.g. 1 in the sandbox). */
export function sendingPlan(maxSendRate: number): SendingPlan {
  if (!Number.isFinite(maxSendRate) || maxSendRate <= 0) throw new RangeError(`SES send rate must be a positive number, not ${maxSendRate}`);
  const confirmationRate = maxSendRate * CONFIRMATION_SHARE;
  const digestRate = maxSendRate - confirmationRate;
  const digestSenders = Math.max(MIN_SENDERS, Math.ceil(digestRate / RATE_PER_SENDER));
  return { digestSenders, perSenderRate: digestRate / digestSenders, confirmationRate };
}

/**
 * Concurrent sign-up workers (the sign-up queue's trigger; SQS event sources run at least two).
 * They share the confirmation rate, each sending at confirmationRate / SIGN_UP_SENDERS.
 */
export const SIGN_UP_SENDERS = MIN_SENDERS;

/**
 * Confirmation emails go out from the sign-up worker a moment after the visitor's 202, so each SES
 * call gets a short timeout and throttling a few tries; one that still fails gives its slot back
 * for the visitor's next try (lambdas/use-cases/subscriptions.ts).
 */
export const CONFIRMATION_SENDING = { requestTimeoutMs: 4_000, attempts: 3 } as const;

/** The api function's timeout, in seconds: under API Gateway's 29 s, with room for a slow DynamoDB or SQS call and the SDK's retries. */
export const API_TIMEOUT_SECONDS = 20;
