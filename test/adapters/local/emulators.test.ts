import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/aws/clients';
import { tableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { ensureTables } from '../../../lambdas/adapters/aws/tables';
import { startDynamo, startMailbox } from '../../../dev/emulators';
import { localClientOptions } from '../../support/emulators';

describe('startDynamo', () => {
  it('keeps tables and items under `path` across restarts', async () => {
    const path = mkdtempSync(join(tmpdir(), 'papertrend-dynalite-'));
    const names = tableNames({ prefix: 'persisted' });
    try {
      const first = await startDynamo({ host: '127.0.0.1', port: 0, path });
      const writer = createDocumentClient(localClientOptions(first.url));
      await ensureTables(writer, names);
      await writer.send(new PutCommand({ TableName: names.papers, Item: { pk: 'PAPER#1', sk: 'PAPER', title: 'kept' } }));
      writer.destroy();
      await first.close();

      const second = await startDynamo({ host: '127.0.0.1', port: 0, path });
      const reader = createDocumentClient(localClientOptions(second.url));
      const { Item } = await reader.send(new GetCommand({ TableName: names.papers, Key: { pk: 'PAPER#1', sk: 'PAPER' } }));
      expect(Item?.title).toBe('kept');
      reader.destroy();
      await second.close();
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });
});

describe('startMailbox', () => {
  it('binds an ephemeral port and reports it in the url', async () => {
    const mailbox = await startMailbox({ host: '127.0.0.1', port: 0 });
    expect(mailbox.port).toBeGreaterThan(0);
    expect((await fetch(`${mailbox.url}/health-check`)).status).toBe(200);
    await mailbox.close();
  });

  it('fails with a clear error when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    await expect(startMailbox({ host: '127.0.0.1', port })).rejects.toThrow(`cannot listen on 127.0.0.1:${port}`);
    await new Promise((resolve) => blocker.close(resolve));
  });
});
