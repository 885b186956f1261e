import { InProcessQueue } from '../../../lambdas/adapters/local/in-process-queue';

const noWait = async () => undefined;

describe('InProcessQueue', () => {
  it('runs every job once and reports results', async () => {
    const queue = new InProcessQueue<number>();
    await queue.enqueue([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    const result = await queue.drain(
      async (job) => {
        seen.push(job);
        return job * 10;
      },
      { concurrency: 2 },
    );
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(result.done.map((d) => d.result).sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50]);
    expect(result.deadLettered).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('retries a failing job, then dead-letters it after maxAttempts', async () => {
    const queue = new InProcessQueue<string>();
    await queue.enqueue(['flaky', 'broken']);
    const attempts: Record<string, number> = {};
    const result = await queue.drain(
      async (job) => {
        attempts[job] = (attempts[job] ?? 0) + 1;
        if (job === 'broken' || attempts[job]! < 2) throw new Error(`${job} failed`);
        return 'ok';
      },
      { maxAttempts: 3, backoff: noWait },
    );
    expect(attempts).toEqual({ flaky: 2, broken: 3 });
    expect(result.done).toEqual([{ job: 'flaky', result: 'ok' }]);
    expect(result.deadLettered).toHaveLength(1);
    expect(result.deadLettered[0]!.job).toBe('broken');
    expect((result.deadLettered[0]!.error as Error).message).toBe('broken failed');
  });
});
