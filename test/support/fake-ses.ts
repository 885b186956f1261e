// Test doubles for SES SendEmail: a fake client throwing the faults a test picks, and a local HTTP server answering as SES does.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { SesError, type SendEmailClient, type SendEmailInput } from '../../lambdas/adapters/aws/ses-http';
import { startLocalServer } from './local-server';

/** An error shaped as the SES client throws it for an SES error answer. */
export function sesError(name: string, message: string, httpStatusCode = 400): SesError {
  return new SesError(name, message, { httpStatusCode });
}

export interface RecordingSes {
  client: SendEmailClient;
  /** Every input, accepted or not, in call order. */
  inputs: SendEmailInput[];
}

/** A SendEmail client that asks `fault(input, call)` before each send (call counts from 0) and throws what it returns; otherwise answers a message id. */
export function recordingSes(fault: (input: SendEmailInput, call: number) => Error | undefined = () => undefined): RecordingSes {
  const inputs: SendEmailInput[] = [];
  const client: SendEmailClient = {
    async sendEmail(input) {
      const call = inputs.length;
      inputs.push(input);
      const error = fault(input, call);
      if (error) throw error;
      return { MessageId: `ses-${call + 1}` };
    },
  };
  return { client, inputs };
}

export interface SesRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeSesServer {
  /** http://127.0.0.1:PORT, the endpoint to give the client. */
  endpoint: string;
  requests: SesRequest[];
  close(): Promise<void>;
}

/** A local HTTP server playing SES: records each request with its body, then lets `answer` reply (or not, to hang). */
export async function startFakeSes(answer: (response: ServerResponse, request: SesRequest) => void): Promise<FakeSesServer> {
  const requests: SesRequest[] = [];
  const server = await startLocalServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      answer(response, request);
    });
  });
  return { endpoint: server.baseUrl, requests, close: () => server.close() };
}

/** Answer as SES does: JSON with a status and, for errors, `x-amzn-ErrorType`. */
export function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...headers });
  response.end(JSON.stringify(body));
}
