import { isValidTimeZone, localTimeIn } from '../../lambdas/core/local-time';

describe('localTimeIn', () => {
  const instant = new Date('2026-11-28T23:30:00Z'); // a Saturday in UTC

  it.each([
    ['UTC', { date: '2026-11-28', hour: 23, weekday: 6 }],
    ['Asia/Tokyo', { date: '2026-11-29', hour: 8, weekday: 7 }],
    ['America/Los_Angeles', { date: '2026-11-28', hour: 15, weekday: 6 }],
    ['Asia/Kolkata', { date: '2026-11-29', hour: 5, weekday: 7 }],
  ])('sees %s wall-clock time', (zone, expected) => {
    expect(localTimeIn(instant, zone)).toEqual(expected);
  });

  it('follows daylight saving time', () => {
    expect(localTimeIn(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin').hour).toBe(14);
    expect(localTimeIn(new Date('2026-01-01T12:00:00Z'), 'Europe/Berlin').hour).toBe(13);
  });

  it('shows midnight as hour 0, not 24', () => {
    expect(localTimeIn(new Date('2026-11-28T00:15:00Z'), 'UTC').hour).toBe(0);
  });

  it('throws on an unknown zone', () => {
    expect(() => localTimeIn(instant, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('time zone validation', () => {
  it.each(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });
  it.each(['', 'Mars/Olympus', 'Europe/Berlin<script>', 'x'.repeat(200)])('refuses %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});
