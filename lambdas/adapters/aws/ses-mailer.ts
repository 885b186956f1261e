// Mailer on SES v2: one Simple-content email per call (HTML + text + headers such as List-Unsubscribe), tagged for SES events.
import type { SendEmailClient } from './ses-http';
import type { Mailer, OutgoingEmail, SendOptions } from '../../ports';

export interface SesMailerOptions {
  /** One attempt per call (createSesClient's): a send retried after a timeout may go out twice. */
  client: SendEmailClient;
  /** Verified sender, e.g. `Papertrend <digest@example.org>`. */
  fromAddress: string;
  /** SES configuration set whose event destination reports bounces, complaints and deliveries; passed on every send when set. */
  configurationSetName?: string | undefined;
}

/** Sends through SES v2 SendEmail; any failure (throttling included) is thrown for the caller to classify and retry. */
export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(email: OutgoingEmail, options: SendOptions = {}): Promise<string> {
    const { client, fromAddress, configurationSetName } = this.options;
    await options.beforeSend?.();
    const headers = Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value }));
    const result = await client.sendEmail({
      FromEmailAddress: fromAddress,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
          ...(headers.length > 0 ? { Headers: headers } : {}),
        },
      },
      EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
      ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
    });
    if (!result.MessageId) throw new Error('SES accepted the email but returned no message id');
    return result.MessageId;
  }
}
