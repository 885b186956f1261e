// Mailer on SES v2: one Simple-content email per call (HTML + text + headers such as List-Unsubscribe).
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../../ports';

export interface SesMailerOptions {
  client: SESv2Client;
  /** Verified sender, e.g. `Papertrend <digest@example.org>`. */
  fromAddress: string;
  /** SES configuration set that routes bounce and complaint events; optional. */
  configurationSetName?: string;
}

/** Sends through SESv2 SendEmail; any failure (throttling included) is thrown for the caller to retry. */
export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(email: OutgoingEmail): Promise<string> {
    const { client, fromAddress, configurationSetName } = this.options;
    const headers = Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value }));
    const result = await client.send(
      new SendEmailCommand({
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
        ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but returned no message id');
    return result.MessageId;
  }
}
