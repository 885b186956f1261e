// A real HTTP server on 127.0.0.1 (random port) recording each request: stands in for the paper sources in adapter, use-case and handler tests.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sleep } from '../../lambdas/ports';

export interface RecordedRequest {
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Start a server that answers with `handler`; `attempt` counts requests from 1. */
export async function startLocalServer(handler: (request: IncomingMessage, response: ServerResponse, attempt: number) => void): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({ url: new URL(request.url ?? '/', 'http://127.0.0.1'), headers: request.headers });
    handler(request, response, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A sleep that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}
