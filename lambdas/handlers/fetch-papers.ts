// Lambda (daily schedule): fetch today's papers from every source, merge and store them.
import { utcDay } from '../core/local-time';
import { composeFromEnvironment } from '../compose';
import { fetchPapers, type FetchPapersSummary } from '../use-cases/fetch-papers';

const app = composeFromEnvironment();

/** EventBridge Scheduler input may name a day to (re)fetch; otherwise today's UTC day. */
export async function handler(event: { day?: string } = {}): Promise<FetchPapersSummary> {
  const day = event.day && /^\d{4}-\d{2}-\d{2}$/.test(event.day) ? event.day : utcDay(app.clock.now());
  return fetchPapers({ sources: app.sources(), paperStore: app.papers, logger: app.logger, metrics: app.metrics }, day);
}
