// Lambda (EventBridge rule on SES events, or an SNS subscription): apply bounces, complaints and deliveries to subscribers.
import { composeSesEvents } from '../compose';
import { loadConfig } from '../config';
import { lambdaHandler } from '../lambda-handler';
import { handleSesEvents, type SesEventsSummary } from '../use-cases/ses-events';

/** Throws (so the event is retried, then kept) only when part of it cannot be read; the rest is applied first. */
export const handler = lambdaHandler(composeSesEvents(loadConfig(process.env, 'ses-events')), (app, event: unknown): Promise<SesEventsSummary> =>
  handleSesEvents(app.sesEventsDeps(), event),
);
