// Which SES sending errors to retry at once, never, or not until the account may send again: one classifier for the mailer and the sender.
import { maskAddresses } from './privacy';

/**
 * - throttled: over the sending rate; wait a little and try again (nothing was sent).
 * - rejected: this email can never be sent (rejected message, invalid address); retrying only repeats the failure.
 * - paused: the account cannot send at all (sending paused or suspended, daily quota used up,
 *   sending setup broken); every other email would fail the same way until someone acts.
 * - unknown: SES did not answer in time, or answered without a message id: the email may or may not
 *   have gone out, so resending could send it twice.
 * - other: anything else (refused connection, 5xx); nothing was sent and the caller's usual retry applies.
 */
export type SendErrorClass = 'throttled' | 'rejected' | 'paused' | 'unknown' | 'other';

const THROTTLED = new Set(['TooManyRequestsException', 'Throttling', 'ThrottlingException']);
const REJECTED = new Set(['MessageRejected', 'BadRequestException', 'InvalidParameterValue']);
const UNKNOWN_OUTCOME = new Set(['TimeoutError', 'AbortError', 'MissingMessageId']);
const PAUSED = new Set([
  'SendingPausedException',
  'AccountSuspendedException',
  'LimitExceededException',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
]);

/** Classify an error thrown by an SES send. Reads only its name, HTTP status and message. */
export function classifySendError(error: unknown): SendErrorClass {
  if (typeof error !== 'object' || error === null) return 'other';
  const { name, message, $metadata } = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const text = typeof message === 'string' ? message : '';
  const errorName = typeof name === 'string' ? name : '';
  // SES v1 names a used-up daily quota "Throttling" too; only the message tells it from the rate.
  if (/daily message quota exceeded/i.test(text) || PAUSED.has(errorName)) return 'paused';
  if (THROTTLED.has(errorName) || $metadata?.httpStatusCode === 429 || /maximum sending rate exceeded/i.test(text)) return 'throttled';
  if (REJECTED.has(errorName) || /\b(invalid|illegal) (email )?address/i.test(text)) return 'rejected';
  if (UNKNOWN_OUTCOME.has(errorName)) return 'unknown';
  return 'other';
}

/** The error's name, for logs and ledger records: never its message, which may quote an address. */
export function sendErrorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** Log fields for a send error: its name, and its message with any address masked (SES quotes refused addresses). */
export function describeSendError(error: unknown): { errorName: string; error: string } {
  const message = error instanceof Error ? error.message : String(error);
  return { errorName: sendErrorName(error), error: maskAddresses(message, '[address]') };
}
