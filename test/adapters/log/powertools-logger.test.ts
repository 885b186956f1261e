// The Logger port on Powertools: lines carry the Lambda request id and the service; addresses and tokens are masked, as in the local JSON logger.
import { createJsonLogger } from '../../../lambdas/adapters/log/json-logger';
import { createPowertoolsLogger } from '../../../lambdas/adapters/log/powertools-logger';
import { redact } from '../../../lambdas/adapters/log/redact';
import { parseKeyring, signToken } from '../../../lambdas/core/tokens';
import { captureOutput, lambdaContext } from '../../support/lambda-harness';

const keyring = parseKeyring(JSON.stringify({ current: 'k1', k1: 'a-test-secret-of-at-least-32-characters' }));
const TOKEN = signToken(keyring, { subscriberId: 'sub-123', purpose: 'unsubscribe' }, new Date('2026-11-28T06:00:00Z'));

describe('createPowertoolsLogger', () => {
  it("tags each line with the current invocation's request id and the service name", async () => {
    const logger = createPowertoolsLogger({ serviceName: 'papertrend-send-digest' });
    const { lines } = await captureOutput(async () => {
      logger.addContext(lambdaContext('request-1', 'papertrend-api'));
      logger.info('digest done', { subscriberId: 'sub-1', papers: 3 });
      logger.addContext(lambdaContext('request-2', 'papertrend-api'));
      logger.error('digest job failed', { messageId: 'm-1' });
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      message: 'digest done',
      service: 'papertrend-send-digest',
      function_request_id: 'request-1',
      subscriberId: 'sub-1',
      papers: 3,
    });
    expect(lines[1]).toMatchObject({
      level: 'ERROR',
      message: 'digest job failed',
      function_request_id: 'request-2',
      function_name: 'papertrend-api',
      messageId: 'm-1',
    });
  });

  it('masks addresses and tokens in the message and in nested fields', async () => {
    const logger = createPowertoolsLogger({ serviceName: 'papertrend-api' });
    const {
      lines: [line],
    } = await captureOutput(async () =>
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
    expect(redact('message 3f2a9c1e-1b2c-4d5e-8f90-123456789abc for sub-123 on 2026-11-28')).toBe(
      'message 3f2a9c1e-1b2c-4d5e-8f90-123456789abc for sub-123 on 2026-11-28',
    );
  });

  it('is what the local JSON logger applies too', () => {
    const lines: string[] = [];
    createJsonLogger({}, (line) => lines.push(line)).info('confirm', { link: `http://127.0.0.1:3000/confirm?token=${TOKEN}`, email: 'a@b.co' });
    expect(lines[0]).toContain('"link":"http://127.0.0.1:3000/confirm?token=[redacted-token]"');
    expect(lines[0]).toContain('"email":"[redacted-email]"');
  });
});
