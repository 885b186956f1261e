// Starts the local stand-ins for AWS: dynalite for DynamoDB and aws-ses-v2-local's mailbox for SES.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import startSesServer from 'aws-ses-v2-local';
import { sendEventFront, type SendEventHandler } from './ses-send-events';

export interface EmulatorAddress {
  host: string;
  /** 0 picks a free port; read the bound one from the result. */
  port: number;
}

export interface RunningEmulator {
  /** Endpoint to give the SDK client, e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  close(): Promise<void>;
}

function running(server: Server, host: string): RunningEmulator {
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** dynalite on `host:port`; tables live in memory, or in LevelDB files under `path` when given. */
export async function startDynamo(options: EmulatorAddress & { path?: string }): Promise<RunningEmulator> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  keepConnectionsOpen(server);
  await listen(server, options);
  return running(server, options.host);
}

/** What SES publishes locally: each accepted email's Send event, to `onSend` (ses-events locally). */
export interface MailboxEvents {
  onSend: SendEventHandler;
  /** An event whose handler failed every retry, or a request the front could not forward. */
  onLost: (error: unknown) => void;
}

/**
 * aws-ses-v2-local on `host:port`: accepts SESv2 SendEmail and keeps every email in memory
 * (`GET /store`, web view at `/`). Its store is global to the module, shared by every mailbox
 * started in the same process. With `events`, the mailbox itself listens on a free port behind a
 * front on `host:port` that publishes a Send event for each email it accepts, as SES does.
 */
export async function startMailbox(options: EmulatorAddress & { events?: MailboxEvents }): Promise<RunningEmulator & { eventsSettled(): Promise<void> }> {
  // aws-ses-v2-local's promise never settles when the port is taken (the error goes unhandled), so probe first.
  if (options.port !== 0) await assertPortFree(options);
  const ses = await startSesServer({ host: options.host, port: options.events ? 0 : options.port });
  keepConnectionsOpen(ses);
  if (!options.events) return { ...running(ses, options.host), eventsSettled: async () => {} };

  const mailbox = running(ses, options.host);
  const front = sendEventFront({ host: options.host, port: mailbox.port }, options.events.onSend, options.events.onLost);
  keepConnectionsOpen(front.server);
  await listen(front.server, options);
  const served = running(front.server, options.host);
  return { ...served, eventsSettled: front.settled, close: async () => void (await Promise.all([served.close(), mailbox.close()])) };
}

/**
 * Node closes an idle keep-alive connection after 5 s; a client reusing it at that moment gets
 * ECONNRESET (seen under load in CI). Idle connections stay open for two minutes instead.
 */
function keepConnectionsOpen(server: Server): void {
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
}

function listen(server: Server, { host, port }: EmulatorAddress): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function assertPortFree({ host, port }: EmulatorAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A port free on loopback right now, for a server started in another process (it may be taken again before that server binds). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}
