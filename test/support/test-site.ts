// The site behind the local HTTP gateway on a random port, for tests that browse or fetch it. It starts empty: the app is made once the port is known, because its links name it.
import type { AddressInfo } from 'node:net';
import { createHttpGateway } from '../../lambdas/adapters/local/http-gateway';
import { createApiHandler, type ApiHandler } from '../../lambdas/web/create-api';
import { MAX_BODY_BYTES } from '../../lambdas/web/forms';
import type { SiteDeps } from '../../lambdas/web/site-deps';

export interface TestSite {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The origin and the stage path the site is served under. */
  url: string;
  /** Serve the site over `deps` from now on. */
  serve(deps: SiteDeps): void;
  close(): Promise<void>;
}

/** Start the gateway, under API Gateway's stage path `basePath` when given (`/prod`). */
export async function startTestSite(basePath = ''): Promise<TestSite> {
  let api: ApiHandler | undefined;
  const server = createHttpGateway(
    (event) => {
      if (!api) throw new Error('the test site was asked for a page before serve()');
      return api(event);
    },
    { maxBodyBytes: MAX_BODY_BYTES, basePath },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${basePath}`,
    serve: (deps) => {
      api = createApiHandler(deps);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
