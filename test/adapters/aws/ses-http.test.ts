// The hand-written SES v2 SendEmail client: into the real SES mailbox, and against a local server answering as SES does (errors, hangs, signing).
import { SesSendEmailClient, type SendEmailInput } from '../../../lambdas/adapters/aws/ses-http';
import { classifySendError } from '../../../lambdas/core/ses-errors';
import { type TestMailbox, useMailbox } from '../../support/emulators';
import { signatureIn, signatureOf } from '../../support/fake-aws';
import { answerJson, startFakeSes, type FakeSesServer } from '../../support/fake-ses';

const input: SendEmailInput = {
  FromEmailAddress: 'Papertrend <digest@papertrend.local>',
  Destination: { ToAddresses: ['reader@example.com'] },
  Content: {
    Simple: {
      Subject: { Data: 'Papertrend — 2 papers on retrieval', Charset: 'UTF-8' },
      Body: {
        Html: { Data: '<p>Today’s <b>papers</b></p>', Charset: 'UTF-8' },
        Text: { Data: 'Today’s papers\n', Charset: 'UTF-8' },
      },
      Headers: [{ Name: 'List-Unsubscribe', Value: '<https://papertrend.example/unsubscribe?token=abc>' }],
    },
  },
  EmailTags: [{ Name: 'subscriber', Value: 'sub-1' }],
  ConfigurationSetName: 'papertrend',
};

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-1' };

describe('SesSendEmailClient into the SES mailbox', () => {
  let mailbox: TestMailbox;
  useMailbox((started) => (mailbox = started));

  it('delivers subject, HTML, text and the List-Unsubscribe header, and returns the message id', async () => {
    await mailbox.clear();
    const client = new SesSendEmailClient({ region: 'local', endpoint: mailbox.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { MessageId } = await client.sendEmail(input);
    const emails = await mailbox.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      messageId: MessageId,
      from: 'Papertrend <digest@papertrend.local>',
      destination: { to: ['reader@example.com'] },
      subject: 'Papertrend — 2 papers on retrieval',
      body: { html: '<p>Today’s <b>papers</b></p>', text: 'Today’s papers\n' },
    });
    expect(emails[0]?.headers).toEqual([{ name: 'List-Unsubscribe', value: '<https://papertrend.example/unsubscribe?token=abc>' }]);
    expect(MessageId).toMatch(/\S/);
  });
});

