// The fetch-papers Lambda over its own environment: real HTTP sources on a local server, dynalite, Powertools output on stdout.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoPaperStore } from '../../lambdas/adapters/aws/dynamo-paper-store';
import { ConfigError } from '../../lambdas/config';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { type TestDynamo, useDynamo } from '../support/emulators';
import { captureOutput, coldStart, emfValues, lambdaContext, LAMBDA_RUNTIME_ENV, setEnvironment } from '../support/lambda-harness';

type Module = typeof import('../../lambdas/handlers/fetch-papers');
const SAMPLES = resolve(__dirname, '..', '..', 'samples');
const DAY = '2026-11-28';

let dynamo: TestDynamo;
let server: LocalServer;
let papersTable: string;
let env: Record<string, string>;
let restore: () => void = () => {};

useDynamo((started) => (dynamo = started));
beforeAll(async () => {
  papersTable = (await dynamo.createTables()).papers;
  server = await startLocalServer((request, response) => {
    const isHf = request.url?.startsWith('/api/daily_papers') ?? false;
    response.writeHead(200, { 'content-type': isHf ? 'application/json' : 'application/atom+xml' });
    response.end(readFileSync(resolve(SAMPLES, isHf ? 'hf-daily-sample.json' : 'arxiv-sample.xml'), 'utf8'));
  });
  env = {
    ...LAMBDA_RUNTIME_ENV,
    POWERTOOLS_SERVICE_NAME: 'papertrend-fetch-papers',
    DYNAMODB_ENDPOINT: dynamo.url,
    PAPERS_TABLE: papersTable,
    HF_BASE_URL: server.baseUrl,
    ARXIV_BASE_URL: server.baseUrl,
    SOURCE_RETRIES: '0',
  };
});
afterEach(() => restore());
afterAll(() => server.close());

describe('fetch-papers handler', () => {
  it('stores the day it is asked for and writes its metrics as EMF, per source', async () => {
    restore = setEnvironment(env);
    const { handler } = coldStart<Module>(() => require('../../lambdas/handlers/fetch-papers'));
    const { result, lines } = await captureOutput(() => handler({ day: DAY }, lambdaContext('fetch-1', 'papertrend-fetch-papers')));
    expect(result).toMatchObject({ day: DAY, merged: 12, stored: 12 });
    expect(await new DynamoPaperStore({ client: dynamo.client, tableName: papersTable }).papersForDays([DAY])).toHaveLength(12);
    expect(emfValues(lines, 'PapersFetched')).toEqual([
      { value: 12, dimensions: [['service', 'source']] },
      { value: 12, dimensions: [['service', 'source']] },
    ]);
    expect(emfValues(lines, 'PapersStored')).toEqual([{ value: 12, dimensions: [['service']] }]);
    expect(lines.find((line) => line.message === 'papers fetched')).toMatchObject({ function_request_id: 'fetch-1', service: 'papertrend-fetch-papers' });
  });

  it.each([['2026-02-30'], ['2026-13-01'], ['28.11.2026'], [20261128]])('refuses the day %p with a clear error and fetches nothing', async (day) => {
    restore = setEnvironment(env);
    const { handler } = coldStart<Module>(() => require('../../lambdas/handlers/fetch-papers'));
    const requestsBefore = server.requests.length;
    const { error } = await captureOutput(() => handler({ day } as never, lambdaContext('fetch-2')));
    expect(error).toMatchObject({ name: 'InvalidEventError' });
    expect((error as Error).message).toMatch(/^fetch-papers input: day /);
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('fails at cold start naming a missing setting', () => {
    const { PAPERS_TABLE: _omitted, ...withoutTable } = env;
    restore = setEnvironment(withoutTable);
    expect(process.env.PAPERS_TABLE).toBeUndefined();
    // The module is loaded afresh, with its own copy of the error class: compare by name.
    expect(() => coldStart<Module>(() => require('../../lambdas/handlers/fetch-papers'))).toThrow(
      expect.objectContaining({ name: ConfigError.name, message: 'invalid configuration for fetch-papers: PAPERS_TABLE: missing' }),
    );
  });
});
