// Metrics kept in memory: what the local stack and the tests use where CloudWatch would receive EMF.
import type { MetricName, Metrics } from '../../ports';

export interface CountedMetric {
  name: MetricName;
  value: number;
  dimensions: Record<string, string>;
}

/** Records every count; `total(name)` sums one metric across dimensions. */
export class MemoryMetrics implements Metrics {
  readonly counted: CountedMetric[] = [];

  count(name: MetricName, value = 1, dimensions: Record<string, string> = {}): void {
    this.counted.push({ name, value, dimensions });
  }

  total(name: MetricName, dimensions: Record<string, string> = {}): number {
    return this.counted
      .filter((metric) => metric.name === name && Object.entries(dimensions).every(([key, value]) => metric.dimensions[key] === value))
      .reduce((sum, metric) => sum + metric.value, 0);
  }
}
