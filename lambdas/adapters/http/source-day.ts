// Checks and shifts the YYYY-MM-DD days the HTTP sources are asked for.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `day` unchanged when it is a real YYYY-MM-DD date; throws otherwise, so no bad value reaches a URL. */
export function requireDay(day: string): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a YYYY-MM-DD day: ${JSON.stringify(day.slice(0, 20))}`);
  }
  return day;
}

/** The day `offset` days after `day` (negative for before). */
export function addDays(day: string, offset: number): string {
  const date = new Date(`${requireDay(day)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10);
}

/** A base URL without its trailing slashes, so paths can be appended. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
