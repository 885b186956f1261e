// Form values as the use cases receive them: a time zone alias arrives under its modern name.
import { chosenPreferences } from '../../lambdas/web/forms';

describe('chosenPreferences', () => {
  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
  ])('keeps the zone %s as %s', (sent, stored) => {
    expect(chosenPreferences({ timeZone: sent }).timeZone).toBe(stored);
  });
});
