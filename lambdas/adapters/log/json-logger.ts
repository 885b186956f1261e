// Structured JSON logging to stdout for the local stack and the CLI, with the last-line guard against addresses and tokens.
import type { Logger } from '../../ports';
import { redact } from './redact';

type Level = 'info' | 'warn' | 'error';

/** A logger writing one JSON object per line through `write` (stdout by default). */
export function createJsonLogger(context: Record<string, unknown> = {}, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const log = (level: Level, message: string, fields?: Record<string, unknown>) =>
    write(redact(JSON.stringify({ level, message, ...context, ...fields, time: new Date().toISOString() })));
  return {
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
