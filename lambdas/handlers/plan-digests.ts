// Lambda (hourly schedule): queue one digest job per subscriber who is due now in their own time zone.
import { composeFromEnvironment } from '../compose';
import { planDigests, type PlanDigestsSummary } from '../use-cases/plan-digests';

const app = composeFromEnvironment();

export async function handler(): Promise<PlanDigestsSummary> {
  return planDigests({ subscribers: app.subscribers, queue: app.digestQueue(), clock: app.clock, logger: app.logger, metrics: app.metrics });
}
