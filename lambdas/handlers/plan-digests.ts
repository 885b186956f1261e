// Lambda (hourly schedule): queue one digest job per subscriber who is due now in their own time zone.
import { composePlanDigests } from '../compose';
import { loadConfig } from '../config';
import { lambdaHandler } from '../lambda-handler';
import { planDigests, type PlanDigestsSummary } from '../use-cases/plan-digests';

export const handler = lambdaHandler(composePlanDigests(loadConfig(process.env, 'plan-digests')), async (app): Promise<PlanDigestsSummary> =>
  planDigests(app.planDigestsDeps()),
);
