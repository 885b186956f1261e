// What a digest costs beyond SES, from the figures bench/e2e.ts measures and the list prices below.
import { DEFAULT_SES_MAX_SEND_RATE, sendingPlan } from '../lambdas/core/send-rate';

/** AWS list prices, us-east-1, as of November 2026. */
export const PRICES = {
  /** USD per GB-second of Lambda duration, arm64 (the functions' architecture). */
  lambdaGbSecondUsd: 0.0000133334,
  /** USD per Lambda invocation ($0.20 per million). */
  lambdaInvocationUsd: 0.2 / 1e6,
  /** USD per DynamoDB on-demand read request unit ($0.125 per million). */
  dynamoReadUnitUsd: 0.125 / 1e6,
  /** USD per DynamoDB on-demand write request unit ($0.625 per million). */
  dynamoWriteUnitUsd: 0.625 / 1e6,
  /** USD per SQS standard request, each up to 64 KB ($0.40 per million). */
  sqsRequestUsd: 0.4 / 1e6,
  /** USD per GB of CloudWatch Logs ingested (standard class). */
  logIngestGbUsd: 0.5,
  /** USD per 1,000 emails sent by SES: the floor a digest costs. */
  sesPer1000Usd: 0.1,
} as const;

const plan = sendingPlan(DEFAULT_SES_MAX_SEND_RATE);

/** The deployed shape the cost assumes: memory sizes as lib/app-stack.ts sets them, the default SES rate. */
export const DEPLOYED = {
  sendDigestMemoryMb: 512,
  sesEventsMemoryMb: 256,
  planDigestsMemoryMb: 1024,
  sesMaxSendRate: DEFAULT_SES_MAX_SEND_RATE,
  digestSenders: plan.digestSenders,
  perSenderRate: Number(plan.perSenderRate.toFixed(2)),
  /** SES events per email that invoke ses-events: Send and Delivery (a Delivery needs no write; counted at a Send's time and log bytes). */
  sesEventsPerEmail: 2,
  /** Lambda's START, END and REPORT lines plus one EMF metrics line, per invocation (bytes, measured on similar functions). */
  platformLogBytesPerInvocation: 1000,
};

export interface CostInputs {
  /** Send-digest seconds per digest as measured, unpaced. */
  busySecondsPerDigest: number;
  /** ses-events seconds per Send event, as measured. */
  sesEventsSecondsPerDigest: number;
  plannerSecondsPerDigest: number;
  /** Bytes the sender logs per digest, and ses-events per Send event. */
  logBytesPerDigest: number;
  sesEventsLogBytesPerDigest: number;
  /** Queue batches (of up to 10) per digest. */
  batchesPerDigest: number;
  unitsPerDigest: Record<'daily' | 'weekly', { readUnits: number; writeUnits: number }>;
}

const round = (value: number) => Number(value.toFixed(5));

/**
 * USD per 1,000 digests beyond SES, for daily and for weekly readers. The sender is billed for
 * the wall time it waits for its share of SES's rate too, so its seconds per digest are at least
 * 1 / perSenderRate. SQS: one SendMessageBatch, one ReceiveMessage and one DeleteMessageBatch per
 * batch. ses-events: one invocation per event, sesEventsPerEmail events per email.
 */
export function costPer1000Digests(inputs: CostInputs) {
  const sendSeconds = Math.max(inputs.busySecondsPerDigest, 1 / plan.perSenderRate);
  const events = DEPLOYED.sesEventsPerEmail;
  const invocations = inputs.batchesPerDigest + events;
  const lambda =
    sendSeconds * (DEPLOYED.sendDigestMemoryMb / 1024) * PRICES.lambdaGbSecondUsd +
    events * Math.max(0.001, inputs.sesEventsSecondsPerDigest) * (DEPLOYED.sesEventsMemoryMb / 1024) * PRICES.lambdaGbSecondUsd +
    inputs.plannerSecondsPerDigest * (DEPLOYED.planDigestsMemoryMb / 1024) * PRICES.lambdaGbSecondUsd +
    invocations * PRICES.lambdaInvocationUsd;
  const sqs = 3 * inputs.batchesPerDigest * PRICES.sqsRequestUsd;
  const logBytes = inputs.logBytesPerDigest + events * inputs.sesEventsLogBytesPerDigest + invocations * DEPLOYED.platformLogBytesPerInvocation;
  const logs = (logBytes / 1024 ** 3) * PRICES.logIngestGbUsd;
  const forReaders = (units: { readUnits: number; writeUnits: number }) => {
    const dynamo = units.readUnits * PRICES.dynamoReadUnitUsd + units.writeUnits * PRICES.dynamoWriteUnitUsd;
    const total = lambda + dynamo + sqs + logs;
    return {
      total: round(total * 1000),
      lambda: round(lambda * 1000),
      dynamo: round(dynamo * 1000),
      sqs: round(sqs * 1000),
      logs: round(logs * 1000),
      shareOfSes: Number(((total * 1000) / PRICES.sesPer1000Usd).toFixed(3)),
    };
  };
  return {
    daily: forReaders(inputs.unitsPerDigest.daily),
    weekly: forReaders(inputs.unitsPerDigest.weekly),
    ses: PRICES.sesPer1000Usd,
    senderSecondsPerDigest: Number(sendSeconds.toFixed(4)),
    logBytesPerDigest: Math.round(logBytes),
  };
}
