// The Metrics port on Powertools Metrics: EMF lines with the namespace, the service dimension, the metric and its own dimensions.
import { EmfMetrics } from '../../../lambdas/adapters/metrics/emf-metrics';

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

function emitted(run: () => void): EmfLine[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as EmfLine);
}

const OPTIONS = { namespace: 'Papertrend', serviceName: 'papertrend-fetch-papers' };

describe('EmfMetrics', () => {
  it('buffers counts without dimensions until flush, then writes one EMF line with namespace and service', () => {
    const metrics = new EmfMetrics(OPTIONS);
    const before = emitted(() => {
      metrics.count('PapersStored', 42);
      metrics.count('JobsQueued', 0);
    });
    expect(before).toEqual([]);
    const [line, ...rest] = emitted(() => metrics.flush());
    expect(rest).toEqual([]);
    expect(line?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Papertrend',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'PapersStored', Unit: 'Count' },
          { Name: 'JobsQueued', Unit: 'Count' },
        ],
      },
    ]);
    expect(line).toMatchObject({ service: 'papertrend-fetch-papers', PapersStored: 42, JobsQueued: 0 });
  });

  it('writes a count with dimensions at once, on its own line, so two sources keep their own values', () => {
    const metrics = new EmfMetrics(OPTIONS);
    const lines = emitted(() => {
      metrics.count('PapersFetched', 30, { source: 'hf-daily' });
      metrics.count('PapersFetched', 12, { source: 'arxiv' });
    });
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => [line.source, line.PapersFetched])).toEqual([
      ['hf-daily', 30],
      ['arxiv', 12],
    ]);
    for (const line of lines) {
      expect(line._aws.CloudWatchMetrics[0]).toEqual({
        Namespace: 'Papertrend',
        Dimensions: [['service', 'source']],
        Metrics: [{ Name: 'PapersFetched', Unit: 'Count' }],
      });
      expect(line.service).toBe('papertrend-fetch-papers');
    }
    expect(emitted(() => metrics.flush())).toEqual([]);
  });

  it('flushes once: what was written is not written again', () => {
    const metrics = new EmfMetrics(OPTIONS);
    metrics.count('DigestsSent');
    metrics.count('DigestsSent');
    const [line] = emitted(() => metrics.flush());
    expect(line?.DigestsSent).toEqual([1, 1]);
    expect(emitted(() => metrics.flush())).toEqual([]);
  });
});
