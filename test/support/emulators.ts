// Test helpers: dynalite and the SES mailbox on ephemeral ports (started per test file by useDynamo, useMailbox or useEmulators), fresh tables per suite, clients, and mailbox reads.
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSesClient, type AwsClientOptions } from '../../lambdas/adapters/aws/clients';
import type { SesSendEmailClient } from '../../lambdas/adapters/aws/ses-http';
import { tableNames, type TableNames } from '../../lambdas/adapters/aws/table-definitions';
import { ensureTables } from '../../lambdas/adapters/aws/tables';
import { startDynamo, startMailbox } from '../../dev/emulators';
import type { SendEventHandler } from '../../dev/ses-send-events';

const HOST = '127.0.0.1';

/** One email as aws-ses-v2-local keeps it. */
export interface MailboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: Array<{ name: string; value: string }>;
  /** Epoch seconds. */
  at: number;
}

/** Client options for a local endpoint, with dummy credentials (the emulators want some). */
export function localClientOptions(endpoint: string): AwsClientOptions {
  return { region: 'local', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
}

export interface TestDynamo {
  url: string;
  client: DynamoDBDocumentClient;
  /** Create the three tables under names no other suite uses, and return them. */
  createTables(): Promise<TableNames>;
  close(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const dynamo = await startDynamo({ host: HOST, port: 0 });
  const client = createDocumentClient(localClientOptions(dynamo.url));
  return {
    url: dynamo.url,
    client,
    async createTables() {
      const names = tableNames({ prefix: 'test', suffix: `-${randomUUID().slice(0, 8)}` });
      await ensureTables(client, names);
      return names;
    },
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}

/**
 * The mailbox's store is module-global: every mailbox in one jest test file shares it (jest gives
 * each file its own module registry). Call clear() between tests.
 */
export interface TestMailbox {
  url: string;
  client: SesSendEmailClient;
  /** Who gets each accepted email's Send event (as EventBridge hands it to ses-events); nobody until a test says, and nobody again after clear(). */
  onSend(handler: SendEventHandler | undefined): void;
  /** Resolves once every Send event published so far has been handled. */
  eventsSettled(): Promise<void>;
  emails(): Promise<MailboxEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestMailbox(): Promise<TestMailbox> {
  let handler: SendEventHandler | undefined;
  const lost: unknown[] = [];
  const events = { onSend: async (event: Record<string, unknown>) => handler?.(event), onLost: (error: unknown) => void lost.push(error) };
  const mailbox = await startMailbox({ host: HOST, port: 0, events });
  const client = createSesClient(localClientOptions(mailbox.url));
  return {
    url: mailbox.url,
    client,
    onSend: (next) => (handler = next),
    async eventsSettled() {
      await mailbox.eventsSettled();
      if (lost.length > 0) throw new Error(`Send events lost: ${lost.map(String).join('; ')}`);
    },
    async emails() {
      const response = await fetch(`${mailbox.url}/store`);
      if (!response.ok) throw new Error(`mailbox store answered ${response.status}`);
      const store = (await response.json()) as { emails: MailboxEmail[] };
      return store.emails;
    },
    async clear() {
      handler = undefined;
      const response = await fetch(`${mailbox.url}/clear-store`, { method: 'POST' });
      if (!response.ok) throw new Error(`mailbox clear answered ${response.status}`);
    },
    async close() {
      await mailbox.close();
    },
  };
}

/** Registers hooks that start something once before a test file's tests and stop it after. */
function useRunning<T>(start: () => Promise<T>, stop: (running: T) => Promise<unknown>, onStart: (running: T) => void): void {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
    onStart(running);
  });
  afterAll(async () => {
    if (running) await stop(running);
  });
}

/** dynalite for the whole test file; `onStart` receives it (tests keep it in their own variable). */
export function useDynamo(onStart: (dynamo: TestDynamo) => void): void {
  useRunning(startTestDynamo, (dynamo) => dynamo.close(), onStart);
}

/** The SES mailbox for the whole test file; `onStart` receives it. */
export function useMailbox(onStart: (mailbox: TestMailbox) => void): void {
  useRunning(startTestMailbox, (mailbox) => mailbox.close(), onStart);
}

/**
 * Starts dynalite and the SES mailbox once before a test file's tests and stops them after;
 * `onStart` receives them (tests keep them in their own variables).
 */
export function useEmulators(onStart: (emulators: { dynamo: TestDynamo; mailbox: TestMailbox }) => void): void {
  useRunning(
    async () => {
      const [dynamo, mailbox] = await Promise.all([startTestDynamo(), startTestMailbox()]);
      return { dynamo, mailbox };
    },
    (started) => Promise.all([started.dynamo.close(), started.mailbox.close()]),
    onStart,
  );
}

/** A clock the test moves by hand. */
export class ManualClock {
  private current: Date;
  constructor(start: string | Date) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
