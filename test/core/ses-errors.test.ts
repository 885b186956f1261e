import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { classifySendError, describeSendError, sendErrorName } from '../../lambdas/core/ses-errors';

function sesError(name: string, message: string, httpStatusCode = 400): Error {
  return new SESv2ServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

describe('classifySendError', () => {
  it.each([
    ['TooManyRequestsException', 'Too many requests', 429],
    ['Throttling', 'Maximum sending rate exceeded.', 400],
    ['ThrottlingException', 'Rate exceeded', 400],
    ['SomethingNew', 'slow down', 429],
    ['UnknownError', 'Maximum sending rate exceeded.', 400],
  ])('%s (%s, HTTP %d) is throttling', (name, message, status) => {
    expect(classifySendError(sesError(name, message, status))).toBe('throttled');
  });

  it.each([
    ['MessageRejected', 'Email address is not verified.'],
    ['BadRequestException', "Missing final '@domain'"],
    ['InvalidParameterValue', 'Illegal address'],
    ['Error', 'Invalid email address <x>'],
  ])('%s (%s) can never succeed', (name, message) => {
    expect(classifySendError(sesError(name, message))).toBe('rejected');
  });

  it.each([
    ['SendingPausedException', 'Sending is paused for this account'],
    ['AccountSuspendedException', 'The account is suspended'],
    ['LimitExceededException', 'Daily sending quota exceeded'],
    ['Throttling', 'Daily message quota exceeded.'],
    ['MailFromDomainNotVerifiedException', 'MAIL FROM domain not verified'],
  ])('%s (%s) pauses the account', (name, message) => {
    expect(classifySendError(sesError(name, message))).toBe('paused');
  });

  it('calls a send SES did not answer for, or answered without a message id, unknown: it may have gone out', () => {
    expect(classifySendError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }))).toBe('unknown');
    expect(classifySendError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('unknown');
    expect(classifySendError(Object.assign(new Error('SES accepted the email but returned no message id'), { name: 'MissingMessageId' }))).toBe('unknown');
  });

  it('leaves refused connections, server errors and non-errors to the usual retry', () => {
    expect(classifySendError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe('other');
    expect(classifySendError(sesError('InternalFailure', 'oops', 500))).toBe('other');
    expect(classifySendError('boom')).toBe('other');
    expect(classifySendError(undefined)).toBe('other');
  });

  it('names an error without its message', () => {
    expect(sendErrorName(sesError('MessageRejected', 'Address reader@example.com is blocked'))).toBe('MessageRejected');
    expect(sendErrorName(42)).toBe('number');
  });
});

describe('describeSendError', () => {
  it('masks every address SES quotes in a message', () => {
    const error = sesError(
      'MessageRejected',
      'Email address is not verified. The following identities failed the check in region EU-WEST-1: reader@example.com, "Ann" <ann.lee+x@sub.example.org>',
    );
    expect(describeSendError(error)).toEqual({
      errorName: 'MessageRejected',
      error: 'Email address is not verified. The following identities failed the check in region EU-WEST-1: [address], "Ann" <[address]>',
    });
  });
});
