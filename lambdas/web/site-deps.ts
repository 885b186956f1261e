// What the site needs from the rest of the application, handed in by compose.ts: web/ never builds or picks an adapter.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Clock, Logger } from '../ports';
import type { DigestWebVersionDeps } from '../use-cases/digest-web-version';
import type { PreviewDeps } from '../use-cases/preview';
import type { SignUpRequestDeps, SubscriberChangeDeps } from '../use-cases/subscriptions';

export interface SiteDeps {
  /** The confirm, preferences and unsubscribe use cases'; their keyring also signs the links from one page to another. */
  subscriptions: SubscriberChangeDeps;
  /** Where a sign-up goes: the queue the sign-up worker reads (it sends the confirmation email). */
  signUps: SignUpRequestDeps;
  /** The preferences page's preview of what a filter picks. */
  preview: PreviewDeps;
  /** A digest's web version: the ledger, the papers, and what the footer needs. */
  digests: DigestWebVersionDeps;
  clock: Clock;
  logger: Logger;
}

/** A request as a route function sees it, with the base path the client reached the site under (every link it makes starts there). */
export interface SiteRequest {
  event: APIGatewayProxyEvent;
  base: string;
}

/** One route of the site: translates the request, calls a use case, answers. */
export type RouteFunction = (deps: SiteDeps, request: SiteRequest) => Promise<APIGatewayProxyResult>;
