// The shared Lambda wrapper: context in before each invocation, metrics flushed after it, whether it returned or threw.
import { EmfMetrics } from '../lambdas/adapters/metrics/emf-metrics';
import { lambdaHandler } from '../lambdas/lambda-handler';
import { captureOutput, emfValues, lambdaContext } from './support/lambda-harness';

function app() {
  const metrics = new EmfMetrics({ namespace: 'Papertrend', serviceName: 'papertrend-test' });
  const requestIds: string[] = [];
  return {
    metrics,
    requestIds,
    startInvocation: (context: { awsRequestId: string }) => void requestIds.push(context.awsRequestId),
    endInvocation: () => metrics.flush(),
  };
}

describe('lambdaHandler', () => {
  it('hands each invocation its context and writes its counts when it returns', async () => {
    const composed = app();
    const handler = lambdaHandler(composed, async (a, event: { n: number }) => {
      a.metrics.count('DigestsSent', event.n);
      return event.n * 2;
    });
    const { result, lines } = await captureOutput(() => handler({ n: 3 }, lambdaContext('r-1')));
    expect(result).toBe(6);
    expect(composed.requestIds).toEqual(['r-1']);
    expect(emfValues(lines, 'DigestsSent')).toEqual([{ value: 3, dimensions: [['service']] }]);
  });

  it('writes the counts of a failed invocation too, and rethrows its error', async () => {
    const composed = app();
    const handler = lambdaHandler(composed, async (a) => {
      a.metrics.count('DigestsFailed', 2);
      throw new Error('SES is down');
    });
    const { error, lines } = await captureOutput(() => handler(undefined, lambdaContext('r-2')));
    expect(error).toMatchObject({ message: 'SES is down' });
    expect(emfValues(lines, 'DigestsFailed')).toEqual([{ value: 2, dimensions: [['service']] }]);
    // Nothing carries over: the next invocation writes its own count only, not [2, 2].
    const next = await captureOutput(() => handler(undefined, lambdaContext('r-3')));
    expect(emfValues(next.lines, 'DigestsFailed')).toEqual([{ value: 2, dimensions: [['service']] }]);
    expect(composed.requestIds).toEqual(['r-2', 'r-3']);
  });
});
