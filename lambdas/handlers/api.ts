// Lambda: the HTTP API behind API Gateway's proxy integration (routes in lambdas/routes.ts).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { composeApi } from '../compose';
import { loadConfig } from '../config';
import { lambdaHandler } from '../lambda-handler';
import { createApiHandler, type ApiHandler } from '../web/create-api';
import type { SiteDeps } from '../web/site-deps';

/** The site for the keyring of the last invocation; rebuilt only when a rotation changes the keyring. */
let served: { site: SiteDeps; handle: ApiHandler } | undefined;

export const handler = lambdaHandler(composeApi(loadConfig(process.env, 'api')), async (app, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const site = await app.site();
  if (served?.site !== site) served = { site, handle: createApiHandler(site) };
  return served.handle(event);
});
