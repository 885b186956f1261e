// Turning unknown thrown values into log-safe fields.

/** Error details safe to log: name and message, never the request that caused it. */
export function describeError(error: unknown): { error: string; errorName?: string } {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
