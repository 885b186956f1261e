// The shape every Lambda entry shares: an app composed once per execution environment, the invocation's context on its logs, its metrics flushed at the end.
import type { Context } from 'aws-lambda';

/** The per-invocation hooks of a composed function (see FunctionApp in compose.ts). */
export interface InvocationHooks {
  startInvocation(context: Context): void;
  endInvocation(): void;
}

/**
 * A Lambda handler over `app`, which the handler module composes at cold start (so a bad setting
 * fails the init, naming it). Metrics are flushed whether `handle` returns or throws.
 */
export function lambdaHandler<A extends InvocationHooks, E, R>(app: A, handle: (app: A, event: E) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    app.startInvocation(context);
    try {
      return await handle(app, event);
    } finally {
      app.endInvocation();
    }
  };
}
