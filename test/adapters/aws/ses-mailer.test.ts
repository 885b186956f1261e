import { SesSendEmailClient } from '../../../lambdas/adapters/aws/ses-http';
import { SesMailer } from '../../../lambdas/adapters/aws/ses-mailer';
import type { OutgoingEmail } from '../../../lambdas/ports';
import { type TestMailbox, useMailbox } from '../../support/emulators';
import { answerJson, recordingSes, startFakeSes } from '../../support/fake-ses';

let mailbox: TestMailbox;

useMailbox((started) => (mailbox = started));
beforeEach(() => mailbox.clear());

const email: OutgoingEmail = {
  to: 'reader@example.com',
  subject: 'Papertrend — 3 papers on quantization',
  html: '<h1>Today’s papers</h1><p><a href="https://arxiv.org/abs/2608.00001">A paper</a></p>',
  text: 'Today’s papers\n\nA paper: https://arxiv.org/abs/2608.00001\n',
  headers: {
    'List-Unsubscribe': '<https://papertrend.example/unsubscribe?token=abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: { subscriber: 'sub-0a1b2c', kind: 'digest', localDate: '2026-11-20' },
};

describe('SesMailer', () => {
  it('delivers subject, HTML, text and both List-Unsubscribe headers to the mailbox', async () => {
    const mailer = new SesMailer({ client: mailbox.client, fromAddress: 'Papertrend <digest@papertrend.local>', configurationSetName: 'papertrend-events' });
    const messageId = await mailer.send(email);

    const emails = await mailbox.emails();
    expect(emails).toHaveLength(1);
    const [received] = emails;
    expect(received).toMatchObject({
      messageId,
      from: 'Papertrend <digest@papertrend.local>',
      destination: { to: ['reader@example.com'] },
      subject: email.subject,
      body: { html: email.html, text: email.text },
    });
    expect(received?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: '<https://papertrend.example/unsubscribe?token=abc>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
  });

  it('sends without headers and without a configuration set', async () => {
    const mailer = new SesMailer({ client: mailbox.client, fromAddress: 'digest@papertrend.local' });
    await mailer.send({ ...email, headers: {} });
    const [received] = await mailbox.emails();
    expect(received?.subject).toBe(email.subject);
  });

  it('throws when SES refuses the email (throttling answered by a local server playing SES)', async () => {
    const ses = await startFakeSes((response) =>
      answerJson(
        response,
        429,
        { message: 'Maximum sending rate exceeded.' },
        { 'x-amzn-ErrorType': 'TooManyRequestsException:http://internal.amazon.com/coral/com.amazonaws.sesv2/' },
      ),
    );
    try {
      const client = new SesSendEmailClient({ region: 'local', endpoint: ses.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const mailer = new SesMailer({ client, fromAddress: 'digest@papertrend.local' });
      await expect(mailer.send(email)).rejects.toThrow('Maximum sending rate exceeded.');
      await expect(mailer.send(email)).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    } finally {
      await ses.close();
    }
  });

  it('tags every email with subscriber, kind and local date, through the configuration set (recorded: the mailbox drops tags)', async () => {
    const ses = recordingSes();
    const mailer = new SesMailer({ client: ses.client, fromAddress: 'digest@papertrend.local', configurationSetName: 'papertrend' });
    await mailer.send(email);
    await mailer.send({ ...email, tags: { subscriber: 'sub-9', kind: 'confirmation', localDate: '2026-11-21' } });
    const inputs = ses.inputs;
    expect(inputs.map((input) => input.EmailTags)).toEqual([
      [
        { Name: 'subscriber', Value: 'sub-0a1b2c' },
        { Name: 'kind', Value: 'digest' },
        { Name: 'localDate', Value: '2026-11-20' },
      ],
      [
        { Name: 'subscriber', Value: 'sub-9' },
        { Name: 'kind', Value: 'confirmation' },
        { Name: 'localDate', Value: '2026-11-21' },
      ],
    ]);
    expect(inputs.map((input) => input.ConfigurationSetName)).toEqual(['papertrend', 'papertrend']);
  });

  it('passes the configuration set and the UTF-8 charset to SES', async () => {
    const ses = recordingSes();
    const mailer = new SesMailer({ client: ses.client, fromAddress: 'digest@papertrend.local', configurationSetName: 'papertrend-events' });
    expect(await mailer.send(email)).toBe('ses-1');
    const input = ses.inputs[0]!;
    expect(input.ConfigurationSetName).toBe('papertrend-events');
    expect(input.Content.Simple.Subject).toEqual({ Data: email.subject, Charset: 'UTF-8' });
  });

  it('throws when SES accepts the email without a message id', async () => {
    const mailer = new SesMailer({ client: { sendEmail: async () => ({}) }, fromAddress: 'digest@papertrend.local' });
    await expect(mailer.send(email)).rejects.toThrow('SES accepted the email but returned no message id');
  });
});
