import { addDays, DAY_MS, dayStart, daysBetween, isIsoDay, requireIsoDay, utcDay } from '../../lambdas/core/day';

describe('day arithmetic', () => {
  it('moves across month, year and leap-day ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-11-28', 0)).toBe('2026-11-28');
    expect(addDays('2026-11-28', -365)).toBe('2025-11-28');
  });

  it('counts whole days between two days, either way', () => {
    expect(daysBetween('2026-11-21', '2026-11-28')).toBe(7);
    expect(daysBetween('2026-11-28', '2026-11-21')).toBe(-7);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('reads the UTC day of an instant, whatever the hour', () => {
    expect(utcDay(new Date('2026-11-28T23:59:59Z'))).toBe('2026-11-28');
    expect(utcDay(new Date('2026-11-29T00:00:00Z'))).toBe('2026-11-29');
    expect(utcDay(new Date('2026-11-29T01:00:00+02:00'))).toBe('2026-11-28');
  });

  it('starts a day at midnight UTC, one DAY_MS before the next', () => {
    expect(dayStart('2026-11-28').toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(dayStart('2026-11-29').getTime() - dayStart('2026-11-28').getTime()).toBe(DAY_MS);
  });
});

describe('day validation', () => {
  it.each([
    ['2026-11-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-02-31', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-5', false],
    ['2026-11-28T00:00:00Z', false],
    [' 2026-11-28', false],
    ['yesterday', false],
    ['', false],
  ])('isIsoDay(%j) is %s', (text, expected) => {
    expect(isIsoDay(text)).toBe(expected);
  });

  it('refuses an impossible day instead of rolling it over', () => {
    expect(() => addDays('2026-02-31', 0)).toThrow(RangeError);
    expect(() => dayStart('2026-02-31')).toThrow(RangeError);
    expect(() => requireIsoDay('2026-02-31')).toThrow(/not a YYYY-MM-DD day/);
    expect(requireIsoDay('2026-02-28')).toBe('2026-02-28');
  });
});
