import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoPaperStore } from '../../../lambdas/adapters/aws/dynamo-paper-store';
import type { TableNames } from '../../../lambdas/adapters/aws/table-definitions';
import { type TestDynamo, useDynamo } from '../../support/emulators';
import { makePaper } from '../../../dev/paper-factory';

let dynamo: TestDynamo;
let tables: TableNames;
let store: DynamoPaperStore;

useDynamo((started) => (dynamo = started));
beforeEach(async () => {
  tables = await dynamo.createTables();
  store = new DynamoPaperStore({ client: dynamo.client, tableName: tables.papers });
});

describe('DynamoPaperStore', () => {
  it('skips a paper over the 400 KB item limit, names it, and stores the rest of the day (issue 9, defect 7)', async () => {
    const huge = makePaper({ id: '2608.30003', sources: ['hf'], abstract: 'x'.repeat(450_000) });
    const fine = makePaper({ id: '2608.30004' });
    const result = await store.putDay('2026-08-13', [huge, fine]);
    expect(result).toEqual({ stored: 1, skipped: [{ source: 'hf', id: '2608.30003', reason: expect.stringMatching(/too large/) }] });
    expect((await store.papersForDays(['2026-08-13'])).map((paper) => paper.id)).toEqual(['2608.30004']);
  });

  it('merges a paper listed on two days and by two sources into one record', async () => {
    const fromHf = makePaper({
      id: '2608.10001',
      sources: ['hf'],
      signals: { upvotes: 12, comments: 3 },
      links: { abs: 'https://arxiv.org/abs/2608.10001', pdf: 'https://arxiv.org/pdf/2608.10001', hf: 'https://huggingface.co/papers/2608.10001' },
      summary: 'An HF summary.',
    });
    const fromArxiv = makePaper({ id: '2608.10001', sources: ['arxiv'], categories: ['cs.CL'], authors: ['A. Author', 'B. Author'] });

    expect(await store.putDay('2026-08-13', [fromHf])).toEqual({ stored: 1, skipped: [] });
    // A batch holds each id once (PaperStore's contract), so the two sources' records of the 14th come in two writes.
    expect(await store.putDay('2026-08-14', [fromArxiv])).toEqual({ stored: 1, skipped: [] });
    expect(await store.putDay('2026-08-14', [{ ...fromHf, signals: { upvotes: 40, comments: 1, githubStars: 5 } }])).toEqual({ stored: 1, skipped: [] });

    const papers = await store.papersForDays(['2026-08-13', '2026-08-14']);
    expect(papers).toHaveLength(1);
    const [paper] = papers;
    expect(paper).toMatchObject({
      id: '2608.10001',
      sources: ['arxiv', 'hf'],
      categories: ['cs.CL'],
      authors: ['A. Author', 'B. Author'],
      signals: { upvotes: 40, comments: 3, githubStars: 5 },
      listedOn: ['2026-08-13', '2026-08-14'],
      summary: 'An HF summary.',
    });
    expect(paper?.links.hf).toBe('https://huggingface.co/papers/2608.10001');
    expect(await store.papersForDays(['2026-08-13'])).toEqual(papers);
    expect(await store.papersForDays(['2026-08-15'])).toEqual([]);
  });

  it('loses no signal when the same paper is written concurrently', async () => {
    const days = Array.from({ length: 8 }, (_, index) => `2026-08-${String(10 + index).padStart(2, '0')}`);
    await Promise.all(
      days.map((day, index) =>
        store.putDay(day, [makePaper({ id: '2608.20002', signals: { upvotes: index * 10, comments: 8 - index, githubStars: index === 3 ? 99 : 0 } })]),
      ),
    );
    const [paper] = await store.papersForDays(days);
    expect(paper?.signals).toEqual({ upvotes: 70, comments: 8, githubStars: 99 });
    expect(paper?.listedOn).toEqual(days);
    const { Item } = await dynamo.client.send(new GetCommand({ TableName: tables.papers, Key: { pk: 'PAPER#2608.20002', sk: 'PAPER' } }));
    expect(Item?.version).toBeGreaterThanOrEqual(days.length);
  });

  it('reads a day of more than 100 papers', async () => {
    const papers = Array.from({ length: 130 }, (_, index) => makePaper({ id: `2608.3${String(index).padStart(4, '0')}` }));
    expect(await store.putDay('2026-08-20', papers)).toEqual({ stored: 130, skipped: [] });
    const read = await store.papersForDays(['2026-08-20', '2026-08-20']);
    expect(read.map((paper) => paper.id).sort()).toEqual(papers.map((paper) => paper.id).sort());
  });

  it('sets TTL attributes on day listings (400 days) and paper records (430 days after the last listing): a year-old digest still finds them', async () => {
    await store.putDay('2026-08-13', [makePaper({ id: '2608.40004' })]);
    const { Items } = await dynamo.client.send(
      new QueryCommand({ TableName: tables.papers, KeyConditionExpression: 'pk = :day', ExpressionAttributeValues: { ':day': 'DAY#2026-08-13' } }),
    );
    expect(Items).toEqual([{ pk: 'DAY#2026-08-13', sk: 'PAPER#2608.40004', paperId: '2608.40004', expiresAt: Date.parse('2027-09-17T00:00:00Z') / 1000 }]);
    const { Item } = await dynamo.client.send(new GetCommand({ TableName: tables.papers, Key: { pk: 'PAPER#2608.40004', sk: 'PAPER' } }));
    expect(Item?.expiresAt).toBe(Date.parse('2027-10-17T00:00:00Z') / 1000);
  });

  it('does not rewrite a record when nothing changed', async () => {
    const paper = makePaper({ id: '2608.50005' });
    await store.putDay('2026-08-13', [paper]);
    await store.putDay('2026-08-13', [paper]);
    const { Item } = await dynamo.client.send(new GetCommand({ TableName: tables.papers, Key: { pk: 'PAPER#2608.50005', sk: 'PAPER' } }));
    expect(Item?.version).toBe(1);
  });
});