describe('SesSendEmailClient against a local server playing SES', () => {
  let ses: FakeSesServer | undefined;
  afterEach(async () => {
    await ses?.close();
    ses = undefined;
  });

  async function clientAnswering(answer: Parameters<typeof startFakeSes>[0], timeoutMs?: number): Promise<SesSendEmailClient> {
    ses = await startFakeSes(answer);
    return new SesSendEmailClient({ region: 'eu-west-1', endpoint: ses.endpoint, credentials, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  }

  it('POSTs the exact JSON body to /v2/email/outbound-emails, signed with SigV4 for ses in the region', async () => {
    const client = await clientAnswering((response) => answerJson(response, 200, { MessageId: 'msg-42' }));
    expect(await client.sendEmail(input)).toEqual({ MessageId: 'msg-42' });

    const [request] = ses!.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(JSON.parse(request!.body)).toEqual(input);
    expect(request!.body).toBe(JSON.stringify(input));
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-amz-security-token']).toBe('session-token-1');
    const amzDate = request!.headers['x-amz-date'] as string;
    expect(amzDate).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request!.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${amzDate.slice(0, 8)}/eu-west-1/ses/aws4_request, SignedHeaders=([a-z0-9-]+;)*host(;[a-z0-9-]+)*, Signature=[0-9a-f]{64}$`,
      ),
    );
    // The signature holds for the request as received (host with its port included), recomputed independently.
    expect(signatureOf(request!, credentials.secretAccessKey)).toBe(signatureIn(request!));
  });

  it('asks a credentials provider before each send and leaves out the token header without a session token', async () => {
    let asked = 0;
    ses = await startFakeSes((response) => answerJson(response, 200, { MessageId: 'msg-1' }));
    const client = new SesSendEmailClient({
      region: 'us-east-1',
      endpoint: ses.endpoint,
      credentials: async () => ((asked += 1), { accessKeyId: `AKID${asked}`, secretAccessKey: 'secret' }),
    });
    await client.sendEmail(input);
    await client.sendEmail(input);
    expect(asked).toBe(2);
    expect(ses.requests.map((request) => request.headers.authorization)).toEqual([
      expect.stringContaining('Credential=AKID1/'),
      expect.stringContaining('Credential=AKID2/'),
    ]);
    expect(ses.requests[0]!.headers['x-amz-security-token']).toBeUndefined();
  });

  it.each([
    {
      fault: '429 throttling (type in the header, with its suffix)',
      status: 429,
      headers: { 'x-amzn-ErrorType': 'TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.sesv2/' },
      body: { message: 'Too Many Requests' },
      name: 'TooManyRequestsException',
      message: 'Too Many Requests',
      kind: 'throttled',
    },
    {
      fault: '400 MessageRejected (type in the header)',
      status: 400,
      headers: { 'x-amzn-ErrorType': 'MessageRejected' },
      body: { message: 'Email address is not verified.' },
      name: 'MessageRejected',
      message: 'Email address is not verified.',
      kind: 'rejected',
    },
    {
      fault: '400 SendingPausedException (type only in the body)',
      status: 400,
      headers: {},
      body: { __type: 'com.amazonaws.sesv2#SendingPausedException', message: 'Sending is paused for this account.' },
      name: 'SendingPausedException',
      message: 'Sending is paused for this account.',
      kind: 'paused',
    },
    {
      fault: '400 with `code` and `Message`',
      status: 400,
      headers: {},
      body: { code: 'LimitExceededException', Message: 'Daily message quota exceeded.' },
      name: 'LimitExceededException',
      message: 'Daily message quota exceeded.',
      kind: 'paused',
    },
    {
      fault: '500 without a type',
      status: 500,
      headers: {},
      body: {},
      name: 'UnknownError',
      message: 'SES answered HTTP 500',
      kind: 'other',
    },
  ] as Array<{ fault: string; status: number; headers: Record<string, string>; body: object; name: string; message: string; kind: string }>)(
    '$fault: throws $name, classified $kind',
    async ({ status, headers, body, name, message, kind }) => {
      const client = await clientAnswering((response) => answerJson(response, status, body, headers));
      const error: unknown = await client.sendEmail(input).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name, message, $metadata: { httpStatusCode: status, requestId: 'req-1' } });
      expect(classifySendError(error)).toBe(kind);
    },
  );

  it('throws on a 2xx without a message id', async () => {
    const client = await clientAnswering((response) => answerJson(response, 200, {}));
    const error: unknown = await client.sendEmail(input).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'MissingMessageId', $metadata: { httpStatusCode: 200 } });
    expect(String((error as Error).message)).not.toContain('@');
    expect(classifySendError(error)).toBe('unknown');
  });

  it('gives up on a server that never answers, after the timeout', async () => {
    const client = await clientAnswering(() => undefined, 100);
    const error: unknown = await client.sendEmail(input).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((error as Error).message).toMatch(/^SES SendEmail request failed: /);
    expect((error as Error).message).not.toContain('@');
    expect(classifySendError(error)).toBe('unknown');
    expect(ses!.requests).toHaveLength(1);
  });

  it('throws a network error when nothing listens', async () => {
    ses = await startFakeSes(() => undefined);
    const endpoint = ses.endpoint;
    await ses.close();
    ses = undefined;
    const client = new SesSendEmailClient({ region: 'eu-west-1', endpoint, credentials });
    const error: unknown = await client.sendEmail(input).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^SES SendEmail request failed: /);
    expect(classifySendError(error)).toBe('other');
  });
});
