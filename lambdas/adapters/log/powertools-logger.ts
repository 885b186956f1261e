// The Logger port on Powertools Logger (the functions in AWS): JSON lines tagged with the Lambda request id, addresses and tokens masked.
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../ports';
import { redact } from './redact';

/** A logger that can tag its lines with the current invocation. */
export interface InvocationLogger extends Logger {
  /** From now on every line carries this invocation's request id, function name and cold-start flag. */
  addContext(context: Context): void;
}

export interface PowertoolsLoggerOptions {
  /** The `service` key of every line (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
}

/** Every string value passes the same guard as the local JSON logger before it is written. */
const redactStrings = (_key: string, value: unknown): unknown => (typeof value === 'string' ? redact(value) : value);

export function createPowertoolsLogger(options: PowertoolsLoggerOptions): InvocationLogger {
  const logger = new PowertoolsLogger({ serviceName: options.serviceName, jsonReplacerFn: redactStrings });
  return {
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
    addContext: (context) => logger.addContext(context),
  };
}
