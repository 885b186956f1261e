// Structured JSON logging to stdout (CloudWatch in AWS), with a last-line guard against email addresses.
import type { Logger } from '../../ports';

type Level = 'info' | 'warn' | 'error';

const EMAIL_PATTERN = /[^\s@"'<>,;:]+@[^\s@"'<>,;:]+\.[^\s@"'<>,;:]+/g;

/** Callers must never log addresses or tokens; this masks any address that slips through anyway. */
function redact(line: string): string {
  return line.replace(EMAIL_PATTERN, '[redacted-email]');
}

/** A logger writing one JSON object per line through `write` (stdout by default). */
export function createJsonLogger(
  context: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const log = (level: Level, message: string, fields?: Record<string, unknown>) =>
    write(redact(JSON.stringify({ level, message, ...context, ...fields, time: new Date().toISOString() })));
  return {
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
