// Lambda: the HTTP API behind API Gateway's proxy integration (routes in lambdas/routes.ts).
import { composeFromEnvironment } from '../compose';
import { createApiHandler } from '../web/create-api';

export const handler = createApiHandler(composeFromEnvironment());
