// Plays SES's event publishing for the local mailbox: a front on the mailbox's port that forwards every request and, for each email accepted, publishes a Send event as EventBridge would hand it to ses-events.
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

/** SESv2 SendEmail's path; the only request that produces an event. */
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

/** A SendEmail request as far as a Send event repeats it. */
interface SendEmailRequest {
  Destination?: { ToAddresses?: string[] };
  EmailTags?: Array<{ Name: string; Value: string }>;
  ConfigurationSetName?: string;
}

/** Receives each Send event; a rejection is the handler failing (EventBridge would retry it). */
export type SendEventHandler = (event: Record<string, unknown>) => Promise<unknown>;

/**
 * The Send event SES publishes through EventBridge once it accepts an email: the message id, the
 * recipients and the email's tags (SES's format: each tag a list of values).
 */
export function sendEvent(sent: SendEmailRequest, messageId: string, at: Date): Record<string, unknown> {
  const tags: Record<string, string[]> = {};
  for (const tag of sent.EmailTags ?? []) tags[tag.Name] = [tag.Value];
  if (sent.ConfigurationSetName) tags['ses:configuration-set'] = [sent.ConfigurationSetName];
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    time: at.toISOString(),
    detail: {
      eventType: 'Send',
      mail: { timestamp: at.toISOString(), messageId, destination: sent.Destination?.ToAddresses ?? [], tags },
      send: {},
    },
  };
}

/** The whole body of a request or response. */
export async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A server that forwards every request to the mailbox at `target` (host and port) and answers
 * with its response. After the mailbox accepts a SendEmail, `onSend` gets its Send event; a
 * handler that fails is retried a few times, as EventBridge retries a failed Lambda. `settled`
 * waits for the events published so far.
 */
export function sendEventFront(
  target: { host: string; port: number },
  onSend: SendEventHandler,
  onLost: (error: unknown) => void,
): { server: Server; settled: () => Promise<void> } {
  const publishing = new Set<Promise<void>>();
  const server = createServer(async (incoming, outgoing) => {
    try {
      const body = await readBody(incoming);
      const answer = await forward(target, incoming, body);
      outgoing.writeHead(answer.status, answer.headers);
      outgoing.end(answer.body);
      if (incoming.method === 'POST' && incoming.url === SEND_EMAIL_PATH && answer.status === 200) {
        const { MessageId } = JSON.parse(answer.body.toString('utf8')) as { MessageId: string };
        const published = publish(sendEvent(JSON.parse(body.toString('utf8')) as SendEmailRequest, MessageId, new Date()), onSend).catch(onLost);
        publishing.add(published);
        void published.finally(() => publishing.delete(published));
      }
    } catch (error) {
      if (!outgoing.headersSent) outgoing.writeHead(502).end();
      onLost(error);
    }
  });
  // Resolves once every event published so far has been handled (or given up on).
  const settled = async () => void (await Promise.all([...publishing]));
  return { server, settled };
}

const PUBLISH_ATTEMPTS = 5;

async function publish(event: Record<string, unknown>, onSend: SendEventHandler): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await onSend(event);
      return;
    } catch (error) {
      if (attempt >= PUBLISH_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

function forward(
  target: { host: string; port: number },
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const proxied = request({ ...target, method: incoming.method, path: incoming.url, headers: incoming.headers }, async (response) => {
      try {
        resolve({ status: response.statusCode ?? 502, headers: response.headers, body: await readBody(response) });
      } catch (error) {
        reject(error);
      }
    });
    proxied.once('error', reject);
    proxied.end(body);
  });
}
