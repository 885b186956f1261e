import { DrainingQueue } from '../../../lambdas/adapters/local/draining-queue';
import { recordingLogger } from '../../support/test-app';

const noWait = async () => undefined;

/** A promise and its resolve, to hold a job until the test lets it finish. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('DrainingQueue', () => {
  it('starts working on a job as it is queued, and settles only once every job, even one queued meanwhile, is done', async () => {
    const done: number[] = [];
    const first = gate();
    const queue = new DrainingQueue<number>(
      async (job) => {
        if (job === 1) await first.wait;
        done.push(job);
      },
      { logger: recordingLogger([]), jobName: 'test job', concurrency: 1, backoff: noWait },
    );
    await queue.enqueue([1]);
    let settled = false;
    const settling = queue.settled().then(() => (settled = true));
    await queue.enqueue([2]);
    await Promise.resolve();
    expect(settled).toBe(false);
    first.open();
    await settling;
    expect(done).toEqual([1, 2]);
    await queue.enqueue([3]);
    await queue.settled();
    expect(done).toEqual([1, 2, 3]);
  });

  it('logs a job that failed every attempt as dead-lettered and goes on with the rest', async () => {
    const lines: string[] = [];
    const done: string[] = [];
    const queue = new DrainingQueue<string>(
      async (job) => {
        if (job === 'poison') throw new Error('cannot be read');
        done.push(job);
      },
      { logger: recordingLogger(lines), jobName: 'test job', maxAttempts: 2, backoff: noWait },
    );
    await queue.enqueue(['poison', 'fine']);
    await queue.settled();
    expect(done).toEqual(['fine']);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      { level: 'error', message: 'test job dead-lettered', error: 'cannot be read', errorName: 'Error' },
    ]);
  });
});
