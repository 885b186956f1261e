// The Logger port on Powertools: lines carry the Lambda request id and the service; addresses and tokens are masked, as in the local JSON logger.
import type { Context } from 'aws-lambda';
import { createJsonLogger } from '../../../lambdas/adapters/log/json-logger';
import { createPowertoolsLogger } from '../../../lambdas/adapters/log/powertools-logger';
import { redact } from '../../../lambdas/adapters/log/redact';
import { parseKeyring, signToken } from '../../../lambdas/core/tokens';

const keyring = parseKeyring(JSON.stringify({ current: 'k1', k1: 'a-test-secret-of-at-least-32-characters' }));
const TOKEN = signToken(keyring, { subscriberId: 'sub-123', purpose: 'unsubscribe' }, new Date('2026-11-28T06:00:00Z'));

const context = (awsRequestId: string): Context =>
  ({
    awsRequestId,
    functionName: 'papertrend-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:papertrend-api',
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/papertrend-api',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }) as Context;

/** What Powertools writes to stdout and stderr while `run` runs, one parsed JSON object per line. */
function captured(run: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createPowertoolsLogger', () => {
  it('tags each line with the current invocation\'s request id and the service name', () => {
    const logger = createPowertoolsLogger({ serviceName: 'papertrend-send-digest' });
    const lines = captured(() => {
      logger.addContext(context('request-1'));
      logger.info('digest done', { subscriberId: 'sub-1', papers: 3 });
      logger.addContext(context('request-2'));
      logger.error('digest job failed', { messageId: 'm-1' });
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'digest done', service: 'papertrend-send-digest', function_request_id: 'request-1', subscriberId: 'sub-1', papers: 3 });
    expect(lines[1]).toMatchObject({ level: 'ERROR', message: 'digest job failed', function_request_id: 'request-2', function_name: 'papertrend-api', messageId: 'm-1' });
  });

  it('masks addresses and tokens in the message and in nested fields', () => {
    const logger = createPowertoolsLogger({ serviceName: 'papertrend-api' });
    const [line] = captured(() =>
      logger.warn('mail to reader@example.org bounced', {
        request: { path: `/unsubscribe?token=${TOKEN}`, note: ['cc Other.Reader+x@mail.example.com'] },
        token: TOKEN,
        cut: '/confirm?token=abc-not-a-whole-token',
      }),
    );
    const text = JSON.stringify(line);
    expect(text).not.toContain('reader@example.org');
    expect(text).not.toContain('Other.Reader+x@mail.example.com');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('abc-not-a-whole-token');
    expect(line).toMatchObject({
      message: 'mail to [redacted-email] bounced',
      request: { path: '/unsubscribe?token=[redacted-token]', note: ['cc [redacted-email]'] },
      token: '[redacted-token]',
      cut: '/confirm?token=[redacted-token]',
    });
  });
});

describe('redact (the guard both loggers share)', () => {
  it('masks a bare token and leaves ids and request ids alone', () => {
    expect(redact(`sent ${TOKEN} to sub-123`)).toBe('sent [redacted-token] to sub-123');
    expect(redact('message 3f2a9c1e-1b2c-4d5e-8f90-123456789abc for sub-123 on 2026-11-28')).toBe('message 3f2a9c1e-1b2c-4d5e-8f90-123456789abc for sub-123 on 2026-11-28');
  });

  it('is what the local JSON logger applies too', () => {
    const lines: string[] = [];
    createJsonLogger({}, (line) => lines.push(line)).info('confirm', { link: `http://127.0.0.1:3000/confirm?token=${TOKEN}`, email: 'a@b.co' });
    expect(lines[0]).toContain('"link":"http://127.0.0.1:3000/confirm?token=[redacted-token]"');
    expect(lines[0]).toContain('"email":"[redacted-email]"');
  });
});
