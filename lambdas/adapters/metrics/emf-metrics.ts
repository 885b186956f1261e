// The Metrics port on Powertools Metrics: CloudWatch embedded metric format (EMF) lines on stdout, which CloudWatch turns into metrics.
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName, Metrics } from '../../ports';

export interface EmfMetricsOptions {
  /** POWERTOOLS_METRICS_NAMESPACE (`Papertrend`). */
  namespace: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of every metric. */
  serviceName: string;
}

/**
 * Counts without dimensions are buffered and written as one EMF line by `flush()`, at the end of
 * each invocation. A count with dimensions (`source`, `kind`) is written at once as its own line:
 * EMF gives each dimension one value per line, and two sources counted in one invocation need two.
 */
export class EmfMetrics implements Metrics {
  private readonly metrics: PowertoolsMetrics;

  constructor(options: EmfMetricsOptions) {
    this.metrics = new PowertoolsMetrics({ namespace: options.namespace, serviceName: options.serviceName });
  }

  count(name: MetricName, value = 1, dimensions: Record<string, string> = {}): void {
    const entries = Object.entries(dimensions);
    if (entries.length === 0) {
      this.metrics.addMetric(name, MetricUnit.Count, value);
      return;
    }
    const single = this.metrics.singleMetric();
    for (const [dimension, dimensionValue] of entries) single.addDimension(dimension, dimensionValue);
    single.addMetric(name, MetricUnit.Count, value);
  }

  /** Write the buffered counts; nothing (and no warning) when there are none. */
  flush(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
