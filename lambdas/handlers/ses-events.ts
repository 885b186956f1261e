// Lambda (EventBridge rule on SES events, or an SNS subscription): apply bounces, complaints and deliveries to subscribers.
import { composeFromEnvironment } from '../compose';
import { handleSesEvents, type SesEventsSummary } from '../use-cases/ses-events';

const app = composeFromEnvironment();

/** Throws (so the event is retried, then kept) only when part of it cannot be read; the rest is applied first. */
export async function handler(event: unknown): Promise<SesEventsSummary> {
  return handleSesEvents(app.sesEventsDeps(), event);
}
