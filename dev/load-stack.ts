// A throwaway local stack for the load test: dynalite in memory, the SES mailbox and the site on free loopback ports, the sign-up queue in-process.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNames } from '../lambdas/adapters/aws/table-definitions';
import { ensureTables } from '../lambdas/adapters/aws/tables';
import { createHttpGateway } from '../lambdas/adapters/local/http-gateway';
import { composeApp } from '../lambdas/compose';
import { loadConfig } from '../lambdas/config';
import type { Logger } from '../lambdas/ports';
import { createApiHandler } from '../lambdas/web/create-api';
import { MAX_BODY_BYTES } from '../lambdas/web/forms';
import { startDynamo, startMailbox } from './emulators';
import type { LoadTarget } from './load-test';

const HOST = '127.0.0.1';
const CREDENTIALS = { accessKeyId: 'load', secretAccessKey: 'load' };

/** Every subscriber record in `table` whose address starts with `prefix` (a full scan: for test stacks only). */
export async function scanSubscribers(client: DynamoDBDocumentClient, table: string, prefix: string): Promise<Array<{ email: string; status: string }>> {
  const found: Array<{ email: string; status: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      if (String(item.pk).startsWith('SUB#') && String(item.email).startsWith(prefix)) found.push({ email: String(item.email), status: String(item.status) });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/**
 * Starts the stack; `logger` gets the application's log lines (the load command keeps only errors,
 * on stderr). The site has no per-client POST limit: every request of the run comes from one address.
 */
export async function startLoadStack(logger: Logger): Promise<LoadTarget & { close(): Promise<void> }> {
  const [dynamo, mailbox] = await Promise.all([startDynamo({ host: HOST, port: 0 }), startMailbox({ host: HOST, port: 0 })]);
  const site: Server = createHttpGateway(async (event) => api(event), { maxBodyBytes: MAX_BODY_BYTES });
  await new Promise<void>((resolve) => site.listen(0, HOST, resolve));
  const siteUrl = `http://${HOST}:${(site.address() as AddressInfo).port}`;
  const tables = tableNames({ prefix: 'load' });
  const config = loadConfig({
    AWS_REGION: 'local',
    PAPERS_TABLE: tables.papers,
    SUBSCRIBERS_TABLE: tables.subscribers,
    LEDGER_TABLE: tables.ledger,
    DYNAMODB_ENDPOINT: dynamo.url,
    SES_ENDPOINT: mailbox.url,
    SENDER_ADDRESS: 'Papertrend <digest@papertrend.local>',
    PUBLIC_BASE_URL: siteUrl,
    POSTAL_ADDRESS: 'Papertrend, 1 Example Street, 10115 Berlin, Germany',
    TOKEN_KEYRING: JSON.stringify({ current: 'load', load: 'load-test-keyring-secret-0123456789abcdef' }),
    // The mailbox takes any rate; pacing at the default 14 a second would make the run measure the pacer.
    SES_MAX_SEND_RATE: '10000',
  });
  const app = composeApp(config, { logger, credentials: CREDENTIALS });
  await ensureTables(app.documentClient, tables);
  const api = createApiHandler(app.siteDeps());
  return {
    siteUrl,
    mailboxUrl: mailbox.url,
    settled: () => app.settled(),
    subscribers: (prefix) => scanSubscribers(app.documentClient, tables.subscribers, prefix),
    async close() {
      await app.settled();
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
      app.documentClient.destroy();
      await Promise.all([mailbox.close(), dynamo.close()]);
    },
  };
}
