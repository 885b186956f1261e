// UTC calendar days written YYYY-MM-DD: the one place that validates them, moves them and measures them.

/** Milliseconds in a UTC day (ECMAScript time has no leap seconds). */
export const DAY_MS = 86_400_000;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day (YYYY-MM-DD) of an instant; today's when given the clock's now. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Midnight UTC at the start of `text`, or undefined unless it is a real calendar day written YYYY-MM-DD. */
function startOf(text: string): Date | undefined {
  if (!ISO_DAY.test(text)) return undefined;
  const start = new Date(`${text}T00:00:00Z`);
  // Date.parse rolls some impossible days over (2026-02-31 -> 2026-03-03); reading the day back refuses them.
  return !Number.isNaN(start.getTime()) && utcDay(start) === text ? start : undefined;
}

/** True for a real calendar day written YYYY-MM-DD: `2026-02-31` and `2026-2-3` are refused. */
export function isIsoDay(text: string): boolean {
  return startOf(text) !== undefined;
}

/** Midnight UTC at the start of `day`; throws RangeError unless it is a real YYYY-MM-DD day. */
export function dayStart(day: string): Date {
  const start = startOf(day);
  if (!start) throw new RangeError(`not a YYYY-MM-DD day: ${JSON.stringify(day.slice(0, 20))}`);
  return start;
}

/** `day` unchanged when it is a real YYYY-MM-DD day; throws RangeError otherwise, so no bad value reaches a URL or a key. */
export function requireIsoDay(day: string): string {
  dayStart(day);
  return day;
}

/** `day` moved by `delta` days (negative for earlier); throws RangeError on an invalid day. */
export function addDays(day: string, delta: number): string {
  const date = dayStart(day);
  date.setUTCDate(date.getUTCDate() + delta);
  return utcDay(date);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
